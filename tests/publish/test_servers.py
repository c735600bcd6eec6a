"""`push` and `query --endpoint` against real servers: Oxigraph's and Virtuoso.

Each server gets the seed graph with its ontology through the Graph Store Protocol,
answers every library query with the rows the local store gives, takes a replacing
push without growing, and refuses a wrong password or a closed port in one line.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from graph_builder import load
from graph_builder.api import KnowledgeGraph
from graph_builder.publish.batches import graph_triples
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.vocabulary import load_ontology
from graph_builder.sparql.query_library import load_library
from tests.conftest import REPO, Run, run_cli
from tests.publish.servers import GRAPH, TripleStore, free_port

LIBRARY = sorted(load_library())


def one_error_line(run: Run) -> str:
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    return lines[0]


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return load(REPO)


@pytest.fixture(scope="session")
def expected_triples(kg: KnowledgeGraph) -> int:
    """The seed graph plus the ontology, each triple once (as a server counts them)."""
    ontology = load_ontology(kg.project.ontology)
    graph = build_graph(kg.project, ontology)
    return len(set(graph_triples(graph)) | set(graph_triples(ontology)))


def push(server: TripleStore, *args: str) -> Run:
    options, env = server.credentials()
    return run_cli("push", "--endpoint", server.store, *options, *args, env=env)


@pytest.fixture(scope="session")
def pushed(triple_store: TripleStore, expected_triples: int) -> Run:
    """The seed graph and ontology pushed to the server, in batches of 500 (several requests)."""
    run = push(triple_store, "--graph", GRAPH, "--with-ontology", "--batch", "500")
    assert run.returncode == 0, run.stderr
    return run


def test_push_uploads_the_graph_with_its_ontology(
    triple_store: TripleStore, pushed: Run, expected_triples: int
) -> None:
    requests = -(-expected_triples // 500)
    assert pushed.stdout.splitlines() == [
        f"added {expected_triples:,} triples to <{GRAPH}> at {triple_store.store} "
        f"({requests} requests)",
        f"the server holds {expected_triples:,} triples in <{GRAPH}> "
        f"(counted at {triple_store.sparql}; 0 before)",
    ]
    assert triple_store.count() == expected_triples
    assert pushed.stderr == ""  # no progress bar when stderr is not a terminal


def order_variables(text: str) -> list[str]:
    """The variables of the query's last ORDER BY clause, in order."""
    clause = re.split(r"\bORDER\s+BY\b", text, flags=re.I)[-1]
    return re.findall(r"\?(\w+)", clause)


def local_rows(kg: KnowledgeGraph, name: str) -> tuple[list[str], list[tuple[str | None, ...]]]:
    result = kg.result(name)
    records = result.records(kg.graph)
    return result.variables, [tuple(r[v] for v in result.variables) for r in records]


@pytest.mark.parametrize("name", LIBRARY)
def test_every_library_query_answers_as_locally(
    triple_store: TripleStore, pushed: Run, kg: KnowledgeGraph, name: str
) -> None:
    """Same rows as the local store. Oxigraph sorts as the local store does; Virtuoso
    collates Chinese labels in another order, so there only the rows are compared."""
    run = run_cli(
        "query", name, "--endpoint", triple_store.sparql, "--graph", GRAPH, "--format", "json"
    )
    assert run.returncode == 0, run.stderr
    variables, expected = local_rows(kg, name)
    remote = [tuple(row[v] for v in variables) for row in json.loads(run.stdout)]
    assert all(list(row) == variables for row in json.loads(run.stdout))
    assert Counter(remote) == Counter(expected)
    if triple_store.name == "oxigraph":  # rows tied on every ORDER BY key may come in any order
        keys = [
            variables.index(v) for v in order_variables(kg.library[name].text) if v in variables
        ]
        assert [[row[k] for k in keys] for row in remote] == [
            [row[k] for k in keys] for row in expected
        ]


def test_names_are_looked_up_on_the_server(
    triple_store: TripleStore, pushed: Run, kg: KnowledgeGraph
) -> None:
    run = run_cli(
        "query", "hospital-profile", "--param", "hospital=焦作市妇幼保健院",
        "--endpoint", triple_store.sparql, "--graph", GRAPH, "--format", "json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert rows and {row["hospital"] for row in rows} == {"inst:jiaozuo-mch"}
    assert len(rows) == len(kg.run("hospital-profile", hospital="inst:jiaozuo-mch"))


def test_ask_and_construct_answer_as_locally(triple_store: TripleStore, pushed: Run) -> None:
    remote = ["--endpoint", triple_store.sparql, "--graph", GRAPH]
    ask = run_cli("query", "--sparql", "ASK { inst:changzhi-mch a hkg:Hospital }", *remote)
    assert (ask.returncode, ask.stdout.strip()) == (0, "true"), ask.stderr
    construct = "CONSTRUCT { ?h rdfs:label ?l } WHERE { ?h a hkg:Hospital ; rdfs:label ?l }"
    there, here = (run_cli("query", "--sparql", construct, *extra) for extra in (remote, []))
    assert there.returncode == 0, there.stderr
    assert there.stdout == here.stdout


def test_replace_leaves_exactly_the_graph(
    triple_store: TripleStore, pushed: Run, expected_triples: int
) -> None:
    run = push(triple_store, "--graph", GRAPH, "--with-ontology", "--replace", "--batch", "1000")
    assert run.returncode == 0, run.stderr
    assert f"the server holds {expected_triples:,} triples in <{GRAPH}>" in run.stdout
    assert f"{expected_triples:,} before" in run.stdout
    assert triple_store.count() == expected_triples
    again = push(triple_store, "--graph", GRAPH, "--with-ontology")  # adding the same: no growth
    assert again.returncode == 0, again.stderr
    assert triple_store.count() == expected_triples


def test_a_wrong_password_is_one_line(triple_store: TripleStore, pushed: Run) -> None:
    if triple_store.user is None:  # Oxigraph's server has no authentication
        run = push(triple_store, "--graph", GRAPH, "--user", "x", "--password-env", "NOT_SET_HERE")
        assert run.returncode == 2
        assert "NOT_SET_HERE is not set" in one_error_line(run)
        return
    wrong = "not-" + (triple_store.password or "")
    run = run_cli(
        "push", "--endpoint", triple_store.store, "--graph", GRAPH, "--replace",
        "--user", "dba", "--password-env", "KG_WRONG", env={"KG_WRONG": wrong},
    )  # fmt: skip
    line = one_error_line(run)
    assert run.returncode == 1
    assert "401 Unauthorized" in line and "$KG_WRONG" in line
    assert wrong not in run.stdout + run.stderr
    assert triple_store.count() > 0  # the graph is untouched


def test_a_closed_port_is_one_line() -> None:
    port = free_port()
    run = run_cli("push", "--endpoint", f"http://127.0.0.1:{port}/store", "--graph", GRAPH)
    assert run.returncode == 1
    assert "connection refused" in one_error_line(run)
    query = run_cli("query", "leaders", "--endpoint", f"http://127.0.0.1:{port}/sparql")
    assert query.returncode == 1
    assert "connection refused" in one_error_line(query)


def test_a_wrong_url_is_one_line(triple_store: TripleStore, pushed: Run) -> None:
    base = triple_store.sparql.rsplit("/", 1)[0]
    options, env = triple_store.credentials()
    wrong_store = run_cli(
        "push", "--endpoint", f"{base}/no-such-store", "--graph", GRAPH,
        "--query-endpoint", triple_store.sparql, *options, env=env,
    )  # fmt: skip
    assert wrong_store.returncode == 1
    line = one_error_line(wrong_store)
    assert "404" in line and "Graph Store's address" in line
    wrong_query = push(triple_store, "--graph", GRAPH, "--query-endpoint", f"{base}/no-such-query")
    assert wrong_query.returncode == 1
    assert "404" in one_error_line(wrong_query)
