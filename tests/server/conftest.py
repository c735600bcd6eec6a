"""Real `hospital-kg serve` processes on free loopback ports, shared by the endpoint tests."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CLI, REPO, run_cli

STARTUP_SECONDS = 180


def interruptible() -> None:
    """Before exec in a server's process: SIGINT as from a terminal. A test run started in
    the background (`make test &` without job control) ignores SIGINT, an ignored signal
    stays ignored across exec, and Ctrl+C would never reach the server."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


class Server:
    """`hospital-kg serve --port 0 ...` in a subprocess; `base` is its URL once it is ready."""

    def __init__(self, *args: str, log: Path) -> None:
        self.log = log
        self.stderr = log.open("w")
        self.proc = subprocess.Popen(
            [str(CLI), "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=interruptible,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        self.base = self._wait_for_url()
        self.endpoint = f"{self.base}/sparql"

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.output.append(line)
            if line.startswith("SPARQL endpoint:"):
                return line.split(":", 1)[1].strip().removesuffix("/sparql")
        self.stop()
        raise RuntimeError(f"server did not start: {self.output} {self.log.read_text()}")

    def worker_pids(self) -> list[int]:
        """Live query workers: the children of the server's template process (zygote.py)."""
        return [pid for template in children(self.proc.pid) for pid in children(template)]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
        return self.proc.returncode


@pytest.fixture(scope="session")
def seed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The seed graph with default settings (2 workers so the tests behave alike everywhere)."""
    server = Server("--workers", "2", log=tmp_path_factory.mktemp("seed") / "stderr.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def generated_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic graph of ~115,000 triples, large enough to make a cross join run for hours."""
    path = tmp_path_factory.mktemp("synthetic") / "national-300.nt"
    result = run_cli("synth", "--hospitals", "300", "--output", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def tiny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A tiny graph under another base (serve --base), whose labels hold HTML."""
    from tests.server.linked_data_graph import BASE, tiny_project

    root = tmp_path_factory.mktemp("tiny")
    graph = tiny_project(root)
    server = Server(
        "--workers", "1", "--reserve", "0", "--root", str(root), "--data", str(graph),
        "--base", BASE, log=root / "stderr.log",
    )  # fmt: skip
    yield server
    server.stop()
