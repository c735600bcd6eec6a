"""Entity records (institutions, alliances, units, programmes, people, designations).

An entity's Chinese name must be in its quote, its kinds must be classes the
ontology declares for its section, and a place it is located in must be named
in the quote too. Links between entities (a unit's `unit_of`) are resolved
once every file's entities are known.
"""

from __future__ import annotations

from rdflib import URIRef

from graph_builder.ingest.ids import claim_id
from graph_builder.ingest.model import Entity, Place, Span
from graph_builder.ingest.record_schema import PERSON_KEYS, SECTIONS, Field
from graph_builder.ingest.reports import ReportSource, quoted_spans, require_quoted
from graph_builder.ingest.yaml_records import Record, check_keys, text
from graph_builder.rdf.vocabulary import Vocabulary


def check_person(
    record: Record,
    report: ReportSource,
    ids: dict[str, Record],
    vocab: Vocabulary,
    places: dict[str, Place],
) -> Entity:
    """A reporter or photographer named in a report's metadata."""
    check_keys(record, PERSON_KEYS, "person")
    return check_entity(record, "people", report, ids, vocab, places)


def check_entity(
    record: Record,
    section: str,
    report: ReportSource,
    ids: dict[str, Record],
    vocab: Vocabulary,
    places: dict[str, Place],
) -> Entity:
    """One entity of `section`; its quote defaults to its Chinese name.

    `en` is optional: a translation exists only where a curator gave one, and an entity
    proposed by the extractor has none until then.
    """
    ident = claim_id(ids, record)
    zh = text(record, "zh")
    en = text(record, "en", required=False) or ""
    spans = quoted_spans(record, report, default=zh)
    require_quoted(record, "zh", zh, spans)
    kinds = entity_kinds(record, section, vocab)
    place = located_in(record, spans, places)
    refs: dict[str, str] = {}
    for key, spec in SECTIONS[section].extra.items():
        value = text(record, key, required=spec.required)
        if value is not None:
            refs[key] = value
    return Entity(ident, section, kinds, zh, en, spans, place, refs)


def entity_kinds(record: Record, section: str, vocab: Vocabulary) -> tuple[URIRef, ...]:
    """The classes `kind` names (one or a list), each under the section's base class."""
    if not SECTIONS[section].has_kind:
        if "kind" in record:
            raise record.error(f"{section} take no 'kind'", "kind")
        return ()
    declared = vocab.kinds(SECTIONS[section].base)
    raw = record.get("kind")
    names = raw if isinstance(raw, list) else [raw]
    if raw is None or not names:
        raise record.error(f"missing 'kind' (one of: {', '.join(sorted(declared))})")
    kinds = []
    for name in names:
        if not isinstance(name, str):
            raise record.error("'kind' must be a class name or a list of class names", "kind")
        if name not in declared:
            raise record.error(
                f"unknown kind {name!r} for {section} "
                f"(the ontology declares: {', '.join(sorted(declared))})",
                "kind",
            )
        kinds.append(declared[name])
    return tuple(kinds)


def located_in(record: Record, spans: tuple[Span, ...], places: dict[str, Place]) -> str | None:
    """The place `located_in` names, if any; its name or short name must be in the quote."""
    ident = text(record, "located_in", required=False)
    if ident is None:
        return None
    if ident not in places:
        raise record.error(f"unknown place {ident!r}", "located_in")
    names = (places[ident].zh, places[ident].short)
    if not any(name in span.quote for name in names for span in spans):
        raise record.error(
            f"located_in {ident!r}: neither {names[0]} nor {names[1]} is in the quote",
            "located_in",
        )
    return ident


def resolve_entity_links(entities: dict[str, Entity], ids: dict[str, Record]) -> None:
    """Entity-to-entity links (e.g. unit_of) name a defined entity that the quote names."""
    for entity in entities.values():
        record = ids[entity.id]
        for key, ident in entity.refs.items():
            check_ref(record, key, ident, SECTIONS[entity.section].extra[key], entities)
            require_quoted(record, key, entities[ident].zh, entity.spans)


def check_ref(
    record: Record, key: str, ident: str, spec: Field, entities: dict[str, Entity]
) -> Entity:
    """The entity `ident` names, which must be of one of the field's sections."""
    entity = entities.get(ident)
    if entity is None:
        raise record.error(f"{key}: {ident!r} is not defined in any data file", key)
    if spec.sections and entity.section not in spec.sections:
        raise record.error(
            f"{key}: {ident!r} is one of the {entity.section}, "
            f"expected {' or '.join(spec.sections)}",
            key,
        )
    return entity
