"""Query parameters from text to RDF terms: `--param key=value`, API keywords, header defaults.

A library query's header declares each parameter's type (iri, string,
integer); ad-hoc queries get a type guessed from the value. IRIs may be given
by name (names.py).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.term import Identifier

from graph_builder.sparql.execute import QueryError
from graph_builder.sparql.names import NameFinder, resolve_name, spelled_iri
from graph_builder.sparql.query_library import LibraryQuery, Param

INTEGER = re.compile(r"-?[0-9]+")
#: Oxigraph's xsd:integer is a signed 64-bit number: a value outside it is silently left
#: unbound there while rdflib's store computes with it, so both refuse it.
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1


def resolve_params(
    graph: Graph,
    raw: dict[str, str],
    query: LibraryQuery | None = None,
    find: NameFinder | None = None,
) -> dict[str, Identifier]:
    """Turn `key=value` strings (plus the header's defaults) into RDF terms.

    Names are looked up in `graph`, or by `find` (a remote endpoint's lookup) if given.
    """
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
        check_name(name)
        kind = declared[name].type if name in declared else guess_type(value)
        terms[name] = term(graph, name, value, kind, find)
    return terms


def check_name(name: str) -> None:
    """A parameter binds a SPARQL variable, so its name must be one (no `?`, no spaces)."""
    try:
        ox.Variable(name)
    except ValueError:
        raise QueryError(
            f"parameter {name!r}: not a SPARQL variable name (letters, digits and _, without ?)"
        ) from None


def guess_type(value: str) -> str:
    """Ad-hoc parameters: `<...>` and our prefixed names are IRIs, digits integers."""
    if spelled_iri(value) is not None and not value.startswith(("http://", "https://")):
        return "iri"
    if INTEGER.fullmatch(value):
        return "integer"
    return "string"


def integer(name: str, value: str) -> int:
    """An integer parameter's value, within the range both stores hold."""
    if not INTEGER.fullmatch(value):
        raise QueryError(f"parameter {name!r} must be an integer, got {value!r}")
    digits = value.lstrip("-").lstrip("0")
    if len(digits) > len(str(INTEGER_MAX)) or not INTEGER_MIN <= int(value) <= INTEGER_MAX:
        shown = value if len(value) <= 30 else f"{value[:30]}... ({len(value)} characters)"
        raise QueryError(
            f"parameter {name!r}: {shown} is outside the 64-bit integers the stores hold "
            f"({INTEGER_MIN} to {INTEGER_MAX})"
        )
    return int(value)


def term(
    graph: Graph, name: str, value: str, kind: str, find: NameFinder | None = None
) -> Identifier:
    """One parameter's value as an RDF term of its declared `kind`."""
    if kind == "integer":
        return Literal(integer(name, value))
    if kind == "string":
        return Literal(value)
    return resolve_name(graph, value, what=f"parameter {name!r}", find=find)
