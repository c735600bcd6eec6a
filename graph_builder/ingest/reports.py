"""Source reports: their metadata and verbatim text, and where a record's quotes sit in them.

Every entity and fact is checked against the words of its report: its quotes
must occur in the text (that gives the evidence offsets) and its values must
occur in its quotes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from graph_builder.errors import DataError
from graph_builder.ingest.ids import slug_id
from graph_builder.ingest.model import Report, Span
from graph_builder.ingest.record_schema import REPORT_FORMATS, REPORT_KEYS, REPORT_REQUIRED
from graph_builder.ingest.source_text import FORBIDDEN, describe, line_at, read_utf8
from graph_builder.ingest.yaml_records import Record, check_keys, read_mapping, text

#: What a report text may not hold: a byte-order mark, or what no data file may hold
#: (a carriage return among it). Either would shift the offsets against the file.
TEXT_FORBIDDEN = re.compile(f"\\ufeff|{FORBIDDEN.pattern}")
EXACT = "so offsets index the file exactly"
#: What a URL may not hold anywhere (RFC 3987 section 2.2): controls, space, <>"{}|\^`.
URL_EXCLUDED = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


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
    ident = slug_id(record)
    if ident != meta_path.stem:
        raise record.error(f"report id {ident!r} must match the file name", "id")
    text_path = report_text_path(record, meta_path)
    try:
        source_file = text_path.relative_to(root).as_posix()
    except ValueError as exc:
        raise record.error(f"report text {text_path} is outside {root}", "text") from exc
    report = ReportSource(ident, record, read_report_text(text_path, record), source_file)
    _check_title_and_year(report)
    _check_intake_keys(record)
    return report


def report_text_path(record: Record, meta_path: Path) -> Path:
    """The text the metadata names: beside it or below it, never up and out with '..'."""
    name = PurePosixPath(text(record, "text"))
    if name.is_absolute() or ".." in name.parts:
        raise record.error(
            f"report text {str(name)!r} must be a path below {meta_path.parent.name}/", "text"
        )
    return meta_path.parent / name


def read_report_text(path: Path, record: Record) -> str:
    """The text exactly as stored (no newline translation), so offsets index the file."""
    try:
        content = read_utf8(path)
    except OSError as exc:
        message = f"cannot read report text {path.name}: {exc.strerror or exc}"
        raise record.error(message, "text") from exc
    check_report_text(path, content)
    return content


def check_report_text(path: Path, content: str) -> None:
    """Refuse a BOM, a carriage return or a control character, naming its line."""
    found = TEXT_FORBIDDEN.search(content)
    if found:
        index = found.start()
        raise DataError(path, line_at(content, index), text_problem(content, index))


def text_problem(content: str, index: int) -> str:
    """What is wrong with the character at `index`, and how to store the text instead."""
    char = content[index]
    if char == "\ufeff" and index == 0:
        return (
            f"starts with a byte-order mark (U+FEFF); store the text as UTF-8 without one {EXACT}"
        )
    if char == "\ufeff":
        return f"holds U+FEFF (a byte-order mark); remove it {EXACT}"
    if char == "\r":
        ends = "CR LF" if content.startswith("\r\n", index) else "CR"
        return f"line ends with {ends}; store the text with LF line ends {EXACT}"
    return f"{describe(char)}; remove it (XML exports cannot carry it)"


def _check_title_and_year(report: ReportSource) -> None:
    record = report.record
    for key in ("title", "subtitle", "review_year_quote"):
        value = text(record, key, required=key == "title")
        if value is not None:
            locate(report, value, record, key)
    year = _review_year(record)
    if year is None:
        if "review_year_quote" in record:
            raise record.error("review_year_quote without review_year", "review_year_quote")
        return
    year_quote = text(record, "review_year_quote", required=False) or text(record, "title")
    if f"{year}年" not in year_quote:
        raise record.error(f"review_year {year} is not stated in review_year_quote", "review_year")


def _review_year(record: Record) -> int | None:
    """The year a review covers, if the report is one (a news item is not)."""
    year = text(record, "review_year", required=False)
    if year is None:
        return None
    if not re.fullmatch("[0-9]{4}", year):
        raise record.error("review_year must be a year (four digits)", "review_year")
    return int(year)


def _check_intake_keys(record: Record) -> None:
    """The keys `add-report` writes: dates are days, the URL is a web address, the format known."""
    for key in ("date", "added"):
        report_day(record, key)
    report_url(record)
    for key in ("source", "encoding"):
        text(record, key, required=False)
    fmt = text(record, "format", required=False)
    if fmt is not None and fmt not in REPORT_FORMATS:
        raise record.error(f"format must be one of: {', '.join(REPORT_FORMATS)}", "format")


def report_day(record: Record, key: str) -> dt.date | None:
    """A day (YYYY-MM-DD) under `key`, if given; a time of day or an impossible day is refused."""
    raw = record.get(key)
    if raw is None:
        return None
    if isinstance(raw, str) and re.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise record.error(f"{key} {raw!r} is not a day ({exc})", key) from exc
    if not isinstance(raw, dt.date) or isinstance(raw, dt.datetime):
        raise record.error(f"{key} must be a day, YYYY-MM-DD", key)
    return raw


def report_url(record: Record) -> str | None:
    """The web address the report was published at, if given."""
    url = text(record, "url", required=False)
    problem = None if url is None else url_problem(url)
    if problem:
        raise record.error(f"url {url!r} {problem}", "url")
    return url


def url_problem(url: str) -> str | None:
    """Why `url` is not an http(s) address an RDF literal can carry, or None if it is."""
    bad = URL_EXCLUDED.search(url)
    if bad is not None:
        return "holds a space" if bad.group() == " " else f"holds {bad.group()!r}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an http:// or https:// address"
    return None


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
        title=text(record, "title"),
        subtitle=text(record, "subtitle", required=False),
        title_en=text(record, "title_en", required=False),
        review_year=_review_year(record),
        language=text(record, "language", required=False) or "zh",
        subject=text(record, "subject", required=False),
        reporters=_person_ids(record, "reporters"),
        photographers=_person_ids(record, "photographers"),
        source_file=report.source_file,
        text=report.text,
        date=report_day(record, "date"),
        url=report_url(record),
    )


def _person_ids(record: Record, key: str) -> tuple[str, ...]:
    return tuple(str(person["id"]) for person in record.get(key) or [])
