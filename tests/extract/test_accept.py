"""accept: reviewed candidates into data/facts through the builder's checks, or nothing at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder import Project
from graph_builder.errors import DataError, UsageError
from graph_builder.extract.accept import accept
from graph_builder.extract.candidates import Candidate
from graph_builder.extract.candidates_file import (
    candidates_path,
    load,
    save,
    set_decision,
)
from graph_builder.extract.propose import open_workspace, propose
from graph_builder.ingest.loader import load_dataset
from graph_builder.ingest.model import Dataset
from graph_builder.rdf.vocabulary import Vocabulary, load_ontology
from tests.extract.new_report import (
    METADATA,
    REPORT,
    add_report,
    hand_made,
    snapshot,
    write_candidates,
)


def loaded(project: Project) -> Dataset:
    return load_dataset(project.data_dir, Vocabulary(load_ontology(project.ontology)), project.root)


@pytest.fixture()
def reviewed(scratch: Project) -> tuple[Project, Path]:
    """The new report with its candidates, every one marked accept."""
    add_report(scratch)
    path, proposed = write_candidates(scratch, hand_made())
    for entry in proposed.entries:
        set_decision(path, entry.id, "accept")
    return scratch, path


def test_accepted_candidates_become_facts_of_the_graph(reviewed) -> None:
    project, path = reviewed
    result = accept(project, REPORT)
    assert len(result.accepted) == 5 and result.subject == "xinxiang-mch"
    dataset = loaded(project)
    facts = {fact.id: fact for fact in dataset.facts if fact.report == REPORT}
    assert set(facts) == set(result.accepted)
    assert dataset.reports[REPORT].subject == "xinxiang-mch"
    assert dataset.entities["xinxiang-mch"].en == ""  # no translation until a curator gives one
    lab = dataset.entities[facts[result.accepted[1]].values["designation"][0]]
    assert (lab.zh, lab.spans[0].quote) == ("河南省出生缺陷防治重点实验室",) * 2
    quotes = [span.quote for fact in facts.values() for span in fact.spans]
    assert "获批“河南省出生缺陷防治重点实验室”" in quotes
    assert {entry.decision for entry in load(path).entries} == {"accepted"}


def test_the_report_metadata_gets_one_line(reviewed) -> None:
    project, _ = reviewed
    accept(project, REPORT)
    metadata = project.data_dir / "reports" / f"{REPORT}.yaml"
    assert metadata.read_text(encoding="utf-8") == METADATA + "subject: xinxiang-mch\n"


def test_accepting_again_duplicates_nothing(reviewed) -> None:
    project, path = reviewed
    accept(project, REPORT)
    before = snapshot(project)
    assert accept(project, REPORT).accepted == []
    assert snapshot(project) == before
    first = load(path).entries[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("decision: accepted", "decision: accept", 1), encoding="utf-8")
    with pytest.raises(DataError, match=f"candidate {first.id}: fact .* is already in data/facts"):
        accept(project, REPORT)
    assert len([f for f in loaded(project).facts if f.report == REPORT]) == 5


def test_a_dry_run_writes_nothing(reviewed) -> None:
    project, _ = reviewed
    before = snapshot(project)
    result = accept(project, REPORT, dry_run=True)
    assert result.dry_run and len(result.accepted) == 5
    assert snapshot(project) == before


def test_min_confidence_takes_proposed_candidates_without_a_problem(scratch: Project) -> None:
    add_report(scratch)
    path, proposed = write_candidates(scratch, hand_made())
    set_decision(path, proposed.entries[-1].id, "reject")
    result = accept(scratch, REPORT, min_confidence=0.85)
    chosen = {e.id for e in proposed.entries if e.candidate.confidence >= 0.85} - {
        proposed.entries[-1].id
    }
    assert set(result.accepted) == chosen and len(chosen) == 2


def test_a_quote_not_in_the_text_is_refused_and_nothing_written(reviewed) -> None:
    project, path = reviewed
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    quote: 该院院长王丽萍", "    quote: 该院院长王丽萍说"), encoding="utf-8"
    )
    before = snapshot(project)
    post = next(e for e in load(path).entries if e.candidate.kind == "post")
    with pytest.raises(DataError) as caught:
        accept(project, REPORT)
    assert str(caught.value).endswith(
        f"candidate {post.id}: quote not found in {REPORT}.txt: '该院院长王丽萍说'"
    )
    assert caught.value.path == path and caught.value.line == post.line
    assert snapshot(project) == before


def test_two_candidates_defining_one_id_differently_are_refused(reviewed) -> None:
    project, path = reviewed
    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        "      kind: MaternalAndChildHealthHospital\n", "      kind: Hospital\n", 1
    )
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(DataError, match="new entity 'xinxiang-mch' differs from the one candidate"):
        accept(project, REPORT)


def test_a_fact_the_data_already_states_is_refused(scratch: Project) -> None:
    """The same values from the same words as a curated fact, under another id."""
    text = (scratch.data_dir / "reports" / "jiaozuo-mch-2024.txt").read_text(encoding="utf-8")
    quote = "该院院长李小红"
    start = text.index(quote)
    same = Candidate(
        "post", "焦作市妇幼保健院", "李小红", quote, start, start + len(quote), role="院长"
    )
    path = candidates_path(scratch.data_dir / "facts", "jiaozuo-mch-2024")
    proposed = propose(open_workspace(scratch), "jiaozuo-mch-2024", text, "x.txt", [same])
    assert "the same as fact 'jiaozuo-president-li-xiaohong'" in str(proposed.entries[0].problem)
    save(path, proposed)
    set_decision(path, proposed.entries[0].id, "accept")
    with pytest.raises(DataError, match="says what fact 'jiaozuo-president-li-xiaohong' says"):
        accept(scratch, "jiaozuo-mch-2024")


def test_an_existing_fact_file_keeps_every_line_it_had(scratch: Project) -> None:
    report = "jiaozuo-mch-2024"
    facts_file = scratch.data_dir / "facts" / f"{report}.yaml"
    original = facts_file.read_text(encoding="utf-8")
    text = (scratch.data_dir / "reports" / f"{report}.txt").read_text(encoding="utf-8")
    quotes = {
        "partnership": ("市残疾人康复教育中心", "康复科与市残疾人康复教育中心开展业务融合"),
        "alias": ("市妇幼保健院", "在市妇幼保健院高质量发展的征程中"),
    }
    candidates = [
        Candidate(
            kind, "焦作市妇幼保健院", obj, quote, text.index(quote), text.index(quote) + len(quote)
        )
        for kind, (obj, quote) in quotes.items()
    ]
    proposed = propose(
        open_workspace(scratch), report, text, f"data/reports/{report}.txt", candidates
    )
    assert [e.problem for e in proposed.entries] == [None, None]
    path = candidates_path(scratch.data_dir / "facts", report)
    save(path, proposed)
    result = accept(scratch, report, min_confidence=0.5)
    assert len(result.accepted) == 2 and len(result.entities) == 1 and result.subject is None
    after = facts_file.read_text(encoding="utf-8").splitlines()
    remaining = iter(after)
    assert all(line in remaining for line in original.splitlines())  # in order, none changed
    assert "quote: &honours" in facts_file.read_text(encoding="utf-8")
    dataset = loaded(scratch)
    assert dataset.entities[result.entities[0]].zh == "市残疾人康复教育中心"


def test_a_report_without_candidates_is_a_usage_error(scratch: Project) -> None:
    with pytest.raises(UsageError, match="run hospital-kg extract jiaozuo-mch-2024 first"):
        accept(scratch, "jiaozuo-mch-2024")
