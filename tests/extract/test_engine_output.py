"""The engine as a program: offsets in code points, the JSON document, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graph_builder.extract.engine import extract_text
from tests.conftest import REPO
from tests.extract.engine_helpers import HOSPITAL

TEXT = (
    "𠀀医院简介\r\n\n青州市妇幼保健院（青州市儿童医院）是南岭医科大学教学医院。\n\n"
    "- 全国首批“产后康复示范基地”\n"
)


def test_offsets_are_code_points_even_after_astral_characters() -> None:
    found = extract_text(TEXT, HOSPITAL)
    assert found
    for c in found:
        assert TEXT[c.start : c.end] == c.quote


def test_quotes_run_across_layout_breaks_verbatim() -> None:
    text = "2023年5月6日，医院东湖院区正式开\n\n诊，新增床位200张。\n"
    [event] = [c for c in extract_text(text, HOSPITAL) if c.kind == "event"]
    assert event.object == "东湖院区正式开诊"
    assert text[event.start : event.end] == event.quote and "\n" in event.quote


def test_the_same_text_gives_the_same_candidates() -> None:
    first = [c.to_json() for c in extract_text(TEXT, HOSPITAL)]
    assert first == [c.to_json() for c in extract_text(TEXT, HOSPITAL)]


def test_every_candidate_has_a_rule_and_a_measured_confidence() -> None:
    for c in extract_text(TEXT, HOSPITAL):
        assert c.rule and 0 < c.confidence <= 1


def test_main_prints_the_report_document(tmp_path: Path) -> None:
    report = tmp_path / "qingzhou-2023.txt"
    report.write_text(TEXT, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "graph_builder.extract.engine", str(report), "--hospital", HOSPITAL],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, check=True,
    )  # fmt: skip
    data = json.loads(proc.stdout)
    assert data["report"] == "qingzhou-2023"
    kinds = {c["kind"] for c in data["candidates"]}
    assert {"alias", "partnership", "designation"} <= kinds
    for c in data["candidates"]:
        assert {"kind", "subject", "object", "quote", "start", "end", "confidence", "rule"} <= set(
            c
        )


def test_main_reports_an_unreadable_file(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "graph_builder.extract.engine", str(tmp_path / "missing.txt")],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")
