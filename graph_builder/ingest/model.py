"""The model that ingest hands to the RDF builder: plain data, no YAML and no files.

The loader (from data files) and the synthetic generator (from a random seed)
both produce these objects, so the builder cannot tell them apart. Ids are the
data files' slugs; references between objects are by id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef


@dataclass(frozen=True)
class Span:
    """A quote located in a report: [start, end) in Unicode code points."""

    report: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Place:
    """An administrative division (GB/T 2260), `parent` the id of the one it lies in."""

    id: str
    kind: URIRef
    code: str
    zh: str
    short: str
    en: str
    parent: str | None


@dataclass(frozen=True)
class Report:
    """A source report: its metadata, its verbatim text and where that text is kept.

    `source_file` is the text's path relative to the project root, in POSIX form;
    `reporters` and `photographers` are person ids. A news item has no `review_year`,
    and no `subject` until its facts are accepted; `date` is the day it was published.
    """

    id: str
    title: str
    subtitle: str | None
    title_en: str | None
    review_year: int | None
    language: str
    subject: str | None
    reporters: tuple[str, ...]
    photographers: tuple[str, ...]
    source_file: str
    text: str
    date: dt.date | None = None
    url: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entity:
    """A named thing of one data-file section (institutions, people ...), with its evidence.

    `refs` maps a section's extra key (e.g. `unit_of`) to the id it names.
    """

    id: str
    section: str
    kinds: tuple[URIRef, ...]
    zh: str
    en: str
    spans: tuple[Span, ...]
    place: str | None = None
    refs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fact:
    """An n-ary fact (conferral, tie, post ...) as checked against its report.

    `values` maps a field of the fact type to its values: entity ids for
    references, concept IRIs for concepts, str or int for literals.
    """

    id: str
    type: str
    cls: URIRef
    spans: tuple[Span, ...]
    values: dict[str, list[Any]]
    year: int | None = None
    month: int | None = None
    date: dt.date | None = None
    note: str | None = None

    @property
    def report(self) -> str:
        return self.spans[0].report


@dataclass(frozen=True)
class Curator:
    """Who asserts the authority file's links (a PROV agent)."""

    id: str
    name: str
    url: str | None = None


@dataclass(frozen=True)
class CuratedName:
    """Another name of a canonical institution, as the curator's `source` gives it."""

    zh: str
    type: str  # a local name of hkv:name-types (alias, former-name, short-name)
    source: str
    note: str | None = None


@dataclass(frozen=True)
class Canonical:
    """One real institution: the id every report's mention of it resolves to."""

    id: str
    section: str
    kinds: tuple[URIRef, ...]
    zh: str
    en: str
    source: str
    names: tuple[CuratedName, ...] = ()
    place: str | None = None
    wikidata: str | None = None
    uscc: str | None = None

    def all_names(self) -> tuple[str, ...]:
        return (self.zh, *(name.zh for name in self.names))


@dataclass(frozen=True)
class Authority:
    """The authority file as read: its curator and records, and every name -> record id."""

    curator: Curator | None
    records: dict[str, Canonical]
    by_name: dict[str, str]

    @classmethod
    def empty(cls) -> Authority:
        return cls(None, {}, {})


@dataclass(frozen=True)
class Dataset:
    """Everything one build turns into RDF; `place_source` credits the place codes."""

    places: dict[str, Place]
    reports: dict[str, Report]
    entities: dict[str, Entity]
    facts: list[Fact]
    place_source: str
    #: The authority file (data/reference/institutions.yaml), None when there is none.
    authority: Authority | None = None
    #: Report entity id -> the canonical id it resolves to (one node per institution).
    canonical: dict[str, str] = field(default_factory=dict)

    def resolved(self, ident: str) -> str:
        """The id an entity's IRI is minted from: its canonical record's, else its own."""
        return self.canonical.get(ident, ident)
