"""The SPARQL 1.1 Service Description returned by GET /sparql without a query.

It tells a client what the endpoint speaks (SPARQL 1.1 Query only, the result
and RDF formats of the negotiation table), the size of the default graph, the named
graphs (N-Quads and TriG files, or a store, hold them) with their sizes, and
the prefixes every query may use undeclared (as SHACL prefix declarations, a
vocabulary tools already read).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import cast

import pyoxigraph as ox

from .negotiation import FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
SH = "http://www.w3.org/ns/shacl#"
SIMPLE_ENTAILMENT = "http://www.w3.org/ns/entailment/Simple"


def _iri(base: str, name: str = "") -> ox.NamedNode:
    return ox.NamedNode(base + name)


def description(
    endpoint: str,
    triples: int,
    prefixes: dict[str, str],
    timeout: float,
    max_rows: int,
    named_graphs: Sequence[tuple[str, int]] = (),
    union: bool = False,
) -> Iterator[ox.Triple]:
    """`triples` is the size of the default graph; `named_graphs` the (IRI, triples) of
    the named graphs (the first 1,000); `union`: the default graph is the union of all."""
    service = ox.NamedNode(endpoint)
    dataset, graph = ox.BlankNode("dataset"), ox.BlankNode("graph")

    def t(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    yield ox.Triple(service, RDF_TYPE, _iri(SD, "Service"))
    yield t(service, SD + "endpoint", service)
    yield t(service, SD + "supportedLanguage", _iri(SD, "SPARQL11Query"))
    yield t(service, SD + "defaultEntailmentRegime", _iri(SIMPLE_ENTAILMENT))
    for fmt in FORMATS:
        yield t(service, SD + "resultFormat", _iri(fmt.iri))
    yield t(service, DCTERMS + "title", ox.Literal("hospital-kg SPARQL endpoint (read-only)"))
    yield t(
        service,
        DCTERMS + "description",
        ox.Literal(
            f"Chinese hospital accreditations and partnerships. Read-only: SPARQL Update and "
            f"SERVICE are refused. Queries stop after {timeout:g} s; answers are capped at "
            f"{max_rows:,} rows. The prefixes declared by sh:declare need no PREFIX line."
        ),
    )
    declarations = [(ox.BlankNode(f"prefix-{p}"), p, ns) for p, ns in sorted(prefixes.items())]
    for node, _, _ in declarations:
        yield t(service, SH + "declare", node)
    yield t(service, SD + "defaultDataset", dataset)
    yield ox.Triple(dataset, RDF_TYPE, _iri(SD, "Dataset"))
    yield t(dataset, SD + "defaultGraph", graph)
    yield ox.Triple(graph, RDF_TYPE, _iri(SD, "Graph"))
    yield t(graph, VOID + "triples", ox.Literal(str(triples), datatype=_iri(XSD, "integer")))
    if union:
        yield t(service, SD + "feature", _iri(SD, "UnionDefaultGraph"))
    for number, (name, size) in enumerate(named_graphs):
        named, described = ox.BlankNode(f"named-{number}"), ox.BlankNode(f"named-graph-{number}")
        yield t(dataset, SD + "namedGraph", named)
        yield ox.Triple(named, RDF_TYPE, _iri(SD, "NamedGraph"))
        yield t(named, SD + "name", ox.NamedNode(name))
        yield t(named, SD + "graph", described)
        yield ox.Triple(described, RDF_TYPE, _iri(SD, "Graph"))
        yield t(described, VOID + "triples", ox.Literal(str(size), datatype=_iri(XSD, "integer")))
    for node, prefix, namespace in declarations:
        yield t(node, SH + "prefix", ox.Literal(prefix))
        yield t(node, SH + "namespace", ox.Literal(namespace, datatype=_iri(XSD, "anyURI")))


def serialize_description(triples: list[ox.Triple], media_type: str) -> bytes:
    prefixes = {"sd": SD, "dcterms": DCTERMS, "void": VOID, "sh": SH, "xsd": XSD}
    # without an output, serialize returns the bytes
    return cast(
        bytes,
        ox.serialize(triples, format=ox.RdfFormat.from_media_type(media_type), prefixes=prefixes),
    )
