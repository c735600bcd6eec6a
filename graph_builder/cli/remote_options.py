"""Options of the commands that talk to another triple store (`push`, `query --endpoint`)."""

from __future__ import annotations

from typing import Annotated

import typer

from graph_builder.sparql.names import check_iri

UserOption = Annotated[
    str | None,
    typer.Option("--user", help="User name for the server (digest or basic authentication)."),
]
PasswordEnvOption = Annotated[
    str | None,
    typer.Option(
        "--password-env",
        metavar="VAR",
        help="Name of the environment variable holding the password (never the password).",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", help="Seconds to wait for each answer.", min=0.1),
]


def graph_iri(text: str, option: str = "--graph") -> str:
    """An absolute IRI given as `IRI` or `<IRI>`; else one error line."""
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    return str(check_iri(iri, text, option))
