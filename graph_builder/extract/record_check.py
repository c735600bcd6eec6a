"""The builder's own checks, run on one candidate's records in memory.

A candidate is proposed with a `problem` when the builder would refuse it, so the
reviewer sees why before accepting. The checks are the loader's functions themselves
(`check_entity`, `check_fact`), run against the report's text and the entities already
in data/. Accept then loads the whole data set, which also checks what spans records
(ids used twice, links between new entities such as a unit's `unit_of`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_builder.errors import DataError
from graph_builder.ingest.entities import check_entity
from graph_builder.ingest.facts import check_fact
from graph_builder.ingest.model import Dataset, Entity, Fact
from graph_builder.ingest.record_schema import ENTITY_KEYS, FACT_TYPES, SECTIONS
from graph_builder.ingest.reports import ReportSource
from graph_builder.ingest.yaml_records import Record, check_keys
from graph_builder.rdf.vocabulary import Vocabulary

#: What makes two facts the same: type, required values, first quote.
FactKey = tuple[str, tuple[tuple[str, ...], ...], str]


def as_record(data: Mapping[str, Any], path: Path, line: int = 1) -> Record:
    """A plain mapping as the loader's `Record`, so its checks can run on it."""
    record = Record(data)
    record.path = path
    record.line = line
    record.key_lines = {}
    return record


def report_source(name: str, text: str, source_file: str) -> ReportSource:
    """A report as the checks need it: its id, its text, its file's name for messages."""
    return ReportSource(name, as_record({}, Path(source_file)), text, source_file)


def fact_key(fact: Fact) -> FactKey:
    """Facts with equal keys say the same thing from the same words (a duplicate)."""
    fields = FACT_TYPES[fact.type].fields
    values = tuple(
        tuple(str(value) for value in fact.values.get(key, []))
        for key, spec in fields.items()
        if spec.required
    )
    return (fact.type, values, fact.spans[0].quote)


@dataclass
class RecordCheck:
    """The data already loaded; facts are checked one at a time against a report.

    `seen` holds the facts in data/ and those proposed so far in this run, so the same
    fact proposed twice (or already curated) is named as a duplicate.
    """

    dataset: Dataset
    vocab: Vocabulary

    def __post_init__(self) -> None:
        self.seen: dict[FactKey, str] = {
            fact_key(f): f"fact {f.id!r} in data/facts" for f in self.dataset.facts
        }

    def problem(
        self,
        fact: Mapping[str, Any],
        new: Mapping[str, list[dict[str, Any]]],
        report: ReportSource,
    ) -> str | None:
        """Why the builder would refuse these records, or None if it would take them."""
        try:
            checked = self.check(fact, new, report)
        except DataError as exc:
            return exc.message
        key = fact_key(checked)
        if key in self.seen:
            return f"the same as {self.seen[key]} (same values, same quote)"
        self.seen[key] = f"candidate {checked.id!r}"
        return None

    def check(
        self,
        fact: Mapping[str, Any],
        new: Mapping[str, list[dict[str, Any]]],
        report: ReportSource,
    ) -> Fact:
        """The checked fact, its new entities checked first; DataError if refused."""
        path = Path(report.source_file)
        ids: dict[str, Record] = {}
        entities: dict[str, Entity] = dict(self.dataset.entities)
        for section, records in new.items():
            if section not in SECTIONS:
                raise DataError(None, None, f"unknown entity section {section!r} in new")
            for data in records:
                entity = self._entity(data, section, report, ids)
                entities[entity.id] = entity
        return check_fact(as_record(fact, path), report, ids, self.vocab, entities)

    def _entity(
        self, data: Mapping[str, Any], section: str, report: ReportSource, ids: dict[str, Record]
    ) -> Entity:
        """A new entity, checked; an error says which one (the fact's own come bare)."""
        record = as_record(data, Path(report.source_file))
        try:
            check_keys(record, ENTITY_KEYS | set(SECTIONS[section].extra), section)
            return check_entity(record, section, report, ids, self.vocab, self.dataset.places)
        except DataError as exc:
            raise DataError(None, None, f"new {section} {data.get('id')!r}: {exc.message}") from exc
