"""Ids: readable ASCII slugs (they end up in IRIs), each defined once across all files.

Places, entities and facts share one id space, so a duplicate is named with
the file and line that defined the id first.
"""

from __future__ import annotations

import re

from graph_builder.ingest.yaml_records import Record, text

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_id(record: Record) -> str:
    """The record's id, which must be a slug: it goes into IRIs as it is."""
    ident = text(record, "id")
    if not ID_PATTERN.fullmatch(ident):  # not match: `$` would let a final newline through
        raise record.error(f"id {ident!r} must be lower-case ASCII words joined by '-'", "id")
    return ident


def claim_id(ids: dict[str, Record], record: Record) -> str:
    """The record's id, checked and registered in `ids` (id -> the record defining it)."""
    ident = slug_id(record)
    if ident in ids:
        first = ids[ident]
        raise record.error(
            f"duplicate id {ident!r} (first defined at {first.path.name}:{first.line})", "id"
        )
    ids[ident] = record
    return ident
