"""The reviewer's file: what it holds, reading it back, setting decisions, refusing bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder import Project
from graph_builder.errors import DataError, UsageError
from graph_builder.extract.candidates_file import dump, load, save, set_decision
from graph_builder.ingest.loader import fact_files
from tests.extract.new_report import REPORT, add_report, candidate, hand_made, write_candidates


@pytest.fixture()
def written(scratch: Project) -> tuple[Path, Project]:
    add_report(scratch)
    path, _ = write_candidates(scratch, hand_made())
    return path, scratch


def test_each_candidate_carries_its_records_in_the_schema_of_data_facts(written) -> None:
    path, _ = written
    entries = {entry.candidate.kind: entry for entry in load(path).entries}
    lab = entries["key-lab"]
    assert lab.decision == "proposed" and lab.problem is None
    assert lab.fact["type"] == "conferral" and lab.fact["level"] == "provincial"
    hospital, designation = lab.new["institutions"][0], lab.new["designations"][0]
    assert hospital == {
        "id": "xinxiang-mch",
        "kind": "MaternalAndChildHealthHospital",
        "zh": "新乡市妇幼保健院",
    }
    assert designation["kind"] == "KeyLaboratory" and lab.fact["designation"] == designation["id"]
    assert entries["designation"].fact["designation"] == "newborn-care-characteristic-specialty"
    assert "designations" not in entries["designation"].new  # linked, not new
    assert entries["alliance-membership"].fact["roles"] == ["lead"]  # 牵头 -> 牵头单位
    cobranded = entries["co-branding"].fact
    assert cobranded["organization"] == "henan-childrens-hospital"  # the name it starts with
    assert cobranded["roles"] == ["co-branded"] and str(cobranded["date"]) == "2024-09-26"
    assert entries["post"].fact["role"] == "president" and entries["post"].new["people"]


def test_a_year_stated_before_the_quote_brings_that_sentence_as_a_quote(written) -> None:
    path, _ = written
    designation = next(e for e in load(path).entries if e.candidate.kind == "designation")
    own, support = designation.fact["quote"]
    assert own == designation.candidate.quote and support.startswith("回望2024年")


def test_the_file_reads_back_as_written(written) -> None:
    path, _ = written
    first = load(path)
    save(path, first)
    assert dump(load(path)) == dump(first)
    assert path.read_text(encoding="utf-8").startswith(f"# Candidate facts for report {REPORT}")


def test_what_the_builder_would_refuse_is_kept_with_its_problem(scratch: Project) -> None:
    add_report(scratch)
    path, _ = write_candidates(
        scratch,
        [
            candidate("partnership", "河南大学", "该院与河南省儿童医院合作共建", role="共建方"),
            candidate("event", "合作共建", "该院与河南省儿童医院合作共建"),
            candidate("honour", "全国文明单位", "该院院长王丽萍", level="national"),
            candidate("designation", "新生儿保健特色专科", "该院院长王丽萍", year=2023),
        ],
    )
    problems = {entry.candidate.object: entry.problem for entry in load(path).entries}
    assert len(problems) == 4 and all(problems.values())
    assert "'共建方' is not in hkv:tie-roles" in str(problems["河南大学"])
    assert "an event needs its year" in str(problems["合作共建"])
    assert "quote not found in xinxiang-mch-2024.txt: '全国文明单位'" in str(
        problems["全国文明单位"]
    )
    assert "2023年 is in neither the quote nor a sentence before it" in str(
        problems["新生儿保健特色专科"]
    )


def test_set_decision_changes_that_line_alone(written) -> None:
    path, _ = written
    text = path.read_text(encoding="utf-8").replace(
        "candidates:\n", "candidates:  # reviewed by hand\n"
    )
    path.write_text(text, encoding="utf-8")
    first, second = load(path).entries[:2]
    set_decision(path, second.id, "reject")
    set_decision(path, first.id, "accept")
    after = path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [
        ("  decision: proposed", "  decision: accept"),
        ("  decision: proposed", "  decision: reject"),
    ]
    assert [e.decision for e in load(path).entries[:2]] == ["accept", "reject"]


def test_set_decision_refuses_what_a_reviewer_cannot_set(written) -> None:
    path, _ = written
    before = path.read_bytes()
    ident = load(path).entries[0].id
    with pytest.raises(UsageError, match="decision 'accepted' is not one of"):
        set_decision(path, ident, "accepted")
    with pytest.raises(UsageError, match="no candidate 'nope'"):
        set_decision(path, "nope", "accept")
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  decision: proposed\n", "  decision: maybe\n", "unknown decision 'maybe'"),
        ("  decision: proposed\n", "  decision: yes\n", "YAML reads yes"),
        ("  confidence: 0.95\n", "  confidence: 2\n", "confidence 2 is not between 0 and 1"),
        ("  start: ", "  start: x", "'start' must be an integer"),
        ("  fact:\n", "  fct:\n", "unknown key 'fct' in a candidate"),
        ("candidates:\n", "candidates:\n  - [\n", "malformed YAML"),
    ],
)
def test_a_broken_file_is_one_error_naming_its_line(
    written, old: str, new: str, message: str
) -> None:
    path, _ = written
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        load(path)
    assert caught.value.path == path and caught.value.line is not None


def test_the_build_never_reads_candidate_files(scratch: Project) -> None:
    facts = scratch.data_dir / "facts"
    (facts / f"{REPORT}.candidates.yaml").write_text("not: [a fact file", encoding="utf-8")
    assert [p.name for p in fact_files(facts)] == [
        "changzhi-mch-2023.yaml",
        "jiaozuo-mch-2024.yaml",
    ]
