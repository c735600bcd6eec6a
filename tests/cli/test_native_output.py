"""`query` writes csv/tsv/json and graph answers from pyoxigraph's terms (native_output.py):
the same answers as the rdflib path, for every library query on the seed graph."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph_builder.api import load_graph
from graph_builder.cli.native_output import native_query, write_answer
from graph_builder.cli.output import format_result
from graph_builder.project import Project
from graph_builder.sparql.execute import QueryError, run_query
from graph_builder.sparql.parameters import resolve_params
from graph_builder.sparql.query_library import load_library
from tests.conftest import REPO, run_cli

LIBRARY = load_library(Project(REPO))
FORMATS = ("csv", "tsv", "json")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(Project(REPO))


def both(graph: Graph, text: str, fmt: str, bindings: dict | None = None) -> tuple[str, str]:
    """(rdflib rows rendered, native answer written) for one query."""
    old = format_result(graph, run_query(graph, text, bindings), fmt)
    answer = native_query(graph, text, bindings or {})
    assert answer is not None  # the default store is Oxigraph
    return old, write_answer(graph, answer, fmt).text


def parsed(text: str, fmt: str) -> list[list[str | None]]:
    if fmt == "json":
        records = json.loads(text)
        return [list(r.values()) for r in records]
    return [
        list(row) for row in csv.reader(text.splitlines(), delimiter="," if fmt == "csv" else "\t")
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_library_query_writes_the_same_rows(graph: Graph, name: str, fmt: str) -> None:
    query = LIBRARY[name]
    bindings = resolve_params(graph, {}, query)
    old, new = both(graph, query.text, fmt, bindings)
    assert parsed(new, fmt) == parsed(old, fmt)  # the same rows, in the same order ...
    assert new == old  # ... and the same bytes


def test_awkward_terms_read_as_before(graph: Graph) -> None:
    """Unbound cells, typed literals rdflib normalises, blank nodes, IRIs outside every
    prefix, language tags, quotes, tabs and new lines."""
    text = """SELECT ?a ?b ?c ?d ?e ?f ?g WHERE {
      VALUES (?a ?b ?c ?e ?f) {
        (<https://example.org/x#y> "01"^^xsd:integer "1.50"^^xsd:decimal "a\\tb\\"c\\nd"@zh
         "true"^^xsd:boolean)
        (UNDEF "2024-01-01"^^xsd:date "x"^^<https://example.org/type> "" UNDEF)
      }
      BIND(BNODE("n") AS ?d) BIND(inst:jiaozuo-mch AS ?g)
    }"""
    for fmt in FORMATS:
        old, new = both(graph, text, fmt)
        if fmt != "json":  # blank node labels are new on each run; compare the rest
            old, new = (
                "\n".join(",".join(r[:3] + r[4:]) for r in parsed(t, fmt)) for t in (old, new)
            )
        else:
            old, new = (json.dumps([{**r, "d": None} for r in json.loads(t)]) for t in (old, new))
        assert new == old, fmt


@pytest.mark.parametrize(
    "text",
    [
        "CONSTRUCT { ?h rdfs:label ?l ; hkg:n 1 } WHERE { ?h a hkg:Hospital ; rdfs:label ?l }",
        "DESCRIBE inst:jiaozuo-mch",
        "CONSTRUCT WHERE { ?s a hkg:Hospital }",
    ],
)
def test_graph_answers_are_the_same_graph(graph: Graph, text: str) -> None:
    old, new = both(graph, text, "table")
    assert isomorphic(
        Graph().parse(data=new, format="turtle"), Graph().parse(data=old, format="turtle")
    )
    assert new.startswith("@prefix ")
    assert both(graph, text, "csv")[1] == new  # graphs are Turtle in every format


def test_ask_is_the_same(graph: Graph) -> None:
    for fmt in ("table", *FORMATS):
        for text in ("ASK { inst:changzhi-mch a hkg:Hospital }", "ASK { inst:nothing ?p ?o }"):
            old, new = both(graph, text, fmt)
            assert new == old


def test_errors_read_as_before(graph: Graph) -> None:
    for text in ("SELECT ?x WHERE { ?x ?y }", "INSERT DATA { <a> <b> <c> }"):
        with pytest.raises(QueryError) as old:
            run_query(graph, text, source="q.rq")
        with pytest.raises(QueryError) as new:
            native_query(graph, text, {}, source="q.rq")
        assert str(new.value) == str(old.value)


def test_the_memory_store_writes_the_same_file(tmp_path: Path) -> None:
    """The command end to end: Oxigraph's native path against rdflib's memory store."""
    files = {}
    for store in ("oxigraph", "memory"):
        files[store] = tmp_path / f"{store}.tsv"
        result = run_cli(
            "query", "leaders", "--format", "tsv", "--store", store, "--output", str(files[store])
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"2 rows -> {files[store]}\n"
    rows = {s: sorted(parsed(f.read_text(encoding="utf-8"), "tsv")) for s, f in files.items()}
    assert rows["oxigraph"] == rows["memory"] and len(rows["memory"]) == 3


def test_iris_are_shortened_as_rdflib_shortens_them(graph: Graph) -> None:
    from rdflib import URIRef

    from graph_builder.cli.native_output import Cells
    from graph_builder.rdf.namespaces import display

    iris = [str(s) for s in set(graph.subjects())] + [
        "https://w3id.org/hospital-kg/id/institution/a.b-c_d",
        "https://w3id.org/hospital-kg/id/institution/123",  # a local name rdflib cannot split
        "https://w3id.org/hospital-kg/id/institution/1abc",
        "https://w3id.org/hospital-kg/id/institution/焦作",
        "https://w3id.org/hospital-kg/id/institution/",
        "https://w3id.org/hospital-kg/",
        "https://w3id.org/hospital-kg/x",
        "https://example.org/unbound#name",
        "https://example.org/path?a=b",
        "urn:isbn:123",
        "http://www.w3.org/XML/1998/namespacelang",
        "http://www.w3.org/2001/XMLSchema#string",
    ]
    cells = Cells(graph)
    expected = [display(graph, URIRef(iri)) for iri in iris]
    assert [cells.iri(iri) for iri in iris] == expected
