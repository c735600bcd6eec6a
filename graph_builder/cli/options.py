"""Options shared by every command, and options whose value is one of a fixed set.

A choice is checked while the command line is parsed, before any work starts,
so `--format yaml` is one `error:` line instead of a traceback after a build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

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


def one_of(values: Sequence[str]) -> Callable[[str | None], str | None]:
    """A parse-time check that an option's value is one of `values` (None passes)."""
    allowed = list(values)

    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    return check


def choice(values: Sequence[str], *decls: str, help: str, **kwargs: Any) -> Any:
    """A typer Option whose value must be one of `values`, listed in --help."""
    return typer.Option(
        *decls,
        help=help,
        metavar="[" + "|".join(values) + "]",
        callback=one_of(values),
        **kwargs,
    )
