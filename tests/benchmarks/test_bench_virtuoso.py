"""The Virtuoso benchmark runs end to end at a tiny size against the three real servers
(hospital-kg serve, Virtuoso, oxigraph serve-read-only): a row per library query in each
table with a time for every server, the same row counts everywhere, the targets judged,
and every server stopped with its files removed. No timing is asserted: speed is the
benchmark's business, not the tests'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_builder.sparql.query_library import load_library
from tests.benchmarks import run_benchmark

TIME = re.compile(r"^[\d,.]+ (ms|s)$")
WARM = re.compile(r"^[\d,.]+ (ms|s) \((no cache|\d+/1 hits)\)$")
SERVER = re.compile(r"^server (\S+): pid (\d+), directory (\S+)$", re.M)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    cache = tmp_path_factory.mktemp("bench-cache")
    args = ["--hospitals", "10", "--repeat", "1", "--cache-dir", cache]
    return run_benchmark("bench_virtuoso.py", *args, timeout=900)


def table(output: str, title: str) -> dict[str, list[str]]:
    """The rows of the Markdown table under the `### title...` heading, by query."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### {title}"))
    rows = {}
    for line in lines[start + 4 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = cells
    return rows


def test_header_names_cores_load_and_versions(output: str) -> None:
    assert f"cores: {__import__('os').cpu_count()}; load average at start:" in output
    assert "load average at the end:" in output
    assert re.search(r"Virtuoso Open Source 7\.\d", output)
    assert re.search(r"pyoxigraph \d+\.\d+", output) and re.search(r"oxigraph \d+\.\d+", output)
    triples = next(line for line in output.splitlines() if line.startswith("triples ("))
    assert "DIFFERS" not in triples, triples  # all three servers hold the same graph


@pytest.mark.parametrize("title", ["SPARQL JSON", "TSV"])
def test_every_library_query_is_timed_on_every_server(output: str, title: str) -> None:
    rows = table(output, title)
    assert set(rows) == set(load_library())
    for name, cells in rows.items():
        _, count, hk, hk90, vt, vt90, oxi, ratio, hk_warm, vt_warm = cells
        assert re.fullmatch(r"[\d,]+", count), (name, count)  # no "≠": the same rows everywhere
        for cell in (hk, hk90, vt, vt90, oxi, vt_warm):
            assert TIME.fullmatch(cell), (name, cells)
        assert WARM.fullmatch(hk_warm), (name, hk_warm)
        assert re.fullmatch(r"\d+\.\d\dx", ratio), (name, ratio)


def test_evaluation_alone_is_timed_on_every_server(output: str) -> None:
    rows = table(output, "Evaluation only")
    assert set(rows) == set(load_library())
    for name, (_, count, *times, _ratio) in rows.items():
        # Virtuoso 7.2.5 counts 1 for paths-between's empty answer: a difference is shown
        assert re.fullmatch(r"[\d,]+( ≠ .+)?", count), (name, count)
        assert all(TIME.fullmatch(cell) for cell in times), (name, times)


def test_row_counts_agree_and_the_targets_are_judged(output: str) -> None:
    assert "same row counts on every server, format and query: yes" in output
    assert "\nerror:" not in output
    targets = output[output.index("Targets (") :]
    for target in (
        "cold JSON: no slower than Virtuoso",
        "cold TSV: no slower than Virtuoso",
        "cold: <= 250 ms p50 in the endpoint",
        "warm: <= 5 ms p50",
        "cold: ahead of oxigraph serve-read-only",
    ):
        assert re.search(rf"- {re.escape(target)}.*: (met|missed) \(\d+/\d+ queries\)", targets)


def test_paths_between_is_timed_between_two_hospitals_or_says_why_not(output: str) -> None:
    notes = [
        line for line in output.splitlines() if line.startswith("parameter paths-between: to=")
    ]
    assert len(notes) == 1
    assert "joined to it" in notes[0]


def test_no_server_or_its_files_are_left_behind(output: str) -> None:
    servers = {name: (int(pid), Path(path)) for name, pid, path in SERVER.findall(output)}
    assert set(servers) == {"hospital-kg", "virtuoso", "oxigraph-ro"}
    for name, (pid, directory) in servers.items():
        assert not directory.exists(), (name, directory)
        cmdline = Path(f"/proc/{pid}/cmdline")  # the same PID, not one reused since
        marker = "hospital-kg" if name == "hospital-kg" else str(directory)
        alive = cmdline.exists() and marker in cmdline.read_text(errors="replace")
        assert not alive, f"{name} (pid {pid}) still runs"


def test_the_join_probe_prices_a_pattern_per_row_on_every_server(output: str) -> None:
    rows = table(output, "Join probe")
    assert set(rows) == {"hospital-kg", "Virtuoso", "oxigraph-ro"}
    counted = set()
    for name, (_, *times, count, per_row) in rows.items():
        assert len(times) == 4 and all(TIME.fullmatch(cell) for cell in times), (name, times)
        assert re.fullmatch(r"[\d,]+", count), (name, count)
        assert re.fullmatch(r"\d+\.\d\d µs", per_row), (name, per_row)
        counted.add(count)
    assert len(counted) == 1, counted  # the three servers counted the same dated facts
