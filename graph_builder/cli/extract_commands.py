"""`extract` and `accept`: candidate facts from report texts, and reviewed ones into data/facts."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from graph_builder.atomic_files import write_atomic
from graph_builder.cli.options import RootOption, choice, open_project, utf8_text
from graph_builder.cli.output_paths import output_file, output_option
from graph_builder.errors import DataError, UsageError, display_path
from graph_builder.extract.accept import AcceptResult
from graph_builder.extract.accept import accept as accept_candidates
from graph_builder.extract.batch import (
    Outcome,
    ReportInput,
    extract_all,
    plural,
    resolve_inputs,
    summary,
)
from graph_builder.extract.candidates_file import candidates_path, dump, save
from graph_builder.extract.propose import open_workspace, previous_file, propose
from graph_builder.ingest.loader import CANDIDATES_SUFFIX
from graph_builder.project import Project

FORMATS = ("yaml", "json")


def extract(
    reports: Annotated[
        list[str],
        typer.Argument(
            help="Report ids (data/reports/ID.txt), text files or folders of *.txt.",
            metavar="REPORT...",
            callback=utf8_text,
        ),
    ],
    format: Annotated[
        str,
        choice(
            FORMATS,
            "--format",
            "-f",
            help="yaml: the reviewer's candidates file; json: the extractor's candidates as is.",
        ),
    ] = "yaml",
    output: Annotated[
        str | None,
        output_option(
            "File to write (DIR/ for several reports). Default: yaml to "
            "data/facts/REPORT.candidates.yaml (stdout for a text outside data/reports), "
            "json to stdout."
        ),
    ] = None,
    hospital: Annotated[
        str | None,
        typer.Option(
            "--hospital",
            help="The hospital the reports are about, as written (default: the report's "
            "subject, else the subject most candidates name).",
            callback=utf8_text,
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    """Propose candidate facts from report texts, for review and `accept`."""
    project = open_project(root)
    inputs = resolve_inputs(project, reports)
    if format == "json":
        target = json_target(inputs, output)
        outcomes = run_extractor(inputs, hospital)
        write_or_print(target, json_lines(outcomes))
        to_stderr = target is None
    else:
        targets = yaml_targets(project, inputs, output)
        outcomes = run_extractor(inputs, hospital)
        write_candidate_files(project, outcomes, targets, hospital)
        to_stderr = None in targets.values()
    typer.echo(summary(outcomes), err=to_stderr)
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        raise DataError(None, None, f"{len(failed)} of {plural(len(outcomes), 'report')} failed")


def json_target(inputs: Sequence[ReportInput], output: str | None) -> Path | None:
    """Where JSON goes: stdout, or one file (JSON Lines: one object per report)."""
    if output is None:
        return None
    name = f"{inputs[0].name}.candidates.json" if len(inputs) == 1 else "candidates.jsonl"
    return output_file(output, Path(name))


def yaml_targets(
    project: Project, inputs: Sequence[ReportInput], output: str | None
) -> dict[str, Path | None]:
    """Each report's candidates file (None: stdout), checked before any work."""
    targets: dict[str, Path | None] = {}
    for item in inputs:
        default = Path(f"{item.name}{CANDIDATES_SUFFIX}")
        if output is not None:
            if len(inputs) > 1 and not output.endswith(("/", os.sep)):
                raise UsageError(f"--output: {len(inputs)} reports need a directory: end it with /")
            targets[item.name] = output_file(output, default)
        elif item.is_report:
            targets[item.name] = output_file(
                None, candidates_path(project.data_dir / "facts", item.name)
            )
        elif len(inputs) == 1:
            targets[item.name] = None
        else:
            raise UsageError(
                f"{item.path} is not one of the project's reports: give --output DIR/ "
                "for the candidates files of texts outside data/reports"
            )
    return targets


def run_extractor(inputs: Sequence[ReportInput], hospital: str | None) -> list[Outcome]:
    """The extractor over every input, with a progress bar when several run on a terminal."""
    with progress_bar(len(inputs)) as advance:
        return extract_all(inputs, hospital, advance)


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[Outcome], None]]:
    """A rich progress bar on stderr for several reports on a terminal; else nothing."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda outcome: None
        return
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("extracting", total=total)
        yield lambda outcome: progress.advance(task)


def json_lines(outcomes: Sequence[Outcome]) -> str:
    """One `{"report": ..., "candidates": [...]}` object per line (the evaluation contract)."""
    return "".join(
        json.dumps(
            {"report": o.input.name, "candidates": [c.to_json() for c in o.candidates]},
            ensure_ascii=False,
        )
        + "\n"
        for o in outcomes
        if o.error is None
    )


def write_candidate_files(
    project: Project,
    outcomes: Sequence[Outcome],
    targets: dict[str, Path | None],
    hospital: str | None,
) -> None:
    """Link, map and check each report's candidates; write its file (or print it)."""
    files = [path for path in targets.values() if path is not None]
    workspace = open_workspace(project, skip=files)
    for outcome in outcomes:
        if outcome.error is not None:
            continue
        target = targets[outcome.input.name]
        candidates = propose(
            workspace,
            outcome.input.name,
            outcome.text,
            source_file(project, outcome.input.path),
            outcome.candidates,
            hospital,
            previous_file(target),
        )
        if target is None:
            typer.echo(dump(candidates), nl=False)
            continue
        save(target, candidates)
        problems = sum(1 for entry in candidates.entries if entry.problem)
        typer.echo(
            f"{plural(len(candidates.entries), 'candidate')} ({problems} with a problem) "
            f"-> {display_path(target)}"
        )


def source_file(project: Project, path: Path) -> str:
    """A text's path as messages name it: relative to the project root if inside it."""
    resolved = path.resolve()
    if resolved.is_relative_to(project.root):
        return resolved.relative_to(project.root).as_posix()
    return path.name


def write_or_print(target: Path | None, content: str) -> None:
    if target is None:
        typer.echo(content, nl=False)
    else:
        write_atomic(target, content.encode("utf-8"))


def accept(
    report: Annotated[
        str,
        typer.Argument(
            help="Report id (its data/facts/ID.candidates.yaml), or a candidates file.",
            metavar="REPORT",
            callback=utf8_text,
        ),
    ],
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Also accept the proposed candidates at or above this confidence (0-1) "
            "that have no problem.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and say what would be done; write nothing.")
    ] = False,
    root: RootOption = None,
) -> None:
    """Move the accepted candidates of a report into data/facts, through the builder's checks."""
    result = accept_candidates(open_project(root), report, min_confidence, dry_run)
    typer.echo(describe(result, min_confidence))


def describe(result: AcceptResult, min_confidence: float | None) -> str:
    """What accept did, or would do, in a few lines."""
    source = display_path(result.candidates_file)
    if not result.accepted:
        threshold = (
            f", nor proposed without a problem at confidence >= {min_confidence:g}"
            if min_confidence is not None
            else ""
        )
        hint = (
            ""
            if min_confidence is not None
            else "\n  mark candidates on the review page (hospital-kg serve, /review) or with"
            " `decision: accept` in the file, or take the confident ones with --min-confidence 0.9"
        )
        return f"nothing to accept in {source}: no candidate is marked accept{threshold}{hint}"
    verb = "would accept" if result.dry_run else "accepted"
    lines = [
        f"{verb} {plural(len(result.accepted), 'candidate')} into "
        f"{display_path(result.facts_file)}, "
        f"with {plural(len(result.entities), 'new entity', 'new entities')}:",
        f"  {', '.join(result.accepted)}",
    ]
    if result.subject:
        lines.append(f"subject of report {result.report}: {result.subject}")
    if result.dry_run:
        lines.append("dry run: nothing written")
    else:
        lines.append(f"marked accepted in {source}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg extract jiaozuo-mch-2024 | "
        "hospital-kg extract new.txt --format json | "
        "hospital-kg extract data/reports/ --output out/"
    )(extract)
    app.command(
        epilog="Examples: hospital-kg accept jiaozuo-mch-2024 | "
        "hospital-kg accept jiaozuo-mch-2024 --min-confidence 0.9 --dry-run"
    )(accept)
