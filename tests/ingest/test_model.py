"""The model: plain data from both the loader and the synthetic generator."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from graph_builder import Project
from graph_builder.errors import DataError
from graph_builder.ingest import synthetic
from graph_builder.ingest.loader import load_dataset
from graph_builder.ingest.model import (
    Authority,
    Canonical,
    CuratedName,
    Curator,
    Dataset,
    Entity,
    Fact,
    Place,
    Report,
    Span,
)
from graph_builder.ingest.synthetic import synthetic_dataset, synthetic_graph
from graph_builder.ingest.yaml_records import Record
from graph_builder.rdf import builder
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.vocabulary import Vocabulary

MODEL = (Dataset, Place, Report, Entity, Fact, Span)
#: The authority file's records: in a loaded dataset, not in a synthetic one.
AUTHORITY = (Authority, Curator, Canonical, CuratedName)


@pytest.fixture(scope="module")
def loaded(project: Project, ontology: Graph) -> Dataset:
    return load_dataset(project.data_dir, Vocabulary(ontology), project.root)


@pytest.fixture(scope="module")
def synthesised(ontology: Graph) -> Dataset:
    return synthetic_dataset(40, 3, ontology=ontology)[0]


def _walk(value: Any) -> Iterator[Any]:
    """Every object reachable from `value` through dataclass fields and containers."""
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key)
            yield from _walk(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item)


@pytest.mark.parametrize("which", ["loaded", "synthesised"])
def test_the_model_holds_no_yaml_and_no_paths(request: pytest.FixtureRequest, which: str) -> None:
    dataset: Dataset = request.getfixturevalue(which)
    objects = list(_walk(dataset))
    assert len(objects) > 1000
    assert not [o for o in objects if isinstance(o, (Record, Path))]
    classes = {type(o) for o in objects if dataclasses.is_dataclass(o)}
    assert classes == set(MODEL) | (set(AUTHORITY) if which == "loaded" else set())


def test_synthetic_and_loaded_datasets_are_the_same_model(
    loaded: Dataset, synthesised: Dataset
) -> None:
    for dataset in (loaded, synthesised):
        assert {type(p) for p in dataset.places.values()} == {Place}
        assert {type(r) for r in dataset.reports.values()} == {Report}
        assert {type(e) for e in dataset.entities.values()} == {Entity}
        assert {type(f) for f in dataset.facts} == {Fact}
        for report in dataset.reports.values():
            assert isinstance(report.review_year, int)
            assert report.subject in dataset.entities
            for person in report.reporters + report.photographers:
                assert dataset.entities[person].section == "people"
        for fact in dataset.facts:
            assert fact.report in dataset.reports


def test_report_metadata_is_typed(loaded: Dataset) -> None:
    report = loaded.reports["jiaozuo-mch-2024"]
    assert report.title == "聚力高质量 扬帆启新程"
    assert report.subtitle == "焦作市妇幼保健院2024年工作亮点回眸"
    assert report.review_year == 2024
    assert report.language == "zh"
    assert report.subject == "jiaozuo-mch"
    assert report.reporters == ("jin-shanshan", "liang-zhiling")
    assert report.photographers == ("lin-xiaoyuan",)
    assert loaded.reports["changzhi-mch-2023"].photographers == ()


def test_report_source_file_is_the_text_relative_to_the_root(
    project: Project, loaded: Dataset
) -> None:
    for report in loaded.reports.values():
        assert report.source_file == f"data/reports/{report.id}.txt"
        data = (project.root / report.source_file).read_bytes()
        assert report.text == data.decode("utf-8")
        assert report.sha256 == hashlib.sha256(data).hexdigest()


def test_source_file_follows_the_root_given(project: Project, ontology: Graph) -> None:
    dataset = load_dataset(project.data_dir, Vocabulary(ontology), root=project.data_dir)
    assert {r.source_file for r in dataset.reports.values()} == {
        "reports/changzhi-mch-2023.txt",
        "reports/jiaozuo-mch-2024.txt",
    }


def test_a_report_text_outside_the_root_is_refused(scratch: Project, ontology: Graph) -> None:
    with pytest.raises(DataError, match="is outside") as caught:
        load_dataset(scratch.data_dir, Vocabulary(ontology), root=scratch.data_dir / "facts")
    assert caught.value.path is not None and caught.value.path.suffix == ".yaml"


def test_synthetic_reports_are_their_quotes(synthesised: Dataset) -> None:
    items: list[Entity | Fact] = [*synthesised.entities.values(), *synthesised.facts]
    spans = [span for item in items for span in item.spans]
    assert len(spans) > 1000
    for span in spans:
        text = synthesised.reports[span.report].text
        assert text[span.start : span.end] == span.quote
    for report in synthesised.reports.values():
        assert report.source_file == f"reports/{report.id}.txt"


def test_an_ontology_given_is_not_parsed_again(
    monkeypatch: pytest.MonkeyPatch, project: Project, ontology: Graph, graph: Graph
) -> None:
    expected = synthetic_graph(20, 5, project)

    def refuse(path: Path) -> Graph:
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr(builder, "load_ontology", refuse)
    monkeypatch.setattr(synthetic, "load_ontology", refuse)
    assert set(build_graph(project, ontology=ontology)) == set(graph)
    assert set(synthetic_graph(20, 5, ontology=ontology)) == set(expected)
