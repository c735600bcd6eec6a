"""`hospital-kg extract` and `accept` as a user runs them: outputs, the full path from a new
report to the graph, and refusals that are one line and write nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDFS

from graph_builder import Project
from graph_builder.extract.candidates import KINDS
from graph_builder.extract.candidates_file import candidates_path, load, set_decision
from graph_builder.rdf.namespaces import HKG, INST
from tests.conftest import run_cli
from tests.extract.new_report import (
    REPORT,
    TEXT,
    add_report,
    hand_made,
    snapshot,
    write_candidates,
)

CONTRACT = {
    "kind",
    "subject",
    "object",
    "level",
    "batch",
    "role",
    "status",
    "year",
    "quote",
    "start",
    "end",
    "confidence",
    "rule",
    "extra",
}


def root(project: Project) -> list[str]:
    return ["--root", str(project.root)]


def one_error(result, code: int = 1) -> str:
    """The run failed with `code` and said why in one `error:` line."""
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def check_contract(document: dict, text: str) -> None:
    """The evaluation contract: the report's name, and candidates quoting the text exactly."""
    assert set(document) == {"report", "candidates"}
    for found in document["candidates"]:
        assert set(found) == CONTRACT
        assert found["kind"] in KINDS
        assert text[found["start"] : found["end"]] == found["quote"]
        assert 0 <= found["confidence"] <= 1


# --- extract ---------------------------------------------------------------------


def test_json_is_the_evaluation_contract(project: Project) -> None:
    result = run_cli("extract", "jiaozuo-mch-2024", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["report"] == "jiaozuo-mch-2024"
    check_contract(document, (project.data_dir / "reports" / "jiaozuo-mch-2024.txt").read_text())
    assert result.stderr.startswith("1 report, ")  # the summary keeps stdout clean


def test_json_of_a_file_outside_the_project_names_its_stem(tmp_path: Path) -> None:
    text = tmp_path / "some-news.txt"
    text.write_text(TEXT, encoding="utf-8")
    result = run_cli("extract", str(text), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["report"] == "some-news"
    check_contract(document, TEXT)


def test_yaml_goes_beside_the_facts_and_the_build_ignores_it(scratch: Project, tmp_path) -> None:
    before = run_cli("build", *root(scratch), "--output", str(tmp_path / "before.ttl"))
    assert before.returncode == 0, before.stderr
    result = run_cli("extract", "jiaozuo-mch-2024", *root(scratch))
    assert result.returncode == 0, result.stderr
    path = candidates_path(scratch.data_dir / "facts", "jiaozuo-mch-2024")
    written = load(path)
    assert written.report == "jiaozuo-mch-2024"
    assert written.hospital is not None and written.hospital.id == "jiaozuo-mch"  # its subject
    assert f"-> {path}" in result.stdout or "-> data/facts/" in result.stdout
    after = run_cli("build", *root(scratch), "--output", str(tmp_path / "after.ttl"))
    assert after.returncode == 0, after.stderr
    assert (tmp_path / "after.ttl").read_bytes() == (tmp_path / "before.ttl").read_bytes()


def test_yaml_of_a_file_outside_data_reports_goes_to_stdout(tmp_path: Path) -> None:
    text = tmp_path / "news.txt"
    text.write_text(TEXT, encoding="utf-8")
    result = run_cli("extract", str(text), "--hospital", "新乡市妇幼保健院")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Candidate facts for report news")
    assert "hospital:\n  name: 新乡市妇幼保健院\n  id: xinxiang-mch\n" in result.stdout


def test_a_folder_runs_in_parallel_and_names_its_failures(scratch: Project, tmp_path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    for report in ("changzhi-mch-2023", "jiaozuo-mch-2024"):
        shutil.copy(scratch.data_dir / "reports" / f"{report}.txt", folder)
    (folder / "crlf.txt").write_bytes("一行\r\n".encode())
    refused = run_cli("extract", str(folder), *root(scratch))
    assert "give --output DIR/" in one_error(refused, 2)
    out = tmp_path / "out"
    result = run_cli("extract", str(folder), *root(scratch), "--output", f"{out}/")
    assert "1 of 3 reports failed" in one_error(result)
    assert "3 reports, " in result.stdout and "1 failed: crlf (" in result.stdout
    assert "CR LF" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "changzhi-mch-2023.candidates.yaml",
        "jiaozuo-mch-2024.candidates.yaml",
    ]


def test_json_of_several_reports_is_one_object_per_line(scratch: Project) -> None:
    result = run_cli("extract", "jiaozuo-mch-2024", "changzhi-mch-2023", "-f", "json")
    assert result.returncode == 0, result.stderr
    names = [json.loads(line)["report"] for line in result.stdout.splitlines()]
    assert names == ["jiaozuo-mch-2024", "changzhi-mch-2023"]
    assert result.stderr.startswith("2 reports, ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "jiaozuo-mch-2024", "--format", "xml"], "--format: 'xml' is not one of"),
        (["extract", "no-such-report"], "not a report id"),
        (["accept", "jiaozuo-mch-2024", "--min-confidence", "2"], "--min-confidence"),
    ],
)
def test_a_bad_command_line_is_one_line(scratch: Project, args: list[str], message: str) -> None:
    before = snapshot(scratch)
    assert message in one_error(run_cli(*args, *root(scratch)), 2)
    assert snapshot(scratch) == before


def test_what_the_extractor_proposes_without_a_problem_accept_takes(scratch: Project) -> None:
    """Whatever the extractor proposes for a seed report (nothing, while it is a stub)."""
    result = run_cli("extract", "jiaozuo-mch-2024", *root(scratch))
    assert result.returncode == 0, result.stderr
    path = candidates_path(scratch.data_dir / "facts", "jiaozuo-mch-2024")
    text = (scratch.data_dir / "reports" / "jiaozuo-mch-2024.txt").read_text(encoding="utf-8")
    for entry in load(path).entries:
        assert text[entry.candidate.start : entry.candidate.end] == entry.candidate.quote
        assert entry.decision == "proposed"
    dry = run_cli(
        "accept", "jiaozuo-mch-2024", "--min-confidence", "0", "--dry-run", *root(scratch)
    )
    assert dry.returncode == 0, dry.stderr


# --- the full path: a new report, its candidates, accept, build ------------------


def test_a_new_report_reaches_the_graph(scratch: Project, tmp_path: Path) -> None:
    add_report(scratch)
    extracted = run_cli("extract", REPORT, *root(scratch))
    assert extracted.returncode == 0, extracted.stderr
    path, proposed = write_candidates(scratch, hand_made())  # the extractor is a stub
    for entry in proposed.entries:
        set_decision(path, entry.id, "accept")
    accepted = run_cli("accept", REPORT, *root(scratch))
    assert accepted.returncode == 0, accepted.stderr
    facts_file = scratch.data_dir / "facts" / f"{REPORT}.yaml"
    assert accepted.stdout.startswith(f"accepted 5 candidates into {facts_file}, with 4 new")
    built = run_cli("build", *root(scratch), "--output", str(tmp_path / "kg.ttl"))
    assert built.returncode == 0, built.stderr
    graph = Graph().parse(tmp_path / "kg.ttl")
    hospital = INST["xinxiang-mch"]
    assert (hospital, RDFS.label, Literal("新乡市妇幼保健院", lang="zh")) in graph
    assert not list(graph.objects(hospital, HKG.englishLabel))
    quotes = {
        str(quote)
        for conferral in graph.subjects(HKG.recipient, hospital)
        for evidence in graph.objects(conferral, PROV.wasDerivedFrom)
        for quote in graph.objects(evidence, PROV.value)
    }
    assert {"成功创建“国家级新生儿保健特色专科”", "获批“河南省出生缺陷防治重点实验室”"} <= quotes
    again = run_cli("accept", REPORT, *root(scratch))
    assert again.returncode == 0 and again.stdout.startswith("nothing to accept")


# --- refusals: one line, nothing written -------------------------------------------


@pytest.fixture()
def reviewed(scratch: Project) -> tuple[Project, Path]:
    add_report(scratch)
    path, proposed = write_candidates(scratch, hand_made())
    for entry in proposed.entries:
        set_decision(path, entry.id, "accept")
    return scratch, path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    quote: 该院院长王丽萍\n", "    quote: 该院院长王丽萍说\n", "quote not found in"),
        ("  decision: accept\n", "  decision: approve\n", "unknown decision 'approve'"),
        ("candidates:\n", "candidates: [\n", "malformed YAML"),
    ],
)
def test_a_refused_accept_is_one_line_and_writes_nothing(
    reviewed, old: str, new: str, message: str
) -> None:
    project, path = reviewed
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(project)
    line = one_error(run_cli("accept", REPORT, *root(project)))
    assert message in line and f"{REPORT}.candidates.yaml:" in line
    assert snapshot(project) == before
