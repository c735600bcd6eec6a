"""Library parameters marked `inline` are written into the WHERE clause as terms as well
as bound by the VALUES block (values.py). Each library query that marks one gives the
rows a SEP-0007 substitution gives, for every value its parameter is meant to take, on
the founding reports and on a synthetic graph."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graph_builder import load
from graph_builder.ingest.synthetic import synthetic_graph
from graph_builder.project import Project
from graph_builder.rdf.namespaces import HKG
from graph_builder.sparql import oxigraph_direct
from graph_builder.sparql.execute import NATIVE_PREFIXES, run_query
from graph_builder.sparql.query_library import LibraryQuery, inline_params, load_library
from graph_builder.sparql.stores import STORES
from graph_builder.sparql.values import bind_values

INLINED = {
    name: query
    for name, query in sorted(load_library().items())
    if any(p.inline for p in query.params)
}


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Graph]:
    path = Path(tmp_path_factory.mktemp("synthetic")) / "national.nt"
    synthetic_graph(hospitals=45, seed=7).serialize(path, format="nt", encoding="utf-8")
    seed = load(store="oxigraph").graph
    return {"seed": seed, "synthetic": STORES["oxigraph"].load_files(path, Project.find().ontology)}


def _values(seed: Graph, graph: Graph, query: LibraryQuery, name: str) -> list[Node]:
    """For `kind`, every designation class, so that absent and present kinds are both
    tried; for `hospital`, every hospital of the graph queried and an IRI that is none;
    for a string, its default, a string no label holds, one character, and text a
    literal must escape."""
    param = next(p for p in query.params if p.name == name)
    if param.type == "string":
        return [Literal(v) for v in (param.default or "", "不存在的词", "a", 'x" } y')]
    assert param.type == "iri", f"{query.name}: extend the test to {param.type} parameters"
    if name == "hospital":
        hospitals = {
            s
            for c in graph.subjects(RDFS.subClassOf, HKG.Hospital)
            for s in graph.subjects(RDF.type, c)
        } | set(graph.subjects(RDF.type, HKG.Hospital))
        assert hospitals, f"{query.name}: no hospital in the graph"
        return [
            *sorted(hospitals, key=str),
            URIRef("https://w3id.org/hospital-kg/id/institution/none"),
        ]
    assert name == "kind", f"{query.name}: extend the test to the parameter {name}"
    return sorted(set(seed.subjects(RDFS.subClassOf, HKG.Designation)), key=str)


def test_the_library_marks_at_least_one_parameter_inline() -> None:
    assert INLINED, "no library query marks a parameter inline: this file tests nothing"


@pytest.mark.parametrize("name", sorted(INLINED))
@pytest.mark.parametrize("which", ["seed", "synthetic"])
def test_inlined_rows_are_the_substituted_rows(
    graphs: dict[str, Graph], name: str, which: str
) -> None:
    graph, query = graphs[which], INLINED[name]
    tried = 0
    for param in (p for p in query.params if p.inline):
        for value in _values(graphs["seed"], graph, query, param.name):
            bindings = {param.name: value}
            by_text = run_query(graph, query.text, bindings)
            substituted = oxigraph_direct.query(graph, query.text, NATIVE_PREFIXES, bindings)
            rows = Counter(oxigraph_direct.convert_rows(substituted))  # type: ignore[arg-type]
            assert Counter(by_text.rows) == rows, (name, param.name, value)
            tried += bool(rows)
    assert tried, f"{name}: every value gave no rows on the {which} graph"


def test_the_term_replaces_the_variable_in_the_where_clause_only() -> None:
    text = (
        "# question-en: q\n# question-zh: q\n# param: k string x inline -- d\n"
        "SELECT ?k ?s WHERE { ?s ?p ?k MINUS { ?s ?q ?k } }"
    )
    assert inline_params(text) == {"k"}
    bound = bind_values(text, {"k": Literal('a" } x')})
    body = bound[bound.index("SELECT") :]
    assert body == (
        'SELECT ?k ?s WHERE { VALUES (?k) { ("a\\" } x") }  ?s ?p "a\\" } x" '
        'MINUS { ?s ?q "a\\" } x" } }'
    )


def test_without_the_mark_only_the_block_binds() -> None:
    text = (
        "# question-en: q\n# question-zh: q\n# param: k string x -- d\nSELECT ?k WHERE { ?s ?p ?k }"
    )
    assert inline_params(text) == frozenset()
    assert bind_values(text, {"k": Literal("v")}).endswith('{ VALUES (?k) { ("v") }  ?s ?p ?k }')
