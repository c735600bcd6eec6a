"""Likely duplicates among the institutions and alliances of a `Dataset`, scored, with the
evidence for each, and the authority-file line that would merge them. Nothing is merged
here: the curator confirms a pair by adding that line (and a real source) to
data/reference/institutions.yaml.

A pair is two report entities of one section that do not resolve to the same canonical
id. It is never proposed when its names state places that differ (甲县 / 乙县), ordinals
that differ (第一 / 第三), parents that differ, or kinds of different families; nor, for
two entities of one report, unless one name contains the other (a report that names two
bodies means two bodies). Of the signals, at least one must be about the names.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from graph_builder.ingest.authority import AUTHORITY_SECTIONS
from graph_builder.ingest.model import Dataset, Entity
from graph_builder.reconcile.compare import (
    abbreviation,
    compare_places,
    containment,
    contains,
    ordinal_conflict,
    parent_conflict,
    similarity,
)
from graph_builder.reconcile.normalise import (
    NameForm,
    PlaceLexicon,
    adopt_place,
    fold,
    normalise,
    with_located_place,
)
from graph_builder.reconcile.signals import Rules, load_rules

AUTHORITY_FILE = "data/reference/institutions.yaml"
#: What a suggested line says where the curator's own source must go.
CITE = "<cite yours>"
#: The signals about names: a pair needs one of them.
NAME_SIGNALS = frozenset({"name", "containment", "abbreviation", "known_name"})


@dataclass(frozen=True)
class Signal:
    """One reason to think two entities are one: its points and what was seen."""

    name: str
    points: float
    evidence: str


@dataclass(frozen=True)
class Side:
    """One entity of a pair: id, name as written, report, evidence quote, canonical id."""

    id: str
    name: str
    report: str
    quote: str
    canonical: str | None


@dataclass(frozen=True)
class Candidate:
    score: int
    a: Side
    b: Side
    signals: tuple[Signal, ...]
    suggestion: str


@dataclass(frozen=True)
class Veto:
    """Why a pair is not proposed: place, ordinal, parent, kind, section, same-report,
    merged, no-name-signal."""

    reason: str
    evidence: str = ""


@dataclass(frozen=True)
class KnownName:
    """A name of an entity: as its report writes it, or given elsewhere (`origin`)."""

    form: NameForm
    origin: str = ""  # "" for the report's own; else where the name comes from


@dataclass
class Context:
    """What scoring needs, computed once per dataset: each entity's names, kinds (local
    names) and partners."""

    dataset: Dataset
    rules: Rules
    lexicon: PlaceLexicon
    names: dict[str, list[KnownName]] = field(default_factory=dict)
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    partners: dict[str, set[str]] = field(default_factory=dict)


def find_candidates(
    dataset: Dataset,
    report: str | None = None,
    min_score: float | None = None,
    limit: int | None = None,
    rules: Rules | None = None,
) -> list[Candidate]:
    """Scored pairs not merged yet, best first (then by ids); only those involving
    `report`'s entities if given, at or above `min_score` (default: signals.yaml's)."""
    context = make_context(dataset, rules or load_rules())
    threshold = context.rules.min_score if min_score is None else min_score
    found: list[Candidate] = []
    for a, b in pairs(context):
        if report is not None and report not in (report_of(a), report_of(b)):
            continue
        result = compare_entities(a, b, context)
        if isinstance(result, Candidate) and result.score >= threshold:
            found.append(result)
    found.sort(key=lambda c: (-c.score, c.a.id, c.b.id))
    return found if limit is None else found[:limit]


def pairs(context: Context) -> list[tuple[Entity, Entity]]:
    """The pairs (ids in order) worth comparing: one section, kinds that may be one
    institution, and names that may give a name signal, which every proposed pair needs
    (one name's core shares a character with the other's name, or both are generic names
    with one ending, or a generic name's place is in the other's name). Cheap set tests
    first, so that n² pairs are not all scored."""
    entities = context.dataset.entities
    ids = sorted(context.names)
    index = {i: frozenset().union(*(_index_keys(k.form) for k in context.names[i])) for i in ids}
    query = {i: frozenset().union(*(_query_keys(k.form) for k in context.names[i])) for i in ids}
    families = {i: _families(context.kinds[i], context.rules) for i in ids}
    found = []
    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            if entities[a].section != entities[b].section:
                continue
            fa, fb = families[a], families[b]
            if fa is not None and fb is not None and fa.isdisjoint(fb):
                continue
            if query[a].isdisjoint(index[b]) and query[b].isdisjoint(index[a]):
                continue
            found.append((entities[a], entities[b]))
    return found


def _families(kinds: tuple[str, ...], rules: Rules) -> frozenset[str] | None:
    """The kind families of `kinds`; None (any) when one kind is in no family."""
    if not kinds or any(kind not in rules.kind_families for kind in kinds):
        return None
    return frozenset(rules.kind_families[kind] for kind in kinds)


def _index_keys(form: NameForm) -> set[str]:
    return set(fold(form.written)) | set(form.key) | {"suffix:" + form.suffix}


def _query_keys(form: NameForm) -> set[str]:
    if not form.generic:
        return set(form.core)
    return {"suffix:" + form.suffix, *(ch for place in form.places for ch in place.key)}


def make_context(dataset: Dataset, rules: Rules) -> Context:
    """Every entity's names taken apart, and every entity's partners (resolved ids)."""
    context = Context(dataset, rules, PlaceLexicon.of(dataset.places))
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for fact in dataset.facts:
        if fact.type == "naming":
            for ident in fact.values.get("entity", []):
                aliases[ident] += [(str(n), f"naming fact {fact.id}") for n in fact.values["name"]]
    for entity in dataset.entities.values():
        if entity.section in AUTHORITY_SECTIONS:
            context.names[entity.id] = known_names(entity, aliases[entity.id], context)
            context.kinds[entity.id] = tuple(local_name(kind) for kind in entity.kinds)
    context.partners = partners(dataset, rules)
    return context


def known_names(
    entity: Entity, aliases: list[tuple[str, str]], context: Context
) -> list[KnownName]:
    """The entity's name, the other names its reports' naming facts give it (`aliases`:
    name, origin), and the names of the canonical record it resolves to; each placed by
    `located_in` too, and another name that states no place by the entity's name's."""
    dataset, lexicon = context.dataset, context.lexicon
    written: list[tuple[str, str]] = [(entity.zh, ""), *aliases]
    canonical = dataset.canonical.get(entity.id)
    if canonical and dataset.authority and canonical in dataset.authority.records:
        record = dataset.authority.records[canonical]
        written += [(name, f"{AUTHORITY_FILE} {canonical}") for name in record.all_names()]
    located = lexicon.ref(entity.place) if entity.place in lexicon.places else None
    seen: set[str] = set()
    names: list[KnownName] = []
    for name, origin in written:
        if fold(name) in seen:
            continue
        seen.add(fold(name))
        form = with_located_place(normalise(name, lexicon, context.rules.names), located, lexicon)
        if names and not form.places and form.level is None:
            form = replace(form, places=names[0].form.places, level=names[0].form.level)
        names.append(KnownName(form, origin))
    return names


def partners(dataset: Dataset, rules: Rules) -> dict[str, set[str]]:
    """Entity id -> the (resolved) ids it is tied to by a fact's partner fields."""
    tied: dict[str, set[str]] = defaultdict(set)
    for fact in dataset.facts:
        ids = [
            value
            for name in rules.partner_fields.get(fact.type, ())
            for value in fact.values.get(name, [])
            if isinstance(value, str) and value in dataset.entities
        ]
        for one in ids:
            tied[one].update(dataset.resolved(other) for other in ids if other != one)
    return tied


def report_of(entity: Entity) -> str:
    return entity.spans[0].report if entity.spans else ""


def compare_entities(a: Entity, b: Entity, context: Context) -> Candidate | Veto:
    """The pair scored, or why it is not proposed."""
    dataset, weights = context.dataset, context.rules.weights
    if a.section != b.section:
        return Veto("section", f"{a.section} / {b.section}")
    if dataset.resolved(a.id) == dataset.resolved(b.id):
        return Veto("merged", dataset.resolved(a.id))
    kinds = kind_conflict(context.kinds[a.id], context.kinds[b.id], context.rules)
    if kinds:
        return Veto("kind", kinds)
    best = best_names(a, b, context)
    if isinstance(best, Veto):
        return best
    signals = list(best)
    if report_of(a) == report_of(b) and not names_contain(a, b, context):
        return Veto("same-report", report_of(a))
    if not any(s.name in NAME_SIGNALS for s in signals):
        return Veto("no-name-signal")
    shared = sorted(
        context.partners.get(a.id, set())
        & context.partners.get(b.id, set()) - {dataset.resolved(a.id), dataset.resolved(b.id)}
    )
    if shared:
        extra = min(
            weights.shared_partners_per_extra * (len(shared) - 1),
            weights.shared_partners_max - weights.shared_partners,
        )
        listed = ", ".join(f"{ident} ({display_name(ident, dataset)})" for ident in shared)
        signals.append(Signal("shared_partners", weights.shared_partners + extra, listed))
    common = sorted(set(context.kinds[a.id]) & set(context.kinds[b.id]))
    if common:
        signals.append(Signal("same_kind", weights.same_kind, ", ".join(common)))
    score = min(100, math.floor(sum(s.points for s in signals) + 0.5))
    return Candidate(
        score, side(a, dataset), side(b, dataset), tuple(signals), suggestion(a, b, dataset)
    )


def names_contain(a: Entity, b: Entity, context: Context) -> bool:
    """One of the names the reports write contains the other (as written)."""
    return any(
        contains(x.form, y.form)
        for x in context.names[a.id]
        if not x.origin
        for y in context.names[b.id]
        if not y.origin
    )


def kind_conflict(ka: tuple[str, ...], kb: tuple[str, ...], rules: Rules) -> str:
    """Kinds of different families only (UniversityOrCollege / Hospital), as evidence."""
    families = rules.kind_families
    if not ka or not kb or not all(k in families for k in (*ka, *kb)):
        return ""
    if {families[k] for k in ka} & {families[k] for k in kb}:
        return ""
    return f"{', '.join(ka)} / {', '.join(kb)}"


def best_names(a: Entity, b: Entity, context: Context) -> list[Signal] | Veto:
    """The name signals of the two entities' best-matching names, with their places;
    a veto when every pair of names contradicts (the report's own names' reason)."""
    first_veto: Veto | None = None
    best: list[Signal] | None = None
    best_points = -1.0
    for name_a in context.names[a.id]:
        for name_b in context.names[b.id]:
            result = name_signals(name_a, name_b, context)
            if isinstance(result, Veto):
                first_veto = first_veto or result
                continue
            points = sum(s.points for s in result)
            if points > best_points:
                best, best_points = result, points
    if best is None:
        assert first_veto is not None
        return first_veto
    return best


def name_signals(name_a: KnownName, name_b: KnownName, context: Context) -> list[Signal] | Veto:
    """What two names say: a veto, or their signals (similarity, containment,
    abbreviation, a known other name, one place)."""
    rules, weights = context.rules.names, context.rules.weights
    fa, fb = adopt_place(name_a.form, name_b.form), adopt_place(name_b.form, name_a.form)
    place = compare_places(fa, fb, context.lexicon)
    if place.relation == "conflict":
        return Veto("place", f"{fa.written} / {fb.written}: {place.evidence}")
    ordinals = ordinal_conflict(fa, fb)
    if ordinals:
        return Veto("ordinal", f"{fa.written} / {fb.written}: {ordinals}")
    parents = parent_conflict(fa, fb)
    if parents:
        return Veto("parent", f"{fa.written} / {fb.written}: {parents}")
    pair = f"{fa.written} / {fb.written}"
    signals: list[Signal] = []
    alike = similarity(fa, fb)
    if alike.score >= weights.min_similarity:
        factor = weights.generic_factor if alike.generic else 1.0
        note = ", generic names" if alike.generic else ""
        signals.append(
            Signal(
                "name",
                weights.name * alike.score * factor,
                f"{pair}: {alike.evidence} ({alike.score:.0f}{note})",
            )
        )
    inside = containment(fa, fb, rules.min_chars)
    if inside:
        signals.append(Signal("containment", weights.containment, inside))
    short = abbreviation(fa, fb, rules.min_chars)
    if short:
        signals.append(Signal("abbreviation", weights.abbreviation, short))
    origin = name_a.origin or name_b.origin
    if origin and fa.key == fb.key and (place.relation == "same" or not fa.generic):
        given = name_a if name_a.origin else name_b
        signals.append(Signal("known_name", weights.known_name, f"{given.form.written}: {origin}"))
    if place.relation == "same":
        signals.append(Signal("same_place", weights.same_place, place.evidence))
    elif place.relation == "within":
        signals.append(Signal("place_within", weights.place_within, place.evidence))
    return signals


def local_name(kind: Any) -> str:
    return re.split(r"[#/]", str(kind))[-1]


def display_name(ident: str, dataset: Dataset) -> str:
    if ident in dataset.entities:
        return dataset.entities[ident].zh
    if dataset.authority and ident in dataset.authority.records:
        return dataset.authority.records[ident].zh
    return ident


def side(entity: Entity, dataset: Dataset) -> Side:
    quotes = " | ".join(dict.fromkeys(span.quote for span in entity.spans))
    return Side(entity.id, entity.zh, report_of(entity), quotes, dataset.canonical.get(entity.id))


def suggestion(a: Entity, b: Entity, dataset: Dataset) -> str:
    """The edit of data/reference/institutions.yaml that confirms the pair, as a line of
    YAML to paste: the other name under the canonical record, else a new record (the
    longer name official, its entity's id), else the two records to merge."""
    ca, cb = dataset.canonical.get(a.id), dataset.canonical.get(b.id)
    if ca and cb:
        return (
            f"merge records {ca} and {cb} into one "
            f"(keep every name with its source; source: {CITE})"
        )
    if ca or cb:
        target, other = (ca, b) if ca else (cb, a)
        return f"add to names of {target}: - {{zh: {yaml_text(other.zh)}, source: {CITE}}}"
    official, other = sorted((a, b), key=lambda e: (-len(e.zh), e.id))
    kinds = [local_name(k) for k in official.kinds]
    kind = kinds[0] if len(kinds) == 1 else f"[{', '.join(kinds)}]"
    section = "" if official.section == "institutions" else f"section: {official.section}, "
    return (
        f"add to institutions: - {{id: {official.id}, {section}kind: {kind}, "
        f"zh: {yaml_text(official.zh)}, source: {CITE}, "
        f"names: [{{zh: {yaml_text(other.zh)}, source: {CITE}}}]}}"
    )


def yaml_text(text: str) -> str:
    """A value as a YAML flow scalar: plain when safe, else double-quoted."""
    if text and not re.search(r"[\s,:\[\]{}#&*!|>'\"%@`?-]", text) and not text.isdigit():
        return text
    return json.dumps(text, ensure_ascii=False)


def rows(candidates: Iterable[Candidate], structured: bool = False) -> list[list[Any]]:
    """One row per candidate under `HEADERS`; `structured` keeps signals as objects
    (for JSON), else one line of text."""
    out: list[list[Any]] = []
    for c in candidates:
        signals: Any = (
            [
                {"signal": s.name, "points": round(s.points, 1), "evidence": s.evidence}
                for s in c.signals
            ]
            if structured
            else "; ".join(f"{s.name} +{s.points:.0f}: {s.evidence}" for s in c.signals)
        )
        out.append(
            [
                c.score,
                c.a.id,
                c.a.name,
                c.a.report,
                c.b.id,
                c.b.name,
                c.b.report,
                signals,
                c.a.quote,
                c.b.quote,
                c.suggestion,
            ]
        )
    return out


HEADERS = [
    "score",
    "a",
    "a_name",
    "a_report",
    "b",
    "b_name",
    "b_report",
    "signals",
    "a_quote",
    "b_quote",
    "suggestion",
]
