"""N-Quads and TriG: a graph per report on export, named graphs kept in a store, and read
whole into one graph by the commands that take one graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from graph_builder.rdf.export import serialize_dataset
from graph_builder.rdf.formats import format_named, format_of
from graph_builder.rdf.namespaces import HKG
from graph_builder.rdf.per_report import split_by_report
from graph_builder.sparql.disk_store import open_read_only, write_store
from graph_builder.sparql.oxigraph_direct import triple_count
from graph_builder.sparql.stores import STORES
from tests.conftest import outputs_under_hash_seeds, run_cli

#: rdflib's N-Quads parser calls its own deprecated API, once per line
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated")

DATASETS = ["nq", "trig"]
QUOTED_FROM = PROV.wasQuotedFrom
JIAOZUO = URIRef("https://w3id.org/hospital-kg/id/institution/jiaozuo-mch")
REPORTS = {
    URIRef("https://w3id.org/hospital-kg/id/report/changzhi-mch-2023"),
    URIRef("https://w3id.org/hospital-kg/id/report/jiaozuo-mch-2024"),
}


@pytest.fixture(scope="module")
def per_report(tmp_path_factory: pytest.TempPathFactory, graph: Graph) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("per-report")
    default, named = split_by_report(graph)
    paths = {}
    for name in DATASETS:
        paths[name] = folder / f"kg.{name}"
        paths[name].write_bytes(serialize_dataset(default, named, format_named(name)))
    return paths


def rdflib_dataset(path: Path) -> dict[str, Graph]:
    dataset = Dataset()
    dataset.parse(path, format=format_of(path).rdflib_parser)
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def test_one_graph_per_report_holds_its_facts_and_evidence(graph: Graph) -> None:
    default, named = split_by_report(graph)
    assert set(named) == REPORTS
    facts = set(graph.subjects(RDF.type, HKG.Fact))
    assert facts and not facts & set(default.subjects())
    for report, part in named.items():
        quotes = set(part.subjects(RDF.type, HKG.Evidence))
        assert quotes and {r for e in quotes for r in graph.objects(e, QUOTED_FROM)} == {report}
        assert set(part.subjects(RDF.type, HKG.Fact)) <= facts
    assert (JIAOZUO, RDF.type, HKG.Hospital) in default  # entities stay in the default graph
    union = Graph()
    for part in (default, *named.values()):
        union += part
    assert isomorphic(union, graph)


@pytest.mark.parametrize("name", DATASETS)
def test_both_libraries_read_the_export_back(
    per_report: dict[str, Path], graph: Graph, name: str
) -> None:
    default, named = split_by_report(graph)
    parsed = rdflib_dataset(per_report[name])
    assert set(parsed) == {*map(str, REPORTS), "urn:x-rdflib:default"}
    assert isomorphic(parsed["urn:x-rdflib:default"], default)
    for report in REPORTS:
        assert isomorphic(parsed[str(report)], named[report])
    store = ox.Store()
    store.load(
        path=str(per_report[name]), format=getattr(ox.RdfFormat, format_named(name).oxigraph)
    )
    assert {g.value for g in store.named_graphs()} == set(map(str, REPORTS))
    assert len(store) == len(default) + sum(len(g) for g in named.values())


@pytest.mark.parametrize("name", DATASETS)
def test_export_graph_per_report_is_byte_identical_under_two_hash_seeds(
    tmp_path: Path, name: str
) -> None:
    first, second = outputs_under_hash_seeds(
        tmp_path, "export", "--format", name, "--graph-per-report"
    )
    assert first == second and len(first) > 10_000


def test_graph_per_report_needs_a_dataset_format(tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    result = run_cli("export", "--graph-per-report", "--output", str(out))
    assert result.returncode == 2
    assert result.stderr == (
        "error: --graph-per-report needs a format that holds named graphs (nq, trig), not turtle\n"
    )
    assert not out.exists()


@pytest.mark.parametrize("name", DATASETS)
def test_a_store_keeps_the_named_graphs(
    per_report: dict[str, Path], graph: Graph, tmp_path: Path, name: str
) -> None:
    loaded = write_store(tmp_path / "store", [(per_report[name], format_named(name))])
    assert (loaded.quads, loaded.named_graphs) == (len(graph), 2)
    store = open_read_only(tmp_path / "store")
    assert {g.value for g in store.named_graphs()} == set(map(str, REPORTS))


@pytest.mark.parametrize("store", sorted(STORES))
@pytest.mark.parametrize("name", DATASETS)
def test_one_graph_reads_every_graph_of_the_file(
    per_report: dict[str, Path], graph: Graph, store: str, name: str
) -> None:
    loaded = STORES[store].load_files(per_report[name])
    assert triple_count(loaded) == len(graph)


def test_load_prints_the_named_graphs(
    per_report: dict[str, Path], graph: Graph, tmp_path: Path
) -> None:
    result = run_cli("load", "--store", str(tmp_path / "s"), "--data", str(per_report["trig"]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        f"{len(graph):,} quads (the default graph and 2 named graphs) -> "
    )
