"""Conferrals: grades, designations, key labs and honours, with level, batch, status."""

from __future__ import annotations

import pytest

from tests.extract.engine_helpers import HOSPITAL, facts, objects, one


@pytest.mark.parametrize(
    ("item", "obj", "level", "batch"),
    [
        ("- 全国第三批“儿童友好示范基地”", "儿童友好示范基地", "national", "第三批"),
        ("- 国家级产前筛查特色专科", "产前筛查特色专科", "national", ""),
        ("- 浙江省首批“危重孕产妇救治中心”", "危重孕产妇救治中心", "provincial", "首批"),
        ("- 广西壮族自治区第二批“助产士培训基地”", "助产士培训基地", "provincial", "第二批"),
        (
            "- 青州市儿童保健重点专科（儿童眼保健科）",
            "青州市儿童保健重点专科（儿童眼保健科）",
            "municipal",
            "",
        ),
        (
            "- 中国医师协会“住院医师规范化培训示范基地”",
            "住院医师规范化培训示范基地",
            "national",
            "",
        ),
        ("- 省卫健委首批“母乳喂养示范单位”", "母乳喂养示范单位", "provincial", "首批"),
    ],
)
def test_list_items_give_level_and_batch(item: str, obj: str, level: str, batch: str) -> None:
    c = one(facts(f"医院荣誉\n\n{item}\n"), "designation", obj)
    assert (c.level, c.batch, c.status, c.subject) == (level, batch, "granted", HOSPITAL)
    assert c.year is None  # an undated list item


def test_issuer_is_kept_and_a_hospital_issuer_gives_no_level() -> None:
    found = facts(
        "- 国家卫生健康委人才交流服务中心“适宜技术推广基地”\n- 东湖大学附属医院“星光计划”随访基地\n"
    )
    national = one(found, "designation", "适宜技术推广基地")
    assert national.level == "national"
    assert national.extra["issuer"] == "国家卫生健康委人才交流服务中心"
    hospital_issued = one(found, "designation", "星光计划随访基地")
    assert hospital_issued.level == ""


def test_two_names_under_one_prefix() -> None:
    found = facts(
        "- 青州市新生儿救护中心和儿童急救中心\n- 浙江省首批“护理培训基地”和“药师培训基地”\n"
    )
    assert one(found, "designation", "儿童急救中心").level == "municipal"
    assert one(found, "designation", "药师培训基地").batch == "首批"


def test_grade_is_written_compositionally_and_aliases_follow_it() -> None:
    found = facts("- 三级甲等妇幼保健院（青州市妇产医院 青州市儿童医院）\n")
    grade = one(found, "grade", "三级甲等")
    assert grade.status == "granted"
    assert objects(found, "alias") == {"青州市妇产医院", "青州市儿童医院"}


def test_grade_in_prose_takes_its_sentence_year() -> None:
    found = facts("医院始建于1962年。2020年，医院顺利通过三级甲等妇幼保健院评审。")
    assert one(found, "grade", "三级甲等").year == 2020


@pytest.mark.parametrize(
    ("sentence", "obj", "kind", "level"),
    [
        (
            "6月，医院获批“青州市出生缺陷防治重点实验室”。",
            "青州市出生缺陷防治重点实验室",
            "key-lab",
            "municipal",
        ),
        (
            "医院成功入选第二批“全国妇幼健康科普基地”。",
            "全国妇幼健康科普基地",
            "designation",
            "national",
        ),
        ("医院被评为“浙江省巾帼文明岗”。", "浙江省巾帼文明岗", "honour", "provincial"),
        ("医院荣获“青州市五一劳动奖状”。", "青州市五一劳动奖状", "honour", "municipal"),
        ("医院建有浙江省母胎医学重点实验室。", "浙江省母胎医学重点实验室", "key-lab", "provincial"),
        ("医院获浙江省科学技术进步奖二等奖1项。", "浙江省科学技术进步奖", "honour", "provincial"),
    ],
)
def test_narrative_conferrals(sentence: str, obj: str, kind: str, level: str) -> None:
    c = one(facts(f"2023年工作回顾\n\n{sentence}\n"), kind, obj)
    assert (c.level, c.status) == (level, "granted")


def test_a_title_after_its_verb_with_level_and_batch() -> None:
    c = one(facts("“产后康复示范中心”荣获全国首批。"), "designation", "产后康复示范中心")
    assert (c.level, c.batch) == ("national", "首批")


def test_counted_specialties_give_one_row_per_unit() -> None:
    found = facts(
        "医院现有浙江省临床重点专科2个（产科、新生儿科），国家临床重点专科建设项目1个（儿科）。"
    )
    rows = [c for c in found if c.object == "浙江省临床重点专科"]
    assert sorted(c.extra["unit"] for c in rows) == ["产科", "新生儿科"]
    assert {c.level for c in rows} == {"provincial"}
    assert one(found, "designation", "国家临床重点专科建设项目").level == "national"


def test_counted_names_take_the_level_word_of_the_list() -> None:
    found = facts(
        "医院创建省级科研平台2项（青州市围产医学重点实验室，浙江省胎儿医学工程技术研究中心）。"
    )
    assert one(found, "key-lab", "青州市围产医学重点实验室").level == "provincial"
    assert one(found, "designation", "浙江省胎儿医学工程技术研究中心").level == "provincial"


def test_announcements_name_their_issuer() -> None:
    found = facts("5月，浙江省卫生健康委公布第二批省级妇幼保健特色专科名单，医院名列其中。")
    c = one(found, "designation", "妇幼保健特色专科")
    assert (c.level, c.batch) == ("provincial", "第二批")
    assert c.extra["issuer"] == "浙江省卫生健康委"


def test_tribute_box() -> None:
    text = (
        "致敬：青州市妇幼保健院\n\n2022年度全国妇幼健康优秀机构\n\n中国妇幼保健协会\n2022年12月\n"
    )
    c = one(facts(text), "honour", "妇幼健康优秀机构")
    assert (c.level, c.year, c.extra["issuer"]) == ("national", 2022, "中国妇幼保健协会")


def test_a_rating_held_in_several_years_gives_one_row_per_year() -> None:
    found = facts("2020年、2021年连续两年获评“国考”A等级。")
    assert sorted(c.year for c in found if c.object == "国考A等级") == [2020, 2021]


@pytest.mark.parametrize(
    ("sentence", "status", "year"),
    [
        ("2024年，医院计划申报国家级新生儿保健特色专科。", "planned", 2024),
        ("双方拟于2026年联合申报“浙江省儿科临床研究中心分中心”。", "planned", 2026),
        (
            "3月，医院向省卫健委提交“浙江省临床重点专科（儿科）”申报材料，等待评审。",
            "applied",
            2023,
        ),
        ("目前，医院正在筹建“青州市儿童心理健康服务中心”。", "in-preparation", None),
        ("医院申报的“青州市新生儿疾病重点实验室”获批建设。", "granted", None),
    ],
)
def test_statuses(sentence: str, status: str, year: int | None) -> None:
    text = f"——青州市妇幼保健院2023年工作回顾\n\n{sentence}\n"
    found = [c for c in facts(text) if c.kind in ("designation", "key-lab")]
    assert len(found) == 1, found
    assert (found[0].status, found[0].year) == (status, year)


def test_qualifications_after_a_strong_verb_need_no_level() -> None:
    c = one(
        facts("医院成功获批开展人类辅助生殖技术（IVF）资质。"),
        "designation",
        "人类辅助生殖技术（IVF）资质",
    )
    assert c.status == "granted"


def test_a_passive_verb_names_the_issuer() -> None:
    found = facts("医院被国家卫生健康委员会命名为第四批“全国婴幼儿照护示范机构”。")
    c = one(found, "designation", "全国婴幼儿照护示范机构")
    assert (c.level, c.batch, c.extra["issuer"]) == ("national", "第四批", "国家卫生健康委员会")


def test_vague_times_take_no_date_from_the_paragraph() -> None:
    text = "2021年，医院晋升为二级甲等妇幼保健院。近年来，医院先后被评为“青州市文明单位”。\n"
    assert one(facts(text), "honour", "青州市文明单位").year is None
    assert one(facts(text), "grade", "二级甲等").year == 2021


def test_bullets_that_are_sentences_are_read_as_prose() -> None:
    text = (
        "●2022年9月，医院与南岭大学医学院签订协议，成为该校教学医院。\n"
        "●2023年3月，医院加入东方儿科专科联盟。\n"
    )
    found = facts(text)
    school = one(found, "partnership", "南岭大学医学院")
    assert (school.role, school.year) == ("教学医院", 2022)
    assert one(found, "alliance-membership", "东方儿科专科联盟").year == 2023
