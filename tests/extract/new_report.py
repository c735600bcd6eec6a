"""A new report for the extract and accept tests: a hospital the seed data does not know.

The extractor is built separately, so these tests make candidates by hand: each one
names its words as the text writes them, with the offsets `candidate` finds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph_builder import Project
from graph_builder.extract.candidates import Candidate
from graph_builder.extract.candidates_file import CandidatesFile, candidates_path, save
from graph_builder.extract.propose import open_workspace, propose

REPORT = "xinxiang-mch-2024"
HOSPITAL = "新乡市妇幼保健院"
TEXT = (
    "新乡市妇幼保健院2024年工作回眸\n"
    "本报记者 张三\n"
    "回望2024年,新乡市妇幼保健院成功创建“国家级新生儿保健特色专科”,"
    "获批“河南省出生缺陷防治重点实验室”。该院牵头组建了新乡市妇幼健康专科联盟。\n"
    "9月26日,该院与河南省儿童医院合作共建“河南省儿童医院新乡医院”。\n"
    "该院院长王丽萍表示,将继续努力。\n"
)
METADATA = (
    f"id: {REPORT}\ntext: {REPORT}.txt\ntitle: 新乡市妇幼保健院2024年工作回眸\nreview_year: 2024\n"
)


def add_report(project: Project) -> str:
    """Put the report's text and metadata (no subject yet) into the project; its text."""
    reports = project.data_dir / "reports"
    (reports / f"{REPORT}.txt").write_text(TEXT, encoding="utf-8")
    (reports / f"{REPORT}.yaml").write_text(METADATA, encoding="utf-8")
    return TEXT


def candidate(kind: str, obj: str, quote: str, **fields: Any) -> Candidate:
    """A candidate about the new hospital, at the first place its quote is in the text."""
    start = TEXT.index(quote)
    subject = fields.pop("subject", HOSPITAL)
    return Candidate(kind, subject, obj, quote, start, start + len(quote), **fields)


def hand_made() -> list[Candidate]:
    """One candidate of each common kind, as an extractor would state them."""
    return [
        candidate(
            "designation",
            "新生儿保健特色专科",
            "成功创建“国家级新生儿保健特色专科”",
            level="national",
            year=2024,
            confidence=0.95,
            rule="list-item",
        ),
        candidate(
            "key-lab",
            "河南省出生缺陷防治重点实验室",
            "获批“河南省出生缺陷防治重点实验室”",
            level="provincial",
            year=2024,
            confidence=0.9,
        ),
        candidate(
            "alliance-membership",
            "新乡市妇幼健康专科联盟",
            "该院牵头组建了新乡市妇幼健康专科联盟",
            role="牵头",
            confidence=0.8,
        ),
        candidate(
            "co-branding",
            "河南省儿童医院新乡医院",
            "该院与河南省儿童医院合作共建“河南省儿童医院新乡医院”",
            year=2024,
            extra={"date": "2024-09-26"},
            confidence=0.7,
        ),
        candidate("post", "王丽萍", "该院院长王丽萍", role="院长", confidence=0.9),
    ]


def write_candidates(project: Project, candidates: list[Candidate]) -> tuple[Path, CandidatesFile]:
    """The candidates file `extract` would write for these candidates."""
    workspace = open_workspace(project)
    proposed = propose(workspace, REPORT, TEXT, f"data/reports/{REPORT}.txt", candidates)
    path = candidates_path(project.data_dir / "facts", REPORT)
    save(path, proposed)
    return path, proposed


def snapshot(project: Project) -> dict[str, bytes]:
    """Every file under data/, for checking that a refused command wrote nothing."""
    return {
        str(path.relative_to(project.root)): path.read_bytes()
        for path in sorted(project.data_dir.rglob("*"))
        if path.is_file()
    }
