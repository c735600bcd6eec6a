"""Each rule's confidence: its precision measured on the evaluation sets.

benchmarks/measure_rules.py runs the extractor on the fictional dev set, the seeds and
the first held-out set,
matches candidates to the gold facts as the scorer does, and writes each rule's
precision (matched / proposed) to confidence.yaml. A rule that proposed nothing there
gets the prior below.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

#: Confidence of a rule with no measurement.
PRIOR = 0.5


@cache
def measured() -> dict[str, float]:
    """rule -> measured precision, from the packaged confidence.yaml."""
    source = resources.files("graph_builder.extract").joinpath("confidence.yaml")
    if not source.is_file():
        return {}
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    rules = data.get("rules", {}) if isinstance(data, dict) else {}
    return {str(k): float(v["precision"]) for k, v in rules.items()}


def confidence(rule: str) -> float:
    """The measured precision of `rule`, else of its family (the part before ':')."""
    table = measured()
    if rule in table:
        return table[rule]
    return table.get(rule.split(":", 1)[0], PRIOR)
