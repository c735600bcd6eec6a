"""Every kind of bad request, one row each: what is sent, the status, and the first words
of the one-line `error:` answer.

The requests go out through http.client exactly as written (paths are not normalized,
Host headers can be left out or repeated). Rows run against the session's seed server
(default options) unless they name `limited`: a small `--data` server whose CORS allows one
origin, with tight URL and binding limits and a literal XML cannot carry.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

import pytest

from tests.server.conftest import Server

EX = "http://example.org/"
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
ALLOWED_ORIGIN = "http://localhost:5173"
SELECT = "SELECT ?h WHERE { ?h a hkg:Hospital }"
CONSTRUCT = "CONSTRUCT WHERE { ?h a hkg:Hospital }"
ASK = "ASK { ?s ?p ?o }"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    target: str  # path and query string, sent byte for byte
    status: int
    says: str  # the answer's line starts with "error: " + says
    headers: tuple[tuple[str, str], ...] = ()  # ("Host", ...) replaces the server's own
    body: bytes = b""
    server: str = "seed"  # or "limited"
    host: bool = True  # False: send no Host header at all
    extra: dict[str, str] = field(default_factory=dict)  # response headers expected


def get(params: dict[str, str] | list[tuple[str, str]]) -> str:
    return "/sparql?" + urlencode(params, quote_via=quote)


def form(params: dict[str, str] | list[tuple[str, str]]) -> bytes:
    return urlencode(params).encode()


def posted(body: bytes, content_type: str = FORM) -> dict:
    """The method, target, header and body of a POST to /sparql."""
    headers = (("Content-Type", content_type),)
    return {"method": "POST", "target": "/sparql", "body": body, "headers": headers}


# fmt: off
CASES = [
    # SPARQL Update and SERVICE: 403
    Case("update form field", **posted(form({"update": "DROP ALL"})), status=403,
         says="this endpoint is read-only"),
    Case("sparql-update body", **posted(b"CLEAR ALL", "application/sparql-update"), status=403,
         says="this endpoint is read-only"),
    Case("update as a query", **posted(form({"query": "DROP ALL"})), status=403,
         says="this endpoint is read-only"),
    Case("update in the URL", "GET", get({"update": "DROP ALL"}), 403,
         "this endpoint is read-only"),
    Case("INSERT as sparql-query", **posted(b"INSERT DATA { <a:b> <a:c> 1 }", SPARQL_QUERY),
         status=403, says="this endpoint is read-only"),
    Case("LOAD", "GET", get({"query": "LOAD <http://example.org/x>"}), 403,
         "this endpoint is read-only"),
    Case("SERVICE", "GET", get({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"}),
         403, "federated queries (SERVICE) are disabled"),
    # sizes
    Case("form over 1 MB", **posted(form({"query": ASK + "#" * 1_000_000})), status=413,
         says="request body over 1,000,000 bytes"),
    Case("query body over 1 MB", **posted(b"#" * 1_000_001, SPARQL_QUERY), status=413,
         says="request body over 1,000,000 bytes"),
    Case("URL over 8 KiB", "GET", get({"query": ASK + "#" * 9000}), 414, "the URL is"),
    Case("URL over --max-url", "GET", get({"query": ASK + "#" * 2100}), 414, "the URL is",
         server="limited"),
    # bodies we do not read: 415
    Case("POST without Content-Type", "POST", "/sparql", 415,
         "POST a query as application/x-www-form-urlencoded", body=ASK.encode()),
    Case("text/plain body", **posted(ASK.encode(), "text/plain"), status=415,
         says="POST a query as"),
    Case("multipart form", **posted(b"--x--\r\n", "multipart/form-data; boundary=x"),
         status=415, says="POST a query as"),
    Case("JSON body", **posted(b'{"query": "ASK {}"}', "application/json"), status=415,
         says="POST a query as"),
    Case("latin-1 charset", **posted(ASK.encode(), f"{SPARQL_QUERY}; charset=latin-1"),
         status=415, says="send the body as UTF-8, not charset=latin-1"),
    Case("gzip body", "POST", "/sparql", 415, "Content-Encoding 'gzip' is not accepted",
         headers=(("Content-Type", SPARQL_QUERY), ("Content-Encoding", "gzip")),
         body=b"\x1f\x8b\x08\x00"),
    # formats: 406
    Case("Accept nothing on offer", "GET", get({"query": SELECT}), 406,
         "cannot answer with 'image/png'", headers=(("Accept", "image/png"),)),
    Case("graph format for SELECT", "GET", get({"query": SELECT, "format": "turtle"}), 406,
         "format 'turtle' is not available"),
    Case("results type for CONSTRUCT", "GET", get({"query": CONSTRUCT}), 406,
         "cannot answer with 'application/sparql-results+json'",
         headers=(("Accept", "application/sparql-results+json"),)),
    Case("ASK as N-Triples", "GET", get({"query": ASK, "format": "nt"}), 406,
         "format 'nt' is not available"),
    Case("service description as CSV", "GET", "/sparql", 406, "cannot answer with 'text/csv'",
         headers=(("Accept", "text/csv"),)),
    Case("control character as SPARQL XML", "GET",
         get({"query": f"SELECT ?o {{ <{EX}s> <{EX}bell> ?o }}", "format": "xml"}), 406,
         "a literal in this answer holds U+0007", server="limited"),
    Case("control character as RDF/XML", "GET",
         get({"query": f"CONSTRUCT WHERE {{ <{EX}s> <{EX}bell> ?o }}", "format": "rdfxml"}),
         406, "a literal in this answer holds U+0007", server="limited"),
    # malformed requests and queries: 400
    Case("syntax error", "GET", get({"query": "SELECT ?x WHERE {"}), 400, "syntax error at line"),
    Case("unknown prefix", "GET", get({"query": "SELECT * { ?s nope:p ?o }"}), 400,
         "syntax error"),
    Case("empty query", "GET", "/sparql?query=", 400, "the query is empty"),
    Case("blank query", **posted(form({"query": " \n\t"})), status=400,
         says="the query is empty"),
    Case("form without query", **posted(form({"format": "json"})), status=400,
         says="no query"),
    Case("two queries", "GET", get([("query", ASK), ("query", ASK)]), 400,
         "give one query parameter, not several"),
    Case("query in URL and body", "POST", get({"query": ASK}), 400,
         "give the query in the body or in ?query=, not both",
         headers=(("Content-Type", SPARQL_QUERY),), body=ASK.encode()),
    Case("body not UTF-8", **posted(b"ASK { ?s ?p '\xff' }", SPARQL_QUERY), status=400,
         says="request body is not UTF-8"),
    Case("%FF in the URL", "GET", "/sparql?query=ASK%20%7B%7D%FF", 400,
         "parameter 'query' in the URL is not UTF-8"),
    Case("%FF in the form", **posted(b"query=ASK%20%7B%7D%FF"), status=400,
         says="parameter 'query' in the form is not UTF-8"),
    Case("default-graph-uri not an IRI", "GET",
         get({"query": ASK, "default-graph-uri": "not an iri"}), 400,
         "default-graph-uri 'not an iri' is not an absolute IRI"),
    Case("named-graph-uri relative", "GET",
         get({"query": ASK, "named-graph-uri": "graphs/1"}), 400,
         "named-graph-uri 'graphs/1' is not an absolute IRI"),
    # $name= bindings: 400
    Case("binding a variable the query lacks", "GET", get({"query": SELECT, "$x": "1"}), 400,
         "parameter $x: the query selects no variable ?x"),
    Case("binding given twice", "GET", get([("query", SELECT), ("$h", "1"), ("$h", "2")]), 400,
         "give $h once, not 2 times"),
    Case("binding name not a variable", "GET", get({"query": SELECT, "$a-b": "1"}), 400,
         "parameter '$a-b': not a SPARQL variable name"),
    Case("binding value not a term", "GET", get({"query": SELECT, "$h": "not a term"}), 400,
         "parameter $h: 'not a term' is not one RDF term"),
    Case("binding a blank node", "GET", get({"query": SELECT, "$h": "[]"}), 400,
         "parameter $h: '[]' is not one RDF term"),
    Case("binding outside the projection", "GET",
         get({"query": "SELECT ?l { ?h rdfs:label ?l }", "$h": "inst:jiaozuo-mch"}), 400,
         "parameter $h: the query selects no variable ?h"),
    Case("more bindings than --max-bindings", "GET",
         get({"query": "SELECT ?a ?b ?c {}", "$a": "1", "$b": "2", "$c": "3"}), 400,
         "3 $name= parameters; this server takes at most 2", server="limited"),
    # Host: DNS rebinding
    Case("foreign Host", "GET", get({"query": ASK}), 421,
         "this server does not answer to the name 'evil.example'",
         headers=(("Host", "evil.example"),)),
    Case("loopback name, wrong port", "GET", get({"query": ASK}), 421,
         "this server does not answer to the name 'localhost:1'",
         headers=(("Host", "localhost:1"),)),
    Case("two Host headers", "GET", get({"query": ASK}), 400, "more than one Host header",
         headers=(("Host", "127.0.0.1"), ("Host", "127.0.0.1"))),
    Case("no Host header", "GET", get({"query": ASK}), 400, "no Host header", host=False),
    Case("Host not host:port", "GET", get({"query": ASK}), 400,
         "the Host header 'a/b' is not host[:port]", headers=(("Host", "a/b"),)),
    # Origin: cross-site requests
    Case("foreign form POST", "POST", "/sparql", 403, "a form POST from another site",
         headers=(("Content-Type", FORM), ("Origin", "http://evil.example")),
         body=form({"query": ASK}), server="limited"),
    Case("text/plain POST from a sandboxed page", "POST", "/sparql", 403,
         "a form POST from another site (Origin 'null')",
         headers=(("Content-Type", "text/plain"), ("Origin", "null")),
         body=form({"query": ASK}), server="limited"),
    Case("foreign preflight", "OPTIONS", "/sparql", 403,
         "cross-origin requests from 'http://evil.example' are refused",
         headers=(("Origin", "http://evil.example"), ("Access-Control-Request-Method", "POST")),
         server="limited"),
    Case("preflight for PUT", "OPTIONS", "/sparql", 403, "cross-origin 'PUT' requests",
         headers=(("Origin", ALLOWED_ORIGIN), ("Access-Control-Request-Method", "PUT"))),
    # methods: 405 with Allow
    Case("PUT", "PUT", "/sparql", 405, "PUT is not allowed here", body=ASK.encode(),
         extra={"Allow": "GET, HEAD, POST, OPTIONS"}),
    Case("DELETE", "DELETE", "/sparql", 405, "DELETE is not allowed here",
         extra={"Allow": "GET, HEAD, POST, OPTIONS"}),
    Case("POST to the page", "POST", "/", 405, "POST is not allowed here",
         extra={"Allow": "GET, HEAD"}),
    Case("POST to a static file", "POST", "/static/app.js", 405, "POST is not allowed here",
         extra={"Allow": "GET, HEAD"}),
    # paths: 404, never a file outside static/
    Case("dot-dot", "GET", "/static/../../../pyproject.toml", 404, "not found"),
    Case("encoded dot-dot", "GET", "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml", 404,
         "not found"),
    Case("encoded slashes", "GET", "/static/..%2f..%2f..%2fpyproject.toml", 404, "not found"),
    Case("absolute path", "GET", "/static/%2fetc%2fpasswd", 404, "not found"),
    Case("no such page", "GET", "/sparql.php", 404, "not found"),
]
# fmt: on


CONTROL_DATA = f'<{EX}s> <{EX}bell> "ring\\u0007" .\n'


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("limited")
    (root / "control.nt").write_text(CONTROL_DATA, encoding="utf-8")
    server = Server(
        *("--data", str(root / "control.nt"), "--workers", "1", "--cors", ALLOWED_ORIGIN),
        *("--max-url", "2048", "--max-bindings", "2"),
        log=root / "stderr.log",
    )
    yield server
    server.stop()


def send(server: Server, case: Case) -> tuple[int, dict[str, str], str]:
    """The case's request, byte for byte; the status, headers and text of the answer."""
    url = urlsplit(server.base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.putrequest(case.method, case.target, skip_host=True, skip_accept_encoding=True)
        names = {name.lower() for name, _ in case.headers}
        if case.host and "host" not in names:
            connection.putheader("Host", url.netloc)
        for name, value in case.headers:
            connection.putheader(name, value)
        if case.body or case.method in ("POST", "PUT"):
            connection.putheader("Content-Length", str(len(case.body)))
        connection.endheaders(case.body or None)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        return response.status, dict(response.getheaders()), text
    finally:
        connection.close()


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_request(case: Case, request: pytest.FixtureRequest):
    server: Server = request.getfixturevalue("seed_server" if case.server == "seed" else "limited")
    status, headers, text = send(server, case)
    assert status == case.status, text
    assert text.startswith(f"error: {case.says}"), text
    assert text.count("\n") == 1 and text.endswith("\n"), text
    assert headers["content-type"].startswith("text/plain")
    for name, value in case.extra.items():
        assert headers[name.lower()] == value
