"""Triple stores behind the rdflib API: Oxigraph (default) and rdflib's memory store.

Both are rdflib `Graph`s, so every query, export and test runs unchanged on
either. Oxigraph graphs keep their triples in the pyoxigraph store's default
graph, so files are bulk-loaded and queries run there directly (oxigraph_direct.py);
`benchmarks/bench_queries.py` measures both stores at national scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph_builder.project import Project
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.namespaces import bind_prefixes
from graph_builder.rdf.vocabulary import load_ontology
from graph_builder.sparql import oxigraph_direct


@dataclass(frozen=True)
class StoreKind:
    """How to make an empty graph of this kind and load RDF files into it."""

    name: str
    make: Callable[[], Graph]
    load_file: Callable[[Graph, Path], None]

    def empty(self) -> Graph:
        graph = self.make()
        bind_prefixes(graph)
        return graph

    def load_files(self, *paths: Path) -> Graph:
        for path in paths:
            if path.suffix not in (".ttl", ".nt"):
                raise ValueError(f"cannot load {path.name}: use .ttl or .nt")
        graph = self.empty()
        for path in paths:
            self.load_file(graph, path)
        return graph


def _rdflib_parse(graph: Graph, path: Path) -> None:
    graph.parse(path, format={".ttl": "turtle", ".nt": "nt"}[path.suffix])


STORES: dict[str, StoreKind] = {
    "oxigraph": StoreKind(
        "oxigraph",
        lambda: Graph(store="Oxigraph", identifier=DATASET_DEFAULT_GRAPH_ID),
        oxigraph_direct.bulk_load,
    ),
    "memory": StoreKind("memory", lambda: Graph(store="Memory"), _rdflib_parse),
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
