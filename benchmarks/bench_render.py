"""Time to first render of the explorer's 2,000-node national view in Chromium.

Builds the synthetic national graph (3,000 hospitals, ~1M triples) in memory,
makes the aggregate view (province -> hospitals -> national designations, at
most --max-nodes nodes) and an ego view around one hospital with the real
`hospital-kg viz` code, writes both pages, and opens each --runs times in
headless Debian Chromium, each time in a fresh browser context (no cache).
The page marks its phases with performance.mark; "first render" is the first
vis-network afterDrawing event, in ms since navigation start.

    .venv/bin/python benchmarks/bench_render.py                # 3,000 hospitals, 5 runs
    .venv/bin/python benchmarks/bench_render.py --hospitals 600 --runs 3

Target (issue 4): first render of the 2,000-node view under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.chromium

from graph_builder import Project
from graph_builder.ingest.synthetic import synthetic_graph
from graph_builder.network.entities import entity_network
from graph_builder.network.explorer import render_explorer
from graph_builder.network.view_selection import choose_view
from graph_builder.rdf.vocabulary import load_ontology
from tests.chromium import ARGS, CHROMIUM, require_chromium

READY = "() => window.hkg && window.hkg.settled && window.hkg.firstDrawMs !== null"
PHASES = """() => {
  const marks = {};
  performance.getEntriesByType("mark").forEach((m) => { marks[m.name] = m.startTime; });
  return marks;
}"""
TARGET_MS = 2000


def timed(label: str, func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def measure(pages: dict[str, Path], runs: int) -> dict[str, list[dict[str, float]]]:
    results: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(require_chromium()), headless=True, args=list(ARGS)
        )
        for _ in range(runs):
            for name, path in pages.items():
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
                )
                page.goto(path.as_uri())
                page.wait_for_function(READY, timeout=120_000)
                marks = page.evaluate(PHASES)
                marks["drawn"] = page.evaluate("window.hkg.drawnNodes()")
                results[name].append(marks)
                context.close()
        browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hospitals", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-nodes", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=Path("build/bench-render"))
    args = parser.parse_args()

    project = Project.find()
    ontology = load_ontology(project.ontology)
    print(f"machine: {os.cpu_count()} cores (nproc), load average {os.getloadavg()[0]:.2f}")
    print(f"synthetic national graph, {args.hospitals} hospitals:")
    graph = timed("generate", synthetic_graph, args.hospitals, 42, project)
    print(f"  {len(graph):,} triples")
    net = timed("entity network", entity_network, graph, ontology)
    print(f"  {net.number_of_nodes():,} nodes, {net.number_of_edges():,} edges")
    hospital = min(n for n, k in net.nodes(data="kind") if k == "hospital")
    views = {
        # the whole graph: over --max-nodes this is the aggregate view
        "national": timed("national view", choose_view, net, None, 2, args.max_nodes),
        "ego": timed("ego view (depth 2)", choose_view, net, hospital, 2, args.max_nodes),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    pages: dict[str, Path] = {}
    for name, view in views.items():
        page = timed(f"render {name} page", render_explorer, view, ontology, "zh")
        pages[name] = (args.out / f"{name}.html").resolve()
        pages[name].write_text(page.html, encoding="utf-8")
        size = pages[name].stat().st_size
        print(
            f"  {name} ({view.mode} view): {page.nodes:,} nodes, {page.edges:,} edges, "
            f"{size / 1e6:.1f} MB"
        )

    print(f"Chromium ({CHROMIUM}), {args.runs} runs per page, fresh context each:")
    results = measure(pages, args.runs)
    for name, runs in results.items():
        first = [r["hkg-first-draw"] for r in runs]
        median = statistics.median(first)

        def phase(a: str, b: str, runs=runs) -> float:
            return statistics.median(r[b] - r.get(a, 0.0) for r in runs)

        print(
            f"  {name}: first render median {median:.0f} ms "
            f"(min {min(first):.0f}, max {max(first):.0f}); "
            f"{median / TARGET_MS:.2f}x the {TARGET_MS} ms target "
            f"({'met' if median < TARGET_MS else 'NOT met'}); "
            f"drawn nodes {runs[0]['drawn']:,}"
        )
        print(
            f"    phases (median ms): to script {phase('', 'hkg-script'):.0f}, "
            f"parse data {phase('hkg-script', 'hkg-parsed'):.0f}, "
            f"datasets {phase('hkg-parsed', 'hkg-datasets'):.0f}, "
            f"vis.Network {phase('hkg-datasets', 'hkg-network'):.0f}, "
            f"first draw {phase('hkg-network', 'hkg-first-draw'):.0f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
