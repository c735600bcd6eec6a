"""What a page shows, read from the rdflib graph of its queries' answers.

The templates receive plain dataclasses of text and links: every name, quote and
label stays a string for Jinja2 to escape, never markup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph_builder.rdf.namespaces import HKG, ORG, SCHEMA
from graph_builder.rdf.vocabulary import Vocabulary

from .paths import Resolver
from .texts import Passage, Segment

HKG_NS = str(HKG._NS)

#: Fact classes in the order a page lists them, each with the qualifier that
#: sub-groups its facts (conferrals by level, ties by role), if any.
FACT_GROUPS: tuple[tuple[URIRef, URIRef | None], ...] = (
    (HKG.Conferral, HKG.level),
    (HKG.AllianceMembership, ORG.role),
    (HKG.Partnership, ORG.role),
    (HKG.Tie, ORG.role),
    (HKG.PostHolding, ORG.role),
    (HKG.Event, None),
    (HKG.Naming, None),
    (HKG.Fact, None),
)
#: The parts of a fact that are other things (shown as links), in display order.
FACT_ENDS = (
    HKG.recipient,
    HKG.designation,
    ORG.member,
    ORG.organization,
    ORG.heldBy,
    ORG.postIn,
    HKG.named,
    HKG.participant,
    HKG.organizer,
    HKG.venue,
    HKG.concerns,
    HKG.programme,
)
#: The qualifiers of a fact, in display order.
FACT_QUALIFIERS = (
    HKG.level,
    HKG.batch,
    HKG.year,
    HKG.month,
    HKG.date,
    HKG.status,
    HKG.issuer,
    ORG.role,
    HKG.rank,
    HKG.count,
    HKG.brandedName,
    HKG.name,
    HKG.nameType,
)
#: Properties the page's header shows, left out of its table of statements.
ALT_NAMES = (SCHEMA.alternateName, SKOS.altLabel)


@dataclass(frozen=True)
class Link:
    href: str
    label: str  # the Chinese name as written, or the one name there is
    en: str = ""  # the English name, if it has one
    translation: bool = False  # `en` is a curator's translation (hkg:englishLabel)
    iri: str = ""


@dataclass(frozen=True)
class Value:
    """An object of a statement: a link, or a literal's text with its language."""

    text: str
    link: Link | None = None
    lang: str = ""
    datatype: str = ""


@dataclass
class Statement:
    predicate: Link
    values: list[Value]


@dataclass
class Evidence:
    link: Link
    quote: str
    start: int | None
    end: int | None
    report: Link | None
    report_date: str
    passage: Passage | None = None
    reason: str = ""  # why the passage is not shown


@dataclass
class Fact:
    link: Link
    kind: Link
    ends: list[Statement]
    qualifiers: list[Statement]
    evidence: list[Evidence]


@dataclass
class FactGroup:
    kind: Link
    subgroups: list[tuple[str, list[Fact]]]

    @property
    def count(self) -> int:
        return sum(len(facts) for _, facts in self.subgroups)


@dataclass
class Curation:
    link: Link
    statements: list[Statement]


@dataclass
class QueryLink:
    name: str
    question: str
    href: str


@dataclass
class Entity:
    link: Link
    curie: str
    zh: str
    en: str
    en_translation: bool
    kinds: list[Link]
    location: list[Link]
    alt_names: list[Value]
    statements: list[Statement]
    references: list[Statement] = field(default_factory=list)
    fact: Fact | None = None  # the page's own fact, when it is one
    facts: list[FactGroup] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)  # of the entity itself
    curations: list[Curation] = field(default_factory=list)
    report_segments: list[Segment] | None = None
    report_reason: str = ""
    quote_targets: dict[str, str] = field(default_factory=dict)  # evidence IRI -> href
    report_ids: dict[int, list[str]] = field(default_factory=dict)  # segment -> quote ids
    queries: list[QueryLink] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_report(self) -> bool:
        return any(k.iri == str(HKG.Report) for k in self.kinds)


class Reading:
    """Names, kinds and links of the terms in one page's graph."""

    def __init__(
        self,
        graph: Graph,
        resolver: Resolver,
        vocabulary: Vocabulary | None,
        curies: dict[str, str],
    ) -> None:
        self.graph, self.resolver, self.vocabulary = graph, resolver, vocabulary
        self.curies = sorted(curies.items(), key=lambda kv: -len(kv[1]))

    def curie(self, iri: str) -> str:
        for prefix, namespace in self.curies:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def names(self, node: Node) -> tuple[str, str, bool]:
        """(zh as written or the one name there is, en, whether en is a translation)."""
        g = self.graph
        zh = en = ""
        translation = False
        for prop in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
            for value in sorted(g.objects(node, prop), key=str):
                if isinstance(value, Literal):
                    if value.language in (None, "zh") or value.language.startswith("zh"):
                        zh = zh or str(value)
                    elif value.language == "en":
                        en = en or str(value)
        for value in sorted(g.objects(node, HKG.englishLabel), key=str):
            en, translation = str(value), True
            break
        if not zh and isinstance(node, URIRef) and self.vocabulary is not None:
            vzh, ven = self.vocabulary.names(node)
            zh, en = vzh or "", en or ven or ""
        if not zh:
            zh, en, translation = en, "", False
        return zh, en, translation

    def link(self, node: Node) -> Link:
        iri = str(node)
        zh, en, translation = self.names(node)
        label = zh or self.curie(iri)
        href = self.resolver.href(iri) if isinstance(node, URIRef) else ""
        return Link(href, label, en if en != label else "", translation, iri)

    def value(self, node: Node) -> Value:
        if isinstance(node, Literal):
            datatype = self.curie(str(node.datatype)) if node.datatype else ""
            return Value(str(node), None, node.language or "", datatype)
        link = self.link(node)
        return Value(link.label, link)

    def statements(self, node: Node, skip: Iterable[Node] = ()) -> list[Statement]:
        """Every outgoing statement but `skip`, grouped by predicate."""
        skipped = set(skip)
        by_predicate: dict[Node, list[Node]] = defaultdict(list)
        for p, o in self.graph.predicate_objects(node):
            if p not in skipped:
                by_predicate[p].append(o)
        return [
            Statement(self.property_link(p), [self.value(o) for o in sorted(objs, key=_order)])
            for p, objs in sorted(by_predicate.items(), key=lambda kv: self.curie(str(kv[0])))
        ]

    def property_link(self, prop: Node) -> Link:
        """A property by its English label (pages speak English around Chinese names)."""
        zh, en, _ = self.names(prop)
        label = en or (zh if zh != str(prop) else "") or self.curie(str(prop))
        return Link(self.resolver.href(str(prop)), label, "", False, str(prop))

    def types(self, node: Node) -> list[URIRef]:
        return sorted(t for t in self.graph.objects(node, RDF.type) if isinstance(t, URIRef))

    def most_specific(self, types: list[URIRef], among: Iterable[URIRef] = ()) -> URIRef | None:
        allowed = set(among)
        candidates = [t for t in types if str(t).startswith(HKG_NS)]
        if allowed:
            candidates = [t for t in candidates if t in allowed]
        if not candidates:
            return None
        vocab = self.vocabulary
        return max(candidates, key=lambda t: (vocab.depth(t) if vocab else 0, str(t)))

    def kinds(self, node: Node) -> list[Link]:
        """The node's classes, most specific hkg: class first, then the rest of them."""
        types = self.types(node)
        first = self.most_specific(types)
        ordered = ([first] if first else []) + [t for t in types if t != first]
        return [self.link(t) for t in ordered]


def _order(node: Node) -> tuple[int, str]:
    return (0 if isinstance(node, Literal) else 1, str(node))


def _objects(graph: Graph, node: Node, props: Iterable[URIRef]) -> list[Node]:
    return [o for p in props for o in graph.objects(node, p)]


def literal(graph: Graph, node: Node, prop: URIRef) -> str:
    for value in sorted(graph.objects(node, prop), key=str):
        return str(value)
    return ""


def integer(graph: Graph, node: Node, prop: URIRef) -> int | None:
    text = literal(graph, node, prop)
    try:
        return int(text)
    except ValueError:
        return None


def evidence(reading: Reading, node: Node) -> Evidence:
    g = reading.graph
    report = next(iter(sorted(g.objects(node, PROV.wasQuotedFrom), key=str)), None)
    date = ""
    if report is not None:
        date = literal(g, report, DCTERMS.date) or literal(g, report, HKG.reviewYear)
    return Evidence(
        reading.link(node),
        literal(g, node, PROV.value),
        integer(g, node, HKG.startOffset),
        integer(g, node, HKG.endOffset),
        reading.link(report) if report is not None else None,
        date,
    )


def fact(reading: Reading, node: Node, entity: Node | None) -> Fact:
    """A fact as a page lists it: what it links (but the page's own entity), its
    qualifiers, and its evidence."""
    g = reading.graph
    kind = reading.most_specific(reading.types(node)) or HKG.Fact
    ends = [
        Statement(reading.property_link(p), [reading.value(o) for o in sorted(objs, key=str)])
        for p in FACT_ENDS
        if (objs := [o for o in g.objects(node, p) if o != entity])
    ]
    qualifiers = [
        Statement(reading.property_link(p), [reading.value(o) for o in sorted(objs, key=_order)])
        for p in FACT_QUALIFIERS
        if (objs := list(g.objects(node, p)))
    ]
    quotes = [
        evidence(reading, ev)
        for ev in sorted(g.objects(node, PROV.wasDerivedFrom), key=str)
        if (ev, RDF.type, HKG.Evidence) in g
    ]
    return Fact(reading.link(node), reading.link(kind), ends, qualifiers, quotes)


def fact_groups(reading: Reading, facts: Iterable[Node], entity: Node) -> list[FactGroup]:
    g = reading.graph
    grouped: dict[URIRef, dict[str, list[Fact]]] = {}
    order = [cls for cls, _ in FACT_GROUPS]
    for node in sorted(set(facts), key=str):
        types = reading.types(node)
        cls = next((c for c in order if c in types), HKG.Fact)
        by = dict(FACT_GROUPS)[cls]
        key = ""
        if by is not None:
            values = sorted(g.objects(node, by), key=str)
            key = ", ".join(reading.link(v).label for v in values)
            key = key or f"{reading.property_link(by).label} not stated"
        grouped.setdefault(cls, {}).setdefault(key, []).append(fact(reading, node, entity))
    return [
        FactGroup(reading.link(cls), sorted(grouped[cls].items()))
        for cls in order
        if cls in grouped
    ]


def facts_of(graph: Graph, entity: Node) -> list[Node]:
    """The facts the entity links to and those that point at it."""
    facts = {o for o in graph.objects(entity, None) if (o, RDF.type, HKG.Fact) in graph}
    facts |= {s for s in graph.subjects(None, entity) if (s, RDF.type, HKG.Fact) in graph}
    return sorted(facts, key=str)


def entity(reading: Reading, node: URIRef) -> Entity:
    """The page of any IRI the graph describes."""
    g = reading.graph
    zh, en, translation = reading.names(node)
    is_fact = (node, RDF.type, HKG.Fact) in g
    is_evidence = (node, RDF.type, HKG.Evidence) in g
    own_evidence = [
        evidence(reading, ev)
        for ev in sorted(g.objects(node, PROV.wasDerivedFrom), key=str)
        if (ev, RDF.type, HKG.Evidence) in g
    ]
    if is_evidence:
        own_evidence = [evidence(reading, node)]
    curations = [
        Curation(reading.link(c), reading.statements(c, (RDF.type,)))
        for c in sorted(g.objects(node, HKG.curatorAssertion), key=str)
    ]
    skip = (RDF.type, *ALT_NAMES)
    references: dict[Node, list[Node]] = defaultdict(list)
    for s, p in g.subject_predicates(node):
        if (s, RDF.type, HKG.Fact) not in g and p != RDF.type:
            references[p].append(s)
    own_fact = fact(reading, node, None) if is_fact else None
    if own_fact is not None and not zh:  # a fact is named by what it links
        zh = " · ".join(v.text for s in own_fact.ends for v in s.values)
    return Entity(
        link=reading.link(node),
        curie=reading.curie(str(node)),
        zh=zh or reading.curie(str(node)),
        en=en,
        en_translation=translation,
        kinds=reading.kinds(node),
        location=[reading.link(p) for p in sorted(g.objects(node, SCHEMA.location), key=str)],
        alt_names=[reading.value(v) for v in sorted(_objects(g, node, ALT_NAMES), key=_order)],
        statements=reading.statements(node, skip),
        references=[
            Statement(reading.property_link(p), [reading.value(s) for s in sorted(subs, key=str)])
            for p, subs in sorted(references.items(), key=lambda kv: str(kv[0]))
        ],
        fact=own_fact,
        facts=[] if is_fact else fact_groups(reading, facts_of(g, node), node),
        evidence=[] if is_fact else own_evidence,
        curations=curations,
    )


def quoted_from(graph: Graph, report: Node) -> list[tuple[URIRef, int, int, URIRef | None]]:
    """(evidence, start, end, what it supports) of every quote taken from `report`."""
    quotes = []
    for ev in sorted(graph.subjects(PROV.wasQuotedFrom, report), key=str):
        start, end = integer(graph, ev, HKG.startOffset), integer(graph, ev, HKG.endOffset)
        if not isinstance(ev, URIRef) or start is None or end is None:
            continue
        supported = sorted(
            (s for s in graph.subjects(PROV.wasDerivedFrom, ev) if isinstance(s, URIRef)), key=str
        )
        quotes.append((ev, start, end, supported[0] if supported else None))
    return quotes


@dataclass
class Term:
    anchor: str
    link: Link
    curie: str
    statements: list[Statement]


@dataclass
class Ontology:
    link: Link
    statements: list[Statement]
    classes: list[Term]
    properties: list[Term]


PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def anchor(reading: Reading, ontology_iri: str, term: str) -> str:
    """A term's id on the ontology page: its local name for the ontology's own terms
    (so `ontology#Term` lands on it), its prefixed name for the others."""
    if term.startswith(ontology_iri + "#"):
        return term[len(ontology_iri) + 1 :]
    return reading.curie(term)


def ontology(reading: Reading, iri: URIRef) -> Ontology:
    g = reading.graph

    def terms(types: Iterable[URIRef]) -> list[Term]:
        nodes = {s for t in types for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}
        own = sorted(n for n in nodes if str(n).startswith(str(iri) + "#"))
        other = sorted(n for n in nodes if not str(n).startswith(str(iri) + "#"))
        return [
            Term(
                anchor(reading, str(iri), str(n)),
                reading.link(n),
                reading.curie(str(n)),
                reading.statements(n, (RDFS.label,)),
            )
            for n in own + other
        ]

    properties = [t for t in terms(PROPERTY_TYPES)]
    return Ontology(reading.link(iri), reading.statements(iri), terms((OWL.Class,)), properties)
