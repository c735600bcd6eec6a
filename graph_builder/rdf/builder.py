"""Turns a checked `Dataset` into an RDF graph: entities, n-ary facts, evidence.

Only IRIs, no blank nodes, so the same data always gives the same triples.
Inverse links declared with owl:inverseOf in the ontology are materialised,
so a plain triple store can walk from a hospital to all its facts.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from graph_builder.ingest.authority import canonical_place, source_term
from graph_builder.ingest.loader import load_dataset
from graph_builder.ingest.model import Canonical, Dataset, Entity, Fact, Place, Report, Span
from graph_builder.ingest.record_schema import FACT_TYPES, SECTIONS
from graph_builder.project import Project
from graph_builder.rdf.iris import (
    agent_iri,
    curation_iri,
    dataset_iri,
    entity_iri,
    evidence_iri,
    fact_iri,
    place_iri,
    report_iri,
)
from graph_builder.rdf.namespaces import HKG, HKV, SCHEMA, WIKIDATA, bind_prefixes
from graph_builder.rdf.vocabulary import Vocabulary, load_ontology


def build_graph(project: Project | None = None, ontology: Graph | None = None) -> Graph:
    """Load the project's data and return the data graph (no ontology).

    `ontology`: the project's ontology if the caller has parsed it already.
    """
    project = project or Project.find()
    vocab = Vocabulary(load_ontology(project.ontology) if ontology is None else ontology)
    dataset = load_dataset(project.data_dir, vocab, project.root)
    return GraphBuilder(vocab).build(dataset)


class GraphBuilder:
    """Emits one dataset into a fresh graph; the vocabulary says which superclasses
    and inverse links to materialise."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.graph = Graph()
        bind_prefixes(self.graph)

    def build(self, dataset: Dataset) -> Graph:
        self._dataset(dataset)
        for place in dataset.places.values():
            self._place(place)
        for report in dataset.reports.values():
            self._report(report, dataset)
        merged = self._canonicals(dataset)
        for entity in dataset.entities.values():
            self._entity(entity, dataset, merged)
        for fact in dataset.facts:
            self._fact(fact, dataset)
        self._inverses()
        return self.graph

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))

    def _types(self, iri: URIRef, *classes: URIRef) -> None:
        for cls in classes:
            for sup in self.vocab.superclasses(cls):
                self.add(iri, RDF.type, sup)

    def _labels(self, iri: URIRef, zh: str, en: str | None) -> None:
        self.add(iri, RDFS.label, Literal(zh, lang="zh"))
        if en:
            self.add(iri, HKG.englishLabel, Literal(en, lang="en"))

    def _evidence(self, subject: URIRef, ident: str, spans: tuple[Span, ...]) -> None:
        for n, span in enumerate(spans, start=1):
            ev = evidence_iri(ident, n)
            self._types(ev, HKG.Evidence)
            self.add(ev, PROV.value, Literal(span.quote, lang="zh"))
            self.add(ev, PROV.wasQuotedFrom, report_iri(span.report))
            self.add(ev, HKG.startOffset, Literal(span.start))
            self.add(ev, HKG.endOffset, Literal(span.end))
            self.add(subject, PROV.wasDerivedFrom, ev)

    def _dataset(self, dataset: Dataset) -> None:
        iri = dataset_iri()
        self._types(iri, HKG.Dataset)
        self.add(iri, DCTERMS.title, Literal("hospital-kg", lang="en"))
        self.add(
            iri,
            DCTERMS.description,
            Literal(
                "Accreditations, designations, alliances and partnerships of Chinese hospitals, "
                "each fact with its verbatim evidence. Chinese labels are as written in the "
                "sources; hkg:englishLabel values are curators' translations.",
                lang="en",
            ),
        )
        self.add(iri, RDFS.comment, Literal(f"Places: {dataset.place_source}", lang="en"))
        for report_id in dataset.reports:
            self.add(iri, DCTERMS.source, report_iri(report_id))

    def _place(self, place: Place) -> None:
        iri = place_iri(place.id)
        self._types(iri, place.kind)
        self._labels(iri, place.zh, place.en)
        self.add(iri, SKOS.altLabel, Literal(place.short, lang="zh"))
        self.add(iri, HKG.divisionCode, Literal(place.code))
        if place.parent:
            self.add(iri, SCHEMA.containedInPlace, place_iri(place.parent))

    def _report(self, report: Report, dataset: Dataset) -> None:
        iri = report_iri(report.id)
        self._types(iri, HKG.Report)
        self._labels(iri, report.title, report.title_en)
        self.add(iri, DCTERMS.title, Literal(report.title, lang="zh"))
        if report.subtitle:
            self.add(iri, SCHEMA.alternativeHeadline, Literal(report.subtitle, lang="zh"))
        if report.review_year is not None:
            self.add(iri, HKG.reviewYear, Literal(report.review_year))
        self.add(iri, DCTERMS.language, Literal(report.language))
        self.add(iri, HKG.sourceFile, Literal(report.source_file))
        self.add(iri, HKG.sha256, Literal(report.sha256))
        if report.subject is not None:
            self.add(iri, SCHEMA.about, self._entity_iri(report.subject, dataset))
        if report.date is not None:  # the day it was published: xsd:date
            self.add(iri, DCTERMS.date, Literal(report.date))
        if report.url is not None:
            self.add(iri, SCHEMA["url"], Literal(report.url, datatype=XSD.anyURI))
        for people, predicate in (
            (report.reporters, DCTERMS.creator),
            (report.photographers, HKG.photographer),
        ):
            for person in people:
                self.add(iri, predicate, self._entity_iri(person, dataset))

    @staticmethod
    def _entity_iri(ident: str, dataset: Dataset) -> URIRef:
        """The entity's IRI: its canonical institution's when the authority file has it."""
        return entity_iri(dataset.entities[ident].section, dataset.resolved(ident))

    def _canonicals(self, dataset: Dataset) -> set[str]:
        """Emit each canonical institution some report mentions; the ids of the report
        entities merged into one (their names become skos:altLabel)."""
        authority = dataset.authority
        if not dataset.canonical or authority is None:
            return set()
        members: dict[str, list[Entity]] = {}
        for ident, target in sorted(dataset.canonical.items()):
            members.setdefault(target, []).append(dataset.entities[ident])
        curator: URIRef | None = None
        if authority.curator is not None:
            curator = agent_iri(authority.curator.id)
            self._types(curator, PROV.Agent)
            self.add(curator, FOAF.name, Literal(authority.curator.name))
            if authority.curator.url:
                self.add(curator, FOAF.homepage, URIRef(authority.curator.url))
        for target, entities in sorted(members.items()):
            self._canonical(authority.records[target], entities, dataset, curator)
        return set(dataset.canonical)

    def _canonical(
        self,
        record: Canonical,
        entities: list[Entity],
        dataset: Dataset,
        curator: URIRef | None,
    ) -> None:
        iri = entity_iri(record.section, record.id)
        kinds = [k for entity in entities for k in entity.kinds]
        self._types(iri, SECTIONS[record.section].base, *record.kinds, *kinds)
        english = record.en or next((e.en for e in entities if e.en), "")
        self._labels(iri, record.zh, english)
        place = canonical_place(record, entities, dataset.places)
        if place:
            self.add(iri, SCHEMA.location, place_iri(place))
        if record.uscc:
            self.add(iri, HKG.unifiedSocialCreditCode, Literal(record.uscc))
        if record.wikidata:
            self.add(iri, SCHEMA.sameAs, URIRef(WIKIDATA + record.wikidata))
        for entity in entities:  # the names the reports wrote, each with its evidence
            if entity.zh != record.zh:
                self.add(iri, SKOS.altLabel, Literal(entity.zh, lang="zh"))
        assertions: list[tuple[str, str | None, str]] = [(record.zh, None, record.source)]
        assertions += [(name.zh, name.type, name.source) for name in record.names]
        for n, (name, name_type, source) in enumerate(assertions, start=1):
            cur = curation_iri(record.id, n)
            self._types(cur, HKG.CuratorAssertion)
            self.add(iri, HKG.curatorAssertion, cur)
            self.add(cur, HKG.assertedName, Literal(name, lang="zh"))
            if name_type is not None:
                self.add(cur, HKG.assertedNameType, HKV[name_type])
                self.add(iri, SCHEMA.alternateName, Literal(name, lang="zh"))
            self.add(cur, DCTERMS.source, source_term(source))
            if curator is not None:
                self.add(cur, PROV.wasAttributedTo, curator)

    def _entity(self, entity: Entity, dataset: Dataset, merged: set[str]) -> None:
        if entity.id in merged:  # said once, by its canonical record; keep its evidence
            iri = self._entity_iri(entity.id, dataset)
            for key, ident in entity.refs.items():
                predicate = SECTIONS[entity.section].extra[key].predicate
                self.add(iri, predicate, self._entity_iri(ident, dataset))
            self._evidence(iri, entity.id, entity.spans)
            return
        iri = entity_iri(entity.section, entity.id)
        self._types(iri, SECTIONS[entity.section].base, *entity.kinds)
        self._labels(iri, entity.zh, entity.en)
        if entity.place:
            self.add(iri, SCHEMA.location, place_iri(entity.place))
        for key, ident in entity.refs.items():
            predicate = SECTIONS[entity.section].extra[key].predicate
            self.add(iri, predicate, self._entity_iri(ident, dataset))
        self._evidence(iri, entity.id, entity.spans)

    def _fact(self, fact: Fact, dataset: Dataset) -> None:
        iri = fact_iri(fact.id)
        self._types(iri, fact.cls)
        fields = FACT_TYPES[fact.type].fields
        for key, values in fact.values.items():
            spec = fields[key]
            for value in values:
                if spec.kind in ("ref", "refs"):
                    obj: URIRef | Literal = self._entity_iri(value, dataset)
                elif spec.kind in ("concept", "concepts"):
                    obj = value
                elif spec.kind == "int":
                    obj = Literal(value)
                else:
                    obj = Literal(value, lang="en" if spec.kind == "en" else "zh")
                self.add(iri, spec.predicate, obj)
        if fact.type == "naming":
            named = self._entity_iri(fact.values["entity"][0], dataset)
            self.add(named, SCHEMA.alternateName, Literal(fact.values["name"][0], lang="zh"))
        if fact.year is not None:
            self.add(iri, HKG.year, Literal(fact.year))
        if fact.month is not None:
            self.add(iri, HKG.month, Literal(fact.month))
        if fact.date is not None:
            self.add(iri, HKG.date, Literal(fact.date))
        if fact.note:
            self.add(iri, RDFS.comment, Literal(fact.note, lang="en"))
        self.add(iri, PROV.hadPrimarySource, report_iri(fact.report))
        self._evidence(iri, fact.id, fact.spans)

    def _inverses(self) -> None:
        for prop, inverse in self.vocab.inverses().items():
            for s, o in list(self.graph.subject_objects(prop)):
                if isinstance(o, URIRef) and isinstance(s, URIRef):
                    self.add(o, inverse, s)
