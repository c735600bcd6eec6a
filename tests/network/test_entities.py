"""The entity network: every fact becomes edges that carry its evidence verbatim."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDF

from graph_builder.network.entities import KINDS, entity_network
from graph_builder.rdf.namespaces import HKG
from graph_builder.rdf.vocabulary import load_ontology


@pytest.fixture(scope="module")
def net(project, graph: Graph) -> nx.MultiDiGraph:
    return entity_network(graph, load_ontology(project.ontology))


def curie(graph: Graph, term) -> str:
    return graph.namespace_manager.curie(term)


def test_every_conferral_is_an_edge_from_recipient_to_designation(
    graph: Graph, net: nx.MultiDiGraph
) -> None:
    expected = {
        (curie(graph, graph.value(f, HKG.recipient)), curie(graph, graph.value(f, HKG.designation)))
        for f in graph.subjects(RDF.type, HKG.Conferral)
    }
    drawn = {(u, v) for u, v, r in net.edges(data="relation") if r == "conferral"}
    assert drawn == expected
    assert len(expected) > 20


def test_every_tie_is_an_edge_named_by_its_roles(graph: Graph, net: nx.MultiDiGraph) -> None:
    ties = list(graph.subjects(RDF.type, HKG.Tie))
    edges = {d["fact"]: d for _, _, d in net.edges(data=True) if d["relation"] == "tie"}
    assert len(edges) == len(ties) == 17
    co_branded = [d for d in edges.values() if "挂牌" in d["label_zh"]]
    assert co_branded and all("co-branded" in d["label_en"] for d in co_branded)


def test_edges_carry_the_quotes_verbatim(graph: Graph, net: nx.MultiDiGraph) -> None:
    checked = 0
    for _, _, data in net.edges(data=True):
        if not data["fact"]:
            continue
        fact = graph.namespace_manager.expand_curie(data["fact"])
        quotes = sorted(
            str(graph.value(ev, PROV.value)) for ev in graph.objects(fact, PROV.wasDerivedFrom)
        )
        assert sorted(e["quote"] for e in data["evidence"]) == quotes
        assert all(e["report"] and e["report_year"] in ("2023", "2024") for e in data["evidence"])
        checked += 1
    assert checked > 60


def test_kinds_of_the_seed_institutions(net: nx.MultiDiGraph) -> None:
    kinds = dict(net.nodes(data="kind"))
    assert {n for n, k in kinds.items() if k == "hospital"} == {
        "inst:changzhi-mch",
        "inst:jiaozuo-mch",
        "inst:beijing-childrens-hospital",  # holds 国家儿童医学中心 (a conferral)
        # Jiaozuo's partner, and, as 郑州儿童医院, in the consortium named after it
        "inst:henan-childrens-hospital",
    }
    assert kinds["inst:fudan-childrens-hospital"] == "partner"
    assert kinds["inst:caae"] == "issuer"
    assert kinds["alliance:jiaozuo-mch-service-consortium"] == "alliance"
    assert kinds["person:li-xiaohong"] == "person"
    assert set(kinds.values()) <= set(KINDS)


def test_kinds_and_relations_are_named_by_the_ontology(net: nx.MultiDiGraph) -> None:
    jiaozuo = net.nodes["inst:jiaozuo-mch"]
    assert (jiaozuo["class_zh"], jiaozuo["class_en"]) == (
        "妇幼保健院",
        "Maternal and child health hospital",
    )
    posts = [d for _, _, d in net.edges(data=True) if d["relation"] == "post"]
    assert {d["label_zh"] for d in posts} == {"党委书记", "院长"}


def test_entities_without_links_are_left_out(graph: Graph, net: nx.MultiDiGraph) -> None:
    reporters = {curie(graph, p) for p in graph.objects(None, DCTERMS.creator)}
    assert reporters
    assert not reporters & set(net)  # a reporter takes part in no fact
    assert all(net.degree(n) > 0 for n in net)


def test_the_network_does_not_depend_on_iteration_order(project, graph: Graph) -> None:
    shuffled = Graph()
    for triple in sorted(graph, key=lambda t: t[2].n3(), reverse=True):
        shuffled.add(triple)
    ontology = load_ontology(project.ontology)
    a, b = entity_network(graph, ontology), entity_network(shuffled, ontology)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_every_conferred_designation_is_a_node(graph: Graph, net: nx.MultiDiGraph) -> None:
    conferred = {curie(graph, d) for d in graph.objects(None, HKG.designation)}
    designations = {n for n, k in net.nodes(data="kind") if k == "designation"}
    assert designations == conferred
