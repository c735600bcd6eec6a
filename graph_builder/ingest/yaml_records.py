"""YAML loading that remembers line numbers, so errors can name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph_builder.errors import DataError


class Record(dict):
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
