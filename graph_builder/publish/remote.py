"""Queries against any SPARQL 1.1 endpoint, answered as a local query would be.

The query is checked as a local one is (policy.py: no update, no SERVICE, not too
deep), then sent as an HTML form POST (`query=`, and `default-graph-uri=` for
`--graph`) with our prefixes declared in front of it. Parameters are RDF terms
(parameters.py) written into a `VALUES` block at the start of the query's WHERE
clause, in N-Triples syntax made by Oxigraph from the terms: the user's text never
reaches the query. The prefixes and the block go on lines the query already has,
so a server's "line N" still points at the query's own line N. SELECT and ASK
answers are read as SPARQL JSON, CONSTRUCT and DESCRIBE ones as the RDF syntax the
server picked from the format table, all by rdflib, into the same `QueryResult` a
local query gives, so the output code is the same.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

import httpx
import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from graph_builder.errors import UsageError
from graph_builder.publish.connection import Connection, RemoteError, quoted
from graph_builder.rdf.formats import format_named
from graph_builder.rdf.namespaces import PREFIXES, bind_prefixes
from graph_builder.sparql.execute import (
    NATIVE_PREFIXES,
    QueryError,
    QueryResult,
    QuerySyntaxError,
)
from graph_builder.sparql.lexer import (
    MAX_DEPTH,
    QUERY_FORMS,
    tokens,
)
from graph_builder.sparql.names import EXACT, PARTIAL
from graph_builder.sparql.oxigraph_direct import to_ox
from graph_builder.sparql.oxigraph_errors import syntax_position
from graph_builder.sparql.policy import check_query
from graph_builder.sparql.values import bind_values

RESULTS_JSON = "application/sparql-results+json"
#: CONSTRUCT and DESCRIBE: Turtle first (every server has it), then N-Triples, RDF/XML.
GRAPH_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"
ENDPOINT_HINT = (
    "is it the SPARQL endpoint (oxigraph: http://HOST:PORT/query, Virtuoso: .../sparql)?"
)


def display_graph() -> Graph:
    """An empty graph with our prefixes, to show remote terms as local ones are shown."""
    graph = Graph()
    bind_prefixes(graph)
    return graph


def with_prefixes(text: str) -> str:
    """`text` with PREFIX declarations for our prefixes it does not declare itself, all
    on its first line (so the query's line numbers stay the server's line numbers)."""
    declared = set()
    for word, name in pairwise(tokens(text)):
        if word.kind == "word" and word.text.upper() == "PREFIX" and name.kind == "pname":
            declared.add(name.text.split(":", 1)[0])
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return " ".join(missing) + (" " if missing else "") + text


@dataclass
class Endpoint:
    """A SPARQL 1.1 query endpoint, and the graph to query (`default-graph-uri`) if any."""

    url: str
    connection: Connection
    graph: str | None = None

    def send(self, text: str, accept: str) -> httpx.Response:
        form = {"query": text}
        if self.graph is not None:
            form["default-graph-uri"] = self.graph
        return self.connection.request(
            "POST", self.url, data=form, headers={"Accept": accept}, not_found=ENDPOINT_HINT
        )

    def query(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        source: str = "query",
        max_depth: int = MAX_DEPTH,
    ) -> QueryResult:
        """Run `text` there with our prefixes and `bindings`; the answer as a local one."""
        shape = check_query(text, max_depth, source)
        if shape.form not in QUERY_FORMS:
            raise QueryError(f"{source}: not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        sent = with_prefixes(bind_values(text, bindings or {}, source))
        graph_form = shape.form in ("CONSTRUCT", "DESCRIBE")
        try:
            response = self.send(sent, GRAPH_ACCEPT if graph_form else RESULTS_JSON)
        except RemoteError as exc:
            if exc.status == 400:
                syntax_check(text, source)
                raise QueryError(f"{source}: the endpoint refused the query: {exc}") from None
            raise
        if graph_form:
            return QueryResult("graph", [], [], graph=self.parse_graph(response))
        result = self.parse_results(response)
        if shape.form == "ASK" and result.kind == "select":
            return ask_from_rows(result)
        return result

    def parse_results(self, response: httpx.Response) -> QueryResult:
        """A SPARQL JSON answer as SELECT rows or an ASK boolean."""
        try:
            result = Result.parse(io.BytesIO(response.content), format="json")
        except Exception as exc:
            kind = response.headers.get("content-type", "no Content-Type")
            raise RemoteError(
                f"{self.url}: the answer is not SPARQL JSON results ({kind}): {quoted(str(exc))}"
            ) from None
        if result.type == "ASK":
            return QueryResult("ask", [], [], boolean=bool(result.askAnswer))
        variables = [Variable(v) for v in result.vars or []]
        rows: list[tuple[Node | None, ...]] = [
            tuple(binding.get(v) for v in variables) for binding in result.bindings
        ]
        return QueryResult("select", [str(v) for v in variables], rows)

    def parse_graph(self, response: httpx.Response) -> Graph:
        """A CONSTRUCT/DESCRIBE answer, in the syntax its Content-Type names."""
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        parsed = Graph()
        try:
            fmt = format_named("nt" if media == "text/plain" else media)
            parsed.parse(data=response.content, format=fmt.rdflib_parser)
        except Exception as exc:
            raise RemoteError(
                f"{self.url}: cannot read the answer as RDF ({media or 'no Content-Type'}): "
                f"{quoted(str(exc))}"
            ) from None
        graph = display_graph()  # our prefixes, not the ones the server wrote (ns1: ...)
        for triple in parsed:
            graph.add(triple)
        return graph

    def names(self, text: str) -> list[URIRef]:
        """What `text` names on the endpoint: exact names and ids, else names containing it
        (the lookups `--param` makes locally, names.py)."""
        for lookup in (EXACT, PARTIAL):
            result = self.query(lookup, {"name": Literal(text)}, source="name lookup")
            found = sorted({row[0] for row in result.rows if isinstance(row[0], URIRef)})
            if found:
                return found
        return []

    def triple_count(self, graph: str | None) -> int:
        """How many triples the server holds in `graph` (None: the default graph)."""
        pattern = "?s ?p ?o" if graph is None else f"GRAPH {to_ox(URIRef(graph))} {{ ?s ?p ?o }}"
        response = self.send(f"SELECT (COUNT(*) AS ?triples) WHERE {{ {pattern} }}", RESULTS_JSON)
        result = self.parse_results(response)
        try:
            value = result.rows[0][0]
            return int(str(value))
        except (IndexError, ValueError, TypeError):
            raise RemoteError(
                f"{self.url}: the triple count came back as {result.rows!r}"
            ) from None


def ask_from_rows(result: QueryResult) -> QueryResult:
    """An ASK answered as one row of one value (Virtuoso 7.2's `__ASK_RETVAL` = 1 or 0)."""
    values = [str(row[0]) for row in result.rows if row and row[0] is not None]
    boolean = bool(values) and values[0].lower() not in ("0", "false")
    return QueryResult("ask", [], [], boolean=boolean)


def syntax_check(text: str, source: str) -> None:
    """A query the server refused, parsed here: a syntax error then gets the line and
    column of the query as written, as it would locally; one the server alone refuses
    (another dialect) passes."""
    try:
        ox.Store().query(text, prefixes=NATIVE_PREFIXES)  # an empty store: nothing to evaluate
    except SyntaxError as exc:
        position = syntax_position(str(exc))
        if position is not None:
            raise QuerySyntaxError(source, *position) from None
    except Exception:  # not a syntax error: the server's message stands
        pass


def query_endpoint_for(store_url: str) -> str:
    """The SPARQL endpoint beside a Graph Store: oxigraph's /store -> /query, Virtuoso's
    /sparql-graph-crud-auth (or /sparql-graph-crud) -> /sparql."""
    url = httpx.URL(store_url)
    path = url.path.rstrip("/")
    for store, query in (
        ("/store", "/query"),
        ("/sparql-graph-crud-auth", "/sparql"),
        ("/sparql-graph-crud", "/sparql"),
    ):
        if path.endswith(store):
            return str(url.copy_with(path=path[: -len(store)] + query, query=None))
    raise UsageError(
        f"cannot tell the SPARQL query endpoint of {store_url} (known: oxigraph .../store, "
        "Virtuoso .../sparql-graph-crud-auth); give it with --query-endpoint"
    )
