"""Network analytics: checked on the seed graph and on a network small enough to reason about."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from graph_builder.network.analytics import (
    analyze,
    institution_network,
    report,
    shared_institutions,
)
from graph_builder.network.entities import entity_network
from graph_builder.rdf.namespaces import HKG, ORG
from graph_builder.rdf.vocabulary import load_ontology
from tests.conftest import run_cli


def toy() -> nx.MultiDiGraph:
    """Two hospitals share a partner P; hospital A also leads alliance X with member C."""
    net = nx.MultiDiGraph()
    kinds = {"A": "hospital", "B": "hospital", "C": "hospital", "P": "partner", "X": "alliance"}
    for node, kind in kinds.items():
        net.add_node(node, kind=kind, label_zh=f"{node}院", label_en=node)
    for member, org in (("A", "P"), ("B", "P"), ("A", "X"), ("C", "X"), ("A", "P")):
        net.add_edge(member, org, relation="tie")
    net.add_edge("A", "D", relation="conferral")  # not a tie: not in the institution network
    net.nodes["D"].update(kind="designation", label_zh="D", label_en="D")
    return net


def test_institution_network_keeps_ties_only_and_weights_repeats() -> None:
    graph = institution_network(toy())
    assert set(graph) == {"A", "B", "C", "P", "X"}
    assert graph["A"]["P"]["weight"] == 2
    assert not graph.has_node("D")


def test_cut_points_bridges_and_shared_partners_of_the_toy() -> None:
    result = analyze(institution_network(toy()))
    # A-P-B and A-X-C: a tree, so every tie is a bridge and A, P, X are cut points
    assert result.articulation_points == {"A", "P", "X"}
    assert len(result.bridges) == 4
    assert shared_institutions(result.graph) == {"P": ["A", "B"], "X": ["A", "C"]}
    assert result.betweenness["A"] == max(result.betweenness.values())
    assert result.betweenness_samples is None
    assert sorted(n for c in result.communities for n in c) == ["A", "B", "C", "P", "X"]


def test_seed_institution_network_matches_the_ties_in_the_graph(project, graph: Graph) -> None:
    pairs = {
        frozenset((graph.value(t, ORG.member), graph.value(t, ORG.organization)))
        for t in graph.subjects(RDF.type, HKG.Tie)
    }
    net = institution_network(entity_network(graph, load_ontology(project.ontology)))
    assert net.number_of_edges() == len(pairs)
    result = analyze(net)
    top = max(result.betweenness, key=result.betweenness.get)
    assert top in {"inst:jiaozuo-mch", "inst:changzhi-mch"}
    # one network: the authority file makes the two reports' 河南省儿童医院 / 郑州儿童医院 one
    # node, without which it falls in two parts (tests/network/test_explorer_joined.py)
    assert nx.number_connected_components(net) == 1
    assert result.articulation_points >= {"alliance:bch-group-zhengzhou-consortium"}


def test_betweenness_is_sampled_on_large_networks() -> None:
    graph = nx.path_graph(30)
    nx.set_node_attributes(graph, "partner", "kind")
    assert analyze(graph, samples=10).betweenness_samples == 10
    assert analyze(graph, samples=100).betweenness_samples is None


def test_report_sections_and_top() -> None:
    sections = report(analyze(institution_network(toy())), top=2)
    titles = [title for title, _, _ in sections]
    assert titles[0] == "Summary"
    institutions = sections[1]
    assert institutions[1][:2] == ["node", "name"]
    assert len(institutions[2]) == 2
    assert institutions[2][0][0] == "A"
    shared = report(analyze(institution_network(toy())), names=1)[2][2]
    assert [row[0] for row in shared] == ["P", "X"]
    assert shared[0][4:] == [2, "A院 … (+1)"]


def tie_ends(graph: Graph) -> set:
    return {
        end
        for t in graph.subjects(RDF.type, HKG.Tie)
        for end in (graph.value(t, ORG.member), graph.value(t, ORG.organization))
    }


def test_analyze_command_csv_section(graph: Graph) -> None:
    result = run_cli("analyze", "--section", "institutions", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["node"] in {"inst:jiaozuo-mch", "inst:changzhi-mch"}
    assert rows[0]["articulation_point"] == "yes"
    # csv: every organisation, not only the top 20 of a table
    assert len(rows) == len(tie_ends(graph)) > 0


def test_analyze_command_json(graph: Graph) -> None:
    result = run_cli("analyze", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc) == ["summary", "institutions", "shared", "bridges", "communities"]
    summary = {row["measure"]: row["value"] for row in doc["summary"]}
    assert summary["organisations (nodes)"] == len(tie_ends(graph))
    assert len(doc["institutions"]) == len(tie_ends(graph))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "error: --format: 'xlsx' is not one of: table, csv, tsv, json"),
        (["--section", "everything"], "error: --section: 'everything' is not one of: summary, "),
        (["--top", "0"], "error: --top: "),
    ],
)
def test_analyze_refuses_bad_options(args, message: str) -> None:
    result = run_cli("analyze", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
