"""The Python API for notebooks: load once, ask named questions, get rows or a DataFrame.

>>> from graph_builder import load
>>> kg = load()                                   # Oxigraph store, data + ontology
>>> kg.run("hospital-profile", hospital="inst:jiaozuo-mch")[:1]
>>> kg.dataframe("national-designations-by-province")   # needs pandas
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from graph_builder.project import Project
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.vocabulary import load_ontology
from graph_builder.sparql.execute import QueryResult, run_query
from graph_builder.sparql.parameters import resolve_params
from graph_builder.sparql.query_library import LibraryQuery, find_query, load_library
from graph_builder.sparql.stores import DEFAULT_STORE, store_kind

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]  # pandas ships no type information


@dataclass
class KnowledgeGraph:
    graph: Graph
    project: Project
    library: dict[str, LibraryQuery] = field(default_factory=dict)

    def queries(self) -> dict[str, str]:
        """Library query names and their questions (English)."""
        return {name: q.question_en for name, q in self.library.items()}

    def result(self, name: str, **params: Any) -> QueryResult:
        """Run a library query by name; keyword arguments are its parameters."""
        query = find_query(name, self.library)
        bindings = resolve_params(self.graph, _strings(params), query)
        return run_query(self.graph, query.text, bindings, source=query.path.name)

    def run(self, name: str, **params: Any) -> list[dict[str, str | None]]:
        """Rows of a library query as dicts of display strings."""
        return self.result(name, **params).records(self.graph)

    def sparql(self, text: str, **params: Any) -> list[dict[str, str | None]]:
        """Rows of your own SELECT query (our prefixes are predeclared)."""
        bindings = resolve_params(self.graph, _strings(params))
        return run_query(self.graph, text, bindings).records(self.graph)

    def dataframe(self, name_or_sparql: str, **params: Any) -> pd.DataFrame:
        """A pandas DataFrame of a library query (by name) or of SPARQL text."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("dataframe() needs pandas: pip install pandas") from exc
        if name_or_sparql in self.library:
            result = self.result(name_or_sparql, **params)
        else:
            bindings = resolve_params(self.graph, _strings(params))
            result = run_query(self.graph, name_or_sparql, bindings)
        return pd.DataFrame(result.records(self.graph), columns=result.variables)


def _strings(params: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in params.items()}


def load_graph(
    project: Project | None = None, store: str = DEFAULT_STORE, ontology: Graph | None = None
) -> Graph:
    """Build the graph from data/ and put it, with the ontology, into `store`.

    The ontology comes along so that queries can read vocabulary labels
    (e.g. the Chinese name of hkv:batch-1) and the class hierarchy.
    """
    project = project or Project.find()
    ontology = load_ontology(project.ontology) if ontology is None else ontology
    return store_kind(store).add_graphs(build_graph(project, ontology), ontology)


def load(
    root: Path | str | None = None,
    store: str = DEFAULT_STORE,
    files: list[Path | str] | None = None,
) -> KnowledgeGraph:
    """Load the project's graph, or the given RDF files plus the ontology, into `store`."""
    project = Project.find(root)
    if files:
        graph = store_kind(store).load_files(*files, project.ontology)
    else:
        graph = load_graph(project, store)
    return KnowledgeGraph(graph, project, load_library(project))
