"""What `query --endpoint` sends: our prefixes, and parameters as a VALUES block of RDF terms.

The binding is checked where it matters: every library query, bound by the VALUES
block and run on the local store without substitution, gives the rows the local
SEP-0007 substitution gives.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from graph_builder import load
from graph_builder.api import KnowledgeGraph
from graph_builder.errors import UsageError
from graph_builder.publish.remote import bind_values, query_endpoint_for, with_prefixes
from graph_builder.rdf.namespaces import INST, PREFIXES
from graph_builder.sparql.execute import QueryError, run_query
from graph_builder.sparql.parameters import resolve_params
from graph_builder.sparql.query_library import load_library
from tests.conftest import REPO

WITH_PARAMS = sorted(name for name, query in load_library().items() if query.params)


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load(REPO)


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_values_block_gives_the_rows_substitution_gives(kg: KnowledgeGraph, name: str) -> None:
    query = kg.library[name]
    bindings = resolve_params(kg.graph, {}, query)
    substituted = run_query(kg.graph, query.text, bindings)
    sent = with_prefixes(bind_values(query.text, bindings))
    bound = run_query(kg.graph, sent)
    assert sorted(map(repr, bound.rows)) == sorted(map(repr, substituted.rows))
    assert bound.variables == substituted.variables


def parses(text: str) -> None:
    ox.Store().query(with_prefixes(text))


def test_prefixes_share_the_first_line() -> None:
    text = "# a comment\nSELECT ?h WHERE { ?h a hkg:Hospital }"
    sent = with_prefixes(text)
    assert sent.count("\n") == text.count("\n")
    assert sent.endswith(text)
    assert all(f"PREFIX {prefix}: <{ns}>" in sent for prefix, ns in PREFIXES.items())
    parses(text)


def test_a_prefix_the_query_declares_is_not_declared_again() -> None:
    sent = with_prefixes("PREFIX inst: <urn:other/>\nSELECT ?x WHERE { inst:a ?p ?x }")
    assert sent.count("PREFIX inst:") == 1
    assert "PREFIX hkg:" in sent


def test_values_open_the_where_clause() -> None:
    text = "SELECT ?h ?n WHERE {\n  ?h rdfs:label ?n\n}"
    sent = bind_values(text, {"h": INST["jiaozuo-mch"], "n": Literal("x")})
    assert sent.count("\n") == text.count("\n")
    assert sent.startswith(
        "SELECT ?h ?n WHERE { VALUES (?h ?n) "
        '{ (<https://w3id.org/hospital-kg/id/institution/jiaozuo-mch> "x") } '
    )
    parses(sent)


def test_a_hostile_string_stays_one_literal() -> None:
    value = 'x" } } ; DROP ALL ; SELECT * { "\n\\'
    sent = bind_values("SELECT ?v WHERE { ?s ?p ?v }", {"v": Literal(value)})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(value)))
    rows = list(store.query(sent))  # type: ignore[arg-type]
    assert [row[0].value for row in rows] == [value]


def test_a_sub_select_as_the_where_clause_is_wrapped() -> None:
    sent = bind_values("SELECT * WHERE { SELECT ?x WHERE { ?x ?p ?o } }", {"x": URIRef("urn:a")})
    assert " ".join(sent.split()) == (
        "SELECT * WHERE { VALUES (?x) { (<urn:a>) } { SELECT ?x WHERE { ?x ?p ?o } } }"
    )
    parses(sent)


def test_construct_binds_in_its_where_clause_not_its_template() -> None:
    text = "CONSTRUCT { ?h rdfs:label ?n } WHERE { ?h rdfs:label ?n }"
    sent = bind_values(text, {"h": URIRef("urn:a")})
    assert sent.startswith("CONSTRUCT { ?h rdfs:label ?n } WHERE { VALUES (?h)")
    parses(sent)
    optional_where = bind_values("CONSTRUCT { ?h ?p ?o } { ?h ?p ?o }", {"h": URIRef("urn:a")})
    assert optional_where.startswith("CONSTRUCT { ?h ?p ?o } { VALUES (?h)")
    with pytest.raises(QueryError, match="CONSTRUCT WHERE"):
        bind_values("CONSTRUCT WHERE { ?h ?p ?o }", {"h": URIRef("urn:a")})


def test_brackets_in_the_select_clause_are_not_the_where_clause() -> None:
    text = 'SELECT (CONCAT("{", ?n) AS ?m) ?n { ?h rdfs:label ?n }'
    sent = bind_values(text, {"n": Literal("a")})
    assert sent.startswith('SELECT (CONCAT("{", ?n) AS ?m) ?n { VALUES (?n)')
    parses(sent)


def test_nothing_to_bind_in_is_one_error() -> None:
    with pytest.raises(QueryError, match="no WHERE clause"):
        bind_values("DESCRIBE inst:jiaozuo-mch", {"h": URIRef("urn:a")})
    assert bind_values("DESCRIBE inst:jiaozuo-mch", {}) == "DESCRIBE inst:jiaozuo-mch"


def test_escapes_are_applied_before_binding() -> None:
    sent = bind_values(
        "SELECT ?n WHERE { ?h rdfs:label ?n . FILTER(?n != '\\u007B') }", {"n": Literal("a")}
    )
    assert "'{'" in sent
    parses(sent)


@pytest.mark.parametrize(
    ("store", "sparql"),
    [
        ("http://127.0.0.1:7878/store", "http://127.0.0.1:7878/query"),
        ("http://h:8890/sparql-graph-crud-auth", "http://h:8890/sparql"),
        ("https://h/kg/sparql-graph-crud/", "https://h/kg/sparql"),
    ],
)
def test_the_query_endpoint_beside_a_graph_store(store: str, sparql: str) -> None:
    assert query_endpoint_for(store) == sparql


def test_an_unknown_graph_store_needs_its_query_endpoint() -> None:
    with pytest.raises(UsageError, match="--query-endpoint"):
        query_endpoint_for("http://h:3030/ds/data")
