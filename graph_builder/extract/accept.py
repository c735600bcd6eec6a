"""`hospital-kg accept`: reviewed candidates into data/facts, through the builder's checks.

The candidates marked `accept` (and, with a confidence threshold, every proposed one at
or above it that has no problem) are added to data/facts/<report>.yaml: their new
entities, deduplicated by id, then their facts. The report's metadata gets a `subject`
if it has none. Before anything is written, the whole data set is loaded from a
temporary copy holding the result, exactly as `build` loads it; any refusal is one error
naming the candidate and nothing is written. Then the files are written atomically and
the moved candidates are marked `accepted` in the candidates file. They stay there
rather than being removed: the file remains the record of what the extractor proposed
and what the reviewer decided (the extractor's precision is measured from it), and an
`accepted` candidate is never moved twice.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_builder.atomic_files import write_atomic
from graph_builder.errors import DataError, UsageError
from graph_builder.extract.candidates_file import (
    ACCEPTED,
    CandidatesFile,
    Entry,
    candidates_path,
    load,
    set_decisions,
)
from graph_builder.extract.fact_file_text import (
    Item,
    add_records,
    new_fact_file,
    top_level_lines,
    with_subject,
)
from graph_builder.extract.record_check import fact_key
from graph_builder.ingest.loader import CANDIDATES_SUFFIX, load_dataset
from graph_builder.ingest.model import Dataset
from graph_builder.ingest.record_schema import SECTIONS
from graph_builder.ingest.source_text import read_utf8
from graph_builder.ingest.yaml_records import Record, parse_checked, read_mapping
from graph_builder.project import Project
from graph_builder.rdf.vocabulary import Vocabulary, load_ontology


@dataclass
class AcceptResult:
    """What was (or, in a dry run, would be) done."""

    report: str
    candidates_file: Path
    facts_file: Path
    accepted: list[str]
    entities: list[str]
    subject: str | None
    dry_run: bool


@dataclass
class Plan:
    """The files to write, and which candidate each added record comes from."""

    facts_file: Path
    facts_text: str
    metadata_file: Path
    metadata_text: str | None
    origins: dict[str, str]  # record id (fact or new entity) -> candidate id


def accept(
    project: Project, target: str, min_confidence: float | None = None, dry_run: bool = False
) -> AcceptResult:
    """Move the accepted candidates of `target` (a report id or a candidates file)."""
    path = locate_candidates(project, target)
    candidates = load(path)
    metadata_file = project.data_dir / "reports" / f"{candidates.report}.yaml"
    if not metadata_file.exists():
        message = f"unknown report {candidates.report!r} (no {metadata_file.name})"
        raise DataError(path, None, message)
    chosen = select(candidates, min_confidence)
    facts_file = project.data_dir / "facts" / f"{candidates.report}.yaml"
    result = AcceptResult(candidates.report, path, facts_file, [], [], None, dry_run)
    if not chosen:
        return result
    vocab = Vocabulary(load_ontology(project.ontology))
    dataset = load_dataset(project.data_dir, vocab, project.root)  # the data as it stands
    refuse_repeats(chosen, dataset, path)
    entities = new_entities(chosen, dataset, path)
    plan = make_plan(candidates, chosen, entities, facts_file, metadata_file)
    check_plan(project, vocab, plan, candidates, path)
    result.accepted = [entry.id for entry in chosen]
    result.entities = [ident for ident in plan.origins if ident in entity_ids(entities)]
    result.subject = subject_of(candidates) if plan.metadata_text is not None else None
    if not dry_run:
        write_plan(plan)
        set_decisions(path, dict.fromkeys(result.accepted, ACCEPTED))
    return result


def locate_candidates(project: Project, target: str) -> Path:
    """A report id's candidates file, or `target` itself if it is a candidates file."""
    if target.endswith(CANDIDATES_SUFFIX) and Path(target).is_file():
        return Path(target)
    path = candidates_path(project.data_dir / "facts", target)
    if not path.is_file():
        raise UsageError(
            f"no candidates for {target!r}: {path} does not exist "
            f"(run hospital-kg extract {target} first)"
        )
    return path


def select(candidates: CandidatesFile, min_confidence: float | None) -> list[Entry]:
    """Those marked accept, and with a threshold the proposed ones at or above it that
    have no problem (a problem is never accepted without a reviewer saying so)."""
    return [
        entry
        for entry in candidates.entries
        if entry.decision == "accept"
        or (
            min_confidence is not None
            and entry.decision == "proposed"
            and entry.problem is None
            and entry.candidate.confidence >= min_confidence
        )
    ]


def refuse_repeats(chosen: list[Entry], dataset: Dataset, path: Path) -> None:
    """A fact whose id data/ already has was accepted before: moving it again would
    duplicate it (a candidate set back to `accept` after being `accepted`)."""
    known = {fact.id for fact in dataset.facts}
    for entry in chosen:
        ident = fact_id(entry)
        if ident in known:
            message = f"candidate {entry.id}: fact {ident!r} is already in data/facts"
            raise DataError(path, entry.line, f"{message} (accepted before?)")


def fact_id(entry: Entry) -> str:
    """The id the fact is written with: its own, else the candidate's."""
    ident = entry.fact.get("id")
    return ident if isinstance(ident, str) and ident else entry.id


def new_entities(chosen: list[Entry], dataset: Dataset, path: Path) -> dict[str, list[Item]]:
    """The new entities the chosen candidates need, by section, each once.

    One already in data/ under that id and name (accepted with an earlier candidate) is
    skipped; an id that data/ or another candidate uses for something else is refused.
    """
    merged: dict[str, tuple[str, dict[str, Any], str]] = {}
    for entry in chosen:
        for section, records in entry.new.items():
            for record in records:
                ident = record.get("id")
                if not isinstance(ident, str) or not ident:
                    message = f"candidate {entry.id}: a new {section} entry has no id"
                    raise DataError(path, entry.line, message)
                if _already_defined(entry, section, record, dataset, path):
                    continue
                if ident in merged and merged[ident][:2] != (section, record):
                    other = merged[ident][2]
                    raise DataError(
                        path,
                        entry.line,
                        f"candidate {entry.id}: new entity {ident!r} differs from the one "
                        f"candidate {other} defines; make them one",
                    )
                merged.setdefault(ident, (section, record, entry.id))
    sections: dict[str, list[Item]] = {}
    for section in SECTIONS:
        items = [Item(record) for sec, record, _ in merged.values() if sec == section]
        if items:
            sections[section] = items
    return sections


def _already_defined(
    entry: Entry, section: str, record: Mapping[str, Any], dataset: Dataset, path: Path
) -> bool:
    existing = dataset.entities.get(str(record["id"]))
    if existing is None:
        return False
    if existing.section == section and existing.zh == record.get("zh"):
        return True
    raise DataError(
        path,
        entry.line,
        f"candidate {entry.id}: new entity id {record['id']!r} is already used in data/ "
        f"for {existing.zh} ({existing.section}); give it another id",
    )


def entity_ids(sections: Mapping[str, list[Item]]) -> set[str]:
    return {str(item.record["id"]) for items in sections.values() for item in items}


def make_plan(
    candidates: CandidatesFile,
    chosen: list[Entry],
    entities: dict[str, list[Item]],
    facts_file: Path,
    metadata_file: Path,
) -> Plan:
    """The fact file with the records added, and the metadata with its subject."""
    facts = [fact_item(entry, candidates) for entry in chosen]
    if facts_file.exists():
        text = add_records(read_utf8(facts_file), facts_file, entities, facts)
    else:
        text = new_fact_file(candidates.report, entities, facts)
    origins = {fact_id(entry): entry.id for entry in chosen}
    for entry in chosen:
        for records in entry.new.values():
            for record in records:
                if str(record.get("id")) in entity_ids(entities):
                    origins.setdefault(str(record["id"]), entry.id)
    metadata = metadata_with_subject(metadata_file, candidates)
    return Plan(facts_file, text, metadata_file, metadata, origins)


def fact_item(entry: Entry, candidates: CandidatesFile) -> Item:
    """The fact as written in data/facts, its id first, with where it came from above it."""
    record = {"id": fact_id(entry), **{k: v for k, v in entry.fact.items() if k != "id"}}
    source = (
        f"accepted from {candidates.report}{CANDIDATES_SUFFIX}: candidate {entry.id} "
        f"({entry.candidate.kind}, rule {entry.candidate.rule or '-'}, "
        f"confidence {entry.candidate.confidence:g})"
    )
    return Item(record, source)


def subject_of(candidates: CandidatesFile) -> str | None:
    return candidates.hospital.id if candidates.hospital is not None else None


def metadata_with_subject(metadata_file: Path, candidates: CandidatesFile) -> str | None:
    """The report's metadata with `subject:` added, or None if it has one (or none is known)."""
    subject = subject_of(candidates)
    if subject is None or "subject" in read_mapping(metadata_file, "report metadata"):
        return None
    return with_subject(read_utf8(metadata_file), subject)


# --- the check: load the whole data set as it would be ------------------------------


def check_plan(
    project: Project, vocab: Vocabulary, plan: Plan, candidates: CandidatesFile, path: Path
) -> None:
    """Load data/ as the plan would leave it; a refusal names the candidate it comes from."""
    writes = {plan.facts_file: plan.facts_text}
    if plan.metadata_text is not None:
        writes[plan.metadata_file] = plan.metadata_text
    with data_copy(project, writes) as (root, data_dir):
        try:
            dataset = load_dataset(data_dir, vocab, root)
        except DataError as exc:
            raise attributed(exc, root, project, plan, candidates, path) from exc
    refuse_duplicates(dataset, plan, candidates, path)


@contextmanager
def data_copy(project: Project, writes: Mapping[Path, str]) -> Iterator[tuple[Path, Path]]:
    """A temporary project root whose data/ links to the real files but for `writes`
    (real files, so the real ones are never written through). Candidate files are left out."""
    with tempfile.TemporaryDirectory(prefix="hkg-accept-") as tmp:
        root = Path(tmp)
        for source in sorted(project.data_dir.rglob("*")):
            if source.is_file() and not source.name.endswith(CANDIDATES_SUFFIX):
                link = root / source.relative_to(project.root)
                link.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(source.resolve(), link)
        for target, content in writes.items():
            copy = root / target.relative_to(project.root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.unlink(missing_ok=True)
            copy.write_text(content, encoding="utf-8")
        yield root, root / project.data_dir.relative_to(project.root)


def attributed(
    exc: DataError,
    root: Path,
    project: Project,
    plan: Plan,
    candidates: CandidatesFile,
    path: Path,
) -> DataError:
    """The loader's error, said of the candidate whose record it is about, else of the
    real file (the copy's path means nothing to the user)."""
    if exc.path is None or not exc.path.is_relative_to(root):
        return exc
    real = project.root / exc.path.relative_to(root)
    if real == plan.facts_file:
        candidate = candidate_at(plan, exc.line, path)
        if candidate is not None:
            line = candidates.entry(candidate).line
            return DataError(path, line, f"candidate {candidate}: {exc.message}")
    if real == plan.metadata_file and plan.metadata_text is not None:
        return DataError(path, None, f"hospital {subject_of(candidates)!r}: {exc.message}")
    return DataError(real, exc.line, exc.message)


def candidate_at(plan: Plan, line: int | None, path: Path) -> str | None:
    """The candidate whose added record holds `line` of the planned fact file."""
    if line is None:
        return None
    starts = sorted(record_lines(plan.facts_text, plan.facts_file))
    holding = [ident for start, ident in starts if start <= line]
    return plan.origins.get(holding[-1]) if holding else None


def record_lines(content: str, path: Path) -> list[tuple[int, str]]:
    """(first line, id) of every record of a fact file."""
    doc = parse_checked(content, path)
    found = []
    for key in top_level_lines(content, path):
        items = doc.get(key) if isinstance(doc, Record) else None
        if isinstance(items, list):
            found += [(r.line, str(r.get("id"))) for r in items if isinstance(r, Record)]
    return found


def refuse_duplicates(dataset: Dataset, plan: Plan, candidates: CandidatesFile, path: Path) -> None:
    """An added fact saying what another says, from the same words, is refused."""
    added = [fact for fact in dataset.facts if fact.id in plan.origins]
    said = {fact_key(fact): fact.id for fact in dataset.facts if fact.id not in plan.origins}
    for fact in added:
        key = fact_key(fact)
        if key in said:
            candidate = plan.origins[fact.id]
            message = f"says what fact {said[key]!r} says (same values, same quote)"
            raise DataError(
                path, candidates.entry(candidate).line, f"candidate {candidate}: {message}"
            )
        said[key] = fact.id


def write_plan(plan: Plan) -> None:
    """The fact file first: a subject naming an entity not yet written would not load."""
    write_atomic(plan.facts_file, plan.facts_text.encode("utf-8"))
    if plan.metadata_text is not None:
        write_atomic(plan.metadata_file, plan.metadata_text.encode("utf-8"))
