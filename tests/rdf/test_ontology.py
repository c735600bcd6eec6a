"""The ontology is the single source of truth for the names code and data use."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from graph_builder.rdf.namespaces import HKG
from graph_builder.rdf.vocabulary import Vocabulary


def test_every_python_constant_is_declared_in_the_ontology(project) -> None:
    ontology = Graph().parse(project.ontology)
    declared = {
        s
        for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, t)
    }
    constants = {URIRef(str(HKG._NS) + name) for name in HKG.__annotations__}
    assert constants - declared == set()


def test_vocabularies_are_read_from_the_ontology(project) -> None:
    vocab = Vocabulary(Graph().parse(project.ontology))
    assert set(vocab.concepts("levels")) == {"national", "provincial", "municipal"}
    assert {"lead", "member", "council-member", "co-branded", "teaching-hospital"} <= set(
        vocab.concepts("tie-roles")
    )
    kinds = vocab.kinds(HKG.Designation)
    assert {"HospitalGrade", "Base", "Pilot", "Centre", "Honour", "KeyLaboratory"} <= set(kinds)
    assert "Hospital" not in kinds


def test_standard_vocabularies_are_reused(project) -> None:
    text = project.ontology.read_text(encoding="utf-8")
    for prefix in ("schema:", "org:", "prov:", "skos:", "dcterms:"):
        assert f"rdfs:subClassOf {prefix}" in text or f"{prefix}" in text
    ontology = Graph().parse(project.ontology)
    assert (
        HKG.Tie,
        URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
        URIRef("http://www.w3.org/ns/org#Membership"),
    ) in ontology
