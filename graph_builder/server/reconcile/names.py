"""Forms of a name to compare: exact (folded), core (generic words shortened) and variants.

The rules are data (names.yaml beside this file); the place names come from the graph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent / "names.yaml"


def load_rules(path: Path = RULES_FILE) -> dict[str, Any]:
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(rules, dict):  # pragma: no cover - the file is part of the package
        raise ValueError(f"{path}: expected a mapping")
    return rules


def exact(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, letters and digits only: the form two
    spellings of one name share (长治市 妇幼保健院, 长治市妇幼保健院)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def words(text: str) -> list[str]:
    """Words of a name in a Latin script, folded: "Children's Hospital" -> children, s,
    hospital; none when it has no Latin letter (Chinese names are compared as characters)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not any("a" <= ch <= "z" for ch in folded):
        return []
    return "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in folded).split()


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of `words`, longest first (so 妇幼保健院 wins over 医院)."""
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


@dataclass(frozen=True)
class Scores:
    exact: float
    core: float
    fuzzy_weight: float
    query_words: float
    min_score: float
    property_match: float
    property_mismatch: float
    properties_only: float

    @classmethod
    def of(cls, rules: dict[str, Any]) -> Scores:
        return cls(**{name: float(value) for name, value in rules["scores"].items()})


class Names:
    """The name rules of names.yaml, with the graph's places: (long, short) pairs such as
    (长治市, 长治) that shorten a place's name wherever it appears."""

    def __init__(self, rules: dict[str, Any], places: Iterable[tuple[str, str]] = ()) -> None:
        core = rules["core"]
        self.leading_place = re.compile(core["leading_place_regex"])
        self.abbreviations: dict[str, str] = {
            exact(k): exact(v) for k, v in core["abbreviations"].items()
        }
        self.abbreviation = _alternation(self.abbreviations)
        self.suffixes = sorted((exact(s) for s in core["suffixes"]), key=len, reverse=True)
        self.min_chars = int(core["min_chars"])
        self.variants = [re.compile(pattern) for pattern in rules.get("variants_regex", [])]
        self.stopwords = frozenset(str(word).casefold() for word in rules.get("stopwords", []))
        self.places: dict[str, str] = {}
        for long, short in places:
            long, short = exact(long), exact(short)
            if long and short and long != short and long.startswith(short):
                self.places.setdefault(long, short)
        self.place = _alternation(self.places)

    def core(self, form: str) -> str:
        """An exact form with places shortened, generic words abbreviated and a generic
        ending dropped: 长治市妇幼保健院 -> 长治妇幼, 河南省儿童医院 -> 河南儿童."""
        if self.place is not None:
            form = self.place.sub(lambda m: self.places[m.group()], form)
        form = self.leading_place.sub(r"\1", form, count=1)
        if self.abbreviation is not None:
            form = self.abbreviation.sub(lambda m: self.abbreviations[m.group()], form)
        for suffix in self.suffixes:
            if form.endswith(suffix) and len(form) > len(suffix):
                form = form[: -len(suffix)]
                break
        return form

    def words(self, text: str) -> frozenset[str]:
        """The compared words of a name in a Latin script (stopwords left out)."""
        return frozenset(words(text)) - self.stopwords

    def cores(self, text: str) -> list[str]:
        """The name's core first, then the cores of its variants (each without one
        `variants_regex` match); none shorter than `min_chars`."""
        form = exact(text)
        forms = [form] + [pattern.sub("", form, count=1) for pattern in self.variants]
        found: list[str] = []
        for variant in forms:
            core = self.core(variant)
            if len(core) >= self.min_chars and core not in found:
                found.append(core)
        return found
