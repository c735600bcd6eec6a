"""National-scale query benchmark: every library query on Oxigraph and on rdflib's memory store.

    python benchmarks/bench_queries.py                  # 3,000 hospitals, ~1.08M triples
    python benchmarks/bench_queries.py --hospitals 300 --repeat 3

Both stores are loaded from the same cached synthetic graph in the same run, so the
ratios compare like with like on this machine at this moment. Each query gets a time
budget per store; a store that does not finish one run within it is reported as
"> budget", with a lower bound on the ratio. rdflib's memory store is timed in this
process, Oxigraph in a worker process with its own copy of the graph (budgeted.py
says why). Prints Markdown tables (the README's Performance section is one run's
output) and which targets are met.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from budgeted import Timing, timed_in_process
from oxigraph_worker import OxigraphWorker
from query_params import choose
from rdflib import Graph

from graph_builder.ingest.synthetic import synthetic_graph
from graph_builder.project import PACKAGE_ROOT, Project
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.export import export_graph
from graph_builder.sparql.execute import run_query
from graph_builder.sparql.oxigraph_direct import triple_count
from graph_builder.sparql.query_library import LibraryQuery, load_library
from graph_builder.sparql.stores import STORES

STORE_NAMES = ("oxigraph", "memory")
#: (target p50 on Oxigraph in seconds, minimum memory/oxigraph ratio) per kind of query.
TARGETS = {"selective": (0.002, 30.0), "aggregate": (0.250, 10.0)}
LOAD_TARGET = 150_000  # triples/s into Oxigraph
#: What the synthetic graph is made from: a change to any of these makes a new cache file.
GENERATOR_SOURCES = (
    "ingest/synthetic.py",
    "ingest/model.py",
    "ingest/record_schema.py",
    "rdf/builder.py",
    "rdf/iris.py",
    "rdf/namespaces.py",
    "rdf/vocabulary.py",
)


@dataclass
class Loaded:
    graph: Graph
    seconds: float
    triples: int

    @property
    def rate(self) -> float:
        return self.triples / self.seconds


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    project = Project.find()
    library = load_library(project)
    print(_header(args))
    data = cached_graph(project, args.hospitals, args.seed, args.cache_dir)
    loaded = {name: _load(name, data, project) for name in STORE_NAMES}
    print()
    print(_load_table(loaded))
    seed = build_graph(project)
    chosen = {
        name: choose(query, loaded["oxigraph"].graph, seed) for name, query in library.items()
    }
    print()
    for note in (n for c in chosen.values() for n in c.notes):
        print(f"parameter {note}")
    print(f"\nEach query: up to {args.repeat} runs and {args.budget_seconds:g} s per store.\n")
    print(_QUERY_HEADER, flush=True)
    worker = OxigraphWorker([data, project.ontology])
    results = []
    try:
        for name, query in library.items():
            bindings = chosen[name].bindings
            timings = {
                "oxigraph": worker.time(name, bindings, args.repeat, args.budget_seconds),
                "memory": timed_in_process(
                    _runner(loaded["memory"].graph, query, bindings),
                    args.repeat,
                    args.budget_seconds,
                ),
            }
            results.append((query, timings))
            print(_query_row(query, timings), flush=True)
    finally:
        worker.close()
    print()
    print(_verdicts(loaded, results))
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hospitals", type=int, default=3000, help="3000 gives ~1.08M triples")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5, help="runs per query and store (cap)")
    parser.add_argument(
        "--budget-seconds", type=float, default=30.0, help="time per query and store (cap)"
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=PACKAGE_ROOT / "build" / "bench", help="graph cache"
    )
    args = parser.parse_args(argv)
    if args.hospitals < 1 or args.repeat < 1 or args.budget_seconds <= 0:
        parser.error("--hospitals and --repeat must be >= 1 and --budget-seconds > 0")
    return args


def _header(args: argparse.Namespace) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    versions = ", ".join(f"{p} {version(p)}" for p in ("rdflib", "pyoxigraph", "oxrdflib"))
    return (
        f"# hospital-kg query benchmark: {args.hospitals} hospitals, seed {args.seed}\n"
        f"cores: {os.cpu_count()}; load average: {load}; "
        f"Python {platform.python_version()}; {versions}"
    )


def cached_graph(project: Project, hospitals: int, seed: int, cache_dir: Path) -> Path:
    """The synthetic graph as sorted N-Triples, generated once per size, seed and generator."""
    digest = hashlib.sha256()
    for name in GENERATOR_SOURCES:
        digest.update((PACKAGE_ROOT / "graph_builder" / name).read_bytes())
    digest.update(project.ontology.read_bytes())
    path = cache_dir / f"national-h{hospitals}-s{seed}-{digest.hexdigest()[:10]}.nt"
    if path.exists():
        print(f"graph: {path} (cached)")
        return path
    started = time.perf_counter()
    export_graph(synthetic_graph(hospitals, seed, project), "nt", path)
    print(f"graph: {path} (generated in {time.perf_counter() - started:.1f} s)")
    return path


def _load(store: str, data: Path, project: Project) -> Loaded:
    STORES[store].empty()  # plugin discovery and imports happen here, not in the timed load
    started = time.perf_counter()
    graph = STORES[store].load_files(data, project.ontology)
    seconds = time.perf_counter() - started
    return Loaded(graph, seconds, triple_count(graph))


def _runner(graph: Graph, query: LibraryQuery, bindings: dict):
    """What a user's call costs: SPARQL evaluation plus rows of rdflib terms."""

    def run() -> int:
        result = run_query(graph, query.text, bindings, source=query.path.name)
        return len(result.rows) if result.kind == "select" else 1

    return run


def _load_table(loaded: dict[str, Loaded]) -> str:
    ox, mem = loaded["oxigraph"], loaded["memory"]
    return "\n".join(
        [
            "| load (data + ontology) | oxigraph | memory | oxigraph/memory |",
            "| --- | ---: | ---: | ---: |",
            f"| triples | {ox.triples:,} | {mem.triples:,} | |",
            f"| seconds | {ox.seconds:.2f} | {mem.seconds:.2f} | |",
            f"| triples/s | {ox.rate:,.0f} | {mem.rate:,.0f} | {ox.rate / mem.rate:.1f}x |",
        ]
    )


_QUERY_HEADER = (
    "| query | kind | rows | oxigraph p50 | memory p50 | memory/oxigraph | runs | target |\n"
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
)


def _query_row(query: LibraryQuery, timings: dict[str, Timing]) -> str:
    ox, mem = timings["oxigraph"], timings["memory"]
    rows = "?" if ox.rows is None else f"{ox.rows:,}"
    if ox.rows is not None and mem.rows is not None and ox.rows != mem.rows:
        rows += f" (memory: {mem.rows:,})"
    verdict = "; ".join(_misses(query, timings)) or "met"
    return (
        f"| {query.name} | {query.kind or '?'} | {rows} | {_seconds(ox)} | {_seconds(mem)} "
        f"| {_ratio_text(timings)} | {len(ox.runs)}/{len(mem.runs)} | {verdict} |"
    )


def _seconds(timing: Timing) -> str:
    if timing.error is not None:
        return f"error: {timing.error}"
    if timing.p50 is None:
        return f"> {timing.budget:g} s"
    if timing.p50 < 1:
        return f"{timing.p50 * 1000:.{2 if timing.p50 < 0.01 else 1}f} ms"
    return f"{timing.p50:.2f} s"


def ratio(timings: dict[str, Timing]) -> tuple[float | None, bool]:
    """memory/oxigraph p50, and whether it is only a lower bound (memory over budget)."""
    ox, mem = timings["oxigraph"].p50, timings["memory"]
    if ox is None or ox == 0 or mem.error is not None:
        return None, False
    if mem.p50 is None:
        return mem.budget / ox, True
    return mem.p50 / ox, False


def _ratio_text(timings: dict[str, Timing]) -> str:
    value, bound = ratio(timings)
    if value is None:
        return "?"
    return f"{'> ' if bound else ''}{value:,.0f}x" if value >= 10 else f"{value:.1f}x"


def _misses(query: LibraryQuery, timings: dict[str, Timing]) -> list[str]:
    """Which of the query's targets it misses, and by how much."""
    p50_target, ratio_target = TARGETS.get(query.kind or "aggregate", TARGETS["aggregate"])
    ox = timings["oxigraph"].p50
    misses = []
    if ox is None:
        misses.append(f"p50 > {timings['oxigraph'].budget:g} s (target {p50_target * 1000:g} ms)")
    elif ox > p50_target:
        misses.append(f"p50 {ox / p50_target:.1f}x the {p50_target * 1000:g} ms target")
    value, bound = ratio(timings)
    if value is None:
        misses.append("ratio unknown")
    elif value < ratio_target:
        misses.append(
            f"ratio {'>= ' if bound else ''}{value:.1f}x < {ratio_target:g}x"
            + (" (unknown: memory over budget)" if bound else "")
        )
    return misses


def _verdicts(loaded: dict[str, Loaded], results: list) -> str:
    ox = loaded["oxigraph"]
    lines = [
        f"Targets (set for ~1M triples on 2 cores; this run: {ox.triples:,} triples, "
        f"{os.cpu_count()} cores):",
        f"- load >= {LOAD_TARGET:,} triples/s into Oxigraph: {ox.rate:,.0f} "
        f"({'met' if ox.rate >= LOAD_TARGET else 'missed'})",
    ]
    for kind, (p50_target, ratio_target) in TARGETS.items():
        of_kind = [(q, t) for q, t in results if (q.kind or "aggregate") == kind]
        missed = [q.name for q, t in of_kind if _misses(q, t)]
        lines.append(
            f"- {kind} (p50 <= {p50_target * 1000:g} ms and >= {ratio_target:g}x memory): "
            f"{len(of_kind) - len(missed)}/{len(of_kind)} met"
            + (f"; missed: {', '.join(missed)}" if missed else "")
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
