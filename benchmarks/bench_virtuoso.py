"""hospital-kg serve against Virtuoso and oxigraph serve-read-only: every library query, in
SPARQL JSON and TSV, cold and warm, plus evaluation alone, in one run.

    python benchmarks/bench_virtuoso.py                          # 3,000 hospitals, ~1.08M triples
    python benchmarks/bench_virtuoso.py --hospitals 300 --repeat 3 --queries timeline,leaders

The three servers hold the same triples, the cached synthetic national graph
(bench_queries.py) and the ontology, and run side by side on loopback:

- `hospital-kg serve --data ...` (its own limits raised so that no answer is cut);
- Debian's Virtuoso 7 from a minimal ini in a temp dir (tests/publish/servers.py),
  bulk-loaded (`ld_dir`, `rdf_loader_run()`, `checkpoint`) into a named graph that
  every query names as `default-graph-uri`;
- `oxigraph serve-read-only` on a store written by `oxigraph load`.

Each query is sent as one self-contained text (our prefixes, the parameters in a VALUES
block), so all three servers answer the very same query. Per server, format and mode:
one warm-up, then `--repeat` timed requests (p50, p90 by nearest rank; the time is the
whole request, answer read to its last byte):

- cold: nothing cached anywhere: each request's text differs (a trailing comment line)
  and carries `Cache-Control: no-cache`;
- warm: the same text again, no header; hospital-kg's `X-Result-Cache: hit` answers are
  counted (Virtuoso and oxigraph keep no result cache: warm is just a repeat);
- evaluation only: `SELECT (COUNT(*) AS ?n) WHERE { { <query> } }`, cold, as TSV.

Row counts of every server and format (and the COUNT) are compared; a difference is
flagged. The issue's targets are printed met or missed, with the reason for each miss,
measured in the same run: where evaluation is slower, what one more joined pattern costs
each server per row (join_probe.py); where a warm answer is over its target, its size and
the rate it reached the client at.
Every server is stopped by its PID and its files removed, also on an error or Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox  # noqa: E402
from bench_queries import cached_graph  # noqa: E402
from join_probe import PROBES, Probe, microseconds, probe  # noqa: E402
from query_params import choose  # noqa: E402
from rdflib import Graph  # noqa: E402
from rdflib.term import Node  # noqa: E402
from timings import Timed, error_text  # noqa: E402

from graph_builder.atomic_files import sigterm_as_interrupt  # noqa: E402
from graph_builder.project import PACKAGE_ROOT, Project  # noqa: E402
from graph_builder.publish.remote import bind_values, with_prefixes  # noqa: E402
from graph_builder.rdf.builder import build_graph  # noqa: E402
from graph_builder.rdf.namespaces import display  # noqa: E402
from graph_builder.sparql.execute import run_query  # noqa: E402
from graph_builder.sparql.lexer import QUERY_FORMS, apply_escapes, tokens  # noqa: E402
from graph_builder.sparql.query_library import LibraryQuery, load_library  # noqa: E402
from graph_builder.sparql.stores import STORES  # noqa: E402
from tests.publish.servers import (  # noqa: E402
    VIRTUOSO_INSTALL,
    ServerError,
    TripleStore,
    free_port,
    program,
    start_virtuoso,
    wait_until_ready,
)

#: The named graph Virtuoso holds the data in.
GRAPH = "https://w3id.org/hospital-kg/graph/bench"
FORMATS = {"json": "application/sparql-results+json", "tsv": "text/tab-separated-values"}
FORMAT_TITLES = {"json": "SPARQL JSON results", "tsv": "TSV results"}
SERVERS = ("hospital-kg", "virtuoso", "oxigraph-ro")
TITLES = {"hospital-kg": "hospital-kg", "virtuoso": "Virtuoso", "oxigraph-ro": "oxigraph-ro"}
#: hospital-kg serve's own limits, raised so that no answer of the library is cut or stopped.
SERVE_ARGS = ("--workers", "2", "--timeout", "120", "--max-rows", "10000000")
VIRTUOSO_MAX_ROWS = 10_000_000
COLD_TARGET = 0.250  # seconds, p50 in the endpoint at ~1M triples
WARM_TARGET = 0.005
REQUEST_SECONDS = 120.0
STARTUP_SECONDS = 900.0  # hospital-kg serve parses and loads the graph in each worker
PROBE_SECONDS = 20.0  # paths-between on a connected pair, in process
CLI = Path(sys.executable).with_name("hospital-kg")


class BenchError(RuntimeError):
    """A server could not be started or loaded."""


class RequestTimeout(Exception):
    """A request took longer than REQUEST_SECONDS (a read timeout does not bound a slow
    answer that keeps trickling in)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise RequestTimeout in this (main) thread once `seconds` have passed."""

    def expire(signum: int, frame: object) -> None:
        raise RequestTimeout(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- timings ----------------------------------------------------------------------------


@dataclass
class Server:
    """A running SPARQL endpoint: where to ask, with which default graph, how to stop it."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    directory: Path
    graph: str | None = None
    stopper: TripleStore | None = None
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=REQUEST_SECONDS))

    def ask(self, text: str, fmt: str, cold: bool) -> httpx.Response:
        data = {"query": text}
        if self.graph is not None:
            data["default-graph-uri"] = self.graph
        headers = {"Accept": FORMATS[fmt]}
        if cold:
            headers["Cache-Control"] = "no-cache"
        try:
            with deadline(REQUEST_SECONDS):
                answer = self.client.post(self.url, data=data, headers=headers)
                _ = answer.content
        except RequestTimeout:
            self.client.close()  # the connection may be mid-answer: start afresh
            self.client = httpx.Client(timeout=REQUEST_SECONDS)
            raise
        if answer.status_code != 200:
            raise BenchError(f"HTTP {answer.status_code}: {' '.join(answer.text.split())[:200]}")
        return answer

    def stop(self) -> None:
        self.client.close()
        if self.stopper is not None:
            self.stopper.stop()
            return
        stop_process(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL to its process group (it leads one: its workers go with it)."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def rows_in(answer: httpx.Response, fmt: str) -> int:
    if fmt == "json":
        return len(json.loads(answer.content)["results"]["bindings"])
    lines = answer.content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return len(lines) - 1  # the header line names the variables


def count_in(answer: httpx.Response) -> int:
    """The ?n of a COUNT answered as TSV: `123` (oxigraph) or `"123"^^<...integer>`."""
    lines = answer.content.decode().split("\n")
    match = re.search(r"\d+", lines[1] if len(lines) > 1 else "")
    if match is None:
        raise BenchError(f"no count in {answer.text[:200]!r}")
    return int(match.group())


def timed(server: Server, text: str, fmt: str, cold: bool, repeat: int, count: bool) -> Timed:
    """One warm-up (its rows kept), then `repeat` timed requests; an error ends the cell."""
    timing = Timed()

    def variant(run: int) -> str:
        return f"{text}\n# run {run} {secrets.token_hex(6)}\n" if cold else text

    try:
        first = server.ask(variant(0), fmt, cold)
        timing.rows = count_in(first) if count else rows_in(first, fmt)
        timing.size = len(first.content)
        for run in range(1, repeat + 1):
            started = time.perf_counter()
            answer = server.ask(variant(run), fmt, cold)
            _ = answer.content
            timing.runs.append(time.perf_counter() - started)
            timing.cache.append(answer.headers.get("x-result-cache"))
    except Exception as exc:
        timing.error = error_text(exc)
    return timing


# --- query texts ------------------------------------------------------------------------


def query_text(query: LibraryQuery, bindings: dict[str, Node]) -> str:
    """One text every server answers alike: our prefixes, the bindings in a VALUES block."""
    return apply_escapes(with_prefixes(bind_values(query.text, bindings, query.path.name)))


def count_text(text: str) -> str:
    """`text`'s query wrapped in a COUNT: what evaluation costs without writing the rows."""
    form = next(t for t in tokens(text) if t.kind == "word" and t.text.upper() in QUERY_FORMS)
    prologue, body = text[: form.offset], text[form.offset :]
    return f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {{\n{body}\n}} }}"


def library_texts(
    project: Project, library: dict[str, LibraryQuery], data: Path
) -> tuple[dict[str, str], list[str], int]:
    """Each query's text with its benchmark parameters bound to entities of `data`, the
    notes on replaced defaults, and the triples of `data` plus the ontology."""
    graph: Graph = STORES["oxigraph"].load_files(data, project.ontology)
    seed = build_graph(project)
    notes: list[str] = []
    texts = {}
    for name, query in library.items():
        chosen = choose(query, graph, seed)
        notes += chosen.notes
        bindings = dict(chosen.bindings)
        if name == "paths-between" and bindings.get("from") == bindings.get("to"):
            bindings["to"], why = second_hospital(graph, query, bindings["from"])
            notes = [n for n in notes if not n.startswith(f"{name}: to=")]
            notes.append(f"{name}: to={display(graph, bindings['to'])} ({why})")
        texts[name] = query_text(query, bindings)
    return texts, notes, len(graph)


def second_hospital(graph: Graph, query: LibraryQuery, first: Node) -> tuple[Node, str]:
    """A hospital joined to `first` in one step (paths-between's steps), the median by IRI,
    if the query answers for the pair within PROBE_SECONDS in process; else `first` again.

    `choose` picks the same typical hospital for both ends, whose paths are all filtered
    out: an empty answer, found without evaluating the paths."""
    steps = (
        "{ ?f1 org:member $a ; org:organization ?via } UNION "
        "{ ?f1 org:organization $a ; org:member ?via } UNION "
        "{ ?f1 hkg:recipient $a ; hkg:issuer ?via } UNION "
        "{ ?f1 hkg:issuer $a ; hkg:recipient ?via }"
    )
    text = (
        "SELECT DISTINCT ?a ?b WHERE { "
        + steps.replace("$a", "?a")
        + " "
        + steps.replace("$a", "?b").replace("?f1", "?f2")
        + " ?b a hkg:Hospital . FILTER (?b != ?a) }"
    )
    rows = run_query(graph, text, {"a": first}).rows
    hospitals = sorted((str(row[1]), row[1]) for row in rows)
    if not hospitals:
        return first, "no hospital is joined to it: from = to (an empty answer)"
    peer = hospitals[len(hospitals) // 2][1]
    joined = (
        f"{display(graph, peer)}, the median by IRI of {len(hospitals):,} hospitals joined to it"
    )
    rows_found = within_budget(
        lambda: len(run_query(graph, query.text, {"from": first, "to": peer}).rows), PROBE_SECONDS
    )
    if rows_found is None:
        return first, (
            f"from = to, an empty answer: between it and {joined}, paths-between did not "
            f"finish within {PROBE_SECONDS:g} s in process (pyoxigraph)"
        )
    return peer, f"{joined} in one step; {rows_found:,} paths"


def within_budget(call: Callable[[], int], seconds: float) -> int | None:
    """`call()` in a forked child (it shares the loaded graph), or None if it takes longer
    than `seconds`: Oxigraph's evaluation cannot be interrupted inside this process."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        send.send(call())

    process = context.Process(target=child, daemon=True)
    process.start()
    try:
        if receive.poll(seconds):
            return int(receive.recv())
        return None
    finally:
        if process.is_alive():
            process.kill()
        process.join()


# --- servers ----------------------------------------------------------------------------


def isql(server: TripleStore, script: str) -> str:
    """Run `script` through isql-vt as dba (the password on the command line of a loopback,
    temporary server; the script on stdin); an error in it is a BenchError."""
    done = subprocess.run(
        [
            program("isql-vt", VIRTUOSO_INSTALL),
            f"127.0.0.1:{server.sql_port}",
            str(server.user),
            str(server.password),
        ],
        input=script,
        capture_output=True,
        text=True,
        timeout=REQUEST_SECONDS,
    )
    if done.returncode != 0 or "*** Error" in done.stdout or "*** Error" in done.stderr:
        raise BenchError(f"isql: {done.stdout[-1000:]} {done.stderr[-1000:]}")
    return done.stdout


def start_virtuoso_loaded(files: list[Path]) -> Server:
    """Virtuoso bulk-loaded from `files` (copied into its DirsAllowed directory)."""
    store = start_virtuoso(buffers=170_000, max_rows=VIRTUOSO_MAX_ROWS)
    server = Server("virtuoso", store.sparql, store.process, store.directory, GRAPH, stopper=store)
    try:
        incoming = store.directory / "load"
        incoming.mkdir()
        for path in files:
            shutil.copyfile(path, incoming / path.name)
        isql(
            store,
            f"ld_dir('{incoming}', '*.nt', '{GRAPH}');\nrdf_loader_run();\ncheckpoint;\n"
            "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n",
        )
        failed = isql(store, "SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n")
        if not re.search(r"^\s*0\s*$", failed, re.M):
            raise BenchError(f"Virtuoso's bulk load reported errors: {failed[-1000:]}")
        shutil.rmtree(incoming)
    except BaseException:
        server.stop()
        raise
    return server


def start_oxigraph_ro(files: list[Path]) -> Server:
    """`oxigraph serve-read-only` on a store `oxigraph load` wrote from `files`."""
    binary = program("oxigraph", "pip install oxigraph (in the dev extras)")
    directory = Path(tempfile.mkdtemp(prefix="hkg-oxigraph-ro-"))
    store = directory / "data"
    log = directory / "server.log"
    try:
        with log.open("wb") as out:
            subprocess.run(
                [
                    binary,
                    "load",
                    "--location",
                    str(store),
                    *(a for f in files for a in ("--file", str(f))),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=REQUEST_SECONDS,
            )
            port = free_port()
            process = subprocess.Popen(
                [
                    binary,
                    "serve-read-only",
                    "--location",
                    str(store),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--timeout-s",
                    f"{REQUEST_SECONDS:g}",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    base = f"http://127.0.0.1:{port}"
    handle = TripleStore("oxigraph-ro", "", f"{base}/query", directory, process)
    wait_until_ready(handle, log)
    return Server("oxigraph-ro", handle.sparql, process, directory, stopper=handle)


def start_hospital_kg(files: list[Path]) -> Server:
    """`hospital-kg serve --data ...`, waited for until it prints its SPARQL endpoint."""
    directory = Path(tempfile.mkdtemp(prefix="hkg-serve-bench-"))
    log = directory / "serve.log"
    data = [a for f in files for a in ("--data", str(f))]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CLI), "serve", *data, "--port", "0", *SERVE_ARGS],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,  # its own process group: a SIGKILL reaches its workers
        )
    server = Server("hospital-kg", "", process, directory)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        found = re.search(r"^SPARQL endpoint: (\S+)", text, re.M)
        if found:
            server.url = found.group(1)
            return server
        if process.poll() is not None:
            server.stop()
            raise BenchError(f"hospital-kg serve exited with {process.returncode}: {text[-2000:]}")
        time.sleep(0.2)
    server.stop()
    raise BenchError(f"hospital-kg serve did not start within {STARTUP_SECONDS:g} s")


def triples_on(server: Server) -> int:
    answer = server.ask("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "tsv", cold=True)
    return count_in(answer)


def virtuoso_version() -> str:
    done = subprocess.run(
        [program("virtuoso-t", VIRTUOSO_INSTALL), "-?"], capture_output=True, text=True
    )
    found = re.search(r"Version (\S+)", done.stdout + done.stderr)
    return f"Virtuoso Open Source {found.group(1) if found else '?'} (Debian)"


def oxigraph_version() -> str:
    done = subprocess.run(
        [program("oxigraph", "pip install oxigraph"), "--version"], capture_output=True, text=True
    )
    return done.stdout.strip() or "oxigraph ?"


# --- the run ----------------------------------------------------------------------------


@dataclass
class QueryRun:
    """Every cell of one query: cells[(server, format, mode)], mode cold, warm or count."""

    name: str
    cells: dict[tuple[str, str, str], Timed] = field(default_factory=dict)

    def get(self, server: str, fmt: str, mode: str) -> Timed:
        return self.cells.get((server, fmt, mode), Timed())

    def row_counts(self, mode: str) -> dict[str, int]:
        """Rows of each server's answers (mode "cold", both formats), or its COUNT ("count")."""
        return {
            f"{TITLES[s]} {f if m != 'count' else 'COUNT'}": t.rows
            for (s, f, m), t in self.cells.items()
            if t.rows is not None and m == mode
        }

    def rows(self) -> int | None:
        return self.get("hospital-kg", "json", "cold").rows

    def differing(self, mode: str = "cold") -> dict[str, int]:
        """The answers (or COUNTs) whose row count is not hospital-kg's JSON one."""
        counts = self.row_counts(mode)
        reference = self.rows()
        if reference is None and counts:
            reference = next(iter(counts.values()))
        return {k: v for k, v in counts.items() if v != reference}

    def errors(self) -> list[str]:
        return [f"{TITLES[s]} {f} {m}: {t.error}" for (s, f, m), t in self.cells.items() if t.error]


def measure(
    name: str, text: str, servers: dict[str, Server], repeat: int, evaluation: bool
) -> QueryRun:
    run = QueryRun(name)
    for fmt in FORMATS:
        for server in SERVERS:
            run.cells[(server, fmt, "cold")] = timed(
                servers[server], text, fmt, True, repeat, count=False
            )
            if server != "oxigraph-ro":
                run.cells[(server, fmt, "warm")] = timed(
                    servers[server], text, fmt, False, repeat, count=False
                )
    if evaluation:
        wrapped = count_text(text)
        for server in SERVERS:
            run.cells[(server, "tsv", "count")] = timed(
                servers[server], wrapped, "tsv", True, repeat, count=True
            )
    return run


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        for name in ("virtuoso-t", "isql-vt"):
            program(name, VIRTUOSO_INSTALL)
        program("oxigraph", "pip install oxigraph (in the dev extras: pip install -e '.[dev]')")
    except ServerError as exc:
        print(f"bench_virtuoso: {exc}", file=sys.stderr)
        return 2
    project = Project.find()
    library = load_library(project)
    if args.queries:
        wanted = [n.strip() for n in args.queries.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(library))
        if unknown:
            print(f"bench_virtuoso: unknown queries: {', '.join(unknown)}", file=sys.stderr)
            return 2
        library = {n: q for n, q in library.items() if n in wanted}
    load_start = _load()
    data = cached_graph(project, args.hospitals, args.seed, args.cache_dir)
    texts, notes, expected = library_texts(project, library, data)
    results: list[QueryRun] = []
    servers: dict[str, Server] = {}
    with sigterm_as_interrupt(), tempfile.TemporaryDirectory(prefix="hkg-bench-nt-") as tmp:
        ontology = Path(tmp) / "ontology.nt"
        ontology.write_bytes(
            ox.serialize(ox.parse(path=str(project.ontology)), format=ox.RdfFormat.N_TRIPLES) or b""
        )
        files = [data, project.ontology]
        try:
            started = time.perf_counter()
            servers["virtuoso"] = start_virtuoso_loaded([data, ontology])
            loads = {"virtuoso": time.perf_counter() - started}
            started = time.perf_counter()
            servers["oxigraph-ro"] = start_oxigraph_ro(files)
            loads["oxigraph-ro"] = time.perf_counter() - started
            started = time.perf_counter()
            servers["hospital-kg"] = start_hospital_kg(files)
            loads["hospital-kg"] = time.perf_counter() - started
            for name in SERVERS:
                server = servers[name]
                print(f"server {name}: pid {server.process.pid}, directory {server.directory}")
            counts = {name: triples_on(servers[name]) for name in SERVERS}
            print(_header(args, load_start, expected, counts, loads))
            for note in notes:
                print(f"parameter {note}")
            print(flush=True)
            for name in library:
                print(f"  {name} ...", file=sys.stderr, flush=True)
                results.append(measure(name, texts[name], servers, args.repeat, True))
            print("  join probe ...", file=sys.stderr, flush=True)
            probes = {name: _probe(servers[name], args.repeat) for name in SERVERS}
        finally:
            for server in servers.values():
                server.stop()
    print(f"load average at the end: {_load()}")
    _report(results, args.repeat, probes)
    return 0


def _probe(server: Server, repeat: int) -> Probe:
    def ask(text: str) -> tuple[float | None, int | None]:
        timing = timed(server, with_prefixes(text), "tsv", True, repeat, count=True)
        return timing.p50, timing.rows

    return probe(ask)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hospitals", type=int, default=3000, help="3000 gives ~1.08M triples")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per cell")
    parser.add_argument("--queries", default="", help="comma-separated library queries (all)")
    parser.add_argument(
        "--cache-dir", type=Path, default=PACKAGE_ROOT / "build" / "bench", help="graph cache"
    )
    args = parser.parse_args(argv)
    if args.hospitals < 1 or args.repeat < 1:
        parser.error("--hospitals and --repeat must be >= 1")
    return args


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _header(
    args: argparse.Namespace,
    load: str,
    expected: int,
    counts: dict[str, int],
    loads: dict[str, float],
) -> str:
    triples = "; ".join(
        f"{TITLES[n]} {counts[n]:,}" + ("" if counts[n] == expected else " (DIFFERS)")
        for n in SERVERS
    )
    return "\n".join(
        [
            f"# hospital-kg serve against Virtuoso and oxigraph serve-read-only: "
            f"{args.hospitals} hospitals, seed {args.seed}",
            f"cores: {os.cpu_count()}; load average at start: {load}; "
            f"Python {platform.python_version()}; hospital-kg {version('hospital-kg')}; "
            f"pyoxigraph {version('pyoxigraph')}; {oxigraph_version()} (server); "
            f"{virtuoso_version()}",
            f"servers: hospital-kg serve {' '.join(SERVE_ARGS)} (started in "
            f"{loads['hospital-kg']:.1f} s); Virtuoso NumberOfBuffers 170,000, ResultSetMaxRows "
            f"{VIRTUOSO_MAX_ROWS:,}, bulk-loaded into <{GRAPH}> (default-graph-uri) in "
            f"{loads['virtuoso']:.1f} s; oxigraph serve-read-only on a store from oxigraph load "
            f"({loads['oxigraph-ro']:.1f} s)",
            f"triples (data + ontology, {expected:,} expected): {triples}",
            f"each cell: 1 warm-up, then {args.repeat} requests, p50/p90 (nearest rank) of the "
            "whole request; cold = each text new + Cache-Control: no-cache; warm = same text "
            "again; eval = SELECT (COUNT(*) AS ?n) WHERE { { query } } as TSV, cold",
        ]
    )


def ms(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1:
        return f"{value:,.2f} s"
    return f"{value * 1000:.{2 if value < 0.01 else 1}f} ms"


def _cell(timing: Timed, p90: bool = False) -> str:
    if timing.error is not None:
        return "error"
    return ms(timing.p90 if p90 else timing.p50)


def _warm_cell(timing: Timed) -> str:
    text = _cell(timing)
    if timing.error is None and timing.runs:
        hits = timing.hits
        text += " (no cache)" if hits is None else f" ({hits}/{len(timing.runs)} hits)"
    return text


def _ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None or theirs == 0:
        return "?"
    return f"{mine / theirs:.2f}x"


def _rows_cell(run: QueryRun) -> str:
    rows = run.rows()
    text = "?" if rows is None else f"{rows:,}"
    differing = run.differing()
    if differing:
        text += " ≠ " + ", ".join(f"{k}: {v:,}" for k, v in differing.items())
    return text


def _report(results: list[QueryRun], repeat: int, probes: dict[str, Probe]) -> None:
    for fmt in FORMATS:
        print(f"\n### {FORMAT_TITLES[fmt]} ({FORMATS[fmt]})\n")
        print(
            "| query | rows | hospital-kg cold p50 | p90 | Virtuoso cold p50 | p90 "
            "| oxigraph-ro cold p50 | hospital-kg/Virtuoso cold | hospital-kg warm p50 "
            "| Virtuoso warm p50 |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for run in results:
            hk, vt = run.get("hospital-kg", fmt, "cold"), run.get("virtuoso", fmt, "cold")
            print(
                f"| {run.name} | {_rows_cell(run)} | {_cell(hk)} | {_cell(hk, True)} "
                f"| {_cell(vt)} | {_cell(vt, True)} | {_cell(run.get('oxigraph-ro', fmt, 'cold'))} "
                f"| {_ratio(hk.p50, vt.p50)} | {_warm_cell(run.get('hospital-kg', fmt, 'warm'))} "
                f"| {_cell(run.get('virtuoso', fmt, 'warm'))} |"
            )
    print("\n### Evaluation only (COUNT over the query, TSV, cold)\n")
    print(
        "| query | count | hospital-kg p50 | p90 | Virtuoso p50 | p90 | oxigraph-ro p50 "
        "| hospital-kg/Virtuoso |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run in results:
        hk, vt = run.get("hospital-kg", "tsv", "count"), run.get("virtuoso", "tsv", "count")
        count = "?" if hk.rows is None else f"{hk.rows:,}"
        if wrong := run.differing("count"):
            count += " ≠ " + ", ".join(f"{k}: {v:,}" for k, v in wrong.items())
        print(
            f"| {run.name} | {count} | {_cell(hk)} | {_cell(hk, True)} | {_cell(vt)} "
            f"| {_cell(vt, True)} | {_cell(run.get('oxigraph-ro', 'tsv', 'count'))} "
            f"| {_ratio(hk.p50, vt.p50)} |"
        )
    print()
    differing = [run for run in results if run.differing()]
    print(
        "same row counts on every server, format and query: "
        + ("yes" if not differing else "NO: " + ", ".join(r.name for r in differing))
    )
    miscounted = [
        f"{run.name} ({', '.join(f'{k}: {v:,}' for k, v in wrong.items())}; rows: {run.rows()})"
        for run in results
        if (wrong := run.differing("count"))
    ]
    print(
        "every COUNT equals the rows: "
        + ("yes" if not miscounted else "NO: " + "; ".join(miscounted))
    )
    for run in results:
        for error in run.errors():
            print(f"error: {run.name}: {error}")
    print("\n### Join probe (COUNT over the dated facts, TSV, cold)\n")
    print("| server | " + " | ".join(PROBES) + " | rows | one more pattern, per row |")
    print("| --- |" + " ---: |" * (len(PROBES) + 2))
    for name in SERVERS:
        found = probes[name]
        times = " | ".join(ms(found.seconds[p]) for p in PROBES)
        rows = "-" if found.rows is None else f"{found.rows:,}"
        print(f"| {TITLES[name]} | {times} | {rows} | {microseconds(found.per_row)} |")
    print()
    print(_targets(results, probes))


def _verdict(title: str, results: list[QueryRun], misses: dict[str, str]) -> str:
    met = len(results) - len(misses)
    line = f"- {title}: {'met' if not misses else 'missed'} ({met}/{len(results)} queries)"
    return "\n".join([line, *(f"  - {name}: {why}" for name, why in misses.items())])


def _slower_than_virtuoso(run: QueryRun, fmt: str, probes: dict[str, Probe]) -> str | None:
    """Why hospital-kg is slower than Virtuoso on this query, or None if it is not."""
    hk, vt = run.get("hospital-kg", fmt, "cold").p50, run.get("virtuoso", fmt, "cold").p50
    if hk is None or vt is None:
        return "not measured (error)"
    if hk <= vt:
        return None
    ehk = run.get("hospital-kg", "tsv", "count").p50
    evt = run.get("virtuoso", "tsv", "count").p50
    if ehk is None or evt is None:
        where = "evaluation not measured"
    elif ehk > evt:
        where = (
            f"evaluation is slower (COUNT {ms(ehk)} vs {ms(evt)}; a joined pattern costs "
            f"{microseconds(probes['hospital-kg'].per_row)} per row against "
            f"{microseconds(probes['virtuoso'].per_row)}: join probe)"
        )
    else:
        where = f"evaluation is not (COUNT {ms(ehk)} vs {ms(evt)}): writing and sending the rows is"
    return f"{ms(hk)} vs {ms(vt)} ({hk / vt:.2f}x); {where}"


def _size(timing: Timed) -> str:
    """The size of a warm answer and the rate it reached the client at."""
    if timing.size is None or not timing.p50:
        return ""
    return f"; {timing.size:,} bytes, {timing.size / timing.p50 / 1e9:.2f} GB/s to the client"


def _targets(results: list[QueryRun], probes: dict[str, Probe]) -> str:
    lines = ["Targets (set for ~1M triples on 2 cores):"]
    for fmt in FORMATS:
        misses = {
            run.name: why
            for run in results
            if (why := _slower_than_virtuoso(run, fmt, probes)) is not None
        }
        lines.append(
            _verdict(f"cold {fmt.upper()}: no slower than Virtuoso (p50)", results, misses)
        )
    misses = {}
    for run in results:
        over = []
        for fmt in FORMATS:
            p50 = run.get("hospital-kg", fmt, "cold").p50
            if p50 is None or p50 > COLD_TARGET:
                over.append(f"{fmt.upper()} {ms(p50)}")
        if over:
            evaluation = run.get("hospital-kg", "tsv", "count").p50
            misses[run.name] = ", ".join(over) + f" (evaluation alone {ms(evaluation)})"
    lines.append(
        _verdict(
            f"cold: <= {COLD_TARGET * 1000:g} ms p50 in the endpoint (JSON and TSV)",
            results,
            misses,
        )
    )
    misses = {}
    for run in results:
        over = []
        for fmt in FORMATS:
            warm = run.get("hospital-kg", fmt, "warm")
            if warm.p50 is None or warm.p50 > WARM_TARGET:
                hits = warm.hits
                cache = (
                    "no result cache (no X-Result-Cache header)"
                    if hits is None
                    else f"{hits}/{len(warm.runs)} from the cache"
                )
                over.append(f"{fmt.upper()} {ms(warm.p50)}, {cache}{_size(warm)}")
        if over:
            misses[run.name] = "; ".join(over)
    lines.append(
        _verdict(f"warm: <= {WARM_TARGET * 1000:g} ms p50 (JSON and TSV)", results, misses)
    )
    misses = {}
    for run in results:
        behind = []
        for fmt in FORMATS:
            hk = run.get("hospital-kg", fmt, "cold").p50
            oxi = run.get("oxigraph-ro", fmt, "cold").p50
            if hk is None or oxi is None or hk > oxi:
                behind.append(f"{fmt.upper()} {ms(hk)} vs {ms(oxi)}")
        if behind:
            misses[run.name] = "; ".join(behind)
    lines.append(
        _verdict("cold: ahead of oxigraph serve-read-only (p50, JSON and TSV)", results, misses)
    )
    if misses:
        lines.append(
            "  - for each: a request that evaluates nothing takes "
            f"{ms(probes['hospital-kg'].request)} against {ms(probes['oxigraph-ro'].request)} "
            "(join probe): the Python HTTP process and the hop to a worker that enforces the limits"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
