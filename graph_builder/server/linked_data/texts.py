"""Report texts for the pages: read from the project, checked against the graph's hash,
and cut into the pieces a page highlights.

Offsets (hkg:startOffset, hkg:endOffset) count Unicode code points, as Python's str
indexes do, so a quote is `text[start:end]` exactly. A text whose SHA-256 differs from
the graph's hkg:sha256 is not shown: the offsets would point into another text.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: Most characters of context a paragraph shows on each side of a quote.
CONTEXT = 400


@dataclass(frozen=True)
class Text:
    """A report's text, or why it is not available (`text` None)."""

    text: str | None
    reason: str = ""


class ReportTexts:
    """Texts under the project root, by hkg:sourceFile, cached once verified."""

    def __init__(self, root: Path | None) -> None:
        self.root = root.resolve() if root is not None else None
        self.cache: dict[tuple[str, str], Text] = {}

    async def get(self, source_file: str | None, sha256: str | None) -> Text:
        if not source_file or not sha256:
            return Text(None, "the graph names no text file for this report")
        key = (source_file, sha256)
        if key not in self.cache:
            self.cache[key] = await asyncio.to_thread(self._read, source_file, sha256)
        return self.cache[key]

    def _read(self, source_file: str, sha256: str) -> Text:
        if self.root is None:
            return Text(None, "this server has no project directory to read texts from")
        path = (self.root / source_file).resolve()
        if not path.is_relative_to(self.root) or Path(source_file).is_absolute():
            return Text(None, f"{source_file} is outside the project")
        try:
            data = path.read_bytes()
        except OSError:
            return Text(None, f"{source_file} is not available on this server")
        if hashlib.sha256(data).hexdigest() != sha256.lower():
            return Text(None, f"{source_file} differs from the text the graph was built from")
        try:
            return Text(data.decode("utf-8"))
        except UnicodeDecodeError:
            return Text(None, f"{source_file} is not UTF-8 text")


@dataclass(frozen=True)
class Passage:
    """The paragraph around a quote: text before it, the quote, text after it."""

    before: str
    quote: str
    after: str
    cut_before: bool
    cut_after: bool


def passage(text: str, start: int, end: int) -> Passage | None:
    """The paragraph holding text[start:end] (lines end paragraphs); None if the
    offsets do not fit the text."""
    if not 0 <= start < end <= len(text):
        return None
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    lo, hi = max(first, start - CONTEXT), min(last, end + CONTEXT)
    return Passage(text[lo:start], text[start:end], text[end:hi], lo > first, hi < last)


@dataclass(frozen=True)
class Segment:
    """A run of text and the spans (by key) that cover all of it."""

    text: str
    keys: tuple[str, ...]


def segments(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """The text cut at every span boundary, each piece with the spans covering it
    (shortest first, so the innermost quote leads when quotes overlap)."""
    valid = [(s, e, k) for s, e, k in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in valid), *(e for _, e, _ in valid)})
    pieces = []
    for lo, hi in itertools.pairwise(cuts):
        covering = sorted((e - s, k) for s, e, k in valid if s <= lo and hi <= e)
        pieces.append(Segment(text[lo:hi], tuple(k for _, k in covering)))
    return pieces
