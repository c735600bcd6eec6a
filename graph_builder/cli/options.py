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


def not_empty(value: str | None) -> str | None:
    """A parse-time check that a path option is not '' (which would mean the working directory)."""
    if value is not None and not value.strip():
        raise typer.BadParameter("an empty path names nothing")
    return value


def utf8_text(value: Any) -> Any:
    """A parse-time check that text options hold UTF-8: other bytes reach Python as
    lone surrogates, which no query, store or file can take."""
    for text in value if isinstance(value, list | tuple) else [value]:
        if isinstance(text, str) and _has_surrogates(text):
            raise typer.BadParameter(f"{text!r} is not UTF-8 text")
    return value


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


RootOption = Annotated[
    str | None,
    typer.Option(
        "--root",
        envvar="HOSPITAL_KG_ROOT",
        help="Project directory holding ontology/, data/ and build/ (default: this checkout).",
        show_default=False,
        metavar="PATH",
        callback=not_empty,
    ),
]


def open_project(root: str | Path | None) -> Project:
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
