"""The curators' glossary, data/reference/glossary.yaml: English for Chinese terms.

The extractor never translates. A new entity gets an English label only when the
glossary holds its whole name, and a term met inside a name gives the entity's id a
readable word (妇幼保健院 -> `mch`) instead of pinyin syllables. Every entry is a
curator's statement, so the file is the one place English enters extracted data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder.ingest.ids import ID_PATTERN
from graph_builder.ingest.yaml_records import check_keys, mappings, read_mapping, text

GLOSSARY_KEYS = frozenset({"terms"})
TERM_KEYS = frozenset({"zh", "en", "slug", "source"})


@dataclass(frozen=True)
class Term:
    """One entry: the Chinese term, its English, the word it gives ids."""

    zh: str
    en: str
    slug: str


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, Term] = field(default_factory=dict)

    def english(self, name: str) -> str | None:
        """The curator's English for `name` as a whole, if the glossary has it."""
        term = self.terms.get(name)
        return term.en if term else None

    def slugs(self) -> dict[str, str]:
        """Chinese term -> id word, for `ids.name_slug`."""
        return {zh: term.slug for zh, term in self.terms.items()}


def read_glossary(path: Path) -> Glossary:
    """The glossary at `path`; none (an empty one) if the file does not exist."""
    if not path.exists():
        return Glossary()
    doc = read_mapping(path, "the glossary")
    check_keys(doc, GLOSSARY_KEYS, "the glossary")
    terms: dict[str, Term] = {}
    for record in mappings(doc, "terms"):
        check_keys(record, TERM_KEYS, "a glossary term")
        zh, en = text(record, "zh"), text(record, "en")
        if zh in terms:
            raise record.error(f"term {zh!r} is listed twice", "zh")
        slug = text(record, "slug", required=False) or slugify(en)
        if not ID_PATTERN.fullmatch(slug):
            raise record.error(f"slug {slug!r} must be lower-case ASCII words joined by '-'")
        terms[zh] = Term(zh, en, slug)
    return Glossary(terms)


def slugify(english: str) -> str:
    """`Key laboratory` -> `key-laboratory`: lower-case ASCII words joined by '-'."""
    return "-".join(re.findall(r"[a-z0-9]+", english.lower()))
