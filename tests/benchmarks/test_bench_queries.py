"""The query benchmark runs end to end at a tiny size: a row for every library query, both
stores timed (or over budget, never failed), the load table and the targets. No timing is
asserted here: speed is the benchmark's business, not the tests'."""

from __future__ import annotations

import re
import sys
import time

import pytest

from graph_builder.sparql.query_library import load_library
from tests.benchmarks import REPO, run_benchmark

TIMING = re.compile(r"^(\d[\d,.]* (ms|s)|> \d+ s)$")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    cache = tmp_path_factory.mktemp("bench-cache")
    args = ["--hospitals", "10", "--repeat", "1", "--budget-seconds", "5", "--cache-dir", cache]
    out = run_benchmark("bench_queries.py", *args)
    assert list(cache.glob("national-h10-s42-*.nt")), "the synthetic graph was not cached"
    return out


def query_rows(output: str) -> dict[str, list[str]]:
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 8 and cells[0] not in ("query", "---"):
            rows[cells[0]] = cells
    return rows


def test_header_names_cores_and_versions(output: str) -> None:
    header = output.splitlines()[1]
    assert f"cores: {__import__('os').cpu_count()}" in header
    for package in ("rdflib", "pyoxigraph", "oxrdflib"):
        assert re.search(rf"{package} \d+\.\d+", header), package


def test_load_throughput_of_both_stores_and_their_ratio(output: str) -> None:
    line = next(line for line in output.splitlines() if line.startswith("| triples/s"))
    oxigraph, memory, ratio = (c.strip() for c in line.strip("|").split("|")[1:4])
    assert re.fullmatch(r"[\d,]+", oxigraph) and re.fullmatch(r"[\d,]+", memory)
    assert re.fullmatch(r"\d+\.\dx", ratio)
    counts = next(line for line in output.splitlines() if line.startswith("| triples |"))
    assert counts.split("|")[2].strip() == counts.split("|")[3].strip()  # same graph in both


def test_a_row_for_every_library_query_with_both_stores(output: str) -> None:
    rows = query_rows(output)
    library = load_library()
    assert sorted(rows) == sorted(library)
    for name, (_, kind, count, oxigraph, memory, ratio, runs, target) in rows.items():
        assert kind == library[name].kind, name
        assert TIMING.match(oxigraph), (name, oxigraph)
        assert TIMING.match(memory), (name, memory)
        assert "memory:" not in count, f"{name}: the stores return different numbers of rows"
        assert ratio != "?" or oxigraph.startswith(">"), name
        assert re.fullmatch(r"[01]/[01]", runs), (name, runs)
        assert target, name


def test_selective_queries_run_on_an_entity_of_the_synthetic_graph(output: str) -> None:
    notes = [line for line in output.splitlines() if line.startswith("parameter ")]
    assert any(n.startswith("parameter hospital-profile: hospital=inst:") for n in notes)
    assert int(query_rows(output)["hospital-profile"][2].replace(",", "")) > 0


def test_targets_are_judged(output: str) -> None:
    assert "- load >= 150,000 triples/s into Oxigraph:" in output
    assert re.search(r"- selective .*: \d+/\d+ met", output)
    assert re.search(r"- aggregate .*: \d+/\d+ met", output)


def test_a_run_over_budget_is_interrupted_not_waited_for() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from budgeted import timed_in_process
    finally:
        sys.path.remove(str(REPO / "benchmarks"))

    def slow() -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # Python code, as rdflib's evaluation is
            pass
        return 1

    started = time.monotonic()
    timing = timed_in_process(slow, repeat=3, budget=0.3)
    assert time.monotonic() - started < 5
    assert timing.killed and timing.runs == [] and timing.p50 is None
    quick = timed_in_process(lambda: 7, repeat=3, budget=5)
    assert len(quick.runs) == 3 and quick.rows == 7 and not quick.killed
