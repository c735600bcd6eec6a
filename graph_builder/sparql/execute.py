"""Running SPARQL on either store: predeclared prefixes, parameters, uniform errors.

Parameters are passed as initial bindings (SEP-0007 substitution on Oxigraph,
initBindings on rdflib's memory store), never pasted into the query text, so a
value cannot change the query's meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Node

from graph_builder.rdf.namespaces import PREFIXES, display
from graph_builder.sparql import oxigraph_direct
from graph_builder.sparql.query_library import LibraryQuery, Param

PREFIXED = re.compile(r"^([A-Za-z][\w-]*):([\w.-]*)$")
OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
NATIVE_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


class QueryError(Exception):
    """A query that cannot run: syntax error, bad parameter. `exit_code` for the CLI."""

    exit_code = 2


class QuerySyntaxError(QueryError):
    def __init__(self, source: str, line: int | None, column: int | None, message: str) -> None:
        self.source, self.line, self.column, self.message = source, line, column, message
        where = f"{source}:{line}:{column}" if line is not None else source
        super().__init__(f"{where}: syntax error: {' '.join(message.split())}")


@dataclass
class QueryResult:
    """SELECT rows, an ASK boolean, or a CONSTRUCT/DESCRIBE graph."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str]
    rows: list[tuple[Node | None, ...]]
    boolean: bool | None = None
    graph: Graph | None = None

    def records(self, graph: Graph) -> list[dict[str, str | None]]:
        """Rows as dicts of display strings (prefixed IRIs, literal text)."""
        return [
            {var: display(graph, value) for var, value in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]


def run_query(
    graph: Graph,
    text: str,
    bindings: dict[str, Node] | None = None,
    source: str = "query",
) -> QueryResult:
    """Run any SPARQL query form on `graph` with our prefixes predeclared.

    On the Oxigraph store the query goes to pyoxigraph directly (see oxigraph_direct.py);
    on any other store, through rdflib's `Graph.query`.
    """
    try:
        if oxigraph_direct.native_store(graph) is not None:
            return _run_native(graph, text, bindings or {})
        return _run_rdflib(graph, text, bindings or {})
    except SyntaxError as exc:  # Oxigraph: "error at LINE:COL: message"
        match = OXIGRAPH_POSITION.search(str(exc))
        if match:
            raise QuerySyntaxError(
                source, int(match.group(1)), int(match.group(2)), match.group(3)
            ) from None
        raise QuerySyntaxError(source, None, None, str(exc)) from None
    except Exception as exc:
        # rdflib's parser (pyparsing) reports lineno/col; unknown prefixes are plain Exceptions.
        if hasattr(exc, "lineno") and hasattr(exc, "col") and hasattr(exc, "msg"):
            raise QuerySyntaxError(source, exc.lineno, exc.col, exc.msg) from None
        if "Unknown namespace prefix" in str(exc):
            raise QuerySyntaxError(source, None, None, str(exc)) from None
        raise


def _run_native(graph: Graph, text: str, bindings: dict[str, Node]) -> QueryResult:
    result = oxigraph_direct.query(graph, text, NATIVE_PREFIXES, bindings)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", [], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return QueryResult("select", variables, oxigraph_direct.convert_rows(result))
    return QueryResult(
        "graph", [], [], graph=_graph_like(graph, oxigraph_direct.convert_rows(result))
    )


def _run_rdflib(graph: Graph, text: str, bindings: dict[str, Node]) -> QueryResult:
    init_bindings = {Variable(k): v for k, v in bindings.items()}
    result = graph.query(text, initNs=dict(PREFIXES), initBindings=init_bindings)
    kind = result.type.lower()
    if kind == "select":
        variables = [str(v) for v in result.vars or []]
        return QueryResult("select", variables, [tuple(row) for row in result])
    if kind == "ask":
        return QueryResult("ask", [], [], boolean=bool(result.askAnswer))
    return QueryResult("graph", [], [], graph=_graph_like(graph, result))


def _graph_like(graph: Graph, triples: Iterable[tuple[Node | None, ...]]) -> Graph:
    """A CONSTRUCT/DESCRIBE result: a new graph with the source graph's prefixes."""
    constructed = Graph()
    for prefix, namespace in graph.namespaces():
        constructed.bind(prefix, namespace)
    for triple in triples:
        constructed.add(triple)
    return constructed


def resolve_params(
    graph: Graph, raw: dict[str, str], query: LibraryQuery | None = None
) -> dict[str, Node]:
    """Turn `--param key=value` strings (plus header defaults) into RDF terms."""
    declared: dict[str, Param] = {p.name: p for p in (query.params if query else [])}
    if query is not None:
        unknown = sorted(set(raw) - set(declared))
        if unknown:
            names = ", ".join(declared) or "none"
            raise QueryError(f"{query.name}: unknown parameter {unknown[0]!r} (declared: {names})")
    values = {p.name: p.default for p in declared.values() if p.default is not None}
    values.update(raw)
    terms: dict[str, Node] = {}
    for name, value in values.items():
        kind = declared[name].type if name in declared else _guess_type(value)
        terms[name] = _term(graph, name, value, kind)
    return terms


def _guess_type(value: str) -> str:
    if value.startswith("<") or (PREFIXED.match(value) and value.split(":")[0] in PREFIXES):
        return "iri"
    if re.fullmatch(r"-?\d+", value):
        return "integer"
    return "string"


def _term(graph: Graph, name: str, value: str, kind: str) -> Node:
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"parameter {name!r} must be an integer, got {value!r}")
        return Literal(int(value))
    if kind == "string":
        return Literal(value)
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    match = PREFIXED.match(value)
    if match and match.group(1) in PREFIXES:
        return PREFIXES[match.group(1)][match.group(2)]
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    return _by_label(graph, name, value)


NAME_LOOKUP = """
SELECT DISTINCT ?thing ?name WHERE {
  VALUES ?p { rdfs:label hkg:englishLabel schema:alternateName }
  ?thing ?p ?label .
  FILTER (isIRI(?thing))
  FILTER (LCASE(STR(?label)) = LCASE(?name) || STRENDS(STR(?thing), CONCAT("/", ?name)))
}"""


def _by_label(graph: Graph, name: str, value: str) -> URIRef:
    """A bare name: the one entity whose label, English label, alias or id it is.

    A SPARQL lookup rather than a Python loop, so it runs inside Oxigraph at scale.
    """
    result = run_query(graph, NAME_LOOKUP, {"name": Literal(value)}, source="name lookup")
    found = {row[0] for row in result.rows if isinstance(row[0], URIRef)}
    if len(found) == 1:
        return found.pop()
    if not found:
        raise QueryError(f"parameter {name!r}: nothing is called {value!r}")
    shown = ", ".join(sorted(display(graph, s) or "" for s in found))
    raise QueryError(f"parameter {name!r}: {value!r} names several things: {shown}")
