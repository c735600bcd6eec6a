"""hospital-kg: a knowledge graph of Chinese hospital accreditations and partnerships.

The stages are subpackages: `ingest` (reports and facts in), `rdf` (the graph),
`sparql` (stores and queries), `network` (networkx, views, the explorer), `server`
(the SPARQL endpoint) and `cli`. The names below are imported on first use, so a
process that needs one stage (a query worker, say) does not import the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from graph_builder.api import KnowledgeGraph, load, load_graph
    from graph_builder.errors import DataError, HospitalKgError
    from graph_builder.project import Project
    from graph_builder.rdf.builder import build_graph

_EXPORTS = {
    "KnowledgeGraph": "graph_builder.api",
    "load": "graph_builder.api",
    "load_graph": "graph_builder.api",
    "DataError": "graph_builder.errors",
    "HospitalKgError": "graph_builder.errors",
    "Project": "graph_builder.project",
    "build_graph": "graph_builder.rdf.builder",
}
__all__ = [
    "DataError",
    "HospitalKgError",
    "KnowledgeGraph",
    "Project",
    "build_graph",
    "load",
    "load_graph",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'graph_builder' has no attribute {name!r}")
