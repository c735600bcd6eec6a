"""The review page: a report's text with its candidates marked, and decisions written to the
candidates file. The API through httpx, the page in Debian's Chromium, both on a real server
over a scratch copy of the project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page

from graph_builder import Project
from graph_builder.extract.candidates_file import candidates_path, load
from tests.chromium import chromium_context
from tests.conftest import REPO
from tests.extract.new_report import REPORT, TEXT, add_report, hand_made, write_candidates
from tests.server.conftest import Server


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("review")
    for name in ("ontology", "data", "queries"):
        shutil.copytree(REPO / name, root / name)
    project = Project(root)
    add_report(project)
    write_candidates(project, hand_made())
    return project


@pytest.fixture(scope="module")
def server(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("review-log") / "stderr.log"
    server = Server("--root", str(project.root), "--workers", "1", "--reserve", "0", log=log)
    yield server
    server.stop()


JSON_TYPE = {"Content-Type": "application/json"}


def decisions(project: Project) -> dict[str, str]:
    path = candidates_path(project.data_dir / "facts", REPORT)
    return {entry.id: entry.decision for entry in load(path).entries}


def test_the_index_lists_reports_with_candidates(server: Server) -> None:
    data = httpx.get(f"{server.base}/api/review").json()
    assert [item["report"] for item in data["reports"]] == [REPORT]
    assert data["reports"][0]["candidates"] == len(hand_made())


def test_a_report_comes_with_its_exact_text_and_candidates(server: Server) -> None:
    data = httpx.get(f"{server.base}/api/review/{REPORT}").json()
    assert data["text"] == TEXT
    assert len(data["candidates"]) == len(hand_made())
    for candidate in data["candidates"]:
        assert TEXT[candidate["start"] : candidate["end"]] == candidate["quote"]
        assert candidate["decision"] == "proposed" and candidate["fact"]


def test_a_decision_changes_its_line_of_the_file(server: Server, project: Project) -> None:
    first = next(iter(decisions(project)))
    url = f"{server.base}/api/review/{REPORT}/{first}"
    answer = httpx.post(url, json={"decision": "reject"})
    assert answer.status_code == 200 and answer.json() == {"id": first, "decision": "reject"}
    assert decisions(project)[first] == "reject"
    httpx.post(url, json={"decision": "proposed"})
    assert decisions(project)[first] == "proposed"


@pytest.mark.parametrize(
    ("path", "kwargs", "status", "says"),
    [
        ("{report}/{first}", {"json": {"decision": "maybe"}}, 400, "decision must be one of"),
        (
            "{report}/{first}",
            {"content": b"not json", "headers": {"Content-Type": "application/json"}},
            400,
            "not JSON",
        ),
        ("{report}/{first}", {"data": {"decision": "accept"}}, 415, "application/json"),
        ("{report}/no-such-candidate", {"json": {"decision": "accept"}}, 404, "no candidate"),
        ("..%2F..%2Fetc/{first}", {"json": {"decision": "accept"}}, 404, ""),
        ("no-such-report/{first}", {"json": {"decision": "accept"}}, 404, "no candidates"),
        (
            "{report}/{first}",
            {"json": {"decision": "accept"}, "headers": {"Origin": "http://evil.example"}},
            403,
            "own review page",
        ),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(
    server: Server, project: Project, path: str, kwargs: dict, status: int, says: str
) -> None:
    before = candidates_path(project.data_dir / "facts", REPORT).read_bytes()
    first = next(iter(decisions(project)))
    url = f"{server.base}/api/review/" + path.format(report=REPORT, first=first)
    answer = httpx.post(url, **kwargs)
    assert answer.status_code == status, answer.text
    assert says in answer.text
    assert candidates_path(project.data_dir / "facts", REPORT).read_bytes() == before


def test_not_served_when_bound_beyond_loopback(project: Project, tmp_path: Path) -> None:
    server = Server(
        "--root",
        str(project.root),
        "--host",
        "0.0.0.0",
        "--workers",
        "1",
        "--reserve",
        "0",
        log=tmp_path / "stderr.log",
    )
    try:
        base = server.base.replace("0.0.0.0", "127.0.0.1")
        for url in (f"{base}/review", f"{base}/api/review/{REPORT}"):
            answer = httpx.get(url)
            assert answer.status_code == 403 and "served only by a server bound to" in answer.text
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with chromium_context(1400, 1000) as context:
        yield context


@pytest.fixture()
def page(browser: BrowserContext, server: Server) -> Iterator[Page]:
    page = browser.new_page()
    failures: list[str] = []
    page.on("pageerror", lambda exc: failures.append(str(exc)))
    page.goto(f"{server.base}/review/{REPORT}")
    page.wait_for_selector("#candidates li")
    yield page
    page.close()
    assert failures == []


def test_the_page_marks_every_quote_at_its_offsets(page: Page, server: Server) -> None:
    data = httpx.get(f"{server.base}/api/review/{REPORT}").json()
    assert page.eval_on_selector("#text", "e => e.textContent") == TEXT
    for candidate in data["candidates"]:
        marked = page.eval_on_selector_all(
            "mark",
            "(marks, id) => marks.filter(m => m.dataset.ids.split(' ').includes(id))"
            ".map(m => m.textContent).join('')",
            candidate["id"],
        )
        assert marked == candidate["quote"]
    assert page.locator("#candidates li").count() == len(data["candidates"])


def test_accept_and_reject_in_the_browser_write_the_file(page: Page, project: Project) -> None:
    first, second = list(decisions(project))[:2]
    page.click(f"#candidate-{first} .decide-accept")
    page.wait_for_selector(f"#candidate-{first}.accept")
    page.click(f"#candidate-{second} .decide-reject")
    page.wait_for_selector(f"#candidate-{second}.reject")
    assert decisions(project)[first] == "accept"
    assert decisions(project)[second] == "reject"
    page.reload()
    page.wait_for_selector(f"#candidate-{first}.accept")
    assert page.locator(f"#candidate-{second}").get_attribute("class") == "reject"
    marks = page.locator("mark.accept")
    assert marks.count() >= 1
