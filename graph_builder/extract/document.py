"""A report as the rules see it: one flat, punctuation-folded view with offsets back.

Newspaper layouts break sentences across lines (a photo caption or a column end falls
between 开 and 展工作), and reports mix full-width and ASCII punctuation (, and ，).
The rules run on `flat`: the text without the line breaks that split a sentence, with
ASCII punctuation folded to full width, character for character. `origin` maps every
flat position back to the report, so each quote is cut verbatim from the original.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from graph_builder.extract.vocab import vocab

#: ASCII and variant punctuation folded to the full-width forms the rules use.
FOLD = str.maketrans(
    {
        ",": "，",
        "(": "（",
        ")": "）",
        ";": "；",
        ":": "：",
        "!": "！",
        "?": "？",
        "「": "“",
        "」": "”",
        "『": "“",
        "』": "”",
        "\u3000": " ",
        **{chr(0xFF10 + i): str(i) for i in range(10)},
    }
)
#: A line that ends with one of these ends its sentence (or is a heading).
LINE_END = "。！？!?”」』）)：:…；;"
CLAUSE_PUNCT = "，；：、"
SENTENCE_END = re.compile(r"[。！？\n]")
CLAUSE_END = re.compile(r"[。！？\n，；：]")
QUOTED = re.compile(r"“([^“”\n]{1,80})”")


@dataclass(frozen=True)
class Line:
    """A line of the flat view; `body` starts after a list marker, if any. A `title` is a
    list item that names things without a sentence (no comma or full stop outside quote
    marks and brackets): 全国首批“…基地”, not 2022年9月，医院与…签约。"""

    start: int
    end: int
    body: int
    item: bool
    title: bool = False


@dataclass
class Document:
    text: str
    raw: str = ""
    flat: str = ""
    origin: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list)
    _clause_starts: list[int] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Document:
        doc = cls(text)
        doc._flatten()
        doc._segment()
        return doc

    # --- building ---------------------------------------------------------
    def _flatten(self) -> None:
        item = vocab().regex("layout.item_regex")
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", self.text)]
        spans = [(s, e) for s, e in spans if self.text[s:e].strip()]
        keep: list[int] = []
        parts: list[str] = []
        for (s, e), nxt in zip(spans, [*spans[1:], None], strict=True):
            keep.extend(range(s, e))
            parts.append(self.text[s:e])
            following = self.text[nxt[0] : nxt[1]].strip() if nxt else ""
            gap = self.text.count("\n", e, nxt[0]) if nxt else 0
            if not following or not self._continues(self.text[s:e].strip(), following, gap, item):
                keep.append(e)  # the line's newline (or the end of the text)
                parts.append("\n")
        self.origin = keep
        self.raw = "".join(parts)
        self.flat = self.raw.translate(FOLD)

    @staticmethod
    def _continues(line: str, following: str, gap: int, item: re.Pattern[str]) -> bool:
        """Whether `line` runs on into `following` (a sentence split by the layout).

        A line without a closing mark runs on when it ends in a comma, or when it holds
        a comma or is long and at most one blank line separates it from the next;
        captions and headings are short, and photos leave wider gaps.
        """
        if line[-1] in LINE_END or item.match(line) or item.match(following):
            return False
        first = following[0]
        if not ("\u4e00" <= first <= "\u9fff" or first.isalnum()):
            return False
        if line[-1] in CLAUSE_PUNCT:
            return True
        return gap <= 2 and (any(c in line for c in "，,；;") or len(line) >= 30)

    def _segment(self) -> None:
        item = vocab().regex("layout.item_regex")
        pos = 0
        for raw_line in self.flat.split("\n"):
            end = pos + len(raw_line)
            if raw_line.strip():
                m = item.match(raw_line)
                body = raw_line[m.end() :] if m else ""
                bare = re.sub(r"“[^”]*”|（[^）]*）", "", body)
                title = bool(m) and not re.search(r"[，。；！？]", bare)
                self.lines.append(Line(pos, end, pos + (m.end() if m else 0), bool(m), title))
            pos = end + 1
        self._line_starts = [ln.start for ln in self.lines]
        self._sentence_starts = [0, *(m.end() for m in SENTENCE_END.finditer(self.flat))]
        self._clause_starts = [0, *(m.end() for m in CLAUSE_END.finditer(self.flat))]

    # --- lookups ----------------------------------------------------------
    @staticmethod
    def _around(starts: list[int], stops: re.Pattern[str], flat: str, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(starts, pos) - 1
        start = starts[max(i, 0)]
        m = stops.search(flat, pos)
        return start, (m.start() if m else len(flat))

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around flat position `pos` (without its closing mark)."""
        return self._around(self._sentence_starts, SENTENCE_END, self.flat, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around `pos`: between commas, semicolons, colons or sentence ends."""
        return self._around(self._clause_starts, CLAUSE_END, self.flat, pos)

    def line(self, pos: int) -> Line | None:
        i = bisect.bisect_right(self._line_starts, pos) - 1
        if i < 0:
            return None
        ln = self.lines[i]
        return ln if ln.start <= pos <= ln.end else None

    def line_index(self, pos: int) -> int:
        return bisect.bisect_right(self._line_starts, pos) - 1

    def in_item(self, pos: int) -> bool:
        """Whether `pos` is in a list item that is a title (see `Line`)."""
        ln = self.line(pos)
        return bool(ln and ln.title)

    def quoted(self, start: int, end: int) -> list[re.Match[str]]:
        """The “…” titles between flat positions `start` and `end`."""
        return list(QUOTED.finditer(self.flat, start, end))

    # --- back to the report -----------------------------------------------
    def span(self, start: int, end: int) -> tuple[int, int]:
        """Report offsets (code points, end exclusive) of the flat span."""
        return self.origin[start], self.origin[end - 1] + 1

    def quote(self, start: int, end: int) -> tuple[str, int, int]:
        """The verbatim report text of the flat span, with its offsets."""
        while end > start and self.flat[end - 1] in " \n":
            end -= 1
        while start < end and self.flat[start] in " \n":
            start += 1
        s, e = self.span(start, end)
        return self.text[s:e], s, e

    def name(self, start: int, end: int) -> str:
        """A name as written in the report (line breaks inside it removed)."""
        return self.raw[start:end].strip()
