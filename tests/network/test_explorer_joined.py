"""With the authority file the explorer's default page is one network, not two stars: the
hospital both reports name (河南省儿童医院 / 郑州儿童医院) is drawn once, in Chromium, and
linked to both founding hospitals' sides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from tests.chromium import chromium_context
from tests.conftest import run_cli

READY = "() => window.hkg && window.hkg.settled && window.hkg.firstDrawMs !== null"
SHARED = "inst:henan-childrens-hospital"


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with chromium_context() as context:  # fails, not skips, without /usr/bin/chromium
        yield context


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("joined") / "explorer.html"
    result = run_cli("viz", "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_the_shared_hospital_is_drawn_once_and_joins_both_sides(
    browser: BrowserContext, page_path: Path
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri())
    page.wait_for_function(READY, timeout=60_000)
    drawn = page.evaluate(
        """(id) => {
            const net = window.hkg.network;
            const ids = window.hkg.nodes.getIds();
            const pos = net.getPositions([id])[id];
            // every node reachable from a start through the drawn edges
            const SKIP = ["designation:", "place:"];
            const reach = (start, avoid, skip) => {
                const seen = new Set([start]); const queue = [start];
                while (queue.length) {
                    const node = queue.shift();
                    for (const next of net.getConnectedNodes(node)) {
                        if (seen.has(next) || next === avoid) continue;
                        if (skip && skip.some((p) => String(next).startsWith(p))) continue;
                        seen.add(next); queue.push(next);
                    }
                }
                return seen;
            };
            return {
                count: ids.filter((n) => n === id).length,
                finite: pos !== undefined && Number.isFinite(pos.x) && Number.isFinite(pos.y),
                neighbours: net.getConnectedNodes(id),
                joined: reach("inst:changzhi-mch").has("inst:jiaozuo-mch"),
                // through institutions and alliances (titles both hold and places aside)
                partners: reach("inst:changzhi-mch", null, SKIP).has("inst:jiaozuo-mch"),
                alone: reach("inst:changzhi-mch", id, SKIP).has("inst:jiaozuo-mch"),
            };
        }""",
        SHARED,
    )
    assert drawn["count"] == 1 and drawn["finite"]
    assert "inst:jiaozuo-mch" in drawn["neighbours"]
    assert "alliance:bch-group-zhengzhou-consortium" in drawn["neighbours"]
    assert drawn["joined"], "Changzhi's network reaches Jiaozuo's"
    assert drawn["partners"], "through institutions and alliances, not only titles or places"
    assert not drawn["alone"], "and there through the shared hospital"
    label = page.evaluate("(id) => window.hkg.nodes.get(id).label", SHARED)
    assert "河南省儿童医院" in label
    assert errors == []
