"""Shared fixtures: the built seed graph, a scratch copy of the project, a CLI runner."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from graph_builder import Project, build_graph
from graph_builder.rdf.namespaces import EVIDENCE, FACT, HKG, INST, ORG
from graph_builder.rdf.vocabulary import load_ontology

REPO = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("hospital-kg")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def on_terminal(*args: str, timeout: float = 300) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """Run the console script with stderr on a pseudo-terminal (where progress bars are
    drawn): the finished process (stdout captured) and all that was drawn on stderr.

    The terminal is read while the command runs, so a long bar never fills its buffer."""
    leader, follower = os.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run(
            [str(CLI), *args], stdout=subprocess.PIPE, stderr=follower, timeout=timeout, check=False
        )
    finally:
        os.close(follower)
        reader.join(timeout=10)
        os.close(leader)
    return proc, b"".join(chunks).decode("utf-8", "replace")


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


def outputs_under_hash_seeds(tmp_path: Path, *args: str) -> list[bytes]:
    """Run a command that writes `--output` under two hash seeds; return both files' bytes."""
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"output-{seed}"
        result = run_cli(*args, "--output", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    return outputs


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.find(REPO)


@pytest.fixture(scope="session")
def ontology(project: Project) -> Graph:
    return load_ontology(project.ontology)


@pytest.fixture(scope="session")
def graph(project: Project, ontology: Graph) -> Graph:
    return build_graph(project, ontology)


@pytest.fixture()
def scratch(tmp_path: Path) -> Project:
    """A private copy of ontology/ and data/ that a test may break."""
    for name in ("ontology", "data"):
        shutil.copytree(REPO / name, tmp_path / name)
    return Project(tmp_path)


HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert(2)</script>"


def hostile_graph(graph: Graph) -> Graph:
    """The seed graph plus an institution and a fact whose texts are markup."""
    hostile = Graph()
    for triple in graph:
        hostile.add(triple)
    inst, fact, ev = INST["hostile"], FACT["hostile-tie"], EVIDENCE["hostile-tie"]
    for cls in (HKG.Institution, HKG.Hospital):
        hostile.add((inst, RDF.type, cls))
    hostile.add((inst, RDFS.label, Literal(HOSTILE, lang="zh")))
    hostile.add((inst, HKG.englishLabel, Literal(SCRIPT_BREAK, lang="en")))
    for cls in (HKG.Fact, HKG.Tie, HKG.Partnership):
        hostile.add((fact, RDF.type, cls))
    hostile.add((fact, ORG.member, INST["jiaozuo-mch"]))
    hostile.add((fact, ORG.organization, inst))
    hostile.add((fact, ORG.role, URIRef("https://w3id.org/hospital-kg/vocab/cooperation")))
    hostile.add((fact, PROV.wasDerivedFrom, ev))
    hostile.add((ev, PROV.value, Literal(f"{HOSTILE} & {SCRIPT_BREAK}", lang="zh")))
    return hostile


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="hkg-data">(.*?)</script>', html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))
