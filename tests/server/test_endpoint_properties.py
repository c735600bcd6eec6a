"""Properties, checked by Hypothesis: whatever text a client puts in the endpoint's
parameters, the answer is 2xx or a one-line 4xx, never a server error; and the pieces
that read those parameters (term parsing, strict percent-decoding, binding checks)
only ever fail in the way the endpoint turns into a 400.

The HTTP properties drive the session's real seed server with httpx; examples are few
enough that the file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import json
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.rdf.namespaces import PREFIXES
from graph_builder.server.bindings import (
    BindingError,
    check_bindings,
    check_name,
    mentions,
    parse_term,
    turtle_prologue,
)
from graph_builder.server.protocol import ProtocolError, decode_params
from tests.server.conftest import Server

PROLOGUE = turtle_prologue({prefix: str(ns) for prefix, ns in PREFIXES.items()})
#: Text a client can send: any Unicode scalar value (lone surrogates cannot be UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
#: Pieces of SPARQL, so that some generated queries parse and reach evaluation.
FRAGMENTS = st.sampled_from(
    [
        "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "*", "?h", "?x", "$h", "{", "}",
        "(", ")", ".", ";", ",", "a", "hkg:Hospital", "rdfs:label", "inst:jiaozuo-mch",
        "<s>", "<http://e/x>", '"x"', '"焦作"@zh', "1", "1.5e3", "-0", "1/0", "BIND(", "AS",
        "FILTER", "OPTIONAL", "UNION", "MINUS", "VALUES", "GROUP BY", "ORDER BY", "LIMIT 3",
        "COUNT(*)", "STRLEN(", "REGEX(", "LANG(", "IRI(", "BNODE()", "NOW()", "RAND()",
        "FROM <http://e/g>", "GRAPH ?g", "SERVICE", "\\u0053", "#", "\n", "^^xsd:integer",
    ]
)  # fmt: skip
QUERIES = st.one_of(TEXT, st.lists(FRAGMENTS, max_size=14).map(" ".join))
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def assert_answered(response: httpx.Response) -> None:
    """2xx, or a 4xx whose body is one `error:` line; never 5xx."""
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.text.startswith("error: "), response.text
        assert response.text.count("\n") == 1, response.text


@pytest.fixture(scope="module")
def client(seed_server: Server) -> httpx.Client:
    return httpx.Client(base_url=seed_server.endpoint, timeout=30)


@EXAMPLES
@given(value=TEXT)
def test_any_binding_value_is_answered(client: httpx.Client, value: str):
    query = "SELECT ?h ?name WHERE { ?h rdfs:label ?name } LIMIT 2"
    assert_answered(client.get("", params={"query": query, "$h": value}))


@EXAMPLES
@given(name=TEXT, value=TEXT)
def test_any_binding_name_is_answered(client: httpx.Client, name: str, value: str):
    query = "SELECT ?h WHERE { ?h a hkg:Hospital } LIMIT 2"
    assert_answered(client.post("", data={"query": query, f"${name}": value}))


@EXAMPLES
@given(query=QUERIES)
def test_any_query_text_is_answered(client: httpx.Client, query: str):
    assert_answered(client.post("", data={"query": query}))


@EXAMPLES
@given(
    fmt=TEXT, accept=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)).map(str.strip)
)
def test_any_format_or_accept_is_answered(client: httpx.Client, fmt: str, accept: str):
    query = "SELECT ?h WHERE { ?h a hkg:Hospital } LIMIT 1"
    response = client.get("", params={"query": query, "format": fmt}, headers={"Accept": accept})
    assert_answered(response)


@EXAMPLES
@given(default=TEXT, named=TEXT)
def test_any_dataset_iri_is_answered(client: httpx.Client, default: str, named: str):
    params = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": default, "named-graph-uri": named}
    assert_answered(client.get("", params=params))


@EXAMPLES
@given(raw=st.binary(max_size=60))
def test_any_bytes_in_the_query_string_are_answered(client: httpx.Client, raw: bytes):
    target = "?" + "".join(chr(b) if 0x21 <= b < 0x7F and b != 0x23 else f"%{b:02X}" for b in raw)
    assert_answered(client.get(target))


# --- the parts, without a server ----------------------------------------------------------


@settings(max_examples=300, deadline=None, database=None)
@given(text=TEXT)
def test_parse_term_gives_one_term_or_a_binding_error(text: str):
    try:
        term = parse_term("x", text, PROLOGUE)
    except BindingError as exc:
        assert str(exc).startswith("parameter $x: ") and "\n" not in str(exc)
    else:
        assert isinstance(term, ox.NamedNode | ox.Literal)


@settings(max_examples=300, deadline=None, database=None)
@given(value=TEXT)
def test_a_string_written_as_json_parses_back_to_itself(value: str):
    """What the query page and term_text send for a string parameter: a JSON string."""
    assert parse_term("x", json.dumps(value, ensure_ascii=False), PROLOGUE) == ox.Literal(value)


@settings(max_examples=100, deadline=None, database=None)
@given(number=st.integers())
def test_an_integer_parses_to_an_xsd_integer(number: int):
    term = parse_term("n", str(number), PROLOGUE)
    assert isinstance(term, ox.Literal) and int(term.value) == number
    assert term.datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@settings(max_examples=300, deadline=None, database=None)
@given(name=TEXT)
def test_a_name_is_a_variable_or_a_binding_error(name: str):
    try:
        check_name(name)
    except BindingError:
        return
    assert ox.Variable(name).value == name
    assert mentions(f"SELECT ?{name} {{}}", name)  # never a false no


@settings(max_examples=200, deadline=None, database=None)
@given(names=st.lists(TEXT, max_size=5), query=TEXT, limit=st.integers(0, 5))
def test_check_bindings_fails_only_with_binding_errors(names: list[str], query: str, limit: int):
    with contextlib.suppress(BindingError):
        check_bindings(names, query, limit)


@settings(max_examples=300, deadline=None, database=None)
@given(pairs=st.lists(st.tuples(TEXT, TEXT), max_size=5))
def test_percent_decoding_reads_back_what_urlencode_wrote(pairs: list[tuple[str, str]]):
    assert decode_params(urlencode(pairs).encode(), "the URL") == pairs


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.binary(max_size=40))
def test_percent_decoding_of_any_bytes_is_pairs_or_a_400(data: bytes):
    try:
        pairs = decode_params(data, "the form")
    except ProtocolError as exc:
        assert exc.status == 400
    else:
        assert all(isinstance(n, str) and isinstance(v, str) for n, v in pairs)
