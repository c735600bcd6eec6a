"""Time library queries on Oxigraph in a worker process that is killed at the time budget.

Oxigraph evaluates a query inside Rust, where Python cannot interrupt it (one
library query once took 385 s at a million triples), so the worker loads its own
copy of the graph and the parent kills and restarts it when a query overruns.
Timings are taken inside the worker, with the same `run_query` a user calls.

Protocol, one JSON object per line: the parent sends {"files": [...]} once, the
worker answers {"ready": triples}; then per job {"query": name, "bindings": {var:
N3 term}, "repeat": n, "budget": s} and the worker answers {"run": seconds, "rows":
n} per run, then {"done": true} (or {"error": message}).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from budgeted import Timing, runs_within
from rdflib.term import Node
from rdflib.util import from_n3

from graph_builder.sparql.execute import run_query
from graph_builder.sparql.oxigraph_direct import triple_count
from graph_builder.sparql.query_library import load_library
from graph_builder.sparql.stores import STORES

STARTUP_SECONDS = 600.0  # loading ~1M triples takes seconds; a stuck load should still end


class OxigraphWorker:
    """The parent's handle on one worker; a worker killed at the budget is restarted lazily."""

    def __init__(self, files: list[Path]) -> None:
        self.files = [str(f) for f in files]
        self.proc: subprocess.Popen[str] | None = None
        self.buffer = ""

    def time(self, query: str, bindings: dict[str, Node], repeat: int, budget: float) -> Timing:
        proc = self._started()
        job = {"query": query, "repeat": repeat, "budget": budget}
        job["bindings"] = {name: term.n3() for name, term in bindings.items()}
        _send(proc.stdin, job)
        timing = Timing(budget)
        deadline = time.monotonic() + budget
        while True:
            message = self._receive(deadline)
            if message is None:
                timing.killed = True
                self.close()
                return timing
            if "run" in message:
                timing.add(message["run"], message["rows"])
            elif "error" in message:
                timing.error = message["error"]
                return timing
            else:
                return timing

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            self.buffer = ""

    def _started(self) -> subprocess.Popen[str]:
        if self.proc is None:
            self.proc = subprocess.Popen(
                [sys.executable, __file__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=Path(__file__).parent,
            )
            _send(self.proc.stdin, {"files": self.files})
            ready = self._receive(time.monotonic() + STARTUP_SECONDS)
            if ready is None or "ready" not in ready:
                self.close()
                raise RuntimeError(f"the Oxigraph worker did not start: {ready}")
        return self.proc

    def _receive(self, deadline: float) -> dict[str, Any] | None:
        """The next message, or None if none came by the deadline (or the worker died)."""
        assert self.proc is not None and self.proc.stdout is not None
        stream = self.proc.stdout.fileno()
        while "\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                return None
            chunk = os.read(stream, 65536).decode()
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split("\n", 1)
        return json.loads(line)


def _send(stream: IO[str] | None, message: dict[str, Any]) -> None:
    assert stream is not None
    stream.write(json.dumps(message, ensure_ascii=False) + "\n")
    stream.flush()


def serve() -> None:
    """The worker: load the files, then answer jobs until stdin closes."""
    out = sys.stdout
    config = json.loads(sys.stdin.readline())
    graph = STORES["oxigraph"].load_files(*map(Path, config["files"]))
    library = load_library()
    _send(out, {"ready": triple_count(graph)})
    for line in sys.stdin:
        job = json.loads(line)
        query = library[job["query"]]
        bindings = {name: from_n3(term) for name, term in job["bindings"].items()}

        def call(query=query, bindings=bindings) -> int:
            result = run_query(graph, query.text, bindings, source=query.path.name)
            return len(result.rows) if result.kind == "select" else 1

        try:
            for seconds, rows in runs_within(call, job["repeat"], job["budget"]):
                _send(out, {"run": seconds, "rows": rows})
            _send(out, {"done": True})
        except Exception as exc:
            _send(out, {"error": " ".join(f"{type(exc).__name__}: {exc}".split())[:300]})


if __name__ == "__main__":
    serve()
