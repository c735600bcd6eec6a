"""Named graphs over the SPARQL 1.1 Protocol: `serve --data` an N-Quads file and `serve --store`
a store loaded from TriG, `default-graph-uri` / `named-graph-uri` choosing the dataset of a
request, and a graph the server lacks answered 400 instead of an empty dataset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace

from graph_builder.server.bindings import term_text
from graph_builder.sparql.query_library import load_library
from tests.conftest import run_cli
from tests.server.conftest import Server

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
REPORT = "https://w3id.org/hospital-kg/id/report/"
CHANGZHI, JIAOZUO = REPORT + "changzhi-mch-2023", REPORT + "jiaozuo-mch-2024"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
LIBRARY = load_library()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("per-report")
    paths = {}
    for name in ("nq", "trig"):
        paths[name] = folder / f"kg.{name}"
        args = ["export", "--graph-per-report", "--output", str(paths[name])]
        if name == "trig":
            args.append("--with-ontology")
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
    return paths


@pytest.fixture(scope="module")
def nq_server(exported: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("nq-server") / "stderr.log"
    server = Server("--data", str(exported["nq"]), "--workers", "1", log=log)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def union_store_server(
    exported: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A store loaded from TriG (data + ontology), served with the union default graph."""
    folder = tmp_path_factory.mktemp("trig-store")
    result = run_cli("load", "--store", str(folder / "store"), "--data", str(exported["trig"]))
    assert result.returncode == 0, result.stderr
    server = Server(
        "--store",
        str(folder / "store"),
        "--union-default-graph",
        "--workers",
        "1",
        log=folder / "stderr.log",
    )
    yield server
    server.stop()


def ask(server: Server, query: str, **params: str | list[str]) -> httpx.Response:
    return httpx.post(
        server.endpoint, data={"query": query, **params}, headers={"Accept": "text/csv"}
    )


def rows(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return response.text.splitlines()[1:]


def count(server: Server, query: str = COUNT, **params: str | list[str]) -> int:
    return int(rows(ask(server, query, **params))[0])


def test_named_graphs_of_an_nquads_file_are_kept(nq_server: Server) -> None:
    per_graph = dict(row.split(",") for row in rows(ask(nq_server, PER_GRAPH)))
    assert sorted(per_graph) == [CHANGZHI, JIAOZUO]
    default = count(nq_server)
    banner = nq_server.output[0]
    assert f"{default:,} triples in the default graph and 2 named graphs (" in banner
    total = default + sum(int(n) for n in per_graph.values())
    assert f"({total:,} quads in all)" in banner


def test_default_graph_uri_makes_a_report_graph_the_default_graph(nq_server: Server) -> None:
    per_graph = dict(row.split(",") for row in rows(ask(nq_server, PER_GRAPH)))
    assert count(nq_server, **{"default-graph-uri": JIAOZUO}) == int(per_graph[JIAOZUO])
    both = count(nq_server, **{"default-graph-uri": [JIAOZUO, CHANGZHI]})
    assert both <= int(per_graph[JIAOZUO]) + int(per_graph[CHANGZHI])
    assert both > int(per_graph[CHANGZHI])
    # the dataset is exactly what the parameters name: no named graphs here
    assert rows(ask(nq_server, PER_GRAPH, **{"default-graph-uri": JIAOZUO})) == []


def test_named_graph_uri_names_the_only_named_graphs(nq_server: Server) -> None:
    selected = rows(ask(nq_server, PER_GRAPH, **{"named-graph-uri": CHANGZHI}))
    assert [row.split(",")[0] for row in selected] == [CHANGZHI]
    assert count(nq_server, **{"named-graph-uri": CHANGZHI}) == 0  # and an empty default graph


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_a_graph_the_server_lacks_is_400_naming_it(nq_server: Server, parameter: str) -> None:
    unknown = REPORT + "nowhere-2030"
    response = ask(nq_server, COUNT, **{parameter: [JIAOZUO, unknown]})
    assert response.status_code == 400
    assert response.text == (
        f"error: {parameter} <{unknown}> names no graph of this dataset; "
        "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } lists them\n"
    )


def test_the_seed_server_refuses_any_graph_name(seed_server: Server) -> None:
    """Without named graphs every name is unknown: 400, where it used to answer nothing."""
    response = ask(seed_server, COUNT, **{"default-graph-uri": "https://example.org/g"})
    assert response.status_code == 400
    assert "<https://example.org/g> names no graph" in response.text


def test_the_service_description_lists_the_named_graphs(nq_server: Server) -> None:
    response = httpx.get(nq_server.endpoint, headers={"Accept": "text/turtle"})
    description = Graph().parse(data=response.text, format="turtle")
    names = {str(n) for n in description.objects(None, SD.name)}
    assert names == {CHANGZHI, JIAOZUO}
    assert (None, SD.feature, SD.UnionDefaultGraph) not in description


def test_a_construct_is_not_answered_in_a_dataset_syntax(nq_server: Server) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
    response = httpx.post(
        nq_server.endpoint, data={"query": query}, headers={"Accept": "application/n-quads"}
    )
    assert response.status_code == 406


@pytest.mark.parametrize("name", list(LIBRARY))
def test_a_trig_store_with_the_union_default_graph_answers_the_library_as_serve(
    seed_server: Server, union_store_server: Server, name: str
) -> None:
    query = LIBRARY[name]
    params = {
        f"${p.name}": term_text(p.type, p.default) for p in query.params if p.default is not None
    }
    built, stored = (rows(ask(s, query.text, **params)) for s in (seed_server, union_store_server))
    assert sorted(built) == sorted(stored)


def test_graph_tells_which_report_says_it(union_store_server: Server) -> None:
    """The README's example: the facts about a hospital, with the report that says each."""
    query = (
        "SELECT ?report ?fact ?quote WHERE { GRAPH ?report { ?fact hkg:recipient "
        "inst:jiaozuo-mch ; prov:wasDerivedFrom/prov:value ?quote } }"
    )
    found = rows(ask(union_store_server, query))
    assert found and {row.split(",")[0] for row in found} == {JIAOZUO}
    assert "(the union of all graphs)" in union_store_server.output[0]
    description = Graph().parse(data=httpx.get(union_store_server.endpoint).text, format="turtle")
    assert (None, SD.feature, SD.UnionDefaultGraph) in description
