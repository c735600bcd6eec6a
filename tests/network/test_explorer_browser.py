"""The explorer in a real browser: Debian's Chromium, driven by Playwright.

Each page is opened from a file:// URL with every request that is not file:
or data: recorded and aborted, and with console errors and uncaught
exceptions recorded; each test then asserts there were none. Screenshots go to
build/screenshots/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Route
from rdflib import Graph
from rdflib.namespace import PROV, RDFS

from graph_builder.network.entities import entity_network
from graph_builder.rdf.namespaces import FACT, HKG
from graph_builder.rdf.vocabulary import load_ontology
from tests.chromium import chromium_context
from tests.conftest import HOSTILE, REPO, hostile_graph, page_data, run_cli

SCREENSHOTS = REPO / "build" / "screenshots"
READY = "() => window.hkg && window.hkg.settled && window.hkg.firstDrawMs !== null"


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with chromium_context() as context:  # fails, not skips, without /usr/bin/chromium
        yield context


@dataclass
class Opened:
    page: Page
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.foreign == [], f"requests that left file:// {self.foreign}"
        assert self.dialogs == [], self.dialogs


def open_page(browser: BrowserContext, path: Path) -> Opened:
    page = browser.new_page()
    opened = Opened(page)

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            opened.foreign.append(url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function(READY, timeout=60_000)
    return opened


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000  # a real picture, not an empty canvas
    return path


def write_page(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "explorer.html"
    result = run_cli("viz", *args, "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory) -> Path:
    return write_page(tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def seed_net(project, graph: Graph):
    return entity_network(graph, load_ontology(project.ontology))


def screen_point(page: Page, canvas_js: str, arg) -> dict:
    """Page coordinates of a point the network computes in canvas coordinates."""
    return page.evaluate(
        f"""(arg) => {{
            const network = window.hkg.network;
            const point = ({canvas_js})(network, arg);
            const dom = network.canvasToDOM(point);
            const box = document.getElementById("network").getBoundingClientRect();
            return {{ x: dom.x + box.left, y: dom.y + box.top }};
        }}""",
        arg,
    )


def node_point(page: Page, node: str) -> dict:
    return screen_point(page, "(n, id) => n.getPositions([id])[id]", node)


def edge_point(page: Page, edge: str) -> dict:
    return screen_point(page, "(n, id) => n.body.edges[id].edgeType.getPoint(0.5)", edge)


def test_seed_page_draws_every_node(browser, seed_page: Path, seed_net, graph: Graph) -> None:
    opened = open_page(browser, seed_page)
    page = opened.page
    drawn = page.evaluate("window.hkg.drawnNodes()")
    assert drawn == seed_net.number_of_nodes() == len(page_data(seed_page.read_text())["nodes"])
    assert page.evaluate("window.hkg.drawnEdges()") == seed_net.number_of_edges()
    ids = set(page.evaluate("window.hkg.nodes.getIds()"))
    curie = graph.namespace_manager.curie
    designations = {curie(d) for d in graph.objects(None, HKG.designation)}
    hospitals = {curie(h) for h in graph.objects(None, HKG.recipient)}
    assert designations <= ids and hospitals <= ids
    legend = page.inner_text("#legend")
    assert "医院" in legend and "资质与称号" in legend and "联合体" in legend
    screenshot(page, "explorer-seed.png")
    opened.assert_clean()


def test_layout_is_seeded_and_settles(browser, seed_page: Path) -> None:
    runs = []
    for _ in range(2):
        opened = open_page(browser, seed_page)
        page = opened.page
        assert page.evaluate("window.hkg.network.physics.physicsEnabled") is False  # settled
        runs.append(page.evaluate("window.hkg.network.getPositions()"))
        opened.assert_clean()
        page.close()
    assert runs[0] == runs[1]


def test_search_box_focuses_a_node(browser, seed_page: Path) -> None:
    opened = open_page(browser, seed_page)
    page = opened.page
    page.fill("#search", "焦作市妇幼保健院")
    page.press("#search", "Enter")
    assert page.evaluate("window.hkg.network.getSelectedNodes()") == ["inst:jiaozuo-mch"]
    assert "焦作市妇幼保健院" in page.inner_text("#search-status")
    point = node_point(page, "inst:jiaozuo-mch")
    box = page.locator("#network").bounding_box()
    assert abs(point["x"] - (box["x"] + box["width"] / 2)) < 3  # centred on the node
    assert abs(point["y"] - (box["y"] + box["height"] / 2)) < 3
    page.fill("#search", "changzhi maternal")  # part of an English name, any case
    page.press("#search", "Enter")
    assert page.evaluate("window.hkg.network.getSelectedNodes()") == ["inst:changzhi-mch"]
    page.fill("#search", "没有这家医院")
    page.press("#search", "Enter")
    assert page.evaluate("window.hkg.network.getSelectedNodes()") == []
    assert "未找到" in page.inner_text("#search-status")
    opened.assert_clean()


def test_hovering_a_fact_shows_quote_report_and_year(browser, seed_page: Path, graph) -> None:
    fact = FACT["jiaozuo-tcm-characteristic-unit"]
    quote = str(graph.value(graph.value(fact, PROV.wasDerivedFrom), PROV.value))
    report = str(graph.value(graph.value(fact, PROV.hadPrimarySource), RDFS.label))
    target = "designation:national-mch-tcm-characteristic-unit"
    edge = f"{graph.namespace_manager.curie(fact)}|inst:jiaozuo-mch|{target}"
    opened = open_page(browser, seed_page)
    page = opened.page
    point = edge_point(page, edge)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("#tooltip:not([hidden])")
    text = page.inner_text("#tooltip")
    assert quote in text
    assert report in text
    assert "2024" in text and "国家级" in text
    screenshot(page, "explorer-seed-hover.png")
    opened.assert_clean()


def test_hovering_a_node_shows_both_names(browser, tmp_path: Path) -> None:
    opened = open_page(browser, write_page(tmp_path, "--lang", "en"))
    page = opened.page
    point = node_point(page, "inst:jiaozuo-mch")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("#tooltip:not([hidden])")
    text = page.inner_text("#tooltip")
    assert "Jiaozuo Maternal and Child Health Hospital" in text
    assert "(translation)" in text
    assert "焦作市妇幼保健院" in text
    screenshot(page, "explorer-seed-en.png")
    opened.assert_clean()


def test_kind_filter_hides_and_shows_nodes(browser, seed_page: Path, seed_net) -> None:
    designations = sum(1 for _, k in seed_net.nodes(data="kind") if k == "designation")
    opened = open_page(browser, seed_page)
    page = opened.page
    total = page.evaluate("window.hkg.drawnNodes()")
    page.uncheck('#legend input[data-kind="designation"]')
    page.wait_for_function(f"() => window.hkg.drawnNodes() === {total - designations}")
    page.check('#legend input[data-kind="designation"]')
    page.wait_for_function(f"() => window.hkg.drawnNodes() === {total}")
    opened.assert_clean()


def test_ego_view_draws_the_neighbourhood_with_its_centre_selected(browser, tmp_path) -> None:
    page_file = write_page(tmp_path, "--focus", "inst:jiaozuo-mch", "--depth", "1")
    expected = {n["id"] for n in page_data(page_file.read_text(encoding="utf-8"))["nodes"]}
    opened = open_page(browser, page_file)
    page = opened.page
    assert page.evaluate("window.hkg.drawnNodes()") == len(expected)
    assert page.evaluate("window.hkg.network.getSelectedNodes()") == ["inst:jiaozuo-mch"]
    assert "inst:changzhi-mch" not in expected
    screenshot(page, "explorer-seed-ego.png")
    opened.assert_clean()


def test_markup_in_labels_renders_as_text(browser, tmp_path: Path, graph: Graph) -> None:
    data = tmp_path / "hostile.ttl"
    hostile_graph(graph).serialize(data, format="turtle")
    opened = open_page(browser, write_page(tmp_path, "--input", str(data)))
    page = opened.page
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("window.hkg.nodes.get('inst:hostile').label") == HOSTILE
    options = page.evaluate(
        "Array.from(document.querySelectorAll('#search-options option')).map(o => o.value)"
    )
    assert HOSTILE in options
    point = node_point(page, "inst:hostile")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("#tooltip:not([hidden])")
    assert HOSTILE in page.inner_text("#tooltip")  # shown as the characters it is
    assert page.evaluate("document.querySelectorAll('#tooltip *').length") > 0
    assert page.evaluate("document.querySelectorAll('#tooltip img, #tooltip script').length") == 0
    opened.assert_clean()  # no alert() dialog, no request for "x"


def test_national_aggregate_view_in_the_browser(browser, tmp_path: Path) -> None:
    national = tmp_path / "national.nt"
    result = run_cli("synth", "--hospitals", "300", "--output", str(national))
    assert result.returncode == 0, result.stderr
    page_file = write_page(tmp_path, "--input", str(national), "--max-nodes", "400")
    expected = len(page_data(page_file.read_text(encoding="utf-8"))["nodes"])
    assert 300 < expected <= 400
    opened = open_page(browser, page_file)
    page = opened.page
    assert page.evaluate("window.hkg.drawnNodes()") == expected
    assert "汇总视图" in page.inner_text("header")
    screenshot(page, "explorer-national-aggregate.png")
    opened.assert_clean()
