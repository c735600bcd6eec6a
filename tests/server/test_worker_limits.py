"""The query workers' own limits: no network at all, bounded memory, and an express lane so
heavy queries cannot starve short ones. Real servers, real sockets, real workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph_builder.server.wire import pack, read_message
from tests.conftest import CLI, REPO
from tests.server.conftest import Server, children, interruptible

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { ?h a hkg:Hospital }"
GREEDY = (
    "SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?b), STR(?c))) AS ?x) "
    "WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
)


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection it is offered."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def service_variants(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * WHERE {{ SERVICE:y {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://e/> SELECT * {{ ?s ex:a\\# ?o .\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://e/> SELECT * {{ ?s ex:a\\' ?o .\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVIC\\u0045 <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http\\u003A//127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    ]


def test_no_service_variant_reaches_a_listener_through_the_endpoint(
    seed_server: Server, listener: Listener
) -> None:
    for query in service_variants(listener.port):
        for send in (
            lambda q: httpx.get(seed_server.endpoint, params={"query": q}),
            lambda q: httpx.post(seed_server.endpoint, data={"query": q}),
        ):
            response = send(query)
            assert response.status_code == 403, (query, response.text)
            assert response.text.startswith("error: federated queries (SERVICE) are disabled")
    time.sleep(0.5)
    assert listener.connections == 0


def test_no_service_variant_reaches_a_listener_from_the_command_line(listener: Listener) -> None:
    for query in service_variants(listener.port):
        result = subprocess.run(
            [str(CLI), "query", "--sparql", query], capture_output=True, text=True, cwd=REPO
        )
        assert result.returncode == 2, (query, result.stderr)
        assert "SERVICE" in result.stderr and result.stderr.count("\n") == 1
    assert listener.connections == 0


def test_a_worker_cannot_call_out_even_when_asked_directly(
    tmp_path: Path, listener: Listener
) -> None:
    """The second wall: a SERVICE query handed to a worker past every check still reaches
    nothing, because the worker's seccomp filter refuses it a socket."""
    data = tmp_path / "one.nt"
    data.write_text("<http://e/s> <http://e/p> <http://e/o> .\n", encoding="utf-8")
    worker = subprocess.Popen(
        [sys.executable, "-m", "graph_builder.server.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert worker.stdin is not None and worker.stdout is not None
    config = {"files": [[str(data), "application/n-triples"]], "prefixes": {}, "max_memory": 0}
    worker.stdin.write(pack(config))
    worker.stdin.flush()
    ready = read_message(worker.stdout)
    assert ready is not None and ready[0]["ready"] and ready[0]["sandbox"] == "seccomp"
    url = f"http://127.0.0.1:{listener.port}/sparql"
    job = {
        "query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "accept": "text/csv",
        "max_rows": 10,
    }
    worker.stdin.write(pack(job))
    worker.stdin.flush()
    reply = read_message(worker.stdout)
    worker.stdin.close()
    worker.wait(timeout=10)
    assert reply is not None
    assert reply[0]["status"] == 500 and "Permission denied" in reply[0]["error"]
    assert listener.connections == 0


DEEP = "SELECT ?x WHERE { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }"


def test_an_over_deep_query_is_400_and_the_engine_survives(seed_server: Server) -> None:
    """5,000 nested parentheses crashed the engine (exit 139); now refused before it."""
    assert len(DEEP) > 10_000
    for _ in range(3):
        response = httpx.post(seed_server.endpoint, data={"query": DEEP})
        assert response.status_code == 400
        assert response.text.startswith("error: the query is nested 5,003 deep")
        assert response.text.count("\n") == 1
    alive = httpx.get(seed_server.endpoint, params={"query": CHEAP})
    assert alive.status_code == 200


def test_an_over_deep_query_is_one_line_on_the_command_line(tmp_path: Path) -> None:
    query = tmp_path / "deep.rq"
    query.write_text(DEEP, encoding="utf-8")
    for store in ("oxigraph", "memory"):
        result = subprocess.run(
            [str(CLI), "query", str(query), "--store", store],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert result.returncode == 2, result.stderr
        assert "nested 5,003 deep" in result.stderr and result.stderr.count("\n") == 1


def test_a_query_past_the_memory_limit_is_503_and_its_worker_replaced(
    generated_graph: Path, tmp_path: Path
) -> None:
    """A GROUP_CONCAT over a cartesian product grew a worker to 761 MB in 5 s, with no cap."""
    server = Server(
        *("--data", str(generated_graph), "--max-memory", "64", "--timeout", "60"),
        log=tmp_path / "stderr.log",
    )
    try:
        started = time.monotonic()
        response = httpx.post(server.endpoint, data={"query": GREEDY}, timeout=120)
        assert response.status_code == 503, response.text
        assert response.text.startswith("error: query stopped: it needed more than the 64 MB")
        assert time.monotonic() - started < 30  # stopped by the cap, not by the time limit
        deadline = time.monotonic() + 60
        while (after := httpx.post(server.endpoint, data={"query": CHEAP})).status_code != 200:
            assert time.monotonic() < deadline, after.text
            time.sleep(0.2)
    finally:
        server.stop()


def test_short_queries_are_answered_while_heavy_ones_fill_every_general_worker(
    generated_graph: Path, tmp_path: Path
) -> None:
    """Before the express lane, a short query waited for a heavy one to time out."""
    timeout = 8
    server = Server(
        *("--data", str(generated_graph), "--timeout", str(timeout), "--workers", "2"),
        log=tmp_path / "stderr.log",
    )
    heavy_answers: list[int] = []

    def heavy() -> None:
        response = httpx.post(server.endpoint, data={"query": HEAVY}, timeout=120)
        heavy_answers.append(response.status_code)

    try:
        threads = [threading.Thread(target=heavy) for _ in range(4)]
        for thread in threads:
            thread.start()
            time.sleep(0.1)
        time.sleep(1.0)  # the heavy queries hold both general workers and wait for more
        waits = []
        for _ in range(10):
            started = time.monotonic()
            response = httpx.post(server.endpoint, data={"query": CHEAP}, timeout=120)
            waits.append(time.monotonic() - started)
            assert response.status_code == 200, response.text
        assert all(thread.is_alive() for thread in threads[2:])  # still saturated
        assert max(waits) < timeout / 2, waits
        for thread in threads:
            thread.join(timeout=120)
        assert heavy_answers and set(heavy_answers) <= {503}
    finally:
        server.stop()


def test_sigint_while_the_workers_load_is_one_line(generated_graph: Path, tmp_path: Path) -> None:
    """Ctrl+C to the server alone, before it is up, used to end in a traceback."""
    proc = subprocess.Popen(
        [str(CLI), "serve", "--port", "0", "--data", str(generated_graph)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 60
    while not children(proc.pid):  # the template has started loading the graph
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    workers = children(proc.pid)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "error: stopped by Ctrl+C before the server was up\n"
    assert "SPARQL endpoint" not in out
    time.sleep(1)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


def raw_request(base: str, head: bytes) -> bytes:
    """Send a request head over a plain socket (httpx would refuse to build such a request)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_url_httptools_cannot_parse_gets_414_not_a_bare_400(seed_server: Server) -> None:
    host = seed_server.base.removeprefix("http://").encode()
    answer = raw_request(
        seed_server.base,
        b"GET /sparql?query=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n",
    )
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 414")
    assert (
        body.decode().startswith("error: the URL is over 65,000 bytes") and body.count(b"\n") == 1
    )


def test_headers_over_the_limit_get_431(seed_server: Server) -> None:
    host = seed_server.base.removeprefix("http://").encode()
    big = b"X-Big: " + b"b" * 100_000 + b"\r\n"
    answer = raw_request(
        seed_server.base, b"GET /sparql HTTP/1.1\r\nHost: " + host + b"\r\n" + big + b"\r\n"
    )
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 431")
    assert body == b"error: request headers over 65,536 bytes (--max-headers)\n"
    assert httpx.get(seed_server.endpoint, params={"query": "ASK {}"}).status_code == 200


def descendants(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def test_a_killed_server_takes_its_template_and_a_busy_worker_with_it(
    generated_graph: Path, tmp_path: Path
) -> None:
    """A worker deep in a query only stops when the server kills it; a server killed with
    SIGKILL (or by the OOM killer) used to leave it spinning for good, an orphan."""
    server = Server(
        *("--data", str(generated_graph), "--timeout", "600", "--workers", "1"),
        log=tmp_path / "stderr.log",
    )
    try:
        cut: list[BaseException] = []

        def ask() -> None:  # the server dies under this request: that is the test
            try:
                httpx.post(server.endpoint, data={"query": HEAVY}, timeout=600)
            except httpx.TransportError as exc:
                cut.append(exc)

        threading.Thread(target=ask, daemon=True).start()
        deadline = time.monotonic() + 30
        while len(descendants(server.proc.pid)) < 2:  # the template and its worker
            assert time.monotonic() < deadline, "the server started no worker"
            time.sleep(0.05)
        time.sleep(1.0)  # the worker is inside the query now
        family = descendants(server.proc.pid)
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while (alive := [pid for pid in family if Path(f"/proc/{pid}").exists()]) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert alive == []
    finally:
        for pid in descendants(server.proc.pid):
            os.kill(pid, signal.SIGKILL)
        server.stop()
