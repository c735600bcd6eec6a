"""Running SPARQL on either store: predeclared prefixes, bound parameters, uniform errors.

Parameters arrive as RDF terms (parameters.py) and are never pasted into the
query text, so a value cannot change the query's meaning. On Oxigraph a SELECT
gets them as a VALUES block written from the terms at the start of its WHERE
clause (values.py): Oxigraph plans that block knowing its values, and a SEP-0007
substitution without them (`paths-between` at a million triples: 4 ms against
110 ms). Where a block cannot say the same (other query forms, `SELECT *`, blank
nodes, a parameter the SELECT clause does not list, or a block the query does not
parse with), or says it later (a parameter inside MINUS, unless the library marks it
`inline`), the terms go in as a substitution; on rdflib's memory store, as
initBindings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Variable
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from graph_builder.rdf.namespaces import PREFIXES, display
from graph_builder.sparql import oxigraph_direct
from graph_builder.sparql.lexer import MAX_DEPTH, profile
from graph_builder.sparql.oxigraph_errors import syntax_position
from graph_builder.sparql.policy import QueryError, QueryTooDeep, check_query
from graph_builder.sparql.query_library import inline_params
from graph_builder.sparql.values import bind_values, bound_in_minus, selects_all

__all__ = ["QueryError", "QueryResult", "QuerySyntaxError", "run_query"]

NATIVE_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


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
    bindings: dict[str, Identifier] | None = None,
    source: str = "query",
    max_depth: int = MAX_DEPTH,
) -> QueryResult:
    """Run any SPARQL query form on `graph` with our prefixes predeclared.

    The query is checked first (policy.py): no update, no SERVICE, nesting within
    `max_depth`. On the Oxigraph store it then goes to pyoxigraph directly (see
    oxigraph_direct.py); on any other store, through rdflib's `Graph.query`.
    """
    check_query(text, max_depth, source)
    try:
        if oxigraph_direct.native_store(graph) is not None:
            return _run_native(graph, text, bindings or {}, source)
        return _run_rdflib(graph, text, bindings or {})
    except SyntaxError as exc:  # Oxigraph: "error at LINE:COL: message"
        position = syntax_position(str(exc))
        if position is not None:
            raise QuerySyntaxError(source, *position) from None
        raise QuerySyntaxError(source, None, None, str(exc)) from None
    except RecursionError:  # rdflib's parser and evaluator recurse per nesting level
        raise QueryTooDeep(
            f"{source}: the query is nested too deep for the memory store; "
            "use the Oxigraph store (--store oxigraph)"
        ) from None
    except Exception as exc:
        # rdflib's parser (pyparsing) reports lineno/col; unknown prefixes are plain Exceptions.
        if hasattr(exc, "lineno") and hasattr(exc, "col") and hasattr(exc, "msg"):
            raise QuerySyntaxError(source, exc.lineno, exc.col, exc.msg) from None
        if "Unknown namespace prefix" in str(exc):
            raise QuerySyntaxError(source, None, None, str(exc)) from None
        raise


def values_text(text: str, bindings: Mapping[str, Node], source: str) -> str | None:
    """`text` with its parameters in a VALUES block (and written in where the library
    marks them inline); None where a block will not do and a substitution must bind."""
    if any(isinstance(value, BNode) for value in bindings.values()) or selects_all(text):
        return None  # VALUES holds no blank nodes; `*` would list the block's variables first
    if bound_in_minus(text, set(bindings) - inline_params(text)):
        return None  # a substitution reaches into MINUS, a VALUES block does not
    try:
        return bind_values(text, bindings, source)
    except QueryError:  # no WHERE clause to bind in
        return None


def native_values(
    graph: Graph, text: str, bindings: Mapping[str, Node], source: str
) -> ox.QuerySolutions | None:
    """A SELECT's answer with its parameters bound by values_text; None for another form,
    or where a block will not do (and a substitution says why, if it cannot bind either)."""
    if profile(text).form != "SELECT":
        return None
    bound = values_text(text, bindings, source)
    if bound is None:
        return None
    try:
        result = oxigraph_direct.query(graph, bound, NATIVE_PREFIXES, {})
    except SyntaxError:  # a BIND to a parameter ...
        return None
    assert isinstance(result, ox.QuerySolutions)
    if not set(bindings) <= {v.value for v in result.variables}:
        return None  # substitution says which and why
    return result


def oxigraph_answer(
    graph: Graph, text: str, bindings: Mapping[str, Node], source: str
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """The query on the graph's pyoxigraph store, as pyoxigraph answers it; a syntax error
    is a QuerySyntaxError at its line and column, and a binding Oxigraph cannot apply
    (raised before evaluation) one QueryError naming it."""
    try:
        return oxigraph_direct.query(graph, text, NATIVE_PREFIXES, dict(bindings))
    except SyntaxError as exc:
        position = syntax_position(str(exc))
        if position is not None:
            raise QuerySyntaxError(source, *position) from None
        raise QuerySyntaxError(source, None, None, str(exc)) from None
    except RuntimeError as exc:
        if not bindings:
            raise
        names = ", ".join(f"?{name}" for name in sorted(bindings))
        raise QueryError(
            f"{source}: cannot bind {names}: {' '.join(str(exc).split())} "
            "(Oxigraph binds parameters only to variables the SELECT clause lists)"
        ) from None


def native_answer(
    graph: Graph, text: str, bindings: Mapping[str, Node], source: str
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """The query on the graph's pyoxigraph store, its parameters in a VALUES block where
    one will do (Oxigraph plans it knowing the values) and substituted otherwise."""
    if bindings:
        answer = native_values(graph, text, bindings, source)
        if answer is not None:
            return answer
    return oxigraph_answer(graph, text, bindings, source)


def _run_native(
    graph: Graph, text: str, bindings: dict[str, Identifier], source: str
) -> QueryResult:
    result = native_answer(graph, text, bindings, source)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", [], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return QueryResult("select", variables, oxigraph_direct.convert_rows(result))
    # a CONSTRUCT/DESCRIBE answer: every row is a whole (subject, predicate, object)
    triples = cast(list[tuple[Node, Node, Node]], oxigraph_direct.convert_rows(result))
    return QueryResult("graph", [], [], graph=_graph_like(graph, triples))


def _run_rdflib(graph: Graph, text: str, bindings: dict[str, Identifier]) -> QueryResult:
    init_bindings: dict[str, Identifier] = {Variable(k): v for k, v in bindings.items()}
    result = graph.query(text, initNs=dict(PREFIXES), initBindings=init_bindings)
    kind = result.type.lower()
    if kind == "select":
        variables = [str(v) for v in result.vars or []]
        # a SELECT result iterates its rows
        return QueryResult("select", variables, [tuple(cast(ResultRow, row)) for row in result])
    if kind == "ask":
        return QueryResult("ask", [], [], boolean=bool(result.askAnswer))
    # a CONSTRUCT/DESCRIBE result iterates the triples of its graph
    return QueryResult(
        "graph", [], [], graph=_graph_like(graph, cast(Iterable[tuple[Node, Node, Node]], result))
    )


def _graph_like(graph: Graph, triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """A CONSTRUCT/DESCRIBE result: a new graph with the source graph's prefixes."""
    constructed = Graph()
    for prefix, namespace in graph.namespaces():
        constructed.bind(prefix, namespace)
    for triple in triples:
        constructed.add(triple)
    return constructed
