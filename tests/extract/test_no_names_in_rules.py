"""No name of a hospital, partner, person or designation that the evaluation knows may
appear in the extractor's code or rule files: its scores must come from rules over the
language of reports, not from remembering the answers.

The names are every entity name in data/facts/*.yaml, every subject and object of the
gold files (the dev set, the seeds; the held-out sets as _held_out_names says) and every
name in same-as.tsv. Generic words that are also rule terms (a grade) must be written
compositionally in the rules
(`[一二三]级[甲乙丙]等`), never whitelisted here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "extraction"
EXTRACT = REPO / "graph_builder" / "extract"
#: The extractor: the engine, its rules and their data (the stage's other modules,
#: report intake and the candidates file, hold no extraction rules).
EXTRACTOR = (
    "analyser.py",
    "confidence.py",
    "confidence.yaml",
    "context.py",
    "cues.py",
    "dates.py",
    "document.py",
    "engine.py",
    "merge.py",
    "names.py",
    "patterns.yaml",
    "subject.py",
    "titles.py",
    "vocab.py",
)
ENTITY_LISTS = ("institutions", "alliances", "units", "programmes", "people", "designations")
QUOTE_MARKS = "“”‘’\"'「」『』《》 \n\t"
CONFERRALS = ("grade", "designation", "honour", "key-lab")


def _fact_names(path: Path) -> Iterator[str]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ENTITY_LISTS:
        for record in doc.get(key) or []:
            yield str(record["zh"])
    for fact in doc.get("facts") or []:
        if fact.get("type") == "naming":
            yield str(fact["name"])
        yield from (str(n) for n in fact.get("branded_names") or [])


def _tsv_names(path: Path, columns: tuple[str, ...]) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            first = next(iter(row.values()))
            if first and not first.startswith("#"):
                yield from (row[c] for c in columns if row.get(c))


def _held_out_names(path: Path) -> Iterator[str]:
    """A held-out set's institutions (subjects, partners, alliances, people) and its
    specific titles. Its annotators strip titles to their generic core (市级“文明单位” ->
    文明单位, 省级临床重点专科 -> 临床重点专科); a core under 7 characters is a class word
    the rules may use (as 先进集体 is), so only longer titles are names here."""
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            first = next(iter(row.values()))
            if not first or first.startswith("#"):
                continue
            yield row["subject"]
            obj = row.get("object") or ""
            if row.get("kind") not in CONFERRALS or len(obj) >= 7:
                yield obj


def known_names() -> set[str]:
    names: set[str] = set()
    for path in sorted((REPO / "data" / "facts").glob("*.yaml")):
        names.update(_fact_names(path))
    for gold in ("gold.tsv", "seeds-gold.tsv"):
        names.update(_tsv_names(FIXTURES / gold, ("subject", "object")))
    for gold in sorted(FIXTURES.glob("*/gold.tsv")):  # the held-out sets
        names.update(_held_out_names(gold))
    names.update(_tsv_names(FIXTURES / "same-as.tsv", ("name_a", "name_b")))
    bare = {"".join(ch for ch in n if ch not in QUOTE_MARKS) for n in names}
    return {n for n in names | bare if n}


def extractor_files() -> list[Path]:
    files = [EXTRACT / name for name in EXTRACTOR]
    files += sorted((EXTRACT / "rules").rglob("*.py"))
    return [f for f in files if f.exists()]


def test_the_name_list_is_not_empty() -> None:
    names = known_names()
    assert len(names) > 100
    assert "CAAE" in names  # an institution's short name from the Changzhi facts


@pytest.mark.parametrize("path", extractor_files(), ids=lambda p: str(p.relative_to(EXTRACT)))
def test_no_known_name_in_the_extractor(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    flat = "".join(ch for ch in text if ch not in QUOTE_MARKS)
    found = sorted(n for n in known_names() if n in text or n in flat)
    assert not found, f"{path.relative_to(REPO)} names {found}"


def test_every_extractor_module_is_checked() -> None:
    """A new module of the engine must join the list above (or say why not)."""
    checked = {p.name for p in extractor_files()}
    own = {"candidates.py", "__init__.py"}
    others = {
        p.name
        for p in EXTRACT.glob("*.py")
        if p.name not in checked and p.name not in own and _is_engine_module(p)
    }
    assert not others, f"engine modules not checked for names: {sorted(others)}"


def _is_engine_module(path: Path) -> bool:
    """Whether a module of graph_builder/extract imports the engine's vocabulary."""
    text = path.read_text(encoding="utf-8")
    return "extract.vocab import" in text or "extract.rules" in text
