"""The explorer's selected-node card links to the node's page: this server's path for it
when the page is served over http(s) (hospital-kg serve at /explore), the IRI itself when
the page is opened as a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Route
from rdflib import Graph

from graph_builder.rdf.namespaces import BASE
from tests.chromium import chromium_context
from tests.conftest import HOSTILE, hostile_graph, page_data
from tests.network.test_explorer_browser import READY, node_point, open_page, screenshot, write_page

SERVED = "http://explorer.test"


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with chromium_context() as context:
        yield context


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_page(tmp_path_factory.mktemp("links"))


def test_page_data_carries_base_and_the_prefixes_of_the_node_ids(seed_page: Path) -> None:
    data = page_data(seed_page.read_text(encoding="utf-8"))
    assert data["base"] == BASE
    assert data["prefixes"]["inst"] == f"{BASE}id/institution/"
    used = {node["id"].split(":", 1)[0] for node in data["nodes"]}
    assert set(data["prefixes"]) <= used


def test_opened_as_a_file_the_card_links_to_the_iri(
    browser: BrowserContext, seed_page: Path
) -> None:
    opened = open_page(browser, seed_page)
    page = opened.page
    assert page.locator("#selected a").count() == 0
    page.fill("#search", "焦作市妇幼保健院")
    page.press("#search", "Enter")
    link = page.locator("#selected a.page-link")
    assert link.get_attribute("href") == f"{BASE}id/institution/jiaozuo-mch"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert page.inner_text("#selected .title") == "焦作市妇幼保健院"
    screenshot(page, "explorer-selected-card.png")
    opened.assert_clean()


def test_served_the_card_and_a_double_click_go_to_the_local_page(
    browser: BrowserContext, seed_page: Path
) -> None:
    html = seed_page.read_text(encoding="utf-8")
    page = browser.new_page()
    visited: list[str] = []

    def serve(route: Route) -> None:
        url = route.request.url
        visited.append(url)
        if url == f"{SERVED}/explore":
            route.fulfill(body=html, content_type="text/html; charset=utf-8")
        else:
            route.fulfill(
                body="<!doctype html><title>entity page</title>", content_type="text/html"
            )

    page.route("**/*", serve)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{SERVED}/explore")
    page.wait_for_function(READY, timeout=60_000)
    page.fill("#search", "长治市妇幼保健院")
    page.press("#search", "Enter")
    link = page.locator("#selected a.page-link")
    assert link.get_attribute("href") == "/id/institution/changzhi-mch"
    assert link.get_attribute("rel") is None
    point = node_point(page, "inst:changzhi-mch")  # centred by the search
    page.mouse.dblclick(point["x"], point["y"])
    page.wait_for_url(f"{SERVED}/id/institution/changzhi-mch")
    assert visited == [f"{SERVED}/explore", f"{SERVED}/id/institution/changzhi-mch"]
    assert errors == []
    page.close()


def test_markup_in_a_label_stays_text_in_the_card(
    browser: BrowserContext, tmp_path: Path, graph: Graph
) -> None:
    data = tmp_path / "hostile.ttl"
    hostile_graph(graph).serialize(data, format="turtle")
    opened = open_page(browser, write_page(tmp_path, "--input", str(data)))
    page = opened.page
    page.fill("#search", HOSTILE)
    page.press("#search", "Enter")
    assert page.inner_text("#selected .title") == HOSTILE
    assert (
        page.locator("#selected a.page-link").get_attribute("href")
        == f"{BASE}id/institution/hostile"
    )
    assert page.evaluate("document.querySelectorAll('#selected img, #selected script').length") == 0
    opened.assert_clean()
