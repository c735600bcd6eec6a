"""The rule vocabulary (patterns.yaml) as word lists and compiled regular expressions.

The words live in a data file so that adding a verb or a role is an edit to a list, not
to code, and so that a test can check that no hospital's or designation's name slipped
into the rules. Lookups are by dotted path (`vocab().words("verbs.granted")`).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml


class Vocab:
    """Read-only access to patterns.yaml; word lists come back longest first."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self._alts: dict[str, re.Pattern[str]] = {}
        self._regexes: dict[str, re.Pattern[str]] = {}
        self._words: dict[str, tuple[str, ...]] = {}

    def _get(self, path: str) -> Any:
        node: Any = self._data
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                raise KeyError(f"patterns.yaml has no {path!r}")
            node = node[key]
        return node

    def words(self, path: str) -> tuple[str, ...]:
        """The list at `path`, longest word first (so alternations prefer the longest)."""
        if path not in self._words:
            value = self._get(path)
            items = [value] if isinstance(value, str) else [str(v) for v in value]
            self._words[path] = tuple(sorted(items, key=lambda w: (-len(w), w)))
        return self._words[path]

    def mapping(self, path: str) -> dict[str, Any]:
        value = self._get(path)
        if not isinstance(value, dict):
            raise KeyError(f"patterns.yaml: {path!r} is not a mapping")
        return value

    def text(self, path: str) -> str:
        return str(self._get(path))

    def alt(self, *paths: str) -> re.Pattern[str]:
        """One alternation of the words at `paths`, longest first."""
        key = "|".join(paths)
        if key not in self._alts:
            words = sorted({w for p in paths for w in self.words(p)}, key=lambda w: (-len(w), w))
            self._alts[key] = re.compile("|".join(re.escape(w) for w in words))
        return self._alts[key]

    def regex(self, path: str, flags: int = 0) -> re.Pattern[str]:
        key = f"{path}/{flags}"
        if key not in self._regexes:
            self._regexes[key] = re.compile(self.text(path), flags)
        return self._regexes[key]

    def ends_with(self, text: str, path: str) -> str:
        """The longest word at `path` that `text` ends with, or ''."""
        return next((w for w in self.words(path) if text.endswith(w)), "")

    def starts_with(self, text: str, path: str) -> str:
        """The longest word at `path` that `text` starts with, or ''."""
        return next((w for w in self.words(path) if text.startswith(w)), "")


def load_patterns() -> dict[str, Any]:
    """The raw contents of the packaged patterns.yaml."""
    source = resources.files("graph_builder.extract").joinpath("patterns.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("patterns.yaml must hold a mapping")
    return data


@cache
def vocab() -> Vocab:
    """The vocabulary, read once per process."""
    return Vocab(load_patterns())
