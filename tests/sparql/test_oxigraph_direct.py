"""The Oxigraph store layer: files bulk-loaded into the store's default graph, queries run on
pyoxigraph directly, with the same rows, terms and errors as going through rdflib."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from graph_builder.errors import UsageError
from graph_builder.rdf.export import export_graph
from graph_builder.rdf.namespaces import INST
from graph_builder.sparql import oxigraph_direct
from graph_builder.sparql.execute import QuerySyntaxError, _run_rdflib, run_query
from graph_builder.sparql.query_library import LibraryError, LibraryQuery
from graph_builder.sparql.stores import STORES

XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, graph: Graph, project) -> list[Path]:
    path = tmp_path_factory.mktemp("native") / "seed.nt"
    export_graph(graph, "nt", path)
    return [path, project.ontology]


@pytest.fixture(scope="module")
def oxigraph(files: list[Path]) -> Graph:
    return STORES["oxigraph"].load_files(*files)


@pytest.fixture(scope="module")
def memory(files: list[Path]) -> Graph:
    return STORES["memory"].load_files(*files)


def test_bulk_load_fills_the_default_graph(oxigraph: Graph, memory: Graph) -> None:
    store = oxigraph_direct.native_store(oxigraph)
    assert store is not None and oxigraph_direct.native_store(memory) is None
    assert list(store.named_graphs()) == []
    assert oxigraph_direct.triple_count(oxigraph) == len(store) == len(memory)
    assert oxigraph_direct.triple_count(oxigraph) == len(oxigraph)  # oxrdflib's own count agrees


def test_refuses_suffixes_the_format_table_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("")
    with pytest.raises(UsageError, match=r"cannot read x\.csv: .*\.ttl"):
        STORES["oxigraph"].load_files(path)


SELECT = """SELECT ?name ?year ?label ?hospital WHERE {
  ?hospital hkg:hasConferral ?fact ; rdfs:label ?name .
  ?fact hkg:designation/hkg:englishLabel ?label .
  OPTIONAL { ?fact hkg:year ?year }
} ORDER BY ?label ?year"""


def test_native_rows_equal_rdflib_rows(oxigraph: Graph, memory: Graph) -> None:
    bindings = {"hospital": INST["jiaozuo-mch"]}
    native_rows = run_query(oxigraph, SELECT, bindings).rows
    assert native_rows
    assert native_rows == run_query(memory, SELECT, bindings).rows
    through_rdflib = _run_rdflib(oxigraph, SELECT, bindings).rows
    assert [tuple(str(t) if t is not None else None for t in r) for r in through_rdflib] == [
        tuple(str(t) if t is not None else None for t in r) for r in native_rows
    ]


def test_terms_are_rdflib_terms_like_the_memory_store(oxigraph: Graph) -> None:
    rows = run_query(oxigraph, SELECT, {"hospital": INST["jiaozuo-mch"]}).rows
    name, year, _label, _ = next(r for r in rows if r[1] is not None)
    assert name == Literal("焦作市妇幼保健院", lang="zh")
    assert isinstance(year, Literal) and year.datatype == XSD_INTEGER
    assert isinstance(year.toPython(), int)
    files = run_query(oxigraph, "SELECT ?f WHERE { ?r hkg:sourceFile ?f }").rows
    plain = files[0][0]
    assert isinstance(plain, Literal) and plain.datatype is None  # xsd:string stays plain
    assert plain == Literal(str(plain))
    lang = run_query(oxigraph, "SELECT ?l WHERE { hkv:batch-1 skos:prefLabel ?l }").rows
    assert Literal("首批", lang="zh") in {r[0] for r in lang}
    nodes = run_query(oxigraph, "SELECT ?s WHERE { ?s a hkg:Province } LIMIT 1").rows
    assert isinstance(nodes[0][0], URIRef)


def test_same_term_converted_once_per_query() -> None:
    term = ox.NamedNode("https://example.org/a")
    rows = oxigraph_direct.convert_rows([[term, None], [term, term]])
    assert rows[0][0] is rows[1][0] is rows[1][1] and rows[0][1] is None


def test_ask_and_construct(oxigraph: Graph) -> None:
    ask = run_query(oxigraph, "ASK { inst:jiaozuo-mch a hkg:Hospital }")
    assert ask.kind == "ask" and ask.boolean is True
    built = run_query(
        oxigraph, "CONSTRUCT { ?h rdfs:label ?l } WHERE { ?h a hkg:Hospital ; rdfs:label ?l }"
    )
    assert built.kind == "graph" and built.graph is not None
    assert (INST["jiaozuo-mch"], None, Literal("焦作市妇幼保健院", lang="zh")) in built.graph


def test_syntax_errors_keep_line_and_column(oxigraph: Graph) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(oxigraph, "SELECT ?x WHERE {\n  ?x a \n}", source="q.rq")
    assert caught.value.line == 3 and caught.value.source == "q.rq"


def test_library_kind_must_be_known(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    head = "# question-en: Q?\n# question-zh: 问？\n"
    path.write_text(head + "# kind: selective\nSELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    assert LibraryQuery.from_file(path).kind == "selective"
    path.write_text(head + "# kind: fast\nSELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="kind must be one of selective, aggregate"):
        LibraryQuery.from_file(path)


def test_a_parameter_the_select_does_not_list_is_one_clear_error() -> None:
    from tests.conftest import run_cli

    query = "SELECT ?n WHERE { ?h org:hasPost/org:heldBy/rdfs:label ?n }"
    result = run_cli("query", "--sparql", query, "--param", "h=inst:jiaozuo-mch")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --sparql: cannot bind ?h: ")
    assert len(result.stderr.strip().splitlines()) == 1
    listed = run_cli(
        "query", "--sparql", query.replace("?n WHERE", "?h ?n WHERE"), "-p", "h=inst:jiaozuo-mch"
    )
    assert listed.returncode == 0 and "赵延兵" in listed.stdout
