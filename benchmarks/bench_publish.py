"""Publishing at national scale: push throughput to real servers, and remote against local
query times, in one run.

The national synthetic graph (`synth --hospitals 3000 --seed 42`, 1.08M triples, cached
by bench_queries.py) and the ontology are loaded into the local store (pyoxigraph in
this process, as `hospital-kg query` uses it), then for each server in turn
(`oxigraph serve` from PyPI, Debian's Virtuoso 7 with digest auth; both started by
tests/publish/servers.py in a temp directory on loopback and stopped by their PID):

- push: the same triples through `push`'s library code (Graph Store Protocol, PUT then
  POSTs of `--batch` triples, the count checked afterwards), timed end to end;
- queries: every library query, with the bindings bench_queries.py uses on this graph,
  run through `query --endpoint`'s code (our prefixes, a VALUES block, SPARQL JSON
  parsed into rows) against the pushed graph named by `default-graph-uri`: p50 of
  `--repeat` runs after one warm-up, beside the same query on the local store. Rows
  are compared; a difference is printed in the table.

    python benchmarks/bench_publish.py                       # 1.08M triples
    python benchmarks/bench_publish.py --hospitals 300 --repeat 3 --servers oxigraph

A missing server is reported and skipped here (the tests, not the benchmark, insist).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_queries import cached_graph  # noqa: E402
from query_params import choose  # noqa: E402
from rdflib import Graph  # noqa: E402
from timings import Timed, error_text  # noqa: E402

from graph_builder.project import PACKAGE_ROOT, Project  # noqa: E402
from graph_builder.publish.batches import file_triples  # noqa: E402
from graph_builder.publish.connection import Connection, Credentials  # noqa: E402
from graph_builder.publish.graph_store import Target, push  # noqa: E402
from graph_builder.publish.remote import Endpoint  # noqa: E402
from graph_builder.rdf.builder import build_graph  # noqa: E402
from graph_builder.sparql.execute import QueryResult, run_query  # noqa: E402
from graph_builder.sparql.query_library import LibraryQuery, load_library  # noqa: E402
from graph_builder.sparql.stores import STORES  # noqa: E402
from tests.publish.servers import (  # noqa: E402
    GRAPH,
    ServerError,
    TripleStore,
    start_oxigraph,
    start_virtuoso,
)

STARTERS: dict[str, Callable[[], TripleStore]] = {
    "oxigraph": start_oxigraph,
    "virtuoso": lambda: start_virtuoso(buffers=170_000),
}


def rows_of(result: QueryResult) -> int:
    if result.kind == "select":
        return len(result.rows)
    if result.kind == "graph" and result.graph is not None:
        return len(result.graph)
    return 1


def timed(call: Callable[[], QueryResult], repeat: int) -> Timed:
    """One warm-up run (its rows kept), then `repeat` timed runs; an error ends it."""
    timing = Timed()
    try:
        timing.rows = rows_of(call())
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            timing.runs.append(time.perf_counter() - started)
    except Exception as exc:
        timing.error = error_text(exc)
    return timing


@dataclass
class ServerRun:
    """What one server did: the push, and each query's timing."""

    name: str
    version: str
    triples: int = 0
    push_seconds: float = 0.0
    requests: int = 0
    queries: dict[str, Timed] = field(default_factory=dict)
    error: str | None = None

    @property
    def rate(self) -> float:
        return self.triples / self.push_seconds if self.push_seconds else 0.0


def server_version(name: str) -> str:
    if name == "oxigraph":
        return f"oxigraph {version('oxigraph')}"
    return "Virtuoso Open Source 7 (Debian)"


def run_server(
    name: str,
    triples: list,
    library: dict[str, LibraryQuery],
    bindings: dict[str, dict],
    batch: int,
    repeat: int,
) -> ServerRun:
    """Start `name`, push, time every query remotely, stop it (always)."""
    run = ServerRun(name, server_version(name))
    try:
        server = STARTERS[name]()
    except ServerError as exc:
        run.error = str(exc)
        return run
    try:
        login = None
        if server.user is not None and server.password is not None:
            login = Credentials(server.user, "KG_BENCH_PASSWORD", server.password)
        with Connection(login, timeout=600) as connection:
            endpoint = Endpoint(server.sparql, connection)
            started = time.perf_counter()
            done = push(
                triples,
                Target(server.store, GRAPH),
                endpoint,
                connection,
                replace=True,
                batch_size=batch,
            )
            run.push_seconds = time.perf_counter() - started
            run.triples, run.requests = done.triples, done.batches
            print(
                f"  {name}: pushed {done.triples:,} triples in {run.push_seconds:.1f} s "
                f"({run.rate:,.0f} triples/s, {done.batches} requests)",
                file=sys.stderr,
                flush=True,
            )
            remote = Endpoint(server.sparql, connection, GRAPH)
            for query_name, query in library.items():
                values = bindings[query_name]
                run.queries[query_name] = timed(
                    lambda q=query, v=values: remote.query(q.text, v, source=q.path.name), repeat
                )
    except Exception as exc:
        run.error = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    finally:
        server.stop()
    return run


def milliseconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def cell(local: Timed, remote: Timed) -> str:
    """A remote p50 with its ratio to local, and a row count that differs."""
    if remote.error is not None:
        return f"error: {remote.error}"
    if remote.p50 is None:
        return "-"
    text = milliseconds(remote.p50)
    if local.p50:
        text += f" ({remote.p50 / local.p50:.1f}x)"
    if remote.rows != local.rows:
        text += f", {remote.rows:,} rows"
    return text


def report(header: str, local: dict[str, Timed], servers: list[ServerRun], library: dict) -> None:
    print()
    print("| push (Graph Store Protocol) | triples | requests | seconds | triples/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for run in servers:
        if run.error and not run.triples:
            print(f"| {run.version} | not run: {run.error} | | | |")
            continue
        print(
            f"| {run.version} | {run.triples:,} | {run.requests} | {run.push_seconds:.1f} "
            f"| {run.rate:,.0f} |"
        )
    shown = [run for run in servers if run.queries]
    print()
    print(
        "| query | rows | local p50 | "
        + " | ".join(f"{run.name} p50 (remote/local)" for run in shown)
        + " |"
    )
    print("| --- | ---: | ---: |" + " ---: |" * len(shown))
    for name in library:
        mine = local[name]
        rows = "-" if mine.rows is None else f"{mine.rows:,}"
        cells = [cell(mine, run.queries.get(name, Timed())) for run in shown]
        print(f"| {name} | {rows} | {milliseconds(mine.p50)} | " + " | ".join(cells) + " |")
    for run in servers:
        if run.error:
            print(f"\n{run.name}: {run.error}")
    same = all(run.queries[name].rows == local[name].rows for run in shown for name in run.queries)
    print(f"\nsame row counts on every server and query: {'yes' if same else 'NO'}")
    print(header.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hospitals", type=int, default=3000, help="3000 gives ~1.08M triples")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--batch", type=int, default=10_000, help="triples per request")
    parser.add_argument(
        "--servers", default="oxigraph,virtuoso", help="comma-separated: oxigraph, virtuoso"
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=PACKAGE_ROOT / "build" / "bench", help="graph cache"
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    unknown = sorted(set(names) - set(STARTERS))
    if unknown or args.repeat < 1 or args.batch < 1 or args.hospitals < 1:
        parser.error(f"unknown server(s) {unknown}" if unknown else "sizes must be >= 1")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    header = (
        f"# hospital-kg publish benchmark: {args.hospitals} hospitals, seed {args.seed}, "
        f"batches of {args.batch:,}, {args.repeat} runs per query\n"
        f"cores: {os.cpu_count()}; load average at start: {load}; "
        f"Python {platform.python_version()}; pyoxigraph {version('pyoxigraph')}"
    )
    print(header, flush=True)
    project = Project.find()
    library = load_library(project)
    data = cached_graph(project, args.hospitals, args.seed, args.cache_dir)
    graph: Graph = STORES["oxigraph"].load_files(data, project.ontology)
    seed = build_graph(project)
    bindings = {name: choose(query, graph, seed).bindings for name, query in library.items()}
    triples = sorted(set(file_triples(data)) | set(file_triples(project.ontology)), key=str)
    print(f"  local store: {len(graph):,} triples; pushing {len(triples):,}", file=sys.stderr)
    local = {
        name: timed(
            lambda q=query, v=bindings[name]: run_query(graph, q.text, v, source=q.path.name),
            args.repeat,
        )
        for name, query in library.items()
    }
    servers = [
        run_server(name, triples, library, bindings, args.batch, args.repeat) for name in names
    ]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    report(header + f"\nload average at the end: {load}", local, servers, library)
    return 0


if __name__ == "__main__":
    sys.exit(main())
