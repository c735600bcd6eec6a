"""Fact records (conferrals, ties, posts, events, namings), checked against their quotes.

A fact's fields come from its type's table in `record_schema`; references must
name defined entities, concepts must be in the ontology's scheme, and whatever
the table marks `quoted` (and every date) must appear in the fact's own quote.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rdflib import URIRef

from graph_builder.ingest.entities import check_ref
from graph_builder.ingest.ids import claim_id
from graph_builder.ingest.model import Entity, Fact, Span
from graph_builder.ingest.record_schema import FACT_KEYS, FACT_TYPES, Field
from graph_builder.ingest.reports import ReportSource, quoted_spans, require_quoted
from graph_builder.ingest.yaml_records import Record, check_keys, text
from graph_builder.rdf.namespaces import HKG
from graph_builder.rdf.vocabulary import Vocabulary

#: A date as written in a fact file (fromisoformat alone would take 20240701 too).
DATE_PATTERN = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: (year, month, date) of a fact; the year and month of a date are filled in.
When = tuple[int | None, int | None, dt.date | None]


def check_fact(
    record: Record,
    report: ReportSource,
    ids: dict[str, Record],
    vocab: Vocabulary,
    entities: dict[str, Entity],
) -> Fact:
    """One fact of `report`, its references resolved against `entities`."""
    ident = claim_id(ids, record)
    type_name = text(record, "type")
    if type_name not in FACT_TYPES:
        raise record.error(
            f"unknown fact type {type_name!r} (one of: {', '.join(FACT_TYPES)})", "type"
        )
    fields = FACT_TYPES[type_name].fields
    check_keys(record, FACT_KEYS | set(fields), f"{type_name} fact")
    spans = quoted_spans(record, report)
    values = {
        key: field_values(record, key, spec, spans, vocab, entities) for key, spec in fields.items()
    }
    cls = fact_class(type_name, values, entities)
    year, month, date = fact_when(record, spans)
    note = text(record, "note", required=False)
    given = {key: found for key, found in values.items() if found}
    return Fact(ident, type_name, cls, spans, given, year, month, date, note)


def fact_class(type_name: str, values: dict[str, list[Any]], entities: dict[str, Entity]) -> URIRef:
    """The fact type's class; a tie is refined by its organisation's section."""
    if type_name == "tie":
        organization = entities[values["organization"][0]]
        return HKG.AllianceMembership if organization.section == "alliances" else HKG.Partnership
    return FACT_TYPES[type_name].cls


def field_values(
    record: Record,
    key: str,
    spec: Field,
    spans: tuple[Span, ...],
    vocab: Vocabulary,
    entities: dict[str, Entity],
) -> list[Any]:
    """A field's values (one or a list): entity ids, concept IRIs, or literals."""
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
    return [field_value(record, key, spec, item, spans, vocab, entities) for item in items]


def field_value(
    record: Record,
    key: str,
    spec: Field,
    item: Any,
    spans: tuple[Span, ...],
    vocab: Vocabulary,
    entities: dict[str, Entity],
) -> Any:
    """One value: an integer, or a non-empty string that is an id, a concept or a literal."""
    if spec.kind == "int":
        if not isinstance(item, int) or isinstance(item, bool):
            raise record.error(f"{key!r} must be an integer", key)
        return item
    if not isinstance(item, str) or not item.strip():
        raise record.error(f"{key!r} must be a non-empty string", key)
    if spec.kind in ("ref", "refs"):
        entity = check_ref(record, key, item, spec, entities)
        if spec.quoted:
            require_quoted(record, key, entity.zh, spans)
        return item
    if spec.kind in ("concept", "concepts"):
        return concept(record, key, spec, item, spans, vocab)
    if spec.quoted:
        require_quoted(record, key, item, spans)
    return item


def concept(
    record: Record, key: str, spec: Field, name: str, spans: tuple[Span, ...], vocab: Vocabulary
) -> URIRef:
    """The concept `name` in the field's scheme; if `quoted`, one of its labels is in the quote."""
    assert spec.scheme is not None
    concepts = vocab.concepts(spec.scheme)
    if name not in concepts:
        raise record.error(
            f"unknown {key} {name!r} (hkv:{spec.scheme} has: {', '.join(sorted(concepts))})", key
        )
    if spec.quoted:
        labels = vocab.labels(concepts[name])
        if not any(label in span.quote for label in labels for span in spans):
            raise record.error(f"{key} {name!r} ({'/'.join(labels)}) is not in the quote", key)
    return concepts[name]


def fact_when(record: Record, spans: tuple[Span, ...]) -> When:
    """`date`, or `year` and optional `month`; whichever is given must be in the quote."""
    year: int | None
    month: int | None
    date: dt.date | None = None
    if record.get("date") is not None:
        date = _date(record, spans)
        year, month = date.year, date.month
    else:
        year, month = _year_and_month(record, spans)
    if year is not None:
        require_quoted(record, "year" if date is None else "date", f"{year}年", spans)
    return year, month, date


def _date(record: Record, spans: tuple[Span, ...]) -> dt.date:
    raw = record["date"]
    if isinstance(raw, str) and DATE_PATTERN.fullmatch(raw):
        try:
            raw = dt.date.fromisoformat(raw)
        except ValueError as exc:
            message = f"date must be YYYY-MM-DD: {raw!r} is not a day ({exc})"
            raise record.error(message, "date") from exc
    # A datetime is a date too, but hkg:date holds days: `2024-07-01 10:00` is refused.
    if not isinstance(raw, dt.date) or isinstance(raw, dt.datetime):
        raise record.error("date must be YYYY-MM-DD", "date")
    for key in ("year", "month"):
        if key in record:
            raise record.error(f"give either date or {key}, not both", key)
    require_quoted(record, "date", f"{raw.month}月{raw.day}日", spans)
    return raw


def _year_and_month(record: Record, spans: tuple[Span, ...]) -> tuple[int | None, int | None]:
    for key in ("year", "month"):
        value = record.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise record.error(f"{key} must be an integer", key)
    year, month = record.get("year"), record.get("month")
    if month is not None and year is None:
        raise record.error("month needs a year", "month")
    if month is not None and not 1 <= month <= 12:
        raise record.error("month must be 1..12", "month")
    if month is not None:
        require_quoted(record, "month", f"{year}年{month}月", spans)
    return year, month
