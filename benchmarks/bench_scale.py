"""Ten times the data: synth, load, serve start-up and every library query, at each size.

    python benchmarks/bench_scale.py                        # 3,000 and 30,000 hospitals
    python benchmarks/bench_scale.py --sizes 30 100 --dir /tmp/scale --repeat 1

Each step runs as a user runs it: the `hospital-kg` command in a fresh process, timed
by the wall clock, its peak memory (`ru_maxrss`) read from `wait4`. `synth` writes the
graph as N-Triples (streamed, rdf/chunked.py), `load --store` puts it and the ontology
into an on-disk Oxigraph store, and `serve --store` is timed from its start to the
banner that says it is up. The library queries are then timed in this process on an
in-memory pyoxigraph store of the same file and the ontology, as bench_queries.py times
them (the on-disk store is the slower one: RocksDB lookups against in-memory indexes):
one warm-up run, then the p50 of up to `--repeat` runs within `--budget-seconds`, every
solution iterated, each parameter bound to a typical value that exists at that size
(query_params.choose, run on the store itself, not on an rdflib copy of it). Prints one
table: a column per size and the growth from the first size to the last.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from budgeted import runs_within
from oxrdflib.store import OxigraphStore
from query_params import choose
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph_builder.project import PACKAGE_ROOT, Project
from graph_builder.rdf.builder import build_graph
from graph_builder.sparql.execute import native_answer
from graph_builder.sparql.query_library import LibraryQuery, load_library

CLI = Path(sys.executable).with_name("hospital-kg")
#: Longest a step may take before the benchmark gives up on it.
STEP_TIMEOUT = 4 * 3600
SERVE_BANNER = "SPARQL endpoint:"


@dataclass
class Size:
    """What one size measured: named figures (seconds, MiB, counts) and query timings."""

    hospitals: int
    figures: dict[str, float] = field(default_factory=dict)
    queries: dict[str, tuple[float, int, int]] = field(default_factory=dict)  # p50, rows, runs

    @property
    def label(self) -> str:
        triples = self.figures.get("triples")
        scale = f", {triples / 1e6:.2f}M triples" if triples else ""
        return f"{self.hospitals:,} hospitals{scale}"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    project = Project.find()
    library = load_library(project)
    seed_graph = build_graph(project)
    print(_header(args), flush=True)
    sizes = []
    for hospitals in args.sizes:
        size = Size(hospitals)
        measure_steps(size, args, project)
        measure_queries(size, args, project, library, seed_graph)
        sizes.append(size)
    print()
    print(table(sizes, list(library)))
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 30000], help="hospitals")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (cap)")
    parser.add_argument(
        "--budget-seconds", type=float, default=60.0, help="time per query's runs (cap)"
    )
    parser.add_argument(
        "--dir", type=Path, default=PACKAGE_ROOT / "build" / "bench", help="files and stores"
    )
    args = parser.parse_args(argv)
    if min(args.sizes) < 1 or args.repeat < 1 or args.budget_seconds <= 0:
        parser.error("--sizes and --repeat must be >= 1 and --budget-seconds > 0")
    return args


def _header(args: argparse.Namespace) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    versions = ", ".join(f"{p} {version(p)}" for p in ("rdflib", "pyoxigraph"))
    return (
        f"# hospital-kg scale benchmark: {', '.join(f'{n:,}' for n in args.sizes)} hospitals, "
        f"seed {args.seed}\n"
        f"cores: {os.cpu_count()}; load average at start: {load}; "
        f"Python {platform.python_version()}; {versions}"
    )


def measure_steps(size: Size, args: argparse.Namespace, project: Project) -> None:
    """synth, load and serve start-up, each a hospital-kg command in a fresh process."""
    n = size.hospitals
    nt = nt_file(args, n)
    store = args.dir / f"national-h{n}-store"
    figures = size.figures
    out, figures["synth s"], figures["synth peak MiB"] = run_timed(
        "synth", "--hospitals", str(n), "--seed", str(args.seed), "--output", str(nt)
    )
    figures["triples"] = _count(r"([\d,]+) triples", out)
    figures["N-Triples MiB"] = nt.stat().st_size / 2**20
    print(f"synth {n:,}: {out.strip()}", flush=True)
    out, figures["load s"], figures["load peak MiB"] = run_timed(
        "load",
        "--store",
        str(store),
        "--data",
        str(nt),
        "--with-ontology",
        "--root",
        str(project.root),
    )
    figures["store MiB"] = directory_bytes(store) / 2**20
    print(f"load {n:,}: {out.strip()}", flush=True)
    figures["serve --store start-up s"] = serve_start_up(store)


def run_timed(*args: str) -> tuple[str, float, float]:
    """Run `hospital-kg ARGS`: its stdout, wall seconds and peak memory in MiB (this process
    waits for the child itself, with wait4, to read the child's own resource usage)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(CLI), *args], stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"hospital-kg {' '.join(args)} failed: {err.read().strip()}")
        return out.read(), seconds, usage.ru_maxrss / 1024  # KiB on Linux


def serve_start_up(store: Path) -> float:
    """Seconds from `serve --store` starting to its banner; the server is then stopped."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(CLI), "serve", "--store", str(store), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(SERVE_BANNER):
                return time.perf_counter() - started
        raise SystemExit(
            f"serve --store {store} stopped: {proc.stderr.read() if proc.stderr else ''}"
        )
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def directory_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _count(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    return float(match.group(1).replace(",", "")) if match else float("nan")


def nt_file(args: argparse.Namespace, hospitals: int) -> Path:
    return Path(args.dir) / f"national-h{hospitals}.nt"


def measure_queries(
    size: Size,
    args: argparse.Namespace,
    project: Project,
    library: dict[str, LibraryQuery],
    seed: Graph,
) -> None:
    """Every library query's p50 in this process, on an in-memory store of the size's file
    and the ontology (the on-disk store answers the same rows, several times slower)."""
    started = time.perf_counter()
    store = ox.Store()  # in memory, as bench_queries.py times them (the README's 1M figures)
    store.bulk_load(path=str(nt_file(args, size.hospitals)), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(project.ontology), format=ox.RdfFormat.TURTLE)
    size.figures["memory load s"] = time.perf_counter() - started
    graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    for name, query in library.items():
        chosen = choose(query, graph, seed)
        for note in chosen.notes:
            print(f"parameter at {size.hospitals:,}: {note}", flush=True)

        def run(query: LibraryQuery = query, bindings: dict = chosen.bindings) -> int:
            # bound as `hospital-kg query` binds them: a VALUES block where one will do
            result = native_answer(graph, query.text, bindings, query.name)
            if isinstance(result, ox.QueryBoolean):
                return 1
            return sum(1 for _ in result)

        run()  # warm-up: the store's pages and the query's first compilation
        timed = list(runs_within(run, args.repeat, args.budget_seconds))
        p50 = statistics.median(seconds for seconds, _ in timed)
        size.queries[name] = (p50, timed[0][1], len(timed))
        print(f"{name} at {size.hospitals:,}: {_duration(p50)} ({timed[0][1]:,} rows)", flush=True)


FIGURES = (
    ("synth s", "synth: seconds", "{:,.1f}"),
    ("synth peak MiB", "synth: peak memory (MiB)", "{:,.0f}"),
    ("triples", "synth: triples", "{:,.0f}"),
    ("N-Triples MiB", "synth: N-Triples (MiB)", "{:,.0f}"),
    ("load s", "load --store (data + ontology): seconds", "{:,.1f}"),
    ("load peak MiB", "load --store: peak memory (MiB)", "{:,.0f}"),
    ("store MiB", "load --store: store on disk (MiB)", "{:,.0f}"),
    ("serve --store start-up s", "serve --store: start-up to banner (s)", "{:,.2f}"),
    ("memory load s", "in-memory store for the queries: load (s)", "{:,.1f}"),
)


def table(sizes: list[Size], names: list[str]) -> str:
    """One Markdown table: a row per step and query, a column per size, then the growth."""
    first, last = sizes[0], sizes[-1]
    lines = [
        "| step / query | " + " | ".join(s.label for s in sizes) + " | growth |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: |",
    ]
    for key, label, fmt in FIGURES:
        cells = [fmt.format(s.figures[key]) for s in sizes]
        lines.append(
            f"| {label} | {' | '.join(cells)} | {_growth(first.figures[key], last.figures[key])} |"
        )
    for name in names:
        cells = [f"{_duration(s.queries[name][0])} ({s.queries[name][1]:,} rows)" for s in sizes]
        growth = _growth(first.queries[name][0], last.queries[name][0])
        lines.append(f"| query {name} (p50) | {' | '.join(cells)} | {growth} |")
    return "\n".join(lines)


def _growth(before: float, after: float) -> str:
    return f"{after / before:,.1f}x" if before > 0 else "-"


def _duration(seconds: float) -> str:
    return f"{seconds:,.2f} s" if seconds >= 1 else f"{seconds * 1000:,.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
