"""Adding records to a fact file, and a subject to a report's metadata, as text.

Curated files carry comments, anchors (`quote: *honours`) and a layout that a YAML
rewrite would lose, so `accept` only inserts: each new entity at the end of its
section's list, each fact at the end of `facts`, a missing section before `facts:`,
and a missing `subject:` as one line at the end of the metadata. Nothing written
before is touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_builder.errors import DataError
from graph_builder.extract.candidates_file import dump_yaml
from graph_builder.ingest.yaml_records import Record, parse_checked

#: The indentation of list items under a section key, unless the file uses another.
INDENT = "  "
#: What may follow a section key on its line for items to be appended below it.
BLOCK_START = re.compile(r"^[\w-]+:[ \t]*(#.*)?$")
EMPTY_FLOW = re.compile(r"^([\w-]+):[ \t]*\[\][ \t]*(#.*)?$")


@dataclass(frozen=True)
class Item:
    """A record to add, with the comment written above it (None: no comment)."""

    record: Mapping[str, Any]
    comment: str | None = None


def new_fact_file(
    report: str, sections: Mapping[str, Sequence[Item]], facts: Sequence[Item]
) -> str:
    """A fact file for `report` holding only these records."""
    parts = [
        f"# Facts from data/reports/{report}.txt, accepted from its candidates\n"
        f"# (hospital-kg accept {report}). Conventions as in the other fact files.\n"
        f"report: {report}\n"
    ]
    for section, items in [*sections.items(), ("facts", facts)]:
        if items:
            parts.append(f"\n{section}:\n{render_items(items, INDENT)}")
    return "".join(parts)


def add_records(
    content: str, path: Path, sections: Mapping[str, Sequence[Item]], facts: Sequence[Item]
) -> str:
    """`content` (a fact file) with these records added to its sections."""
    for section, items in [*sections.items(), ("facts", facts)]:
        if items:
            content = insert_items(content, path, section, items)
    return content


def insert_items(content: str, path: Path, section: str, items: Sequence[Item]) -> str:
    """Append `items` to the list under top-level key `section` (made if absent)."""
    lines = content.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    keys = top_level_lines(content, path)
    if section not in keys:
        return "".join(_with_new_section(lines, keys, section, items))
    start = keys[section] - 1
    following = [line - 1 for line in keys.values() if line - 1 > start]
    end = min(following, default=len(lines))
    _open_block(lines, start, path, section)
    last = _last_content_line(lines, start, end)
    indent = _item_indent(lines, start, end)
    lines.insert(last + 1, render_items(items, indent))
    return "".join(lines)


def top_level_lines(content: str, path: Path) -> dict[str, int]:
    """Top-level key -> its 1-based line."""
    doc = parse_checked(content, path)
    if not isinstance(doc, Record):
        raise DataError(path, 1, "a fact file must be a mapping")
    return dict(doc.key_lines)


def _with_new_section(
    lines: list[str], keys: Mapping[str, int], section: str, items: Sequence[Item]
) -> list[str]:
    """A section key and its items, before `facts:` if there is one, else at the end."""
    block = f"{section}:\n{render_items(items, INDENT)}"
    if section != "facts" and "facts" in keys:
        at = keys["facts"] - 1
        while at > 0 and lines[at - 1].lstrip().startswith("#"):  # keep facts' own comment
            at -= 1
        return [*lines[:at], block, "\n", *lines[at:]]
    return [*lines, "\n", block]


def _open_block(lines: list[str], start: int, path: Path, section: str) -> None:
    """Make the key line one that block items can follow (`key: []` becomes `key:`)."""
    line = lines[start].rstrip("\n")
    if BLOCK_START.match(line):
        return
    empty = EMPTY_FLOW.match(line)
    if empty is None:
        raise DataError(
            path,
            start + 1,
            f"{section!r} is not a block list (one '- ' item per record); "
            "accept only appends to block lists",
        )
    lines[start] = f"{empty.group(1)}:\n"


def _last_content_line(lines: list[str], start: int, end: int) -> int:
    """The last line of the section that is neither blank nor only a comment."""
    for index in range(end - 1, start, -1):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
    return start


def _item_indent(lines: list[str], start: int, end: int) -> str:
    """The indentation of the section's first item, so added ones line up with it."""
    for line in lines[start + 1 : end]:
        found = re.match(r"^([ \t]*)- ", line)
        if found:
            return found.group(1)
    return INDENT


def render_items(items: Sequence[Item], indent: str) -> str:
    """Items as a block list at `indent`, each with its comment above it."""
    out = []
    for item in items:
        if item.comment:
            out.append(f"{indent}# {item.comment}\n")
        rendered = dump_yaml([dict(item.record)])
        out += [f"{indent}{line}\n" for line in rendered.splitlines()]
    return "".join(out)


def with_subject(content: str, subject: str) -> str:
    """Report metadata with a `subject:` line added at the end."""
    if content and not content.endswith("\n"):
        content += "\n"
    return f"{content}subject: {subject}\n"
