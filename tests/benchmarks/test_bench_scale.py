"""The scale benchmark runs end to end at tiny sizes: a column per size, every step and every
library query in the table, growth figures. No timing is asserted: speed is the benchmark's
business, not the tests'."""

from __future__ import annotations

import re

import pytest

from graph_builder.sparql.query_library import load_library
from tests.benchmarks import run_benchmark


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = tmp_path_factory.mktemp("scale")
    args = ["--sizes", "30", "100", "--repeat", "1", "--budget-seconds", "5", "--dir", directory]
    out = run_benchmark("bench_scale.py", *args, timeout=900)
    assert (directory / "national-h100.nt").is_file()
    assert (directory / "national-h100-store" / "CURRENT").is_file()
    return out


def table_rows(output: str) -> dict[str, list[str]]:
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 4 and cells[0] not in ("step / query", "---"):
            rows[cells[0]] = cells[1:]
    return rows


def test_a_column_per_size_and_the_growth(output: str) -> None:
    header = next(line for line in output.splitlines() if line.startswith("| step / query"))
    assert re.search(
        r"\| 30 hospitals, [\d.]+M triples \| 100 hospitals, [\d.]+M triples \| growth \|", header
    )


def test_every_step_and_every_library_query_has_a_row(output: str) -> None:
    rows = table_rows(output)
    for step in (
        "synth: seconds",
        "synth: peak memory (MiB)",
        "load --store (data + ontology): seconds",
        "load --store: store on disk (MiB)",
        "serve --store: start-up to banner (s)",
    ):
        assert step in rows, step
        assert re.fullmatch(r"[\d.,]+x", rows[step][2]), rows[step]
    for name in load_library():
        small, large, growth = rows[f"query {name} (p50)"]
        assert re.fullmatch(r"[\d.,]+ m?s \([\d,]+ rows\)", small), small
        assert re.fullmatch(r"[\d.,]+ m?s \([\d,]+ rows\)", large), large
        assert re.fullmatch(r"[\d.,]+x|-", growth), growth


def test_the_triples_grow_with_the_hospitals(output: str) -> None:
    small, large, _ = table_rows(output)["synth: triples"]
    assert 0 < int(small.replace(",", "")) < int(large.replace(",", ""))
