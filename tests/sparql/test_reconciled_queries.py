"""With the authority file, the two founding hospitals' networks meet: the queries that look
for shared institutions and for paths between hospitals find them, on both stores."""

from __future__ import annotations

import pytest

from graph_builder import load
from graph_builder.api import KnowledgeGraph


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def kg(request: pytest.FixtureRequest) -> KnowledgeGraph:
    return load(store=request.param)


def test_network_overlap_names_the_hospital_both_reports_name(kg: KnowledgeGraph) -> None:
    """河南省儿童医院 (Jiaozuo's partner) is the 郑州儿童医院 Changzhi's consortium is named
    after: one node, tied to both hospitals."""
    rows = kg.run("network-overlap")
    shared = {row["institution"]: row for row in rows}
    assert "inst:henan-childrens-hospital" in shared
    assert int(shared["inst:henan-childrens-hospital"]["hospitals"]) == 2


def test_the_merge_carries_the_curators_source(kg: KnowledgeGraph) -> None:
    rows = kg.sparql(
        """SELECT ?name ?source ?curator WHERE {
             inst:henan-childrens-hospital hkg:curatorAssertion ?a .
             ?a hkg:assertedName ?name ; dcterms:source ?source ; prov:wasAttributedTo ?curator .
             FILTER (STR(?name) = "郑州儿童医院") }"""
    )
    assert len(rows) == 1
    assert str(rows[0]["source"]).startswith("<https://")  # an IRI, as the API shows IRIs
    assert rows[0]["curator"] == "agent:hospital-kg-curators"


def test_the_names_the_reports_wrote_stay_on_the_merged_node(kg: KnowledgeGraph) -> None:
    rows = kg.sparql(
        """SELECT ?label ?alt WHERE { inst:henan-childrens-hospital rdfs:label ?label ;
             skos:altLabel ?alt }"""
    )
    assert {(str(r["label"]), str(r["alt"])) for r in rows} == {("河南省儿童医院", "郑州儿童医院")}


def test_paths_between_the_two_hospitals(kg: KnowledgeGraph) -> None:
    rows = kg.run("paths-between")
    assert rows, "the founding hospitals are joined"
    assert all(
        row["from"] == "inst:changzhi-mch" and row["to"] == "inst:jiaozuo-mch" for row in rows
    )
    vias = {(row["via1"], row["via2"]) for row in rows}
    assert ("alliance:bch-group-zhengzhou-consortium", "inst:henan-childrens-hospital") in vias
    hops = [int(str(row["hops"])) for row in rows]
    assert set(hops) <= {1, 2} and hops == sorted(hops)


def test_paths_between_a_hospital_and_itself_are_none(kg: KnowledgeGraph) -> None:
    assert kg.run("paths-between", **{"from": "inst:jiaozuo-mch", "to": "inst:jiaozuo-mch"}) == []
