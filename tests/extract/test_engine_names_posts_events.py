"""Aliases, posts and dated events."""

from __future__ import annotations

from tests.extract.engine_helpers import HOSPITAL, facts, objects, one


def test_the_report_finds_its_own_hospital() -> None:
    text = (
        "扬帆启航\n\n——临江市妇女儿童医院2023年工作回顾\n\n"
        "2023年，临江市妇女儿童医院坚持公益性。\n\n医院荣获“临江市文明单位”。\n"
    )
    c = one(facts(text, hospital=None), "honour", "临江市文明单位")
    assert c.subject == "临江市妇女儿童医院"


def test_names_in_brackets_after_the_hospital_are_aliases() -> None:
    found = facts("青州市妇幼保健院（青州市儿童医院）始建于1956年。")
    assert one(found, "alias", "青州市儿童医院").subject == HOSPITAL
    assert one(found, "event", "始建于1956年").year == 1956


def test_a_short_name_is_no_alias() -> None:
    found = facts("医院与东湖大学附属儿童医院（以下简称“东湖儿院”）签约。")
    assert not objects(found, "alias")


def test_an_added_plaque_of_its_own_is_an_alias() -> None:
    c = one(facts("2023年6月1日，医院加挂“青州市妇产医院”牌子。"), "alias", "青州市妇产医院")
    assert (c.year, c.extra["date"]) == (2023, "2023-06-01")


def test_posts_before_and_after_the_person() -> None:
    found = facts(
        "医院党委书记张建平说，医院将继续努力。\n\n【医院领导】\n\n院长：吴丽华\n\n2023年2月，赵志刚任医院院长。"
    )
    assert one(found, "post", "张建平").role == "党委书记"
    assert one(found, "post", "吴丽华").role == "院长"
    assert one(found, "post", "赵志刚").year == 2023


def test_posts_of_another_hospital_and_posts_that_are_not_the_head() -> None:
    found = facts(
        "临江县妇幼保健院院长孙海涛表示，将全力配合。医院副院长钱明、新生儿科主任周玲、联盟理事长李强出席。"
    )
    assert one(found, "post", "孙海涛").subject == "临江县妇幼保健院"
    assert objects(found, "post") == {"孙海涛"}


def test_openings_need_a_date() -> None:
    found = facts(
        "2023年，医院稳步发展。5月6日，医院北院区正式开诊。医院开设“孕期营养门诊”，深受欢迎。"
    )
    assert one(found, "event", "北院区正式开诊").extra["date"] == "2023-05-06"
    assert objects(found, "event") == {"北院区正式开诊"}
    assert not objects(facts("5月6日，医院北院区正式开诊。"), "event")  # no year known


def test_an_opening_in_a_dated_review_takes_the_reviews_year() -> None:
    text = "——青州市妇幼保健院2023年工作回顾\n\n8月18日，医院儿童医学中心大楼正式投入使用。\n"
    c = one(facts(text), "event", "儿童医学中心大楼正式投入使用")
    assert c.extra["date"] == "2023-08-18"


def test_named_meetings_with_a_date() -> None:
    found = facts("2023年4月2日，华东新生儿专科联盟成立大会暨首届学术年会在青州召开。")
    c = one(found, "event", "华东新生儿专科联盟成立大会")
    assert c.extra["date"] == "2023-04-02"


def test_a_signing_ceremony_is_named_after_the_partners() -> None:
    found = facts("2023年9月1日上午，医院与东湖大学附属儿童医院共建签约暨授牌仪式在院内举行。")
    assert "共建签约暨授牌仪式" in objects(found, "event")


def test_a_photographed_banner_with_its_date_line() -> None:
    text = "颁奖典礼\n\n\n\n东方儿科联盟 启动会\n\n华东区域分会\n\n2023年3月9日\n\n会议中心\n"
    found = facts(text)
    assert objects(found, "event") == {"东方儿科联盟 启动会"}
