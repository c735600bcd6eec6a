"""The SPARQL 1.1 Protocol over real HTTP: request forms, content types, refusals, limits.

Every answer is read back with a real parser: rdflib's SPARQL JSON/XML/CSV/TSV
results parsers, the csv module, and rdflib's Turtle, JSON-LD, N-Triples and
RDF/XML parsers.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.query import Result

from graph_builder.api import load_graph
from graph_builder.rdf.namespaces import INST, RDFS
from graph_builder.sparql.execute import run_query
from tests.conftest import REPO
from tests.server.conftest import Server

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SELECT = "SELECT ?name WHERE { inst:jiaozuo-mch org:hasMembership/hkg:brandedName ?name }"
CONSTRUCT = "CONSTRUCT { ?h rdfs:label ?l } WHERE { ?h a hkg:Hospital ; rdfs:label ?l }"
ASK = "ASK { inst:changzhi-mch a hkg:Hospital }"
ORIGIN = "http://localhost:5173"


@pytest.fixture(scope="module")
def expected_names() -> set[str]:
    """What the in-process query layer says, to compare the endpoint with."""
    return {str(row[0]) for row in run_query(load_graph(), SELECT).rows}


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """A server on a scratch copy of the project, with a row cap and CORS for one origin."""
    root = tmp_path_factory.mktemp("project")
    for name in ("ontology", "data", "queries"):
        shutil.copytree(REPO / name, root / name)
    server = Server(
        *("--root", str(root), "--max-rows", "1000", "--cors", ORIGIN, "--workers", "1"),
        log=root / "stderr.log",
    )
    yield server, root
    server.stop()


def get(server: Server, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(server.endpoint, params={"query": query, **params}, headers=headers)


def test_three_request_forms_give_the_same_answer(seed_server: Server, expected_names: set[str]):
    accept = {"Accept": "application/sparql-results+json"}
    answers = [
        httpx.get(seed_server.endpoint, params={"query": SELECT}, headers=accept),
        httpx.post(seed_server.endpoint, data={"query": SELECT}, headers=accept),
        httpx.post(
            seed_server.endpoint,
            content=SELECT.encode(),
            headers={**accept, "Content-Type": "application/sparql-query"},
        ),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        names = {b["name"]["value"] for b in response.json()["results"]["bindings"]}
        assert names == expected_names and len(names) == 3


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
    ],
)
def test_select_in_each_results_format_parses(
    seed_server: Server, expected_names: set[str], accept: str, media_type: str, rdflib_format: str
):
    response = get(seed_server, SELECT, accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    result = Result.parse(io.BytesIO(response.content), format=rdflib_format)
    assert {str(row[0]) for row in result} == expected_names
    if rdflib_format != "csv":  # CSV carries no types; the other formats keep the language tag
        assert {row[0].language for row in result} == {"zh"}


def test_csv_follows_the_w3c_format_for_the_csv_module(seed_server: Server):
    query = (
        "SELECT ?h ?name ?code WHERE { ?h rdfs:label ?name "
        "OPTIONAL { ?h hkg:divisionCode ?code } } ORDER BY ?h LIMIT 5"
    )
    response = get(seed_server, query, "text/csv")
    assert response.content.endswith(b"\r\n")  # the W3C CSV results format ends lines with CRLF
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["h", "name", "code"]
    assert len(rows) == 6
    assert all(row[0].startswith("https://w3id.org/hospital-kg/") for row in rows[1:])


def test_every_term_kind_round_trips_through_json_and_xml(seed_server: Server):
    query = """SELECT ?iri ?lang ?typed ?plain ?blank ?unbound WHERE {
      BIND(inst:jiaozuo-mch AS ?iri) BIND("焦作"@zh AS ?lang) BIND(2024 AS ?typed)
      BIND("a \\"quoted\\" <tag> & tab\\t" AS ?plain) BIND(BNODE() AS ?blank) }"""
    for accept, fmt in (
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/tab-separated-values", "tsv"),
    ):
        response = get(seed_server, query, accept)
        assert response.status_code == 200, response.text
        (row,) = list(Result.parse(io.BytesIO(response.content), format=fmt))
        assert row.iri == INST["jiaozuo-mch"]
        assert row.lang == Literal("焦作", lang="zh")
        assert row.typed == Literal(2024)
        assert row.plain == Literal('a "quoted" <tag> & tab\t')
        assert row.blank is not None and row.unbound is None


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_each_rdf_format_parses(seed_server: Server, accept: str, rdflib_format: str):
    response = get(seed_server, CONSTRUCT, accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (INST["changzhi-mch"], RDFS.label, Literal("长治市妇幼保健院", lang="zh")) in graph
    assert len(graph) == int(response.headers["x-result-rows"]) > 2


def test_ask_in_each_results_format(seed_server: Server):
    for accept, fmt in (
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
    ):
        response = get(seed_server, ASK, accept)
        assert Result.parse(io.BytesIO(response.content), format=fmt).askAnswer is True
    for accept in ("text/csv", "text/tab-separated-values"):
        assert get(seed_server, ASK, accept).text == "true"
    no = get(
        seed_server, "ASK { inst:changzhi-mch a hkg:Alliance }", "application/sparql-results+json"
    )
    assert no.json()["boolean"] is False


def test_dataset_parameters_choose_the_graphs(seed_server: Server):
    everything = "ASK { ?s ?p ?o }"
    assert get(seed_server, everything).json()["boolean"] is True
    # the data is in the default graph; naming a graph the server lacks is refused, not
    # answered from an empty dataset (tests/server/test_named_graphs.py: graphs it has)
    unknown = get(seed_server, everything, **{"default-graph-uri": "urn:hospital-kg:none"})
    assert unknown.status_code == 400 and "<urn:hospital-kg:none> names no graph" in unknown.text
    bad = get(seed_server, everything, **{"default-graph-uri": "not an iri"})
    assert bad.status_code == 400


def test_negotiation_defaults_format_parameter_and_406(seed_server: Server):
    assert get(seed_server, SELECT).headers["content-type"] == "application/sparql-results+json"
    assert get(seed_server, CONSTRUCT).headers["content-type"].startswith("text/turtle")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert (
        get(seed_server, SELECT, browser)
        .headers["content-type"]
        .startswith("application/sparql-results+xml")
    )
    # ?format= wins over Accept, and means the right thing for each query form
    assert get(seed_server, SELECT, "text/csv", format="tsv").text.startswith("?name\n")
    assert get(seed_server, CONSTRUCT, format="json").headers["content-type"] == (
        "application/ld+json"
    )
    refused = get(seed_server, SELECT, "image/png")
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text
    wrong_kind = get(seed_server, SELECT, format="turtle")
    assert wrong_kind.status_code == 406 and "json, xml, csv, tsv" in wrong_kind.text


def test_service_description(seed_server: Server):
    response = httpx.get(seed_server.endpoint, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(seed_server.endpoint)
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in formats
    assert len(formats) == 8
    (triples,) = graph.objects(None, VOID.triples)
    assert int(triples) == len(load_graph())
    as_jsonld = httpx.get(seed_server.endpoint, headers={"Accept": "application/ld+json"})
    assert Graph().parse(data=as_jsonld.text, format="json-ld").isomorphic(graph)


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "INSERT DATA { inst:x rdfs:label 'x' }"}},
        {
            "content": b"DELETE WHERE { ?s ?p ?o }",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {"data": {"query": "PREFIX ex: <http://e/> # comment\nDROP ALL"}},
        {"data": {"query": "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"}},
    ],
)
def test_updates_are_refused_with_403(seed_server: Server, request_kwargs: dict):
    before = httpx.get(
        seed_server.endpoint, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
    )
    response = httpx.post(seed_server.endpoint, **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text and response.text.count("\n") == 1
    after = httpx.get(
        seed_server.endpoint, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
    )
    assert before.json() == after.json()


def test_service_calls_are_refused_even_escaped(seed_server: Server):
    for query in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ):
        response = httpx.post(seed_server.endpoint, data={"query": query})
        assert response.status_code == 403, query
        assert "SERVICE" in response.text
    # the word inside a literal, an IRI or a variable name is fine
    harmless = (
        'SELECT ?service WHERE { BIND("SERVICE <x>" AS ?service) '
        "FILTER(?service != <http://e/SERVICE>) }"
    )
    assert httpx.post(seed_server.endpoint, data={"query": harmless}).status_code == 200


def test_malformed_query_gets_400_with_line_and_column(seed_server: Server):
    response = httpx.post(
        seed_server.endpoint, data={"query": "SELECT ?x WHERE {\n  ?x rdfs:label \n}"}
    )
    assert response.status_code == 400
    assert "line 3, column 1" in response.text
    assert response.text.startswith("error: syntax error") and response.text.count("\n") == 1
    unknown_prefix = httpx.post(seed_server.endpoint, data={"query": "SELECT * { ?s nope:p ?o }"})
    assert unknown_prefix.status_code == 400 and "line 1" in unknown_prefix.text


def test_bad_requests(seed_server: Server):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert httpx.post(seed_server.endpoint, content=b"", headers=form).status_code == 400
    no_type = httpx.post(seed_server.endpoint, content=ASK.encode())
    assert no_type.status_code == 415 and "application/sparql-query" in no_type.text
    assert httpx.post(seed_server.endpoint, data={"query": "  "}).status_code == 400
    two = httpx.get(seed_server.endpoint, params=[("query", ASK), ("query", ASK)])
    assert two.status_code == 400
    multipart = httpx.post(seed_server.endpoint, files={"query": ("q.rq", ASK.encode())})
    assert multipart.status_code == 415
    too_big = httpx.post(seed_server.endpoint, data={"query": "#" * 2_000_000})
    assert too_big.status_code == 413
    assert httpx.put(seed_server.endpoint, content=ASK).status_code == 405


def raw_get(server: Server, path: str) -> tuple[int, bytes]:
    """A request whose path is sent exactly as written (httpx would normalize '..')."""
    url = urlsplit(server.base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def test_static_routes_reject_path_traversal(seed_server: Server):
    status, body = raw_get(seed_server, "/static/app.js")
    assert status == 200 and b"HKGEditor" in body
    secret = (REPO / "pyproject.toml").read_bytes()
    for path in (
        "/static/../../../pyproject.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
    ):
        status, body = raw_get(seed_server, path)
        assert status == 404, path
        assert body != secret and b"root:" not in body


def test_binds_to_loopback_only_by_default(seed_server: Server):
    assert urlsplit(seed_server.base).hostname == "127.0.0.1"
    port = urlsplit(seed_server.base).port
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(":")
            if state == "0A" and int(local_port, 16) == port:  # 0A = LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian hex


def test_cors_is_open_to_any_page_by_default(seed_server: Server):
    response = httpx.get(
        seed_server.endpoint, params={"query": ASK}, headers={"Origin": "http://example.org"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(
        seed_server.endpoint,
        headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_cors_only_for_the_origins_given(configured: tuple[Server, Path]):
    server, _ = configured
    allowed = httpx.get(server.endpoint, params={"query": ASK}, headers={"Origin": ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "x-result-rows" in allowed.headers["access-control-expose-headers"].lower()
    preflight = httpx.options(
        server.endpoint,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    elsewhere = {"Origin": "http://elsewhere.example"}
    other = httpx.get(server.endpoint, params={"query": ASK}, headers=elsewhere)
    assert other.status_code == 200  # the browser keeps the answer from the page
    assert "access-control-allow-origin" not in other.headers
    refused = httpx.options(
        server.endpoint, headers={**elsewhere, "Access-Control-Request-Method": "POST"}
    )
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers
    # a form needs no preflight, so a page elsewhere could make the server run queries
    for content_type in ("application/x-www-form-urlencoded", "text/plain"):
        form = httpx.post(
            server.endpoint,
            content=f"query={ASK}".encode(),
            headers={**elsewhere, "Content-Type": content_type},
        )
        assert form.status_code == 403, content_type
        assert form.text.startswith("error: a form POST from another site")
    own = httpx.post(server.endpoint, data={"query": ASK}, headers={"Origin": ORIGIN})
    assert own.status_code == 200 and own.headers["access-control-allow-origin"] == ORIGIN


def test_answers_are_capped_at_max_rows(configured: tuple[Server, Path]):
    server, _ = configured
    everything = get(server, "SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert len(everything.json()["results"]["bindings"]) == 1000
    assert everything.headers["x-result-rows"] == "1000"
    assert everything.headers["x-result-truncated"] == "max-rows=1000"
    graph = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert len(Graph().parse(data=graph.text, format="nt")) == 1000
    assert graph.headers["x-result-truncated"] == "max-rows=1000"
    small = get(server, SELECT, "text/csv")
    assert small.headers["x-result-rows"] == "3" and "x-result-truncated" not in small.headers


def test_explorer_page_is_served_once_built(configured: tuple[Server, Path]):
    server, root = configured
    missing = httpx.get(f"{server.base}/explore")
    assert missing.status_code == 404
    assert "hospital-kg viz --output build/explorer.html" in missing.text
    (root / "build").mkdir(exist_ok=True)
    page = "<!doctype html><title>explorer</title><p>网络</p>"
    (root / "build" / "explorer.html").write_text(page, encoding="utf-8")
    built = httpx.get(f"{server.base}/explore")
    assert built.status_code == 200 and built.text == page


def test_library_api_lists_every_query(seed_server: Server):
    from graph_builder.sparql.query_library import load_library

    data = httpx.get(f"{seed_server.base}/api/queries").json()
    assert [q["name"] for q in data["queries"]] == list(load_library())
    assert data["prefixes"]["hkg"] == "https://w3id.org/hospital-kg/ontology#"
    assert all(q["question_en"] and q["question_zh"] and q["text"] for q in data["queries"])
    assert json.dumps(data)  # plain JSON all the way down
