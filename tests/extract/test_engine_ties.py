"""Ties: alliance memberships and partnerships, with their roles."""

from __future__ import annotations

import pytest

from tests.extract.engine_helpers import HOSPITAL, facts, objects, one


@pytest.mark.parametrize(
    ("item", "kind", "obj", "role"),
    [
        ("- 东湖大学附属儿童医院协作医院", "partnership", "东湖大学附属儿童医院", "协作医院"),
        ("- 南岭医科大学教学医院", "partnership", "南岭医科大学", "教学医院"),
        ("- 南岭医科大学附属医院", "partnership", "南岭医科大学", "附属医院"),
        (
            "- 华东妇产科专科联盟副理事长单位",
            "alliance-membership",
            "华东妇产科专科联盟",
            "副理事长单位",
        ),
        (
            "- 青州市妇幼健康医联体牵头单位",
            "alliance-membership",
            "青州市妇幼健康医联体",
            "牵头单位",
        ),
        ("- 长三角儿童医疗集团成员单位", "alliance-membership", "长三角儿童医疗集团", "成员单位"),
    ],
)
def test_role_words_after_a_name(item: str, kind: str, obj: str, role: str) -> None:
    c = one(facts(f"{item}\n"), kind, obj)
    assert (c.role, c.status, c.subject) == (role, "granted", HOSPITAL)


def test_copula_lists_of_ties() -> None:
    found = facts("医院是南岭医科大学附属医院、东湖大学医学院教学医院，常年开展带教。")
    assert one(found, "partnership", "南岭医科大学").role == "附属医院"
    assert one(found, "partnership", "东湖大学医学院").role == "教学医院"


def test_the_verb_lead_gives_the_lead_role() -> None:
    found = facts("2022年3月，医院牵头成立青州市新生儿专科联盟，吸纳8家医疗机构。")
    c = one(found, "alliance-membership", "青州市新生儿专科联盟")
    assert (c.role, c.year) == ("牵头单位", 2022)


def test_joining_with_a_role_said_before_or_after() -> None:
    found = facts(
        "5月，医院作为常务理事单位加入华东儿科专科联盟。"
        "7月，医院正式加入东方儿童健康研究中心，成为该中心理事单位。"
    )
    assert one(found, "alliance-membership", "华东儿科专科联盟").role == "常务理事单位"
    assert one(found, "alliance-membership", "东方儿童健康研究中心").role == "理事单位"


def test_member_lists_make_each_member_the_subject() -> None:
    text = (
        "华东新生儿专科联盟在青州成立\n\n"
        "本报讯 2023年4月2日，华东新生儿专科联盟在青州成立。"
        "青州市妇幼保健院为牵头单位；临江县妇幼保健院、白沙县人民医院为理事单位；"
        "东山县妇幼保健院为成员单位。"
    )
    found = facts(text)
    roles = {(c.subject, c.role) for c in found if c.kind == "alliance-membership"}
    assert roles == {
        (HOSPITAL, "牵头单位"),
        ("临江县妇幼保健院", "理事单位"),
        ("白沙县人民医院", "理事单位"),
        ("东山县妇幼保健院", "成员单位"),
    }
    assert {c.year for c in found if c.kind == "alliance-membership"} == {2023}


def test_members_listed_after_the_alliance_is_formed() -> None:
    found = facts(
        "医院牵头组建青州市妇幼专科医联体，成员单位包括临江县妇幼保健院、白沙县妇幼保健院等9家机构。"
    )
    members = {c.subject for c in found if c.role == "成员单位"}
    assert members == {"临江县妇幼保健院", "白沙县妇幼保健院"}


def test_referents_name_the_partner() -> None:
    found = facts(
        "9月，经南岭医科大学批准，医院成为该校教学医院。"
        "10月，医院与东湖大学附属儿童医院签署协议，成为该院儿童心血管专科协作医院。"
    )
    assert one(found, "partnership", "南岭医科大学").role == "教学医院"
    assert one(found, "partnership", "东湖大学附属儿童医院").role == "协作医院"


def test_joint_building_without_a_plaque_is_a_partnership() -> None:
    found = facts("医院与东湖大学附属儿童医院（以下简称“东湖儿院”）合作共建签约仪式在院内举行。")
    assert one(found, "partnership", "东湖大学附属儿童医院").role == "合作共建"


def test_joint_building_of_a_named_centre_is_co_branding() -> None:
    found = facts("6月8日，医院与东湖大学附属儿童医院合作共建“东湖儿院青州诊疗中心”。")
    c = one(found, "co-branding", "东湖儿院青州诊疗中心")
    assert (c.role, c.extra["partner"], c.year) == ("挂牌", "东湖大学附属儿童医院", None)
    assert "partnership" not in {f.kind for f in found}


def test_a_plaque_with_a_declared_short_name_in_it() -> None:
    found = facts(
        "医院与东湖大学附属儿童医院（以下简称“东湖儿院”）签署协议，并共同为“东湖儿院青州分中心”揭牌。"
    )
    c = one(found, "co-branding", "东湖儿院青州分中心")
    assert c.extra["partner"] == "东湖大学附属儿童医院"


def test_management_and_the_managed_hospitals_plaque() -> None:
    found = facts(
        "同日，医院正式托管临江县妇幼保健院。临江县妇幼保健院同步挂牌“青州市妇幼保健院临江分院”。"
    )
    managed = one(found, "partnership", "临江县妇幼保健院")
    assert (managed.subject, managed.role) == (HOSPITAL, "托管")
    plaque = one(found, "co-branding", "青州市妇幼保健院临江分院")
    assert (plaque.subject, plaque.extra["partner"]) == ("临江县妇幼保健院", HOSPITAL)


def test_a_plaque_without_a_partner_is_a_designation() -> None:
    found = facts("同月，医院挂牌“青州市儿童听力筛查中心”。")
    assert one(found, "designation", "青州市儿童听力筛查中心").level == "municipal"


def test_cooperation_in_preparation() -> None:
    c = one(facts("医院积极筹备与南岭医科大学等高校合作。"), "partnership", "南岭医科大学")
    assert (c.role, c.status) == ("合作", "in-preparation")


def test_governments_only_sign() -> None:
    found = facts("医院与临江县人民政府签订托管协议。")
    assert not objects(found, "partnership")
