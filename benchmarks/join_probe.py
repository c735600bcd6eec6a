"""What one more joined triple pattern costs each server per row: the same COUNT over the
graph's dated facts with one, two and three patterns, asked the same way as the library
queries (cold, TSV).

Every library query joins several patterns for each row it reads, so when a query's
evaluation is slower than Virtuoso's, this per-row price is the reason no rewrite of the
query removes: the rewrite can take patterns away only where the ontology entails them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: The probes, each the last with one more pattern; every hospital-kg graph has them. The
#: first evaluates nothing: what a request costs on that server before any evaluation.
PROBES = {
    "no pattern": "SELECT (COUNT(*) AS ?n) WHERE { }",
    "1 pattern": "SELECT (COUNT(*) AS ?n) WHERE { ?fact hkg:year ?year }",
    "2 patterns": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?fact hkg:year ?year ; prov:hadPrimarySource ?report }"
    ),
    "3 patterns": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?fact hkg:year ?year ; prov:hadPrimarySource ?report ."
        " ?report schema:about ?hospital }"
    ),
}


@dataclass
class Probe:
    """p50 seconds of each probe on one server, and the rows the probes counted."""

    seconds: dict[str, float | None]
    rows: int | None  # of the 1-pattern probe

    @property
    def request(self) -> float | None:
        """Seconds of a request that evaluates nothing (p50)."""
        return self.seconds["no pattern"]

    @property
    def per_row(self) -> float | None:
        """Seconds per row of one more pattern: (3 patterns - 1 pattern) / 2 / rows."""
        first, last = self.seconds["1 pattern"], self.seconds["3 patterns"]
        if first is None or last is None or not self.rows:
            return None
        return max(last - first, 0.0) / 2 / self.rows


def probe(ask: Callable[[str], tuple[float | None, int | None]]) -> Probe:
    """Run every probe through `ask` (text -> p50 seconds, counted rows)."""
    seconds, rows = {}, {}
    for name, text in PROBES.items():
        seconds[name], rows[name] = ask(text)
    return Probe(seconds, rows["1 pattern"])


def microseconds(value: float | None) -> str:
    return "-" if value is None else f"{value * 1e6:.2f} µs"
