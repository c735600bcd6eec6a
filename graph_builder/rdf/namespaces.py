"""Vocabulary constants and the prefixes every graph, query and export shares.

`HKG` is a closed `DefinedNamespace`, so a typo in code fails at import time;
tests check that every term listed here is declared in ontology/hospital-kg.ttl.
"""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace
from rdflib.term import Node, URIRef

BASE = "https://w3id.org/hospital-kg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")


class HKG(DefinedNamespace):
    """hospital-kg ontology terms (ontology/hospital-kg.ttl)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Place: URIRef
    Province: URIRef
    City: URIRef
    Institution: URIRef
    Hospital: URIRef
    MaternalAndChildHealthHospital: URIRef
    Alliance: URIRef
    OrganizationalUnit: URIRef
    Person: URIRef
    Programme: URIRef
    Designation: URIRef
    Report: URIRef
    Evidence: URIRef
    Dataset: URIRef
    Fact: URIRef
    Conferral: URIRef
    Tie: URIRef
    AllianceMembership: URIRef
    Partnership: URIRef
    PostHolding: URIRef
    Event: URIRef
    Naming: URIRef
    LevelConcept: URIRef
    BatchConcept: URIRef
    StatusConcept: URIRef
    TieRole: URIRef
    PostRole: URIRef
    NameTypeConcept: URIRef
    # properties
    englishLabel: URIRef
    divisionCode: URIRef
    startOffset: URIRef
    endOffset: URIRef
    sourceFile: URIRef
    sha256: URIRef
    reviewYear: URIRef
    photographer: URIRef
    recipient: URIRef
    hasConferral: URIRef
    designation: URIRef
    issuer: URIRef
    programme: URIRef
    level: URIRef
    batch: URIRef
    status: URIRef
    count: URIRef
    rank: URIRef
    year: URIRef
    month: URIRef
    date: URIRef
    brandedName: URIRef
    participant: URIRef
    participatedIn: URIRef
    concerns: URIRef
    organizer: URIRef
    venue: URIRef
    named: URIRef
    hasNaming: URIRef
    name: URIRef
    nameType: URIRef
    CuratorAssertion: URIRef
    curatorAssertion: URIRef
    assertedName: URIRef
    assertedNameType: URIRef
    unifiedSocialCreditCode: URIRef


HKV = Namespace(BASE + "vocab/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

ID = BASE + "id/"
INST = Namespace(ID + "institution/")
ALLIANCE = Namespace(ID + "alliance/")
UNIT = Namespace(ID + "unit/")
PROGRAMME = Namespace(ID + "programme/")
PERSON = Namespace(ID + "person/")
DESIGNATION = Namespace(ID + "designation/")
PLACE = Namespace(ID + "place/")
FACT = Namespace(ID + "fact/")
EVIDENCE = Namespace(ID + "evidence/")
REPORT = Namespace(ID + "report/")
CURATION = Namespace(ID + "curation/")
AGENT = Namespace(ID + "agent/")
#: Wikidata entities, for an authority record's `wikidata` QID (schema:sameAs).
WIKIDATA = "http://www.wikidata.org/entity/"
DATASET = URIRef(ID + "dataset")

#: Prefixes bound on every graph and available, undeclared, in every query.
PREFIXES: dict[str, Namespace] = {
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "schema": SCHEMA,
    "org": ORG,
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "hkg": Namespace(str(HKG._NS)),
    "hkv": HKV,
    "inst": INST,
    "alliance": ALLIANCE,
    "unit": UNIT,
    "programme": PROGRAMME,
    "person": PERSON,
    "designation": DESIGNATION,
    "place": PLACE,
    "fact": FACT,
    "ev": EVIDENCE,
    "report": REPORT,
    "cur": CURATION,
    "agent": AGENT,
}


def bind_prefixes(graph: Graph) -> None:
    """Bind our prefixes, replacing rdflib's defaults so output is stable."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def display(graph: Graph, value: Node | None) -> str | None:
    """A term as people read it: IRIs shortened with the graph's prefixes (inst:x)."""
    if value is None:
        return None
    if isinstance(value, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(value)
        except Exception:  # pragma: no cover - IRIs rdflib cannot split
            return str(value)
    return str(value)
