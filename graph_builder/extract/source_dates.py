"""The day a report was published, read by our own patterns.

trafilatura's date detection (htmldate) reads 2024年12月30日 as 2024-01-01, so it is not
used: a date is taken from --date, a page's metadata, or a labelled line of the text
(发布时间：2024年12月30日), and never guessed from the dates an article mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: A day written 2024年12月30日, 2024-12-30, 2024/12/30 or 2024.12.30.
DAY = (
    r"(?P<y>(?:19|20)[0-9]{2})\s*"
    r"(?:年\s*(?P<m1>[0-9]{1,2})\s*月\s*(?P<d1>[0-9]{1,2})\s*日"
    r"|[-/.](?P<m2>[0-9]{1,2})[-/.](?P<d2>[0-9]{1,2})(?![0-9]))"
)
#: A day after a label saying it is the page's date (simplified or traditional characters).
LABELLED = re.compile(
    rf"(?P<label>(?:[发發][布表]|更新|刊[发發]|出版)?(?:时间|時間|日期))\s*[:：]\s*{DAY}"
)
#: A day at the start of a metadata value (`2024-12-30T10:21:00+08:00`, `2024-12-30 10:21`).
LEADING = re.compile(rf"\s*{DAY}")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class FoundDate:
    """A publication day and where it was read, for the command's output."""

    day: dt.date
    where: str


def iso_day(text: str) -> dt.date:
    """A YYYY-MM-DD day (as --date takes it); ValueError saying what else it is."""
    if not ISO_DAY.fullmatch(text):
        raise ValueError("is not written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"is not a day ({exc})") from None


def leading_day(value: str) -> dt.date | None:
    """The day a metadata value starts with, if it is a real one."""
    match = LEADING.match(value)
    return None if match is None else _day(match)


def labelled_date(text: str, where: str) -> FoundDate | None:
    """The first real day in `text` after a date label; `where` says which text it was."""
    for match in LABELLED.finditer(text):
        day = _day(match)
        if day is not None:
            return FoundDate(day, f"{where}: {match.group('label')}")
    return None


def _day(match: re.Match[str]) -> dt.date | None:
    """The day a DAY match spells, or None for an impossible one (2024年2月30日)."""
    month = match.group("m1") or match.group("m2")
    day = match.group("d1") or match.group("d2")
    try:
        return dt.date(int(match.group("y")), int(month), int(day))
    except ValueError:
        return None
