"""Extraction speed: 1,000 reports of 10,000 characters on a pool of 2 processes.

The reports are built by recombining the sentences, list items and captions of the
seven evaluation reports (seeded shuffle), each headed by one of their title blocks, so
they hold the same density of facts, dates and names as real reviews. Prints the wall
time (pool start-up and the analyser's model load included) and reports per second.

    .venv/bin/python benchmarks/bench_extract.py
    .venv/bin/python benchmarks/bench_extract.py --reports 200 --chars 5000 --workers 1

Target (the extraction issue): 1,000 reports of 10,000 characters in under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_builder.extract.engine import extract_text  # noqa: E402

SOURCES = [
    *sorted((ROOT / "tests" / "fixtures" / "extraction" / "reports").glob("*.txt")),
    *sorted((ROOT / "data" / "reports").glob("*.txt")),
]
TARGET_SECONDS = 60.0


def pieces(text: str) -> tuple[str, list[str]]:
    """A report's title block (its first three lines) and its sentences and lines."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head = "\n\n".join(lines[:3]) + "\n\n"
    body = []
    for line in lines[3:]:
        body += [s for s in re.split(r"(?<=[。！？])", line) if s.strip()]
        body[-1:] = [body[-1] + "\n\n"] if body else []
    return head, body


def build(count: int, chars: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    heads, sentences = [], []
    for path in SOURCES:
        head, body = pieces(path.read_text(encoding="utf-8"))
        heads.append(head)
        sentences += body
    reports = []
    for _ in range(count):
        parts = [rng.choice(heads)]
        size = len(parts[0])
        while size < chars:
            sentence = rng.choice(sentences)
            parts.append(sentence)
            size += len(sentence)
        reports.append("".join(parts)[:chars])
    return reports


def extract_count(text: str) -> int:
    return len(extract_text(text))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--chars", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    reports = build(args.reports, args.chars, args.seed)
    print(f"{len(reports)} reports of {args.chars:,} characters, {args.workers} processes "
          f"(os.cpu_count() = {os.cpu_count()})")  # fmt: skip
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        counts = list(pool.map(extract_count, reports, chunksize=20))
    seconds = time.perf_counter() - started
    print(f"{sum(counts):,} candidates in {seconds:.1f} s: {len(reports) / seconds:.1f} reports/s, "
          f"{len(reports) * args.chars / seconds / 1000:.0f}k characters/s")  # fmt: skip
    if args.reports == 1000 and args.chars == 10_000:
        verdict = "met" if seconds < TARGET_SECONDS else "missed"
        print(f"target: under {TARGET_SECONDS:.0f} s for 1,000 reports: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
