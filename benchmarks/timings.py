"""The timings of one benchmark cell: the seconds of its timed runs after a warm-up, what
the warm-up answered, and the error that ended it, if one did."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field


@dataclass
class Timed:
    """Seconds of the timed runs, rows (and bytes) of the warm-up, what the cache said."""

    runs: list[float] = field(default_factory=list)
    rows: int | None = None
    size: int | None = None  # bytes of the warm-up answer, where there is one
    cache: list[str | None] = field(default_factory=list)  # X-Result-Cache of each timed run
    error: str | None = None

    @property
    def p50(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def p90(self) -> float | None:
        """Nearest rank: the 9th of 10 runs."""
        if not self.runs:
            return None
        ordered = sorted(self.runs)
        return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]

    @property
    def hits(self) -> int | None:
        """Timed answers served from the result cache; None if the server never said."""
        if not self.cache or all(c is None for c in self.cache):
            return None
        return sum(1 for c in self.cache if c == "hit")


def error_text(exc: Exception) -> str:
    """An exception as one line of at most 200 characters, for a table cell's note."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
