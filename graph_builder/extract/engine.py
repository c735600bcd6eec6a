"""The extractor: candidate facts from a report's text alone.

`extract_text` reads the text into a flat view (document.py), finds the hospital it is
about (subject.py), runs every rule (rules/) and merges repeated mentions (merge.py).
It is pure and deterministic: no files, no graph, the same output for the same text.

    python -m graph_builder.extract.engine REPORT.txt [--hospital NAME]

prints {"report": <file stem>, "candidates": [...]} as JSON, as `hospital-kg extract
REPORT --format json` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from graph_builder.extract.candidates import Candidate
from graph_builder.extract.confidence import confidence
from graph_builder.extract.context import Context
from graph_builder.extract.document import Document
from graph_builder.extract.merge import merge
from graph_builder.extract.rules import RULES
from graph_builder.extract.subject import find_subject


def extract_text(text: str, hospital: str | None = None) -> list[Candidate]:
    """Candidate facts stated in `text`; `hospital` names the hospital it is about, if known."""
    doc = Document.of(text)
    subject = hospital or find_subject(doc)
    ctx = Context.of(doc, subject)
    for rule in RULES:
        rule(ctx)
    for cand in ctx.found:
        cand.confidence = confidence(cand.rule)
    found = merge(ctx.found)
    return sorted(found, key=lambda c: (c.start, c.end, c.kind, c.object))


def report_json(path: Path, hospital: str | None = None) -> dict[str, object]:
    """The JSON document for one report file: its stem and its candidates."""
    text = path.read_text(encoding="utf-8")
    return {"report": path.stem, "candidates": [c.to_json() for c in extract_text(text, hospital)]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m graph_builder.extract.engine",
        description="Print the candidate facts of a report as JSON.",
    )
    parser.add_argument("report", type=Path, help="a report's text file (UTF-8)")
    parser.add_argument(
        "--hospital", help="the hospital the report is about (default: found in its text)"
    )
    args = parser.parse_args(argv)
    try:
        data = report_json(args.report, args.hospital)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {args.report}: {exc}", file=sys.stderr)
        return 1
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
