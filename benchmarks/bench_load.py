"""Load on `hospital-kg serve`: many cheap clients, and heavy clients beside cheap ones.

Two scenarios, each against a real server on loopback, from keep-alive HTTP/1.1 clients
that record every request's latency (http_load.py; wrk's histogram is "corrected" and
overstated percentiles here tenfold):

1. `cheap`: 200 clients send a selective library query (`evidence`) to the seed graph
   for `--seconds`.
2. `mixed`: on the synthetic national graph, 20 clients loop over heavy aggregate
   library queries while 5 clients send the cheap query; the cheap clients' p99 says
   whether heavy queries starve everyone else.

Prints one Markdown table: requests/s, p50/p99 latency and errors (non-2xx answers and
failed connections) per client group.

    python benchmarks/bench_load.py                       # both scenarios, 30 s each
    python benchmarks/bench_load.py --seconds 5 --hospitals 300
    python benchmarks/bench_load.py --scenario mixed --serve-args "--workers 4"
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_load  # noqa: E402
from bench_queries import cached_graph  # noqa: E402
from http_load import Load  # noqa: E402

from graph_builder.project import Project  # noqa: E402
from graph_builder.server.bindings import term_text  # noqa: E402
from graph_builder.sparql.query_library import load_library  # noqa: E402

CLI = Path(sys.executable).with_name("hospital-kg")
#: Aggregates that read the whole graph (hundreds of ms to seconds each at national scale).
HEAVY = ("timeline", "national-designations", "designations-by-level", "birth-defect-network")
CHEAP = "evidence"
#: Parameters that exist in each graph (the library defaults name seed entities).
CHEAP_BINDINGS = {
    "seed": {"fact": "fact:jiaozuo-pgt-qualification"},
    "national": {"fact": "fact:anhui-city-01-mch-1-consortium"},
}


@dataclass
class Result:
    scenario: str
    group: str
    clients: int
    requests: int
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


def query_path(name: str, bindings: dict[str, str] | None = None) -> str:
    """GET path of a library query with its parameters as `$name=TERM` bindings."""
    query = load_library()[name]
    values = {p.name: p.default for p in query.params if p.default is not None}
    values.update(bindings or {})
    params = {"query": query.text}
    for param in query.params:
        if param.name in values:
            params[f"${param.name}"] = term_text(param.type, values[param.name])
    return "/sparql?" + urlencode(params)


def start_server(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [str(CLI), "serve", "--port", "0", *args], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        print(f"  {line.rstrip()}", file=sys.stderr)
        if line.startswith("SPARQL endpoint:"):
            return proc, line.split(":", 1)[1].strip().removesuffix("/sparql")
    raise SystemExit(f"server did not start (exit {proc.wait()})")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def result(load: Load, scenario: str, group: str, clients: int) -> Result:
    return Result(
        scenario,
        group,
        clients,
        load.requests,
        load.requests / load.seconds if load.seconds else 0.0,
        load.percentile(50),
        load.percentile(99),
        load.failed,
    )


def cheap_scenario(args: argparse.Namespace) -> list[Result]:
    proc, base = start_server(shlex.split(args.serve_args))
    try:
        paths = [query_path(CHEAP, CHEAP_BINDINGS["seed"])]
        load = http_load.run(base, paths, 200, args.seconds)
    finally:
        stop(proc)
    return [result(load, "cheap (seed graph)", CHEAP, 200)]


def mixed_scenario(args: argparse.Namespace) -> list[Result]:
    project = Project.find()
    graph = cached_graph(project, args.hospitals, 42, args.cache_dir)
    serve = ["--data", str(graph), "--data", str(project.ontology), *shlex.split(args.serve_args)]
    proc, base = start_server(serve)
    try:
        with ThreadPoolExecutor(2) as pool:
            heavy = pool.submit(
                http_load.run, base, [query_path(q) for q in HEAVY], 20, args.seconds
            )
            time.sleep(1)  # the heavy clients fill the workers first
            cheap_paths = [query_path(CHEAP, CHEAP_BINDINGS["national"])]
            cheap = pool.submit(http_load.run, base, cheap_paths, 5, args.seconds - 1)
            heavy_load, cheap_load = heavy.result(), cheap.result()
    finally:
        stop(proc)
    label = f"mixed (national, {args.hospitals} hospitals)"
    return [
        result(heavy_load, label, f"heavy ({', '.join(HEAVY)})", 20),
        result(cheap_load, label, CHEAP, 5),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("cheap", "mixed", "both"), default="both")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--hospitals", type=int, default=3000, help="size of the national graph")
    parser.add_argument("--serve-args", default="", help="extra options for hospital-kg serve")
    parser.add_argument(
        "--cache-dir", type=Path, default=ROOT / "build" / "bench", help="synthetic graphs"
    )
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(
        f"# hospital-kg load benchmark: cores {os.cpu_count()}, load average {load:.1f}, "
        f"{args.seconds} s per scenario, serve {args.serve_args or '(defaults)'}"
    )
    results: list[Result] = []
    if args.scenario in ("cheap", "both"):
        results += cheap_scenario(args)
    if args.scenario in ("mixed", "both"):
        results += mixed_scenario(args)
    print("| scenario | clients | queries | requests/s | p50 ms | p99 ms | requests | errors |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.scenario} | {r.clients} | {r.group} | {r.rate:,.1f} | {r.p50_ms:,.1f} | "
            f"{r.p99_ms:,.1f} | {r.requests:,} | {r.errors:,} |"
        )


if __name__ == "__main__":
    main()
