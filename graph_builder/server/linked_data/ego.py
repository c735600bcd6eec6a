"""The small network around an entity, drawn by the explorer's own code.

The page's graph (the entity, its facts and what they link) goes through the same
steps as `hospital-kg viz --focus`: entity_network, ego_view, assemble; the page's
script hands the nodes, edges and options to the vendored vis-network.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef

from graph_builder.network.entities import Labels, entity_network, node_id
from graph_builder.network.explorer import assemble, script_json
from graph_builder.network.view_selection import ego_view
from graph_builder.rdf.vocabulary import Vocabulary

from .paths import Resolver

#: Most nodes the page draws.
MAX_NODES = 60


def ego_network(
    graph: Graph, entity: URIRef, vocabulary: Vocabulary, resolver: Resolver, lang: str = "zh"
) -> str | None:
    """The network one step around `entity` as JSON for a <script> block, or None when
    the entity is not a node of the network (a fact, a report, a concept)."""
    net = entity_network(graph, vocabulary)
    focus = node_id(entity)
    if focus not in net or net.degree(focus) == 0:
        return None
    view = ego_view(net, focus, 1, MAX_NODES)
    drawn = assemble(view, Labels(graph, vocabulary), lang)
    hrefs = {
        node: resolver.href(str(view.graph.nodes[node]["iri"]))
        for node in view.graph
        if isinstance(view.graph.nodes[node].get("iri"), URIRef)
    }
    nodes: list[dict[str, Any]] = [
        {k: v for k, v in n.items() if k in KEEP_NODE} for n in drawn.nodes
    ]
    edges: list[dict[str, Any]] = [
        {k: v for k, v in e.items() if k in KEEP_EDGE} for e in drawn.edges
    ]
    data = {"nodes": nodes, "edges": edges, "options": drawn.options, "focus": focus}
    data["hrefs"] = hrefs
    return script_json(data)


#: What vis-network draws of a node or an edge (the explorer's hover data stays behind).
KEEP_NODE = {"id", "label", "shape", "color", "value", "x", "y", "font", "scaling"}
KEEP_EDGE = {"id", "from", "to"}
