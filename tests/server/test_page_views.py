"""The query page's links and pictures in a real browser (Debian's Chromium, headless).

IRIs in results link to their pages; the URL chooses and runs a library query; a label +
number answer draws as a bar chart, a dated one as a timeline, a province-keyed one as a
map of China's provinces; labels with markup in them stay text. Screenshots go to
build/screenshots/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, Page, Request

from graph_builder.sparql.query_library import load_library
from tests.chromium import chromium_context
from tests.conftest import HOSTILE, REPO
from tests.server.conftest import Server
from tests.server.test_page import endpoint_rows

SCREENSHOTS = REPO / "build" / "screenshots"
BASE = "https://w3id.org/hospital-kg/"
#: The answer's table is drawn and the view buttons that fit it are in place.
ANSWERED = "#results[data-views=decided] tbody tr"


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with chromium_context(1280, 1000) as context:
        yield context


@pytest.fixture(scope="module")
def national_server(
    generated_graph: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The synthetic national graph (300 hospitals over the 31 provinces)."""
    server = Server(
        "--data",
        str(generated_graph),
        "--workers",
        "1",
        "--reserve",
        "0",
        log=tmp_path_factory.mktemp("national") / "stderr.log",
    )
    yield server
    server.stop()


class Opened:
    """A page of `server` whose requests, errors and dialogs are recorded and checked."""

    def __init__(self, browser: BrowserContext, server: Server) -> None:
        self.server = server
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.allow_404 = False
        self.page = browser.new_page()
        self.page.on("request", self._record)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)
        self.page.on("dialog", self._dialog)

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, query: str = "", **params: str) -> Page:
        search = urlencode({"query": query, **params}, quote_via=quote) if query else ""
        self.page.goto(f"{self.server.base}/?{search}")
        self.page.wait_for_selector("body[data-ready=true]")
        return self.page

    def close(self) -> None:
        self.page.close()
        errors = [e for e in self.errors if not (self.allow_404 and "status of 404" in e)]
        assert errors == [], errors
        assert self.dialogs == [], self.dialogs
        local = f"{self.server.base}/"
        assert all(url.startswith(local) for url in self.requests), self.requests


@pytest.fixture()
def seed(browser: BrowserContext, seed_server: Server) -> Iterator[Opened]:
    opened = Opened(browser, seed_server)
    yield opened
    opened.close()


@pytest.fixture()
def national(browser: BrowserContext, national_server: Server) -> Iterator[Opened]:
    opened = Opened(browser, national_server)
    yield opened
    opened.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def views(page: Page) -> list[str]:
    return list(page.eval_on_selector_all("#views button", "bs => bs.map(b => b.dataset.view)"))


def run_typed(opened: Opened, query: str) -> Page:
    """A query put in the editor by the URL (?query=TEXT is not run by itself), then run."""
    page = opened.open(query)
    assert page.query_selector("#results tbody tr") is None
    page.click("#run")
    page.wait_for_selector(ANSWERED)
    return page


def test_the_url_chooses_fills_and_runs_a_library_query(seed: Opened, seed_server: Server) -> None:
    page = seed.open("hospital-profile", hospital="inst:changzhi-mch")
    page.wait_for_selector(ANSWERED)
    assert page.input_value("#query-menu") == "hospital-profile"
    assert page.input_value("#param-hospital") == "inst:changzhi-mch"
    query = load_library()["hospital-profile"].text
    expected = endpoint_rows(seed_server, query, hospital="inst:changzhi-mch")
    assert page.eval_on_selector_all("#results tbody tr", "rs => rs.length") == len(expected) > 0
    # $name works as well as name, and another hospital gives other rows
    page = seed.open("national-designations", **{"$hospital": "inst:jiaozuo-mch"})
    page.wait_for_selector(ANSWERED)
    hospitals = page.eval_on_selector_all(
        "#results tbody tr td:first-child", "ts => ts.map(t => t.title)"
    )
    assert set(hospitals) == {f"{BASE}id/institution/jiaozuo-mch"}


def test_sparql_text_in_the_url_is_put_in_the_editor_unrun(seed: Opened) -> None:
    page = seed.open("SELECT ?h WHERE { ?h a hkg:Hospital }")
    assert page.inner_text("#editor .cm-content") == "SELECT ?h WHERE { ?h a hkg:Hospital }"
    assert page.input_value("#query-menu") == ""
    assert page.query_selector("#results tbody tr") is None


def test_a_result_iri_links_to_its_page(seed: Opened, seed_server: Server) -> None:
    page = seed.open("hospital-profile", hospital="inst:changzhi-mch")
    page.wait_for_selector(ANSWERED)
    link = page.locator("#results tbody tr:first-child td.iri a").first
    assert link.get_attribute("href") == "/id/institution/changzhi-mch"
    assert link.inner_text() == "inst:changzhi-mch"
    link.click()
    page.wait_for_url(f"{seed_server.base}/id/institution/changzhi-mch")
    if httpx.get(page.url, headers={"Accept": "text/html"}).status_code == 200:
        assert "长治市妇幼保健院" in page.inner_text("body")  # the entity page, once served
    else:  # entity pages not served yet: the browser logs the 404s (page, favicon)
        seed.allow_404 = True


def test_an_iri_outside_the_graph_links_to_itself(seed: Opened) -> None:
    page = run_typed(
        seed,
        "SELECT ?x ?y WHERE { VALUES (?x ?y) { (<http://example.org/a?b=1> inst:jiaozuo-mch) } }",
    )
    links = page.eval_on_selector_all(
        "#results td.iri a", "as => as.map(a => [a.getAttribute('href'), a.rel])"
    )
    assert links == [
        ["http://example.org/a?b=1", "noopener noreferrer"],
        ["/id/institution/jiaozuo-mch", ""],
    ]


def bars(page: Page) -> list[dict]:
    return list(
        page.eval_on_selector_all(
            "#picture rect.bar",
            """rs => rs.map(r => ({width: r.getBBox().width, value: Number(r.dataset.value),
            label: r.parentNode.querySelector('.bar-label').textContent}))""",
        )
    )


def assert_ordered_as_numbers(drawn: list[dict]) -> None:
    for a in drawn:
        for b in drawn:
            if a["value"] < b["value"]:
                assert a["width"] < b["width"], (a, b)
            elif a["value"] == b["value"]:
                assert abs(a["width"] - b["width"]) < 0.01


def test_chart_draws_one_bar_per_row(national: Opened, national_server: Server) -> None:
    page = national.open("national-designations-by-province")
    page.wait_for_selector(ANSWERED)
    assert views(page) == ["table", "chart", "map"]
    page.click("#views button[data-view=chart]")
    page.wait_for_selector("#picture rect.bar")
    assert page.is_hidden("#results")
    expected = endpoint_rows(
        national_server, load_library()["national-designations-by-province"].text
    )
    drawn = bars(page)
    assert len(drawn) == len(expected) == 31
    assert [d["label"] for d in drawn] == [row["provinceName"]["value"] for row in expected]
    assert [d["value"] for d in drawn] == [int(row["designations"]["value"]) for row in expected]
    assert_ordered_as_numbers(drawn)
    screenshot(page, "query-chart.png")
    page.select_option("#measure", "hospitals")  # the other number column
    drawn = bars(page)
    assert [d["value"] for d in drawn] == [int(row["hospitals"]["value"]) for row in expected]
    assert_ordered_as_numbers(drawn)
    page.click("#views button[data-view=table]")
    assert page.is_visible("#results tbody tr") and page.is_hidden("#picture")


def test_map_colours_every_province_of_the_answer(
    national: Opened, national_server: Server
) -> None:
    page = national.open("national-designations-by-province")
    page.wait_for_selector(ANSWERED)
    page.click("#views button[data-view=map]")
    page.wait_for_selector("#picture path.province")
    expected = endpoint_rows(
        national_server, load_library()["national-designations-by-province"].text
    )
    coloured = page.eval_on_selector_all(
        "#picture path.has-value", "ps => ps.map(p => [p.dataset.code, p.getAttribute('fill')])"
    )
    grey = page.eval_on_selector_all(
        "#picture path.province:not(.has-value)", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert len(coloured) == len(expected) == 31
    assert all(fill != "#d9d9d9" for _, fill in coloured)
    assert grey == ["#d9d9d9", "#d9d9d9"]  # Hong Kong and Macau: no value
    assert len({fill for _, fill in coloured}) > 1  # a scale, not one colour
    assert page.locator(".view-legend li").count() >= 3
    henan = next(r for r in expected if r["province"]["value"].endswith("/place/henan"))
    page.hover('#picture path[data-code="410000"]')
    page.wait_for_selector(".view-tip:not([hidden])")
    assert page.inner_text(".view-tip") == f"河南省 Henan: {henan['designations']['value']}"
    screenshot(page, "query-map.png")


def test_timeline_draws_one_mark_per_dated_row(seed: Opened, seed_server: Server) -> None:
    page = seed.open("timeline")
    page.wait_for_selector(ANSWERED)
    assert views(page) == ["table", "timeline"]  # month is not a number to chart
    page.click("#views button[data-view=timeline]")
    page.wait_for_selector("#picture rect.mark")
    expected = endpoint_rows(seed_server, load_library()["timeline"].text)
    marks = page.eval_on_selector_all("#picture rect.mark", "ms => ms.map(m => m.dataset.tip)")
    assert len(marks) == len(expected) > 0
    years = sorted({row["year"]["value"] for row in expected})
    ticks = page.eval_on_selector_all("#picture text.tick", "ts => ts.map(t => t.textContent)")
    assert ticks[0] == years[0] and ticks[-1] <= years[-1]
    assert all(tip[:4] in years for tip in marks)
    screenshot(page, "query-timeline.png")


def test_markup_in_labels_stays_text_in_chart_and_map(seed: Opened) -> None:
    script = "<script>alert(3)</script>"
    page = run_typed(
        seed,
        f"SELECT ?name ?n WHERE {{ VALUES (?name ?n) {{ ({quote_literal(HOSTILE)} 3) "
        f"({quote_literal(script)} 5) }} }}",
    )
    assert views(page) == ["table", "chart"]
    page.click("#views button[data-view=chart]")
    labels = page.eval_on_selector_all("#picture .bar-label", "ts => ts.map(t => t.textContent)")
    assert labels == [HOSTILE, script]
    page.hover("#picture rect.bar >> nth=0")
    page.wait_for_selector(".view-tip:not([hidden])")
    assert page.inner_text(".view-tip") == f"{HOSTILE}: 3"
    assert page.eval_on_selector_all("#picture img, #picture script", "es => es.length") == 0

    name = f"<b>河南</b>{HOSTILE}"
    page = run_typed(
        seed,
        "SELECT ?province ?name ?n WHERE { VALUES (?province ?name ?n) { "
        f'(place:henan {quote_literal(name)} 3) (place:shanxi "山西" 5) }} }}',
    )
    assert views(page) == ["table", "chart", "map"]
    page.click("#views button[data-view=map]")
    assert page.locator("#picture path.has-value").count() == 2
    page.hover('#picture path[data-code="410000"]')
    page.wait_for_selector(".view-tip:not([hidden])")
    assert page.inner_text(".view-tip") == f"{name} (河南省 Henan): 3"
    assert (
        page.eval_on_selector_all("#picture img, #picture b, #picture script", "es => es.length")
        == 0
    )
    screenshot(page, "query-map-markup.png")


def quote_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
