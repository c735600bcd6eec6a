"""Failures a real server rarely shows on demand, from a scripted one on loopback: transient
errors retried, a timeout, a batch refused midway, a count that does not add up. Plus
the credential rules and blank nodes kept within one batch."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_builder.errors import UsageError
from graph_builder.publish.batches import batches, ntriples
from graph_builder.publish.connection import Connection, RemoteError, credentials, quoted
from graph_builder.publish.graph_store import Target, check_count, push
from graph_builder.publish.remote import Endpoint
from tests.conftest import run_cli
from tests.publish.servers import free_port

Answer = tuple[int, bytes]


def count_answer(n: int) -> Answer:
    binding = {"n": {"type": "literal", "value": str(n)}}
    body = {"head": {"vars": ["n"]}, "results": {"bindings": [binding]}}
    return 200, json.dumps(body).encode()


@dataclass
class Script:
    """What the scripted server answers: `store(request number)` for the Graph Store,
    `count()` for the SPARQL endpoint; it records every request line."""

    store: Callable[[int], Answer] = lambda n: (204, b"")
    count: Callable[[], Answer] = lambda: count_answer(0)
    seen: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)


@pytest.fixture()
def scripted() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.answer()

        def do_PUT(self) -> None:
            self.answer()

        def answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            script.seen.append(f"{self.command} {self.path}")
            if self.path.startswith("/query"):
                status, payload = script.count()
            else:
                script.bodies.append(body)
                status, payload = script.store(sum(p.startswith("/store") for p in script.paths()))
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    def paths() -> list[str]:
        return [line.split(" ", 1)[1] for line in script.seen]

    script.paths = paths  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", script
    server.shutdown()
    server.server_close()


def triples(n: int) -> list[ox.Triple]:
    return [
        ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)))
        for i in range(n)
    ]


def connection(**kwargs: object) -> Connection:
    return Connection(retries=2, backoff=0, **kwargs)  # type: ignore[arg-type]


def test_transient_errors_are_retried(scripted: tuple[str, Script]) -> None:
    base, script = scripted
    script.store = lambda n: (503, b"busy") if n < 3 else (204, b"")
    script.count = lambda: count_answer(5)
    with connection() as conn:
        done = push(
            triples(5), Target(f"{base}/store", "urn:g"), Endpoint(f"{base}/query", conn), conn,
            replace=True,
        )  # fmt: skip
    assert (done.triples, done.after) == (5, 5)
    assert [line.split("?")[0] for line in script.seen].count("PUT /store") == 3


def test_retries_give_up_in_one_line_saying_what_the_server_holds(
    scripted: tuple[str, Script],
) -> None:
    base, script = scripted
    script.store = lambda n: (204, b"") if n <= 2 else (502, b"bad gateway")
    script.count = lambda: count_answer(4)
    with connection() as conn, pytest.raises(RemoteError) as caught:
        push(
            triples(10), Target(f"{base}/store", "urn:g"), Endpoint(f"{base}/query", conn), conn,
            replace=True, batch_size=2,
        )  # fmt: skip
    assert str(caught.value) == (
        f"POST {base}/store: 502 Bad Gateway (3 attempts) "
        "(batch 3 of 5; the server now holds 4 triples in <urn:g>)"
    )
    methods = [line.split(" ")[0] for line in script.seen if "/store" in line]
    assert methods[:2] == ["PUT", "POST"]


def test_a_count_that_does_not_add_up_is_an_error(scripted: tuple[str, Script]) -> None:
    base, script = scripted
    script.count = lambda: count_answer(3)
    with connection() as conn, pytest.raises(RemoteError, match="holds 3 triples in <urn:g>"):
        push(
            triples(5), Target(f"{base}/store", "urn:g"), Endpoint(f"{base}/query", conn), conn,
            replace=True,
        )  # fmt: skip
    with pytest.raises(RemoteError, match="expected 10 to 15"):
        check_count(5, 10, 9, Target("x", None))
    check_count(5, 10, 12, Target("x", None))  # some of ours were there already


def test_the_graph_is_named_in_the_url_and_the_body_is_n_triples(
    scripted: tuple[str, Script],
) -> None:
    base, script = scripted
    script.count = lambda: count_answer(2)
    with connection() as conn:
        push(
            triples(2),
            Target(f"{base}/store", "urn:a/é?x#c"),
            Endpoint(f"{base}/query", conn),
            conn,
        )
        script.count = lambda: count_answer(0)
        push([], Target(f"{base}/store", None), Endpoint(f"{base}/query", conn), conn, replace=True)
    stores = [line for line in script.seen if "/store" in line]
    assert stores == ["POST /store?graph=urn%3Aa%2F%C3%A9%3Fx%23c", "PUT /store?default"]
    assert script.bodies[0] == ntriples(triples(2))
    assert script.bodies[1] == b""


def test_a_server_that_never_answers_is_a_timeout(tmp_path: object) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        run = run_cli(
            "query", "leaders", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "0.5"
        )
    assert run.returncode == 1
    assert run.stderr.strip() == (
        f"error: POST http://127.0.0.1:{port}/sparql: no answer within 0.5 s (--timeout)"
    )


def test_credentials_come_from_the_environment_only() -> None:
    assert credentials(None, None) is None
    found = credentials("dba", "KG_PW", {"KG_PW": "s3cret"})
    assert found is not None and "s3cret" not in repr(found)
    for user, variable, environ, message in [
        ("dba", None, {}, "--user needs --password-env"),
        (None, "KG_PW", {"KG_PW": "x"}, "--password-env needs --user"),
        ("dba", "KG_PW", {}, "KG_PW is not set"),
        ("dba", "KG_PW", {"KG_PW": ""}, "KG_PW is empty"),
        ("dba", "s3cret!", {}, "the name of an environment variable"),
    ]:
        with pytest.raises(UsageError, match=message):
            credentials(user, variable, environ)


@pytest.mark.parametrize(
    "args",
    [
        ["push", "--endpoint", "http://dba:pw@127.0.0.1:1/store", "--default"],
        ["push", "--endpoint", "ftp://127.0.0.1/store", "--default"],
        ["push", "--endpoint", "http://127.0.0.1:1/store"],
        ["push", "--endpoint", "http://127.0.0.1:1/store", "--default", "--graph", "urn:g"],
        ["push", "--endpoint", "http://127.0.0.1:1/store", "--graph", "not an iri"],
        ["push", "--endpoint", "http://127.0.0.1:1/elsewhere", "--default"],
        ["query", "leaders", "--graph", "urn:g"],
        ["query", "leaders", "--user", "dba"],
    ],
)
def test_bad_command_lines_are_refused_before_any_request(args: list[str]) -> None:
    run = run_cli(*args)
    assert run.returncode == 2, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and run.stderr.startswith("error: ")


def test_a_missing_input_file_is_one_line() -> None:
    port = free_port()
    run = run_cli("push", "--endpoint", f"http://127.0.0.1:{port}/store", "--default",
                  "--input", "no-such-file.ttl")  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.strip() == "error: --input: no such file: no-such-file.ttl"


def test_blank_nodes_stay_in_one_batch() -> None:
    b1, b2 = ox.BlankNode("b1"), ox.BlankNode("b2")
    p = ox.NamedNode("urn:p")
    linked = [
        ox.Triple(ox.NamedNode("urn:a"), p, b1),
        ox.Triple(b1, p, b2),
        ox.Triple(b2, p, ox.Literal("x")),
    ]
    listed = [*triples(2), linked[0], *triples(3)[2:], linked[1], linked[2]]
    parts = batches(listed, 2)
    assert [len(part) for part in parts] == [2, 3, 1]
    assert parts[1] == linked
    joined = list(chain.from_iterable(parts))
    assert joined != listed and sorted(map(str, joined)) == sorted(map(str, listed))


def test_input_files_are_checked_before_any_request(tmp_path: Path) -> None:
    port = free_port()
    push = ["push", "--endpoint", f"http://127.0.0.1:{port}/store", "--default", "--input"]
    broken = tmp_path / "broken.nt"
    broken.write_text('<urn:a> <urn:b> "x" .\n<urn:a> <urn:b> .\n')
    run = run_cli(*push, str(broken))
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: {broken}:2: ") and len(run.stderr.splitlines()) == 1
    quads = tmp_path / "graphs.nq"
    quads.write_text('<urn:a> <urn:b> "x" <urn:g> .\n')
    run = run_cli(*push, str(quads))
    assert run.returncode == 1
    assert "holds named graphs (<urn:g> ...)" in run.stderr


def test_server_text_is_quoted_on_one_line() -> None:
    assert quoted("line 1\n\x1b[31mred\x1b[0m <urn:x>") == "line 1 [31mred [0m <urn:x>"
    assert quoted("<html><b>Error</b> 22023</html>", html=True) == "Error 22023"
    assert quoted("x" * 400).endswith("x ...") and len(quoted("x" * 400)) == 304


def test_basic_auth_when_the_server_asks_for_it() -> None:
    """A server that challenges with Basic gets the credentials after one HEAD probe; the
    upload body is sent only once, with them."""
    expected = "Basic " + base64.b64encode(b"curator:s3cret").decode()
    seen: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.reply()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.reply()

        def reply(self) -> None:
            seen.append((self.command, self.headers.get("Authorization")))
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            else:
                self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/store"
    try:
        login = credentials("curator", "KG_PW", {"KG_PW": "s3cret"})
        with connection(credentials=login) as conn:
            conn.request("POST", url, params="default", content=b"<urn:a> <urn:b> <urn:c> .\n")
            conn.request("POST", url, params="default", content=b"<urn:a> <urn:b> <urn:d> .\n")
        wrong = credentials("curator", "KG_PW", {"KG_PW": "wrong"})
        with connection(credentials=wrong) as conn, pytest.raises(RemoteError) as caught:
            conn.request("POST", url, params="default", content=b"<urn:a> <urn:b> <urn:c> .\n")
    finally:
        server.shutdown()
        server.server_close()
    assert seen[:3] == [("HEAD", None), ("POST", expected), ("POST", expected)]
    assert str(caught.value) == (
        f"POST {url}: 401 Unauthorized: the server refused user 'curator' "
        "with the password in $KG_PW"
    )
    assert "wrong" not in str(caught.value)
