"""The rules of `reconcile` as data: signals.yaml (word lists, kind families, weights) read
into one frozen `Rules`, so the code holds no word of Chinese and no number to tune."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent / "signals.yaml"


@dataclass(frozen=True)
class NameRules:
    """How names are taken apart (the `names` section)."""

    place_regex: re.Pattern[str]
    place_levels: dict[str, str]
    level_prefixes: dict[str, str]
    national_prefixes: tuple[str, ...]
    parent_regex: re.Pattern[str]
    ordinal_regex: re.Pattern[str]
    fillers: tuple[str, ...]
    abbreviations: tuple[tuple[str, str], ...]  # longest short form first
    suffixes: tuple[str, ...]  # longest first
    min_chars: int


@dataclass(frozen=True)
class Weights:
    """Points per signal (the `weights` section)."""

    name: float
    min_similarity: float
    generic_factor: float
    containment: float
    abbreviation: float
    known_name: float
    shared_partners: float
    shared_partners_per_extra: float
    shared_partners_max: float
    same_place: float
    place_within: float
    same_kind: float


@dataclass(frozen=True)
class Rules:
    names: NameRules
    kind_families: dict[str, str]  # kind local name -> family
    partner_fields: dict[str, tuple[str, ...]]  # fact type -> fields naming partners
    weights: Weights
    min_score: float


def _longest_first(items: list[str]) -> tuple[str, ...]:
    return tuple(sorted(items, key=lambda s: (-len(s), s)))


def parse_rules(doc: dict[str, Any]) -> Rules:
    """Rules from the parsed YAML document (a test may pass its own)."""
    names = doc["names"]
    abbreviations = names.get("abbreviations") or {}
    rules = NameRules(
        place_regex=re.compile(names["place_regex"]),
        place_levels=dict(names["place_levels"]),
        level_prefixes=dict(names["level_prefixes"]),
        national_prefixes=_longest_first(list(names["national_prefixes"])),
        parent_regex=re.compile(names["parent_regex"]),
        ordinal_regex=re.compile(names["ordinal_regex"]),
        fillers=_longest_first(list(names["fillers"])),
        abbreviations=tuple(
            (short, abbreviations[short]) for short in _longest_first(list(abbreviations))
        ),
        suffixes=_longest_first(list(names["suffixes"])),
        min_chars=int(names["min_chars"]),
    )
    families = {kind: family for family, kinds in doc["kind_families"].items() for kind in kinds}
    partners = {fact: tuple(fields) for fact, fields in doc["partner_fields"].items()}
    weights = Weights(**{key: float(value) for key, value in doc["weights"].items()})
    return Rules(rules, families, partners, weights, float(doc["min_score"]))


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    """The rules in `path` (signals.yaml beside this file), read once."""
    with path.open(encoding="utf-8") as stream:
        return parse_rules(yaml.safe_load(stream))
