"""What the reconciliation service knows of the graph: its entities, their names in every
compared form, kinds, places and ties, read once from the query workers.

The server process holds no graph (the workers do, see pool.py), so the index is built
from three SELECT queries run through the pool on the first reconciliation request and
kept: the served graph never changes while the server runs. On the national graph
(1.08M triples, 11,637 entities) the entity query returns 80,197 rows in 0.7 s.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph_builder.ingest.ids import ID_PATTERN
from graph_builder.rdf.namespaces import HKG, ID, ORG, SCHEMA

from .names import Names, exact

#: The IRI namespace of every minted entity (…/id/institution/changzhi-mch): the manifest's
#: identifierSpace. An entity's id is its slug (changzhi-mch), unique across kinds.
IDENTIFIER_SPACE = ID
SCHEMA_SPACE = str(HKG._NS)
LABEL = str(RDFS.label)
ALT_LABEL = str(SKOS.altLabel)
ALTERNATE_NAME = str(SCHEMA.alternateName)
ENGLISH_LABEL = str(HKG.englishLabel)
LOCATION = str(SCHEMA.location)
CONTAINED_IN = str(SCHEMA.containedInPlace)
TYPE = str(RDF.type)
SUBCLASS = str(RDFS.subClassOf)
NAME_PREDICATES = (LABEL, ALT_LABEL, ALTERNATE_NAME, ENGLISH_LABEL)

ENTITY_QUERY = """
SELECT ?s ?p ?o WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
      VALUES ?kind {{ {kinds} }}
      ?s a/rdfs:subClassOf* ?kind . FILTER(isIRI(?s))
  }} }}
  VALUES ?p {{ {predicates} }}
  ?s ?p ?o .
}}"""
TIES_QUERY = f"""
SELECT ?a ?b WHERE {{
  ?tie a <{HKG.Tie}> ; <{ORG.member}> ?a ; <{ORG.organization}> ?b .
  FILTER(isIRI(?a) && isIRI(?b))
}}"""
CLASS_QUERY = f"""
SELECT ?c ?p ?o WHERE {{
  ?c a <{OWL.Class}> .
  FILTER(STRSTARTS(STR(?c), "{SCHEMA_SPACE}"))
  VALUES ?p {{ <{LABEL}> <{SUBCLASS}> }}
  ?c ?p ?o .
}}"""


def entity_query(kinds: Iterable[str]) -> str:
    predicates = (TYPE, *NAME_PREDICATES, LOCATION, CONTAINED_IN)
    return ENTITY_QUERY.format(
        kinds=" ".join(f"<{k}>" for k in kinds),
        predicates=" ".join(f"<{p}>" for p in predicates),
    )


@dataclass(frozen=True)
class Term:
    value: str
    lang: str = ""
    iri: bool = False


def solutions(body: bytes) -> list[dict[str, Term]]:
    """The rows of a SPARQL JSON results document (blank nodes are left out)."""
    rows = []
    for binding in json.loads(body)["results"]["bindings"]:
        row = {}
        for name, term in binding.items():
            if term["type"] == "bnode":
                continue
            row[name] = Term(term["value"], term.get("xml:lang", ""), term["type"] == "uri")
        rows.append(row)
    return rows


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """prefix:local for the longest namespace that `iri` starts with, else the IRI."""
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(prefixes[best]) :]}"
    return iri


@dataclass
class TypeInfo:
    iri: str
    id: str  # hkg:Hospital
    name: str  # Hospital (医院)
    en: str
    zh: str
    broader: list[str]  # direct superclasses (IRIs) among the exposed types
    depth: int  # longest subClassOf chain above it: more specific types sort first

    def json(self, index: Index, with_broader: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name}
        if with_broader and self.broader:
            data["broader"] = [index.types[b].json(index) for b in self.broader]
        return data


@dataclass
class Entity:
    iri: str
    id: str = ""
    curie: str = ""
    labels: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    classes: set[str] = field(default_factory=set)
    located: list[str] = field(default_factory=list)  # schema:location, IRIs
    parents: list[str] = field(default_factory=list)  # schema:containedInPlace, IRIs
    types: list[str] = field(default_factory=list)  # exposed types, most specific first
    places: frozenset[int] = frozenset()  # place entities it is in (with their parents)

    def first(self, predicate: str, lang: str | None = None) -> str:
        for text, tag in self.labels.get(predicate, []):
            if lang is None or tag.split("-")[0] == lang:
                return text
        return ""

    @property
    def name(self) -> str:
        """The Chinese label as written in the sources, else any label, else the id."""
        return (
            self.first(LABEL, "zh")
            or self.first(LABEL)
            or self.first(ENGLISH_LABEL)
            or self.first(ALT_LABEL)
            or self.id
        )

    @property
    def english(self) -> str:
        return self.first(ENGLISH_LABEL) or self.first(LABEL, "en")

    def names(self) -> list[str]:
        """Every name: labels, alternative names, the English label."""
        seen: list[str] = []
        for predicate in NAME_PREDICATES:
            for text, _ in self.labels.get(predicate, []):
                if text not in seen:
                    seen.append(text)
        return seen

    def alternatives(self) -> list[str]:
        name = self.name
        found: list[str] = []
        for predicate in (ALT_LABEL, ALTERNATE_NAME):
            for text, _ in self.labels.get(predicate, []):
                if text != name and text not in found:
                    found.append(text)
        return found


class Index:
    """Entities by every key a query may give: name forms, ids, types, places, ties."""

    def __init__(
        self,
        entity_rows: list[dict[str, Term]],
        tie_rows: list[dict[str, Term]],
        class_rows: list[dict[str, Term]],
        rules: dict[str, Any],
        prefixes: dict[str, str],
    ) -> None:
        self.prefixes = prefixes
        expand = self.expand
        self.kinds = [expand(k) for k in rules["entity_kinds"]]
        self.default_types = [expand(k) for k in rules.get("default_types", [])]
        self._read_classes(class_rows)
        self._read_entities(entity_rows)
        self.names = Names(rules, self._place_pairs())
        self._index_names()
        self._index_ties(tie_rows)

    # -- classes ---------------------------------------------------------------------

    def expand(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        if prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return name

    def _read_classes(self, rows: list[dict[str, Term]]) -> None:
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.supers: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            c, p, o = row.get("c"), row.get("p"), row.get("o")
            if c is None or p is None or o is None:
                continue
            if p.value == LABEL and not o.iri:
                labels[c.value].setdefault(o.lang.split("-")[0], o.value)
            elif p.value == SUBCLASS and o.iri:
                self.supers[c.value].add(o.value)
        self.class_labels = labels

    def ancestors(self, iri: str) -> set[str]:
        """The class and every class above it (rdfs:subClassOf*)."""
        seen, todo = {iri}, [iri]
        while todo:
            for parent in self.supers.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def _type_info(self, iri: str, exposed: set[str]) -> TypeInfo:
        labels = self.class_labels.get(iri, {})
        local = iri[len(SCHEMA_SPACE) :] if iri.startswith(SCHEMA_SPACE) else iri
        en, zh = labels.get("en", ""), labels.get("zh", "")
        name = f"{en} ({zh})" if en and zh else en or zh or local
        broader = sorted(p for p in self.supers.get(iri, ()) if p in exposed and p != iri)

        def depth(c: str, seen: frozenset[str] = frozenset()) -> int:
            parents = [p for p in self.supers.get(c, ()) if p not in seen and p != c]
            return 1 + max((depth(p, seen | {c}) for p in parents), default=0)

        return TypeInfo(iri, curie(iri, self.prefixes), name, en, zh, broader, depth(iri))

    # -- entities --------------------------------------------------------------------

    def _read_entities(self, rows: list[dict[str, Term]]) -> None:
        found: dict[str, Entity] = {}
        for row in rows:
            s, p, o = row.get("s"), row.get("p"), row.get("o")
            if s is None or p is None or o is None:
                continue
            entity = found.setdefault(s.value, Entity(s.value))
            if p.value == TYPE and o.iri:
                entity.classes.add(o.value)
            elif p.value in NAME_PREDICATES and not o.iri and o.value.strip():
                entity.labels[p.value].append((o.value, o.lang))
            elif p.value == LOCATION and o.iri:
                entity.located.append(o.value)
            elif p.value == CONTAINED_IN and o.iri:
                entity.parents.append(o.value)
        self.entities = sorted(found.values(), key=lambda e: e.iri)
        for entity in self.entities:
            for labels in entity.labels.values():
                labels.sort()
        kinds = set(self.kinds)
        closure = {c: self.ancestors(c) for e in self.entities for c in e.classes}
        exposed = {
            c for c, above in closure.items() if c.startswith(SCHEMA_SPACE) and above & kinds
        }
        exposed |= {
            c for c in self.supers if c.startswith(SCHEMA_SPACE) and self.ancestors(c) & kinds
        }
        exposed |= kinds
        self.types = {c: self._type_info(c, exposed) for c in sorted(exposed)}
        self.by_type: dict[str, set[int]] = defaultdict(set)
        slugs: dict[str, int] = defaultdict(int)
        for entity in self.entities:
            slugs[_slug(entity.iri)] += 1
        self.by_key: dict[str, int] = {}
        for i, entity in enumerate(self.entities):
            classes = (
                set().union(*(closure[c] for c in entity.classes)) if entity.classes else set()
            )
            entity.classes = classes
            for c in classes & exposed:
                self.by_type[c].add(i)
            entity.types = sorted(
                classes & exposed, key=lambda c: (-self.types[c].depth, self.types[c].id)
            )
            slug = _slug(entity.iri)
            entity.id = slug if slug and slugs[slug] == 1 else entity.iri
            entity.curie = curie(entity.iri, self.prefixes)
            for key in (entity.id, entity.iri, entity.curie):
                self.by_key.setdefault(key, i)
        self.position = {e.iri: i for i, e in enumerate(self.entities)}
        place_kind = self.expand("hkg:Place")
        self.place_ids = self.by_type.get(place_kind, set())
        above = {i: self._place_closure(i) for i in self.place_ids}
        for i, entity in enumerate(self.entities):
            places = set(above.get(i, ()))
            for place in entity.located:
                places |= above.get(self.position.get(place, -1), frozenset())
            entity.places = frozenset(places)

    def _place_closure(self, start: int) -> frozenset[int]:
        """A place and the places containing it (schema:containedInPlace*)."""
        seen, todo = {start}, [start]
        while todo:
            for parent in self.entities[todo.pop()].parents:
                j = self.position.get(parent)
                if j is not None and j not in seen:
                    seen.add(j)
                    todo.append(j)
        return frozenset(seen)

    def _place_pairs(self) -> list[tuple[str, str]]:
        """(long, short) Chinese names of each place: (长治市, 长治)."""
        pairs = []
        for i in sorted(self.place_ids):
            names = [t for t in self.entities[i].names() if exact(t)]
            zh = [t for t in names if any("\u4e00" <= ch <= "\u9fff" for ch in t)]
            if zh:
                short = min(zh, key=len)
                pairs += [(name, short) for name in zh if name != short]
        return pairs

    # -- names -----------------------------------------------------------------------

    def _index_names(self) -> None:
        self.exact_names: dict[str, list[int]] = defaultdict(list)
        self.core_names: dict[str, list[int]] = defaultdict(list)
        self.place_keys: dict[str, set[int]] = defaultdict(set)
        choices: dict[tuple[str, int], None] = {}  # (a core of a name, entity)
        exact_choices: dict[tuple[str, int], None] = {}  # (a name's exact form, entity)
        self.worded: list[tuple[frozenset[str], int]] = []  # (words of a name, entity)
        self.by_word: dict[str, list[int]] = defaultdict(list)  # word -> positions in worded
        suggest: set[tuple[str, int]] = set()
        for i, entity in enumerate(self.entities):
            for text in entity.names():
                form = exact(text)
                if not form:
                    continue
                _add(self.exact_names[form], i)
                suggest.add((form, i))
                exact_choices[(form, i)] = None
                latin = self.names.words(text)
                if latin:
                    for word in latin:
                        self.by_word[word].append(len(self.worded))
                    self.worded.append((latin, i))
                for core in self.names.cores(text):
                    _add(self.core_names[core], i)
                    choices[(core, i)] = None
                if i in self.place_ids:
                    self.place_keys[form].add(i)
            if i in self.place_ids:
                for key in (entity.id, entity.iri, entity.curie):
                    self.place_keys[key].add(i)
        self.choices = [core for core, _ in choices]
        self.owners = [i for _, i in choices]
        self.exact_choices = [form for form, _ in exact_choices]
        self.exact_owners = [i for _, i in exact_choices]
        self.suggest_forms = sorted(suggest)

    def prefixed(self, form: str) -> list[int]:
        """Entities with a name (exact form) that starts with `form`, shortest names first."""
        start = bisect.bisect_left(self.suggest_forms, (form, -1))
        hits = []
        for name, i in self.suggest_forms[start:]:
            if not name.startswith(form):
                break
            hits.append((len(name), self.entities[i].id, i))
        return [i for _, _, i in sorted(hits)]

    def containing(self, form: str) -> list[int]:
        hits = sorted(
            (len(name), self.entities[i].id, i) for name, i in self.suggest_forms if form in name
        )
        return [i for _, _, i in hits]

    # -- ties ------------------------------------------------------------------------

    def _index_ties(self, rows: list[dict[str, Term]]) -> None:
        self.ties: dict[int, set[int]] = defaultdict(set)
        for row in rows:
            a, b = row.get("a"), row.get("b")
            if a is None or b is None:
                continue
            i, j = self.position.get(a.value), self.position.get(b.value)
            if i is not None and j is not None and i != j:
                self.ties[i].add(j)
                self.ties[j].add(i)

    # -- lookups ---------------------------------------------------------------------

    def entity(self, key: str) -> Entity | None:
        i = self.by_key.get(key.strip())
        return None if i is None else self.entities[i]

    def type_iri(self, key: str) -> str | None:
        """The exposed class a type id names: hkg:Hospital, Hospital or the full IRI."""
        key = key.strip()
        for candidate in (key, self.expand(key), SCHEMA_SPACE + key):
            if candidate in self.types:
                return candidate
        return None

    def description(self, entity: Entity) -> str:
        """The English label (a curator's translation) and where the entity is."""
        parts = [entity.english] if entity.english else []
        place = self.place_text(entity)
        if place:
            parts.append(place)
        return " · ".join(parts)

    def place_text(self, entity: Entity) -> str:
        """Its places from the most specific up, by their Chinese names: 长治市, 山西省."""
        direct = [self.position[p] for p in entity.located if p in self.position]
        chain: list[int] = []
        todo = sorted(direct, key=lambda j: self.entities[j].iri)
        while todo:
            j = todo.pop(0)
            if j in chain:
                continue
            chain.append(j)
            todo += [self.position[p] for p in self.entities[j].parents if p in self.position]
        return ", ".join(self.entities[j].name for j in chain)

    def type_json(self, entity: Entity) -> list[dict[str, Any]]:
        return [self.types[c].json(self) for c in entity.types]


def _add(bucket: list[int], i: int) -> None:
    if not bucket or bucket[-1] != i:
        bucket.append(i)


def _slug(iri: str) -> str:
    """The minted slug of an entity IRI (…/id/institution/changzhi-mch), else ''."""
    if not iri.startswith(IDENTIFIER_SPACE):
        return ""
    slug = iri.rsplit("/", 1)[-1]
    return slug if ID_PATTERN.fullmatch(slug) else ""
