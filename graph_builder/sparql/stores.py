"""Triple stores behind the rdflib API: Oxigraph (default) and rdflib's memory store.

Both are rdflib `Graph`s, so every query, export and test runs unchanged on
either. Oxigraph graphs keep their triples in the pyoxigraph store's default
graph, so files are bulk-loaded and queries run there directly
(oxigraph_direct.py); `benchmarks/bench_queries.py` measures both stores at
national scale. Which parser reads a file comes from the format table
(rdf/formats.py); a file that does not parse is one `DataError`. A graph is one
graph: the named graphs of an N-Quads or TriG file are all read into it (`serve`
and `load --store` keep them apart, in a dataset).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph_builder.errors import DataError, HospitalKgError, UsageError
from graph_builder.rdf.formats import RdfFormat, format_of
from graph_builder.rdf.namespaces import bind_prefixes
from graph_builder.sparql import oxigraph_direct


@dataclass(frozen=True)
class StoreKind:
    """How to make an empty graph of this kind and load an RDF file into it."""

    name: str
    make: Callable[[], Graph]
    load_file: Callable[[Graph, Path, RdfFormat], None]

    def empty(self) -> Graph:
        graph = self.make()
        bind_prefixes(graph)
        return graph

    def load_files(self, *paths: Path | str) -> Graph:
        """A new graph holding every file; each file's format comes from its suffix."""
        formats = [(Path(path), format_of(path)) for path in paths]  # refuse before loading any
        graph = self.empty()
        for path, fmt in formats:
            read_file(self, graph, path, fmt)
        return graph

    def add_graphs(self, *sources: Graph) -> Graph:
        """A new graph of this kind holding the triples of every source graph."""
        graph = self.empty()
        for source in sources:
            graph.addN((s, p, o, graph) for s, p, o in source)
        return graph


def read_file(kind: StoreKind, graph: Graph, path: Path, fmt: RdfFormat) -> None:
    """Load one file; a missing or malformed file is one error naming it."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        kind.load_file(graph, path, fmt)
    except HospitalKgError:
        raise
    except SyntaxError as exc:  # Oxigraph's parsers
        raise DataError(path, getattr(exc, "lineno", None), _one_line(exc)) from None
    except Exception as exc:  # rdflib's parsers raise many types
        raise DataError(path, None, f"cannot parse as {fmt.label}: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _rdflib_parse(graph: Graph, path: Path, fmt: RdfFormat) -> None:
    """Parse a file into the graph; every graph of a dataset file (N-Quads, TriG) is read
    into it, as the graph is one graph."""
    if not fmt.dataset:
        graph.parse(path, format=fmt.rdflib_parser)
        return
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's N-Quads parser calls its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(path, format=fmt.rdflib_parser)
    graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads((None, None, None, None)))


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
        raise UsageError(f"unknown store {name!r} (one of: {', '.join(STORES)})") from None
