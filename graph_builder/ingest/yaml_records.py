"""YAML loading that remembers line numbers, so errors can name file and line.

Besides the loader itself, the accessors every record kind shares: a file that
must be a mapping, a list of mappings, a non-empty scalar, the keys allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, overload

import yaml

from graph_builder.errors import DataError


class Record(dict[str, Any]):
    """A YAML mapping that knows its file and the line of each key."""

    path: Path
    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def error(self, message: str, key: str | None = None) -> DataError:
        return DataError(self.path, self.line_of(key) if key else self.line, message)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; any syntax problem becomes a DataError with its line."""

    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: Loader, node: yaml.MappingNode) -> Record:
        loader.flatten_mapping(node)
        record = Record()
        record.path = path
        record.line = node.start_mark.line + 1
        record.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in record:
                raise DataError(path, line, f"duplicate key {key!r}")
            record[key] = loader.construct_object(value_node, deep=True)
            record.key_lines[key] = line
        return record

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, None, f"cannot read: {exc}") from exc
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise DataError(path, line, f"malformed YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise DataError(path, None, f"malformed YAML: {exc}") from exc


def read_mapping(path: Path, what: str) -> Record:
    """A YAML file whose top level must be a mapping (`what` names it in the error)."""
    doc = load_yaml(path)
    if not isinstance(doc, Record):
        raise DataError(path, 1, f"{what} must be a mapping")
    return doc


def mappings(parent: Record, key: str) -> list[Record]:
    """The list of mappings under `key` (absent: empty)."""
    items = parent.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, Record) for item in items):
        raise parent.error(f"{key!r} must be a list of mappings", key)
    return items


@overload
def text(record: Record, key: str, required: Literal[True] = ...) -> str: ...
@overload
def text(record: Record, key: str, required: bool) -> str | None: ...
def text(record: Record, key: str, required: bool = True) -> str | None:
    """A scalar value as a non-empty string; None if absent and not `required`."""
    value = record.get(key)
    if value is None:
        if required:
            raise record.error(f"missing {key!r}")
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise record.error(f"{key!r} must be a non-empty string", key)
    return str(value)


def check_keys(record: Record, allowed: frozenset[str], what: str) -> None:
    """Refuse the first key (in sorted order) that `what` does not take."""
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise record.error(f"unknown key {unknown[0]!r} in {what}", unknown[0])
