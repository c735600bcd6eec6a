"""A project root that is missing or is a file is one UsageError, for the CLI and the API."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder import Project
from graph_builder.errors import UsageError
from tests.conftest import REPO, run_cli


def test_a_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"project root .*/missing does not exist"):
        Project.find(tmp_path / "missing")


def test_a_file_as_root_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"project root .*/README\.md is not a directory"):
        Project.find(REPO / "README.md")


def test_the_environment_variable_is_checked_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSPITAL_KG_ROOT", str(tmp_path / "gone"))
    with pytest.raises(UsageError, match="does not exist"):
        Project.find()


def test_a_symlink_loop_is_a_usage_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(UsageError, match="project root"):
        Project.find(loop)


def test_an_existing_root_is_found_resolved(tmp_path: Path) -> None:
    assert Project.find(tmp_path / "." / "").root == tmp_path.resolve()


@pytest.mark.parametrize("command", [["build"], ["stats"], ["export", "-f", "nt"], ["queries"]])
def test_every_command_says_so_in_one_line(tmp_path: Path, command: list[str]) -> None:
    result = run_cli(*command, "--root", str(tmp_path / "missing"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: project root {tmp_path.resolve()}/missing does not exist "
        "(--root, HOSPITAL_KG_ROOT)"
    ]
    assert list(tmp_path.iterdir()) == []
