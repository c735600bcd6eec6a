"""The request rules as plain functions: Host names, Origins and CORS, strict parameter
decoding, XML-safe answers, binding checks (the endpoint tests drive them over HTTP)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph_builder.errors import UsageError
from graph_builder.server.bindings import BindingError, check_bindings, unbindable
from graph_builder.server.negotiation import GRAPH, RESULTS, Format, formats_of
from graph_builder.server.origins import (
    CorsPolicy,
    HostPolicy,
    allow_hosts,
    cors_origins,
    same_origin,
    split_host,
)
from graph_builder.server.protocol import ProtocolError, content_type, decode_params
from graph_builder.server.results import Unwritable, graph_body, select_body

LOCAL = ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("LOCALHOST:8000", True),
        ("[::1]:8000", True),
        ("localhost:8001", False),  # another port is another server
        ("localhost", False),  # no port means 80
        ("evil.example:8000", False),
        ("127.0.0.1.nip.io:8000", False),
    ],
)
def test_loopback_server_answers_only_its_own_names(host: str, allowed: bool):
    refusal = HostPolicy.of("127.0.0.1", ()).refusal([host], "1.1", LOCAL)
    assert (refusal is None) is allowed
    if refusal:
        assert refusal[0] == 421 and "--allow-host" in refusal[1]


def test_port_80_may_be_left_out_and_allow_host_names_take_any_port():
    policy = HostPolicy.of("127.0.0.1", ("kg.example.org",))
    assert policy.refusal(["localhost"], "1.1", ("127.0.0.1", 80)) is None
    assert policy.refusal(["kg.example.org"], "1.1", LOCAL) is None
    assert policy.refusal(["KG.example.org:443"], "1.1", LOCAL) is None
    assert policy.refusal(["other.example.org"], "1.1", LOCAL) is not None


def test_beyond_loopback_any_host_unless_allow_host_lists_them():
    assert HostPolicy.of("0.0.0.0", ()).refusal(["kg.lan:8000"], "1.1", LOCAL) is None
    listed = HostPolicy.of("0.0.0.0", ("kg.lan",))
    assert listed.refusal(["kg.lan:8000"], "1.1", LOCAL) is None
    assert listed.refusal(["192.168.1.5:8000"], "1.1", ("192.168.1.5", 8000)) is None
    assert listed.refusal(["evil.example:8000"], "1.1", LOCAL) is not None
    assert HostPolicy.of("127.0.0.1", ("*",)).refusal(["anything"], "1.1", LOCAL) is None


@pytest.mark.parametrize(
    ("values", "version", "status"),
    [
        ([], "1.1", 400),
        (["localhost:8000", "localhost:8000"], "1.1", 400),
        (["local host"], "1.1", 400),
        (["localhost:8000/x"], "1.1", 400),
    ],
)
def test_missing_repeated_or_malformed_host_is_400(values: list[str], version: str, status: int):
    refusal = HostPolicy.of("0.0.0.0", ()).refusal(values, version, LOCAL)
    assert refusal is not None and refusal[0] == status


def test_http_1_0_may_omit_host():
    assert HostPolicy.of("127.0.0.1", ()).refusal([], "1.0", LOCAL) is None


def test_split_host():
    assert split_host("Example.org:8080") == ("example.org", 8080)
    assert split_host("[::1]") == ("[::1]", None)
    assert split_host("a b") is None and split_host("") is None


def test_same_origin_ignores_scheme_and_default_ports():
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert same_origin("https://kg.example.org", "kg.example.org")  # behind a TLS proxy
    assert same_origin("http://localhost", "localhost:80")
    assert not same_origin("http://localhost:8001", "localhost:8000")
    assert not same_origin("null", "localhost:8000")


FORM = "application/x-www-form-urlencoded"


def test_cors_any_origin_refuses_nothing_and_exposes_result_headers():
    policy = CorsPolicy(cors_origins(None))
    assert policy.refusal("http://yasgui.example", "localhost:8000", "POST", FORM) is None
    assert policy.refusal("null", "localhost:8000", "POST", FORM) is None
    headers = policy.headers("http://yasgui.example")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Result-Rows" in headers["Access-Control-Expose-Headers"]


def test_cors_listed_origins_refuse_foreign_simple_posts_only():
    policy = CorsPolicy(cors_origins(["http://localhost:5173"]))
    host = "127.0.0.1:8000"
    assert policy.refusal("http://localhost:5173", host, "POST", FORM) is None
    assert policy.headers("http://localhost:5173")["Access-Control-Allow-Origin"] == (
        "http://localhost:5173"
    )
    for body in (FORM, "text/plain;charset=UTF-8", "multipart/form-data; boundary=x", None):
        assert policy.refusal("http://evil.example", host, "POST", body), body
    assert policy.refusal("http://evil.example", host, "GET", None) is None
    assert policy.refusal("http://evil.example", host, "POST", "application/sparql-query") is None
    assert policy.headers("http://evil.example") == {}
    assert policy.refusal("http://127.0.0.1:8000", host, "POST", FORM) is None  # same origin


def test_cors_off_refuses_every_request_from_another_site():
    policy = CorsPolicy(cors_origins(["none"]))
    host = "127.0.0.1:8000"
    assert "--cors none" in (policy.refusal("null", host, "GET", None) or "")
    assert policy.refusal("http://evil.example", host, "GET", None)
    assert policy.refusal("http://127.0.0.1:8000", host, "POST", FORM) is None
    assert policy.refusal(None, host, "POST", FORM) is None  # not a browser
    assert policy.headers("http://evil.example") == {}


def test_preflight():
    policy = CorsPolicy(("*",))
    granted, refusal = policy.preflight("http://a.example", "h:1", "POST", "Content-Type, accept")
    assert refusal is None and "Content-Type" in granted["Access-Control-Allow-Headers"]
    assert policy.preflight("http://a.example", "h:1", "PUT", None)[1]
    assert "x-custom" in (policy.preflight("http://a.example", "h:1", "GET", "X-Custom")[1] or "")
    listed = CorsPolicy(("http://a.example",))
    assert listed.preflight("http://b.example", "h:1", "GET", None)[1]
    assert listed.preflight("http://a.example", "h:1", "GET", None)[0][
        "Access-Control-Allow-Origin"
    ] == ("http://a.example")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, ("*",)),
        (["*"], ("*",)),
        (["none"], ()),
        (["NONE"], ()),
        (
            ["http://Localhost:5173/", "https://yasgui.example"],
            ("http://localhost:5173", "https://yasgui.example"),
        ),
    ],
)
def test_cors_option_values(values: list[str] | None, expected: tuple[str, ...]):
    assert cors_origins(values) == expected


@pytest.mark.parametrize(
    "values",
    [["none", "http://a.example"], ["*", "http://a.example"], ["localhost:5173"], ["http://a/b"]],
)
def test_bad_cors_option_values(values: list[str]):
    with pytest.raises(UsageError, match=r"^--cors: "):
        cors_origins(values)


def test_allow_host_option_values():
    assert allow_hosts(["KG.example.org", "*", "[::1]"]) == ("kg.example.org", "*", "[::1]")
    for bad in ("kg.example.org:443", "http://kg.example.org", "a b"):
        with pytest.raises(UsageError, match=r"^--allow-host: "):
            allow_hosts([bad])


def test_parameters_decode_strictly_as_utf8():
    assert decode_params(b"query=ASK+%7B%7D&%24zh=%E5%87%BA&x", "the URL") == [
        ("query", "ASK {}"),
        ("$zh", "出"),
        ("x", ""),
    ]
    for data in (b"query=%FF", b"query=%C3", b"%FF=1", b"query=\xff"):
        with pytest.raises(ProtocolError) as caught:
            decode_params(data, "the form")
        assert caught.value.status == 400 and "UTF-8" in str(caught.value)


def test_content_type_parameters():
    assert content_type('application/sparql-query; Charset="UTF-8"') == (
        "application/sparql-query",
        {"charset": "utf-8"},
    )
    assert content_type(None) == ("", {})


def named(kind: str, name: str) -> Format:
    return next(f for f in formats_of(kind) if f.name == name)


def control_store() -> ox.Store:
    store = ox.Store()
    s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    store.add(ox.Quad(s, p, ox.Literal("bell\x07")))
    return store


def test_xml_answers_refuse_characters_xml_cannot_carry():
    store = control_store()
    with pytest.raises(Unwritable, match=r"U\+0007.*sparql-results\+json"):
        select_body(store.query("SELECT * { ?s ?p ?o }"), named(RESULTS, "xml"), 10)
    with pytest.raises(Unwritable, match="text/turtle"):
        graph_body(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), named(GRAPH, "xml"), 10, {})
    body, rows, _ = select_body(store.query("SELECT * { ?s ?p ?o }"), named(RESULTS, "json"), 10)
    assert rows == 1 and b"\\u0007" in body


def test_binding_checks():
    query = "SELECT ?h WHERE { ?h rdfs:label ?\\u006Eame }"
    check_bindings(["h", "name"], query, 5)
    with pytest.raises(BindingError, match=r"no variable \?x"):
        check_bindings(["x"], query, 5)
    with pytest.raises(BindingError, match="at most 1"):
        check_bindings(["h", "name"], query, 1)
    with pytest.raises(BindingError, match="not a SPARQL variable name"):
        check_bindings(["h-1"], query, 5)
    error = RuntimeError("The SPARQL query does not contains variable ?o in its SELECT projection")
    assert unbindable(error) == "parameter $o: the query selects no variable ?o to bind"
    assert unbindable(RuntimeError("something else")) is None
