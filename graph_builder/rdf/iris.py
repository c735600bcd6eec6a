"""The IRIs of the data, minted here and nowhere else.

Every IRI is a namespace of `namespaces` plus a data file's id, so the same
data always gives the same IRIs and a query can name them (inst:jiaozuo-mch).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from graph_builder.rdf.namespaces import (
    AGENT,
    ALLIANCE,
    CURATION,
    DATASET,
    DESIGNATION,
    EVIDENCE,
    FACT,
    INST,
    PERSON,
    PLACE,
    PROGRAMME,
    REPORT,
    UNIT,
)

#: The namespace of each entity section of the data files (see record_schema.SECTIONS).
SECTION_NAMESPACES: dict[str, Namespace] = {
    "institutions": INST,
    "alliances": ALLIANCE,
    "units": UNIT,
    "programmes": PROGRAMME,
    "people": PERSON,
    "designations": DESIGNATION,
}


def entity_iri(section: str, ident: str) -> URIRef:
    """An entity by its data-file section and id: institutions/jiaozuo-mch -> inst:jiaozuo-mch."""
    return SECTION_NAMESPACES[section][ident]


def place_iri(ident: str) -> URIRef:
    return PLACE[ident]


def report_iri(ident: str) -> URIRef:
    return REPORT[ident]


def fact_iri(ident: str) -> URIRef:
    return FACT[ident]


def evidence_iri(ident: str, n: int = 1) -> URIRef:
    """The n-th (from 1) quote of the entity or fact `ident`: ev:<id>, ev:<id>-2, ev:<id>-3 ..."""
    return EVIDENCE[ident if n == 1 else f"{ident}-{n}"]


def dataset_iri() -> URIRef:
    """The one dataset every build describes."""
    return DATASET


def curation_iri(ident: str, n: int) -> URIRef:
    """The n-th (from 1) assertion of the authority file about `ident`: its official name
    first, then its other names (cur:<id>-1, cur:<id>-2 ...)."""
    return CURATION[f"{ident}-{n}"]


def agent_iri(ident: str) -> URIRef:
    """A curator, as the authority file names them."""
    return AGENT[ident]
