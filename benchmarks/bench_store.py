"""`serve --store` against `serve --data`: start-up time, memory and query times, in one run.

The national synthetic graph (`hospital-kg synth --hospitals 3000 --seed 42`, 1.08M
triples, written to `--data`, build/national.nt, if it is not there) is served twice with the
same options: once from the N-Triples file plus the ontology (`--data`: the template
process parses and loads them into memory, then forks the workers), once from an
on-disk Oxigraph store that `hospital-kg load` wrote from the same two files
(`--store`: the template opens it read-only). For each it prints:

- start-up: seconds from starting `hospital-kg serve` to its "SPARQL endpoint:" line,
  the median of `--starts` starts;
- memory: the proportional set size (PSS, /proc/PID/smaps_rollup) summed over the
  server and all its processes (template and workers), when it is up and again
  after the queries below: shared pages count once in all, split among their sharers;
- queries: each query's median time over `--repeat` runs after one warm-up run,
  through the endpoint (HTTP on loopback, CSV).

    python benchmarks/bench_store.py
    python benchmarks/bench_store.py --starts 1 --repeat 3 --serve-args "--workers 4"
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_builder.project import Project  # noqa: E402
from graph_builder.server.bindings import term_text  # noqa: E402
from graph_builder.sparql.query_library import load_library  # noqa: E402

CLI = Path(sys.executable).with_name("hospital-kg")
#: Library queries to time, with bindings that exist in the synthetic graph (the library
#: defaults name the founding reports' entities): two selective lookups, four aggregates.
QUERIES: dict[str, dict[str, str]] = {
    "evidence": {"fact": "fact:anhui-city-01-mch-1-consortium"},
    "hospital-profile": {"hospital": "inst:anhui-city-01-mch-1"},
    "national-designations": {},
    "designations-by-level": {},
    "network-overlap": {},
    "timeline": {},
}


@dataclass
class Served:
    """One way of serving: its options and what was measured."""

    label: str
    args: list[str]
    startups: list[float] = field(default_factory=list)
    pss_up: list[float] = field(default_factory=list)
    pss_after: float = 0.0
    triples: str = ""
    query_ms: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it (the template and the workers it forked)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
            except OSError:
                continue
    return found


def pss_mib(pid: int) -> float:
    """PSS of `pid` and its descendants, in MiB."""
    total_kib = 0
    for process in descendants(pid):
        try:
            with open(f"/proc/{process}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total_kib += int(line.split()[1])
                        break
        except OSError:
            continue
    return total_kib / 1024


def start(args: list[str]) -> tuple[subprocess.Popen[str], str, float, str]:
    """A server on a free port: the process, its URL, seconds to its banner, its first line."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(CLI), "serve", "--port", "0", *args], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    first = ""
    for line in proc.stdout:
        first = first or line.strip()
        if line.startswith("SPARQL endpoint:"):
            url = line.split(":", 1)[1].strip()
            return proc, url, time.perf_counter() - started, first
    raise SystemExit(f"server did not start (exit {proc.wait()}): {' '.join(args)}")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def ask(url: str, name: str, bindings: dict[str, str]) -> tuple[float, int]:
    """One library query through the endpoint: seconds taken and rows answered."""
    query = load_library()[name]
    form = {"query": query.text}
    types = {p.name: p.type for p in query.params}
    for key, value in bindings.items():
        form[f"${key}"] = term_text(types[key], value)
    request = urllib.request.Request(
        url, data=urlencode(form).encode(), headers={"Accept": "text/csv"}, method="POST"
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
    return time.perf_counter() - started, max(0, body.count(b"\n") - 1)


def measure(served: Served, starts: int, repeat: int) -> None:
    for attempt in range(starts):
        proc, url, seconds, first = start(served.args)
        try:
            time.sleep(1)  # let the workers settle (the last fork returns before it is done)
            served.startups.append(seconds)
            served.pss_up.append(pss_mib(proc.pid))
            served.triples = first
            if attempt == 0:
                for name, bindings in QUERIES.items():
                    ask(url, name, bindings)  # warm-up: caches, the heavy-query memory
                    times = []
                    for _ in range(repeat):
                        elapsed, rows = ask(url, name, bindings)
                        times.append(elapsed)
                    served.query_ms[name] = statistics.median(times) * 1000
                    served.rows[name] = rows
                served.pss_after = pss_mib(proc.pid)
        finally:
            stop(proc)
        print(f"  {served.label}: up in {seconds:.2f} s", file=sys.stderr)


def national_graph(path: Path, hospitals: int) -> Path:
    if not path.is_file():
        print(f"  writing {path} (hospital-kg synth)", file=sys.stderr)
        command = [str(CLI), "synth", "--hospitals", str(hospitals), "--seed", "42"]
        subprocess.run([*command, "--output", str(path)], check=True, cwd=ROOT)
    return path


def directory_mib(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "build" / "national.nt")
    parser.add_argument(
        "--hospitals", type=int, default=3000, help="size of the graph if --data is missing"
    )
    parser.add_argument("--starts", type=int, default=3, help="server starts per way")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--serve-args", default="", help="extra options for hospital-kg serve")
    args = parser.parse_args()
    project = Project.find(ROOT)
    data = national_graph(args.data, args.hospitals)
    extra = shlex.split(args.serve_args)
    load = os.getloadavg()[0]
    print(
        f"# hospital-kg serve --store vs --data: cores {os.cpu_count()}, load average "
        f"{load:.1f}, {data.name}, serve {args.serve_args or '(defaults)'}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-store-", dir=data.parent) as tmp:
        store = Path(tmp) / "store"
        files = ["--data", str(data), "--data", str(project.ontology)]
        started = time.perf_counter()
        loaded = subprocess.run(
            [str(CLI), "load", "--store", str(store), *files],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        load_seconds = time.perf_counter() - started
        print(
            f"hospital-kg load: {loaded.stdout.strip()}; {load_seconds:.1f} s with start-up, "
            f"{directory_mib(store):,.0f} MiB on disk"
        )
        ways = [
            Served(f"--data {data.name} --data ontology", [*files, *extra]),
            Served("--store", ["--store", str(store), *extra]),
        ]
        for served in ways:
            measure(served, args.starts, args.repeat)
    print()
    for served in ways:
        print(f"- `{served.label}`: {served.triples}")
    print()
    print("| serve | start-up s | PSS when up MiB | PSS after the queries MiB |")
    print("| --- | ---: | ---: | ---: |")
    for served in ways:
        print(
            f"| `{served.label}` | {statistics.median(served.startups):.2f} | "
            f"{statistics.median(served.pss_up):,.0f} | {served.pss_after:,.0f} |"
        )
    print()
    header = " | ".join(f"`{s.label.split()[0]}` ms" for s in ways)
    print(f"| query | rows | {header} |")
    print("| --- | ---: |" + " ---: |" * len(ways))
    for name in QUERIES:
        times = " | ".join(f"{s.query_ms[name]:,.1f}" for s in ways)
        print(f"| {name} | {ways[0].rows[name]:,} | {times} |")


if __name__ == "__main__":
    main()
