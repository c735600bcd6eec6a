"""YAML loading that remembers line numbers, so errors can name file and line.

Besides the loader itself, the accessors every record kind shares: a file that
must be a mapping, a list of mappings, a non-empty scalar, the keys allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, overload

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.reader import ReaderError

from graph_builder.errors import DataError
from graph_builder.ingest.source_text import describe, first_forbidden, line_at, read_utf8


class Record(dict[str, Any]):
    """A YAML mapping that knows its file and the line of each key."""

    path: Path
    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def error(self, message: str, key: str | None = None) -> DataError:
        return DataError(self.path, self.line_of(key) if key else self.line, message)


#: Deeper nesting is refused: curated files nest about five levels, and the YAML
#: composer and the checks below recurse once per level.
MAX_DEPTH = 50
#: Values a file may expand to, each alias counted every time it is used: this
#: bounds a "billion laughs" of nested aliases (each seed fact file holds under 1,000).
MAX_VALUES = 1_000_000
#: Integers beyond 64 bits are refused: no year, month or count needs them, and
#: Python will not print an integer of more than 4,300 digits.
MAX_INT = 2**63 - 1
#: Longer integer scalars are out of range whatever their base (and int() would refuse
#: decimal ones of more than 4,300 digits with a message about Python's limits).
MAX_INT_CHARS = 80
INT_TAG = "tag:yaml.org,2002:int"
#: What a tag's scalar must look like, for the message when it does not.
TAG_NAMES = {"timestamp": "a date", "int": "an integer", "float": "a number", "bool": "a boolean"}


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; any problem with it becomes a DataError with its line."""
    try:
        text = read_utf8(path)
    except OSError as exc:
        raise DataError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    try:
        return parse_checked(text, path)
    except ReaderError as exc:  # a raw character YAML does not allow; it has no mark
        message = f"{describe(chr(exc.character))}; YAML files cannot hold it"
        raise DataError(path, line_at(text, exc.position), message) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise DataError(path, line, f"malformed YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise DataError(path, None, f"malformed YAML: {exc}") from exc


def parse_checked(text: str, path: Path) -> Any:
    """The document, built only once its nodes have passed `check_tree`."""
    loader = RecordLoader(text, path)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_tree(path, node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


class RecordLoader(yaml.SafeLoader):
    """PyYAML's safe loader, building `Record`s and naming the line of any value it refuses."""

    def __init__(self, text: str, path: Path) -> None:
        super().__init__(text)
        self.path = path
        self.depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose as usual, but refuse nesting deeper than MAX_DEPTH before it recurses."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                line = mark.line + 1 if mark else None
                raise DataError(self.path, line, f"YAML nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """A scalar its tag cannot read (`date: 2023-02-30`, `!!int x`) is a DataError."""
        if not isinstance(node, ScalarNode):
            return super().construct_object(node, deep)
        if node.tag == INT_TAG and len(str(node.value)) > MAX_INT_CHARS:
            raise DataError(self.path, node_line(node), "integer out of range (at most 64 bits)")
        try:
            value = super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            raise DataError(self.path, node_line(node), scalar_problem(node, exc)) from exc
        if isinstance(value, int) and not -MAX_INT <= value <= MAX_INT:
            raise DataError(self.path, node_line(node), "integer out of range (at most 64 bits)")
        return value

    def construct_record(self, node: MappingNode) -> Record:
        """A mapping as a `Record`: string keys, each once, with their lines."""
        self.flatten_mapping(node)
        record = Record()
        record.path = self.path
        record.line = node_line(node) or 1
        record.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = node_line(key_node)
            if not isinstance(key, str):
                raise DataError(self.path, line, f"key {shorten(key)} must be a string")
            if key in record:
                raise DataError(self.path, line, f"duplicate key {key!r}")
            record[key] = self.construct_object(value_node, deep=True)
            record.key_lines[key] = line or record.line
        return record


RecordLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, RecordLoader.construct_record
)


def node_line(node: Node) -> int | None:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1 if node.start_mark else None


def scalar_problem(node: Node, exc: Exception) -> str:
    """Why a tagged scalar could not be read, e.g. '2023-02-30' is not a date."""
    tag = str(node.tag).rsplit(":", 1)[-1]
    what = TAG_NAMES.get(tag, f"a valid {tag}")
    reason = f" ({exc})" if isinstance(exc, ValueError) else ""
    return f"{shorten(node.value)} is not {what}{reason}"


def shorten(value: Any) -> str:
    """A value for a message: its repr, cut to 40 characters."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:40] + "..."


def check_tree(path: Path, root: Node) -> None:
    """Refuse forbidden characters in any scalar, and aliases that expand too far or too deep."""
    TreeCheck(path).measure(root, 1)


class TreeCheck:
    """One walk over a composed file, before anything is constructed from it.

    Aliases share nodes, so each distinct node is measured once and the walk is
    linear in the file, however far its aliases would expand.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sizes: dict[int, tuple[int, int] | None] = {}  # id(node) -> (values, height)

    def measure(self, node: Node, depth: int) -> tuple[int, int]:
        """(values, height) of `node`, aliases expanded; a node met again is not walked again."""
        if id(node) not in self.sizes:
            self.sizes[id(node)] = None  # open: meeting it again means a cycle
            self.sizes[id(node)] = self.measure_new(node, depth)
        known = self.sizes[id(node)]
        if known is None:
            raise DataError(self.path, node_line(node), "YAML alias refers to a value holding it")
        return known

    def measure_new(self, node: Node, depth: int) -> tuple[int, int]:
        """Measure a node met for the first time, refusing it if what it holds is too much.

        An alias used deep down is refused at the collection that uses it, whose line
        is where the alias is (the alias itself shares the anchor's node and line).
        """
        if isinstance(node, ScalarNode):
            check_scalar(self.path, node)
            return 1, 1
        measured = [self.measure(child, depth + 1) for child in children(node)]
        values = 1 + sum(size for size, _ in measured)
        height = 1 + max((height for _, height in measured), default=0)
        if values > MAX_VALUES:
            message = f"YAML value holds more than {MAX_VALUES:,} values once aliases are expanded"
            raise DataError(self.path, node_line(node), message)
        if depth + height - 1 > MAX_DEPTH:
            message = f"YAML nested more than {MAX_DEPTH} levels deep"
            raise DataError(self.path, node_line(node), message)
        return values, height


def children(node: Node) -> list[Node]:
    """A collection's nodes: a mapping's keys and values, a sequence's items."""
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return list(node.value)


def check_scalar(path: Path, node: ScalarNode) -> None:
    """A scalar holds no character that XML cannot carry (written as an escape, say "\\x01")."""
    found = first_forbidden(str(node.value))
    if found:
        raise DataError(
            path,
            node_line(node),
            f"{describe(found.group())} in a value; remove it (XML exports cannot carry it)",
        )


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
