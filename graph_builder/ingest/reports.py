"""Source reports: their metadata and verbatim text, and where a record's quotes sit in them.

Every entity and fact is checked against the words of its report: its quotes
must occur in the text (that gives the evidence offsets) and its values must
occur in its quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from graph_builder.errors import DataError
from graph_builder.ingest.model import Report, Span
from graph_builder.ingest.record_schema import REPORT_KEYS, REPORT_REQUIRED
from graph_builder.ingest.yaml_records import Record, check_keys, read_mapping


@dataclass(frozen=True)
class ReportSource:
    """A report as read and checked, keeping its metadata record for error positions.

    `source_file` is the text's path relative to the project root (POSIX form).
    """

    id: str
    record: Record
    text: str
    source_file: str


def read_reports(reports_dir: Path, root: Path) -> dict[str, ReportSource]:
    """Every reports/*.yaml with its text, in file-name order."""
    reports: dict[str, ReportSource] = {}
    for meta_path in sorted(reports_dir.glob("*.yaml")):
        report = read_report(meta_path, root)
        reports[report.id] = report
    if not reports:
        raise DataError(reports_dir, None, "no report metadata (*.yaml) found")
    return reports


def read_report(meta_path: Path, root: Path) -> ReportSource:
    """One report's metadata and text, with its title and year checked against the text."""
    record = read_mapping(meta_path, "report metadata")
    check_keys(record, REPORT_KEYS, "report metadata")
    for key in REPORT_REQUIRED:
        if key not in record:
            raise record.error(f"report metadata needs {key!r}")
    if record["id"] != meta_path.stem:
        raise record.error(f"report id {record['id']!r} must match the file name", "id")
    text_path = meta_path.parent / str(record["text"])
    try:
        text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise record.error(f"cannot read report text {text_path.name}: {exc}", "text") from exc
    try:
        source_file = text_path.relative_to(root).as_posix()
    except ValueError as exc:
        raise record.error(f"report text {text_path} is outside {root}", "text") from exc
    report = ReportSource(str(record["id"]), record, text, source_file)
    _check_title_and_year(report)
    return report


def _check_title_and_year(report: ReportSource) -> None:
    record = report.record
    for key in ("title", "subtitle", "review_year_quote"):
        if key in record:
            locate(report, str(record[key]), record, key)
    year_quote = str(record.get("review_year_quote", record["title"]))
    if f"{record['review_year']}年" not in year_quote:
        raise record.error(
            f"review_year {record['review_year']} is not stated in review_year_quote", "review_year"
        )
    _review_year(record)


def _review_year(record: Record) -> int:
    try:
        return int(record["review_year"])
    except (TypeError, ValueError) as exc:
        raise record.error("review_year must be a year", "review_year") from exc


def locate(report: ReportSource, quote: str, record: Record, key: str = "quote") -> Span:
    """The first occurrence of `quote`, or a DataError naming the data file and line."""
    if not quote:
        raise record.error("empty quote", key)
    start = report.text.find(quote)
    if start < 0:
        shown = quote if len(quote) <= 40 else quote[:40] + "..."
        name = PurePosixPath(report.source_file).name
        raise record.error(f"quote not found in {name}: {shown!r}", key)
    return Span(report.id, quote, start, start + len(quote))


def quoted_spans(
    record: Record, report: ReportSource, default: str | None = None
) -> tuple[Span, ...]:
    """The record's `quote` (one string or a list; `default` if absent), located."""
    raw = record.get("quote", default)
    if raw is None:
        raise record.error("missing 'quote' (the verbatim words of the report)")
    quotes = raw if isinstance(raw, list) else [raw]
    if not quotes or not all(isinstance(q, str) for q in quotes):
        raise record.error("'quote' must be a string or a list of strings", "quote")
    return tuple(locate(report, quote, record) for quote in quotes)


def require_quoted(record: Record, key: str, value: str, spans: tuple[Span, ...]) -> None:
    """`value` must occur in one of the quotes; layout whitespace does not count."""
    if not any(_squash(value) in _squash(span.quote) for span in spans):
        raise record.error(f"{key} {value!r} does not appear in the quote", key)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assemble_report(report: ReportSource) -> Report:
    """The model's `Report`, once the people and subject it names are known to exist."""
    record = report.record
    return Report(
        id=report.id,
        title=str(record["title"]),
        subtitle=str(record["subtitle"]) if record.get("subtitle") else None,
        title_en=str(record["title_en"]) if record.get("title_en") else None,
        review_year=_review_year(record),
        language=str(record.get("language", "zh")),
        subject=str(record["subject"]),
        reporters=_person_ids(record, "reporters"),
        photographers=_person_ids(record, "photographers"),
        source_file=report.source_file,
        text=report.text,
    )


def _person_ids(record: Record, key: str) -> tuple[str, ...]:
    return tuple(str(person["id"]) for person in record.get(key) or [])
