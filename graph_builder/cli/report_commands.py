"""`add-report`: text files and saved web pages into data/reports, one or a folder at once."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from graph_builder.cli.options import RootOption, open_project, utf8_text
from graph_builder.errors import display_path
from graph_builder.extract.intake_reports import (
    Added,
    Failed,
    Outcome,
    Present,
    Summary,
    add_many,
    add_one,
    check_request,
    default_jobs,
    is_single,
    make_request,
    report_files,
)
from graph_builder.extract.sources import DEFAULT_MAX_BYTES


def add_report(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Text files (.txt) or saved web pages (.html, .htm), or folders of them.",
            show_default=False,
            metavar="FILE...",
        ),
    ],
    title: Annotated[
        str | None,
        typer.Option(
            help="The report's title, as written in its text (default: the page's headline "
            "or the text's first line).",
            callback=utf8_text,
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="Publication day, YYYY-MM-DD (default: read from the page or text, if stated).",
            metavar="YYYY-MM-DD",
            show_default=False,
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="Address it was published at (default: the page's canonical address).",
            callback=utf8_text,
            show_default=False,
        ),
    ] = None,
    ident: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="The report's id (default: pinyin of the title's hospital and the year).",
            metavar="SLUG",
            show_default=False,
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(help="Refuse files larger than this many bytes.", min=1)
    ] = DEFAULT_MAX_BYTES,
    jobs: Annotated[
        int | None,
        typer.Option(
            help="Files read at once, in worker processes (default: one per core).",
            min=1,
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    """Add reports: store each text verbatim in data/reports/ with its metadata."""
    project = open_project(root)
    request = make_request(title, date, url, ident, max_bytes)
    inputs = [Path(name) for name in files]
    paths = report_files(inputs)
    check_request(request, paths)
    if is_single(inputs):
        typer.echo("\n".join(added_lines(add_one(project, paths[0], request))))
        return
    with progress_bar(len(paths)) as advance:
        summary = add_many(project, paths, request, jobs or default_jobs(), advance)
    print_outcomes(summary)
    summary.check()
    typer.echo(summary.line())


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[Path], None]]:
    """A bar on stderr while files are read, only on a terminal; yields 'one more done'.

    It refreshes only when told (no refresh thread), so worker processes fork from a
    process with one thread.
    """
    if not sys.stderr.isatty():
        yield lambda _path: None
        return
    columns = (TextColumn("reading"), BarColumn(), MofNCompleteColumn())
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("reading", total=total)
        yield lambda _path: progress.update(task, advance=1, refresh=True)


def print_outcomes(summary: Summary) -> None:
    """Each report added or skipped on stdout; each failure on stderr."""
    for outcome in summary.outcomes:
        lines = outcome_lines(outcome)
        typer.echo("\n".join(lines), err=isinstance(outcome, Failed))


def outcome_lines(outcome: Outcome) -> list[str]:
    if isinstance(outcome, Added):
        return added_lines(outcome)
    if isinstance(outcome, Present):
        shown = display_path(outcome.existing)
        return [f"skipped {outcome.path.name}: already present as {shown} (same text)"]
    return [f"failed {outcome.message}"]


def added_lines(added: Added) -> list[str]:
    """What was written, and what was found: format, encoding, title, date, address."""
    source = added.source
    text = source.text
    date = "none found (--date gives one)"
    if added.date is not None:
        date = f"{added.date.day.isoformat()} ({added.date.where})"
    return [
        f"added report {added.ident} from {source.path.name}",
        f"  text      {display_path(added.text_path)} "
        f"({len(text):,} characters, {line_count(text):,} lines)",
        f"  metadata  {display_path(added.meta_path)}",
        f"  read as   {source.format}, encoding {source.encoding}",
        f"  title     {added.title}",
        f"  date      {date}",
        f"  url       {added.url or 'none'}",
    ]


def line_count(text: str) -> int:
    """Lines of an LF text, the last one counted whether or not it ends with LF."""
    return text.count("\n") + (not text.endswith("\n"))


def register(app: typer.Typer) -> None:
    app.command(
        "add-report",
        epilog="Examples: hospital-kg add-report page.html | "
        "hospital-kg add-report news.txt --date 2024-12-30 --id qinghe-mch-2024 | "
        "hospital-kg add-report saved-pages/",
    )(add_report)
