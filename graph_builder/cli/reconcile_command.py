"""`reconcile`: likely duplicate institutions and alliances not merged yet, for a curator.

It reads data/ and writes nothing: a pair is confirmed by adding its suggested line
(with a real source) to data/reference/institutions.yaml.
"""

from __future__ import annotations

from typing import Annotated

import typer

from graph_builder.cli.options import RootOption, choice, open_project, utf8_text
from graph_builder.cli.output import TABLE_FORMATS, render
from graph_builder.errors import UsageError
from graph_builder.ingest.ids import ID_PATTERN
from graph_builder.ingest.loader import load_dataset
from graph_builder.project import Project
from graph_builder.rdf.vocabulary import Vocabulary, load_ontology
from graph_builder.reconcile import HEADERS, find_candidates, load_rules, rows


def reconcile(
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            help="Only pairs with an entity of this report (its id, as in data/reports/ID.yaml).",
            callback=utf8_text,
            show_default=False,
            metavar="REPORT",
        ),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0,
            max=100,
            help="Lowest score listed, 0-100 (default: min_score of "
            "graph_builder/reconcile/signals.yaml, 40).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=1, help="Most pairs listed (default: all).", show_default=False
        ),
    ] = None,
    format: Annotated[
        str, choice(TABLE_FORMATS, "--format", "-f", help="Output format.")
    ] = "table",
    root: RootOption = None,
) -> None:
    """List likely duplicate institutions and alliances not merged yet, scored, with evidence."""
    project = open_project(root)
    check_report(project, report)
    rules = load_rules()
    dataset = load_dataset(
        project.data_dir, Vocabulary(load_ontology(project.ontology)), project.root
    )
    candidates = find_candidates(dataset, report, min_score, limit, rules)
    threshold = rules.min_score if min_score is None else min_score
    typer.echo(
        render(
            HEADERS,
            rows(candidates, structured=format == "json"),
            format,
            title=f"Likely duplicates not merged yet (score >= {threshold:g})",
        )
    )
    if format == "table":
        typer.echo(
            f"{len(candidates)} pair(s). Confirm one by adding its suggestion, with the source "
            "that says so, to data/reference/institutions.yaml; nothing was changed."
        )


def check_report(project: Project, report: str | None) -> None:
    """`--report` names a report of data/reports/ (checked before the data is read)."""
    if report is None:
        return
    if not ID_PATTERN.fullmatch(report):
        raise UsageError(f"--report: {report!r} is not a report id (lower-case ASCII words and -)")
    if not (project.data_dir / "reports" / f"{report}.yaml").is_file():
        raise UsageError(f"--report: unknown report {report!r} (no data/reports/{report}.yaml)")


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg reconcile | "
        "hospital-kg reconcile --report jiaozuo-mch-2024 --min-score 50 --format json"
    )(reconcile)
