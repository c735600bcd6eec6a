"""Bad input stops the build with one line naming file and line, exit 1, no output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_builder import Project
from tests.conftest import Run, run_cli

CHANGZHI = Path("data/facts/changzhi-mch-2023.yaml")
JIAOZUO = Path("data/facts/jiaozuo-mch-2024.yaml")


def _edit(project: Project, rel: Path, old: str, new: str, count: int = 1) -> int:
    """Replace `old` (which must occur) and return the 1-based line it was on."""
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def _build(project: Project) -> tuple[Run, Path]:
    out = project.root / "build" / "hospital-kg.ttl"
    return run_cli("build", "--root", str(project.root), "--output", str(out)), out


CASES = {
    # name: (file, old, new, expected message)
    "quote not in report": (
        CHANGZHI,
        "quote: 国家级新生儿保健特色专科",
        "quote: 国家级新生儿保健特色专科门诊",
        "quote not found in changzhi-mch-2023.txt",
    ),
    "undefined reference": (
        JIAOZUO,
        "organization: henan-childrens-hospital",
        "organization: henan-childrens-hospital-xyz",
        "'henan-childrens-hospital-xyz' is not defined",
    ),
    "duplicate id": (
        JIAOZUO,
        "id: jiaozuo-pgt-qualification\n",
        "id: jiaozuo-march-8th-red-banner\n",
        "duplicate id 'jiaozuo-march-8th-red-banner' (first defined at jiaozuo-mch-2024.yaml:",
    ),
    "malformed YAML": (
        CHANGZHI,
        "    roles: [council-member]",
        "    roles: [council-member",
        "malformed YAML",
    ),
    "unknown kind": (
        CHANGZHI,
        "kind: ResearchCentre",
        "kind: ResearchCenter",
        "unknown kind 'ResearchCenter'",
    ),
    "unknown level": (CHANGZHI, "level: municipal", "level: city", "unknown level 'city'"),
    "year not in quote": (
        CHANGZHI,
        "    year: 2021\n",
        "    year: 2020\n",
        "year '2020年' does not appear in the quote",
    ),
    "batch not in quote": (
        CHANGZHI,
        "    batch: batch-2\n    issuer: caae",
        "    batch: batch-1\n    issuer: caae",
        "batch 'batch-1'",
    ),
    "non-ASCII id": (
        JIAOZUO,
        "id: jiaozuo-mch-service-consortium\n",
        "id: 妇幼健康服务专业医联体\n",
        "must be lower-case ASCII",
    ),
    "unknown key": (JIAOZUO, "    rank: 二等奖", "    rang: 二等奖", "unknown key 'rang'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_line_and_no_file(scratch: Project, case: str) -> None:
    rel, old, new, expected = CASES[case]
    line = _edit(scratch, rel, old, new)
    result, out = _build(scratch)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    match = re.match(r"error: (\S+?):(\d+): ", lines[0])
    assert match, lines[0]
    assert Path(match.group(1)).name == rel.name
    if case != "malformed YAML":  # the parser reports where it noticed, which may be later
        assert int(match.group(2)) == line
    assert not out.exists()
    assert not list(out.parent.glob("*")) if out.parent.exists() else True


def test_failed_build_keeps_the_previous_output(scratch: Project) -> None:
    result, out = _build(scratch)
    assert result.returncode == 0, result.stderr
    before = out.read_bytes()
    _edit(scratch, CHANGZHI, "- 山西医科大学教学医院", "- 山西医科大学附属医院")
    result, _ = _build(scratch)
    assert result.returncode == 1
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_missing_report_text_is_named(scratch: Project) -> None:
    (scratch.data_dir / "reports" / "jiaozuo-mch-2024.txt").unlink()
    result, out = _build(scratch)
    assert result.returncode == 1
    assert "jiaozuo-mch-2024.yaml" in result.stderr
    assert "cannot read report text jiaozuo-mch-2024.txt" in result.stderr
    assert not out.exists()
