"""Ids for new entities and facts: readable ASCII slugs, unique against what exists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph_builder.extract.ids import (
    MAX_FACT_ID_CHARS,
    MAX_SLUG_CHARS,
    IdRegistry,
    fact_slug,
    name_slug,
    person_slug,
)
from graph_builder.ingest.ids import ID_PATTERN

LEXICON = {"焦作市": "jiaozuo", "焦作": "jiaozuo", "长治市": "changzhi", "妇幼保健院": "mch"}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("焦作市妇幼保健院", "jiaozuo-mch"),  # a place's id and a glossary word
        ("长治市妇幼保健院", "changzhi-mch"),  # the place's id, not pypinyin's zhang for 长
        ("新乡市妇幼保健院", "xinxiang-mch"),  # a place name before 市, without it
        ("第三代试管婴儿技术(PGT)筹备资质", "di-san-dai-shi-guan-ying-er-jishu-zhi"),
        ("CAAE一级癫痫中心", "caae-yi-ji-dian-xian-zhong-xin"),
        ("三级甲等", "san-ji-jia-deng"),
    ],
)
def test_names_become_readable_slugs(name: str, slug: str) -> None:
    assert name_slug(name, LEXICON) == slug


def test_long_names_keep_their_first_and_last_words() -> None:
    slug = name_slug("河南省胚胎细胞与单基因病诊断工程技术研究中心", {"河南省": "henan"})
    assert slug.startswith("henan-") and slug.endswith("-xin")
    assert len(slug) <= MAX_SLUG_CHARS
    assert "yu" not in slug.split("-")  # 与, "and", only lengthens an id


def test_people_are_surname_then_given_name() -> None:
    assert person_slug("赵延兵") == "zhao-yanbing"
    assert person_slug("李小红") == "li-xiaohong"


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9FFF), max_size=40))
def test_every_name_gives_an_id(name: str) -> None:
    slug = name_slug(name, LEXICON)
    assert ID_PATTERN.fullmatch(slug), slug
    assert len(slug) <= MAX_SLUG_CHARS


def test_registry_never_hands_out_an_id_twice() -> None:
    registry = IdRegistry({"jiaozuo-mch", "jiaozuo-mch-2"})
    assert registry.claim("jiaozuo-mch") == "jiaozuo-mch-3"
    assert registry.claim("jiaozuo-mch") == "jiaozuo-mch-4"
    assert registry.claim("xinxiang-mch") == "xinxiang-mch"
    assert registry.claim("xinxiang-mch") == "xinxiang-mch-2"


def test_fact_ids_join_subject_and_object_without_repeating_the_place() -> None:
    assert fact_slug("jiaozuo-mch", "jiaozuo-yi-xue-key-lab") == "jiaozuo-mch-yi-xue-key-lab"
    long = fact_slug("xinxiang-mch", "-".join(["word"] * 30))
    assert len(long) <= MAX_FACT_ID_CHARS and long.startswith("xinxiang-mch-")
