"""Real triple stores for the push and remote-query tests: Oxigraph's server and Virtuoso.

Each runs from a fresh temporary directory on a free loopback port, is waited for
until its SPARQL endpoint answers, and is stopped by its PID (SIGTERM, then SIGKILL)
with its directory removed. A missing server program is a ServerError naming the way
to install it, which fails the test (conftest.py): these tests are the only proof that
`push` and `query --endpoint` work against servers other than our own. The
benchmarks start the same servers from here (benchmarks/bench_publish.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

STARTUP_SECONDS = 60
#: The named graph the tests push to.
GRAPH = "https://w3id.org/hospital-kg/graph/test"


class ServerError(RuntimeError):
    """A server could not be started: not installed, exited, or silent."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def program(name: str, install: str) -> str:
    """The path of a server program: beside this Python (a pip-installed script), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ServerError(f"{name} is not installed: {install}")
    return found


@dataclass
class TripleStore:
    """A running server: where to push, where to query, and how to stop it."""

    name: str
    store: str  # the Graph Store URL `push --endpoint` takes
    sparql: str  # its SPARQL endpoint
    directory: Path
    process: subprocess.Popen[bytes]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sql_port: int | None = None  # Virtuoso's isql port, for bulk loads

    def credentials(self, variable: str = "KG_TEST_PASSWORD") -> tuple[list[str], dict[str, str]]:
        """The options and environment that give `push` this server's user and password."""
        if self.user is None or self.password is None:
            return [], {}
        return ["--user", self.user, "--password-env", variable], {variable: self.password}

    def count(self, graph: str = GRAPH) -> int:
        """The server's triple count for `graph`, asked with a plain HTTP client."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        answer = httpx.post(
            self.sparql,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        answer.raise_for_status()
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def wait_until_ready(server: TripleStore, log: Path) -> None:
    """Poll the SPARQL endpoint until it answers an ASK; fail with the server's log if it
    exits or does not answer in time."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            text = log.read_text(errors="replace")[-2000:]
            server.stop()
            raise ServerError(f"{server.name} exited with {server.process.returncode}: {text}")
        try:
            answer = httpx.post(server.sparql, data={"query": "ASK {}"}, timeout=2)
            if answer.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    text = log.read_text(errors="replace")[-2000:]
    server.stop()
    raise ServerError(f"{server.name} did not answer within {STARTUP_SECONDS} s: {text}")


def start_oxigraph() -> TripleStore:
    """`oxigraph serve` (the `oxigraph` package from PyPI) on a free port, data in a temp dir."""
    binary = program(
        "oxigraph", "pip install oxigraph (it is in the dev extras: pip install -e '.[dev]')"
    )
    directory = Path(tempfile.mkdtemp(prefix="hkg-oxigraph-"))
    port = free_port()
    log = directory / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    server = TripleStore("oxigraph", f"{base}/store", f"{base}/query", directory, process)
    wait_until_ready(server, log)
    return server


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = {max_rows}
"""

VIRTUOSO_INSTALL = (
    "install Debian's virtuoso-opensource-7-bin "
    "(as root: apt-get install virtuoso-opensource-7-bin, or bash .ci/system-deps)"
)


def start_virtuoso(buffers: int = 10_000, max_rows: int = 100_000) -> TripleStore:
    """Debian's Virtuoso 7 from a minimal ini in a temp dir, bound to 127.0.0.1, with a
    random dba password (set through isql); its Graph Store wants HTTP digest auth.

    `buffers` is NumberOfBuffers (8 KiB pages of cache): 10,000 suits the seed graph,
    170,000 a million triples (Virtuoso's own sizing table). `max_rows` is the most rows
    its SPARQL endpoint answers (ResultSetMaxRows); more are cut off without an error."""
    binary = program("virtuoso-t", VIRTUOSO_INSTALL)
    isql = program("isql-vt", VIRTUOSO_INSTALL)
    directory = Path(tempfile.mkdtemp(prefix="hkg-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=directory,
            sql_port=sql_port,
            http_port=http_port,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            max_rows=max_rows,
        )
    )
    log = directory / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=directory,
        )
    base = f"http://127.0.0.1:{http_port}"
    server = TripleStore(
        "virtuoso",
        f"{base}/sparql-graph-crud-auth",
        f"{base}/sparql",
        directory,
        process,
        sql_port=sql_port,
    )
    wait_until_ready(server, log)
    password = secrets.token_urlsafe(16)
    done = subprocess.run(  # the new password goes in on stdin, not on a command line
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba"],
        input=f"user_set_password('dba', '{password}');\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        server.stop()
        raise ServerError(f"could not set Virtuoso's dba password: {done.stdout} {done.stderr}")
    server.user, server.password = "dba", password
    return server
