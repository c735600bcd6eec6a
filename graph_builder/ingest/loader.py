"""Reads data/ into a checked, resolved `Dataset`, or stops at the first problem.

Checks, each reported as `file:line: message`: malformed YAML (and YAML that
nests or expands past the reader's bounds), unknown or missing keys, ids that are
not ASCII slugs or are used twice, references to entities that are not defined,
kinds/levels/roles the ontology does not declare, quotes absent from the report,
values (labels, dates, issuers, batches ...) that their own quote does not
contain, characters XML cannot carry, and report texts not stored as plain UTF-8
with LF line ends (their offsets would not index the file).

The stages run in the order below, each reading its files, checking its records
and assembling model objects. Facts come after every file's entities, since a
fact may name an entity of any file. The id -> record map stays here, for error
positions; the `Dataset` returned holds no YAML.
"""

from __future__ import annotations

from pathlib import Path

from graph_builder.errors import DataError
from graph_builder.ingest.authority import read_authority, resolve
from graph_builder.ingest.entities import check_entity, check_person, resolve_entity_links
from graph_builder.ingest.facts import check_fact
from graph_builder.ingest.model import Dataset, Entity, Place
from graph_builder.ingest.places import read_places
from graph_builder.ingest.record_schema import ENTITY_KEYS, FACT_FILE_KEYS, SECTIONS
from graph_builder.ingest.reports import ReportSource, assemble_report, read_reports
from graph_builder.ingest.yaml_records import Record, check_keys, mappings, read_mapping, text
from graph_builder.rdf.vocabulary import Vocabulary

#: What `hospital-kg extract` names its candidate files (data/facts/<report>.candidates.yaml).
CANDIDATES_SUFFIX = ".candidates.yaml"


def load_dataset(data_dir: Path, vocab: Vocabulary, root: Path | None = None) -> Dataset:
    """Load and check everything under `data_dir` (reference/, reports/, facts/).

    Report texts are recorded relative to `root`, the project root (by default
    the parent of `data_dir`).
    """
    root = data_dir.parent if root is None else root
    ids: dict[str, Record] = {}  # every id claimed so far -> the record that defines it
    # Reference places, then the reports with the people they name.
    places, place_source = read_places(data_dir / "reference" / "places.yaml", ids)
    reports = read_reports(data_dir / "reports", root)
    entities: dict[str, Entity] = {}
    for report in reports.values():
        _add(entities, check_people(report, ids, vocab, places))
    # The entities of every fact file; their facts wait, since they may name any file's entity.
    pending: list[tuple[Record, ReportSource]] = []
    for path in fact_files(data_dir / "facts"):
        doc, report = read_fact_file(path, reports)
        _add(entities, check_fact_file_entities(doc, report, ids, vocab, places))
        pending += [(record, report) for record in mappings(doc, "facts")]
    # Then what refers to entities: their links, the facts, the reports' subjects.
    resolve_entity_links(entities, ids)
    facts = [check_fact(record, report, ids, vocab, entities) for record, report in pending]
    resolve_subjects(reports, entities)
    # One node per real institution: report entities resolved to the authority file.
    authority = read_authority(data_dir / "reference" / "institutions.yaml", vocab, places)
    canonical = resolve(authority, entities.values(), ids)
    return Dataset(
        places,
        {report.id: assemble_report(report) for report in reports.values()},
        entities,
        facts,
        place_source,
        authority,
        canonical,
    )


def check_people(
    report: ReportSource, ids: dict[str, Record], vocab: Vocabulary, places: dict[str, Place]
) -> list[Entity]:
    """The reporters and photographers a report's metadata names."""
    people = []
    for key in ("reporters", "photographers"):
        for record in mappings(report.record, key):
            people.append(check_person(record, report, ids, vocab, places))
    return people


def fact_files(facts_dir: Path) -> list[Path]:
    """The fact files; candidate files beside them are proposals under review, not facts."""
    paths = sorted(p for p in facts_dir.glob("*.yaml") if not p.name.endswith(CANDIDATES_SUFFIX))
    if not paths:
        raise DataError(facts_dir, None, "no fact files (*.yaml) found")
    return paths


def read_fact_file(path: Path, reports: dict[str, ReportSource]) -> tuple[Record, ReportSource]:
    """A fact file and the report its facts quote."""
    doc = read_mapping(path, "a fact file")
    check_keys(doc, FACT_FILE_KEYS, "fact file")
    report_id = text(doc, "report")
    if report_id not in reports:
        raise doc.error(f"unknown report {report_id!r}", "report")
    return doc, reports[report_id]


def check_fact_file_entities(
    doc: Record,
    report: ReportSource,
    ids: dict[str, Record],
    vocab: Vocabulary,
    places: dict[str, Place],
) -> list[Entity]:
    """The entities a fact file defines, section by section."""
    entities = []
    for section, spec in SECTIONS.items():
        for record in mappings(doc, section):
            check_keys(record, ENTITY_KEYS | set(spec.extra), section)
            entities.append(check_entity(record, section, report, ids, vocab, places))
    return entities


def resolve_subjects(reports: dict[str, ReportSource], entities: dict[str, Entity]) -> None:
    """Each report that names its subject is about an entity some file defines."""
    for report in reports.values():
        subject = text(report.record, "subject", required=False)
        if subject is not None and subject not in entities:
            raise report.record.error(f"subject {subject!r} is not defined", "subject")


def _add(entities: dict[str, Entity], new: list[Entity]) -> None:
    for entity in new:
        entities[entity.id] = entity
