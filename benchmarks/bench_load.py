"""Load on `hospital-kg serve` from wrk: many cheap clients, and heavy clients beside cheap ones.

Two scenarios, each against a real server on loopback, driven by wrk (Debian's `wrk`, a C
HTTP load generator with keep-alive connections), so the clients cost the shared cores
little:

1. `cheap`: 200 keep-alive clients send a selective library query (`evidence`) to the
   seed graph for `--seconds`.
2. `mixed`: on the synthetic national graph, 20 clients loop over heavy aggregate
   library queries while 5 clients send the cheap query; the cheap clients' p99 says
   whether heavy queries starve everyone else.

Prints one Markdown table: requests/s, p50/p99 latency and errors (non-2xx answers and
socket timeouts) per client group.

    python benchmarks/bench_load.py                       # both scenarios, 30 s each
    python benchmarks/bench_load.py --seconds 5 --hospitals 300
    python benchmarks/bench_load.py --scenario mixed --serve-args "--workers 4"
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queries import cached_graph  # noqa: E402

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


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept"] = "application/sparql-results+json"})
end
"""


def wrk(base: str, paths: list[str], clients: int, seconds: int, folder: Path, name: str):
    """Start wrk with `clients` connections looping over `paths`; returns the process."""
    script = folder / f"{name}.lua"
    script.write_text(LUA % ", ".join(f'"{p}"' for p in paths), encoding="utf-8")
    threads = max(1, min(clients, os.cpu_count() or 1))
    return subprocess.Popen(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


VERBOSE = False
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse_wrk(output: str, scenario: str, group: str, clients: int) -> Result:
    if VERBOSE:
        print(f"--- wrk, {scenario}, {group}:\n{output}", file=sys.stderr)
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, flags=re.M))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    return Result(
        scenario,
        group,
        clients,
        requests,
        rate,
        _ms(latency["50"]) if "50" in latency else float("nan"),
        _ms(latency["99"]) if "99" in latency else float("nan"),
        errors,
    )


def cheap_scenario(args: argparse.Namespace, folder: Path) -> list[Result]:
    proc, base = start_server(shlex.split(args.serve_args))
    try:
        run = wrk(
            base, [query_path(CHEAP, CHEAP_BINDINGS["seed"])], 200, args.seconds, folder, "cheap"
        )
        output, _ = run.communicate()
    finally:
        stop(proc)
    return [parse_wrk(output, "cheap (seed graph)", f"{CHEAP}", 200)]


def mixed_scenario(args: argparse.Namespace, folder: Path) -> list[Result]:
    project = Project.find()
    graph = cached_graph(project, args.hospitals, 42, args.cache_dir)
    serve = ["--data", str(graph), "--data", str(project.ontology), *shlex.split(args.serve_args)]
    proc, base = start_server(serve)
    try:
        heavy = wrk(base, [query_path(q) for q in HEAVY], 20, args.seconds, folder, "heavy")
        time.sleep(1)  # the heavy clients fill the workers first
        cheap_paths = [query_path(CHEAP, CHEAP_BINDINGS["national"])]
        cheap = wrk(base, cheap_paths, 5, args.seconds - 1, folder, "mixed-cheap")
        heavy_out, _ = heavy.communicate()
        cheap_out, _ = cheap.communicate()
    finally:
        stop(proc)
    label = f"mixed (national, {args.hospitals} hospitals)"
    return [
        parse_wrk(heavy_out, label, f"heavy ({', '.join(HEAVY)})", 20),
        parse_wrk(cheap_out, label, CHEAP, 5),
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
    parser.add_argument("--verbose", action="store_true", help="print wrk's own reports too")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    if shutil.which("wrk") is None:
        raise SystemExit("bench_load needs wrk: apt-get install wrk (make bench-load installs it)")
    load = os.getloadavg()[0]
    print(
        f"# hospital-kg load benchmark: cores {os.cpu_count()}, load average {load:.1f}, "
        f"{args.seconds} s per scenario, serve {args.serve_args or '(defaults)'}"
    )
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.scenario in ("cheap", "both"):
            results += cheap_scenario(args, Path(tmp))
        if args.scenario in ("mixed", "both"):
            results += mixed_scenario(args, Path(tmp))
    print("| scenario | clients | queries | requests/s | p50 ms | p99 ms | requests | errors |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.scenario} | {r.clients} | {r.group} | {r.rate:,.1f} | {r.p50_ms:,.1f} | "
            f"{r.p99_ms:,.1f} | {r.requests:,} | {r.errors:,} |"
        )


if __name__ == "__main__":
    main()
