"""Oxigraph without the rdflib round trip: bulk loading and querying pyoxigraph directly.

oxrdflib keeps the rdflib API but pays for it on every term: a transactional load,
and `Graph.query` turns each result cell into an rdflib term through rdflib's
`Literal` constructor and a `ResultRow` (about half the time of the 10,450-row
national-designations query at national scale). Here the same
`pyoxigraph.Store` that backs the rdflib `Graph` is loaded with `bulk_load` and
queried directly, and each distinct result term is converted once per query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from oxrdflib.store import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from graph_builder.rdf.formats import RdfFormat

XSD_STRING = str(XSD.string)

Row = tuple[Node | None, ...]


def native_store(graph: Graph) -> ox.Store | None:
    """The pyoxigraph store under an Oxigraph-backed graph, else None."""
    store = graph.store
    return store._inner if isinstance(store, OxigraphStore) else None


def graph_name(graph: Graph) -> ox.DefaultGraph | ox.NamedNode | ox.BlankNode:
    """Where this rdflib graph's triples live in the pyoxigraph store."""
    identifier = graph.identifier
    if identifier == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    if isinstance(identifier, BNode):
        return ox.BlankNode(str(identifier))
    return ox.NamedNode(str(identifier))


def bulk_load(graph: Graph, path: Path, fmt: RdfFormat) -> None:
    """Parse an RDF file straight into the Oxigraph store (no rdflib terms made).

    The quads of a dataset file (N-Quads, TriG) all go into this graph: every graph
    of the file, the default and the named ones, read as one."""
    store = native_store(graph)
    if store is None:
        raise TypeError("bulk_load needs a graph on the Oxigraph store")
    ox_format = getattr(ox.RdfFormat, fmt.oxigraph)
    target = graph_name(graph)
    if fmt.dataset:
        quads = ox.parse(path=str(path), format=ox_format)
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)
        return
    store.bulk_load(path=str(path), format=ox_format, to_graph=target)


def triple_count(graph: Graph) -> int:
    """len(graph), without oxrdflib's COUNT(DISTINCT ...) query (seconds at 1M triples)."""
    store = native_store(graph)
    if (
        store is not None
        and isinstance(graph_name(graph), ox.DefaultGraph)
        and next(iter(store.named_graphs()), None) is None
    ):
        return len(store)
    return len(graph)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (for query substitutions)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    raise TypeError(f"cannot bind {term!r} in a query")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as an rdflib term; xsd:string literals stay plain, as rdflib has them."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=datatype)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unsupported result term {term!r}")


def convert_rows(solutions: Iterable[ox.QuerySolution]) -> list[Row]:
    """Rows of rdflib terms; each distinct term is converted once (names repeat a lot)."""
    cache: dict[object, Node | None] = {None: None}
    rows: list[Row] = []
    for solution in solutions:
        row = []
        for term in solution:
            try:
                node = cache[term]
            except KeyError:
                node = cache[term] = to_rdflib(term)
            row.append(node)
        rows.append(tuple(row))
    return rows


def query(
    graph: Graph,
    text: str,
    prefixes: Mapping[str, str],
    bindings: Mapping[str, Node],
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run SPARQL on the graph's pyoxigraph store, bindings as SEP-0007 substitutions."""
    store = native_store(graph)
    if store is None:
        raise TypeError("native query needs a graph on the Oxigraph store")
    return store.query(
        text,
        prefixes=dict(prefixes),
        default_graph=graph_name(graph),
        substitutions={ox.Variable(k): to_ox(v) for k, v in bindings.items()},
    )
