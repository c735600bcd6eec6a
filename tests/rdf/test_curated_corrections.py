"""Corrections to the curated seed facts, after a close reading of the two reports.

Each test pins one correction on the built graph: what the report says, not what a
reading of it added (a tie counted twice, a title taken for a name, a programme taken
for a designation, an assessment taken for a conferral, a figure of speech taken for an
alliance, a level taken from the report's wording rather than the name, a place or a
name no report states).
"""

from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from graph_builder.rdf.namespaces import FACT, HKG, HKV, INST, ORG, SCHEMA

#: Any term of the ontology, for classes the code does not name (HKG is closed).
HKG_TERMS = Namespace(str(HKG._NS))


def rows(graph: Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(query)]


def quotes(graph: Graph, fact) -> set[str]:
    return {str(graph.value(ev, PROV.value)) for ev in graph.objects(fact, PROV.wasDerivedFrom)}


def test_the_peoples_hospital_campus_is_one_tie_with_both_names(graph: Graph) -> None:
    """焦作市人民医院妇女儿童院区 (挂牌 2024-09-04) and 焦作市人民医院医疗集团妇幼儿童院区 are one
    campus of 焦作市妇幼保健院 under 焦作市人民医院: one tie, both names, one date."""
    ties = rows(
        graph,
        """
        SELECT DISTINCT ?tie WHERE {
            ?tie a hkg:Tie ; org:member inst:jiaozuo-mch ; org:organization ?o .
            ?o rdfs:label ?name .
            FILTER (STRSTARTS(STR(?name), "焦作市人民医院"))
        }""",
    )
    assert ties == [(FACT["jiaozuo-peoples-hospital-campus"],)]
    tie = ties[0][0]
    assert (tie, RDF.type, HKG.Partnership) in graph
    assert graph.value(tie, ORG.organization) == INST["jiaozuo-peoples-hospital"]
    assert HKV.campus in set(graph.objects(tie, ORG.role))
    assert set(graph.objects(tie, HKG.brandedName)) == {
        Literal("焦作市人民医院妇女儿童院区", lang="zh"),
        Literal("焦作市人民医院医疗集团妇幼儿童院区", lang="zh"),
    }
    assert graph.value(tie, HKG.date).toPython() == dt.date(2024, 9, 4)
    # No tie carries a campus name but this one.
    campuses = rows(
        graph, 'SELECT ?t WHERE { ?t hkg:brandedName ?n . FILTER CONTAINS(?n, "院区") }'
    )
    assert {t for (t,) in campuses} == {tie}


def test_national_childrens_medical_centre_is_a_designation_of_bch(graph: Graph) -> None:
    """国家儿童医学中心 is a national title held by 北京儿童医院, not part of its name."""
    conferrals = rows(
        graph,
        """
        SELECT ?c ?level WHERE {
            ?c a hkg:Conferral ; hkg:recipient inst:beijing-childrens-hospital ;
               hkg:designation ?d ; hkg:level ?level .
            ?d a hkg:Designation ; rdfs:label "国家儿童医学中心"@zh .
        }""",
    )
    assert [level for _, level in conferrals] == [HKV.national]
    assert graph.value(conferrals[0][0], HKG.issuer) is None  # the report names none
    bch = INST["beijing-childrens-hospital"]
    names = {str(n) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(bch, p)}
    assert "北京儿童医院" in names and not [n for n in names if "国家儿童医学中心" in n]
    assert (bch, RDF.type, HKG_TERMS.NationalMedicalCentre) not in graph
    assert quotes(graph, bch) == {"北京儿童医院"}
    # No organisation carries a title as its name ...
    titled = rows(
        graph,
        """
        SELECT ?o WHERE {
            ?o a org:Organization ; rdfs:label ?name .
            FILTER (STRSTARTS(STR(?name), "国家儿童医学中心"))
        }""",
    )
    assert titled == []
    # ... and 国家心血管病中心, named alone on the banner, is the meeting's organiser, not
    # a title of 阜外医院 (the venue), and is not merged with it.
    launch = FACT["changzhi-chd-alliance-launch"]
    assert graph.value(launch, HKG.organizer) == INST["national-cardiovascular-centre"]
    assert graph.value(launch, HKG.venue) == INST["fuwai-hospital"]
    assert not list(graph.subjects(HKG.recipient, INST["fuwai-hospital"]))


def test_newborn_screening_study_is_membership_of_a_programme(graph: Graph) -> None:
    """全国“新生儿疾病基因筛查多中心研究项目”成员单位: a member unit of a research programme."""
    fact = FACT["changzhi-newborn-genetic-screening-study"]
    assert (fact, RDF.type, HKG.Tie) in graph
    assert (fact, RDF.type, HKG.Conferral) not in graph
    assert graph.value(fact, ORG.member) == INST["changzhi-mch"]
    assert set(graph.objects(fact, ORG.role)) == {HKV.member}
    programme = graph.value(fact, ORG.organization)
    assert (programme, RDF.type, HKG.Programme) in graph
    name = Literal("新生儿疾病基因筛查多中心研究项目", lang="zh")
    assert graph.value(programme, RDFS.label) == name
    assert quotes(graph, fact) == {"全国“新生儿疾病基因筛查多中心研究项目”成员单位"}
    conferred = rows(
        graph,
        """
        SELECT ?c WHERE {
            ?c a hkg:Conferral ; hkg:designation/rdfs:label ?name .
            FILTER CONTAINS(STR(?name), "新生儿疾病基因筛查多中心研究项目")
        }""",
    )
    assert conferred == []


def test_nccl_quality_assessment_is_an_event_with_its_outcome(graph: Graph) -> None:
    """满分通过“国家卫生部临床检验中心的室内质评”: an assessment passed, not a conferral."""
    fact = FACT["jiaozuo-nccl-quality-assessment"]
    assert (fact, RDF.type, HKG.Event) in graph
    assert (fact, RDF.type, HKG.Conferral) not in graph
    assert set(graph.objects(fact, HKG.participant)) == {INST["jiaozuo-mch"]}
    assert graph.value(fact, HKG.organizer) == INST["national-center-for-clinical-laboratories"]
    assert "满分通过“国家卫生部临床检验中心的室内质评”工作" in quotes(graph, fact)
    outcome = str(graph.value(fact, RDFS.comment))
    assert "满分通过" in outcome and "full marks" in outcome
    designations = rows(
        graph,
        """
        SELECT ?d WHERE { ?d a hkg:Designation ; rdfs:label ?name .
                          FILTER CONTAINS(STR(?name), "室内质评") }""",
    )
    assert designations == []


def test_green_consortium_circle_is_no_alliance(graph: Graph) -> None:
    """精心打造紧密协作的绿色医联体成员圈 is a figure of speech: no alliance, no tie to one."""
    named = rows(
        graph,
        'SELECT ?x WHERE { ?x rdfs:label ?name . FILTER CONTAINS(STR(?name), "绿色医联体") }',
    )
    assert named == []
    quoting = rows(
        graph,
        """
        SELECT ?fact WHERE {
            ?fact a hkg:Fact ; prov:wasDerivedFrom/prov:value ?quote .
            FILTER CONTAINS(STR(?quote), "绿色医联体成员圈")
        }""",
    )
    assert quoting == []


def test_genetics_key_lab_is_municipal_and_keeps_the_reports_claim(graph: Graph) -> None:
    """焦作市医学遗传与基因工程重点实验室 is municipal by its name; the report's 省级医研平台
    stays as what the report says (quote and note), not as the level."""
    fact = FACT["jiaozuo-genetics-key-lab"]
    assert graph.value(fact, HKG.level) == HKV.municipal
    assert any("创建省级医研平台2项" in quote for quote in quotes(graph, fact))
    assert "省级医研平台" in str(graph.value(fact, RDFS.comment))


def test_places_and_names_are_the_reports_own(graph: Graph) -> None:
    """An organisation is placed, by its location or in its English label, only in a place
    a Chinese name of it contains (as written in a report: its label, or the label of a
    report entity merged into it); every other name of an institution is in its own quote."""
    places = {
        place: (
            {str(name) for name in graph.objects(place, RDFS.label)}
            | {str(name) for name in graph.objects(place, SKOS.altLabel)},
            str(graph.value(place, HKG.englishLabel)),
        )
        for place in graph.subjects(RDF.type, HKG.Place)
    }
    unstated = []
    for entity in set(graph.subjects(RDF.type, ORG.Organization)):
        written = [
            str(name) for p in (RDFS.label, SKOS.altLabel) for name in graph.objects(entity, p)
        ]
        en = str(graph.value(entity, HKG.englishLabel) or "")
        for place, (names, place_en) in places.items():
            placed = (entity, SCHEMA.location, place) in graph or place_en in en
            if placed and not any(name in zh for name in names for zh in written):
                unstated.append((written[0], en, place_en))
    assert unstated == []
    for naming in graph.subjects(RDF.type, HKG.Naming):
        assert any(str(graph.value(naming, HKG.name)) in quote for quote in quotes(graph, naming))
