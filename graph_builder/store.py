"""Triple stores behind the rdflib API: Oxigraph (default) and rdflib's memory store.

Both are rdflib `Graph`s, so every query, export and test runs unchanged on
either; Oxigraph (through oxrdflib) is 10-70x faster on queries at national
scale, which `benchmarks/bench_queries.py` measures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .builder import build_graph
from .namespaces import bind_prefixes
from .project import Project
from .vocab import load_ontology


@dataclass(frozen=True)
class StoreKind:
    """How to make an empty graph of this kind and bulk-load RDF files into it."""

    name: str
    make: Callable[[], Graph]
    parser: dict[str, str]  # file suffix -> rdflib parser plugin name

    def empty(self) -> Graph:
        graph = self.make()
        bind_prefixes(graph)
        return graph

    def load_files(self, *paths: Path) -> Graph:
        graph = self.empty()
        for path in paths:
            fmt = self.parser.get(path.suffix)
            if fmt is None:
                raise ValueError(f"cannot load {path.name}: use .ttl or .nt")
            graph.parse(path, format=fmt)
        return graph


STORES: dict[str, StoreKind] = {
    "oxigraph": StoreKind(
        "oxigraph",
        lambda: Graph(store="Oxigraph"),
        {".ttl": "ox-turtle", ".nt": "ox-ntriples"},
    ),
    "memory": StoreKind(
        "memory",
        lambda: Graph(store="Memory"),
        {".ttl": "turtle", ".nt": "nt"},
    ),
}
DEFAULT_STORE = "oxigraph"


def store_kind(name: str) -> StoreKind:
    try:
        return STORES[name]
    except KeyError:
        raise ValueError(f"unknown store {name!r} (one of: {', '.join(STORES)})") from None


def load_graph(project: Project | None = None, store: str = DEFAULT_STORE) -> Graph:
    """Build the graph from data/ and load it, with the ontology, into `store`.

    The ontology comes along so that queries can read vocabulary labels
    (e.g. the Chinese name of hkv:batch-1) and the class hierarchy.
    """
    project = project or Project.find()
    graph = store_kind(store).empty()
    for source in (build_graph(project), load_ontology(project.ontology)):
        graph.addN((s, p, o, graph) for s, p, o in source)
    return graph
