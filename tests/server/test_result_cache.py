"""The endpoint's result cache (server/result_cache.py), against real `hospital-kg serve`
processes: what hits, what misses, what is never stored, and the byte bound."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph_builder.server.result_cache import ENTRY_OVERHEAD, ResultCache, normalised
from tests.server.conftest import Server

HOSPITAL = "SELECT ?hospital ?name WHERE { $hospital org:hasMembership/hkg:brandedName ?name }"
BOUND = 5000
G1, G2 = "https://example.org/g1", "https://example.org/g2"
QUADS = "".join(
    f'<https://example.org/s{i}> <https://example.org/p> "value {i} {"x" * 40}" <{g}> .\n'
    for g in (G1, G2)
    for i in range(20)
)


def unique_select() -> str:
    """A query no other test sends: the seed server is shared, and so is its cache."""
    tag = uuid.uuid4()
    where = "WHERE { ?h a hkg:Hospital ; rdfs:label ?name }"
    return f'SELECT ?name ?tag {where} VALUES ?tag {{ "{tag}" }}'


def get(
    server: Server, query: str, headers: dict[str, str] | None = None, **params: str | list[str]
) -> httpx.Response:
    return httpx.get(server.endpoint, params={"query": query, **params}, headers=headers or {})


def cached(response: httpx.Response) -> str:
    return response.headers["x-result-cache"]


def stats(server: Server) -> dict:
    return httpx.get(f"{server.base}/api/cache").json()


@pytest.fixture(scope="module")
def quads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cache") / "graphs.nq"
    path.write_text(QUADS, encoding="utf-8")
    return path


def small_server(quads: Path, *options: str) -> Server:
    args = ("--data", str(quads), "--workers", "1", "--reserve", "0", *options)
    return Server(*args, log=quads.parent / f"stderr{uuid.uuid4().hex}.log")


@pytest.fixture(scope="module")
def bounded(quads: Path) -> Iterator[Server]:
    """A cache of BOUND bytes: room for two answers of a named graph's 20 rows."""
    server = small_server(quads, "--cache-bytes", str(BOUND), "--union-default-graph")
    yield server
    server.stop()


def test_a_miss_then_a_hit_with_the_same_bytes(seed_server: Server) -> None:
    query = unique_select()
    first, second = get(seed_server, query), get(seed_server, query)
    assert first.status_code == second.status_code == 200
    assert (cached(first), cached(second)) == ("miss", "hit")
    assert first.content == second.content
    for header in ("content-type", "x-result-rows", "access-control-allow-origin"):
        assert first.headers[header] == second.headers[header]


def test_comments_and_white_space_do_not_matter(seed_server: Server) -> None:
    query = unique_select()
    assert cached(get(seed_server, query)) == "miss"
    spaced = "# the same query\n" + query.replace(" ", "\n   ").replace("{", "{ # open\n")
    hit = get(seed_server, spaced)
    assert cached(hit) == "hit" and hit.content == get(seed_server, query).content


def test_a_binding_or_a_format_makes_another_answer(seed_server: Server) -> None:
    a = {"$hospital": "inst:jiaozuo-mch"}
    b = {"$hospital": "inst:changzhi-mch"}
    q = HOSPITAL + f" # {uuid.uuid4()}"  # the comment does not make it unique: the bindings do
    q = q.replace("?name", f"?name{uuid.uuid4().hex}")
    first = get(seed_server, q, **a)
    assert first.status_code == 200 and cached(first) == "miss"
    assert cached(get(seed_server, q, **b)) == "miss"
    assert cached(get(seed_server, q, **a)) == "hit"
    csv = get(seed_server, q, format="csv", **a)
    assert cached(csv) == "miss" and csv.headers["content-type"].startswith("text/csv")
    tsv = get(seed_server, q, {"Accept": "text/tab-separated-values"}, **a)
    assert cached(tsv) == "miss"
    assert cached(get(seed_server, q, format="csv", **a)) == "hit"
    # Accept and ?format= naming the same format share the answer
    assert cached(get(seed_server, q, {"Accept": "text/csv"}, **a)) == "hit"


def test_the_dataset_makes_another_answer(bounded: Server) -> None:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {uuid.uuid4()}"
    union = get(bounded, query, format="csv")
    one = get(bounded, query, format="csv", **{"default-graph-uri": G1})
    other = get(bounded, query, format="csv", **{"default-graph-uri": G2})
    both = get(bounded, query, format="csv", **{"default-graph-uri": [G1, G2]})
    assert [cached(r) for r in (union, one, other, both)] == ["miss"] * 4
    assert [r.text.split()[-1] for r in (union, one, other, both)] == ["40", "20", "20", "40"]
    again = get(bounded, query, format="csv", **{"default-graph-uri": G2})
    assert cached(again) == "hit" and again.text == other.text


def test_no_cache_bypasses_the_lookup_and_no_store_the_cache(seed_server: Server) -> None:
    query = unique_select()
    assert cached(get(seed_server, query, {"Cache-Control": "no-store"})) == "bypass"
    assert cached(get(seed_server, query)) == "miss"  # no-store kept nothing
    before = stats(seed_server)
    fresh = get(seed_server, query, {"Cache-Control": "max-age=0, no-cache"})
    assert cached(fresh) == "bypass" and fresh.status_code == 200
    assert cached(get(seed_server, query, {"Pragma": "no-cache"})) == "bypass"
    assert cached(get(seed_server, query)) == "hit"
    after = stats(seed_server)
    assert after["bypasses"] == before["bypasses"] + 2 and after["hits"] == before["hits"] + 1


def test_errors_are_never_stored(seed_server: Server) -> None:
    before = stats(seed_server)
    bad = f"SELECT ?x WHERE {{ ?x ?y }} # {uuid.uuid4()}"
    unknown = {"default-graph-uri": "https://example.org/none"}
    for _ in range(2):
        assert get(seed_server, bad).status_code == 400
        assert cached(get(seed_server, bad)) == "miss"
        response = get(seed_server, unique_select().replace("VALUES", "# VALUES"), **unknown)
        assert response.status_code == 400 and cached(response) == "miss"
        refused = get(seed_server, f"INSERT DATA {{ <a> <b> <c> }} # {_}")
        assert refused.status_code == 403  # refused before the cache is asked
    after = stats(seed_server)
    assert after["stores"] == before["stores"] and after["hits"] == before["hits"]


def test_the_workers_share_one_cache(seed_server: Server) -> None:
    """Ten requests after the first are all hits: a per-worker cache would miss on the
    other workers (the seed server has 2 general workers and an express one)."""
    query = unique_select()
    assert cached(get(seed_server, query)) == "miss"
    assert {cached(get(seed_server, query)) for _ in range(10)} == {"hit"}


def test_the_byte_bound_evicts_the_least_recently_used(bounded: Server) -> None:
    def ask(graph: str, tag: int) -> httpx.Response:
        query = f"SELECT ?s ?o ({tag} AS ?tag) WHERE {{ ?s ?p ?o }} ORDER BY ?s"
        return get(bounded, query, format="tsv", **{"default-graph-uri": graph})

    first = ask(G1, 1)
    size = len(first.content) + len("text/tab-separated-values") + ENTRY_OVERHEAD
    assert cached(first) == "miss" and BOUND / 3 < size <= BOUND / 2  # two fit, not three
    assert cached(ask(G1, 1)) == "hit"
    assert cached(ask(G1, 2)) == "miss"
    assert cached(ask(G1, 1)) == "hit"  # 1 is now more recently used than 2
    assert cached(ask(G1, 3)) == "miss"  # evicts 2
    assert cached(ask(G1, 1)) == "hit"
    assert cached(ask(G1, 2)) == "miss"  # evicts 3
    stat = stats(bounded)
    assert stat["bytes"] <= stat["max_bytes"] == BOUND and stat["evictions"] >= 2


def test_an_answer_over_the_bound_is_not_stored(bounded: Server) -> None:
    query = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s"
    before = stats(bounded)
    first = get(bounded, query, format="xml")
    assert len(first.content) > BOUND and cached(first) == "miss"
    assert cached(get(bounded, query, format="xml")) == "miss"
    assert stats(bounded)["too_large"] == before["too_large"] + 2


def test_cache_bytes_0_never_hits(quads: Path) -> None:
    server = small_server(quads, "--cache-bytes", "0")
    try:
        query = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert [cached(get(server, query)) for _ in range(3)] == ["miss"] * 3
        assert stats(server)["enabled"] is False and stats(server)["entries"] == 0
    finally:
        server.stop()


def test_a_truncated_answer_is_kept_with_its_header(quads: Path) -> None:
    server = small_server(quads, "--max-rows", "5")
    try:
        query = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s"
        first, second = get(server, query), get(server, query)
        assert (cached(first), cached(second)) == ("miss", "hit")
        assert second.headers["x-result-truncated"] == "max-rows=5"
        assert second.headers["x-result-rows"] == "5" and second.content == first.content
    finally:
        server.stop()


def test_every_part_of_the_key_matters() -> None:
    cache = ResultCache(1000, graph="a")
    args = ("SELECT * { ?s ?p ?o }", {"x": "1"}, [G1], [G2], "text/csv", 10, "http://h/sparql")
    key = cache.key(*args)
    for index, other in enumerate(
        ("ASK {}", {"x": "2"}, [G2], [G1], "text/tab-separated-values", 11, "http://i/sparql")
    ):
        changed = list(args)
        changed[index] = other
        assert cache.key(*changed) != key, index  # type: ignore[arg-type]
    assert ResultCache(1000, graph="b").key(*args) != key  # another graph: a new build


def test_normalisation_reads_tokens() -> None:
    same = [
        "SELECT * { ?s ?p ?o }",
        "SELECT *{?s ?p ?o}",
        "  SELECT * # all\n{ ?s\t?p ?o }\n",
    ]
    assert len({normalised(q) for q in same}) == 1
    different = [
        'SELECT * { ?s ?p "a  b" }',
        'SELECT * { ?s ?p "a b" }',  # white space inside a string is kept
        "SELECT * { ?s ?p <http://x/#a> }",  # a # in an IRI is no comment
        "SELECT * { ?s ?p <http://x/> }",
        "SELECT * { ?s ?p -1 }",  # one literal ...
        "SELECT * { ?s ?p - 1 }",  # ... and a syntax error
        'SELECT * { ?s ?p "a"@en }',
        'SELECT * { ?s ?p "a" @en }',
        "SELECT * { ?s ?p ?o } # \\u0041",  # escapes: keyed by the raw text
        "SELECT * { ?s ?p ?o } # \\u0042",
    ]
    assert len({normalised(q) for q in different}) == len(different)
