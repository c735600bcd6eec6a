"""Reading report files: encodings, line ends, pages, dates and ids, without the command.

Texts are short fictional news items (invented hospitals and people), written for these
tests; the pages are described in pages/README.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph_builder.errors import DataError
from graph_builder.extract.source_dates import iso_day, labelled_date, leading_day
from graph_builder.extract.source_decode import decode
from graph_builder.extract.source_html import article_body, declared_charset, is_html
from graph_builder.extract.source_slug import hospital_name, report_slug, unique_slug
from graph_builder.extract.sources import read_source

PAGES = Path(__file__).parent / "pages"
#: A fictional news item, in simplified characters.
SIMPLIFIED = (
    "云岭县人民医院开通儿科夜间门诊\n"
    "（虚构示例新闻，仅供测试。）\n"
    "发布时间：2024年12月30日\n"
    "本报讯 云岭县人民医院儿科夜间门诊正式开诊，每晚六点至十点由主治医师坐诊。\n"
)
#: The same kind of item in traditional characters, for Big5.
TRADITIONAL = (
    "翠湖市婦幼保健院開設母乳餵養諮詢門診\n"
    "（虛構示例新聞，僅供測試。）\n"
    "發布日期：2024年3月8日\n"
    "翠湖市婦幼保健院近日開設母乳餵養諮詢門診，由專科護士提供諮詢服務。\n"
)
#: What report ids are spelt with: known places and glossary terms.
LEXICON = {"长治市": "changzhi", "长治": "changzhi", "妇幼保健院": "mch"}


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL.encode("utf-16"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "big5", "utf-16-bom"],
)
def test_encodings_are_detected_and_the_text_is_unchanged(data: bytes, encoding: str) -> None:
    decoded = decode(data, Path("x.txt"))
    assert decoded.encoding == encoding
    assert decoded.text in (SIMPLIFIED, TRADITIONAL)


def test_big5_bytes_that_also_decode_as_gb18030_are_read_as_big5() -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # every Big5 pair is a GBK pair: a strict try-in-order would stop here
    assert decode(data, Path("x.txt")).encoding == "big5"


def test_a_page_declaring_gbk_is_read_as_gb18030() -> None:
    assert decode(SIMPLIFIED.encode("gbk"), Path("x.html"), "gbk").encoding == "gb18030"


@pytest.mark.parametrize("ends", ["\r\n", "\r"])
def test_line_ends_become_lf_and_nothing_else_changes(ends: str) -> None:
    data = SIMPLIFIED.replace("\n", ends).encode("gbk")
    assert decode(data, Path("x.txt")).text == SIMPLIFIED


def test_a_control_character_is_refused_with_its_line() -> None:
    data = (SIMPLIFIED + "第五行\x1b[0m\n").encode("utf-8")
    with pytest.raises(DataError, match=r"x\.txt:5: control character U\+001B"):
        decode(data, Path("x.txt"))


def test_read_source_keeps_a_text_file_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_bytes(SIMPLIFIED.replace("\n", "\r\n").encode("gb18030"))
    source = read_source(path)
    assert (source.text, source.format, source.encoding) == (SIMPLIFIED, "text", "gb18030")
    assert source.title == "云岭县人民医院开通儿科夜间门诊"
    assert source.date is not None and source.date.day == dt.date(2024, 12, 30)


@pytest.mark.parametrize(
    ("name", "encoding", "title", "day", "url"),
    [
        (
            "qinghe-mch-utf8.html",
            "utf-8",
            "青禾市妇幼保健院通过三级甲等妇幼保健院复审",
            dt.date(2024, 12, 30),
            "https://news.example.org/hospital/2024/12/30/qinghe.html",
        ),
        (
            "yunling-gbk.html",
            "gb18030",
            "云岭县人民医院与省儿童医院共建儿科联合病房",
            dt.date(2023, 6, 15),
            None,
        ),
        ("cuihu-big5.html", "big5", "翠湖市婦幼保健院獲評省級愛嬰醫院", dt.date(2024, 3, 8), None),
    ],
)
def test_pages_give_their_article_headline_first(
    name: str, encoding: str, title: str, day: dt.date, url: str | None
) -> None:
    source = read_source(PAGES / name)
    assert (source.format, source.encoding, source.title, source.url) == (
        "html",
        encoding,
        title,
        url,
    )
    assert source.date is not None and source.date.day == day
    assert source.text.startswith(title + "\n（") and source.text.endswith("。\n")
    for boilerplate in ("首页", "首頁", "热点新闻", "熱點新聞", "版权所有", "版權所有", "分享到"):
        assert boilerplate not in source.text


def test_the_article_is_the_pages_paragraphs_in_order() -> None:
    text = read_source(PAGES / "qinghe-mch-utf8.html").text
    lines = text.split("\n")
    assert lines[1].startswith("（本文为虚构的示例新闻")
    assert lines[2].startswith("本报讯（记者 林小禾）12月28日")
    assert lines[-2].startswith("该院院长周明远表示")
    assert len(lines) == 7  # headline, five paragraphs, and the final LF


def test_html_is_known_by_suffix_or_by_its_start() -> None:
    assert is_html(Path("a.htm"), b"anything")
    assert is_html(Path("a.txt"), b"\n  <!-- saved -->\n<!DOCTYPE html><html>")
    assert not is_html(Path("a.txt"), SIMPLIFIED.encode())
    assert (
        declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">')
        == "GBK"
    )


def test_a_list_of_links_is_no_article() -> None:
    with pytest.raises(DataError, match="no article"):
        article_body(
            "- 第一条新闻标题很长很长很长很长很长\n- 第二条新闻标题很长很长很长很长很长",
            Path("x.html"),
        )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("发布时间：2024年12月30日 10:21", dt.date(2024, 12, 30)),  # htmldate: 2024-01-01
        ("發布日期：2024年3月8日", dt.date(2024, 3, 8)),
        ("日期: 2023-06-15", dt.date(2023, 6, 15)),
        ("更新时间：2022/1/5 08:00", dt.date(2022, 1, 5)),
        (
            "发布时间：2024年2月30日 发布日期：2024年3月1日",
            dt.date(2024, 3, 1),
        ),  # impossible day skipped
        ("12月28日，记者获悉，2024年11月复审", None),  # dates an article mentions are not its date
    ],
)
def test_labelled_dates(text: str, day: dt.date | None) -> None:
    found = labelled_date(text, "text")
    assert (found.day if found else None) == day


def test_metadata_and_option_dates() -> None:
    assert leading_day("2024-12-30T10:21:00+08:00") == dt.date(2024, 12, 30)
    assert leading_day("not a date") is None
    assert iso_day("2024-02-29") == dt.date(2024, 2, 29)
    for bad in ("2023-02-29", "20240229", "2024-2-29"):
        with pytest.raises(ValueError):
            iso_day(bad)


@pytest.mark.parametrize(
    ("title", "year", "slug"),
    [
        (
            "青禾市妇幼保健院通过三级甲等妇幼保健院复审",
            2024,
            "qinghe-mch-2024",
        ),
        (
            "喜报：热烈祝贺长治市妇幼保健院2023年通过复审",
            None,
            "changzhi-mch-2023",
        ),
        ("翠湖市婦幼保健院獲評省級愛嬰醫院", 2024, "cuihu-fu-you-bao-jian-yuan-2024"),
        (
            "守望生命花开 护航妇幼健康",
            None,
            "shou-wang-sheng-ming-hua-kai-hu-hang-fu-you-jian-kang",
        ),
        ("WHO Baby-Friendly 2024", None, "who-baby-friendly-2024"),
        ("！！！", 2024, "report-2024"),
        ("2024年工作回眸", None, "gong-zuo-hui-mou-2024"),
    ],
)
def test_report_ids_are_readable_pinyin(title: str, year: int | None, slug: str) -> None:
    assert report_slug(title, year, LEXICON) == slug


def test_long_titles_make_ids_cut_between_words() -> None:
    slug = report_slug(
        "聚力高质量扬帆启新程全面推进健康中国建设谱写妇幼健康事业发展新篇章", None, {}
    )
    assert len(slug) <= 60 and not slug.endswith("-")


def test_hospital_names_and_unique_ids() -> None:
    assert hospital_name("云岭县人民医院与省儿童医院共建儿科联合病房") == "云岭县人民医院"
    assert hospital_name("聚力高质量 扬帆启新程") is None
    assert unique_slug("a-2024", {"a-2024", "a-2024-2"}) == "a-2024-3"
