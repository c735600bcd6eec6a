"""The query page in a real browser: Debian's Chromium driven by Playwright, headless.

Runs queries from the page as a researcher would (menu, editor, Run, Ctrl+Enter),
compares the table with what the endpoint answers, follows the download links, and
checks that no request leaves loopback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Request

from graph_builder.sparql.query_library import load_library
from tests.chromium import chromium_context
from tests.server.conftest import Server


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with chromium_context(1280, 1000) as context:  # Debian's chromium; .ci/run installs it
        yield context


@pytest.fixture()
def page(browser: BrowserContext, seed_server: Server) -> Iterator[Page]:
    """The query page, loaded and ready; afterwards, every request must have stayed local."""
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    browser.on("request", record)
    page = browser.new_page()
    failures: list[str] = []
    page.on("pageerror", lambda exc: failures.append(str(exc)))
    page.goto(f"{seed_server.base}/")
    page.wait_for_selector("body[data-ready=true]")
    yield page
    page.close()
    browser.remove_listener("request", record)
    assert failures == []
    assert requests and all(url.startswith(f"{seed_server.base}/") for url in requests), requests


def endpoint_rows(server: Server, query: str, **bindings: str) -> list[dict]:
    response = httpx.post(
        server.endpoint,
        data={"query": query, **{f"${k}": v for k, v in bindings.items()}},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def table_rows(page: Page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#results tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.title || c.textContent))",
    )


def test_runs_a_library_query_and_shows_its_rows(page: Page, seed_server: Server, tmp_path: Path):
    query = load_library()["national-designations"]
    page.select_option("#query-menu", "national-designations")
    assert page.inner_text("#question-en") == query.question_en
    assert page.inner_text("#question-zh") == query.question_zh
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    expected = endpoint_rows(seed_server, query.text)
    rows = table_rows(page)
    assert len(rows) == len(expected) > 0
    headers = page.eval_on_selector_all("#results th", "ths => ths.map(t => t.textContent)")
    assert headers == ["hospital", "hospitalName", "designation", "kind", "batch", "year"]
    assert sorted(r[0] for r in rows) == sorted(b["hospital"]["value"] for b in expected)
    assert page.inner_text("#status").startswith(f"{len(expected)} rows")
    page.screenshot(path=str(tmp_path / "query-page.png"), full_page=True)

    links = page.eval_on_selector_all(
        "#downloads a", "as => as.map(a => [a.dataset.format, a.href, a.download])"
    )
    assert [fmt for fmt, _, _ in links] == ["json", "xml", "csv", "tsv"]
    csv_link = next(href for fmt, href, _ in links if fmt == "csv")
    download = httpx.get(csv_link)
    assert download.headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(download.text)))) == len(expected) + 1


def test_parameters_are_sent_as_bindings(page: Page, seed_server: Server):
    page.select_option("#query-menu", "national-designations")
    page.fill("#param-hospital", "inst:jiaozuo-mch")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    rows = table_rows(page)
    query = load_library()["national-designations"].text
    expected = endpoint_rows(seed_server, query, hospital="inst:jiaozuo-mch")
    assert len(rows) == len(expected) > 0
    assert {r[0] for r in rows} == {"https://w3id.org/hospital-kg/id/institution/jiaozuo-mch"}


def test_a_name_for_an_iri_parameter_is_looked_up(page: Page, seed_server: Server):
    page.select_option("#query-menu", "national-designations")
    page.fill("#param-hospital", "焦作市妇幼保健院")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert {r[0] for r in table_rows(page)} == {
        "https://w3id.org/hospital-kg/id/institution/jiaozuo-mch"
    }
    page.fill("#param-hospital", "no such hospital")
    page.click("#run")
    page.wait_for_selector("#status.error")
    assert page.inner_text("#status") == 'parameter $hospital: nothing is called "no such hospital"'


def test_typed_query_with_an_error_points_at_it(page: Page):
    page.click("#editor .cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text("SELECT ?h WHERE {\n  ?h a hkg:Hospital\n  FILTER(\n}")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#status.error")
    status = page.inner_text("#status")
    assert status.startswith("400: syntax error at line 4, column ")
    assert page.inner_text(".cm-activeLine") == "}"  # the cursor moved to the error


def test_construct_shows_triples_and_rdf_downloads(page: Page):
    page.click("#editor .cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text("CONSTRUCT WHERE { inst:changzhi-mch rdfs:label ?l }")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert table_rows(page) == [
        [
            "https://w3id.org/hospital-kg/id/institution/changzhi-mch",
            "http://www.w3.org/2000/01/rdf-schema#label",
            "长治市妇幼保健院 @zh",
        ]
    ]
    formats = page.eval_on_selector_all("#downloads a", "as => as.map(a => a.dataset.format)")
    assert formats == ["turtle", "jsonld", "nt", "xml"]


def test_explorer_link(page: Page, seed_server: Server):
    page.click("text=Network explorer")
    page.wait_for_load_state()
    assert page.url == f"{seed_server.base}/explore"
    explorer = Path(__file__).parents[2] / "build" / "explorer.html"
    if not explorer.is_file():
        assert "hospital-kg viz" in page.inner_text("body")
