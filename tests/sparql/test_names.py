"""One name resolver behind `--param`, `--focus` and the Python API."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder.api import KnowledgeGraph, load
from graph_builder.sparql.names import NameLookupError, candidates, iri_of, resolve_name
from tests.conftest import page_data, run_cli

JIAOZUO = "https://w3id.org/hospital-kg/id/institution/jiaozuo-mch"
NAMES = [
    "焦作市妇幼保健院",
    "Jiaozuo Maternal and Child Health Hospital",
    "jiaozuo maternal and child health hospital",  # any case
    "inst:jiaozuo-mch",
    "jiaozuo-mch",
    f"<{JIAOZUO}>",
    JIAOZUO,
    "jiaozuo maternal",  # a unique part of a name
]


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load()


@pytest.mark.parametrize("text", NAMES)
def test_every_form_of_a_name_resolves_to_the_one_iri(kg: KnowledgeGraph, text: str) -> None:
    assert str(resolve_name(kg.graph, text)) == JIAOZUO


@pytest.mark.parametrize("text", NAMES)
def test_the_api_resolves_names_like_the_command_line(kg: KnowledgeGraph, text: str) -> None:
    by_name = kg.run("hospital-profile", hospital=text)
    assert by_name == kg.run("hospital-profile", hospital="inst:jiaozuo-mch")
    assert by_name and {row["hospital"] for row in by_name} == {"inst:jiaozuo-mch"}


def test_exact_names_win_over_partial_ones(kg: KnowledgeGraph) -> None:
    # 焦作市妇幼保健院 is also part of longer names (its units, its consortium).
    partial = candidates(kg.graph, "焦作市妇幼保健")
    assert len(partial) > 1
    assert [str(iri) for iri in candidates(kg.graph, "焦作市妇幼保健院")] == [JIAOZUO]


def test_nothing_and_several_are_refused_with_the_candidates(kg: KnowledgeGraph) -> None:
    with pytest.raises(NameLookupError, match="nothing in the graph is called 'no such hospital'"):
        resolve_name(kg.graph, "no such hospital", what="--focus")
    with pytest.raises(
        NameLookupError, match=r"'焦作' names \d+ things \(alliance:.*\); be more specific"
    ):
        resolve_name(kg.graph, "焦作")


def test_evidence_nodes_are_not_candidates(kg: KnowledgeGraph) -> None:
    assert not [iri for iri in candidates(kg.graph, "焦作") if "/evidence/" in str(iri)]


def test_iri_forms_need_no_lookup() -> None:
    assert str(iri_of("inst:x")) == "https://w3id.org/hospital-kg/id/institution/x"
    assert iri_of("nosuchprefix:x") is None
    assert iri_of("焦作市妇幼保健院") is None


def test_viz_focus_and_query_param_take_the_same_partial_name(tmp_path: Path) -> None:
    out = tmp_path / "ego.html"
    viz = run_cli("viz", "--focus", "jiaozuo maternal", "--depth", "1", "--output", str(out))
    assert viz.returncode == 0, viz.stderr
    assert page_data(out.read_text(encoding="utf-8"))["focus"] == "inst:jiaozuo-mch"
    query = run_cli(
        "query", "hospital-profile", "--param", "hospital=jiaozuo maternal", "--format", "csv"
    )
    assert query.returncode == 0, query.stderr
    assert "inst:jiaozuo-mch" in query.stdout


def test_an_ambiguous_name_is_one_line_and_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "ego.html"
    result = run_cli("viz", "--focus", "妇幼保健院", "--output", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith("error: --focus: '妇幼保健院' names ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_ontology_terms_resolve_by_their_labels_too(kg: KnowledgeGraph) -> None:
    """gap-analysis takes a class: 重点实验室 and 'key laboratory' name hkg:KeyLaboratory."""
    expected = kg.run("gap-analysis", kind="hkg:KeyLaboratory")
    assert expected
    assert kg.run("gap-analysis", kind="重点实验室") == expected
    assert kg.run("gap-analysis", kind="key laboratory") == expected


BAD_IRIS = [
    ("<http://a b>", "it holds a space"),
    ("https://a b", "it holds a space"),
    ("inst:a^b", "it holds '^'"),
    ("inst:a{b}", "it holds '{'"),
    ('<http://a/"x">', "it holds '\"'"),
    ("<http://a/|>", "it holds '|'"),
    ("<http://a/\\x>", "it holds '\\\\'"),
    ("<http://a/`x`>", "it holds '`'"),
    ("<http://a/\x07>", "it holds '\\x07'"),
    ("<http://a/\x85>", "it holds '\\x85'"),
    ("inst:a%zz", "percent encoding '%zz'"),
    ("<relative>", "No scheme"),
    ("<>", "No scheme"),
]


@pytest.mark.parametrize(("text", "why"), BAD_IRIS)
def test_iris_rfc_3987_excludes_are_refused_before_any_lookup(text: str, why: str) -> None:
    """No graph is needed: the text is refused as an IRI before it could reach a store."""
    with pytest.raises(NameLookupError) as refused:
        resolve_name(Graph(), text, what="parameter 'h'")
    message = str(refused.value)
    assert message.startswith(f"parameter 'h': {text!r} is not a valid IRI: ")
    assert why in message


def test_valid_iris_pass_unchanged() -> None:
    assert str(iri_of("inst:a%20b")) == "https://w3id.org/hospital-kg/id/institution/a%20b"
    assert str(iri_of("<urn:x:y>")) == "urn:x:y"
    assert str(iri_of("<https://例子.中国/医院>")) == "https://例子.中国/医院"


def test_a_bad_iri_parameter_is_one_line_on_both_stores() -> None:
    for store in ("oxigraph", "memory"):
        result = run_cli("query", "timeline", "--param", "hospital=<http://a b>", "--store", store)
        assert result.returncode == 2
        assert result.stderr == (
            "error: parameter 'hospital': '<http://a b>' is not a valid IRI: it holds a space\n"
        )
