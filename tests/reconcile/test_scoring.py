"""Scoring pairs made in code: vetoes, the signals and their evidence, suggestions."""

from __future__ import annotations

import pytest

from graph_builder.reconcile import Candidate, Veto, compare_entities, find_candidates, make_context
from graph_builder.reconcile.normalise import PlaceLexicon, normalise
from graph_builder.reconcile.signals import load_rules
from tests.reconcile.helpers import PLACES, dataset, entity, naming, tie


def compare(a: str, b: str, kinds: str = "Hospital", **extra) -> Candidate | Veto:
    """Two entities of two reports, names `a` and `b`."""
    ea, eb = entity("a", a, kinds, "r1"), entity("b", b, kinds, "r2")
    data = dataset([ea, eb], **extra)
    return compare_entities(ea, eb, make_context(data, load_rules()))


def signals(result: Candidate | Veto) -> dict[str, str]:
    assert isinstance(result, Candidate), result
    return {s.name: s.evidence for s in result.signals}


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("甲县人民医院", "乙县人民医院", "place"),
        ("长治市妇幼保健院", "焦作市妇幼保健院", "place"),  # two cities of places.yaml
        ("襄阳市妇幼保健院", "十堰市妇幼保健院", "place"),  # two cities it lacks
        ("兴国县潋江妇幼保健院", "宁都县潋江妇幼保健院", "place"),
        ("国家卫生健康委员会", "湖北省卫生健康委员会", "place"),  # national / provincial
        ("国家卫健委", "省卫健委", "place"),
        ("第一人民医院", "第三人民医院", "ordinal"),
        ("焦作市第一人民医院", "焦作市第三人民医院", "ordinal"),
        ("襄阳市第一人民医院", "襄阳市第二人民医院", "ordinal"),
        ("复旦大学附属儿科医院", "首都医科大学附属儿科医院", "parent"),
    ],
)
def test_names_that_differ_in_place_ordinal_or_parent_are_never_proposed(
    a: str, b: str, reason: str
) -> None:
    result = compare(a, b)
    assert isinstance(result, Veto) and result.reason == reason, result
    assert not find_candidates(
        dataset([entity("a", a, report="r1"), entity("b", b, report="r2")]), min_score=0
    )


@pytest.mark.parametrize(
    ("a", "b", "kinds"),
    [
        ("复旦大学附属儿科医院", "复旦大学附属妇产科医院", "Hospital"),  # one parent, two hospitals
        ("复旦大学附属儿科医院专科联盟", "复旦大学附属妇产科医院专科联盟", "SpecialtyAlliance"),
        ("襄阳市中心医院", "襄阳市中医医院", "Hospital"),
        ("焦作市人民医院", "焦作市妇幼保健院", "Hospital"),
        ("湖北文理学院", "湖北医药学院", "UniversityOrCollege"),
        ("十堰市人民医院", "十堰市武当妇女儿童医院", "Hospital"),
        ("北京儿童医院", "北京儿童医院保定医院", "ChildrensHospital"),  # named after it
    ],
)
def test_different_institutions_of_one_place_or_parent_are_not_proposed(
    a: str, b: str, kinds: str
) -> None:
    result = compare(a, b, kinds)
    assert not isinstance(result, Candidate) or result.score < load_rules().min_score, result


def test_kinds_of_different_families_are_never_proposed() -> None:
    ea = entity("a", "长治医学院", "UniversityOrCollege", "r1")
    eb = entity("b", "长治医学院附属医院", "Hospital", "r2")
    result = compare_entities(ea, eb, make_context(dataset([ea, eb]), load_rules()))
    assert isinstance(result, Veto) and result.reason == "kind"


def test_a_short_name_inside_the_full_one_is_proposed() -> None:
    """rapidfuzz gives 阜外医院 / 中国医学科学院阜外医院 53: containment finds it."""
    found = signals(compare("阜外医院", "中国医学科学院阜外医院"))
    assert found["containment"] == "阜外医院 in 中国医学科学院阜外医院"


def test_a_place_written_without_its_level_word_is_the_same_place() -> None:
    found = signals(compare("十堰市武当妇女儿童医院", "十堰武当妇女儿童医院"))
    assert found["same_place"] == "same city: 十堰"
    assert "core 武当 = 武当" in found["name"]


def test_short_forms_are_written_out() -> None:
    found = signals(compare("国家卫健委", "国家卫生健康委员会", "GovernmentBody"))
    assert found["containment"] == "国家卫健委 in 国家卫生健康委员会" or "name" in found
    assert "卫生健康委员会" in found["name"]


def test_an_abbreviation_is_a_signal() -> None:
    found = signals(compare("复旦儿科", "复旦大学附属儿科医院", "ChildrensHospital"))
    assert found["abbreviation"] == "复旦儿科 abbreviates 复旦大学儿科医院"


def test_a_city_within_its_province() -> None:
    """郑州 is in 河南 (places.yaml): not a contradiction, a weaker place signal."""
    found = signals(compare("河南省儿童医院", "郑州儿童医院", "ChildrensHospital"))
    assert found["place_within"] == "郑州 is in 河南"
    assert found["same_kind"] == "ChildrensHospital"


def test_located_in_places_a_name_without_one() -> None:
    """The curator's `located_in` counts: 儿童医院 in 长治 and 儿童医院 in 焦作 differ."""
    ea = entity("a", "市儿童医院", "ChildrensHospital", "r1", place="changzhi")
    eb = entity("b", "市儿童医院", "ChildrensHospital", "r2", place="jiaozuo")
    result = compare_entities(ea, eb, make_context(dataset([ea, eb]), load_rules()))
    assert isinstance(result, Veto) and result.reason == "place"


def test_shared_partners_are_evidence() -> None:
    ea = entity("a", "十堰市武当妇女儿童医院", "MaternalAndChildHealthHospital", "r1")
    eb = entity("b", "十堰武当妇女儿童医院", "MaternalAndChildHealthHospital", "r2")
    alliance = entity("c", "鄂西北新生儿专科联盟", "SpecialtyAlliance", "r1")
    facts = [tie("t1", "a", "c", "r1"), tie("t2", "b", "c", "r2")]
    data = dataset([ea, eb, alliance], facts)
    found = signals(compare_entities(ea, eb, make_context(data, load_rules())))
    assert found["shared_partners"] == "c (鄂西北新生儿专科联盟)"


def test_two_entities_of_one_report_only_when_one_name_contains_the_other() -> None:
    same = [entity("a", "十堰市武当妇女儿童医院"), entity("b", "十堰市武当妇幼保健院")]
    context = make_context(dataset(same), load_rules())
    result = compare_entities(*same, context)
    assert isinstance(result, Veto) and result.reason == "same-report"
    inside = [entity("a", "阜外医院"), entity("b", "中国医学科学院阜外医院")]
    context = make_context(dataset(inside), load_rules())
    assert isinstance(compare_entities(*inside, context), Candidate)


def test_a_naming_fact_makes_the_other_name_known() -> None:
    ea = entity("a", "长治市妇幼保健院", "MaternalAndChildHealthHospital", "r1", place="changzhi")
    eb = entity("b", "长治市儿童医院", "ChildrensHospital", "r2", place="changzhi")
    facts = [naming("n1", "a", "长治市儿童医院", "r1")]
    found = signals(compare_entities(ea, eb, make_context(dataset([ea, eb], facts), load_rules())))
    assert found["known_name"] == "长治市儿童医院: naming fact n1"


def test_another_name_without_a_place_is_in_the_entity_s_place() -> None:
    """长治市妇幼保健院, also called 妇儿医院, is not 焦作市妇儿医院."""
    ea = entity("a", "长治市妇幼保健院", "MaternalAndChildHealthHospital", "r1")
    eb = entity("b", "焦作市妇儿医院", "MaternalAndChildHealthHospital", "r2")
    facts = [naming("n1", "a", "妇儿医院", "r1")]
    result = compare_entities(ea, eb, make_context(dataset([ea, eb], facts), load_rules()))
    assert isinstance(result, Veto) and result.reason == "place", result


def test_merged_pairs_are_not_listed_and_suggestions_name_the_record() -> None:
    ea = entity("henan", "河南省儿童医院", "ChildrensHospital", "r1", place="henan")
    eb = entity("zz", "郑州儿童医院", "ChildrensHospital", "r2", place="zhengzhou")
    ec = entity("zz2", "郑州市儿童医院", "ChildrensHospital", "r3", place="zhengzhou")
    data = dataset([ea, eb, ec])
    merged = type(data)(**{**data.__dict__, "canonical": {"henan": "henan", "zz": "henan"}})
    found = find_candidates(merged, min_score=0)
    assert {(c.a.id, c.b.id) for c in found} == {("henan", "zz2"), ("zz", "zz2")}
    for candidate in found:
        assert candidate.a.canonical == "henan" and candidate.b.canonical is None
        assert candidate.suggestion == (
            "add to names of henan: - {zh: 郑州市儿童医院, source: <cite yours>}"
        )


def test_report_limit_and_order() -> None:
    names = ["十堰市武当妇女儿童医院", "十堰武当妇女儿童医院", "武当妇女儿童医院", "阜外医院"]
    ents = [entity(f"e{n}", name, report=f"r{n}") for n, name in enumerate(names)]
    ents.append(entity("e9", "中国医学科学院阜外医院", report="r9"))
    data = dataset(ents)
    every = find_candidates(data, min_score=0)
    assert [c.score for c in every] == sorted((c.score for c in every), reverse=True)
    assert len(every) == 4
    assert [(c.a.id, c.b.id) for c in find_candidates(data, report="r9")] == [("e3", "e9")]
    assert find_candidates(data, min_score=0, limit=2) == every[:2]
    assert all(c.score >= 90 for c in find_candidates(data, min_score=90))


@pytest.mark.parametrize(
    ("name", "places", "parent", "suffix", "core"),
    [
        ("河南省焦作市妇幼保健院", ["河南", "焦作"], "", "妇幼保健院", ""),
        ("十堰市武当妇女儿童医院", ["十堰"], "", "妇女儿童医院", "武当"),
        ("复旦大学附属儿科医院", [], "复旦大学", "儿科医院", ""),
        ("首都医科大学附属北京儿童医院", ["北京"], "首都医科大学", "儿童医院", ""),
        ("章江妇儿医院", [], "", "妇女儿童医院", "章江"),
        ("省卫健委", [], "", "卫生健康委员会", ""),
        ("甲县人民医院", ["甲"], "", "人民医院", ""),
    ],
)
def test_names_taken_apart(name, places, parent, suffix, core) -> None:
    lexicon = PlaceLexicon.of(
        {
            **PLACES,
            "beijing": PLACES["henan"].__class__(
                "beijing", PLACES["henan"].kind, "110000", "北京市", "北京", "Beijing", None
            ),
        }
    )
    form = normalise(name, lexicon, load_rules().names)
    assert [p.key for p in form.places] == places
    assert (form.parent, form.suffix, form.core) == (parent, suffix, core)
