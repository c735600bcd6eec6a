"""Deterministic layouts for views too large for the browser's physics.

Plain geometry, no randomness: the same view always gets the same
coordinates (rounded, so the HTML is byte-stable), and the browser draws it at
once instead of simulating thousands of springs first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPACING = 28.0  # canvas units between neighbouring nodes
RING_GAP = 220.0

Positions = dict[str, tuple[float, float]]


def _point(radius: float, angle: float, cx: float = 0.0, cy: float = 0.0) -> tuple[float, float]:
    return (round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1))


def sunflower(count: int, spacing: float = SPACING) -> list[tuple[float, float]]:
    """`count` evenly spread points in a disc (Vogel's phyllotaxis), centre first."""
    scale = spacing * 0.62
    return [_point(scale * math.sqrt(i), i * GOLDEN_ANGLE) for i in range(count)]


def sunflower_radius(count: int, spacing: float = SPACING) -> float:
    return spacing * 0.62 * math.sqrt(max(count, 1)) + spacing


def radial_layout(graph: nx.MultiDiGraph, focus: str, distance: dict[str, int]) -> Positions:
    """The focus in the centre, each further step on a wider ring.

    On each ring, nodes are ordered by the angle of their nearest neighbour on
    the ring inside it, so links mostly run outwards rather than across.
    """
    undirected = graph.to_undirected(as_view=True)
    rings: dict[int, list[str]] = {}
    for node, dist in distance.items():
        if node in graph:
            rings.setdefault(dist, []).append(node)
    angle = {focus: 0.0}
    positions: Positions = {focus: (0.0, 0.0)}
    radius = 0.0
    for dist in sorted(d for d in rings if d > 0):

        def parent_angle(node: str, dist: int = dist) -> tuple[float, str]:
            inner = [angle[n] for n in undirected[node] if distance.get(n) == dist - 1]
            return (min(inner) if inner else 0.0, node)

        nodes = sorted(rings[dist], key=parent_angle)
        radius = max(radius + RING_GAP, len(nodes) * SPACING / (2 * math.pi))
        for i, node in enumerate(nodes):
            angle[node] = 2 * math.pi * (i + 0.5) / len(nodes)
            positions[node] = _point(radius, angle[node])
    return positions


def aggregate_layout(
    graph: nx.MultiDiGraph,
    clusters: dict[str, list[str]],
    designations: Sequence[str],
    outside: dict[str, str] | None = None,
) -> Positions:
    """National designations in a disc in the middle; one cluster per province around it.

    Each province (a key of `clusters`) sits just outside its cluster, so its
    label is clear of the members (`clusters[province]`, in order) that spiral
    out from the cluster's centre; `outside` names a node per province to put
    on the inner side instead (the summary of hospitals not shown).
    """
    outside = outside or {}
    positions: Positions = {}
    spacing = SPACING * 3
    for node, point in zip(designations, sunflower(len(designations), spacing), strict=True):
        positions[node] = point
    inner = sunflower_radius(len(designations), spacing)
    discs = []
    for province in sorted(clusters):
        members = [m for m in clusters[province] if m in graph]
        discs.append((province, members, sunflower_radius(len(members))))
    if not discs:
        return positions
    circumference = sum(2 * r + SPACING * 4 for *_, r in discs)
    ring = max(circumference / (2 * math.pi), inner + max(r for *_, r in discs) + RING_GAP)
    arc = 0.0
    for province, members, r in discs:
        theta = 2 * math.pi * (arc + r + SPACING * 2) / circumference
        arc += 2 * r + SPACING * 4
        cx, cy = _point(ring, theta)
        for node, (x, y) in zip(members, sunflower(len(members)), strict=True):
            positions[node] = (round(cx + x, 1), round(cy + y, 1))
        positions[province] = _point(ring + r + SPACING, theta)
        if province in outside:
            positions[outside[province]] = _point(ring - r - SPACING, theta)
    return positions


def components_layout(graph: nx.MultiDiGraph) -> Positions:
    """Each connected part as rings around its best-connected node, parts side by side.

    For a whole graph too large for the browser's physics but within the node
    budget: readable, deterministic, and instant to draw.
    """
    undirected = graph.to_undirected(as_view=True)
    parts = sorted(
        (sorted(c) for c in nx.connected_components(undirected)), key=lambda c: (-len(c), c[0])
    )
    positions: Positions = {}
    x = 0.0
    for part in parts:
        centre = min(part, key=lambda n: (-graph.degree(n), n))
        distance = nx.single_source_shortest_path_length(undirected, centre)
        local = radial_layout(graph.subgraph(part), centre, distance)
        radius = max((abs(px) for px, _ in local.values()), default=0.0) + SPACING
        for node, (px, py) in local.items():
            positions[node] = (round(x + radius + px, 1), py)
        x += 2 * radius + SPACING * 2
    return positions
