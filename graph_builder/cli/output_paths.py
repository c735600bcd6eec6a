"""`--output`: from the text a user typed to the file a command writes, checked before any work.

The option is taken as text, not as typer's `Path`, because `Path` drops a trailing
slash, and `newdir/` means "a directory": the command's default file name is
written inside it. Checking up front means a bad path is refused at once, not
after a long build or a million-triple synthesis.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from graph_builder.atomic_files import check_writable
from graph_builder.errors import UsageError


def output_option(help: str) -> Any:
    """`--output/-o` as text (see the module docstring for why not a Path)."""
    return typer.Option("--output", "-o", help=help, show_default=False, metavar="PATH")


def output_file(raw: str | None, default: Path) -> Path:
    """The file `--output` names: `default` when not given, `raw/default.name` for `raw/`."""
    path = default if raw is None else spelled_path(raw, default.name)
    check_writable(path)
    return path


def output_file_without_default(raw: str) -> Path:
    """The file `--output` names for a command with no default name: a directory is refused."""
    path = spelled_path(raw, None)
    check_writable(path)
    return path


def spelled_path(raw: str, default_name: str | None) -> Path:
    """`raw` as a file path; a trailing slash names a directory to hold `default_name`."""
    if not raw.strip():
        raise UsageError("--output: an empty path names no file")
    if raw.endswith(("/", os.sep)):
        if default_name is None:
            raise UsageError(f"--output: {raw} names a directory; give a file name")
        return Path(raw) / default_name
    if Path(raw).is_dir():
        hint = f"; end it with / to write {default_name} inside" if default_name else ""
        raise UsageError(f"cannot write {raw}: it is a directory{hint}")
    return Path(raw)
