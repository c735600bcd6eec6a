"""The query policy decides from tokens: SERVICE, updates and depth, whatever the spelling."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.sparql.lexer import MAX_DEPTH, profile, tokens
from graph_builder.sparql.policy import QueryRefused, QueryTooDeep, check_query
from graph_builder.sparql.query_library import load_library

URL = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{URL}> SELECT * WHERE {{ SERVICE:y {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://e/> SELECT * {{ ?s ex:a\\# ?o .\n SERVICE <{URL}> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://e/> SELECT * {{ ?s ex:a\\' ?o .\n SERVICE <{URL}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{URL}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{URL}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{URL}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVIC\\u0045 <{URL}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\U00000053ERVICE <{URL}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o # a comment\n SERVICE <{URL}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p "a string with # and \\" in it" SERVICE <{URL}> {{}} }}',
    ],
)
def test_service_is_found_however_it_is_written(query: str) -> None:
    assert profile(query).service
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:SERVICE ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "SELECT * WHERE { ?s ?p '''\nSERVICE <http://x/> { }\n''' }",
    ],
)
def test_the_word_in_strings_iris_names_and_comments_is_not_service(query: str) -> None:
    assert not profile(query).service
    check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a> <b> <c> }",
        "PREFIX x: <http://e/> DELETE WHERE { ?s ?p ?o }",
        "insert data { <a> <b> <c> }",
        "LOAD <http://e/data.ttl>",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "\\u0044ROP ALL",
    ],
)
def test_updates_are_refused(query: str) -> None:
    assert profile(query).update
    with pytest.raises(QueryRefused, match="read-only"):
        check_query(query, source="--sparql")


def test_every_library_query_passes_well_within_the_depth_limit() -> None:
    for query in load_library().values():
        shape = check_query(query.text)
        assert shape.form == "SELECT" and not shape.update and not shape.service
        assert 0 < shape.depth < MAX_DEPTH // 10, (query.name, shape.depth)


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("SELECT ?x WHERE { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }", 5003),
        ("SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000, 3000),
        ("SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { ?s ?p ?o " * 800 + "}" * 800 + " }", 0),
        ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 7000) + " }", 0),
        ("SELECT ?x WHERE { BIND(" + " || ".join(["true"] * 10000) + " AS ?x) }", 0),
        ("SELECT * WHERE { " + " . ".join(f"?s{i} ?p ?o{i}" for i in range(10000)) + " }", 0),
    ],
)
def test_shapes_that_crashed_the_engine_are_over_the_limit(query: str, depth: int) -> None:
    shape = profile(query)
    assert shape.depth > MAX_DEPTH
    if depth:
        assert shape.depth == depth
    with pytest.raises(QueryTooDeep, match="--max-depth"):
        check_query(query)


def test_long_flat_data_is_not_depth() -> None:
    """VALUES and IN lists are long but flat: the engine handles 50,000 of them."""
    values = " ".join(f"<http://e/{i}>" for i in range(50_000))
    assert profile(f"SELECT * WHERE {{ VALUES ?x {{ {values} }} }}").depth < 10
    listed = ", ".join(str(i) for i in range(50_000))
    assert profile(f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o IN ({listed})) }}").depth < 10


def test_tokens_follow_the_grammar() -> None:
    text = 'PREFIX ex: <http://e/> SELECT ?a $b WHERE { _:x ex:p\\.q "x"@en-GB, 1.5e3, -2 }'
    kinds = [(t.kind, t.text) for t in tokens(text)]
    assert ("pname", "ex:") in kinds and ("iri", "<http://e/>") in kinds
    assert ("var", "?a") in kinds and ("var", "$b") in kinds
    assert ("bnode", "_:x") in kinds and ("pname", "ex:p\\.q") in kinds
    assert ("string", '"x"') in kinds and ("langtag", "@en-GB") in kinds
    assert ("number", "1.5e3") in kinds


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_profile_and_no_exception(text: str) -> None:
    shape = profile(text)
    assert shape.depth >= 0 and shape.tokens >= 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["SELECT", "*", "{", "}", "(", ")", "?s", "<x>", "'s'", "#c\n", "SERVICE"]),
        max_size=60,
    )
)
def test_service_is_flagged_exactly_when_the_keyword_is_a_token(parts: list[str]) -> None:
    text = " ".join(parts)
    words = [t.text for t in tokens(text) if t.kind == "word"]
    assert profile(text).service == ("SERVICE" in words)


def test_the_command_line_limit_is_an_option(tmp_path) -> None:
    from tests.conftest import run_cli

    query = "SELECT ?x WHERE { BIND(" + "(" * 20 + "1" + ")" * 20 + " AS ?x) }"
    refused = run_cli("query", "--sparql", query, "--max-depth", "10")
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: --sparql: the query is nested 23 deep")
    assert "the limit is 10 (--max-depth)" in refused.stderr
    assert run_cli("query", "--sparql", query, "--max-depth", "30").returncode == 0
