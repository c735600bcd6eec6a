"""Streamed synth: built a chunk of hospitals at a time and merged, it writes exactly the
bytes the whole graph's export writes, and nothing half-written when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from graph_builder.ingest import synthetic
from graph_builder.ingest.synthetic import (
    REGISTRY,
    dataset_chunks,
    synthetic_dataset,
    synthetic_graph,
    write_synthetic_nt,
)
from graph_builder.project import Project
from graph_builder.rdf import chunked
from graph_builder.rdf.chunked import ChunkedNTriples, nt_line
from graph_builder.rdf.export import export_graph, serialize
from graph_builder.rdf.vocabulary import load_ontology


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(Project.find().ontology)


@pytest.mark.parametrize(("hospitals", "chunk"), [(30, 7), (300, 64), (30, 1000)])
def test_the_streamed_file_is_the_whole_graphs_export(
    tmp_path: Path, ontology: Graph, hospitals: int, chunk: int
) -> None:
    reference, streamed = tmp_path / "reference.nt", tmp_path / "streamed.nt"
    export_graph(synthetic_graph(hospitals, 42, ontology=ontology), "nt", reference)
    written = write_synthetic_nt(streamed, hospitals, 42, Project.find(), chunk)
    assert streamed.read_bytes() == reference.read_bytes()
    assert written.bytes == reference.stat().st_size
    assert written.triples == reference.read_bytes().count(b"\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reference.nt", "streamed.nt"]


def test_every_chunk_holds_the_registry_and_each_hospital_is_in_one(ontology: Graph) -> None:
    dataset, _ = synthetic_dataset(25, 3, ontology=ontology)
    parts = list(dataset_chunks(dataset, 10))
    assert len(parts) == 3
    hospital_reports = [r for part in parts for r in part.reports if r != REGISTRY]
    assert sorted(hospital_reports) == sorted(r for r in dataset.reports if r != REGISTRY)
    assert all(REGISTRY in part.reports and part.places == dataset.places for part in parts)
    assert sum(len(p.facts) for p in parts) == len(dataset.facts)  # the registry quotes none


def test_sorted_lines_order_as_the_canonical_export() -> None:
    """Objects that are prefixes of one another, language tags, datatypes, escapes."""
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    graph = Graph()
    objects = [
        Literal("abc"),
        Literal("abc", lang="zh"),
        Literal("abc", lang="zh-cn"),
        Literal("abc d"),
        Literal('a"b'),
        Literal("a\\b"),
        Literal(5),
        Literal(50),
        URIRef("http://example.org/o"),
        URIRef("http://example.org/o2"),
    ]
    for obj in objects:
        graph.add((s, p, obj))
        graph.add((URIRef("http://example.org/s2"), p, obj))
        graph.add((s, URIRef("http://example.org/p2"), obj))
    assert b"".join(sorted(nt_line(t) for t in graph)) == serialize(graph, "nt")


def test_a_literal_with_a_line_break_is_refused() -> None:
    triple = (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("a\nb"))
    with pytest.raises(ValueError, match="line break"):
        nt_line(triple)


@pytest.mark.parametrize("error", [OSError, KeyboardInterrupt])
def test_a_failed_merge_leaves_the_old_file_and_no_temporaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    target = tmp_path / "national.nt"
    target.write_bytes(b"old\n")

    def fail(chunks: list[Path], advance: object) -> object:
        yield b"<a> <b> <c> .\n"
        raise error("stopped midway")

    monkeypatch.setattr(chunked, "_merged", fail)
    with pytest.raises(error):
        write_synthetic_nt(target, 12, 1, Project.find(), chunk=5)
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["national.nt"]


def test_a_failed_chunk_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "national.nt"

    def fail(self: ChunkedNTriples, graph: Graph) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(ChunkedNTriples, "add", fail)
    with pytest.raises(KeyboardInterrupt):
        write_synthetic_nt(target, 5, 1, Project.find(), chunk=2)
    assert list((tmp_path / "out").iterdir()) == []


def test_generation_reports_each_hospital(ontology: Graph) -> None:
    seen: list[int] = []
    synthetic.synthetic_dataset(7, 1, ontology=ontology, progress=seen.append)
    assert seen == [1] * 7
