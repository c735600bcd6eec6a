"""Network analytics over the institution network, with networkx.

The institution network is the part of the graph that says who works with
whom: institutions and alliances, linked when a tie (alliance membership or
partnership) joins them. Designations, people and places are left out: they
are attributes, not partners. Each function takes and returns plain data so a
notebook can use them one by one; `report` puts them into table sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_builder.network.attributes import edge_values, node_values

#: Above this many nodes betweenness is estimated from this many sampled sources.
BETWEENNESS_SAMPLES = 500
SEED = 0

Section = tuple[str, list[str], list[list[Any]]]

#: Section keys for `--section`, in report order.
SECTIONS = ("summary", "institutions", "shared", "bridges", "communities")


def institution_network(net: nx.MultiDiGraph) -> nx.Graph:
    """Undirected graph of the organisations that ties join; `weight` = number of ties."""
    graph: nx.Graph[str] = nx.Graph()
    for source, target, relation in edge_values(net, "relation"):
        if relation != "tie" or source == target:
            continue
        for node in (source, target):
            if node not in graph:
                data = net.nodes[node]
                graph.add_node(
                    node,
                    kind=data.get("kind", ""),
                    label_zh=data.get("label_zh", node),
                    label_en=data.get("label_en", ""),
                )
        if graph.has_edge(source, target):
            graph[source][target]["weight"] += 1
        else:
            graph.add_edge(source, target, weight=1)
    return graph


@dataclass
class Analysis:
    graph: nx.Graph
    degree_centrality: dict[str, float]
    betweenness: dict[str, float]
    betweenness_samples: int | None  # None: exact
    communities: list[list[str]]
    articulation_points: set[str]
    bridges: list[tuple[str, str]]
    shared: dict[str, list[str]] = field(default_factory=dict)

    @property
    def community_of(self) -> dict[str, int]:
        return {n: i for i, members in enumerate(self.communities, 1) for n in members}


def analyze(graph: nx.Graph, samples: int = BETWEENNESS_SAMPLES, seed: int = SEED) -> Analysis:
    """Centralities, communities, cut points and shared partners of `graph`.

    Betweenness is exact up to `samples` nodes and estimated from `samples`
    seeded random sources above that (exact is O(nodes x edges)). Communities
    are Louvain with a fixed seed, so the same graph gives the same groups.
    """
    k = samples if graph.number_of_nodes() > samples else None
    betweenness = nx.betweenness_centrality(graph, k=k, seed=seed if k else None)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    degree = nx.degree_centrality(graph) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    return Analysis(
        graph=graph,
        degree_centrality=degree,
        betweenness=betweenness,
        betweenness_samples=k,
        communities=ordered,
        articulation_points=set(nx.articulation_points(graph)),
        bridges=sorted(tuple(sorted(edge)) for edge in nx.bridges(graph)),
        shared=shared_institutions(graph),
    )


def shared_institutions(graph: nx.Graph, at_least: int = 2) -> dict[str, list[str]]:
    """Non-hospital organisations tied to `at_least` hospitals -> those hospitals."""
    shared = {}
    for node, kind in node_values(graph, "kind"):
        if kind == "hospital":
            continue
        hospitals = sorted(n for n in graph[node] if graph.nodes[n].get("kind") == "hospital")
        if len(hospitals) >= at_least:
            shared[node] = hospitals
    return shared


INSTITUTION_COLUMNS = [
    "node",
    "name",
    "name_en",
    "kind",
    "degree",
    "degree_centrality",
    "betweenness",
    "community",
    "articulation_point",
    "hospitals",
]


def report(analysis: Analysis, top: int | None = None, names: int | None = None) -> list[Section]:
    """Table sections: summary, institutions, shared, bridges, communities.

    `top` limits the rows of each list and `names` the hospital names listed
    per shared organisation (None: all).
    """
    institutions = institution_rows(analysis)
    shared = shared_rows(analysis, names)
    bridges = bridge_rows(analysis)
    communities = community_rows(analysis)

    def cut(rows: list[list[Any]]) -> list[list[Any]]:
        return rows if top is None else rows[:top]

    return [
        ("Summary", ["measure", "value"], summary_rows(analysis, len(shared), bridges)),
        ("Institutions by betweenness", INSTITUTION_COLUMNS, cut(institutions)),
        (
            "Shared by several hospitals",
            ["node", "name", "name_en", "kind", "hospitals", "hospital_names"],
            cut(shared),
        ),
        ("Bridges", ["source", "source_name", "target", "target_name", "leaf"], cut(bridges)),
        ("Communities", ["community", "size", "hospitals", "largest_members"], cut(communities)),
    ]


def _name(g: nx.Graph, node: str) -> str:
    label: str = g.nodes[node].get("label_zh", node)
    return label


def _name_en(g: nx.Graph, node: str) -> str:
    label: str = g.nodes[node].get("label_en", "")
    return label


def _is_hospital(g: nx.Graph, node: str) -> bool:
    return bool(g.nodes[node].get("kind") == "hospital")


def institution_rows(analysis: Analysis) -> list[list[Any]]:
    """Every organisation, most between first: centralities, community, cut point, hospitals."""
    g = analysis.graph
    community = analysis.community_of
    ranked = sorted(g, key=lambda n: (-analysis.betweenness[n], -g.degree(n), n))
    return [
        [
            node,
            _name(g, node),
            _name_en(g, node),
            g.nodes[node].get("kind", ""),
            g.degree(node),
            round(analysis.degree_centrality[node], 4),
            round(analysis.betweenness[node], 4),
            community[node],
            "yes" if node in analysis.articulation_points else "",
            sum(1 for n in g[node] if _is_hospital(g, n)),
        ]
        for node in ranked
    ]


def shared_rows(analysis: Analysis, names: int | None = None) -> list[list[Any]]:
    """Organisations shared by hospitals, most shared first, with up to `names` of them."""
    g = analysis.graph
    return [
        [
            node,
            _name(g, node),
            _name_en(g, node),
            g.nodes[node].get("kind", ""),
            len(hs),
            "、".join(_name(g, h) for h in hs[:names])
            + (f" … (+{len(hs) - names})" if names is not None and len(hs) > names else ""),
        ]
        for node, hs in sorted(analysis.shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


def bridge_rows(analysis: Analysis) -> list[list[Any]]:
    """Bridges, those to a leaf (an organisation with one tie) last."""
    g = analysis.graph
    return sorted(
        (
            [a, _name(g, a), b, _name(g, b), "yes" if min(g.degree(a), g.degree(b)) == 1 else ""]
            for a, b in analysis.bridges
        ),
        key=lambda row: (row[4] == "yes", row[0], row[2]),
    )


def community_rows(analysis: Analysis) -> list[list[Any]]:
    """Each community's size, hospitals and five best-connected members."""
    g = analysis.graph
    return [
        [
            i,
            len(members),
            sum(1 for m in members if _is_hospital(g, m)),
            "、".join(_name(g, m) for m in sorted(members, key=lambda m: (-g.degree(m), m))[:5]),
        ]
        for i, members in enumerate(analysis.communities, 1)
    ]


def summary_rows(analysis: Analysis, shared: int, bridges: list[list[Any]]) -> list[list[Any]]:
    g = analysis.graph
    samples = analysis.betweenness_samples
    return [
        ["organisations (nodes)", g.number_of_nodes()],
        ["ties (edges)", g.number_of_edges()],
        ["connected components", nx.number_connected_components(g) if len(g) else 0],
        ["communities (Louvain, seed 0)", len(analysis.communities)],
        ["articulation points", len(analysis.articulation_points)],
        ["bridges", len(bridges)],
        ["bridges to a leaf (an organisation with one tie)", sum(r[4] == "yes" for r in bridges)],
        ["shared by 2+ hospitals", shared],
        ["betweenness", f"estimated from {samples} sampled sources" if samples else "exact"],
    ]
