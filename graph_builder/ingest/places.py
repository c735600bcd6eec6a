"""Reference places (reference/places.yaml): China's administrative divisions and codes."""

from __future__ import annotations

from pathlib import Path

from graph_builder.ingest.ids import claim_id
from graph_builder.ingest.model import Place
from graph_builder.ingest.record_schema import PLACE_KEYS, PLACE_KINDS
from graph_builder.ingest.yaml_records import Record, check_keys, mappings, read_mapping, text


def read_places(path: Path, ids: dict[str, Record]) -> tuple[dict[str, Place], str]:
    """The places by id, and the file's `source` (who assigned the codes)."""
    doc = read_mapping(path, "places file")
    places: dict[str, Place] = {}
    for record in mappings(doc, "places"):
        place = check_place(record, ids)
        places[place.id] = place
    resolve_parents(places, ids)
    return places, text(doc, "source")


def check_place(record: Record, ids: dict[str, Record]) -> Place:
    check_keys(record, PLACE_KEYS, "place")
    ident = claim_id(ids, record)
    kind = text(record, "kind")
    if kind not in PLACE_KINDS:
        raise record.error(f"place kind must be one of {sorted(PLACE_KINDS)}", "kind")
    return Place(
        ident,
        PLACE_KINDS[kind],
        text(record, "code"),
        text(record, "zh"),
        text(record, "short"),
        text(record, "en"),
        text(record, "in", required=False),
    )


def resolve_parents(places: dict[str, Place], ids: dict[str, Record]) -> None:
    """Every `in` names a place of the file."""
    for place in places.values():
        if place.parent is not None and place.parent not in places:
            raise ids[place.id].error(f"unknown place {place.parent!r}", "in")
