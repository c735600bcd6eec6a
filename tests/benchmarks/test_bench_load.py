"""The load benchmark runs end to end at a tiny size against real servers: a row per client
group with numbers in every column. No speed is asserted: that is the benchmark's."""

from __future__ import annotations

import re
from pathlib import Path

from tests.benchmarks import run_benchmark

ROW = re.compile(
    r"^\| (?P<scenario>[^|]+) \| (?P<clients>\d+) \| (?P<queries>[^|]+) \|(?P<rest>.*)\|$"
)


def test_both_scenarios_report_every_client_group(tmp_path: Path) -> None:
    args = ["--seconds", "3", "--hospitals", "10", "--cache-dir", str(tmp_path)]
    out = run_benchmark("bench_load.py", *args)
    rows = [m.groupdict() for line in out.splitlines() if (m := ROW.match(line))]
    groups = [(r["scenario"].split(" ")[0], int(r["clients"])) for r in rows]
    assert groups == [("cheap", 200), ("mixed", 20), ("mixed", 5)]
    for row in rows:
        rate, p50, p99, requests, errors = (c.strip() for c in row["rest"].split("|"))
        assert float(rate.replace(",", "")) > 0 and int(requests.replace(",", "")) > 0
        assert float(p50.replace(",", "")) <= float(p99.replace(",", ""))
        assert int(errors.replace(",", "")) == 0
