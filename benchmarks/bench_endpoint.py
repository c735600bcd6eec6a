"""Requests per second and p50/p99 latency of `hospital-kg serve` on loopback.

Starts the real server (seed graph, then the synthetic national graph), sends
library queries over HTTP from concurrent keep-alive clients for a bounded time
and count, and prints a Markdown table. Client and server share this machine's
cores, so the numbers are a floor for a server with the machine to itself.

    python benchmarks/bench_endpoint.py                       # seed + national (3,000 hospitals)
    python benchmarks/bench_endpoint.py --skip-national --seconds 5
    python benchmarks/bench_endpoint.py --national build/national.nt
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_builder.server.bindings import term_text  # noqa: E402
from graph_builder.sparql.query_library import load_library  # noqa: E402

CLI = Path(sys.executable).with_name("hospital-kg")
ACCEPT = "application/sparql-results+json"


@dataclass
class Run:
    graph: str
    query: str
    kind: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def start_server(*args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [str(CLI), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("SPARQL endpoint:"):
            return proc, line.split(":", 1)[1].strip()
    raise SystemExit(f"server did not start (exit {proc.wait()})")


#: Parameter values that exist in the synthetic graph (the defaults name seed entities).
NATIONAL_BINDINGS = {
    "evidence": {"fact": "fact:anhui-city-01-mch-1-consortium"},
    "hospital-profile": {"hospital": "inst:anhui-city-01-mch-1"},
}


def request_params(name: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The library query's text and its parameters (defaults, or overrides) as $name=TERM."""
    query = load_library()[name]
    values = {p.name: p.default for p in query.params if p.default is not None}
    values.update(overrides or {})
    types = {p.name: p.type for p in query.params}
    return {"query": query.text} | {f"${k}": term_text(types[k], v) for k, v in values.items()}


def load(
    endpoint: str, params: dict[str, str], concurrency: int, seconds: float, max_requests: int
) -> tuple[int, int, float, list[float]]:
    """`concurrency` threads, each a keep-alive http.client connection sending GET requests
    until the time or the request count runs out. (http.client is leaner than an async
    client, so more of the shared cores go to the server.)"""
    url = urlsplit(endpoint)
    path = f"{url.path}?{urlencode(params)}"
    latencies: list[float] = []
    errors = [0]
    budget = iter(range(max_requests))
    ready = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def send(conn: http.client.HTTPConnection, target: str) -> int:
        conn.request("GET", target, headers={"Accept": ACCEPT})
        response = conn.getresponse()
        response.read()
        return response.status

    def client() -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        send(conn, f"{url.path}?query=ASK%20%7B%7D")  # warm-up: open the connection
        ready.wait()
        while time.perf_counter() < deadline[0] and next(budget, None) is not None:
            started = time.perf_counter()
            try:
                status = send(conn, path)
            except (http.client.RemoteDisconnected, ConnectionResetError):
                conn.close()  # an idle keep-alive connection the server closed: reconnect once
                status = send(conn, path)
            except OSError:
                status = 0
            latencies.append(time.perf_counter() - started)
            errors[0] += status != 200
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    deadline[0] = time.perf_counter() + 3600  # set for real once every client is connected
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    return len(latencies), errors[0], time.perf_counter() - started, latencies


def bench_graph(
    label: str,
    server_args: list[str],
    queries: list[str],
    args: argparse.Namespace,
    bindings: dict[str, dict[str, str]] | None = None,
) -> list[Run]:
    proc, endpoint = start_server(*server_args)
    try:
        runs = []
        library = load_library()
        for name in queries:
            requests, errors, elapsed, latencies = load(
                endpoint,
                request_params(name, (bindings or {}).get(name)),
                args.concurrency,
                args.seconds,
                args.max,
            )
            kind = library[name].text.split("# kind:", 1)[-1].split()[0]
            run = Run(label, name, kind, requests, errors, elapsed, latencies)
            runs.append(run)
            print(
                f"  {label:>8} {name:<24} {run.rate:8.0f} req/s  p50 {run.percentile(50):6.1f} ms"
                f"  p99 {run.percentile(99):6.1f} ms  errors {errors}",
                file=sys.stderr,
            )
        return runs
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per query and graph")
    parser.add_argument("--max", type=int, default=50_000, help="most requests per run")
    parser.add_argument("--concurrency", type=int, default=8, help="keep-alive clients")
    parser.add_argument("--national", type=Path, help="national graph (.nt); made if missing")
    parser.add_argument("--hospitals", type=int, default=3000, help="size of a generated graph")
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()

    queries = ["evidence", "hospital-profile", "national-designations"]
    print(f"bench_endpoint: {os.cpu_count()} cores, {args.concurrency} clients", file=sys.stderr)
    runs = bench_graph("seed", [], queries, args)
    if not args.skip_national:
        national = args.national or ROOT / "build" / f"national-{args.hospitals}.nt"
        if not national.is_file():
            print(f"  generating {national} ...", file=sys.stderr)
            subprocess.run(
                [str(CLI), "synth", "--hospitals", str(args.hospitals), "--output", str(national)],
                check=True,
                cwd=ROOT,
            )
        ontology = ROOT / "ontology" / "hospital-kg.ttl"
        runs += bench_graph(
            "national",
            ["--data", str(national), "--data", str(ontology)],
            queries,
            args,
            NATIONAL_BINDINGS,
        )

    print(f"\nLoopback, {os.cpu_count()} cores (nproc), {args.concurrency} keep-alive clients:\n")
    print("| graph | query | kind | requests/s | p50 ms | p99 ms | requests | errors |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in runs:
        print(
            f"| {r.graph} | {r.query} | {r.kind} | {r.rate:,.0f} | {r.percentile(50):.1f} "
            f"| {r.percentile(99):.1f} | {r.requests:,} | {r.errors} |"
        )


if __name__ == "__main__":
    main()
