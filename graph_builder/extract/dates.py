"""When a fact happened, read the way reports date things.

A report dates a fact in its own sentence (2024年5月18日, 10月 in a dated review, 这一年,
同月), in its paragraph (2024年，医院引进… 产科…获…奖), or by its dateline (本报讯…
2024年5月18日). Month-only dates and anaphors take the year and month of the last date
before them. A founding date (始建于1950年) dates the founding only, nothing after it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from graph_builder.extract.document import Document
from graph_builder.extract.vocab import vocab

FULL = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?:度)?(?:\s*([0-9]{1,2})\s*月(?:份)?(?:\s*([0-9]{1,2})\s*日)?)?"
)
MONTH = re.compile(r"(?<![0-9年.])([0-9]{1,2})\s*月(?:份)?(?:\s*([0-9]{1,2})\s*日)?(?![0-9])")


@dataclass(frozen=True)
class When:
    """A date as precise as the text gives it."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """YYYY-MM-DD when the day is known, else YYYY-MM, else YYYY."""
        if self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    when: When
    founding: bool = False


class Timeline:
    """Every date mention of a document, resolved against the dates before it."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.mentions = self._read(doc)
        self._starts = [m.start for m in self.mentions]
        self.dateline = self._dateline(doc)

    @staticmethod
    def _read(doc: Document) -> list[Mention]:
        v = vocab()
        flat = doc.flat
        found: list[tuple[int, int, str, re.Match[str] | None]] = []
        for m in FULL.finditer(flat):
            found.append((m.start(), m.end(), "full", m))
        taken = [(s, e) for s, e, _, _ in found]
        for m in MONTH.finditer(flat):
            if not any(s <= m.start() < e for s, e in taken):
                found.append((m.start(), m.end(), "month", m))
        for path, kind in (("dates.same_year", "year"), ("dates.same_month", "smonth")):
            found += [(m.start(), m.end(), kind, None) for m in v.alt(path).finditer(flat)]
        found += [
            (m.start(), m.end(), "sday", None) for m in v.alt("dates.same_day").finditer(flat)
        ]
        founding = [m.span(1) for m in v.regex("events.founding_regex").finditer(flat)]
        found.sort(key=lambda f: f[0])

        mentions: list[Mention] = []
        last: When | None = None
        for start, end, kind, match in found:
            when = _resolve(kind, match, last)
            if when is None:
                continue
            is_founding = any(s <= start < e for s, e in founding)
            mentions.append(Mention(start, end, when, is_founding))
            if not is_founding:
                last = when
        return mentions

    @staticmethod
    def _dateline(doc: Document) -> When | None:
        m = vocab().regex("dates.dateline_regex").search(doc.flat, 0, min(len(doc.flat), 600))
        if not m:
            return None
        return When(int(m.group(1)), int(m.group(2)), int(m.group(3)))

    def _between(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[i:j] if not m.founding]

    def in_sentence(self, pos: int) -> When | None:
        """The date of the sentence at `pos`: the nearest before it in the sentence, else
        the first after it in the same clause."""
        s, _e = self.doc.sentence(pos)
        before = self._between(s, pos + 1)
        if before:
            return before[-1].when
        _cs, ce = self.doc.clause(pos)
        after = self._between(pos, ce)
        return after[0].when if after else None

    def in_paragraph(self, pos: int) -> When | None:
        """The last date earlier in the paragraph (a line of the flat view)."""
        line = self.doc.line(pos)
        if line is None or line.item:
            return None
        before = self._between(line.start, pos + 1)
        return before[-1].when if before else None

    def at(self, pos: int, *, granted: bool) -> When | None:
        """The date a fact at `pos` gets: its sentence's; for granted facts also its
        paragraph's or the dateline's. List items take only their own dates."""
        if self.doc.in_item(pos):
            line = self.doc.line(pos)
            mentions = self._between(line.start, line.end) if line else []
            return mentions[0].when if mentions else None
        when = self.in_sentence(pos)
        if when is None and granted and not self._vague(pos):
            when = self.in_paragraph(pos) or self.dateline
        return when

    def _vague(self, pos: int) -> bool:
        """Whether the sentence says the fact is from no particular date (近年来, 先后)."""
        s, _ = self.doc.sentence(pos)
        return bool(vocab().alt("dates.vague").search(self.doc.flat, s, pos))

    def years_listed(self, start: int, end: int) -> list[int]:
        """Several years in a row before a fact (2021年、2022年连续两年…)."""
        return [m.when.year for m in self._between(start, end) if m.when.month is None]


def _resolve(kind: str, m: re.Match[str] | None, last: When | None) -> When | None:
    if kind == "full" and m:
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) and month else None
        return When(int(m.group(1)), month if month and 1 <= month <= 12 else None, day)
    if last is None:
        return None
    if kind == "month" and m:
        month = int(m.group(1))
        if not 1 <= month <= 12:
            return None
        return When(last.year, month, int(m.group(2)) if m.group(2) else None)
    if kind == "year":
        return When(last.year)
    if kind == "smonth":
        return When(last.year, last.month)
    return last  # same day
