"""Options and helpers shared by every `hospital-kg` command module."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph_builder.project import Project

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        envvar="HOSPITAL_KG_ROOT",
        help="Project directory holding ontology/, data/ and build/ (default: this checkout).",
        show_default=False,
    ),
]


def open_project(root: Path | None) -> Project:
    return Project.find(root)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one `error: ...` line on stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)
