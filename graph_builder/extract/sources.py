"""A report file (plain text or a saved web page) read into the text the builder will quote.

A text file is stored as it is, decoded and with LF line ends; a page is reduced to its
article by trafilatura (source_html). Everything that would make the file unusable is
refused here with one line naming it: too large, empty, binary, undecodable, a page with
no article, characters the builder refuses. Reading is a pure function of the file, so
many files can be read in parallel (intake_reports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from graph_builder.errors import DataError
from graph_builder.extract.source_dates import FoundDate, labelled_date
from graph_builder.extract.source_decode import check_characters, decode
from graph_builder.extract.source_html import declared_charset, is_html, read_article

#: Default for --max-bytes: the seed reports are 5-10 KB; a saved page with inlined
#: scripts can be a few hundred.
DEFAULT_MAX_BYTES = 5_000_000
#: The longest first line taken as a text file's title; a longer one needs --title.
MAX_TITLE = 100

Format = Literal["html", "text"]


@dataclass(frozen=True)
class Source:
    """A report as read from `path`: its text (UTF-8, LF) and what the file said about it."""

    path: Path
    text: str
    title: str
    date: FoundDate | None
    url: str | None
    encoding: str
    format: Format


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one report file; a DataError names what makes it unusable."""
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise DataError(path, None, "empty file")
    if is_html(path, data):
        return _from_page(path, data)
    return _from_text(path, data)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused before reading if there are more than `max_bytes`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataError(path, None, too_large(size, max_bytes))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DataError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:  # it grew, or it is not a regular file
        raise DataError(path, None, too_large(len(data), max_bytes, over=True))
    return data


def too_large(size: int, max_bytes: int, over: bool = False) -> str:
    """The message for a file over the limit."""
    shown = f"over {max_bytes:,}" if over else f"{size:,}"
    return f"{shown} bytes, more than --max-bytes {max_bytes:,} allows"


def _from_page(path: Path, data: bytes) -> Source:
    """A saved page: its article, headline first."""
    decoded = decode(data, path, declared_charset(data))
    article = read_article(decoded.text, path)
    check_characters(article.text, path)
    return Source(
        path, article.text, article.title, article.date, article.url, decoded.encoding, "html"
    )


def _from_text(path: Path, data: bytes) -> Source:
    """A text file, as it is: the title is its first line, the date a labelled one."""
    decoded = decode(data, path)
    if not decoded.text.strip():
        raise DataError(path, None, "empty file")
    title = first_line(decoded.text)
    date = labelled_date(decoded.text, "text")
    return Source(path, decoded.text, title, date, None, decoded.encoding, "text")


#: A line that is all one bracketed note (【虚构示例】, （编者按）): not a headline.
NOTE_LINE = re.compile(r"【[^】]*】|（[^）]*）|\([^)]*\)|\[[^\]]*\]")


def first_line(text: str) -> str:
    """The first line that holds something and is not a bracketed note, trimmed: a text
    file's headline.

    Empty when it is too long to be one; the command then asks for --title.
    """
    for line in header_lines(text, 1):
        return line if len(line) <= MAX_TITLE else ""
    return ""


def header_lines(text: str, count: int) -> list[str]:
    """The first `count` lines that hold something other than a bracketed note, trimmed."""
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line and not NOTE_LINE.fullmatch(line):
            lines.append(line)
            if len(lines) == count:
                break
    return lines
