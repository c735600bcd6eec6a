"""GraphML and GEXF: the entity network for Gephi, Cytoscape, igraph and friends.

The same network the explorer draws (entities as nodes, facts as edges), with
plain attributes a network tool can filter and colour by: the Chinese label as
written, the English translation, the kind, the class, and for each fact edge
its relation, level, year and first evidence quote. networkx writes both
formats; output is deterministic (sorted, and GEXF's last-modified date
dropped).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from rdflib import Graph

from graph_builder.network.entities import KINDS, entity_network

#: Edge attributes copied as they are (strings), when the edge has them.
EDGE_FIELDS = (
    "relation",
    "fact",
    "fact_zh",
    "fact_en",
    "level",
    "batch",
    "status",
    "issuer_zh",
    "issuer_en",
    "year",
    "month",
    "date",
    "branded",
)


def network_for_export(graph: Graph, ontology: Graph) -> nx.MultiDiGraph:
    """The entity network with flat string/int attributes only (names of kinds and
    relations from `ontology`)."""
    net = entity_network(graph, ontology)
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in net.nodes(data=True):
        flat.add_node(
            node,
            label=data["label_zh"],
            label_en=data.get("label_en", ""),
            kind=data["kind"],
            class_zh=data.get("class_zh", ""),
            class_en=data.get("class_en", ""),
            alt_names="；".join(data.get("alt_names", ())),
            iri=str(data["iri"]),
            degree=net.degree(node),
        )
    for source, target, key, data in net.edges(keys=True, data=True):
        attrs: dict[str, str | int] = {f: str(data[f]) for f in EDGE_FIELDS if data.get(f)}
        for f in ("year", "month"):
            if f in attrs:
                attrs[f] = int(attrs[f])  # numbers, so a network tool can filter by range
        evidence = data.get("evidence") or []
        if evidence:
            attrs["quote"] = evidence[0]["quote"]
            attrs["report"] = evidence[0]["report"]
            attrs["evidence_count"] = len(evidence)
        flat.add_edge(
            source,
            target,
            key=key,
            id=key,
            label=data.get("label_zh", ""),
            label_en=data.get("label_en", ""),
            **attrs,
        )
    return flat


def _rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def graphml_bytes(net: nx.MultiDiGraph) -> bytes:
    for _, _, data in net.edges(data=True):
        data.pop("id")  # GraphML writes the edge key as the id
    out = io.BytesIO()
    nx.write_graphml(net, out, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return out.getvalue()


def gexf_bytes(net: nx.MultiDiGraph) -> bytes:
    for node, data in net.nodes(data=True):
        # Gephi reads colour and size from GEXF's viz namespace.
        colour = _rgb(KINDS[data["kind"]].colour)
        data["viz"] = {"color": colour, "size": float(net.degree(node))}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)  # today's date: not reproducible
    writer.add_graph(net)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class NetworkFormat:
    """An export format that writes the entity network rather than RDF."""

    name: str
    suffix: str
    media_type: str
    write: Callable[[nx.MultiDiGraph], bytes]

    def serialize(self, graph: Graph, ontology: Graph) -> bytes:
        return self.write(network_for_export(graph, ontology))


NETWORK_FORMATS: dict[str, NetworkFormat] = {
    fmt.name: fmt
    for fmt in (
        NetworkFormat("graphml", ".graphml", "application/graphml+xml", graphml_bytes),
        NetworkFormat("gexf", ".gexf", "application/gexf+xml", gexf_bytes),
    )
}
