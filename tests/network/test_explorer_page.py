"""The explorer page as a file: self-contained, escaped, stable, and refused on bad options."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph_builder.network.entities import entity_network
from graph_builder.network.explorer import render_explorer
from graph_builder.network.view_selection import choose_view
from graph_builder.rdf.formats import format_named
from graph_builder.rdf.vocabulary import load_ontology
from tests.conftest import (
    HOSTILE,
    SCRIPT_BREAK,
    hostile_graph,
    outputs_under_hash_seeds,
    page_data,
    run_cli,
)


class Resources(HTMLParser):
    """Every URL-bearing attribute and every element name in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster") and value:
                self.urls.append(value)


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("viz") / "explorer.html"
    result = run_cli("viz", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout or out.name in result.stdout
    return out.read_text(encoding="utf-8")


def test_page_loads_nothing_from_anywhere(seed_page: str) -> None:
    parser = Resources()
    parser.feed(seed_page)
    assert parser.urls == []  # no src/href at all: scripts and styles are inline
    assert "link" not in parser.tags
    assert parser.tags.count("script") == 3  # data, vis-network, explorer
    assert "default-src 'none'" in seed_page  # and the CSP forbids loading anything


def test_page_holds_the_whole_seed_network(project, graph, seed_page: str) -> None:
    data = page_data(seed_page)
    net = entity_network(graph, load_ontology(project.ontology))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(net)
    assert len(data["edges"]) == net.number_of_edges()
    labels = {n["label"] for n in data["nodes"]}
    assert {"焦作市妇幼保健院", "长治市妇幼保健院"} <= labels
    assert data["physics"] is True  # small graph: seeded physics that settles
    assert data["options"]["layout"]["randomSeed"]


def test_legend_lists_every_kind_drawn(seed_page: str) -> None:
    data = page_data(seed_page)
    kinds = {n["kind"] for n in data["nodes"]}
    legend = set(re.findall(r'data-kind="([a-z]+)"', seed_page))
    assert legend == kinds
    assert {"hospital", "partner", "alliance", "designation"} <= kinds


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first, second = outputs_under_hash_seeds(tmp_path, "viz")
    assert first == second


def test_english_page_marks_translations(tmp_path: Path) -> None:
    out = tmp_path / "en.html"
    assert run_cli("viz", "--lang", "en", "--output", str(out)).returncode == 0
    data = page_data(out.read_text(encoding="utf-8"))
    jiaozuo = next(n for n in data["nodes"] if n["id"] == "inst:jiaozuo-mch")
    assert jiaozuo["label"] == "Jiaozuo Maternal and Child Health Hospital"
    assert jiaozuo["info"]["note"] == "(translation)"
    assert ["Chinese name (as written)", "焦作市妇幼保健院"] in jiaozuo["info"]["rows"]


def test_labels_are_escaped_in_the_page(project, graph) -> None:
    ontology = load_ontology(project.ontology)
    net = entity_network(hostile_graph(graph), ontology)
    html = render_explorer(choose_view(net), ontology, "zh").html
    assert HOSTILE not in html
    assert SCRIPT_BREAK not in html
    assert "onerror=alert(1)" in html  # present, but only as escaped text in the JSON
    data = page_data(html)
    node = next(n for n in data["nodes"] if n["id"] == "inst:hostile")
    assert node["label"] == HOSTILE  # round-trips exactly
    edge = next(e for e in data["edges"] if e["id"].startswith("fact:hostile-tie"))
    assert edge["info"]["evidence"][0]["quote"] == f"{HOSTILE} & {SCRIPT_BREAK}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "fr"], "error: --lang: 'fr' is not one of: zh, en"),
        (["--kinds", "designation,hospitals"], "error: --kinds: unknown kind 'hospitals'"),
        (["--focus", "no such hospital"], "error: --focus: nothing in the graph is called"),
        (["--focus", "妇幼保健院"], "error: --focus: '妇幼保健院' names "),
        (["--depth", "-1"], "error: --depth: "),
        (["--input", "missing.ttl"], "error: --input: no such file: missing.ttl"),
    ],
)
def test_bad_options_are_refused_in_one_line(tmp_path: Path, args, message: str) -> None:
    out = tmp_path / "explorer.html"
    result = run_cli("viz", *args, "--output", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_unparseable_input_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("inst:x a hkg:Hospital .\n<broken", encoding="utf-8")
    out = tmp_path / "explorer.html"
    result = run_cli("viz", "--input", str(bad), "--output", str(out))
    assert result.returncode == 1  # bad data, as for build and serve --data
    assert result.stderr.startswith("error: ") and "bad.ttl" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_focus_and_kinds_make_a_smaller_page(tmp_path: Path) -> None:
    out = tmp_path / "ego.html"
    result = run_cli(
        "viz",
        "--focus",
        "焦作市妇幼保健院",
        "--depth",
        "1",
        "--kinds",
        "partner,alliance",
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["focus"] == "inst:jiaozuo-mch"
    assert {n["kind"] for n in data["nodes"]} == {"hospital", "partner", "alliance"}
    assert "inst:changzhi-mch" not in {n["id"] for n in data["nodes"]}
    assert "Left out by --kinds" in result.stdout


@pytest.mark.parametrize("fmt", ["jsonld", "xml", "turtle"])
def test_viz_and_analyze_read_what_export_writes(tmp_path: Path, fmt: str) -> None:
    """Every exported RDF syntax is a valid --input (viz and analyze refused JSON-LD and
    RDF/XML before the format table)."""
    exported = tmp_path / f"kg{format_named(fmt).suffix}"
    assert run_cli("export", "--format", fmt, "--output", str(exported)).returncode == 0
    page = tmp_path / "explorer.html"
    viz = run_cli("viz", "--input", str(exported), "--output", str(page))
    assert viz.returncode == 0, viz.stderr
    built = run_cli("analyze", "--format", "json")
    read = run_cli("analyze", "--format", "json", "--input", str(exported))
    assert read.returncode == 0, read.stderr
    assert read.stdout == built.stdout
