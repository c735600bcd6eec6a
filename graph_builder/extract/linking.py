"""From names as written to ids: an existing entity of that name, else a new one.

A mention links to an entity already in data/ when its name is exactly that entity's
Chinese label or a recorded alternative name (a `naming` fact: schema:alternateName in
the graph). Anything else becomes a new entity record in the schema of data/facts, with
a readable id (ids.py), a kind the ontology declares (chosen by the name's ending: the
Chinese labels of the ontology's classes), a place when the name starts with one, and
an English label only if the curators' glossary has the whole name. One `Linker` serves
a whole run, so a name met in several reports becomes one entity with one id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from graph_builder.extract.glossary import Glossary
from graph_builder.extract.ids import IdRegistry, name_slug, person_slug
from graph_builder.ingest.model import Dataset, Place
from graph_builder.ingest.record_schema import SECTIONS
from graph_builder.rdf.vocabulary import Vocabulary

#: Sections a new entity may be placed in by the place its name starts with.
PLACED_SECTIONS = ("institutions",)


@dataclass
class Link:
    """Where a name leads: an entity id, and the new entity's record if it was minted."""

    id: str
    section: str
    new: dict[str, Any] | None = None


class NameIndex:
    """Every name an entity in data/ is known by: section -> name -> id."""

    def __init__(self, dataset: Dataset) -> None:
        self.names: dict[str, dict[str, str]] = {section: {} for section in SECTIONS}
        for entity in sorted(dataset.entities.values(), key=lambda e: e.id):
            self.names[entity.section].setdefault(entity.zh, entity.id)
        for fact in dataset.facts:
            if fact.type == "naming":
                entity = dataset.entities[fact.values["entity"][0]]
                self.names[entity.section].setdefault(fact.values["name"][0], entity.id)

    def find(self, name: str, sections: Iterable[str]) -> Link | None:
        """The entity `name` names in the first of `sections` that has it."""
        for section in sections:
            ident = self.names[section].get(name)
            if ident is not None:
                return Link(ident, section)
        return None


class KindChooser:
    """The ontology class a name's ending says it is (…重点实验室 -> KeyLaboratory).

    Each class under a section's base class is known by its Chinese labels; the longest
    one the name ends with wins, else the base class itself. Adding a class or a label to
    the ontology is all it takes to teach it a new kind.
    """

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def kind(self, name: str, base: URIRef) -> str:
        endings = self.endings(base)
        matches = [label for label in endings if name.endswith(label)]
        if not matches:
            return self.local_name(base)
        return endings[max(matches, key=len)]

    def endings(self, base: URIRef) -> dict[str, str]:
        """Chinese label -> class local name, for every class under `base` (base last)."""
        found: dict[str, str] = {}
        for local, cls in sorted(self.vocab.kinds(base).items()):
            for label in self.vocab.labels(cls):
                if cls != base or label not in found:
                    found[label] = local
        return found

    def local_name(self, cls: URIRef) -> str:
        return next(local for local, known in self.vocab.kinds(cls).items() if known == cls)


def place_lexicon(places: Mapping[str, Place]) -> dict[str, str]:
    """Place name and short name -> place id: the words ids and `located_in` use."""
    lexicon: dict[str, str] = {}
    for place in places.values():
        lexicon.setdefault(place.zh, place.id)
        lexicon.setdefault(place.short, place.id)
    return lexicon


#: Longest id of a new department (its institution's id, then its own name).
MAX_UNIT_ID = 64


@dataclass
class Linker:
    """Links names to data/'s entities or mints new ones, one id per new name in a run."""

    index: NameIndex
    kinds: KindChooser
    registry: IdRegistry
    places: dict[str, str]
    glossary: Glossary
    minted: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def lexicon(self) -> dict[str, str]:
        return {**self.places, **self.glossary.slugs()}

    def link(
        self,
        name: str,
        sections: Sequence[str],
        kind: str | list[str] | None = None,
        base: URIRef | None = None,
    ) -> Link:
        """The entity `name` names in `sections`, else a new one in the first section.

        `kind` forces the new entity's kind; otherwise its name's ending chooses among the
        classes under `base` (default: the section's base class).
        """
        found = self.index.find(name, sections)
        if found is not None:
            return found
        section = sections[0]
        for other in sections:
            if (other, name) in self.minted:
                return Link(self.minted[(other, name)]["id"], other, self.minted[(other, name)])
        record = self.mint(name, section, kind, base)
        self.minted[(section, name)] = record
        return Link(record["id"], section, record)

    def unit(self, name: str, unit_of: str, unit_of_name: str) -> Link:
        """The department `name` of institution `unit_of` (科室 names repeat across
        hospitals, so a new one's id starts with its institution's). Its quote holds both
        names, as the builder wants: the department and the hospital the report is about."""
        found = self.index.find(name, ("units",))
        if found is not None:
            return found
        key = ("units", f"{unit_of}/{name}")
        if key not in self.minted:
            slug = f"{unit_of}-{name_slug(name, self.lexicon)}"
            self.minted[key] = {
                "id": self.registry.claim(slug[:MAX_UNIT_ID].rstrip("-")),
                "kind": "Department",
                "zh": name,
                "unit_of": unit_of,
                "quote": [name, unit_of_name],
            }
        return Link(self.minted[key]["id"], "units", self.minted[key])

    def mint(
        self, name: str, section: str, kind: str | list[str] | None, base: URIRef | None
    ) -> dict[str, Any]:
        """A new entity record: id, kind, zh, and en and located_in where known."""
        slug = person_slug(name) if section == "people" else name_slug(name, self.lexicon)
        record: dict[str, Any] = {"id": self.registry.claim(slug)}
        if SECTIONS[section].has_kind:
            record["kind"] = kind or self.kinds.kind(name, base or SECTIONS[section].base)
        record["zh"] = name
        english = self.glossary.english(name)
        if english:
            record["en"] = english
        place = self.place_of(name) if section in PLACED_SECTIONS else None
        if place:
            record["located_in"] = place
        return record

    def remember(self, section: str, record: dict[str, Any]) -> None:
        """A new entity a candidates file already proposes: its id is taken, and its name
        leads to it (one entity, one id, in every file that names it)."""
        ident, name = record.get("id"), record.get("zh")
        if isinstance(ident, str) and isinstance(name, str) and section in SECTIONS:
            self.registry.reserve([ident])
            self.minted.setdefault((section, name), record)

    def prefix(self, name: str, sections: Sequence[str]) -> str | None:
        """The longest name of a known entity (in data/ or minted) that `name` starts with:
        the partner in a co-branded name (河南省儿童医院 in 河南省儿童医院焦作医院)."""
        known = [n for section in sections for n in self.index.names[section]]
        known += [n for (section, n) in self.minted if section in sections]
        starts = [n for n in known if name.startswith(n) and n != name]
        return max(starts, key=len) if starts else None

    def place_of(self, name: str) -> str | None:
        """The place a name starts with (its longest such name), which the quote then holds."""
        starts = [place for place in self.places if name.startswith(place)]
        return self.places[max(starts, key=len)] if starts else None
