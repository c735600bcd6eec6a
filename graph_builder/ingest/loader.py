"""Reads data/ into a checked, resolved `Dataset`, or stops at the first problem.

Checks, each reported as `file:line: message`: malformed YAML, unknown or missing
keys, ids that are not ASCII slugs or are used twice, references to entities that
are not defined, kinds/levels/roles the ontology does not declare, quotes absent
from the report, and values (labels, dates, issuers, batches ...) that their own
quote does not contain.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from graph_builder.errors import DataError
from graph_builder.ingest.record_schema import ENTITY_KEYS, FACT_KEYS, FACT_TYPES, SECTIONS, Field
from graph_builder.ingest.reports import PERSON_KEYS, Report, Span, load_reports
from graph_builder.ingest.yaml_records import Record, load_yaml
from graph_builder.rdf.namespaces import HKG, PLACE, REPORT
from graph_builder.rdf.vocabulary import Vocabulary

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACE_KEYS = frozenset({"id", "kind", "code", "zh", "short", "en", "in"})


@dataclass
class Place:
    id: str
    kind: URIRef
    code: str
    zh: str
    short: str
    en: str
    parent: str | None


@dataclass
class Entity:
    id: str
    section: str
    kinds: tuple[URIRef, ...]
    zh: str
    en: str
    spans: tuple[Span, ...]
    record: Record
    place: str | None = None
    refs: dict[str, str] = field(default_factory=dict)

    @property
    def iri(self) -> URIRef:
        return SECTIONS[self.section].namespace[self.id]


@dataclass
class Fact:
    id: str
    type: str
    cls: URIRef
    spans: tuple[Span, ...]
    record: Record
    values: dict[str, list[Any]]
    year: int | None = None
    month: int | None = None
    date: dt.date | None = None
    note: str | None = None

    @property
    def report(self) -> str:
        return self.spans[0].report


@dataclass
class Dataset:
    places: dict[str, Place]
    reports: dict[str, Report]
    entities: dict[str, Entity]
    facts: list[Fact]
    place_source: str


def load_dataset(data_dir: Path, vocab: Vocabulary) -> Dataset:
    """Load and check everything under `data_dir` (reference/, reports/, facts/)."""
    loader = _Loader(vocab)
    places, place_source = loader.places(data_dir / "reference" / "places.yaml")
    reports = load_reports(data_dir / "reports")
    for report in reports.values():
        for key in ("reporters", "photographers"):
            for person in _records(report.record, key):
                loader.person(person, report)
    fact_files = sorted((data_dir / "facts").glob("*.yaml"))
    if not fact_files:
        raise DataError(data_dir / "facts", None, "no fact files (*.yaml) found")
    pending: list[tuple[Record, Report]] = []
    for path in fact_files:
        pending += loader.fact_file(path, reports)
    loader.check_entity_refs()
    facts = [loader.fact(record, report) for record, report in pending]
    for report in reports.values():
        subject = str(report.record["subject"])
        if subject not in loader.entities:
            raise report.record.error(f"subject {subject!r} is not defined", "subject")
    return Dataset(places, reports, loader.entities, facts, place_source)


def _records(parent: Record, key: str) -> list[Record]:
    items = parent.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, Record) for item in items):
        raise parent.error(f"{key!r} must be a list of mappings", key)
    return items


def _text(record: Record, key: str, required: bool = True) -> str | None:
    value = record.get(key)
    if value is None:
        if required:
            raise record.error(f"missing {key!r}")
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise record.error(f"{key!r} must be a non-empty string", key)
    return str(value)


def _check_keys(record: Record, allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise record.error(f"unknown key {unknown[0]!r} in {what}", unknown[0])


class _Loader:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.ids: dict[str, Record] = {}
        self.entities: dict[str, Entity] = {}
        self.places_by_id: dict[str, Place] = {}
        self._kinds = {name: vocab.kinds(section.base) for name, section in SECTIONS.items()}

    # ids -----------------------------------------------------------------
    def claim(self, record: Record) -> str:
        ident = _text(record, "id")
        assert ident is not None
        if not ID_PATTERN.match(ident):
            raise record.error(f"id {ident!r} must be lower-case ASCII words joined by '-'", "id")
        if ident in self.ids:
            first = self.ids[ident]
            raise record.error(
                f"duplicate id {ident!r} (first defined at {first.path.name}:{first.line})", "id"
            )
        self.ids[ident] = record
        return ident

    # places --------------------------------------------------------------
    def places(self, path: Path) -> tuple[dict[str, Place], str]:
        doc = load_yaml(path)
        if not isinstance(doc, Record):
            raise DataError(path, 1, "places file must be a mapping")
        kinds = {"Province": HKG.Province, "City": HKG.City}
        for record in _records(doc, "places"):
            _check_keys(record, PLACE_KEYS, "place")
            ident = self.claim(record)
            kind = _text(record, "kind")
            if kind not in kinds:
                raise record.error(f"place kind must be one of {sorted(kinds)}", "kind")
            self.places_by_id[ident] = Place(
                ident,
                kinds[kind],
                str(_text(record, "code")),
                str(_text(record, "zh")),
                str(_text(record, "short")),
                str(_text(record, "en")),
                _text(record, "in", required=False),
            )
        for place in self.places_by_id.values():
            if place.parent is not None and place.parent not in self.places_by_id:
                record = self.ids[place.id]
                raise record.error(f"unknown place {place.parent!r}", "in")
        return self.places_by_id, str(_text(doc, "source"))

    # entities ------------------------------------------------------------
    def person(self, record: Record, report: Report) -> None:
        _check_keys(record, PERSON_KEYS, "person")
        self._entity(record, "people", report)

    def fact_file(self, path: Path, reports: dict[str, Report]) -> list[tuple[Record, Report]]:
        doc = load_yaml(path)
        if not isinstance(doc, Record):
            raise DataError(path, 1, "a fact file must be a mapping")
        allowed = frozenset({"report", "facts", *SECTIONS})
        _check_keys(doc, allowed, "fact file")
        report_id = _text(doc, "report")
        if report_id not in reports:
            raise doc.error(f"unknown report {report_id!r}", "report")
        report = reports[str(report_id)]
        for section in SECTIONS:
            for record in _records(doc, section):
                _check_keys(record, ENTITY_KEYS | set(SECTIONS[section].extra), section)
                self._entity(record, section, report)
        return [(record, report) for record in _records(doc, "facts")]

    def _entity(self, record: Record, section: str, report: Report) -> None:
        ident = self.claim(record)
        zh = str(_text(record, "zh"))
        en = str(_text(record, "en"))
        spans = self._spans(record, report, default=zh)
        self._require_quoted(record, "zh", zh, spans)
        kinds: tuple[URIRef, ...] = ()
        if SECTIONS[section].has_kind:
            kinds = tuple(self._kind(record, section))
        elif "kind" in record:
            raise record.error(f"{section} take no 'kind'", "kind")
        entity = Entity(ident, section, kinds, zh, en, spans, record)
        place = _text(record, "located_in", required=False)
        if place is not None:
            if place not in self.places_by_id:
                raise record.error(f"unknown place {place!r}", "located_in")
            names = (self.places_by_id[place].zh, self.places_by_id[place].short)
            if not any(name in span.quote for name in names for span in spans):
                raise record.error(
                    f"located_in {place!r}: neither {names[0]} nor {names[1]} is in the quote",
                    "located_in",
                )
            entity.place = place
        for key in SECTIONS[section].extra:
            value = _text(record, key, required=SECTIONS[section].extra[key].required)
            if value is not None:
                entity.refs[key] = value
        self.entities[ident] = entity

    def check_entity_refs(self) -> None:
        """Entity-to-entity links (e.g. unit_of), once every file's entities are known."""
        for entity in self.entities.values():
            for key, ident in entity.refs.items():
                spec = SECTIONS[entity.section].extra[key]
                self._check_ref(entity.record, key, ident, spec)
                self._require_quoted(entity.record, key, self.entities[ident].zh, entity.spans)

    def _kind(self, record: Record, section: str) -> list[URIRef]:
        raw = record.get("kind")
        names = raw if isinstance(raw, list) else [raw]
        if raw is None or not names:
            raise record.error(
                f"missing 'kind' (one of: {', '.join(sorted(self._kinds[section]))})"
            )
        kinds = []
        for name in names:
            if name not in self._kinds[section]:
                raise record.error(
                    f"unknown kind {name!r} for {section} "
                    f"(the ontology declares: {', '.join(sorted(self._kinds[section]))})",
                    "kind",
                )
            kinds.append(self._kinds[section][name])
        return kinds

    # facts ---------------------------------------------------------------
    def fact(self, record: Record, report: Report) -> Fact:
        ident = self.claim(record)
        type_name = _text(record, "type")
        if type_name not in FACT_TYPES:
            raise record.error(
                f"unknown fact type {type_name!r} (one of: {', '.join(FACT_TYPES)})", "type"
            )
        fact_type = FACT_TYPES[str(type_name)]
        _check_keys(record, FACT_KEYS | set(fact_type.fields), f"{type_name} fact")
        spans = self._spans(record, report)
        values = {
            key: self._values(record, key, spec, spans) for key, spec in fact_type.fields.items()
        }
        cls = fact_type.cls
        if type_name == "tie":
            organization = self.entities[values["organization"][0]]
            cls = HKG.AllianceMembership if organization.section == "alliances" else HKG.Partnership
        fact = Fact(
            ident, str(type_name), cls, spans, record, {k: v for k, v in values.items() if v}
        )
        self._dates(fact)
        fact.note = _text(record, "note", required=False)
        return fact

    def _values(self, record: Record, key: str, spec: Field, spans: tuple[Span, ...]) -> list[Any]:
        raw = record.get(key, spec.default)
        if raw is None:
            if spec.required:
                raise record.error(f"missing {key!r}")
            return []
        many = spec.kind in ("refs", "concepts", "zhs")
        if many != isinstance(raw, list):
            raise record.error(f"{key!r} must be {'a list' if many else 'a single value'}", key)
        items = raw if many else [raw]
        if spec.required and not items:
            raise record.error(f"{key!r} must not be empty", key)
        values: list[Any] = []
        for item in items:
            if spec.kind == "int":
                if not isinstance(item, int) or isinstance(item, bool):
                    raise record.error(f"{key!r} must be an integer", key)
                values.append(item)
                continue
            if not isinstance(item, str) or not item.strip():
                raise record.error(f"{key!r} must be a non-empty string", key)
            if spec.kind in ("ref", "refs"):
                self._check_ref(record, key, item, spec)
                if spec.quoted:
                    self._require_quoted(record, key, self.entities[item].zh, spans)
            elif spec.kind in ("concept", "concepts"):
                assert spec.scheme is not None
                concepts = self.vocab.concepts(spec.scheme)
                if item not in concepts:
                    raise record.error(
                        f"unknown {key} {item!r} "
                        f"(hkv:{spec.scheme} has: {', '.join(sorted(concepts))})",
                        key,
                    )
                if spec.quoted:
                    labels = self.vocab.labels(concepts[item])
                    if not any(label in span.quote for label in labels for span in spans):
                        raise record.error(
                            f"{key} {item!r} ({'/'.join(labels)}) is not in the quote", key
                        )
                item = concepts[item]
            elif spec.quoted:
                self._require_quoted(record, key, item, spans)
            values.append(item)
        return values

    def _check_ref(self, record: Record, key: str, ident: str, spec: Field) -> None:
        entity = self.entities.get(ident)
        if entity is None:
            raise record.error(f"{key}: {ident!r} is not defined in any data file", key)
        if spec.sections and entity.section not in spec.sections:
            raise record.error(
                f"{key}: {ident!r} is one of the {entity.section}, "
                f"expected {' or '.join(spec.sections)}",
                key,
            )

    def _dates(self, fact: Fact) -> None:
        record = fact.record
        raw_date = record.get("date")
        if raw_date is not None:
            if isinstance(raw_date, str):
                try:
                    raw_date = dt.date.fromisoformat(raw_date)
                except ValueError as exc:
                    raise record.error("date must be YYYY-MM-DD", "date") from exc
            if not isinstance(raw_date, dt.date):
                raise record.error("date must be YYYY-MM-DD", "date")
            for key in ("year", "month"):
                if key in record:
                    raise record.error(f"give either date or {key}, not both", key)
            fact.date, fact.year, fact.month = raw_date, raw_date.year, raw_date.month
            self._require_quoted(record, "date", f"{raw_date.month}月{raw_date.day}日", fact.spans)
        else:
            for key in ("year", "month"):
                value = record.get(key)
                if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                    raise record.error(f"{key} must be an integer", key)
            fact.year, fact.month = record.get("year"), record.get("month")
            if fact.month is not None and fact.year is None:
                raise record.error("month needs a year", "month")
            if fact.month is not None and not 1 <= fact.month <= 12:
                raise record.error("month must be 1..12", "month")
            if fact.month is not None:
                self._require_quoted(record, "month", f"{fact.year}年{fact.month}月", fact.spans)
        if fact.year is not None:
            self._require_quoted(
                record, "year" if fact.date is None else "date", f"{fact.year}年", fact.spans
            )

    # evidence ------------------------------------------------------------
    def _spans(
        self, record: Record, report: Report, default: str | None = None
    ) -> tuple[Span, ...]:
        raw = record.get("quote", default)
        if raw is None:
            raise record.error("missing 'quote' (the verbatim words of the report)")
        quotes = raw if isinstance(raw, list) else [raw]
        if not quotes or not all(isinstance(q, str) for q in quotes):
            raise record.error("'quote' must be a string or a list of strings", "quote")
        return tuple(report.locate(quote, record) for quote in quotes)

    @staticmethod
    def _require_quoted(record: Record, key: str, value: str, spans: tuple[Span, ...]) -> None:
        # Layout line breaks inside words are not content: compare without whitespace.
        if not any(_squash(value) in _squash(span.quote) for span in spans):
            raise record.error(f"{key} {value!r} does not appear in the quote", key)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def report_iri(report_id: str) -> URIRef:
    return REPORT[report_id]


def place_iri(place_id: str) -> URIRef:
    return PLACE[place_id]
