"""`hospital-kg reconcile` on the seed data and on scratch copies of it, as a user runs it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from graph_builder import Project
from tests.conftest import run_cli

SEED_PAIR = {"henan-childrens-hospital", "zhengzhou-childrens-hospital"}


def listed(*args: str) -> list[dict]:
    result = run_cli("reconcile", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` and a hash of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture()
def unmerged(scratch: Project) -> Project:
    """The seed data without the authority file: nothing merged."""
    (scratch.data_dir / "reference" / "institutions.yaml").unlink()
    return scratch


def test_a_pair_the_authority_file_merges_is_not_listed() -> None:
    pairs = listed()
    assert all({row["a"], row["b"]} != SEED_PAIR for row in pairs), pairs


def test_without_the_authority_file_the_pair_is_listed_with_its_evidence(
    unmerged: Project,
) -> None:
    before = tree(unmerged.root)
    pairs = listed("--root", str(unmerged.root))
    assert tree(unmerged.root) == before  # it writes nothing
    (row,) = [row for row in pairs if {row["a"], row["b"]} == SEED_PAIR]
    assert row["score"] >= 50
    assert (row["a_name"], row["a_report"]) == ("河南省儿童医院", "jiaozuo-mch-2024")
    assert (row["b_name"], row["b_report"]) == ("郑州儿童医院", "changzhi-mch-2023")
    assert row["b_quote"] == "北京儿童医疗集团郑州儿童医院医联体"
    evidence = {signal["signal"]: signal["evidence"] for signal in row["signals"]}
    assert evidence["place_within"] == "郑州 is in 河南"
    assert evidence["same_kind"] == "ChildrensHospital"
    assert "儿童医院 = 儿童医院" in evidence["name"]
    assert row["score"] == round(sum(signal["points"] for signal in row["signals"]))
    assert row["suggestion"].startswith("add to institutions: - {id: henan-childrens-hospital,")


def test_the_suggestion_confirms_the_pair_in_one_edit(unmerged: Project) -> None:
    """Paste the suggested record (with a real source) and the pair is one institution."""
    (row,) = [r for r in listed("--root", str(unmerged.root)) if {r["a"], r["b"]} == SEED_PAIR]
    record = row["suggestion"].removeprefix("add to institutions: ")
    source = "https://cndzys.com/hospital_detail/introduce/11345.html"
    (unmerged.data_dir / "reference" / "institutions.yaml").write_text(
        "curator:\n  id: test-curator\n  name: Test curator\ninstitutions:\n  "
        + record.replace("<cite yours>", source)
        + "\n",
        encoding="utf-8",
    )
    assert all({r["a"], r["b"]} != SEED_PAIR for r in listed("--root", str(unmerged.root)))
    built = run_cli("build", "--root", str(unmerged.root), "--output", str(unmerged.root / "g.ttl"))
    assert built.returncode == 0, built.stderr


def test_report_min_score_and_limit(unmerged: Project) -> None:
    root = ("--root", str(unmerged.root))
    assert len(listed(*root, "--report", "changzhi-mch-2023")) == 1
    assert listed(*root, "--min-score", "100") == []
    assert len(listed(*root, "--min-score", "0", "--limit", "1")) == 1


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_have_one_row_per_pair(unmerged: Project, fmt: str) -> None:
    result = run_cli("reconcile", "--root", str(unmerged.root), "--format", fmt)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t"))
    assert rows[0][:2] == ["score", "a"] and len(rows) == 2
    assert "place_within +8: 郑州 is in 河南" in rows[1][7]


def test_the_table_says_how_to_confirm(unmerged: Project) -> None:
    result = run_cli("reconcile", "--root", str(unmerged.root))
    assert result.returncode == 0, result.stderr
    assert "henan-childr" in result.stdout
    assert result.stdout.rstrip().endswith("nothing was changed.")


def test_the_output_does_not_depend_on_hash_seeds(unmerged: Project) -> None:
    outputs = {
        run_cli(
            "reconcile",
            "--root",
            str(unmerged.root),
            "--format",
            "csv",
            "--min-score",
            "0",
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "4242")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yaml"], "--format: 'yaml' is not one of: table, csv, tsv, json"),
        (["--min-score", "101"], "--min-score: "),
        (["--min-score", "-1"], "--min-score: "),
        (["--min-score", "high"], "--min-score: "),
        (["--limit", "0"], "--limit: "),
        (["--report", "nope-2024"], "--report: unknown report 'nope-2024'"),
        (["--report", "../etc"], "--report: '../etc' is not a report id"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    """The project root is empty: had the command started work, it would fail on that."""
    result = run_cli("reconcile", *args, "--root", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
