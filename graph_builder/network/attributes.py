"""One attribute of every node or edge of a network, with the types the calls really have.

`net.nodes(data="kind")` yields (node, value) pairs, but types-networkx says it
yields (node, data dict); and it leaves the value type of
`net.edges(data="relation")` to be inferred from a `default`. These helpers
make exactly those networkx calls and say what they yield.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import networkx as nx


def node_values(net: nx.Graph[str], name: str) -> Iterable[tuple[str, Any]]:
    """(node, its `name` attribute or None) for every node: `net.nodes(data=name)`."""
    return cast(Iterable[tuple[str, Any]], net.nodes(data=name))


def edge_values(
    net: nx.Graph[str], name: str, nbunch: str | None = None
) -> Iterable[tuple[str, str, Any]]:
    """(source, target, its `name` attribute or None) for the edges of `nbunch` (None:
    every edge; in a directed graph, the edges out of it): `net.edges(nbunch, data=name)`."""
    return net.edges(nbunch, data=name)
