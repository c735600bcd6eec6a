"""Repeated timing of one call under a time budget, without forking the measured process.

rdflib's memory store can spend minutes on one query at a million triples. Its
evaluation is Python code, so an interval timer (SIGALRM) stops a run at the
budget in this process. Oxigraph evaluates inside Rust, where no signal reaches,
so it is timed in a worker process that can be killed (oxigraph_worker.py). A fork
per query would be simpler but costs the measured process its huge pages: after
one fork a 1.5 ms Oxigraph query took 2.8 ms in the parent and in the child alike.
"""

from __future__ import annotations

import signal
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FrameType


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

    def add(self, seconds: float, rows: int) -> None:
        self.runs.append(seconds)
        if self.rows is None:
            self.rows = rows


def runs_within(call: Callable[[], int], repeat: int, budget: float) -> Iterator[tuple[float, int]]:
    """(seconds, rows) of up to `repeat` runs; no run starts that would likely overrun."""
    started = time.perf_counter()
    for _ in range(repeat):
        run_start = time.perf_counter()
        rows = call()
        run_end = time.perf_counter()
        yield run_end - run_start, rows
        if (run_end - started) + (run_end - run_start) > budget:
            return


class _OverBudget(BaseException):
    """Raised by the interval timer inside a run (a BaseException, so nothing swallows it)."""


def timed_in_process(call: Callable[[], int], repeat: int, budget: float) -> Timing:
    """Time `call` here; a run still going when the budget runs out is interrupted."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _OverBudget

    timing = Timing(budget)
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        for seconds, rows in runs_within(call, repeat, budget):
            timing.add(seconds, rows)
    except _OverBudget:
        timing.killed = True
    except Exception as exc:
        timing.error = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return timing
