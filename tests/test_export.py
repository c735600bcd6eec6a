"""Every export format re-parses into a graph isomorphic to the built one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph_builder.rdf.export import FORMATS

from .conftest import run_cli

RDFLIB_PARSER = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


@pytest.mark.parametrize("fmt", sorted(RDFLIB_PARSER))
def test_export_round_trips(graph: Graph, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"kg{FORMATS[fmt].suffix}"
    result = run_cli("export", "--format", fmt, "--output", str(out))
    assert result.returncode == 0, result.stderr
    parsed = Graph().parse(out, format=RDFLIB_PARSER[fmt])
    assert len(parsed) == len(graph)
    assert isomorphic(parsed, graph)


@pytest.mark.parametrize("fmt", sorted(RDFLIB_PARSER))
def test_export_is_deterministic(graph: Graph, fmt: str) -> None:
    assert FORMATS[fmt].serialize(graph) == FORMATS[fmt].serialize(graph)


def test_with_ontology_adds_the_ontology(project, graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "full.ttl"
    assert run_cli("export", "--output", str(out), "--with-ontology").returncode == 0
    ontology = Graph().parse(project.ontology)
    parsed = Graph().parse(out)
    assert len(parsed) == len(graph + ontology)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "x.out"
    result = run_cli("export", "--format", "yaml", "--output", str(out))
    assert result.returncode == 2
    assert "unknown format 'yaml'" in result.stderr
    assert not out.exists()


def test_exports_get_the_usual_file_mode(tmp_path: Path) -> None:
    """Atomic writes start from a private temp file; the result must not stay 0600."""
    import os

    out = tmp_path / "kg.ttl"
    assert run_cli("export", "--output", str(out)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
