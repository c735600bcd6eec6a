"""Measure each extraction rule's precision on the evaluation sets; write confidence.yaml.

Runs the extractor on the fictional dev set, the two seeds and the first held-out set,
matches its candidates to the gold facts with the scorer's own matching
(tests/fixtures/extraction/evaluate.py), and counts, per rule, the candidates it
proposed (alone or with other rules) and how many of those matched a gold fact. The
confidence written is the rule-of-succession estimate (matched + 1) / (proposed + 2),
so a rule right on its few examples is not claimed to be infallible.

    .venv/bin/python benchmarks/measure_rules.py            # print the table
    .venv/bin/python benchmarks/measure_rules.py --write    # also write confidence.yaml
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_builder.extract.engine import extract_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
SETS = (
    ("dev", FIXTURES / "gold.tsv", FIXTURES / "reports"),
    ("seeds", FIXTURES / "seeds-gold.tsv", ROOT / "data" / "reports"),
    ("holdout", FIXTURES / "holdout" / "gold.tsv", FIXTURES / "holdout" / "reports"),
)
OUT = ROOT / "graph_builder" / "extract" / "confidence.yaml"


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate", FIXTURES / "evaluate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure() -> tuple[Counter[str], Counter[str]]:
    """Per rule: candidates proposed, candidates matched to gold."""
    evaluate = scorer()
    proposed: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    for _, gold_path, texts in SETS:
        for report, rows in sorted(evaluate.load_gold(gold_path).items()):
            text = (texts / f"{report}.txt").read_text(encoding="utf-8")
            cands = [c.to_json() for c in extract_text(text)]
            hits = {ci for _, ci, _ in evaluate.match(rows, cands)}
            for i, cand in enumerate(cands):
                for rule in set(cand["extra"].get("signals", [])) | {cand["rule"]}:
                    proposed[rule] += 1
                    matched[rule] += i in hits
    return proposed, matched


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = ap.parse_args()
    proposed, matched = measure()
    lines = [
        "# Each rule's precision on the dev set, the seeds and the first held-out set"
        " (benchmarks/measure_rules.py).",
        "# precision = (matched + 1) / (proposed + 2); matched and proposed are candidates.",
        "rules:",
    ]
    print(f"{'rule':<28} {'proposed':>8} {'matched':>8} {'confidence':>10}")
    for rule in sorted(proposed):
        n, k = proposed[rule], matched[rule]
        conf = round((k + 1) / (n + 2), 3)
        print(f"{rule:<28} {n:>8} {k:>8} {conf:>10.3f}")
        lines.append(f"  {rule}: {{precision: {conf}, matched: {k}, proposed: {n}}}")
    if args.write:
        OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
