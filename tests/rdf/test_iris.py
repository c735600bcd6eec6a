"""IRIs of the data: one namespace per section, evidence numbered from its fact's id."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from graph_builder.ingest.record_schema import SECTIONS
from graph_builder.rdf.iris import (
    SECTION_NAMESPACES,
    dataset_iri,
    entity_iri,
    evidence_iri,
    fact_iri,
    place_iri,
    report_iri,
)
from graph_builder.rdf.namespaces import BASE, HKG, INST, PERSON


def test_every_section_has_its_own_namespace() -> None:
    assert set(SECTION_NAMESPACES) == set(SECTIONS)
    assert len(set(SECTION_NAMESPACES.values())) == len(SECTIONS)
    assert entity_iri("institutions", "jiaozuo-mch") == INST["jiaozuo-mch"]
    assert entity_iri("people", "li-xiaohong") == PERSON["li-xiaohong"]


def test_iris_are_readable_paths_under_the_base() -> None:
    assert str(place_iri("henan")) == BASE + "id/place/henan"
    assert str(report_iri("jiaozuo-mch-2024")) == BASE + "id/report/jiaozuo-mch-2024"
    assert str(fact_iri("x")) == BASE + "id/fact/x"
    assert str(dataset_iri()) == BASE + "id/dataset"


def test_the_first_evidence_has_the_id_and_later_ones_a_suffix() -> None:
    assert str(evidence_iri("x")) == BASE + "id/evidence/x"
    assert evidence_iri("x", 1) == evidence_iri("x")
    assert str(evidence_iri("x", 2)) == BASE + "id/evidence/x-2"
    assert str(evidence_iri("x", 3)) == BASE + "id/evidence/x-3"


def test_a_fact_with_two_quotes_has_two_evidence_nodes(graph: Graph) -> None:
    fact = fact_iri("jiaozuo-childcare-centre")
    assert set(graph.objects(fact, PROV.wasDerivedFrom)) == {
        evidence_iri("jiaozuo-childcare-centre", 1),
        evidence_iri("jiaozuo-childcare-centre", 2),
    }


def test_the_built_graph_uses_these_iris(graph: Graph) -> None:
    assert (dataset_iri(), RDF.type, HKG.Dataset) in graph
    assert (report_iri("jiaozuo-mch-2024"), RDF.type, HKG.Report) in graph
    assert (place_iri("jiaozuo"), RDF.type, HKG.City) in graph
    reports = set(graph.subjects(RDF.type, HKG.Report))
    assert reports == {report_iri("changzhi-mch-2023"), report_iri("jiaozuo-mch-2024")}
    assert all(isinstance(r, URIRef) for r in reports)
