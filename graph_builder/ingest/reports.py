"""Source reports: their verbatim text, metadata, and where a quote sits in them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from graph_builder.errors import DataError
from graph_builder.ingest.yaml_records import Record, load_yaml

REPORT_KEYS = frozenset(
    {
        "id",
        "text",
        "subject",
        "title",
        "subtitle",
        "title_en",
        "review_year",
        "review_year_quote",
        "language",
        "reporters",
        "photographers",
    }
)
PERSON_KEYS = frozenset({"id", "zh", "en", "quote"})


@dataclass(frozen=True)
class Span:
    """A quote located in a report: [start, end) in Unicode code points."""

    report: str
    quote: str
    start: int
    end: int


@dataclass
class Report:
    id: str
    record: Record
    text_path: Path
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def locate(self, quote: str, record: Record, key: str = "quote") -> Span:
        """The first occurrence of `quote`, or a DataError naming the data file and line."""
        if not quote:
            raise record.error("empty quote", key)
        start = self.text.find(quote)
        if start < 0:
            shown = quote if len(quote) <= 40 else quote[:40] + "..."
            raise record.error(f"quote not found in {self.text_path.name}: {shown!r}", key)
        return Span(self.id, quote, start, start + len(quote))


def load_report(meta_path: Path) -> Report:
    record = load_yaml(meta_path)
    if not isinstance(record, Record):
        raise DataError(meta_path, 1, "report metadata must be a mapping")
    unknown = set(record) - REPORT_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise record.error(f"unknown key {key!r} in report metadata", key)
    for key in ("id", "text", "subject", "title", "review_year"):
        if key not in record:
            raise record.error(f"report metadata needs {key!r}")
    if record["id"] != meta_path.stem:
        raise record.error(f"report id {record['id']!r} must match the file name", "id")
    text_path = meta_path.parent / str(record["text"])
    try:
        text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise record.error(f"cannot read report text {text_path.name}: {exc}", "text") from exc
    report = Report(str(record["id"]), record, text_path, text)
    for key in ("title", "subtitle", "review_year_quote"):
        if key in record:
            report.locate(str(record[key]), record, key)
    year_quote = str(record.get("review_year_quote", record["title"]))
    if f"{record['review_year']}年" not in year_quote:
        raise record.error(
            f"review_year {record['review_year']} is not stated in review_year_quote", "review_year"
        )
    return report


def load_reports(reports_dir: Path) -> dict[str, Report]:
    reports: dict[str, Report] = {}
    for meta_path in sorted(reports_dir.glob("*.yaml")):
        report = load_report(meta_path)
        reports[report.id] = report
    if not reports:
        raise DataError(reports_dir, None, "no report metadata (*.yaml) found")
    return reports
