"""The fictional dev reports' same-institution pairs (tests/fixtures/extraction/same-as.tsv)
score above every pair of different institutions from the same reports.

The entities are made in code from the fixtures: every subject and partner that
gold.tsv names in a tie, in the first report naming it; the alternative names gold.tsv
records as naming facts; its ties as tie facts. A name only same-as.tsv has (汉水儿童医院)
is in a report of its own.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from graph_builder.ingest.model import Dataset
from graph_builder.reconcile import Candidate, compare_entities, find_candidates, make_context
from graph_builder.reconcile.signals import load_rules
from tests.conftest import REPO
from tests.reconcile.helpers import dataset, entity, naming, tie

FIXTURES = REPO / "tests" / "fixtures" / "extraction"
TIES = ("partnership", "alliance-membership")
KINDS = [  # by the name's ending: a curator's kind, as data/facts would give it
    ("联盟", "SpecialtyAlliance"),
    ("医联体", "MedicalConsortium"),
    ("研究中心", "ResearchCentre"),
    ("大学", "UniversityOrCollege"),
    ("学院", "UniversityOrCollege"),
    ("委员会", "GovernmentBody"),
    ("卫健委", "GovernmentBody"),
    ("卫生健康委", "GovernmentBody"),
    ("儿童医院", "ChildrensHospital"),
    ("儿科医院", "ChildrensHospital"),
    ("儿科", "ChildrensHospital"),
    ("妇女儿童医院", "MaternalAndChildHealthHospital"),
    ("妇幼保健院", "MaternalAndChildHealthHospital"),
    ("妇产医院", "MaternalAndChildHealthHospital"),
]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


SAME_AS = rows(FIXTURES / "same-as.tsv")
GOLD = [row for row in rows(FIXTURES / "gold.tsv") if row["report"].startswith("dev-")]
FICTIONAL = [(r["name_a"], r["name_b"]) for r in SAME_AS if r["note"].startswith("fictional")]


def kind_of(name: str) -> str:
    return max(
        ((ending, kind) for ending, kind in KINDS if name.endswith(ending)),
        key=lambda item: len(item[0]),
        default=("", "Hospital"),
    )[1]


def dev_dataset() -> tuple[Dataset, dict[str, str]]:
    """The dev reports' institutions and alliances, and name -> entity id."""
    reports: dict[str, str] = {}
    for row in GOLD:
        if row["kind"] in TIES:
            reports.setdefault(row["subject"], row["report"])
            reports.setdefault(row["object"], row["report"])
    for n, name in enumerate(sorted({name for pair in FICTIONAL for name in pair} - set(reports))):
        reports[name] = f"other-{n}"
    ids = {name: f"e{n:02d}" for n, name in enumerate(sorted(reports))}
    entities = [entity(ids[name], name, kind_of(name), report) for name, report in reports.items()]
    facts = []
    for n, row in enumerate(GOLD):
        if row["kind"] == "alias" and row["subject"] in ids:
            facts.append(naming(f"f{n}", ids[row["subject"]], row["object"], row["report"]))
        if row["kind"] in TIES:
            member, organization = ids[row["subject"]], ids[row["object"]]
            facts.append(tie(f"f{n}", member, organization, row["report"]))
    return dataset(entities, facts, places={}), ids


def same_institution_groups(ids: dict[str, str]) -> dict[str, int]:
    """Entity id -> its group: same-as.tsv's pairs and gold.tsv's alternative names joined."""
    group = {ident: n for n, ident in enumerate(sorted(ids.values()))}
    links = [(r["name_a"], r["name_b"]) for r in SAME_AS]
    links += [(r["subject"], r["object"]) for r in GOLD if r["kind"] == "alias"]
    for a, b in links:
        if a in ids and b in ids:
            old, new = group[ids[b]], group[ids[a]]
            group = {ident: new if g == old else g for ident, g in group.items()}
    return group


DATA, IDS = dev_dataset()


def scores() -> dict[tuple[str, str], int]:
    """Every pair's score (0 when it is not proposed), by ids in order."""
    context = make_context(DATA, load_rules())
    out = {}
    for a, b in itertools.combinations(sorted(DATA.entities), 2):
        result = compare_entities(DATA.entities[a], DATA.entities[b], context)
        out[(a, b)] = result.score if isinstance(result, Candidate) else 0
    return out


SCORES = scores()


def score(name_a: str, name_b: str) -> int:
    a, b = sorted((IDS[name_a], IDS[name_b]))
    return SCORES[(a, b)]


@pytest.mark.parametrize(("name_a", "name_b"), FICTIONAL, ids=[" / ".join(p) for p in FICTIONAL])
def test_each_fictional_pair_is_proposed(name_a: str, name_b: str) -> None:
    assert score(name_a, name_b) >= load_rules().min_score


def test_fictional_pairs_score_above_every_unrelated_pair() -> None:
    group = same_institution_groups(IDS)
    unrelated = {pair: s for pair, s in SCORES.items() if group[pair[0]] != group[pair[1]]}
    worst_same = min(score(a, b) for a, b in FICTIONAL)
    best_other = max(unrelated.values())
    top = max(unrelated, key=lambda pair: unrelated[pair])
    names = [DATA.entities[ident].zh for ident in top]
    assert worst_same > best_other, f"unrelated {names} scores {best_other} >= {worst_same}"


def test_the_report_itself_names_an_alternative() -> None:
    """襄阳市第二妇幼保健院 and 襄阳市汉水儿童医院 share no word of their names; dev-01 gives
    the second as the first's other name, and that is the evidence."""
    context = make_context(DATA, load_rules())
    a, b = (DATA.entities[IDS[n]] for n in ("襄阳市第二妇幼保健院", "襄阳市汉水儿童医院"))
    result = compare_entities(a, b, context)
    assert isinstance(result, Candidate)
    known = [s for s in result.signals if s.name == "known_name"]
    assert known and "naming fact" in known[0].evidence


def test_the_pairs_compared_are_all_that_can_be_proposed() -> None:
    """find_candidates skips pairs by cheap tests; it finds what comparing all pairs finds."""
    found = {(c.a.id, c.b.id): c.score for c in find_candidates(DATA, min_score=0)}
    every = {pair: s for pair, s in SCORES.items() if s > 0}
    assert found == every
