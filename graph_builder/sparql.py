"""Running SPARQL over the graph with the project's prefixes predeclared."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from .namespaces import PREFIXES


@dataclass
class Rows:
    headers: list[str]
    rows: list[list[str | None]]


def run_select(graph: Graph, query: str) -> Rows:
    """Run a SELECT; IRIs come back prefixed (inst:changzhi-mch), literals as text."""
    result: Result = graph.query(query, initNs=dict(PREFIXES))
    headers = [str(v) for v in result.vars or []]
    rows = [[_cell(graph, value) for value in row] for row in result]
    return Rows(headers, rows)


def _cell(graph: Graph, value) -> str | None:
    if value is None:
        return None
    if isinstance(value, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(value)
        except Exception:  # pragma: no cover - unusual IRIs
            return str(value)
    if isinstance(value, Literal):
        return str(value)
    return str(value)
