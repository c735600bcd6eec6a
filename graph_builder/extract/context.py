"""What every rule needs about one report, and the one way rules propose a candidate.

The context holds the document, its timeline, the hospital it is about and the
abbreviations it declares (（以下简称“…”）), and turns a rule's flat-text
finding into a `Candidate` with a verbatim quote, a date and the rule's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graph_builder.extract.candidates import Candidate
from graph_builder.extract.dates import Timeline, When
from graph_builder.extract.document import Document
from graph_builder.extract.names import (
    is_hospital,
    is_org,
    name_start,
    strip_marks,
    without_department,
)
from graph_builder.extract.subject import same_hospital
from graph_builder.extract.vocab import vocab

#: Dates and connectives at the start of a clause, before its subject.
LEAD = re.compile(
    r"^(?:[（(][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[.．、])?"
    r"(?:[0-9]{2,4}年|[0-9]{1,2}月|[0-9]{1,2}日|上午|下午|同日|当日|同月|同时|此外|另外|其中|这一年)*[，,]?"
)
#: Words that mean the report's own hospital at the start of a clause.
SELF = re.compile(
    r"^(?:医院|该院|本院|我院|院方|全院|[省市县区]?[\u4e00-\u9fff]{0,2}妇幼(?:保健院)?)"
)


@dataclass
class Context:
    doc: Document
    timeline: Timeline
    subject: str
    abbreviations: dict[str, str] = field(default_factory=dict)
    found: list[Candidate] = field(default_factory=list)
    #: what rules compute once per report and share (named alliances ...)
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document, subject: str) -> Context:
        ctx = cls(doc, Timeline(doc), subject)
        for m in vocab().regex("aliases.abbreviation_regex").finditer(doc.flat):
            start = name_start(doc.flat, m.start(), max(0, m.start() - 40))
            full = doc.name(start, m.start())
            if is_org(full):
                ctx.abbreviations[m.group(1)] = full
        return ctx

    # --- names ------------------------------------------------------------
    def resolve(self, name: str) -> str:
        """A name as the report's main name when it means the report's hospital, the full
        name for a declared abbreviation, else the name itself."""
        name = self.abbreviations.get(name, name)
        if self.subject and (name == self.subject or self.is_self(name)):
            return self.subject
        return name

    def is_self(self, name: str) -> bool:
        """Whether `name` is the report's own hospital (or a short form of it)."""
        if not name or not self.subject:
            return False
        if SELF.fullmatch(name):
            return True
        if name in ("中心", "该中心", "本中心", "我中心") and self.subject.endswith("中心"):
            return True  # a 服务中心 calls itself 中心 as a hospital says 医院
        if self.abbreviations.get(name) == self.subject:
            return True
        if not is_hospital(name):
            return False
        return same_hospital(name, self.subject)

    def actor(self, start: int, end: int) -> str:
        """The institution a clause is about: a hospital named at its start, before the
        first verb or preposition, else the report's hospital. `start`..`end` is the
        stretch of the clause before the verb of the fact."""
        found = self._named_at(start, end)
        if found is not None:
            return found
        if not self._head(start, end):  # 是…X级X等医院: the subject of the first clause
            ss = self.doc.sentence(start)[0]
            if ss < start:
                found = self._named_at(ss, self.doc.clause(ss)[1])
                if found is not None:
                    return found
        return self.subject

    def _head(self, start: int, end: int) -> str:
        """What a clause says before its first verb or preposition."""
        text = LEAD.sub("", self.doc.flat[start:end].strip())
        opener = vocab().alt("layout.name_openers").search(text)
        head = without_department(text[: opener.start()] if opener else text)
        return re.sub(r"党委$", "", head)

    def _named_at(self, start: int, end: int) -> str | None:
        """The hospital a clause names at its start, before its first verb, if any."""
        head = self._head(start, end)
        for cut in range(len(head), 3, -1):
            if is_hospital(head[:cut]) and cut >= len(head) - 2:
                return self.resolve(head[:cut])
        return None

    # --- candidates -------------------------------------------------------
    def when(self, pos: int, status: str) -> When | None:
        return self.timeline.at(pos, granted=status == "granted")

    def evidence(self, start: int, end: int) -> tuple[int, int]:
        """A quote span around flat `start`..`end`: from the start of the first clause to
        the end of the last (a list item: the item)."""
        doc = self.doc
        line = doc.line(start)
        if line and line.title:
            return line.body, max(end, line.end)
        cs, _ = doc.clause(start)
        _, ce = doc.clause(max(start, end - 1))
        return min(cs, start), max(ce, end)

    def emit(
        self,
        kind: str,
        obj: str,
        quote: tuple[int, int],
        rule: str,
        *,
        subject: str | None = None,
        level: str = "",
        batch: str = "",
        role: str = "",
        status: str = "",
        when: When | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Candidate | None:
        """Add a candidate; `quote` is a flat span, widened to whole clauses."""
        obj = strip_marks(obj).replace("\n", "")
        who = subject if subject is not None else self.subject
        if not obj or not who:
            return None
        qs, qe = self.evidence(*quote)
        text, start, end = self.doc.quote(qs, qe)
        info: dict[str, Any] = dict(extra or {})
        if when is not None:
            if when.month:
                info.setdefault("month", when.month)
            if when.day:
                info.setdefault("date", when.iso())
        cand = Candidate(
            kind=kind,
            subject=who,
            object=obj,
            quote=text,
            start=start,
            end=end,
            level=level,
            batch=batch,
            role=role,
            status=status,
            year=when.year if when else None,
            rule=rule,
            extra=info,
        )
        self.found.append(cand)
        return cand
