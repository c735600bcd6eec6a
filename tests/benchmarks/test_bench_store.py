"""The store benchmark runs end to end at a tiny size: `load`, then both ways of serving,
each with its start-up, memory and a time for every query. No speed is asserted here."""

from __future__ import annotations

import re
from pathlib import Path

from tests.benchmarks import run_benchmark

NUMBER = r"\d[\d,]*(?:\.\d+)?"


def test_both_ways_of_serving_are_measured(tmp_path: Path) -> None:
    data = tmp_path / "national-10.nt"
    args = ["--data", str(data), "--hospitals", "10", "--starts", "1", "--repeat", "1"]
    out = run_benchmark("bench_store.py", *args)
    assert data.is_file()  # written by hospital-kg synth when missing
    assert re.search(rf"^hospital-kg load: {NUMBER} triples -> ", out, flags=re.M)
    serving = re.findall(
        rf"^\| `(--[^`]+)` \| ({NUMBER}) \| ({NUMBER}) \| ({NUMBER}) \|$", out, re.M
    )
    assert [row[0].split()[0] for row in serving] == ["--data", "--store"]
    assert all(float(value.replace(",", "")) > 0 for row in serving for value in row[1:])
    queries = re.findall(rf"^\| ([a-z-]+) \| {NUMBER} \| ({NUMBER}) \| ({NUMBER}) \|$", out, re.M)
    assert [name for name, _, _ in queries] == [
        "evidence",
        "hospital-profile",
        "national-designations",
        "designations-by-level",
        "network-overlap",
        "timeline",
    ]
    assert not [name for name in (p.name for p in tmp_path.iterdir()) if name.startswith("bench-")]
