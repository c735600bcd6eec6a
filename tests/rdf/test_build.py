"""Building: the seed graph's content, stable IRIs and byte-identical output."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph_builder.rdf.namespaces import BASE, HKG, INST
from tests.conftest import outputs_under_hash_seeds, run_cli


def test_both_hospitals_have_exact_chinese_labels(tmp_path: Path) -> None:
    out = tmp_path / "x.ttl"
    result = run_cli("export", "--format", "turtle", "--output", str(out))
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(out, format="turtle")
    for ident, label in (("changzhi-mch", "长治市妇幼保健院"), ("jiaozuo-mch", "焦作市妇幼保健院")):
        labels = set(graph.objects(INST[ident], RDFS.label))
        assert labels == {Literal(label, lang="zh")}
        assert (INST[ident], RDF.type, HKG.MaternalAndChildHealthHospital) in graph


def test_build_writes_turtle_and_prints_counts(tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    result = run_cli("build", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "triples" in result.stdout and "hkg:Conferral" in result.stdout
    triples = int(re.search(r"(\d+) triples", result.stdout).group(1))
    assert len(Graph().parse(out, format="turtle")) == triples


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    outputs = outputs_under_hash_seeds(tmp_path, "build")
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 10_000


def test_iris_are_readable_ascii_under_our_base(graph: Graph) -> None:
    ours = {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(BASE)}
    assert ours
    pattern = re.compile(
        r"^https://w3id\.org/hospital-kg/(id/[a-z]+/[a-z0-9-]+|id/dataset|vocab/[a-z0-9-]+|ontology#[A-Za-z][A-Za-z0-9]*)$"
    )
    bad = sorted(str(t) for t in ours if not pattern.match(str(t)))
    assert bad == []


def test_no_blank_nodes(graph: Graph) -> None:
    assert not [t for triple in graph for t in triple if not isinstance(t, URIRef | Literal)]


def test_english_labels_are_marked_as_translations(project, graph: Graph) -> None:
    ontology = Graph().parse(project.ontology)
    comment = str(ontology.value(HKG.englishLabel, RDFS.comment))
    assert "translation" in comment
    # English never sits in rdfs:label: that property holds the words as written.
    assert not [o for o in graph.objects(None, RDFS.label) if getattr(o, "language", None) == "en"]
