"""`query --format csv|tsv|json` and CONSTRUCT/DESCRIBE Turtle written from pyoxigraph's
answer itself, without a row of rdflib terms (issue 15, item 3).

On the Oxigraph store (the default) the query runs on pyoxigraph directly, as
`run_query` does, but its answer is not turned into rdflib rows first:

- CONSTRUCT and DESCRIBE answers go through pyoxigraph's own Turtle serializer, with
  the prefixes the answer uses (rdflib's longturtle writer sorted and re-parsed them);
  the triples are sorted so the file is the same on every run.
- SELECT rows are written as display text, the same bytes as before: IRIs shortened
  with the graph's prefixes (`inst:x`), literals as their text. That text is not a
  W3C results format (which pyoxigraph's result serializers write, and the endpoint
  serves), so the cells are made here from pyoxigraph's terms; each distinct term is
  turned into text once. IRIs with a plain local name are shortened here with the
  graph's prefixes; other IRIs and typed non-string literals ask rdflib, once per
  distinct term, for the text it always printed (its normalised lexical forms), so
  the output stays byte-identical.

The table view, the memory store, `--endpoint` and the Python API keep rdflib terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph_builder.cli.output import format_result, render, write_turtle
from graph_builder.rdf.namespaces import display
from graph_builder.sparql import oxigraph_direct
from graph_builder.sparql.execute import (
    QueryResult,
    native_answer,
)
from graph_builder.sparql.lexer import MAX_DEPTH
from graph_builder.sparql.policy import check_query

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass
class Written:
    """The text to print or write, and what the `--output` line says of it."""

    text: str
    summary: str  # "12 rows", "ask", "graph"


def native_query(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Node],
    source: str = "query",
    max_depth: int = MAX_DEPTH,
) -> Answer | None:
    """The query's answer as pyoxigraph gives it, or None when the graph is not on the
    Oxigraph store. Checked and reported as `run_query` does (same errors, same words)."""
    if oxigraph_direct.native_store(graph) is None:
        return None
    check_query(text, max_depth, source)
    return native_answer(graph, text, bindings, source)


#: Characters of a local name the fast path shortens: rdflib's split_uri reads them as
#: name characters, so the name starts after the last character not among them.
LOCAL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
#: Where rdflib's split_uri cuts a namespace off (none is a name character to it).
DELIMITERS = frozenset("/#:?=&")
XMLNS = "http://www.w3.org/XML/1998/namespace"


class Cells:
    """Display text of pyoxigraph terms, each distinct term worked out once.

    IRIs are shortened as rdflib's `normalizeUri` does (`display`), which costs about
    250 µs an IRI on the Oxigraph store (a split by Unicode category, two prefix
    look-ups in oxrdflib): for a plain local name after `/`, `#`, `:` ... the prefix
    is looked up here, once per namespace; any other IRI still asks rdflib."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.known: dict[object, str | None] = {None: None}
        self.bound = [str(ns) for _, ns in graph.namespaces()]
        self.prefixes: dict[str, str | None] = {}
        self.longer: dict[str, list[str]] = {}

    def text(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
        if term in self.known:
            return self.known[term]
        if isinstance(term, ox.Literal) and (term.language or term.datatype.value == XSD_STRING):
            shown: str | None = term.value  # rdflib prints a string's text unchanged
        elif isinstance(term, ox.BlankNode):
            shown = term.value
        elif isinstance(term, ox.NamedNode):
            shown = self.iri(term.value)
        else:  # a typed literal: rdflib's normalised lexical form; RDF-star: refused there
            assert term is not None
            shown = display(self.graph, oxigraph_direct.to_rdflib(term))
        self.known[term] = shown
        return shown

    def iri(self, iri: str) -> str | None:
        """`display(graph, URIRef(iri))`, without rdflib where the answer is plain."""
        start = len(iri)
        while start and iri[start - 1] in LOCAL_CHARS:
            start -= 1
        local, namespace = iri[start:], iri[:start]
        plain = (
            local
            and (local[0].isalpha() or local[0] == "_")
            and namespace[-1:] in DELIMITERS
            and not iri.startswith(XMLNS)
        )
        if not plain or any(iri.startswith(ns) for ns in self._longer(namespace)):
            return display(self.graph, URIRef(iri))
        prefix = self._prefix(namespace)
        return f"<{iri}>" if prefix is None else f"{prefix}:{local}"

    def _prefix(self, namespace: str) -> str | None:
        if namespace not in self.prefixes:
            self.prefixes[namespace] = self.graph.namespace_manager.store.prefix(URIRef(namespace))
        return self.prefixes[namespace]

    def _longer(self, namespace: str) -> list[str]:
        """Bound namespaces that extend this one (rdflib would pick the longest)."""
        if namespace not in self.longer:
            self.longer[namespace] = [
                ns for ns in self.bound if ns.startswith(namespace) and ns != namespace
            ]
        return self.longer[namespace]


def write_answer(graph: Graph, answer: Answer, fmt: str) -> Written:
    """The answer as `query --format fmt` prints it; a SELECT in the table view goes
    through rdflib rows (the table is for people, and small)."""
    if isinstance(answer, ox.QueryBoolean):
        result = QueryResult("ask", [], [], boolean=bool(answer))
        return Written(format_result(graph, result, fmt), "ask")
    if isinstance(answer, ox.QueryTriples):
        prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces()}
        return Written(write_turtle(answer, prefixes), "graph")
    variables = [v.value for v in answer.variables]
    if fmt == "table":
        result = QueryResult("select", variables, oxigraph_direct.convert_rows(answer))
        return Written(format_result(graph, result, fmt), f"{len(result.rows)} rows")
    cells = Cells(graph)
    text = cells.text
    rows = [[text(term) for term in solution] for solution in answer]
    return Written(render(variables, rows, fmt), f"{len(rows)} rows")
