"""The publish benchmark runs end to end at a tiny size against both real servers: a push
row per server with its throughput, and a row per library query with the local time and
each server's time, on the same row counts. No timing is asserted: speed is the
benchmark's business, not the tests'."""

from __future__ import annotations

import re

import pytest

from graph_builder.sparql.query_library import load_library
from tests.benchmarks import run_benchmark

TIMED = re.compile(r"^[\d,.]+ (ms|s) \(\d+\.\dx\)$")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    cache = tmp_path_factory.mktemp("bench-cache")
    args = ["--hospitals", "10", "--repeat", "1", "--batch", "2000", "--cache-dir", cache]
    return run_benchmark("bench_publish.py", *args)


def table(output: str, first: str) -> list[list[str]]:
    """The rows of the Markdown table whose header starts with `first`."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_each_server_takes_the_whole_graph(output: str) -> None:
    rows = {row[0].split()[0]: row for row in table(output, "push (Graph Store Protocol)")}
    assert set(rows) == {"oxigraph", "Virtuoso"}
    counts = {row[1] for row in rows.values()}
    assert len(counts) == 1 and re.fullmatch(r"[\d,]+", counts.pop())
    for row in rows.values():
        assert int(row[2]) >= 2  # batches of 2,000: more than one request
        assert re.fullmatch(r"[\d,]+", row[4]) and int(row[4].replace(",", "")) > 0


def test_every_library_query_is_timed_locally_and_on_both_servers(output: str) -> None:
    rows = {row[0]: row for row in table(output, "query")}
    assert set(rows) == set(load_library())
    for name, row in rows.items():
        assert re.fullmatch(r"[\d,.]+ (ms|s)", row[2]), (name, row)
        for remote in row[3:5]:
            assert TIMED.fullmatch(remote), (name, remote)  # no differing row count noted
    assert "same row counts on every server and query: yes" in output
