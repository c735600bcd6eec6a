"""SHACL shapes conform on the real graph and each fires on a crafted bad fact;
the OWL reasoner finds the real graph consistent and a contradiction inconsistent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graph_builder.rdf.namespaces import (
    ALLIANCE,
    EVIDENCE,
    FACT,
    HKG,
    INST,
    ORG,
    PLACE,
    REPORT,
    SCHEMA,
)
from graph_builder.rdf.validate import check_owl, check_shacl
from tests.conftest import run_cli

Mutation = Callable[[Graph], None]


def _drop(s: URIRef, p: URIRef) -> Mutation:
    return lambda g: g.remove((s, p, None))


def _set(s: URIRef, p: URIRef, o) -> Mutation:
    return lambda g: g.set((s, p, o))


# shape -> (focus node, how to break it)
BREAKS: dict[str, tuple[URIRef, Mutation]] = {
    # (an English label may be absent: extracted entities have none until a curator gives one)
    "hks:EntityShape": (
        INST["fuwai-hospital"],
        _set(INST["fuwai-hospital"], HKG.englishLabel, Literal("Fuwai", lang="fr")),
    ),
    "hks:PlaceShape": (PLACE["henan"], _set(PLACE["henan"], HKG.divisionCode, Literal("4100"))),
    "hks:CityShape": (PLACE["jiaozuo"], _drop(PLACE["jiaozuo"], SCHEMA.containedInPlace)),
    "hks:ReportShape": (
        REPORT["jiaozuo-mch-2024"],
        _set(REPORT["jiaozuo-mch-2024"], HKG.sha256, Literal("not-a-digest")),
    ),
    "hks:EvidenceShape": (
        EVIDENCE["changzhi-grade-3a"],
        _set(EVIDENCE["changzhi-grade-3a"], HKG.endOffset, Literal(10_000)),
    ),
    "hks:FactShape": (
        FACT["changzhi-newborn-care-specialty"],
        _drop(
            FACT["changzhi-newborn-care-specialty"],
            URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
        ),
    ),
    "hks:ConferralShape": (
        FACT["changzhi-twin-pregnancy-centre"],
        _drop(FACT["changzhi-twin-pregnancy-centre"], HKG.status),
    ),
    "hks:TieShape": (
        FACT["changzhi-furong-council-member"],
        _drop(FACT["changzhi-furong-council-member"], ORG.role),
    ),
    "hks:AllianceMembershipShape": (
        FACT["changzhi-mch-consortium-lead"],
        _set(
            FACT["changzhi-mch-consortium-lead"],
            ORG.organization,
            INST["shanxi-medical-university"],
        ),
    ),
    "hks:PartnershipShape": (
        FACT["changzhi-fudan-collaborating-hospital"],
        _set(
            FACT["changzhi-fudan-collaborating-hospital"],
            ORG.organization,
            ALLIANCE["chd-integrated-alliance"],
        ),
    ),
    "hks:PostHoldingShape": (
        FACT["jiaozuo-president-li-xiaohong"],
        _set(FACT["jiaozuo-president-li-xiaohong"], ORG.heldBy, INST["jiaozuo-mch"]),
    ),
    "hks:EventShape": (
        FACT["changzhi-chd-alliance-launch"],
        _drop(FACT["changzhi-chd-alliance-launch"], HKG.participant),
    ),
    "hks:NamingShape": (
        FACT["changzhi-name-obstetrics-hospital"],
        _drop(FACT["changzhi-name-obstetrics-hospital"], HKG.nameType),
    ),
}
# A second FactShape rule: year and date must agree.
DATE_CLASH = (
    FACT["jiaozuo-pgt-qualification"],
    _set(FACT["jiaozuo-pgt-qualification"], HKG.year, Literal(2023)),
)


def test_real_graph_conforms(project, ontology: Graph, graph: Graph) -> None:
    report = check_shacl(graph, ontology, project.shapes)
    assert report.conforms, [str(v) for v in report.violations]


def test_every_shape_is_tested(project) -> None:
    shapes = Graph().parse(project.shapes)
    declared = {
        shapes.namespace_manager.normalizeUri(s) for s in shapes.subjects(RDF.type, SH.NodeShape)
    }
    assert declared == set(BREAKS)


@pytest.fixture(scope="module")
def broken_report(project, ontology: Graph, graph: Graph):
    """One validation run over a graph with every crafted defect at once."""
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    for _focus, mutate in [*BREAKS.values(), DATE_CLASH]:
        mutate(broken)
    return check_shacl(broken, ontology, project.shapes)


@pytest.mark.parametrize("shape", sorted(BREAKS))
def test_shape_fires_on_its_crafted_bad_fact(broken_report, graph: Graph, shape: str) -> None:
    focus = graph.namespace_manager.normalizeUri(BREAKS[shape][0])
    assert not broken_report.conforms
    fired = {(v.shape, v.focus) for v in broken_report.violations}
    assert (shape, focus) in fired, sorted(fired)


def test_year_and_date_must_agree(broken_report, graph: Graph) -> None:
    focus = graph.namespace_manager.normalizeUri(DATE_CLASH[0])
    messages = [v.message for v in broken_report.violations if v.focus == focus]
    assert any("agree with hkg:date" in m for m in messages), messages


def test_owl_reasoner_finds_the_graph_consistent(ontology: Graph, graph: Graph) -> None:
    report = check_owl(graph, ontology)
    assert report.consistent, report.message
    assert report.dropped_literals > 0  # the xsd:date values HermiT cannot read


def test_owl_reasoner_catches_an_institution_used_as_a_designation(
    ontology: Graph, graph: Graph
) -> None:
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    # hkg:designation ranges over hkg:Designation, which is disjoint with organisations.
    broken.set((FACT["changzhi-grade-3a"], HKG.designation, INST["caae"]))
    report = check_owl(broken, ontology)
    assert not report.consistent
    assert "inconsistent" in report.message


def test_owlready2_loads_the_ontology(project, tmp_path: Path) -> None:
    import owlready2

    nt = tmp_path / "ontology.nt"
    Graph().parse(project.ontology).serialize(nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(nt.as_uri()).load()
    names = {cls.name for cls in world.classes()}
    assert {"Conferral", "AllianceMembership", "Designation", "Evidence"} <= names
    assert onto.base_iri


def test_validate_command_passes_on_the_seed_data() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SHACL: conforms" in result.stdout
    assert "OWL: consistent" in result.stdout


def test_validate_command_fails_and_lists_violations(scratch) -> None:
    places = scratch.data_dir / "reference" / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8").replace('"410800"', '"41080"'), encoding="utf-8"
    )
    result = run_cli("validate", "--root", str(scratch.root), "--no-owl")
    assert result.returncode == 1
    assert "place:jiaozuo hkg:divisionCode" in result.stdout
    assert "[hks:PlaceShape]" in result.stdout
