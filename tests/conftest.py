"""Shared fixtures: the built seed graph, a scratch copy of the project, a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder import Project, build_graph

REPO = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("hospital-kg")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run the installed console script, as a user would."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [str(CLI), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=600,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.find(REPO)


@pytest.fixture(scope="session")
def graph(project: Project) -> Graph:
    return build_graph(project)


@pytest.fixture()
def scratch(tmp_path: Path) -> Project:
    """A private copy of ontology/ and data/ that a test may break."""
    for name in ("ontology", "data"):
        shutil.copytree(REPO / name, tmp_path / name)
    return Project(tmp_path)
