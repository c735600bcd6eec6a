"""Parameter values for the library queries on the synthetic graph, chosen from the graph.

Library defaults name entities of the founding reports (inst:changzhi-mch,
fact:changzhi-caae-epilepsy-centre), which the synthetic graph does not hold; a
selective query timed on an absent IRI would measure an empty lookup. So a
default that is absent is replaced by a typical entity of its most specific class
(the median by number of statements, ties broken by IRI): deterministic for a
given graph, and neither the emptiest nor the busiest hospital.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph_builder.rdf.namespaces import display
from graph_builder.sparql.execute import run_query
from graph_builder.sparql.parameters import resolve_params
from graph_builder.sparql.query_library import LibraryQuery


@dataclass
class Chosen:
    """The bindings to time a query with, and a note for each value that was replaced."""

    bindings: dict[str, Node]
    notes: list[str]


def choose(query: LibraryQuery, graph: Graph, seed: Graph) -> Chosen:
    """Defaults that exist in `graph` as they are; absent IRIs replaced by typical peers.

    `seed` is the graph the defaults were written for (the founding reports), where
    their classes are looked up. Parameters without a default stay unbound, as a
    user running the query for all hospitals leaves them.
    """
    bindings = resolve_params(seed, {}, query)
    notes = []
    for name, value in bindings.items():
        if not isinstance(value, URIRef) or _exists(graph, value):
            continue
        peer, cls = _typical_peer(graph, seed, value)
        bindings[name] = peer
        notes.append(
            f"{query.name}: {name}={display(graph, peer)} (a typical {display(graph, cls)}; "
            f"the default {display(graph, value)} is not in this graph)"
        )
    return Chosen(bindings, notes)


def _exists(graph: Graph, iri: URIRef) -> bool:
    return next(iter(graph.triples((iri, None, None))), None) is not None


def _typical_peer(graph: Graph, seed: Graph, iri: URIRef) -> tuple[URIRef, URIRef]:
    classes = sorted(set(seed.objects(iri, RDF.type)), key=str)
    counted = [
        (_count(graph, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{c}> }}"), c) for c in classes
    ]
    populated = sorted((n, str(c), c) for n, c in counted if n > 0)
    if not populated:
        raise LookupError(f"no instance of any class of {iri} in the graph")
    cls = populated[0][2]  # the most specific class: the one with fewest instances
    rows = run_query(
        graph, f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ ?s a <{cls}> ; ?p ?o }} GROUP BY ?s"
    ).rows
    ranked = sorted((int(n), str(s), s) for s, n in rows)  # type: ignore[arg-type]
    return ranked[len(ranked) // 2][2], cls


def _count(graph: Graph, text: str) -> int:
    return int(run_query(graph, text).rows[0][0])  # type: ignore[arg-type]
