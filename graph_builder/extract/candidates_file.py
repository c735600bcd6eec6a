"""The reviewer's file, data/facts/<report>.candidates.yaml: read, write, set a decision.

Each candidate carries what the extractor saw (kind, names as written, quote, offsets,
confidence, rule), its `decision` (proposed | accept | reject; `accepted` once moved
into data/facts), a `problem` when the builder would refuse it as it stands, and the
records `accept` moves: `fact` and the `new` entities it needs, in the schema of
data/facts. People edit it by hand and the review page through `set_decision`, so
`set_decision` changes the one line it must and keeps everything else (comments too).
`build` never reads these files (the loader skips `*.candidates.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph_builder.atomic_files import write_atomic
from graph_builder.errors import UsageError
from graph_builder.extract.candidates import Candidate
from graph_builder.ingest.ids import slug_id
from graph_builder.ingest.loader import CANDIDATES_SUFFIX
from graph_builder.ingest.record_schema import SECTIONS
from graph_builder.ingest.source_text import read_utf8
from graph_builder.ingest.yaml_records import (
    Record,
    check_keys,
    mappings,
    read_mapping,
    text,
)

#: Decisions a reviewer (or the review page) sets, and the one `accept` sets.
REVIEW_DECISIONS = ("proposed", "accept", "reject")
ACCEPTED = "accepted"
DECISIONS = (*REVIEW_DECISIONS, ACCEPTED)

FILE_KEYS = frozenset({"report", "hospital", "candidates"})
HOSPITAL_KEYS = frozenset({"name", "id"})
#: Candidate fields, in the order they are written; empty ones are left out.
CANDIDATE_FIELDS = (
    "kind",
    "confidence",
    "rule",
    "subject",
    "object",
    "level",
    "batch",
    "role",
    "status",
    "year",
    "quote",
    "start",
    "end",
    "extra",
)
ENTRY_KEYS = frozenset({"id", "decision", "problem", *CANDIDATE_FIELDS, "fact", "new"})
#: A `decision:` line whose value can be replaced in place.
DECISION_LINE = re.compile(r"^(\s*(?:-\s+)?decision:[ \t]*)(\S+)([ \t]*(?:#.*)?)$")
#: Lists of short scalars are written on one line (`roles: [lead]`); quotes are not.
FLOW_LIST_CHARS = 60
FLOW_ITEM_CHARS = 24


@dataclass
class Hospital:
    """The report's main hospital: its name as written and its id (existing or new)."""

    name: str
    id: str


@dataclass
class Entry:
    """One candidate in the file. `line` and `decision_line` locate it in the file read."""

    id: str
    decision: str
    candidate: Candidate
    fact: dict[str, Any]
    new: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problem: str | None = None
    line: int = 0
    decision_line: int = 0


@dataclass
class CandidatesFile:
    report: str
    hospital: Hospital | None
    entries: list[Entry]

    def entry(self, candidate_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == candidate_id:
                return entry
        raise UsageError(f"no candidate {candidate_id!r} for report {self.report}")


def candidates_path(facts_dir: Path, report: str) -> Path:
    """Where the candidates of `report` are kept: data/facts/<report>.candidates.yaml."""
    return facts_dir / f"{report}{CANDIDATES_SUFFIX}"


# --- reading ---------------------------------------------------------------------


def load(path: Path) -> CandidatesFile:
    """Read and check a candidates file; a problem is a DataError naming file and line."""
    return parse(read_mapping(path, "a candidates file"))


def parse(doc: Record) -> CandidatesFile:
    check_keys(doc, FILE_KEYS, "a candidates file")
    report = text(doc, "report")
    hospital = _hospital(doc)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for record in mappings(doc, "candidates"):
        entry = _entry(record)
        if entry.id in seen:
            first = seen[entry.id]
            raise record.error(f"candidate id {entry.id!r} is used twice (line {first})", "id")
        seen[entry.id] = entry.line
        entries.append(entry)
    return CandidatesFile(report, hospital, entries)


def _hospital(doc: Record) -> Hospital | None:
    raw = doc.get("hospital")
    if raw is None:
        return None
    if not isinstance(raw, Record):
        raise doc.error("'hospital' must be a mapping with name and id", "hospital")
    check_keys(raw, HOSPITAL_KEYS, "hospital")
    return Hospital(text(raw, "name"), text(raw, "id"))


def _entry(record: Record) -> Entry:
    check_keys(record, ENTRY_KEYS, "a candidate")
    ident = slug_id(record)
    decision = record.get("decision", "proposed")
    if decision not in DECISIONS:
        hint = " (YAML reads yes/no/on/off as true/false)" if isinstance(decision, bool) else ""
        raise record.error(
            f"candidate {ident}: unknown decision {decision!r}{hint}; "
            f"write one of: {', '.join(DECISIONS)}",
            "decision",
        )
    problem = text(record, "problem", required=False)
    return Entry(
        ident,
        decision,
        _candidate(record),
        _mapping(record, "fact", required=True),
        _new(record),
        problem,
        record.line,
        record.key_lines.get("decision", 0),
    )


def _candidate(record: Record) -> Candidate:
    """The extractor's proposal as written in the file (the contract's fields)."""
    start, end = _integer(record, "start"), _integer(record, "end")
    if not 0 <= start <= end:
        raise record.error(f"start {start} and end {end} are not an offset range", "start")
    confidence = record.get("confidence", 0.5)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise record.error("confidence must be a number from 0 to 1", "confidence")
    if not 0 <= confidence <= 1:
        raise record.error(f"confidence {confidence} is not between 0 and 1", "confidence")
    year = record.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise record.error("year must be an integer", "year")
    return Candidate(
        kind=text(record, "kind"),
        subject=_string(record, "subject"),
        object=_string(record, "object"),
        quote=text(record, "quote"),
        start=start,
        end=end,
        level=_string(record, "level"),
        batch=_string(record, "batch"),
        role=_string(record, "role"),
        status=_string(record, "status"),
        year=year,
        confidence=float(confidence),
        rule=_string(record, "rule"),
        extra=_mapping(record, "extra"),
    )


def _string(record: Record, key: str) -> str:
    value = record.get(key, "")
    if not isinstance(value, str):
        raise record.error(f"{key!r} must be a string", key)
    return value


def _integer(record: Record, key: str) -> int:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise record.error(f"{key!r} must be an integer (a character offset)", key)
    return value


def _mapping(record: Record, key: str, required: bool = False) -> dict[str, Any]:
    value = record.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, Record):
        raise record.error(f"{key!r} must be a mapping", key)
    return {name: plain(item) for name, item in value.items()}


def _new(record: Record) -> dict[str, list[dict[str, Any]]]:
    """`new`: entity section -> the records of the new entities the fact needs."""
    raw = _mapping(record, "new")
    for section, records in raw.items():
        if section not in SECTIONS:
            sections = ", ".join(SECTIONS)
            raise record.error(f"new: unknown section {section!r} (one of: {sections})", "new")
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise record.error(f"new: {section!r} must be a list of mappings", "new")
    return raw


def plain(value: Any) -> Any:
    """Records and lists as plain dicts and lists (what the YAML writer represents)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


# --- writing ---------------------------------------------------------------------


def save(path: Path, candidates: CandidatesFile) -> None:
    """Write the file atomically, in the layout `dump` gives (comments are not kept)."""
    write_atomic(path, dump(candidates).encode("utf-8"))


def dump(candidates: CandidatesFile) -> str:
    """The file's text: a header saying what to do, then the candidates."""
    report = candidates.report
    header = (
        f"# Candidate facts for report {report}, proposed by `hospital-kg extract`.\n"
        "# Set each decision to accept or reject (or leave it proposed); edit `fact` and `new`\n"
        "# if needed (they are in the schema of data/facts), then run\n"
        f"#   hospital-kg accept {report}\n"
        f"#   (or: hospital-kg accept {report} --min-confidence 0.9)\n"
        f"# Accepted candidates move into data/facts/{report}.yaml and are marked `accepted`.\n"
        "# A `problem` says why a candidate cannot be accepted as it stands.\n"
    )
    doc: dict[str, Any] = {"report": report}
    if candidates.hospital is not None:
        doc["hospital"] = {"name": candidates.hospital.name, "id": candidates.hospital.id}
    doc["candidates"] = [entry_data(entry) for entry in candidates.entries]
    return header + dump_yaml(doc)


def entry_data(entry: Entry) -> dict[str, Any]:
    """One candidate as written: id and decision first, empty fields left out."""
    data: dict[str, Any] = {"id": entry.id, "decision": entry.decision}
    if entry.problem:
        data["problem"] = entry.problem
    fields = entry.candidate.__dict__
    for key in CANDIDATE_FIELDS:
        value = fields[key]
        if value not in ("", None, {}):
            data[key] = value
    data["fact"] = entry.fact
    if entry.new:
        data["new"] = entry.new
    return data


class _Dumper(yaml.SafeDumper):
    """Block YAML a person can edit: no anchors, short lists of scalars on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    shown = [str(item) for item in data if isinstance(item, str | int | float)]
    flow = (
        len(shown) == len(data)
        and all(len(item) <= FLOW_ITEM_CHARS and "\n" not in item for item in shown)
        and len(", ".join(shown)) <= FLOW_LIST_CHARS
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    """A string with a line break in double quotes, `\\n` and all, on one line: YAML's
    folded forms would spread it over lines whose blank ones are easy to break."""
    style = '"' if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML as this package writes it: UTF-8 Chinese as is, keys in order, lines unfolded."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100_000,
    )


# --- decisions -------------------------------------------------------------------


def set_decision(path: Path, candidate_id: str, decision: str) -> None:
    """Set one candidate's decision (proposed, accept or reject), writing atomically."""
    if decision not in REVIEW_DECISIONS:
        raise UsageError(f"decision {decision!r} is not one of: {', '.join(REVIEW_DECISIONS)}")
    set_decisions(path, {candidate_id: decision})


def set_decisions(path: Path, decisions: Mapping[str, str]) -> None:
    """Set several decisions at once; only their `decision:` lines change.

    A decision written in a way no single line can change (a flow mapping, say, or
    none at all) makes the whole file be rewritten in the standard layout instead.
    """
    current = load(path)
    content = read_utf8(path)
    entries = {entry.id: entry for entry in current.entries}
    for ident in decisions:
        current.entry(ident)  # refuses an unknown id
    lines = content.splitlines(keepends=True)
    for ident, decision in decisions.items():
        if not _replace_decision(lines, entries[ident], decision):
            for entry in current.entries:
                entry.decision = decisions.get(entry.id, entry.decision)
            save(path, current)
            return
    write_atomic(path, "".join(lines).encode("utf-8"))


def _replace_decision(lines: list[str], entry: Entry, decision: str) -> bool:
    """Change `entry`'s decision line in place; False if it has none to change."""
    if entry.decision_line < 1:
        return False
    line = lines[entry.decision_line - 1]
    body = line.rstrip("\n")
    found = DECISION_LINE.match(body)
    if found is None:
        return False
    lines[entry.decision_line - 1] = found.group(1) + decision + found.group(3) + line[len(body) :]
    return True
