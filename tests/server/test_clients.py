"""Real clients against a real server: SPARQLWrapper over the whole query library,
50 concurrent clients, and a runaway query on a generated graph that must be stopped
without holding anyone else up."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graph_builder.rdf.namespaces import bind_prefixes
from graph_builder.server.bindings import term_text
from graph_builder.sparql.execute import display
from graph_builder.sparql.query_library import LibraryQuery, load_library
from tests.conftest import run_cli
from tests.server.conftest import Server

LIBRARY = load_library()


def wrapper(server: Server, query: LibraryQuery, method: str) -> SPARQLWrapper:
    """A SPARQLWrapper for a library query, its parameters' defaults sent as $name=TERM."""
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query.text)
    client.setReturnFormat(JSON)
    client.setMethod(method)
    for param in query.params:
        if param.default is not None:
            client.addParameter(f"${param.name}", term_text(param.type, param.default))
    return client


def display_rows(doc: dict) -> list[dict[str, str | None]]:
    """SPARQL JSON bindings as the CLI shows them (prefixed IRIs, literal text)."""
    graph = Graph()
    bind_prefixes(graph)

    def term(b: dict | None):
        if b is None:
            return None
        if b["type"] == "uri":
            return URIRef(b["value"])
        if b["type"] == "bnode":
            return BNode(b["value"])
        return Literal(b["value"], lang=b.get("xml:lang"), datatype=b.get("datatype"))

    variables = doc["head"]["vars"]
    return [
        {v: display(graph, term(row.get(v))) for v in variables}
        for row in doc["results"]["bindings"]
    ]


def canonical(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)


@pytest.mark.parametrize("name", list(LIBRARY))
def test_sparqlwrapper_gets_the_same_rows_as_the_cli(seed_server: Server, name: str):
    cli = run_cli("query", name, "--format", "json")
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    for method in (GET, POST):
        doc = wrapper(seed_server, LIBRARY[name], method).queryAndConvert()
        assert isinstance(doc, dict)
        got = display_rows(doc)
        assert canonical(got) == canonical(expected), f"{name} via {method}"
        if expected:
            assert list(got[0]) == list(expected[0])  # same columns, in the same order


def test_sparqlwrapper_sees_errors_as_errors(seed_server: Server):
    client = SPARQLWrapper(seed_server.endpoint)
    client.setQuery("SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryBadFormed, match="line 1"):
        client.queryAndConvert()
    client = SPARQLWrapper(seed_server.endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { inst:x rdfs:label 'x' }")
    with pytest.raises(Exception, match="403"):
        client.query()


def test_a_binding_parameter_restricts_the_query(seed_server: Server):
    query = LIBRARY["national-designations"]
    client = wrapper(seed_server, query, GET)
    client.addParameter("$hospital", "inst:jiaozuo-mch")
    rows = display_rows(client.queryAndConvert())
    assert rows and {row["hospital"] for row in rows} == {"inst:jiaozuo-mch"}
    bad = httpx.get(seed_server.endpoint, params={"query": query.text, "$hospital": "not a term ."})
    assert bad.status_code == 400 and "$hospital" in bad.text


CONCURRENT_QUERIES = [
    ("SELECT ?h ?name WHERE { ?h a hkg:Hospital ; rdfs:label ?name }", "text/csv"),
    ("ASK { inst:jiaozuo-mch a hkg:Hospital }", "application/sparql-results+json"),
    ("CONSTRUCT WHERE { inst:changzhi-mch ?p ?o }", "application/n-triples"),
    (LIBRARY["national-designations"].text, "text/tab-separated-values"),
]


def normalized(body: bytes) -> list[bytes]:
    """Lines in sorted order: rows of unordered results may come back in any order."""
    return sorted(body.splitlines())


def test_fifty_concurrent_clients_lose_nothing(seed_server: Server):
    clients, per_client = 50, 20
    expected = {}
    for text, accept in CONCURRENT_QUERIES:
        response = httpx.post(
            seed_server.endpoint, data={"query": text}, headers={"Accept": accept}
        )
        assert response.status_code == 200
        expected[text] = normalized(response.content)
    start = threading.Barrier(clients)

    def client(number: int) -> list[tuple[int, bool]]:
        outcomes = []
        with httpx.Client(timeout=60) as http:
            start.wait()
            for i in range(per_client):
                text, accept = CONCURRENT_QUERIES[(number + i) % len(CONCURRENT_QUERIES)]
                response = http.post(
                    seed_server.endpoint, data={"query": text}, headers={"Accept": accept}
                )
                outcomes.append(
                    (response.status_code, normalized(response.content) == expected[text])
                )
        return outcomes

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = [outcome for batch in pool.map(client, range(clients)) for outcome in batch]
    assert len(results) == clients * per_client
    assert [r for r in results if r != (200, True)] == []


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
FAST = "SELECT (COUNT(*) AS ?n) WHERE { ?h a hkg:Hospital }"


@pytest.fixture(scope="module")
def slow_server(generated_graph: Path, tmp_path_factory: pytest.TempPathFactory):
    server = Server(
        *("--data", str(generated_graph), "--timeout", "3", "--workers", "2"),
        log=tmp_path_factory.mktemp("slow") / "stderr.log",
    )
    yield server
    server.stop()


def test_a_runaway_query_is_stopped_and_blocks_no_one(slow_server: Server):
    workers_before = set(slow_server.worker_pids())
    assert len(workers_before) == 3  # 2 general, 1 express
    slow_answer: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        response = httpx.post(slow_server.endpoint, data={"query": SLOW}, timeout=60)
        slow_answer.update(response=response, seconds=time.monotonic() - started)

    slow = threading.Thread(target=run_slow)
    slow.start()
    time.sleep(0.5)  # let the slow query reach a worker
    fast_while_slow = []
    for _ in range(10):
        response = httpx.post(slow_server.endpoint, data={"query": FAST}, timeout=60)
        fast_while_slow.append((response.status_code, slow.is_alive()))
    assert fast_while_slow == [(200, True)] * 10  # answered while the slow query still ran
    slow.join(timeout=60)
    response = slow_answer["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert "3 s time limit" in response.text and response.text.count("\n") == 1
    assert slow_answer["seconds"] >= 3

    # the worker that ran it was killed and replaced; the pool is whole again
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers_after = set(slow_server.worker_pids())
        if len(workers_after) == 3 and workers_after != workers_before:
            break
        time.sleep(0.2)
    assert len(workers_after) == 3
    assert len(workers_before - workers_after) == 1  # exactly one worker was replaced
    after = httpx.post(slow_server.endpoint, data={"query": FAST}, timeout=60)
    assert after.status_code == 200 and int(after.json()["results"]["bindings"][0]["n"]["value"])


def test_server_stops_cleanly_with_its_workers(tmp_path: Path):
    server = Server("--workers", "2", log=tmp_path / "stderr.log")
    workers = server.worker_pids()
    assert len(workers) == 3  # 2 general, 1 express
    assert server.stop() in (0, 130)  # Ctrl+C: uvicorn shuts down, then re-raises SIGINT
    assert "Traceback" not in server.log.read_text()
    assert "error:" not in server.log.read_text()  # a Ctrl+C after start-up is no error
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


def test_when_every_worker_is_busy_a_request_waits_then_gets_503(
    generated_graph: Path, tmp_path: Path
):
    server = Server(  # no express worker: with one, the short query would be answered
        *("--data", str(generated_graph), "--timeout", "2", "--workers", "1", "--reserve", "0"),
        log=tmp_path / "stderr.log",
    )
    try:
        slow = [
            threading.Thread(
                target=httpx.post,
                args=(server.endpoint,),
                kwargs={"data": {"query": SLOW}, "timeout": 60},
            )
            for _ in range(3)
        ]
        for thread in slow:  # the later ones wait for the first's worker, then its replacement
            thread.start()
            time.sleep(0.1)
        # This request queues behind them all: the one worker is busy with a slow query the
        # whole 2 s it is willing to wait (the first is stopped at 2 s, a second takes over).
        waiting = httpx.post(server.endpoint, data={"query": FAST}, timeout=60)
        for thread in slow:
            thread.join(timeout=60)
        assert waiting.status_code == 503
        assert "all 1 query workers stayed busy for 2 s" in waiting.text
        assert waiting.headers["retry-after"] == "1"
        deadline = time.monotonic() + 60  # the replacement worker then answers
        while (answer := httpx.post(server.endpoint, data={"query": FAST})).status_code != 200:
            assert time.monotonic() < deadline, answer.text
            time.sleep(0.2)
    finally:
        server.stop()


@pytest.mark.parametrize("name", list(LIBRARY))
def test_sparqlwrapper_reads_each_library_query_as_a_select(name: str) -> None:
    """SPARQLWrapper finds the query form by searching the text for the first keyword,
    comments half stripped (every other line of a comment block stays): a note saying
    "dropped" made it send national-designations as an update, which the endpoint refuses."""
    parsed = SPARQLWrapper("http://127.0.0.1/sparql")._parseQueryType(LIBRARY[name].text)
    assert parsed == "SELECT"
