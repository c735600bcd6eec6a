"""Repeated timing of one call under a time budget, in a forked child that can be killed.

rdflib's memory store can spend minutes on one query at a million triples, and
Oxigraph evaluates inside Rust, where no Python signal reaches; a child process
can always be stopped. The child shares the loaded graphs with the parent
copy-on-write, so nothing is reloaded; its first run also pays for copying the
pages it touches, which the median over several runs leaves out.
"""

from __future__ import annotations

import os
import select
import signal
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Timing:
    """Seconds of each completed run, the first run's result size, and why it stopped."""

    budget: float
    runs: list[float] = field(default_factory=list)
    rows: int | None = None
    killed: bool = False  # a run was still going when the budget ran out
    error: str | None = None

    @property
    def p50(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def over_budget(self) -> bool:
        """No run finished within the budget: only a lower bound is known."""
        return not self.runs and self.error is None


def timed_runs(call: Callable[[], int], repeat: int, budget: float) -> Timing:
    """Time up to `repeat` calls of `call` (which returns a row count) within `budget` s.

    The child stops starting runs once another run of the last one's length would
    overrun the budget; the parent kills it if a run is still going at the budget.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: run, report each run as one line, never return
        os.close(read_end)
        _child(call, repeat, budget, write_end)
    os.close(write_end)
    timing = Timing(budget)
    deadline = time.monotonic() + budget
    buffer = b""
    try:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_end], [], [], max(left, 0))
            if not ready:
                timing.killed = True
                break
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                _record(timing, line.decode())
    finally:
        os.close(read_end)
        if timing.killed:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return timing


def _child(call: Callable[[], int], repeat: int, budget: float, out: int) -> None:
    status = 0
    try:
        started = time.perf_counter()
        for _ in range(repeat):
            run_start = time.perf_counter()
            rows = call()
            run_end = time.perf_counter()
            os.write(out, f"run {run_end - run_start!r} {rows}\n".encode())
            if (run_end - started) + (run_end - run_start) > budget:
                break
    except BaseException as exc:  # reported to the parent, which prints it
        message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        os.write(out, f"error {message}\n".encode())
        status = 1
    finally:
        os._exit(status)


def _record(timing: Timing, line: str) -> None:
    kind, _, rest = line.partition(" ")
    if kind == "run":
        seconds, rows = rest.split()
        timing.runs.append(float(seconds))
        if timing.rows is None:
            timing.rows = int(rows)
    elif kind == "error":
        timing.error = rest
