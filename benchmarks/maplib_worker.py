"""Runs in its own virtual environment, where maplib is installed (columnar_probe.py makes
it): loads the graph into maplib, then answers the probe's job and prints one JSON object.

Job (stdin, JSON): {"files": [paths], "queries": {name: text}, "counts": {name: text},
"checks": {name: text}, "probes": {name: text}, "empty_probe": name, "runs": n,
"fork_query": text, "fork_seconds": s}. For each query and check, the answer as SPARQL
JSON; for each COUNT and probe, also the seconds of `runs` timed evaluations after that
warm-up. Then whether a query still answers in a process forked after the load (the
endpoint forks its workers from a process that holds the graph).

Only the standard library and maplib: this file never imports hospital-kg.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
import traceback


def timed(model, text: str, runs: int) -> dict:
    """The warm-up's SPARQL JSON, and the seconds of each timed run (or the error)."""
    try:
        answer = model.query(text, return_json=True)
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            model.query(text)
            seconds.append(time.perf_counter() - started)
        return {"json": answer, "seconds": seconds}
    except (Exception, BaseException) as exc:  # maplib's panics are BaseExceptions
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return {"error": " ".join(f"{type(exc).__name__}: {exc}".split())[:200]}


def forked_answers(model, text: str, seconds: float) -> bool:
    """Whether a child forked now answers `text` within `seconds` (it is killed if not)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, say so, and leave without running Python's exit
        try:
            model.query(text)
            os.write(write, b"1")
        finally:
            os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], seconds)
    answered = bool(ready) and os.read(read, 1) == b"1"
    if not answered:
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(read)
    return answered


def main() -> int:
    job = json.load(sys.stdin)
    from importlib.metadata import version

    from maplib import Model

    model = Model()
    started = time.perf_counter()
    for path in job["files"]:
        model.read(path)
    out: dict = {"version": version("maplib"), "load": time.perf_counter() - started}
    runs = job["runs"]
    out["queries"] = {n: timed(model, t, 0) for n, t in job["queries"].items()}
    out["counts"] = {n: timed(model, t, runs) for n, t in job["counts"].items()}
    out["checks"] = {n: timed(model, t, 0) for n, t in job["checks"].items()}
    out["fork"] = forked_answers(model, job["fork_query"], job["fork_seconds"])
    # the empty probe last: where maplib panics, its model stays locked (poisoned) and
    # fails every later query; "still answers" says whether that happened
    probes = sorted(job["probes"].items(), key=lambda item: item[0] == job["empty_probe"])
    out["probes"] = {n: timed(model, t, runs) for n, t in probes}
    out["still_answers"] = "error" not in timed(model, job["fork_query"], 0)
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        traceback.print_exc()
        sys.exit(1)
