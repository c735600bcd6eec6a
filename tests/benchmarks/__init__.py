"""Tests that run each benchmark script small, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_benchmark(script: str, *args: object, timeout: float = 600) -> str:
    """`python benchmarks/SCRIPT ARGS` from the repository root; its standard output,
    after checking it exited 0 (its standard error is the message if not)."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout
