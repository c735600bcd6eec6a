"""Every export format re-parses into the built graph, byte-identical under any hash seed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph_builder.cli.graph_commands import EXPORT_FORMATS
from graph_builder.rdf.formats import RDF_FORMATS, format_named
from tests.conftest import outputs_under_hash_seeds, run_cli

RDF = [f.name for f in RDF_FORMATS if f.writable]


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated")  # rdflib's N-Quads
@pytest.mark.parametrize("fmt", RDF)
def test_export_round_trips(graph: Graph, tmp_path: Path, fmt: str) -> None:
    rdf = format_named(fmt)
    out = tmp_path / f"kg{rdf.suffix}"
    result = run_cli("export", "--format", fmt, "--output", str(out))
    assert result.returncode == 0, result.stderr
    parsed = Graph().parse(out, format=rdf.rdflib_parser)
    assert len(parsed) == len(graph)
    assert isomorphic(parsed, graph)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_is_byte_identical_under_two_hash_seeds(tmp_path: Path, fmt: str) -> None:
    first, second = outputs_under_hash_seeds(tmp_path, "export", "--format", fmt)
    assert first == second
    assert len(first) > 10_000


def test_export_offers_every_writable_rdf_format_and_the_network_ones() -> None:
    assert list(EXPORT_FORMATS) == [*RDF, "graphml", "gexf"]


def test_with_ontology_adds_the_ontology(project, graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "full.ttl"
    assert run_cli("export", "--output", str(out), "--with-ontology").returncode == 0
    ontology = Graph().parse(project.ontology)
    parsed = Graph().parse(out)
    assert len(parsed) == len(graph + ontology)


def test_unknown_format_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "x.out"
    result = run_cli("export", "--format", "yaml", "--output", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith("error: --format: 'yaml' is not one of: turtle, ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_exports_get_the_usual_file_mode(tmp_path: Path) -> None:
    """Atomic writes start from a private temp file; the result must not stay 0600."""
    out = tmp_path / "kg.ttl"
    assert run_cli("export", "--output", str(out)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
