"""The issue's targets, scored by the shipped scorer as a user would run it.

evaluate.py (a verbatim copy of the shared scorer) runs the extractor on the five
fictional dev reports and on the two seed reports, and the extractor must reach an
overall F1 of 0.85 on each set, 0.9 accuracy on the level, batch, role and status of the
facts it matched, and put every quote exactly at its offsets.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "extraction"
#: How the scorer runs the extractor: the command a user runs, from this environment.
HOSPITAL_KG = Path(sys.executable).with_name("hospital-kg")
EXTRACT_CMD = f"{shlex.quote(str(HOSPITAL_KG))} extract {{path}} --format json"
SETS = {
    "dev": (FIXTURES / "gold.tsv", FIXTURES / "reports"),
    "seeds": (FIXTURES / "seeds-gold.tsv", REPO / "data" / "reports"),
    # written blind to the extractor (holdout/README.md); first scored at F1 0.46, then
    # its misses guided general rules, so it is a regression floor now, not a blind score
    "holdout": (FIXTURES / "holdout" / "gold.tsv", FIXTURES / "holdout" / "reports"),
    # the second set, written blind too, and scored once at F1 0.805 before any rule saw it
    "blind2": (FIXTURES / "blind2" / "gold.tsv", FIXTURES / "blind2" / "reports"),
    # the third, written blind after two rounds of rules: scored once at F1 0.797
    "blind3": (FIXTURES / "blind3" / "gold.tsv", FIXTURES / "blind3" / "reports"),
}
#: Lowest F1 per set where the issue's 0.85 is not the bar: the blind set's own first
#: score, less a margin, so rules that lose generality fail here.
FLOORS = {"blind2": 0.78, "blind3": 0.77}
MIN_F1 = 0.85
MIN_ATTRIBUTE = 0.9
TARGET_ATTRIBUTES = ("level", "batch", "role", "status")


def score(gold: Path, texts: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(FIXTURES / "evaluate.py"), "--gold", str(gold), "--texts",
         str(texts), "--cmd", EXTRACT_CMD, "--json"],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    name = request.param
    return name, score(*SETS[name])


def test_overall_f1(scored: tuple[str, dict[str, Any]]) -> None:
    name, result = scored
    assert result["overall"]["f1"] >= FLOORS.get(name, MIN_F1), (name, result["overall"])


def test_attribute_accuracy(scored: tuple[str, dict[str, Any]]) -> None:
    name, result = scored
    accuracy = result["attribute_accuracy"]
    low = {a: accuracy[a] for a in TARGET_ATTRIBUTES if accuracy.get(a, 1.0) < MIN_ATTRIBUTE}
    assert not low, (name, low)


def test_every_quote_is_verbatim_at_its_offsets(scored: tuple[str, dict[str, Any]]) -> None:
    name, result = scored
    assert result["evidence_with_offsets"] > 0, name
    assert result["evidence_not_verbatim"] == 0, (name, result)


def test_the_seed_gold_names_only_words_of_its_reports() -> None:
    """Every subject and object of seeds-gold.tsv is in its report (quote marks and
    line breaks aside), as in the dev set."""
    marks = "“”‘’\"'「」『』《》 \n\t\u3000"
    lines = (FIXTURES / "seeds-gold.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        if line.startswith("#"):
            continue
        report, subject, _, obj, *_ = line.split("\t")
        text = (REPO / "data" / "reports" / f"{report}.txt").read_text(encoding="utf-8")
        bare = "".join(ch for ch in text if ch not in marks)
        for name in (subject, obj):
            assert "".join(ch for ch in name if ch not in marks) in bare, (report, name)
