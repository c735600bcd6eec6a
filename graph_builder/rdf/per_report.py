"""The graph as a dataset with one named graph per report: what each source says.

`export --graph-per-report` writes it (N-Quads or TriG). A report's graph, named by
the report's IRI, holds what was quoted from it: its evidence (`hkg:Evidence`, the
quote and offsets), the facts derived from that evidence with the links to and from
them (`hkg:hasConferral` ...), and the links from entities to that evidence. Everything
else (entities, places, the reports' own descriptions, the curator's assertions, the
ontology) stays in the default graph. A fact quoted in two reports is in both graphs,
each with its own evidence; the union of all graphs is the graph.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from graph_builder.rdf.namespaces import HKG, bind_prefixes


def reports_of(graph: Graph) -> dict[Node, frozenset[URIRef]]:
    """The reports each evidence node and each fact is quoted from."""
    sources: dict[Node, frozenset[URIRef]] = {}
    for evidence in graph.subjects(RDF.type, HKG.Evidence):
        reports = frozenset(
            r for r in graph.objects(evidence, PROV.wasQuotedFrom) if isinstance(r, URIRef)
        )
        if reports:
            sources[evidence] = reports
    for fact in graph.subjects(RDF.type, HKG.Fact):
        reports = frozenset(
            r for e in graph.objects(fact, PROV.wasDerivedFrom) for r in sources.get(e, ())
        )
        if reports:
            sources[fact] = reports
    return sources


def split_by_report(graph: Graph) -> tuple[Graph, dict[URIRef, Graph]]:
    """The default graph and one graph per report (see the module docstring)."""
    sources = reports_of(graph)
    evidence = set(graph.subjects(RDF.type, HKG.Evidence))
    default = _graph()
    named: dict[URIRef, Graph] = {}
    for triple in graph:
        subject, _, obj = triple
        if obj in evidence:  # a link to a quote belongs with the quote's report
            reports = sources.get(obj, frozenset())
        else:
            reports = sources.get(subject) or sources.get(obj) or frozenset()
        if not reports:
            default.add(triple)
        for report in reports:
            named.setdefault(report, _graph()).add(triple)
    return default, named


def _graph() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    return graph
