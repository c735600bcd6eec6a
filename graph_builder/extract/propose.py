"""One report's candidates as the reviewer's file: hospital chosen, names linked, records
mapped and checked by the builder's own rules.

A `Workspace` is what every report of one `extract` run shares: the data set (for
linking and checking), and every id already taken, in data/ and in the candidate files
waiting for review beside it, so two files never mint one id for two things. Run again
on a report, `propose` keeps what the reviewer decided (accept, reject, accepted) as it
stands and proposes afresh only what was still undecided.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph_builder.extract.candidates import Candidate
from graph_builder.extract.candidates_file import CandidatesFile, Entry, Hospital, load
from graph_builder.extract.glossary import read_glossary
from graph_builder.extract.ids import IdRegistry
from graph_builder.extract.linking import KindChooser, Link, Linker, NameIndex, place_lexicon
from graph_builder.extract.mapping import Mapper
from graph_builder.extract.record_check import RecordCheck, report_source
from graph_builder.ingest.loader import CANDIDATES_SUFFIX, load_dataset
from graph_builder.ingest.model import Dataset
from graph_builder.ingest.reports import ReportSource
from graph_builder.project import Project
from graph_builder.rdf.namespaces import HKG
from graph_builder.rdf.vocabulary import Vocabulary, load_ontology

#: Where a candidate's subject is looked up when it is not the report's hospital.
SUBJECT_SECTIONS = ("institutions", "alliances", "units")
#: What identifies a candidate across runs of the extractor on one text.
EntryKey = tuple[str, int, int, str]


@dataclass
class Workspace:
    dataset: Dataset
    vocab: Vocabulary
    linker: Linker
    check: RecordCheck


def open_workspace(project: Project, skip: Iterable[Path] = ()) -> Workspace:
    """Load data/ and the pending candidate files (but those in `skip`, about to be redone)."""
    vocab = Vocabulary(load_ontology(project.ontology))
    dataset = load_dataset(project.data_dir, vocab, project.root)
    glossary = read_glossary(project.data_dir / "reference" / "glossary.yaml")
    registry = IdRegistry(dataset_ids(dataset))
    places = place_lexicon(dataset.places)
    linker = Linker(NameIndex(dataset), KindChooser(vocab), registry, places, glossary)
    skipped = {path.resolve() for path in skip}
    for path in sorted((project.data_dir / "facts").glob(f"*{CANDIDATES_SUFFIX}")):
        if path.resolve() not in skipped:
            remember(linker, load(path).entries)
    return Workspace(dataset, vocab, linker, RecordCheck(dataset, vocab))


def dataset_ids(dataset: Dataset) -> set[str]:
    """Every id data/ uses: places, reports, entities and facts."""
    return {
        *dataset.places,
        *dataset.reports,
        *dataset.entities,
        *(fact.id for fact in dataset.facts),
    }


def remember(linker: Linker, entries: Iterable[Entry]) -> None:
    """Reserve the ids of entries already in a file, and reuse their new entities by name."""
    for entry in entries:
        linker.registry.reserve([entry.id])
        for section, records in entry.new.items():
            for record in records:
                linker.remember(section, record)


def propose(
    workspace: Workspace,
    name: str,
    text: str,
    source_file: str,
    candidates: list[Candidate],
    hospital: str | None = None,
    previous: CandidatesFile | None = None,
) -> CandidatesFile:
    """The candidates file for report `name` (its text at `source_file`)."""
    decided = [e for e in previous.entries if e.decision != "proposed"] if previous else []
    kept = {entry_key(entry.candidate): entry for entry in decided}
    remember(workspace.linker, kept.values())
    main = main_hospital(workspace, name, candidates, hospital)
    mapper = Mapper(workspace.vocab, workspace.linker, text)
    report = report_source(name, text, source_file)
    entries = list(kept.values())
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if entry_key(candidate) not in kept:
            entries.append(new_entry(workspace, mapper, report, candidate, main))
    entries.sort(key=lambda e: (e.candidate.start, e.candidate.end))
    header = Hospital(main[0], main[1].id) if main else None
    return CandidatesFile(name, header, entries)


def entry_key(candidate: Candidate) -> EntryKey:
    return (candidate.kind, candidate.start, candidate.end, candidate.object)


def new_entry(
    workspace: Workspace,
    mapper: Mapper,
    report: ReportSource,
    candidate: Candidate,
    main: tuple[str, Link] | None,
) -> Entry:
    """A proposed entry: the mapped records, and the first reason they would be refused."""
    subject = subject_link(workspace, candidate, main)
    draft = mapper.map(candidate, subject)
    problem = "; ".join(draft.problems) or None
    if problem is None:
        problem = workspace.check.problem(draft.fact, draft.new, report)
    return Entry(draft.fact["id"], "proposed", candidate, draft.fact, draft.new, problem)


def main_hospital(
    workspace: Workspace, name: str, candidates: list[Candidate], hospital: str | None
) -> tuple[str, Link] | None:
    """The report's hospital, as (name, link): `--hospital`, else the report's recorded
    subject, else the subject most candidates name. None if nothing names one."""
    if hospital:
        return hospital, hospital_link(workspace, hospital)
    report = workspace.dataset.reports.get(name)
    if report is not None and report.subject:
        entity = workspace.dataset.entities[report.subject]
        return entity.zh, Link(entity.id, entity.section)
    subjects = Counter(c.subject for c in candidates if c.subject)
    if not subjects:
        return None
    chosen = subjects.most_common(1)[0][0]
    return chosen, hospital_link(workspace, chosen)


def hospital_link(workspace: Workspace, name: str) -> Link:
    """An institution of that name, else a new hospital (its kind by its name's ending)."""
    return workspace.linker.link(name, ("institutions",), base=HKG.Hospital)


def subject_link(
    workspace: Workspace, candidate: Candidate, main: tuple[str, Link] | None
) -> Link | None:
    """The candidate's subject: the report's hospital unless it names another."""
    if main is not None and candidate.subject in ("", main[0]):
        return main[1]
    if not candidate.subject:
        return None
    return workspace.linker.link(candidate.subject, SUBJECT_SECTIONS)


def previous_file(path: Path | None) -> CandidatesFile | None:
    """The candidates file a run would replace, if there is one (its decisions are kept)."""
    return load(path) if path is not None and path.exists() else None
