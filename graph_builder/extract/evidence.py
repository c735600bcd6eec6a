"""Supporting quotes: the words that state a value a candidate's own quote leaves out.

The builder accepts a value (a year, a date) only if one of the fact's quotes holds it.
Reports often state the year once, at the head of a passage (回望…2024年, …), and list
what happened after it; curated facts then quote that sentence too. This module finds
it: the nearest sentence before (or around) the candidate's quote that holds the words,
or one such sentence for each word when no single sentence holds them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Where a sentence ends; a sentence longer than LONG is narrowed to its clause.
SENTENCE_END = re.compile(r"[。！？；\n]")
CLAUSE_END = re.compile(r"[。！？；\n，,、：:]")
LONG = 120


def missing(needles: Sequence[str], quote: str) -> list[str]:
    """The needles `quote` does not hold (layout whitespace ignored, as the builder does)."""
    squashed = re.sub(r"\s+", "", quote)
    return [needle for needle in needles if re.sub(r"\s+", "", needle) not in squashed]


def supporting_quote(text: str, start: int, end: int, needles: Sequence[str]) -> str | None:
    """The nearest sentence that holds every needle, from the one around text[start:end]
    back to the start of the text; narrowed to a clause if it is long. None if none does."""
    for span_start, span_end in reversed(sentences(text, end)):
        sentence = text[span_start:span_end]
        if not missing(needles, sentence):
            return narrowed(sentence, needles)
    return None


def supporting_quotes(text: str, start: int, end: int, needles: Sequence[str]) -> list[str] | None:
    """One sentence holding every needle if there is one, else the nearest sentence for
    each (the year at the head of a passage, the day in the quote's own sentence)."""
    together = supporting_quote(text, start, end, needles)
    if together is not None:
        return [together]
    quotes: list[str] = []
    for needle in needles:
        found = supporting_quote(text, start, end, [needle])
        if found is None:
            return None
        if found not in quotes:
            quotes.append(found)
    return quotes


def sentences(text: str, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence up to the one holding position `end - 1`."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for found in SENTENCE_END.finditer(text):
        spans.append((begin, found.end()))
        begin = found.end()
        if begin >= end:
            return [span for span in spans if text[span[0] : span[1]].strip()]
    spans.append((begin, len(text)))
    return [span for span in spans if text[span[0] : span[1]].strip()]


def narrowed(sentence: str, needles: Sequence[str]) -> str:
    """`sentence` without its line break, or, if long, its shortest clause run holding the
    needles (a clause is cut at commas and colons too)."""
    sentence = sentence.strip()
    if len(sentence) <= LONG:
        return sentence
    clauses = [piece for piece in _clauses(sentence) if piece.strip()]
    for size in range(1, len(clauses) + 1):
        for first in range(len(clauses) - size + 1):
            candidate = "".join(clauses[first : first + size]).strip()
            if not missing(needles, candidate):
                return candidate
    return sentence


def _clauses(sentence: str) -> list[str]:
    pieces, begin = [], 0
    for found in CLAUSE_END.finditer(sentence):
        pieces.append(sentence[begin : found.end()])
        begin = found.end()
    return [*pieces, sentence[begin:]]
