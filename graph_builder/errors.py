"""One family of exceptions for everything a user can get wrong, each with its exit code.

Library code raises these; the CLI's `main()` is the one place that turns them
into a single `error: ...` line on stderr and the exception's exit code. Commands
never catch them one by one.
"""

from __future__ import annotations

from pathlib import Path


class HospitalKgError(Exception):
    """Base of every error the user can act on: printed as one line, exit `exit_code`."""

    exit_code = 1


class UsageError(HospitalKgError):
    """A bad option or argument (a missing file, a value out of range): exit 2."""

    exit_code = 2


class DataError(HospitalKgError):
    """Bad input data: carries the file and line so the CLI can print one clear line."""

    exit_code = 1

    def __init__(self, path: Path | str | None, line: int | None, message: str) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = display_path(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return where + self.message


def display_path(path: Path) -> str:
    """Paths relative to the working directory when possible: shorter, clickable."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
