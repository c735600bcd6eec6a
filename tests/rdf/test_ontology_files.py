"""A broken ontology or shapes file is one DataError naming the file (and line), not a traceback.

rdflib raises BadSyntax with the surrounding text over several lines, and
pySHACL raises (and logs) its own errors for Turtle that is not usable SHACL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder import Project, build_graph
from graph_builder.errors import DataError
from graph_builder.rdf.validate import check_shacl
from graph_builder.rdf.vocabulary import load_ontology


def _break(path: Path, old: str, new: str) -> int:
    """Replace `old` once; return its 1-based line."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def test_an_ontology_syntax_error_names_file_and_line(scratch: Project) -> None:
    line = _break(scratch.ontology, "hkg:Hospital a owl:Class", "hkg:Hospital a owl:Class oops")
    with pytest.raises(DataError) as caught:
        load_ontology(scratch.ontology)
    assert (caught.value.path, caught.value.line) == (scratch.ontology, line)
    assert caught.value.message.startswith("Turtle syntax error: expected")
    assert "\n" not in str(caught.value)


def test_build_graph_reports_a_broken_ontology(scratch: Project) -> None:
    _break(scratch.ontology, "@prefix hkg:", "@prefix hkg")
    with pytest.raises(DataError, match="Turtle syntax error"):
        build_graph(scratch)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe<a> <b> <c> .", "not UTF-8 text"),
        (b"<http://x/s> <http://x/p> " + b"(" * 3000 + b")" * 3000 + b" .", "nested too deeply"),
    ],
    ids=["not UTF-8", "nested too deeply"],
)
def test_other_unreadable_ontologies(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "o.ttl"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as caught:
        load_ontology(path)
    assert caught.value.path == path


def test_a_missing_ontology_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read: No such file or directory"):
        load_ontology(tmp_path / "missing.ttl")


@pytest.fixture(scope="module")
def shapes_inputs(graph: Graph, ontology: Graph) -> tuple[Graph, Graph]:
    return graph, ontology


def test_a_shapes_syntax_error_names_file_and_line(
    scratch: Project, shapes_inputs: tuple[Graph, Graph]
) -> None:
    line = _break(scratch.shapes, "sh:minCount 1 ;", "sh:minCount 1 oops ;")
    with pytest.raises(DataError) as caught:
        check_shacl(*shapes_inputs, scratch.shapes)
    assert (caught.value.path, caught.value.line) == (scratch.shapes, line)
    assert caught.value.message.startswith("Turtle syntax error")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("sh:minCount 1 ;", 'sh:minCount "one" ;', "MinCountConstraintComponent sh:minCount"),
        ("sh:path rdfs:label ;", 'sh:path "label" ;', "Values of a property path cannot be"),
    ],
    ids=["bad constraint", "bad path"],
)
def test_shapes_that_are_not_shacl_are_one_line(
    scratch: Project,
    shapes_inputs: tuple[Graph, Graph],
    capfd: pytest.CaptureFixture[str],
    old: str,
    new: str,
    message: str,
) -> None:
    _break(scratch.shapes, old, new)
    with pytest.raises(DataError) as caught:
        check_shacl(*shapes_inputs, scratch.shapes)
    assert caught.value.path == scratch.shapes
    assert caught.value.message.startswith(f"invalid SHACL shapes: {message}")
    assert "\n" not in str(caught.value)
    assert capfd.readouterr().err == ""  # pySHACL's own log line is silenced


def test_a_sparql_constraint_that_does_not_parse(
    scratch: Project, shapes_inputs: tuple[Graph, Graph]
) -> None:
    _break(scratch.shapes, "SELECT", "SELEKT")
    with pytest.raises(DataError, match="invalid SHACL shapes: Expected"):
        check_shacl(*shapes_inputs, scratch.shapes)
