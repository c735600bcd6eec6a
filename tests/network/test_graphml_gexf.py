"""GraphML and GEXF exports: read back by networkx with labels, kinds and evidence."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph_builder.network.entities import entity_network
from graph_builder.network.graphml_gexf import NETWORK_FORMATS
from graph_builder.rdf.vocabulary import load_ontology
from tests.conftest import run_cli

READERS = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


@pytest.fixture(scope="module")
def net(project, graph: Graph) -> nx.MultiDiGraph:
    return entity_network(graph, load_ontology(project.ontology))


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_network_export_reads_back(tmp_path: Path, net, fmt: str) -> None:
    out = tmp_path / f"kg{NETWORK_FORMATS[fmt].suffix}"
    result = run_cli("export", "--format", fmt, "--output", str(out))
    assert result.returncode == 0, result.stderr
    read = READERS[fmt](out)
    assert read.is_directed() and read.is_multigraph()
    assert set(read) == set(net)
    assert read.number_of_edges() == net.number_of_edges()
    jiaozuo = read.nodes["inst:jiaozuo-mch"]
    assert jiaozuo["label"] == "焦作市妇幼保健院"
    assert jiaozuo["label_en"] == "Jiaozuo Maternal and Child Health Hospital"
    assert jiaozuo["kind"] == "hospital"
    kinds = {k for _, k in read.nodes(data="kind")}
    assert kinds == {k for _, k in net.nodes(data="kind")}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_fact_edges_carry_relation_year_and_quote(tmp_path: Path, net, fmt: str) -> None:
    out = tmp_path / f"kg{NETWORK_FORMATS[fmt].suffix}"
    assert run_cli("export", "--format", fmt, "--output", str(out)).returncode == 0
    read = READERS[fmt](out)
    expected = {
        k: d for _, _, k, d in net.edges(keys=True, data=True) if d["relation"] == "conferral"
    }
    found = 0
    for _, _, edge_key, data in read.edges(keys=True, data=True):
        key = data.get("id") or edge_key
        if key in expected:
            found += 1
            original = expected[key]
            assert data["relation"] == "conferral"
            assert data["label"] == original["label_zh"]
            assert data["quote"] == original["evidence"][0]["quote"]
            if "year" in original:
                assert int(data["year"]) == int(original["year"])
    assert found == len(expected) > 20


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_network_exports_are_deterministic(project, graph: Graph, fmt: str) -> None:
    ontology = load_ontology(project.ontology)
    first = NETWORK_FORMATS[fmt].serialize(graph, ontology)
    assert first == NETWORK_FORMATS[fmt].serialize(graph, ontology)
    assert b"lastmodifieddate" not in first


def test_gexf_colours_nodes_by_kind(tmp_path: Path) -> None:
    out = tmp_path / "kg.gexf"
    assert run_cli("export", "--format", "gexf", "--output", str(out)).returncode == 0
    read = nx.read_gexf(out)
    colour = read.nodes["inst:jiaozuo-mch"]["viz"]["color"]
    assert (colour["r"], colour["g"], colour["b"]) == (0xD6, 0x27, 0x28)
