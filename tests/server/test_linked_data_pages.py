"""The Linked Data pages in Chromium: quotes highlighted exactly at their offsets, the
report page highlighting every quote, links from entity to fact to report and back,
the ego network drawn, and labels with HTML in them shown as text."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page

from tests.chromium import chromium_context
from tests.conftest import REPO
from tests.server.conftest import Server
from tests.server.linked_data_graph import BOLD, END, IMG, QUOTE, START, TEXT

REPORT = "/id/report/changzhi-mch-2023"
REPORT_TEXT = (REPO / "data" / "reports" / "changzhi-mch-2023.txt").read_text(encoding="utf-8")
QUOTES = """SELECT ?ev ?start ?end WHERE {
  ?ev prov:wasQuotedFrom report:changzhi-mch-2023 ; hkg:startOffset ?start ; hkg:endOffset ?end
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with chromium_context(1280, 900) as context:
        yield context


def open_page(browser: BrowserContext, server: Server, failures: list[str]) -> Page:
    page = browser.new_page()
    page.on("pageerror", lambda exc: failures.append(str(exc)))
    page.on("dialog", lambda dialog: failures.append(f"dialog: {dialog.message}"))

    def local_only(request) -> None:  # type: ignore[no-untyped-def]
        if not request.url.startswith(server.base + "/"):
            failures.append(f"request left the server: {request.url}")

    page.on("request", local_only)
    return page


def test_quotes_at_their_offsets_and_links_there_and_back(
    browser: BrowserContext, seed_server: Server
):
    failures: list[str] = []
    page = open_page(browser, seed_server, failures)
    entity = f"{seed_server.base}/id/institution/changzhi-mch"
    page.goto(entity)
    marks = page.eval_on_selector_all(
        "mark.quote[data-start]",
        """ms => ms.map(m => [m.closest('figure').querySelector('a.report-link')
              .getAttribute('href').split('#')[0], +m.dataset.start, +m.dataset.end,
              m.textContent])""",
    )
    assert len(marks) > 20
    texts: dict[str, str] = {}
    for report, start, end, shown in marks:
        if report not in texts:
            name = report.rsplit("/", 1)[1] + ".txt"
            texts[report] = (REPO / "data" / "reports" / name).read_text(encoding="utf-8")
        assert shown == texts[report][start:end], (report, start, end)
    page.wait_for_selector("#ego[data-drawn=true] canvas", timeout=30_000)

    # the report page shows the whole text and highlights every quote taken from it
    page.goto(seed_server.base + REPORT)
    assert page.text_content(".report-text") == REPORT_TEXT
    response = httpx.post(
        seed_server.endpoint, data={"query": QUOTES}, headers={"Accept": "application/json"}
    )
    quotes = response.json()["results"]["bindings"]
    assert len(quotes) > 30
    for row in quotes:
        ev, start, end = row["ev"]["value"], int(row["start"]["value"]), int(row["end"]["value"])
        shown = page.eval_on_selector_all(
            "a.hl",
            "(links, ev) => links.filter(a => a.dataset.evidence.split(' ').includes(ev))"
            ".map(a => a.textContent).join('')",
            ev,
        )
        assert shown == REPORT_TEXT[start:end], ev

    # entity -> fact -> report (at the quote) -> a highlighted quote's fact -> back
    page.goto(entity)
    page.click("a.fact-link >> nth=0")
    page.wait_for_url("**/id/fact/**")
    fact_url = page.url
    assert page.inner_text("h2").startswith("The fact")
    page.click(".own-fact a.report-link")
    page.wait_for_url(f"**{REPORT}#q-*")
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"#{anchor}").count() == 1
    page.click("a.hl >> nth=0")
    page.wait_for_url("**/id/**")
    assert page.url != seed_server.base + REPORT
    page.go_back()
    page.go_back()
    assert page.url == fact_url
    page.go_back()
    assert page.url == entity
    page.close()
    assert failures == []


def test_labels_with_html_are_text_on_every_page(browser: BrowserContext, tiny_server: Server):
    failures: list[str] = []
    page = open_page(browser, tiny_server, failures)
    page.goto(tiny_server.base + "/id/institution/tiny")
    assert page.inner_text("h1") == IMG
    assert page.inner_text(".entity-head .english").startswith(BOLD)
    assert page.text_content("mark.quote") == QUOTE == TEXT[START:END]
    pages = [
        ("/id/institution/tiny", IMG),
        ("/id/report/tiny-2024", IMG + "报道"),
        ("/id/fact/tiny-award", None),
        ("/ontology", BOLD + " ontology"),
    ]
    for path, heading in pages:
        page.goto(tiny_server.base + path)
        if heading is not None:
            assert page.inner_text("h1") == heading, path
        assert page.locator("main img, main b").count() == 0, path
        assert IMG in page.inner_text("main"), path
        assert page.title() != "pwned"
    page.goto(tiny_server.base + "/id/report/tiny-2024")
    assert page.text_content(".report-text") == TEXT
    assert page.text_content("a.hl") == QUOTE
    page.goto(tiny_server.base + "/ontology#Thing")
    assert IMG in page.inner_text("#Thing h3")
    page.close()
    assert failures == []
