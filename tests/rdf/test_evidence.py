"""Every fact carries evidence that is verbatim in its report at the recorded offsets."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph_builder.rdf.namespaces import HKG


def _report_texts(project, graph: Graph) -> dict:
    return {
        report: (project.root / str(graph.value(report, HKG.sourceFile))).read_text(
            encoding="utf-8"
        )
        for report in graph.subjects(RDF.type, HKG.Report)
    }


def test_every_quote_is_found_at_its_offsets(project, graph: Graph) -> None:
    texts = _report_texts(project, graph)
    evidence = list(graph.subjects(RDF.type, HKG.Evidence))
    assert len(evidence) > 100
    for ev in evidence:
        quote = str(graph.value(ev, PROV.value))
        text = texts[graph.value(ev, PROV.wasQuotedFrom)]
        start, end = int(graph.value(ev, HKG.startOffset)), int(graph.value(ev, HKG.endOffset))
        assert text[start:end] == quote, ev


def test_every_fact_has_evidence_from_its_own_report(graph: Graph) -> None:
    facts = list(graph.subjects(RDF.type, HKG.Fact))
    assert len(facts) >= 50
    for fact in facts:
        source = graph.value(fact, PROV.hadPrimarySource)
        evidence = list(graph.objects(fact, PROV.wasDerivedFrom))
        assert evidence, fact
        assert {graph.value(ev, PROV.wasQuotedFrom) for ev in evidence} == {source}, fact


def test_chinese_labels_of_named_things_are_verbatim(project, graph: Graph) -> None:
    """As a report writes it, or, for an institution of the authority file, as the
    curator's cited source writes it (an hkg:CuratorAssertion with its dcterms:source)."""
    corpus = "".join(_report_texts(project, graph).values())
    for cls in (HKG.Institution, HKG.Alliance, HKG.Designation, HKG.Person, HKG.Programme):
        for entity in graph.subjects(RDF.type, cls):
            label = graph.value(entity, RDFS.label)
            curated = {
                graph.value(a, HKG.assertedName)
                for a in graph.objects(entity, HKG.curatorAssertion)
                if graph.value(a, DCTERMS.source) is not None
            }
            assert str(label) in corpus or label in curated, (entity, label)
    for entity, alt in graph.subject_objects(SKOS.altLabel):  # a merged node's report names
        if (entity, RDF.type, HKG.Institution) in graph:
            assert str(alt) in corpus, (entity, alt)


def test_report_hashes_match_the_text(project, graph: Graph) -> None:
    import hashlib

    for report, text in _report_texts(project, graph).items():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert str(graph.value(report, HKG.sha256)) == digest
