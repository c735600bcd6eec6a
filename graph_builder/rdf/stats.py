"""Counts that tell a curator what the graph holds: per class, relation and report."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from graph_builder.rdf.namespaces import HKG, display

FACT_CLASSES = (
    HKG.Conferral,
    HKG.AllianceMembership,
    HKG.Partnership,
    HKG.PostHolding,
    HKG.Event,
    HKG.Naming,
)


def _name(graph: Graph, term: Node) -> str:
    return display(graph, term) or ""


def class_counts(graph: Graph) -> list[tuple[str, int]]:
    """Instances per class (types are materialised, so superclasses count too)."""
    counts = Counter(o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))
    return sorted(((_name(graph, c), n) for c, n in counts.items()), key=lambda r: (-r[1], r[0]))


def relation_counts(graph: Graph) -> list[tuple[str, int]]:
    counts = Counter(p for p in graph.predicates(None, None))
    return sorted(((_name(graph, p), n) for p, n in counts.items()), key=lambda r: (-r[1], r[0]))


def facts_per_report(graph: Graph) -> tuple[list[str], list[list[object]]]:
    """Facts by kind (rows) and source report (columns), with totals."""
    reports = sorted({o for o in graph.objects(None, PROV.hadPrimarySource)}, key=str)
    headers = ["fact kind", *(_name(graph, r) for r in reports), "total"]
    rows: list[list[object]] = []
    counts: list[list[int]] = []
    for cls in FACT_CLASSES:
        per = [
            sum(1 for f in graph.subjects(RDF.type, cls) if (f, PROV.hadPrimarySource, r) in graph)
            for r in reports
        ]
        counts.append(per)
        rows.append([_name(graph, cls), *per, sum(per)])
    totals = [sum(per[i] for per in counts) for i in range(len(reports))]
    rows.append(["all facts", *totals, sum(totals)])
    return headers, rows
