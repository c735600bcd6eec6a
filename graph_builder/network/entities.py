"""The knowledge graph as a networkx graph: entities as nodes, facts as edges.

Facts are n-ary nodes in RDF; a network tool wants binary edges. Each fact
becomes one edge per pair of entities it links (recipient -> designation,
member -> organisation, ...), keyed by the fact, so the edge can carry the
fact's level, roles, year and verbatim evidence. Which kinds of node and which
edges exist is data (`KINDS`, `RELATIONS`); their Chinese and English names
come from the ontology's labels wherever the ontology has them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import networkx as nx
from networkx.classes.reportviews import NodeView
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from graph_builder.errors import DataError
from graph_builder.rdf.namespaces import HKG, ORG, SCHEMA, bind_prefixes
from graph_builder.rdf.vocabulary import Vocabulary


@dataclass(frozen=True)
class Kind:
    """A kind of node: how it looks, and the ontology term that names it."""

    name: str
    colour: str
    shape: str
    term: URIRef | None = None  # whose rdfs:label @zh/@en names the kind
    zh: str = ""  # used when `term` is None or unlabelled
    en: str = ""


#: Node kinds, in legend order. Colours from the Tableau 10 palette.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("hospital", "#d62728", "star", HKG.Hospital),
        Kind("partner", "#1f77b4", "dot", None, "合作机构", "Partner institution"),
        Kind("issuer", "#9467bd", "triangle", None, "授予单位", "Issuing body"),
        Kind("institution", "#7f7f7f", "dot", HKG.Institution),
        Kind("alliance", "#ff7f0e", "hexagon", HKG.Alliance),
        Kind("designation", "#2ca02c", "diamond", HKG.Designation),
        Kind("person", "#e377c2", "triangleDown", HKG.Person),
        Kind("unit", "#8c564b", "square", HKG.OrganizationalUnit),
        Kind("programme", "#bcbd22", "square", HKG.Programme),
        Kind("event", "#17becf", "dot", HKG.Event),
        Kind("place", "#9edae5", "dot", HKG.Place),
    )
}

#: Institutions get a kind from the part they play in facts (first match wins):
#: the hospitals the reports are about, their partners, the bodies that confer.
ROLE_KINDS: tuple[tuple[str, URIRef | None, tuple[URIRef, ...]], ...] = (
    ("hospital", HKG.Hospital, (HKG.recipient, ORG.member)),
    ("partner", HKG.Institution, (ORG.organization,)),
    ("issuer", HKG.Institution, (HKG.issuer,)),
)

#: Everything else gets its kind from its class (first match wins).
CLASS_KINDS: tuple[tuple[URIRef, str], ...] = (
    (HKG.Institution, "institution"),
    (HKG.Alliance, "alliance"),
    (HKG.Designation, "designation"),
    (HKG.Person, "person"),
    (HKG.OrganizationalUnit, "unit"),
    (HKG.Programme, "programme"),
    (HKG.Event, "event"),
    (HKG.Place, "place"),
)

#: A fact node itself (events are drawn as nodes, not edges).
SELF = URIRef("urn:hospital-kg:self")
HKG_NS = str(HKG._NS)


@dataclass(frozen=True)
class Relation:
    """One edge per (source, target) pair a fact of class `cls` links.

    `source` and `target` are predicates from the fact (or SELF); `cls` None
    means a plain triple `source-entity target object`, not a fact. `label`
    names the edge; for ties and posts the fact's roles name it instead.
    """

    name: str
    cls: URIRef | None
    source: URIRef
    target: URIRef
    label: URIRef
    roles: bool = False


RELATIONS: tuple[Relation, ...] = (
    Relation("conferral", HKG.Conferral, HKG.recipient, HKG.designation, HKG.hasConferral),
    Relation("issuer", HKG.Conferral, HKG.issuer, HKG.designation, HKG.issuer),
    Relation("programme", HKG.Conferral, HKG.designation, HKG.programme, HKG.programme),
    Relation("concerns", HKG.Conferral, HKG.designation, HKG.concerns, HKG.concerns),
    Relation("tie", HKG.Tie, ORG.member, ORG.organization, ORG.role, roles=True),
    Relation("post", HKG.PostHolding, ORG.heldBy, ORG.postIn, ORG.role, roles=True),
    Relation("participant", HKG.Event, HKG.participant, SELF, HKG.participatedIn),
    Relation("organizer", HKG.Event, SELF, HKG.organizer, HKG.organizer),
    Relation("venue", HKG.Event, SELF, HKG.venue, HKG.venue),
    Relation("event-concerns", HKG.Event, SELF, HKG.concerns, HKG.concerns),
    Relation("unit-of", None, ORG.unitOf, ORG.unitOf, ORG.unitOf),
    Relation("location", None, SCHEMA.location, SCHEMA.location, SCHEMA.location),
    Relation(
        "part-of", None, SCHEMA.containedInPlace, SCHEMA.containedInPlace, SCHEMA.containedInPlace
    ),
)

#: Names for terms the ontology does not label (external vocabularies).
FALLBACK_LABELS: dict[URIRef, tuple[str, str]] = {
    ORG.unitOf: ("所属机构", "unit of"),
    ORG.role: ("角色", "role"),
    SCHEMA.location: ("位于", "located in"),
    SCHEMA.containedInPlace: ("隶属", "part of"),
}


class Labels:
    """Chinese and English names of ontology terms (read by the Vocabulary) and of entities."""

    def __init__(self, graph: Graph, ontology: Graph | Vocabulary) -> None:
        self.graph = graph
        self.vocab = ontology if isinstance(ontology, Vocabulary) else Vocabulary(ontology)

    def term(self, term: URIRef) -> tuple[str, str]:
        """(zh, en) of an ontology term: skos:prefLabel or rdfs:label, else a fallback."""
        zh, en = self.vocab.names(term)
        fallback_zh, fallback_en = FALLBACK_LABELS.get(term, (local_name(term), local_name(term)))
        return (zh or fallback_zh, en or fallback_en)

    def entity(self, node: URIRef) -> tuple[str, str]:
        """(zh as written, en translation or "") of an entity in the data."""
        zh = _first(self.graph.objects(node, RDFS.label), "zh")
        en = _first(self.graph.objects(node, HKG.englishLabel), "en")
        return zh or local_name(node), en

    def most_specific(self, node: URIRef) -> URIRef:
        return self.most_specific_of(self.graph.objects(node, RDF.type))

    def most_specific_of(self, types: Iterable[Node]) -> URIRef:
        """The hkg: class among `types` with the most superclasses (types are materialised)."""
        # a class in the hkg: namespace is an IRI
        hkg_types = sorted(cast(URIRef, t) for t in types if str(t).startswith(HKG_NS))
        if not hkg_types:
            return RDFS.Resource
        return max(hkg_types, key=self.vocab.depth)

    def kind(self, kind: Kind) -> tuple[str, str]:
        if kind.term is not None and not kind.zh:
            return self.term(kind.term)
        return kind.zh, kind.en


def _first(values: Iterable, lang: str) -> str:
    texts = sorted(str(v) for v in values if isinstance(v, Literal) and v.language == lang)
    return texts[0] if texts else ""


def local_name(term: URIRef) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1] or text
    return text


def node_id(term: URIRef) -> str:
    """The key of `term`'s node in the network: its prefixed name (inst:jiaozuo-mch)."""
    names = Graph()
    bind_prefixes(names)
    return _curie_function(names)(term)


def entity_network(graph: Graph, ontology: Graph | Vocabulary | None = None) -> nx.MultiDiGraph:
    """Entities and the facts between them as a directed multigraph.

    `ontology` supplies the names of kinds, relations and concepts; without it
    they are read from `graph` (pass a graph that includes the ontology).
    Nodes are keyed by prefixed name (`inst:jiaozuo-mch`), edges by
    `fact|source|target`. Entities that no fact or link touches are left out.
    """
    ontology = graph if ontology is None else ontology
    labels = Labels(graph, ontology)
    names = Graph()
    bind_prefixes(names)
    curie = _curie_function(names)
    facts = FactReader(graph, labels)
    net: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for relation in RELATIONS:
        for fact, source, target in _links(graph, relation):
            _add_edge(net, graph, labels, facts, curie, relation, fact, source, target)
    kinds = _kinds(graph, net.nodes, curie)
    for node, data in net.nodes(data=True):
        iri = data["iri"]
        data["kind"] = kinds[node]
        data["label_zh"], data["label_en"] = labels.entity(iri)
        data["class_zh"], data["class_en"] = labels.term(labels.most_specific(iri))
        data["alt_names"] = sorted(str(n) for n in graph.objects(iri, SCHEMA.alternateName))
        if (iri, RDF.type, HKG.Fact) in graph:
            data.update(facts.details(iri))
    return sorted_copy(net)


def require_entities(net: nx.MultiDiGraph, triples: int, source: Path | str, task: str) -> None:
    """Refuse an entity network with no nodes: an empty page or table would look like an
    answer. `triples` says whether the graph was empty or in another vocabulary."""
    if net.number_of_nodes():
        return
    plural = "" if triples == 1 else "s"
    found = (
        "the graph is empty"
        if not triples
        else f"no hospital-kg facts or entities among its {triples:,} triple{plural} "
        "(is it in another vocabulary, or the ontology alone?)"
    )
    raise DataError(source, None, f"{found}; nothing to {task}")


def sorted_copy(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with nodes and edges inserted in sorted order.

    rdflib's memory store iterates in hash order, which changes from run to
    run; networkx keeps insertion order, and layouts, Louvain and the writers
    follow it. Sorting here makes every output depend on the data alone.
    """
    copy: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    copy.add_nodes_from((n, net.nodes[n]) for n in sorted(net))
    # types-networkx omits the (u, v, key, data) edges that MultiGraph.add_edges_from takes
    copy.add_edges_from(
        (u, v, k, d)  # type: ignore[misc]
        for u, v, k, d in sorted(net.edges(keys=True, data=True), key=lambda e: e[2])
    )
    return copy


def _curie_function(names: Graph) -> Callable[[URIRef], str]:
    cache: dict[URIRef, str] = {}

    def curie(term: URIRef) -> str:
        if term not in cache:
            try:
                cache[term] = names.namespace_manager.curie(term, generate=False)
            except (KeyError, ValueError):
                cache[term] = str(term)
        return cache[term]

    return curie


def _links(graph: Graph, relation: Relation) -> Iterator[tuple[URIRef | None, URIRef, URIRef]]:
    """(fact, source entity, target entity) for every pair `relation` draws."""
    if relation.cls is None:
        for source, target in graph.subject_objects(relation.source):
            if isinstance(source, URIRef) and isinstance(target, URIRef):
                yield None, source, target
        return
    for fact in graph.subjects(RDF.type, relation.cls):
        if not isinstance(fact, URIRef):
            continue
        sources = _ends(graph, fact, relation.source)
        targets = _ends(graph, fact, relation.target) if sources else []
        for source in sources:
            for target in targets:
                yield fact, source, target


def _ends(graph: Graph, fact: URIRef, predicate: URIRef) -> list[URIRef]:
    if predicate == SELF:
        return [fact]
    return sorted(o for o in graph.objects(fact, predicate) if isinstance(o, URIRef))


def _add_edge(
    net: nx.MultiDiGraph,
    graph: Graph,
    labels: Labels,
    facts: FactReader,
    curie: Callable[[URIRef], str],
    relation: Relation,
    fact: URIRef | None,
    source: URIRef,
    target: URIRef,
) -> None:
    src, tgt = curie(source), curie(target)
    for node, iri in ((src, source), (tgt, target)):
        if node not in net:
            net.add_node(node, iri=iri)
    zh, en = labels.term(relation.label)
    attrs: dict = {"relation": relation.name, "label_zh": zh, "label_en": en}
    if fact is None:
        net.add_edge(src, tgt, key=f"{src}|{relation.name}|{tgt}", fact="", **attrs)
        return
    if relation.roles:
        # org:role values are concept IRIs
        roles = cast(list[URIRef], sorted(graph.objects(fact, ORG.role), key=str))
        if roles:
            attrs["label_zh"] = "、".join(labels.term(r)[0] for r in roles)
            attrs["label_en"] = ", ".join(labels.term(r)[1] for r in roles)
    attrs.update(facts.details(fact))
    net.add_edge(src, tgt, key=f"{curie(fact)}|{src}|{tgt}", fact=curie(fact), **attrs)


class FactReader:
    """What a hover shows for a fact: its class, qualifiers, date and evidence.

    One `predicate_objects` pass per fact and per evidence node, cached: a
    fact drawn as several edges (an event, a conferral with its issuer) is
    read once, which matters at a million triples.
    """

    def __init__(self, graph: Graph, labels: Labels) -> None:
        self.graph = graph
        self.labels = labels
        self._facts: dict[URIRef, dict] = {}
        self._reports: dict[URIRef, tuple[str, str]] = {}

    def _properties(self, node: URIRef) -> dict[Node, list]:
        props: dict[Node, list] = defaultdict(list)
        for p, o in self.graph.predicate_objects(node):
            props[p].append(o)
        return props

    def details(self, fact: URIRef) -> dict:
        if fact in self._facts:
            return self._facts[fact]
        labels = self.labels
        props = self._properties(fact)
        details: dict = {}
        details["fact_zh"], details["fact_en"] = labels.term(
            labels.most_specific_of(props[RDF.type])
        )
        for key, prop in (("level", HKG.level), ("batch", HKG.batch), ("status", HKG.status)):
            values = sorted(v for v in props.get(prop, ()) if isinstance(v, URIRef))
            if values:
                details[key] = local_name(values[0])
                details[f"{key}_zh"], details[f"{key}_en"] = labels.term(values[0])
        for key, prop in (("issuer", HKG.issuer), ("programme", HKG.programme)):
            names = [labels.entity(v) for v in sorted(props.get(prop, ()), key=str)]
            if names:
                details[f"{key}_zh"] = "、".join(zh for zh, _ in names)
                details[f"{key}_en"] = ", ".join(en or zh for zh, en in names)
        for key, prop in (("year", HKG.year), ("month", HKG.month), ("date", HKG.date)):
            if props.get(prop):
                details[key] = str(min(props[prop]))
        branded = sorted(str(v) for v in props.get(HKG.brandedName, ()))
        if branded:
            details["branded"] = "、".join(branded)
        if fact_label := _first(props.get(RDFS.label, ()), "zh"):
            details["name_zh"] = fact_label
            details["name_en"] = _first(props.get(HKG.englishLabel, ()), "en")
        primary = next(iter(sorted(props.get(PROV.hadPrimarySource, ()))), None)
        details["evidence"] = [
            quote
            for ev in sorted(props.get(PROV.wasDerivedFrom, ()), key=str)
            if (quote := self._evidence(ev, primary)) is not None
        ]
        self._facts[fact] = details
        return details

    def _evidence(self, ev: URIRef, primary: URIRef | None) -> dict[str, str] | None:
        """A verbatim quote with its report's title and review year."""
        props = self._properties(ev)
        if not props.get(PROV.value):
            return None
        report = next(iter(sorted(props.get(PROV.wasQuotedFrom, ()))), primary)
        title, year = self._report(report)
        return {"quote": str(props[PROV.value][0]), "report": title, "report_year": year}

    def _report(self, report: URIRef | None) -> tuple[str, str]:
        if report is None:
            return "", ""
        if report not in self._reports:
            title = _first(self.graph.objects(report, RDFS.label), "zh")
            year = self.graph.value(report, HKG.reviewYear)
            self._reports[report] = (title, "" if year is None else str(year))
        return self._reports[report]


def _kinds(graph: Graph, nodes: NodeView[str], curie: Callable[[URIRef], str]) -> dict[str, str]:
    """Kind of each node: by role for institutions, else by class (see the tables)."""
    by_role: dict[Node, set[str]] = defaultdict(set)
    for _, _, predicates in ROLE_KINDS:
        for predicate in predicates:
            for entity in graph.objects(None, predicate):
                by_role[entity].add(str(predicate))
    kinds: dict[str, str] = {}
    for node, data in nodes(data=True):
        iri = data["iri"]
        types = set(graph.objects(iri, RDF.type))
        kinds[node] = _kind_of(types, by_role.get(iri, set()))
    return kinds


def _kind_of(types: set, roles: set[str]) -> str:
    for kind, cls, predicates in ROLE_KINDS:
        if cls in types and any(str(p) in roles for p in predicates):
            return kind
    for cls, kind in CLASS_KINDS:
        if cls in types:
            return kind
    return "institution"
