"""Which part of the network to draw: everything, an ego network, or an aggregate.

A browser draws a few thousand nodes readably; the national graph has tens of
thousands. `choose_view` keeps the whole graph when it fits, an ego network
around `--focus` when one is given, and otherwise the aggregate
province -> hospitals -> national designations. Every view records what it
left out, so the page can say so.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph_builder.errors import UsageError
from graph_builder.network.attributes import edge_values, node_values
from graph_builder.network.layouts import aggregate_layout, components_layout, radial_layout

MAX_NODES = 2000

#: Above this many nodes the layout is computed here, not by the browser's physics.
PHYSICS_LIMIT = 200

#: Nodes that stand for hospitals a view could not show (aggregate view).
MORE = "more"


class FocusError(UsageError):
    """--focus names something the network does not draw."""


@dataclass
class View:
    """The nodes and edges to draw, where to put them, and what was left out.

    `positions` is None when the browser's physics should lay the graph out
    (small graphs); large views come with a precomputed, deterministic layout.
    `omitted` counts nodes left out, by kind; `notes` says why, as
    (zh, en) pairs.
    """

    graph: nx.MultiDiGraph
    mode: str  # "full" | "ego" | "aggregate"
    focus: str | None = None
    depth: int | None = None
    positions: dict[str, tuple[float, float]] | None = None
    omitted: Counter = field(default_factory=Counter)
    notes: list[tuple[str, str]] = field(default_factory=list)
    hubs: set[str] = field(default_factory=set)  # labelled even when zoomed out


def filter_kinds(net: nx.MultiDiGraph, kinds: set[str]) -> nx.MultiDiGraph:
    """Keep nodes of the given kinds (hospitals always), then drop isolated nodes."""
    keep = [n for n, kind in node_values(net, "kind") if kind in kinds or kind == "hospital"]
    sub = net.subgraph(keep).copy()
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
    return sub


def choose_view(
    net: nx.MultiDiGraph, focus: str | None = None, depth: int = 2, max_nodes: int = MAX_NODES
) -> View:
    """The whole network if it fits, else an aggregate; with `focus` (a node), its ego network."""
    if focus is not None:
        if focus not in net:
            raise FocusError(f"--focus: {focus} is not in the network drawn (see --kinds)")
        return ego_view(net, focus, depth, max_nodes)
    if net.number_of_nodes() <= max_nodes:
        view = View(net, "full")
        if net.number_of_nodes() > PHYSICS_LIMIT:
            view.positions = components_layout(net)
        return view
    return aggregate_view(net, max_nodes)


def ego_view(net: nx.MultiDiGraph, focus: str, depth: int, max_nodes: int = MAX_NODES) -> View:
    """Nodes within `depth` links of `focus`, nearest (then best-connected) first."""
    undirected = net.to_undirected(as_view=True)
    distance = nx.single_source_shortest_path_length(undirected, focus, cutoff=depth)
    ranked = sorted(distance, key=lambda n: (distance[n], -net.degree(n), n))
    kept = ranked[:max_nodes]
    view = View(net.subgraph(kept).copy(), "ego", focus=focus, depth=depth)
    dropped = ranked[max_nodes:]
    view.omitted.update(net.nodes[n]["kind"] for n in dropped)
    if dropped:
        view.notes.append(
            (
                f"距离 {depth} 步以内另有 {len(dropped):,} 个节点未显示（保留最近、连接最多的）",
                f"{len(dropped):,} more nodes within {depth} steps not shown "
                "(the nearest and best-connected are kept)",
            )
        )
    beyond = net.number_of_nodes() - len(distance)
    if beyond:
        view.omitted["beyond"] = beyond
        view.notes.append(
            (
                f"{beyond:,} 个节点距离超过 {depth} 步",
                f"{beyond:,} nodes are more than {depth} step{'s' if depth != 1 else ''} away",
            )
        )
    if len(kept) > PHYSICS_LIMIT:
        view.positions = radial_layout(view.graph, focus, {n: distance[n] for n in kept})
    return view


def national_designations(net: nx.MultiDiGraph) -> Counter:
    """Designation -> number of national-level conferrals."""
    counts: Counter = Counter()
    for _, target, data in net.edges(data=True):
        if _national(data):
            counts[target] += 1
    return counts


def _national(edge: dict) -> bool:
    return edge.get("relation") == "conferral" and edge.get("level") == "national"


def hospital_provinces(net: nx.MultiDiGraph) -> dict[str, str | None]:
    """Hospital -> the province it is in (through its city), or None."""
    province_of: dict[str, str] = {}
    for node, kind in node_values(net, "kind"):
        if kind != "place":
            continue
        parents = [t for _, t, r in edge_values(net, "relation", node) if r == "part-of"]
        province_of[node] = min(parents) if parents else node
    result: dict[str, str | None] = {}
    for node, kind in node_values(net, "kind"):
        if kind == "hospital":
            places = sorted(t for _, t, r in edge_values(net, "relation", node) if r == "location")
            result[node] = province_of.get(places[0]) if places else None
    return result


UNKNOWN_PROVINCE = "place:unknown"


def aggregate_view(net: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> View:
    """Provinces -> hospitals -> national designations, within `max_nodes`.

    When the hospitals do not all fit, each province keeps a share proportional
    to its number of hospitals (those with the most national designations
    first) and one summary node stands for the rest.
    """
    national = national_designations(net)
    province_of = hospital_provinces(net)
    by_province: dict[str, list[str]] = defaultdict(list)
    for hospital, province in province_of.items():
        by_province[province or UNKNOWN_PROVINCE].append(hospital)
    designations = sorted(national, key=lambda d: (-national[d], d))
    shown_designations = designations[: max(1, max_nodes // 5)]
    budget = max_nodes - len(by_province) - len(shown_designations)
    if sum(len(h) for h in by_province.values()) > budget:
        budget -= len(by_province)  # room for one summary node per province
    quotas = _quotas({p: len(h) for p, h in by_province.items()}, max(budget, 0))
    shown_hospitals, hidden_counts = _best_hospitals(net, by_province, quotas)
    keep = set(shown_designations)
    for province, hospitals in shown_hospitals.items():
        keep.update(hospitals)
        if province != UNKNOWN_PROVINCE:
            keep.add(province)
    view_graph = _aggregate_graph(net, province_of, keep, UNKNOWN_PROVINCE in by_province)
    _add_summaries(view_graph, hidden_counts)
    view = View(view_graph, "aggregate")
    view.hubs = {n for n, kind in node_values(view_graph, "kind") if kind == "place"}
    drawn = set(view_graph)
    view.omitted.update(kind for n, kind in node_values(net, "kind") if n not in drawn)
    view.notes = _aggregate_notes(
        sum(hidden_counts.values()), len(designations) - len(shown_designations)
    )
    summaries = {p: f"{MORE}:{p}" for p, hidden in hidden_counts.items() if hidden}
    view.positions = aggregate_layout(view_graph, shown_hospitals, shown_designations, summaries)
    return view


def _best_hospitals(
    net: nx.MultiDiGraph, by_province: dict[str, list[str]], quotas: dict[str, int]
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Each province's hospitals within its quota (most national designations first),
    and how many of its hospitals are left out."""

    def rank(hospital: str) -> tuple[int, int, str]:
        conferred = sum(1 for _, _, data in net.out_edges(hospital, data=True) if _national(data))
        return (-conferred, -net.degree(hospital), hospital)

    shown: dict[str, list[str]] = {}
    hidden: dict[str, int] = {}
    for province in sorted(by_province):
        hospitals = sorted(by_province[province], key=rank)
        shown[province] = hospitals[: quotas[province]]
        hidden[province] = len(hospitals) - quotas[province]
    return shown, hidden


def _aggregate_graph(
    net: nx.MultiDiGraph, province_of: dict[str, str | None], keep: set[str], unknown: bool
) -> nx.MultiDiGraph:
    """The kept nodes, their national conferrals, and each hospital's link to its province."""
    view_graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    view_graph.add_nodes_from((n, dict(net.nodes[n])) for n in sorted(keep))
    if unknown:
        view_graph.add_node(
            UNKNOWN_PROVINCE, kind="place", label_zh="未注明省份", label_en="province not stated"
        )
    for hospital in sorted(province_of):
        if hospital not in keep:
            continue
        for _, target, key, data in net.out_edges(hospital, keys=True, data=True):
            if target in keep and _national(data):
                view_graph.add_edge(hospital, target, key=key, **data)
        _in_province(view_graph, hospital, province_of[hospital] or UNKNOWN_PROVINCE)
    return view_graph


def _in_province(view_graph: nx.MultiDiGraph, node: str, province: str) -> None:
    view_graph.add_edge(
        node,
        province,
        key=f"{node}|in|{province}",
        relation="in-province",
        label_zh="位于",
        label_en="in",
        fact="",
    )


def _add_summaries(view_graph: nx.MultiDiGraph, hidden_counts: dict[str, int]) -> None:
    """One "N more hospitals" node in each province that could not show all of its own."""
    for province, hidden in hidden_counts.items():
        if hidden:
            more = f"{MORE}:{province}"
            name_zh = view_graph.nodes[province].get("label_zh", province)
            name_en = view_graph.nodes[province].get("label_en", "") or name_zh
            view_graph.add_node(
                more,
                kind=MORE,
                label_zh=f"另有 {hidden:,} 家医院",
                label_en=f"{hidden:,} more hospitals",
                class_zh=f"{name_zh}未显示的医院",
                class_en=f"Hospitals in {name_en} not shown",
                hidden_hospitals=hidden,
            )
            _in_province(view_graph, more, province)


def _aggregate_notes(hidden_hospitals: int, hidden_designations: int) -> list[tuple[str, str]]:
    notes = [
        (
            "汇总视图：省份 → 医院 → 国家级称号；只画出国家级授予关系",
            "Aggregate view: province -> hospitals -> national designations; "
            "only national-level conferrals are drawn",
        )
    ]
    if hidden_hospitals:
        notes.append(
            (
                f"{hidden_hospitals:,} 家医院未单独显示"
                "（各省保留获国家级称号最多的医院，其余合并为“另有 N 家医院”）",
                f"{hidden_hospitals:,} hospitals are not drawn one by one (each province keeps "
                "those with the most national designations; the rest are one 'N more hospitals' "
                "node)",
            )
        )
    if hidden_designations > 0:
        notes.append(
            (
                f"{hidden_designations:,} 个国家级称号未显示",
                f"{hidden_designations:,} national designations not shown",
            )
        )
    return notes


def _quotas(sizes: dict[str, int], budget: int) -> dict[str, int]:
    """Split `budget` in proportion to `sizes` (largest remainder), never above a size."""
    total = sum(sizes.values())
    if total <= budget:
        return dict(sizes)
    exact = {k: budget * v / total for k, v in sizes.items()}
    quotas = {k: int(x) for k, x in exact.items()}
    spare = budget - sum(quotas.values())
    for k in sorted(exact, key=lambda k: (quotas[k] - exact[k], k))[:spare]:
        quotas[k] += 1
    return quotas
