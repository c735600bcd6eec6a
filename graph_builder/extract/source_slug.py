"""A readable ASCII id for a new report: the pinyin of the hospital its title names, and a year.

Ids go into IRIs, so they are lower-case ASCII words joined by '-'. Pinyin (pypinyin,
offline) keeps them readable: 青禾市妇幼保健院 ... 2024 -> qing-he-shi-fu-you-bao-jian-yuan-2024.
Place names the project knows (data/reference/places.yaml) are spelt as it spells them
in English, which also settles readings pypinyin gets wrong (长治 is Changzhi, not Zhangzhi).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

#: A hospital's name: the Chinese characters up to the first word that ends one.
HOSPITAL = re.compile(r"[\u3400-\u9fff]+?(?:医院|醫院|保健院|卫生院|衛生院|医学中心|醫學中心)")
#: Words a headline may put before the name (喜报：..., 热烈祝贺...).
LEAD_WORDS = re.compile(
    r"^(?:热烈祝贺|热烈庆祝|祝贺|喜报|喜讯|关于|熱烈祝賀|熱烈慶祝|祝賀|喜報|喜訊|關於)"
)
MAX_NAME = 20
YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
#: Longest id made from a title, in characters (cut at a '-').
MAX_SLUG = 60


def report_slug(title: str, year: int | None, places: Mapping[str, str]) -> str:
    """The id for a report titled `title`: its hospital's name, or else the title, and a year.

    `year` is the publication year if known; else a year the title states is used.
    `places` maps Chinese place names to the id-friendly English spelling.
    """
    name = hospital_name(title)
    words = romanise(name or title, places)
    stated = YEAR.search(title)
    year = year if year is not None else int(stated.group(1)) if stated else None
    slug = shorten("-".join(words)) or "report"
    return slug if year is None else f"{slug}-{year}"


def hospital_name(title: str) -> str | None:
    """The first hospital's name in a headline, without words that come before names."""
    for match in HOSPITAL.finditer(title):
        name = LEAD_WORDS.sub("", match.group())
        if len(name) <= MAX_NAME:
            return name
    return None


def romanise(text: str, places: Mapping[str, str]) -> list[str]:
    """`text` as lower-case ASCII words: a known place as spelt in English, each other
    Chinese character as its pinyin, other letters and digits as they are."""
    # imported here: pypinyin reads its phrase dictionary on import (0.2 s), which every
    # other hospital-kg command would pay for
    from pypinyin import Style, lazy_pinyin

    words: list[str] = []
    for piece in _split_places(text, places):
        if piece in places:
            words.append(places[piece])
        else:
            spelt = " ".join(lazy_pinyin(piece, style=Style.NORMAL, v_to_u=False))
            words += re.findall(r"[a-z0-9]+", spelt.lower())
    return words


def _split_places(text: str, places: Mapping[str, str]) -> list[str]:
    """`text` cut around the place names it holds, the longest name first."""
    if not places:
        return [text]
    names = sorted(places, key=len, reverse=True)
    pattern = re.compile("(" + "|".join(map(re.escape, names)) + ")")
    return [piece for piece in pattern.split(text) if piece]


def shorten(slug: str) -> str:
    """At most MAX_SLUG characters, cut between words."""
    if len(slug) <= MAX_SLUG:
        return slug
    return slug[: MAX_SLUG + 1].rsplit("-", 1)[0]


def unique_slug(slug: str, taken: Collection[str]) -> str:
    """`slug`, or `slug-2`, `slug-3` ... if another report has it."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate
