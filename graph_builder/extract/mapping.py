"""A candidate as a data/facts record: which record type, which fields, which new entities.

    candidate kind                        record     the object becomes
    grade, designation, honour, key-lab   conferral  designation (+ level, batch, status,
                                                     issuer, count, rank)
    alliance-membership                   tie        organization: an alliance, else an
                                                     institution (+ roles, status)
    partnership                           tie        organization: an institution, else an
                                                     alliance (+ roles, status)
    co-branding                           tie        branded_names; organization is extra
                                                     `partner`, else the entity the branded
                                                     name starts with (+ co-branded role)
    alias                                 naming     name (name_type alias)
    post                                  post       person (+ role from hkv:posts)
    event                                 event      zh, the event as written (+ participants)

A new designation's class is the one its name's ending names (…基地 -> Base), plus the
one its candidate kind implies (grade -> HospitalGrade, honour -> Honour, key-lab ->
KeyLaboratory). Concepts are found by their Chinese labels in the ontology (牵头单位 ->
lead, 首批 -> batch-1), never by a table here. What cannot be mapped is not dropped:
the record keeps what could be, and the problem says what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_builder.extract.candidates import GROUPS, Candidate
from graph_builder.extract.evidence import missing, supporting_quotes
from graph_builder.extract.ids import fact_slug, name_slug, person_slug
from graph_builder.extract.linking import Link, Linker
from graph_builder.rdf.namespaces import HKG
from graph_builder.rdf.vocabulary import Vocabulary

RECORD_TYPES = {kind: "naming" if group == "alias" else group for kind, group in GROUPS.items()}
#: Designation classes a candidate kind implies, besides the one its name's ending names.
KIND_CLASSES = {"grade": "HospitalGrade", "honour": "Honour", "key-lab": "KeyLaboratory"}
#: Where a tie's organisation is looked up, in order; a new one goes in the first section.
TIE_SECTIONS = {
    "alliance-membership": ("alliances", "institutions"),
    "partnership": ("institutions", "alliances"),
    "co-branding": ("institutions", "alliances"),
}
ORGANISATIONS = ("institutions", "alliances", "units")
#: Concepts the mapping itself names (checked against the ontology like any other).
CO_BRANDED, ROLE_NOT_STATED, ALIAS, GRANTED = "co-branded", "participant", "alias", "granted"


@dataclass
class Draft:
    """A record being built: its fields, the new entities it needs, what went wrong."""

    fact: dict[str, Any]
    new: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: Names the record refers to that its quotes must hold (the builder checks them).
    needles: list[str] = field(default_factory=list)

    def use(self, link: Link) -> str:
        """The linked id; a new entity is listed in `new` (once)."""
        if link.new is not None:
            records = self.new.setdefault(link.section, [])
            if all(record["id"] != link.id for record in records):
                records.append(link.new)
        return link.id


class Mapper:
    """Maps one report's candidates; `text` is the report, for supporting quotes."""

    def __init__(self, vocab: Vocabulary, linker: Linker, text: str) -> None:
        self.vocab = vocab
        self.linker = linker
        self.text = text

    def map(self, candidate: Candidate, subject: Link | None) -> Draft:
        """The record `candidate` proposes about `subject` (None: the text names none)."""
        record_type = RECORD_TYPES.get(candidate.kind)
        draft = Draft({"id": "", "type": record_type or candidate.kind})
        subject_id = draft.use(subject) if subject is not None else ""
        if subject is None:
            draft.problems.append(
                "the candidate names no subject and the report's hospital is not known "
                "(run extract with --hospital)"
            )
        if record_type is None:
            draft.problems.append(f"unknown candidate kind {candidate.kind!r}")
        else:
            self._builders()[record_type](draft, candidate, subject_id)
        self._when(draft, candidate)
        slug = fact_slug(subject_id or "candidate", self._object_slug(candidate))
        draft.fact["id"] = self.linker.registry.claim(slug)
        return draft

    def _builders(self) -> dict[str, Callable[[Draft, Candidate, str], None]]:
        return {
            "conferral": self._conferral,
            "tie": self._tie,
            "post": self._post,
            "naming": self._naming,
            "event": self._event,
        }

    def _object_slug(self, candidate: Candidate) -> str:
        if candidate.kind == "post":
            return person_slug(candidate.object)
        unit = candidate.extra.get("unit")
        named = candidate.object + (unit if isinstance(unit, str) else "")
        return name_slug(named, self.linker.lexicon)

    # --- one method per record type --------------------------------------

    def _conferral(self, draft: Draft, candidate: Candidate, subject: str) -> None:
        fact = draft.fact
        fact["recipient"] = subject
        unit = candidate.extra.get("unit")
        if isinstance(unit, str) and unit and subject:  # conferred on a department
            fact["recipient"] = draft.use(self.linker.unit(unit, subject, candidate.subject))
        kinds = self._designation_kinds(draft, candidate)
        fact["designation"] = draft.use(
            self.linker.link(candidate.object, ("designations",), kinds)
        )
        self._concept(draft, "level", "levels", candidate.level, exact=True)
        self._concept(draft, "batch", "batches", candidate.batch)
        for key, sections in (("issuer", ORGANISATIONS), ("programme", ("programmes",))):
            name = candidate.extra.get(key)
            if isinstance(name, str) and name:
                fact[key] = draft.use(self.linker.link(name, sections))
                draft.needles.append(name)
        for key, kind in (("count", int), ("rank", str)):
            if isinstance(candidate.extra.get(key), kind):
                fact[key] = candidate.extra[key]
        self._status(draft, candidate)

    def _tie(self, draft: Draft, candidate: Candidate, subject: str) -> None:
        fact = draft.fact
        fact["member"] = subject
        organisation, branded = self._tie_partner(draft, candidate)
        if organisation is not None:
            sections = TIE_SECTIONS[candidate.kind]
            fact["organization"] = draft.use(self.linker.link(organisation, sections))
            draft.needles.append(organisation)
        roles = self._roles(draft, candidate)
        if roles:
            fact["roles"] = roles
        if branded:
            fact["branded_names"] = [branded]
        self._status(draft, candidate)

    def _post(self, draft: Draft, candidate: Candidate, subject: str) -> None:
        draft.fact["organization"] = subject
        draft.fact["person"] = draft.use(self.linker.link(candidate.object, ("people",)))
        if not candidate.role:
            draft.problems.append("a post needs its role (党委书记, 院长 ...)")
        self._concept(draft, "role", "posts", candidate.role)

    def _naming(self, draft: Draft, candidate: Candidate, subject: str) -> None:
        draft.fact.update(entity=subject, name=candidate.object, name_type=ALIAS)

    def _event(self, draft: Draft, candidate: Candidate, subject: str) -> None:
        fact = draft.fact
        fact["zh"] = candidate.object
        english = self.linker.glossary.english(candidate.object)
        if english:
            fact["en"] = english
        fact["participants"] = [subject]
        for key in ("organizer", "venue"):
            name = candidate.extra.get(key)
            if isinstance(name, str) and name:
                fact[key] = draft.use(self.linker.link(name, ORGANISATIONS))
        if candidate.year is None and not candidate.extra.get("date"):
            draft.problems.append("an event needs its year (or date), and the candidate has none")

    # --- fields ------------------------------------------------------------

    def _designation_kinds(self, draft: Draft, candidate: Candidate) -> str | list[str]:
        """The designation's classes: a declared `designation_type`, else the name's ending,
        plus the one the candidate kind implies (honour -> Honour)."""
        declared = candidate.extra.get("designation_type")
        known = self.vocab.kinds(HKG.Designation)
        if isinstance(declared, str) and declared not in known:
            draft.problems.append(f"designation_type {declared!r} is not a designation class")
            declared = None
        by_name = self.linker.kinds.kind(candidate.object, HKG.Designation)
        kinds = [k for k in (declared or by_name, KIND_CLASSES.get(candidate.kind)) if k]
        specific = [k for k in dict.fromkeys(kinds) if k != "Designation"] or ["Designation"]
        return specific[0] if len(specific) == 1 else specific

    def _tie_partner(self, draft: Draft, candidate: Candidate) -> tuple[str | None, str | None]:
        """(organisation name, branded name). A co-branded name (河南省儿童医院焦作医院) is
        the object; its partner is extra `partner`, else the entity its name starts with."""
        if candidate.kind != "co-branding":
            return candidate.object, None
        partner = candidate.extra.get("partner")
        if isinstance(partner, str) and partner:
            return partner, candidate.object
        prefix = self.linker.prefix(candidate.object, TIE_SECTIONS["co-branding"])
        if prefix is None:
            draft.problems.append(
                f"the co-branded name {candidate.object!r} names no partner in data/: "
                "add fact.organization (and the partner under new.institutions if new)"
            )
        return prefix, candidate.object

    def _roles(self, draft: Draft, candidate: Candidate) -> list[str]:
        """Tie roles: the role as written, found by label; 挂牌 for co-branding; and
        'role not stated' when the text states none."""
        roles: list[str] = []
        if candidate.role:
            found = concept_by_label(self.vocab, "tie-roles", candidate.role)
            if found is None:
                draft.problems.append(unknown_concept(self.vocab, "tie-roles", candidate.role))
                return []
            roles.append(found)
        if candidate.kind == "co-branding" and CO_BRANDED not in roles:
            roles.append(CO_BRANDED)
        return roles or [ROLE_NOT_STATED]

    def _concept(
        self, draft: Draft, key: str, scheme: str, written: str, exact: bool = False
    ) -> None:
        """`key`: the concept of `scheme` that `written` names (by local name if `exact`)."""
        if not written:
            return
        concepts = self.vocab.concepts(scheme)
        if exact and written not in concepts:
            draft.problems.append(
                f"{key} {written!r} is not in hkv:{scheme} ({', '.join(concepts)})"
            )
            return
        found = written if exact else concept_by_label(self.vocab, scheme, written)
        if found is None:
            draft.problems.append(unknown_concept(self.vocab, scheme, written))
        else:
            draft.fact[key] = found

    def _status(self, draft: Draft, candidate: Candidate) -> None:
        if candidate.status and candidate.status != GRANTED:
            self._concept(draft, "status", "statuses", candidate.status, exact=True)

    def _when(self, draft: Draft, candidate: Candidate) -> None:
        """Year, month or date, and the quotes that state them (see evidence.py).

        The builder wants a month quoted with its year (2024年7月) and a date's day with
        its month; where the text gives the year only in a heading or an earlier
        paragraph, the fact keeps the part its quotes can carry (the year; the candidate
        still shows the month or day for the reviewer).
        """
        options = self._times(draft, candidate)
        for when, times in options:
            support = self._support(candidate, [*times, *draft.needles])
            if support is not None:
                draft.fact.update(when)
                quotes = [candidate.quote]
                quotes += [quote for quote in support if quote not in quotes]
                draft.fact["quote"] = quotes[0] if len(quotes) == 1 else quotes
                return
        when, times = options[0]
        shown = " and ".join(missing([*times, *draft.needles], candidate.quote))
        problem = f"{shown} is in neither the quote nor a sentence before it"
        if "month" in when:
            problem += " (a month needs its year written with it: drop month or give date)"
        draft.problems.append(problem)
        draft.fact.update(when)
        draft.fact["quote"] = candidate.quote

    def _support(self, candidate: Candidate, needles: list[str]) -> list[str] | None:
        """Quotes beside the candidate's own that hold what it lacks of `needles`: the
        sentences before it, else another mention of the same fact (merge.py) with the
        sentences before that one. None if no mention is supported."""
        absent = missing(needles, candidate.quote)
        if not absent:
            return []
        found = supporting_quotes(self.text, candidate.start, candidate.end, absent)
        if found is not None:
            return found
        for start, end in candidate.extra.get("mentions", []):
            mention = self.text[start:end]
            still = missing(absent, mention)
            around = supporting_quotes(self.text, start, end, still) if still else []
            if around is not None:
                return [mention, *around]
        return None

    def _times(self, draft: Draft, candidate: Candidate) -> list[tuple[dict[str, Any], list[str]]]:
        """The record's time fields with the words that must be quoted for them, most
        precise first, then the year alone (when a finer time is stated)."""
        found = self._time(draft, candidate)
        year = found[0].get("year") or getattr(found[0].get("date"), "year", None)
        if not found[1] or year is None or set(found[0]) == {"year"}:
            return [found]
        return [found, ({"year": year}, [f"{year}年"])]

    def _time(self, draft: Draft, candidate: Candidate) -> tuple[dict[str, Any], list[str]]:
        """The record's time fields and the words that must be quoted for them."""
        raw_date = candidate.extra.get("date")
        if isinstance(raw_date, str) and raw_date:
            try:
                day = dt.date.fromisoformat(raw_date)
            except ValueError:
                draft.problems.append(f"date {raw_date!r} is not YYYY-MM-DD")
            else:
                return {"date": day}, [f"{day.year}年", f"{day.month}月{day.day}日"]
        if candidate.year is None:
            return {}, []
        month = candidate.extra.get("month")
        if isinstance(month, int) and not isinstance(month, bool):
            return {"year": candidate.year, "month": month}, [f"{candidate.year}年{month}月"]
        return {"year": candidate.year}, [f"{candidate.year}年"]


def concept_by_label(vocab: Vocabulary, scheme: str, written: str) -> str | None:
    """The concept of `scheme` whose Chinese label `written` is, else the one whose label is
    the longest part of it (理事成员单位 before 成员单位), else one whose label starts with
    it (牵头 -> 牵头单位). None if no label fits."""
    labels = {
        label: local
        for local, concept in sorted(vocab.concepts(scheme).items())
        for label in vocab.labels(concept)
    }
    if written in labels:
        return labels[written]
    inside = [label for label in labels if label in written]
    if inside:
        return labels[max(inside, key=len)]
    starting = sorted(label for label in labels if len(written) >= 2 and label.startswith(written))
    return labels[starting[0]] if starting else None


def unknown_concept(vocab: Vocabulary, scheme: str, written: str) -> str:
    """Why `written` cannot be mapped, with what the scheme offers."""
    offered: Sequence[str] = sorted(
        label for concept in vocab.concepts(scheme).values() for label in vocab.labels(concept)
    )
    return f"{written!r} is not in hkv:{scheme} (one of: {', '.join(offered)})"
