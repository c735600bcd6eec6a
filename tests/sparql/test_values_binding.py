"""Parameters of a local SELECT on Oxigraph go in as a VALUES block (values.py), which
Oxigraph plans knowing the values; the rows are those a SEP-0007 substitution gives."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal

from graph_builder import load
from graph_builder.rdf.namespaces import INST
from graph_builder.sparql import oxigraph_direct
from graph_builder.sparql.execute import NATIVE_PREFIXES, run_query
from graph_builder.sparql.parameters import resolve_params
from graph_builder.sparql.query_library import load_library
from graph_builder.sparql.values import bind_values, bound_in_minus, selects_all

HOSPITALS = [INST["changzhi-mch"], INST["jiaozuo-mch"]]


@pytest.fixture(scope="module")
def oxigraph() -> Graph:
    return load(store="oxigraph").graph


def _substituted(graph: Graph, text: str, bindings: dict) -> Counter:
    result = oxigraph_direct.query(graph, text, NATIVE_PREFIXES, bindings)
    return Counter(oxigraph_direct.convert_rows(result))  # type: ignore[arg-type]


def _cases() -> list[tuple[str, dict]]:
    cases: list[tuple[str, dict]] = []
    for name, query in sorted(load_library().items()):
        names = {p.name for p in query.params}
        if any(p.default is not None for p in query.params):
            cases.append((name, {}))
        if "hospital" in names:
            cases += [(name, {"hospital": h}) for h in HOSPITALS]
    return cases


@pytest.mark.parametrize(("name", "extra"), _cases())
def test_library_rows_by_values_are_the_rows_by_substitution(
    oxigraph: Graph, name: str, extra: dict
) -> None:
    query = load_library()[name]
    bindings = {**resolve_params(oxigraph, {}, query), **extra}
    by_values = run_query(oxigraph, query.text, bindings)
    assert Counter(by_values.rows) == _substituted(oxigraph, query.text, bindings)


def test_the_block_opens_the_where_clause_and_the_value_is_a_term() -> None:
    text = bind_values("SELECT ?n WHERE { ?h rdfs:label ?n }", {"n": Literal('a" } x')})
    assert text == 'SELECT ?n WHERE { VALUES (?n) { ("a\\" } x") }  ?h rdfs:label ?n }'


def test_where_a_block_will_not_do_a_substitution_binds() -> None:
    assert selects_all("SELECT DISTINCT * WHERE { ?s ?p ?o }")
    assert not selects_all("SELECT ?s WHERE { { SELECT * WHERE { ?s ?p ?o } } }")
    gap = "SELECT ?k ?h WHERE { ?h a hkg:Hospital MINUS { ?f hkg:recipient ?h . ?f a ?k } }"
    assert bound_in_minus(gap, {"k"}) and not bound_in_minus(gap, {"x"})


def test_a_bound_parameter_in_minus_and_select_star_still_bind(oxigraph: Graph) -> None:
    star = run_query(oxigraph, "SELECT * WHERE { ?h rdfs:label ?n }", {"h": HOSPITALS[0]})
    assert star.variables == ["h", "n"] and star.rows
    minus = run_query(
        oxigraph,
        "SELECT ?h ?n WHERE { ?h a hkg:Hospital MINUS { ?h rdfs:label ?n } }",
        {"n": Literal("x")},
    )
    assert minus.rows and all(n == Literal("x") for _, n in minus.rows)
