"""One error boundary: every error a user can cause is one `error:` line and an exit code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph_builder.errors import DataError, HospitalKgError, UsageError
from tests.conftest import REPO, run_cli

CHOICES = [
    (["stats", "--format", "yaml"], "--format: 'yaml' is not one of: table, csv, tsv, json"),
    (["queries", "--format", "yaml"], "--format: 'yaml' is not one of: table, csv, tsv, json"),
    (["query", "timeline", "--format", "xml"], "--format: 'xml' is not one of: table, "),
    (["query", "timeline", "--store", "disk"], "--store: 'disk' is not one of: oxigraph, memory"),
    (["export", "--format", "yaml"], "--format: 'yaml' is not one of: turtle, jsonld, nt, xml, "),
    (["analyze", "--section", "all"], "--section: 'all' is not one of: summary, institutions, "),
    (["viz", "--lang", "fr"], "--lang: 'fr' is not one of: zh, en"),
    (["synth", "--hospitals", "0"], "--hospitals: "),
    (["synth", "--output", "x.csv"], "cannot write x.csv: not an RDF file suffix we know"),
]


@pytest.mark.parametrize(("args", "message"), CHOICES)
def test_a_bad_choice_is_refused_before_any_work(tmp_path: Path, args, message: str) -> None:
    """The project root is empty: had the command started work, it would fail on that."""
    result = run_cli(*args, "--root", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_option_is_one_line_pointing_at_help() -> None:
    result = run_cli("stats", "--fromat", "csv")
    assert result.returncode == 2
    assert result.stderr.startswith("error: No such option: --fromat")
    assert "(see hospital-kg stats --help)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    result = run_cli("export", "--output", str(blocker / "kg.ttl"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "not-a-directory" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_command_prints_the_commands() -> None:
    result = run_cli()
    assert result.returncode == 0
    assert "build" in result.stdout and "serve" in result.stdout


def test_project_errors_carry_their_exit_codes() -> None:
    assert issubclass(DataError, HospitalKgError) and DataError(None, None, "x").exit_code == 1
    assert issubclass(UsageError, HospitalKgError) and UsageError("x").exit_code == 2


def test_no_command_module_catches_errors_itself() -> None:
    """Commands raise; only cli/app.py's main() turns errors into lines and exit codes."""
    catching = []
    for path in sorted((REPO / "graph_builder" / "cli").glob("*.py")):
        if path.name == "app.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        catching += [
            f"{path.name}:{node.lineno}" for node in ast.walk(tree) if isinstance(node, ast.Try)
        ]
    assert catching == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--output", "{tmp}"], "error: cannot write {tmp}: it is a directory"),
        (["query", "timeline", "--param", "hospital="], "error: parameter 'hospital': an empty "),
        (["queries", "--root", "{tmp}"], "error: no query library: {tmp}/queries is not a dir"),
    ],
)
def test_more_bad_input_is_one_line_and_exit_2(tmp_path: Path, args, message: str) -> None:
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(message.format(tmp=tmp_path))
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
