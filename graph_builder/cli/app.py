"""The `hospital-kg` typer app and its one error boundary.

Commands raise; `main()` alone turns a project error (`HospitalKgError`) or a
command-line usage error into one `error: ...` line on stderr and its exit code
(1 for bad data, 2 for bad usage). Outputs are written to a temporary file and
renamed, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from graph_builder.cli.lazy_commands import lazy_group
from graph_builder.errors import HospitalKgError

#: Every command, in the order `--help` lists them, and the module that registers it
#: (imported only when the command runs: lazy_commands).
COMMANDS: dict[str, str] = {
    name: f"graph_builder.cli.{module}"
    for module, names in (
        ("graph_commands", ("build", "export", "validate", "stats")),
        ("query_commands", ("queries", "query")),
        ("push_command", ("push",)),
        ("synth_command", ("synth",)),
        ("load_command", ("load",)),
        ("serve_command", ("serve",)),
        ("network_commands", ("viz", "analyze")),
        ("report_commands", ("add-report",)),
        ("extract_commands", ("extract", "accept")),
        ("reconcile_command", ("reconcile",)),
    )
    for name in names
}

app = typer.Typer(
    name="hospital-kg",
    help="A knowledge graph of Chinese hospital accreditations and partnerships.",
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=lazy_group(COMMANDS),
)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context) -> None:
    """Without a command: the list of commands."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def usage_message(exc: typer.TyperException) -> str:
    """A usage error in one line: the option, what is wrong, and where help is."""
    param = getattr(exc, "param", None)
    ctx = getattr(exc, "ctx", None)
    opts = getattr(param, "opts", None)
    message = getattr(exc, "message", None) or exc.format_message()
    text = f"{opts[0]}: {message}" if opts and message else exc.format_message()
    hint = f" (see {ctx.command_path} --help)" if ctx is not None else ""
    return " ".join(text.split()) + hint


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run a command; every error it raises ends as one line."""
    command = typer.main.get_command(app)
    args = list(argv) if argv is not None else None
    try:
        code = command.main(args=args, prog_name="hospital-kg", standalone_mode=False)
    except HospitalKgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = exc.exit_code
    except typer.TyperException as exc:  # bad options and arguments, found while parsing
        print(f"error: {usage_message(exc)}", file=sys.stderr)
        code = exc.exit_code
    except typer.Abort:
        code = 130
    except OSError as exc:  # a file that cannot be written, a disk that is full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        code = 1
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
