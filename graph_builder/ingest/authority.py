"""The authority file: one canonical record per real institution, and the curator's sources.

Reports name one institution in many ways (河南省儿童医院 / 郑州儿童医院, 国家卫生健康委员会 /
国家卫健委). data/reference/institutions.yaml lists canonical institutions: a stable id,
kind, official name, optional place and external identifiers, and the other names they
are known by. A name no report states for that institution is a curator's assertion and
must cite where the curator read it (`source`: a URL or a document), so it is modelled
apart from report evidence (PROV: attributed to the curator, not quoted from a report).

`resolve` maps every report entity of the institution and alliance sections to its
canonical record: by the entity's `canonical:` key, else by its Chinese name being the
official or another name of exactly one canonical record. What the report wrote stays
on the record (its name and evidence), so nothing is lost by merging.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Literal, URIRef

from graph_builder.errors import DataError
from graph_builder.ingest.entities import entity_kinds
from graph_builder.ingest.ids import ID_PATTERN
from graph_builder.ingest.model import Authority, Canonical, CuratedName, Curator, Entity, Place
from graph_builder.ingest.yaml_records import Record, check_keys, mappings, read_mapping, text
from graph_builder.rdf.vocabulary import Vocabulary

#: The sections whose entities an authority record may stand for.
AUTHORITY_SECTIONS = ("institutions", "alliances")
FILE_KEYS = frozenset({"curator", "institutions"})
CURATOR_KEYS = frozenset({"id", "name", "url"})
RECORD_KEYS = frozenset(
    {"id", "section", "kind", "zh", "en", "located_in", "source", "names", "wikidata", "uscc"}
)
NAME_KEYS = frozenset({"zh", "type", "source", "note"})
#: Kinds of other name, as the ontology's hkv:name-types concepts.
NAME_TYPES = {"alternative": "alias", "former": "former-name", "short": "short-name"}


def read_authority(path: Path, vocab: Vocabulary, places: dict[str, Place]) -> Authority:
    """The authority file at `path`; an empty authority if there is none.

    Stops with one line naming the file and line: unknown keys, ids that are not slugs or
    repeat, a name two records claim (one name must mean one institution), a kind the
    ontology does not declare, a place places.yaml lacks, a name without its source.
    """
    if not path.exists():
        return Authority.empty()
    doc = read_mapping(path, "the authority file")
    check_keys(doc, FILE_KEYS, "the authority file")
    curator = _curator(doc)
    records: dict[str, Canonical] = {}
    by_name: dict[str, str] = {}
    lines: dict[str, Record] = {}
    for record in mappings(doc, "institutions"):
        canonical = _canonical(record, vocab, places)
        if canonical.id in records:
            raise record.error(
                f"institution {canonical.id!r} is listed twice "
                f"(first at {lines[canonical.id].path.name}:{lines[canonical.id].line})",
                "id",
            )
        records[canonical.id] = canonical
        lines[canonical.id] = record
        for name in canonical.all_names():
            if name in by_name and by_name[name] != canonical.id:
                first = lines[by_name[name]]
                raise record.error(
                    f"name {name!r} is claimed by {by_name[name]!r} "
                    f"({first.path.name}:{first.line}) and {canonical.id!r}: "
                    "one name must mean one institution",
                    "names",
                )
            by_name[name] = canonical.id
    if records and curator is None:
        raise doc.error("the authority file needs a `curator` (who asserts its links)")
    return Authority(curator, records, by_name)


def _curator(doc: Record) -> Curator | None:
    raw = doc.get("curator")
    if raw is None:
        return None
    if not isinstance(raw, Record):
        raise doc.error("`curator` must be a mapping (id, name, url)", "curator")
    check_keys(raw, CURATOR_KEYS, "the curator")
    ident = text(raw, "id")
    if not ID_PATTERN.fullmatch(ident):
        raise raw.error(f"id {ident!r} must be lower-case ASCII words joined by '-'", "id")
    return Curator(ident, text(raw, "name"), text(raw, "url", required=False))


def _canonical(record: Record, vocab: Vocabulary, places: dict[str, Place]) -> Canonical:
    check_keys(record, RECORD_KEYS, "an authority record")
    ident = text(record, "id")
    if not ID_PATTERN.fullmatch(ident):
        raise record.error(f"id {ident!r} must be lower-case ASCII words joined by '-'", "id")
    section = text(record, "section", required=False) or "institutions"
    if section not in AUTHORITY_SECTIONS:
        raise record.error(f"section must be one of {', '.join(AUTHORITY_SECTIONS)}", "section")
    kinds = entity_kinds(record, section, vocab)
    place = text(record, "located_in", required=False)
    if place is not None and place not in places:
        raise record.error(f"unknown place {place!r} (data/reference/places.yaml)", "located_in")
    names = tuple(_name(item) for item in mappings(record, "names"))
    return Canonical(
        ident,
        section,
        kinds,
        text(record, "zh"),
        text(record, "en", required=False) or "",
        text(record, "source"),
        names,
        place,
        text(record, "wikidata", required=False),
        text(record, "uscc", required=False),
    )


def _name(record: Record) -> CuratedName:
    check_keys(record, NAME_KEYS, "another name")
    kind = text(record, "type", required=False) or "alternative"
    if kind not in NAME_TYPES:
        raise record.error(f"type must be one of {', '.join(NAME_TYPES)}", "type")
    return CuratedName(
        text(record, "zh"),
        NAME_TYPES[kind],
        text(record, "source"),
        text(record, "note", required=False),
    )


def resolve(
    authority: Authority, entities: Iterable[Entity], ids: dict[str, Record]
) -> dict[str, str]:
    """Report entity id -> canonical id, for every entity the authority covers.

    `ids` holds the record defining each id, for an entity's `canonical:` key and for
    error positions; entities without the key match by their Chinese name. An entity
    whose id is a canonical id must resolve to that record (one id, one institution).
    """
    resolved: dict[str, str] = {}
    for entity in entities:
        record = ids[entity.id]
        declared = text(record, "canonical", required=False)
        if entity.section not in AUTHORITY_SECTIONS:
            if declared is not None:
                raise record.error(
                    f"only {' and '.join(AUTHORITY_SECTIONS)} take `canonical`", "canonical"
                )
            continue
        if declared is not None:
            if declared not in authority.records:
                raise record.error(
                    f"canonical {declared!r} is not in data/reference/institutions.yaml",
                    "canonical",
                )
            target = declared
        else:
            found = authority.by_name.get(entity.zh)
            if found is None:
                if entity.id in authority.records:
                    raise record.error(
                        f"{entity.id!r} is an id of data/reference/institutions.yaml, but "
                        f"{entity.zh!r} is none of its names: add the name there, or give "
                        "this entity `canonical:` or another id",
                        "id",
                    )
                continue
            target = found
        if authority.records[target].section != entity.section:
            raise record.error(
                f"{entity.zh!r} ({entity.section}) resolves to {target!r}, which "
                f"data/reference/institutions.yaml lists as {authority.records[target].section}",
                "zh",
            )
        resolved[entity.id] = target
    return resolved


def canonical_place(
    record: Canonical, entities: Iterable[Entity], places: dict[str, Place]
) -> str | None:
    """Where a canonical institution is: the curator's place, else the most specific of
    the places its reports' names state (a city over its province). Two places that do
    not contain one another are a contradiction the curator must settle."""
    if record.place:
        return record.place
    found = {entity.place for entity in entities if entity.place}
    ancestors = {anc for place in found for anc in _ancestors(place, places)}
    specific = sorted(found - ancestors)
    if len(specific) > 1:
        raise DataError(
            None,
            None,
            f"data/reference/institutions.yaml: {record.id!r} is placed in "
            f"{' and '.join(specific)} by its reports' names; give it `located_in`",
        )
    return specific[0] if specific else None


def _ancestors(place: str, places: dict[str, Place]) -> list[str]:
    out: list[str] = []
    parent = places[place].parent if place in places else None
    while parent:
        out.append(parent)
        parent = places[parent].parent if parent in places else None
    return out


def source_term(source: str) -> URIRef | Literal:
    """A curator's source: a URL as an IRI, a document citation as text."""
    if re.fullmatch(r"https?://\S+", source):
        return URIRef(source)
    return Literal(source)
