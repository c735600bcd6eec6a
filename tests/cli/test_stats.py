"""`stats` counts agree with the graph; `query` runs SPARQL with predeclared prefixes."""

from __future__ import annotations

import json

from rdflib import Graph
from rdflib.namespace import RDF

from graph_builder.rdf.namespaces import HKG
from tests.conftest import run_cli


def test_stats_json_counts_match_the_graph(graph: Graph) -> None:
    result = run_cli("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    classes = {row["class"]: row["instances"] for row in doc["Instances per class"]}
    assert classes["hkg:Conferral"] == len(set(graph.subjects(RDF.type, HKG.Conferral)))
    assert classes["hkg:Evidence"] == len(set(graph.subjects(RDF.type, HKG.Evidence)))
    relations = {row["relation"]: row["triples"] for row in doc["Triples per relation"]}
    assert sum(relations.values()) == len(graph)
    facts = {row["fact kind"]: row for row in doc["Facts per kind and report"]}
    assert facts["all facts"]["total"] == len(set(graph.subjects(RDF.type, HKG.Fact)))


def test_stats_table_is_readable() -> None:
    result = run_cli("stats")
    assert result.returncode == 0
    assert "Facts per kind and report" in result.stdout
    assert "report:changzhi-mch-2023" in result.stdout


def test_query_command_runs_a_file_with_predeclared_prefixes() -> None:
    result = run_cli("query", "queries/national-designations.rq", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "hospital,hospitalName,designation,kind,batch,year"
    assert "inst:changzhi-mch,长治市妇幼保健院,CAAE一级癫痫中心,Centre,第二批," in lines
    jiaozuo = "inst:jiaozuo-mch,焦作市妇幼保健院,国家妇幼中医药特色建设单位"
    assert f"{jiaozuo},Development programme unit,,2024" in lines
