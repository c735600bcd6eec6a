"""`hospital-kg load --store` then `serve --store`: the same answers as `serve`, from a store
written once and opened read-only; bad directories and a store in use are one line each."""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph_builder.server.bindings import term_text
from graph_builder.sparql.query_library import load_library
from tests.conftest import run_cli
from tests.server.conftest import Server

LIBRARY = load_library()
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "seed"
    result = run_cli("load", "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"[\d,]+ triples -> \S+ \(\d+\.\d s\)\n", result.stdout), result.stdout
    return store


@pytest.fixture(scope="module")
def store_server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("store-server") / "stderr.log"
    server = Server("--store", str(seed_store), "--workers", "1", log=log)
    yield server
    server.stop()


def ask(server: Server, text: str, bindings: dict[str, str] | None = None) -> httpx.Response:
    form = {"query": text, **{f"${k}": v for k, v in (bindings or {}).items()}}
    return httpx.post(server.endpoint, data=form, headers={"Accept": "text/csv"}, timeout=60)


@pytest.mark.parametrize("name", list(LIBRARY))
def test_a_store_answers_the_library_as_serve_does(
    seed_server: Server, store_server: Server, name: str
) -> None:
    query = LIBRARY[name]
    bindings = {p.name: term_text(p.type, p.default) for p in query.params if p.default is not None}
    answers = [ask(server, query.text, bindings) for server in (seed_server, store_server)]
    for response in answers:
        assert response.status_code == 200, response.text
    built, stored = (r.text.splitlines() for r in answers)
    assert built[0] == stored[0]  # the same columns
    assert sorted(built[1:]) == sorted(stored[1:])


def test_the_banner_names_the_store_and_counts_what_serve_builds(
    seed_server: Server, store_server: Server, seed_store: Path
) -> None:
    assert (
        "(store " in store_server.output[0]
        and ", read-only) in 1 query workers" in (store_server.output[0])
    )
    counts = [ask(s, COUNT).text.splitlines()[1] for s in (seed_server, store_server)]
    assert counts[0] == counts[1]
    assert f"{int(counts[0]):,} triples" in store_server.output[0]


def test_a_store_being_served_is_not_replaced(store_server: Server, seed_store: Path) -> None:
    before = sorted(os.listdir(seed_store))
    result = run_cli("load", "--store", str(seed_store))
    assert result.returncode == 1
    assert result.stderr == (
        f"error: --store: {seed_store} is in use by a running hospital-kg serve "
        "(or another load); stop it first, or load into another directory\n"
    )
    assert sorted(os.listdir(seed_store)) == before
    assert ask(store_server, COUNT).status_code == 200


def test_a_store_being_replaced_is_not_served(tmp_path: Path) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    store = tmp_path / "store"
    assert run_cli("load", "--store", str(store), "--data", str(data)).returncode == 0
    fd = os.open(store, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as `load` holds it while it replaces
        result = run_cli("serve", "--port", "0", "--store", str(store))
    finally:
        os.close(fd)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: --store: {store} is being replaced by hospital-kg load; "
        "try again when it has finished\n"
    )


def test_load_from_files_replaces_a_store(tmp_path: Path, project) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    store = tmp_path / "store"
    assert run_cli("load", "--store", str(store), "--data", str(data)).stdout.startswith(
        "1 triples -> "
    )
    with_ontology = run_cli("load", "--store", str(store), "--data", str(data), "--with-ontology")
    assert with_ontology.returncode == 0, with_ontology.stderr
    assert int(with_ontology.stdout.split()[0].replace(",", "")) > 100
    assert not [name for name in os.listdir(tmp_path) if ".hkg-" in name]


def test_bad_directories_are_one_line(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    not_a_store = tmp_path / "notes"
    not_a_store.mkdir()
    (not_a_store / "a.txt").write_text("x", encoding="utf-8")
    bad_rdf = tmp_path / "bad.ttl"
    bad_rdf.write_text("<a> <b> .\n", encoding="utf-8")
    cases = [
        (["load", "--store", str(a_file)], 2, f"error: --store: {a_file} is a file"),
        (["load", "--store", str(not_a_store)], 2, f"error: --store: {not_a_store} exists and"),
        (["load", "--store", str(a_file / "x")], 2, f"error: --store: cannot write {a_file}/x"),
        (["load", "--store", ""], 2, "error: --store: an empty path names nothing"),
        (["load", "--store", str(tmp_path / "s"), "--data", "README.md"], 2, "error: cannot read"),
        (["load", "--store", str(tmp_path / "s"), "--data", str(bad_rdf)], 1, "error: "),
        (["serve", "--store", str(tmp_path / "missing")], 2, "error: --store: no such store: "),
        (["serve", "--store", str(a_file)], 2, f"error: --store: {a_file} is a file"),
        (["serve", "--store", str(not_a_store)], 2, "error: --store: "),
        (["serve", "--store", str(not_a_store), "--data", str(bad_rdf)], 2, "error: give --store"),
    ]
    for args, code, start in cases:
        result = run_cli(*args, *(["--port", "0"] if args[0] == "serve" else []))
        assert (result.returncode, result.stderr.count("\n")) == (code, 1), (args, result.stderr)
        assert result.stderr.startswith(start), (args, result.stderr)
        assert result.stdout == ""
    assert not (tmp_path / "s").exists()
    assert sorted(os.listdir(not_a_store)) == ["a.txt"]
    assert not [name for name in os.listdir(tmp_path) if ".hkg-" in name]


def test_a_broken_store_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "CURRENT").write_text("MANIFEST-000404\n", encoding="utf-8")
    result = run_cli("serve", "--port", "0", "--store", str(broken))
    assert result.returncode == 1
    assert result.stderr.startswith("error: query worker could not load the graph: ")
    assert result.stderr.count("\n") == 1
