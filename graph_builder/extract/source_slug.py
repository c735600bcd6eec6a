"""A readable ASCII id for a new report: the pinyin of the hospital its title names, and a year.

Ids go into IRIs, so they are lower-case ASCII words joined by '-', spelt as the
extractor spells the hospital's own id (`ids.name_slug`), so a report and its hospital
read alike: 青禾市妇幼保健院 ... 2024 -> qinghe-mch-2024. Place names the project knows
(data/reference/places.yaml) and glossary terms (妇幼保健院 -> mch) are spelt as the
project spells them, which also settles readings pypinyin gets wrong (长治 is Changzhi).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from graph_builder.extract.ids import name_slug
from graph_builder.extract.names import name_start

#: A hospital's name: the Chinese characters up to the first word that ends one.
HOSPITAL = re.compile(r"[\u3400-\u9fff]+?(?:医院|醫院|保健院|卫生院|衛生院|医学中心|醫學中心)")
#: Words a headline may put before the name (喜报：..., 热烈祝贺...).
LEAD_WORDS = re.compile(
    r"^(?:热烈祝贺|热烈庆祝|祝贺|喜报|喜讯|关于|熱烈祝賀|熱烈慶祝|祝賀|喜報|喜訊|關於)"
)
MAX_NAME = 20
#: Longest header line read as a subtitle (a year in a longer one is not the report's).
MAX_TITLE_LINE = 40
YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
#: Longest id made from a title, in characters (cut at a '-').
MAX_SLUG = 60


def report_slug(title: str, year: int | None, lexicon: Mapping[str, str], header: str = "") -> str:
    """The id for a report titled `title`: its hospital's name, or else the title, and a year.

    `year` is the publication year if known; else a year the title states is used.
    `lexicon` maps Chinese place names and glossary terms to the words ids use.
    `header` is the text's first lines: a headline without a hospital often has a
    subtitle with one (——某某医院2024年工作综述).
    """
    name = hospital_name(title) or hospital_name(header)
    subtitles = "\n".join(line for line in header.split("\n") if len(line) <= MAX_TITLE_LINE)
    stated = YEAR.search(title) or (YEAR.search(subtitles) if name else None)
    if name is None and stated:
        title = title.replace(stated.group(), " ")  # the year goes at the end, once
    slug = name_slug(name or title, lexicon, MAX_SLUG) if re.search(r"[\w]", title) else ""
    year = year if year is not None else int(stated.group(1)) if stated else None
    slug = "" if slug == "x" else slug
    slug = slug or "report"
    return slug if year is None else f"{slug}-{year}"


def hospital_name(title: str) -> str | None:
    """The first hospital's name in a headline, without words that come before names
    (the extractor's own name boundary, names.name_start)."""
    for match in HOSPITAL.finditer(title):
        start = name_start(title, match.end(), match.start())
        name = LEAD_WORDS.sub("", title[start : match.end()])
        if len(name) <= MAX_NAME:
            return name
    return None


def unique_slug(slug: str, taken: Collection[str]) -> str:
    """`slug`, or `slug-2`, `slug-3` ... if another report has it."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate
