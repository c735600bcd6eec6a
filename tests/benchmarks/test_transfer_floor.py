"""The transfer floor (what receiving N bytes costs the benchmark's client from a socket
that only writes them) runs for several sizes over one kept-alive connection; the script
checks each answer's length itself. No timing is asserted."""

from __future__ import annotations

import re

from tests.benchmarks import run_benchmark

LINE = re.compile(r"^([\d,]+) bytes: ([\d.]+) ms p50$")


def test_each_size_gets_a_floor() -> None:
    output = run_benchmark("transfer_floor.py", "1", "1000", "3000000", "--repeat", "3")
    lines = [LINE.match(line) for line in output.splitlines()]
    assert all(lines), output
    assert [int(m.group(1).replace(",", "")) for m in lines if m] == [1, 1000, 3_000_000]
    assert all(float(m.group(2)) > 0 for m in lines if m)
