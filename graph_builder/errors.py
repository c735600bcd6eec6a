"""One exception type for bad input, printed as a single `file:line: message`."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """Bad input data: carries the file and line so the CLI can print one clear line."""

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
