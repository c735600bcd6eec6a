"""The endpoint over real HTTP against DNS rebinding, cross-site posts and protocol corner
cases: Host names, CORS and Origin, HEAD and OPTIONS, URL length, charsets, strict
percent-decoding, XML that must parse, base IRIs and `$name=` bindings.

Most tests use the session's seed server (default options); `strict` is a small
`--data` server with CORS off and tight limits.
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from tests.conftest import run_cli
from tests.server.conftest import Server

ASK = "ASK { ?s ?p ?o }"
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
JSON = "application/sparql-results+json"
EX = "http://example.org/"
#: N-Triples with a literal XML cannot carry (BEL) and one with CR, which it must escape.
CONTROL_DATA = (
    f'<{EX}s> <{EX}bell> "ring\\u0007" .\n'
    f'<{EX}s> <{EX}crlf> "one\\r\\ntwo" .\n'
    f'<{EX}t> <{EX}plain> "plain" .\n'
)


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """CORS off, one extra Host name, a 2 KiB URL limit and at most 3 bindings."""
    root = tmp_path_factory.mktemp("strict")
    data = root / "control.nt"
    data.write_text(CONTROL_DATA, encoding="utf-8")
    server = Server(
        *("--data", str(data), "--workers", "1", "--cors", "none"),
        *("--allow-host", "kg.example.org", "--max-url", "2048", "--max-bindings", "3"),
        log=root / "stderr.log",
    )
    yield server
    server.stop()


def one_line(response: httpx.Response, status: int, start: str) -> None:
    """An error answer: the status, and one line of text/plain starting `error: start`."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text.startswith(f"error: {start}"), response.text
    assert response.text.count("\n") == 1 and response.text.endswith("\n")


def authority(server: Server) -> str:
    return urlsplit(server.base).netloc


def port(server: Server) -> int:
    return urlsplit(server.base).port or 80


# --- Host: DNS rebinding ----------------------------------------------------------------


def test_a_loopback_server_answers_only_to_its_own_names(seed_server: Server):
    for name in ("127.0.0.1", "localhost", "[::1]"):
        response = httpx.get(
            seed_server.endpoint,
            params={"query": ASK},
            headers={"Host": f"{name}:{port(seed_server)}"},
        )
        assert response.status_code == 200, name
    for host in ("evil.example", f"evil.example:{port(seed_server)}", "localhost:1"):
        refused = httpx.get(seed_server.endpoint, params={"query": ASK}, headers={"Host": host})
        one_line(refused, 421, "this server does not answer to the name")
        assert "--allow-host" in refused.text
    # the query page and its files are guarded too, not only /sparql
    page = httpx.get(f"{seed_server.base}/api/queries", headers={"Host": "evil.example"})
    assert page.status_code == 421


def test_allow_host_adds_names_on_any_port(strict: Server):
    for host in ("kg.example.org", "KG.example.org:8443", f"localhost:{port(strict)}"):
        response = httpx.get(strict.endpoint, params={"query": ASK}, headers={"Host": host})
        assert response.status_code == 200, host
    refused = httpx.get(strict.endpoint, params={"query": ASK}, headers={"Host": "kg.example.com"})
    assert refused.status_code == 421


# --- Origin and CORS --------------------------------------------------------------------


def test_cors_is_open_to_read_only_pages_by_default(seed_server: Server):
    origin = {"Origin": "https://yasgui.example"}
    get = httpx.get(seed_server.endpoint, params={"query": ASK}, headers=origin)
    assert get.status_code == 200
    assert get.headers["access-control-allow-origin"] == "*"
    assert "Origin" in get.headers["vary"] and "Accept" in get.headers["vary"]
    assert "X-Result-Rows" in get.headers["access-control-expose-headers"]
    # YASGUI's default request: a cross-origin form POST
    post = httpx.post(seed_server.endpoint, data={"query": ASK}, headers=origin)
    assert post.status_code == 200 and post.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(
        seed_server.endpoint,
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,accept",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed and "accept" in allowed
    # errors carry the CORS headers too, so the page can show them
    bad = httpx.post(seed_server.endpoint, data={"query": "SELECT"}, headers=origin)
    assert bad.status_code == 400 and bad.headers["access-control-allow-origin"] == "*"


def test_preflight_for_other_methods_or_headers_is_refused(seed_server: Server):
    origin = "https://yasgui.example"
    put = httpx.options(
        seed_server.endpoint,
        headers={"Origin": origin, "Access-Control-Request-Method": "PUT"},
    )
    one_line(put, 403, "cross-origin 'PUT' requests are refused")
    custom = httpx.options(
        seed_server.endpoint,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key",
        },
    )
    one_line(custom, 403, "cross-origin requests may not send the headers: x-api-key")


def test_cors_none_refuses_other_sites_but_not_the_same_origin(strict: Server):
    for origin in ("http://evil.example", "null"):
        for response in (
            httpx.get(strict.endpoint, params={"query": ASK}, headers={"Origin": origin}),
            httpx.post(strict.endpoint, data={"query": ASK}, headers={"Origin": origin}),
        ):
            one_line(response, 403, "requests from other sites")
            assert "access-control-allow-origin" not in response.headers
    preflight = httpx.options(
        strict.endpoint,
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
    )
    one_line(preflight, 403, "cross-origin requests from 'http://evil.example' are refused")
    same = httpx.post(strict.endpoint, data={"query": ASK}, headers={"Origin": strict.base})
    assert same.status_code == 200
    proxied = httpx.post(
        strict.endpoint,
        data={"query": ASK},
        headers={"Origin": "https://kg.example.org", "Host": "kg.example.org"},
    )
    assert proxied.status_code == 200  # a TLS proxy's page is same-origin
    assert httpx.get(strict.endpoint, params={"query": ASK}).status_code == 200  # curl, scripts


# --- methods ----------------------------------------------------------------------------


def test_head_answers_as_get_without_a_body(seed_server: Server):
    params = {"query": "SELECT ?h WHERE { ?h a hkg:Hospital }"}
    get = httpx.get(seed_server.endpoint, params=params, headers={"Accept": "text/csv"})
    head = httpx.head(seed_server.endpoint, params=params, headers={"Accept": "text/csv"})
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-length", "x-result-rows"):
        assert head.headers[name] == get.headers[name], name
    description = httpx.head(seed_server.endpoint, headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and description.content == b""
    assert description.headers["content-type"].startswith("text/turtle")


def test_other_methods_get_405_with_allow_and_options_lists_them(seed_server: Server):
    for method in ("PUT", "DELETE", "PATCH"):
        response = httpx.request(method, seed_server.endpoint, content=ASK)
        one_line(response, 405, f"{method} is not allowed here")
        assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    options = httpx.options(seed_server.endpoint)
    assert options.status_code == 204 and options.headers["allow"] == "GET, HEAD, POST, OPTIONS"


# --- URL length -------------------------------------------------------------------------


def raw_get(server: Server, target: str) -> tuple[int, str]:
    """A GET whose request target is sent exactly as given (httpx caps URL parts at 64 KiB)."""
    url = urlsplit(server.base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def padded(length: int) -> str:
    """/sparql?query=ASK... of exactly `length` bytes (the rest a SPARQL comment)."""
    start = "/sparql?query=" + quote(ASK + "\n#")
    return start + "x" * (length - len(start))


def test_long_urls_get_414_with_a_hint_to_post(seed_server: Server, strict: Server):
    assert raw_get(seed_server, padded(8192))[0] == 200  # the default limit, 8 KiB
    status, text = raw_get(seed_server, padded(8193))
    assert status == 414 and text.startswith("error: the URL is 8,193 bytes")
    assert "POST" in text and text.count("\n") == 1
    assert raw_get(seed_server, padded(60_000))[0] == 414  # uvicorn would say 400 at 64 KiB
    assert raw_get(strict, padded(2048))[0] == 200
    assert raw_get(strict, padded(2049))[0] == 414
    query = ASK + "\n#" + "x" * 10_000
    assert httpx.post(seed_server.endpoint, data={"query": query}).status_code == 200


# --- bodies and parameters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        (f"{SPARQL_QUERY}; charset=UTF-8", 200),
        (f'{SPARQL_QUERY}; charset="utf-8"', 200),
        (f"{SPARQL_QUERY}; charset=ISO-8859-1", 415),
        (f"{SPARQL_QUERY}; charset=utf-16", 415),
        (f"{FORM}; charset=windows-1252", 415),
    ],
)
def test_bodies_must_be_utf8(seed_server: Server, content_type: str, status: int):
    body = f"query={quote(ASK)}" if content_type.startswith(FORM) else ASK
    response = httpx.post(
        seed_server.endpoint, content=body.encode(), headers={"Content-Type": content_type}
    )
    if status == 200:
        assert response.status_code == 200, response.text
    else:
        one_line(response, 415, "send the body as UTF-8, not charset=")


def test_compressed_bodies_are_refused(seed_server: Server):
    response = httpx.post(
        seed_server.endpoint,
        content=b"\x1f\x8b\x08\x00",
        headers={"Content-Type": SPARQL_QUERY, "Content-Encoding": "gzip"},
    )
    one_line(response, 415, "Content-Encoding 'gzip' is not accepted")


def test_invalid_percent_encoded_utf8_is_400_not_a_replacement_character(seed_server: Server):
    one_line(
        httpx.get(f"{seed_server.endpoint}?query=ASK%20%7B%7D%FF"),
        400,
        "parameter 'query' in the URL is not UTF-8",
    )
    form = httpx.post(
        seed_server.endpoint,
        content=b"query=SELECT%20%22%C3%28%22%20%7B%7D",
        headers={"Content-Type": FORM},
    )
    one_line(form, 400, "parameter 'query' in the form is not UTF-8")
    binding = httpx.get(f"{seed_server.endpoint}?query=ASK%7B%7D&%24x=%22%FF%22")
    one_line(binding, 400, "parameter '$x' in the URL is not UTF-8")
    chinese = httpx.get(
        seed_server.endpoint,
        params={"query": 'ASK { ?h rdfs:label ?l FILTER(CONTAINS(?l, "妇幼")) }'},
    )
    assert chinese.json()["boolean"] is True  # real UTF-8 still reads


# --- answers XML must parse -------------------------------------------------------------


def test_xml_cannot_carry_a_control_character_so_406_names_formats_that_can(strict: Server):
    query = f"SELECT ?o WHERE {{ <{EX}s> <{EX}bell> ?o }}"
    xml = httpx.get(
        strict.endpoint,
        params={"query": query},
        headers={"Accept": "application/sparql-results+xml"},
    )
    one_line(xml, 406, "a literal in this answer holds U+0007")
    assert "application/sparql-results+json" in xml.text
    as_json = httpx.get(strict.endpoint, params={"query": query}, headers={"Accept": JSON})
    assert as_json.json()["results"]["bindings"][0]["o"]["value"] == "ring\x07"
    construct = f"CONSTRUCT WHERE {{ <{EX}s> <{EX}bell> ?o }}"
    rdfxml = httpx.get(
        strict.endpoint, params={"query": construct}, headers={"Accept": "application/rdf+xml"}
    )
    one_line(rdfxml, 406, "a literal in this answer holds U+0007")
    assert "text/turtle" in rdfxml.text
    turtle = httpx.get(strict.endpoint, params={"query": construct})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(f"{EX}s"), URIRef(f"{EX}bell"), Literal("ring\x07")) in graph


def test_carriage_returns_survive_xml(strict: Server):
    query = f"SELECT ?o WHERE {{ <{EX}s> <{EX}crlf> ?o }}"
    xml = httpx.get(
        strict.endpoint,
        params={"query": query},
        headers={"Accept": "application/sparql-results+xml"},
    )
    (row,) = list(Result.parse(io.BytesIO(xml.content), format="xml"))
    assert str(row[0]) == "one\r\ntwo"
    construct = f"CONSTRUCT WHERE {{ <{EX}s> <{EX}crlf> ?o }}"
    rdfxml = httpx.get(
        strict.endpoint, params={"query": construct}, headers={"Accept": "application/rdf+xml"}
    )
    graph = Graph().parse(data=rdfxml.content, format="xml")
    assert set(graph.objects()) == {Literal("one\r\ntwo")}


# --- base IRI ---------------------------------------------------------------------------


def test_relative_iris_resolve_against_the_endpoint(seed_server: Server):
    response = httpx.get(
        seed_server.endpoint,
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format="nt")
    assert (URIRef(f"{seed_server.base}/s"), URIRef(f"{seed_server.base}/p"), Literal(1)) in graph
    own_base = httpx.get(
        seed_server.endpoint,
        params={"query": "BASE <http://example.org/a/> SELECT (<b> AS ?i) {}"},
        headers={"Accept": JSON},
    )
    assert own_base.json()["results"]["bindings"][0]["i"]["value"] == "http://example.org/a/b"


# --- $name= bindings --------------------------------------------------------------------


def test_bindings_the_query_cannot_take_are_400(strict: Server):
    select = f"SELECT * WHERE {{ ?s <{EX}plain> ?o }}"

    def get(params: list[tuple[str, str]]) -> httpx.Response:
        return httpx.get(strict.endpoint, params=[("query", select), *params])

    assert get([("$s", f"<{EX}t>")]).json()["results"]["bindings"][0]["o"]["value"] == "plain"
    one_line(get([("$x", "1")]), 400, "parameter $x: the query selects no variable ?x")
    one_line(get([("$s", f"<{EX}t>"), ("$s", f"<{EX}s>")]), 400, "give $s once")
    one_line(get([("$a-b", "1")]), 400, "parameter '$a-b': not a SPARQL variable name")
    one_line(get([("$o", "_:b")]), 400, "parameter $o: '_:b' is not one RDF term")
    many = [(f"$v{i}", "1") for i in range(4)]
    one_line(get(many), 400, "4 $name= parameters; this server takes at most 3")


def test_binding_a_variable_outside_the_projection_is_400(strict: Server):
    """?s occurs in the query but is not selected: Oxigraph refuses it, the worker says 400."""
    response = httpx.get(
        strict.endpoint,
        params={"query": f"SELECT ?o WHERE {{ ?s <{EX}plain> ?o }}", "$s": f"<{EX}t>"},
    )
    one_line(response, 400, "parameter $s: the query selects no variable ?s")


# --- options ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cors", "localhost:5173"], "error: --cors: 'localhost:5173' is not an origin"),
        (["--cors", "none", "--cors", "http://a.example"], "error: --cors: 'none' cannot be"),
        (["--allow-host", "kg.example.org:443"], "error: --allow-host: 'kg.example.org:443'"),
        (["--max-url", "100"], "error: --max-url: "),
        (["--max-url", "70000"], "error: --max-url: "),
        (["--max-bindings", "-1"], "error: --max-bindings: "),
    ],
)
def test_bad_hardening_options(args: list[str], message: str, tmp_path: Path):
    result = run_cli("serve", "--port", "0", *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
