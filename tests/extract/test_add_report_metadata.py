"""Report metadata as add-report writes it: the builder takes a report without a subject or
review year, turns its date and address into RDF, and checks the keys it added."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Graph, Literal, namespace
from rdflib.namespace import DCTERMS

from graph_builder import build_graph
from graph_builder.errors import DataError
from graph_builder.project import Project
from graph_builder.rdf.namespaces import HKG, REPORT, SCHEMA

TEXT = "云岭县人民医院开通儿科夜间门诊\n（虚构示例新闻，仅供测试。）\n2023年起每晚开诊。\n"
META = """\
id: yunling-news
text: yunling-news.txt
title: 云岭县人民医院开通儿科夜间门诊
date: 2024-12-30
url: https://news.example.org/yunling
source: 夜间门诊.html
format: html
encoding: gb18030
added: 2025-01-02
"""


def with_report(project: Project, meta: str = META) -> Project:
    folder = project.data_dir / "reports"
    (folder / "yunling-news.txt").write_text(TEXT, "utf-8")
    (folder / "yunling-news.yaml").write_text(meta, "utf-8")
    return project


def test_a_news_report_needs_no_subject_or_review_year(scratch: Project) -> None:
    graph = build_graph(with_report(scratch))
    report = REPORT["yunling-news"]
    assert graph.value(report, SCHEMA.about) is None
    assert graph.value(report, HKG.reviewYear) is None
    assert graph.value(report, DCTERMS.date) == Literal(dt.date(2024, 12, 30))
    assert graph.value(report, DCTERMS.date).datatype == namespace.XSD.date
    url = graph.value(report, SCHEMA["url"])
    assert url == Literal("https://news.example.org/yunling", datatype=namespace.XSD.anyURI)
    # what only the curation needs stays in the YAML
    assert not any(o == Literal("gb18030") for o in graph.objects(report, None))


def test_the_seed_reports_keep_their_triples(graph: Graph) -> None:
    for ident, year in (("changzhi-mch-2023", 2023), ("jiaozuo-mch-2024", 2024)):
        report = REPORT[ident]
        assert graph.value(report, HKG.reviewYear) == Literal(year)
        assert graph.value(report, SCHEMA.about) is not None
        assert graph.value(report, DCTERMS.date) is None
        assert graph.value(report, SCHEMA["url"]) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("", "review_year: 2024\n"), r"yunling-news\.yaml:\d+: review_year 2024 is not stated"),
        (
            ("", "review_year: 2023\nreview_year_quote: 2023年起每晚开诊\n"),
            None,  # stated in the text: taken
        ),
        (
            ("", "review_year_quote: 2023年起每晚开诊\n"),
            r"yunling-news\.yaml:\d+: review_year_quote without review_year",
        ),
        (("date: 2024-12-30", "date: 2024-12-30 10:21"), r":4: date must be a day, YYYY-MM-DD"),
        (("date: 2024-12-30", "date: 2024-02-30"), r":4: '2024-02-30' is not a date"),
        (("date: 2024-12-30", "date: 30/12/2024"), r":4: date must be a day, YYYY-MM-DD"),
        (("added: 2025-01-02", "added: yesterday"), r":9: added must be a day, YYYY-MM-DD"),
        (
            ("url: https://news.example.org/yunling", "url: ftp://example.org/a"),
            r":5: url 'ftp://example.org/a' is not an http:// or https:// address",
        ),
        (
            ("url: https://news.example.org/yunling", "url: 'https://example.org/<a>'"),
            r":5: url 'https://example.org/<a>' holds '<'",
        ),
        (("format: html", "format: pdf"), r":7: format must be one of: html, text"),
        (("encoding: gb18030", "encoding: ''"), r":8: 'encoding' must be a non-empty string"),
        (("", "subject: nobody\n"), r"subject 'nobody' is not defined"),
    ],
)
def test_report_metadata_is_checked(
    scratch: Project, change: tuple[str, str], message: str | None
) -> None:
    old, new = change
    meta = META + new if not old else META.replace(old, new)
    project = with_report(scratch, meta)
    if message is None:
        build_graph(project)
        return
    with pytest.raises(DataError, match=message):
        build_graph(project)
