"""Query parameters from text to RDF terms: `--param key=value`, API keywords, header defaults.

A library query's header declares each parameter's type (iri, string,
integer); ad-hoc queries get a type guessed from the value. IRIs may be given
by name (names.py).
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal
from rdflib.term import Identifier

from graph_builder.sparql.execute import QueryError
from graph_builder.sparql.names import iri_of, resolve_name
from graph_builder.sparql.query_library import LibraryQuery, Param

INTEGER = re.compile(r"-?\d+")


def resolve_params(
    graph: Graph, raw: dict[str, str], query: LibraryQuery | None = None
) -> dict[str, Identifier]:
    """Turn `key=value` strings (plus the header's defaults) into RDF terms."""
    declared: dict[str, Param] = {p.name: p for p in (query.params if query else [])}
    if query is not None:
        unknown = sorted(set(raw) - set(declared))
        if unknown:
            names = ", ".join(declared) or "none"
            raise QueryError(f"{query.name}: unknown parameter {unknown[0]!r} (declared: {names})")
    values = {p.name: p.default for p in declared.values() if p.default is not None}
    values.update(raw)
    terms: dict[str, Identifier] = {}
    for name, value in values.items():
        kind = declared[name].type if name in declared else guess_type(value)
        terms[name] = term(graph, name, value, kind)
    return terms


def guess_type(value: str) -> str:
    """Ad-hoc parameters: `<...>` and our prefixed names are IRIs, digits integers."""
    if iri_of(value) is not None and not value.startswith(("http://", "https://")):
        return "iri"
    if INTEGER.fullmatch(value):
        return "integer"
    return "string"


def term(graph: Graph, name: str, value: str, kind: str) -> Identifier:
    """One parameter's value as an RDF term of its declared `kind`."""
    if kind == "integer":
        if not INTEGER.fullmatch(value):
            raise QueryError(f"parameter {name!r} must be an integer, got {value!r}")
        return Literal(int(value))
    if kind == "string":
        return Literal(value)
    return resolve_name(graph, value, what=f"parameter {name!r}")
