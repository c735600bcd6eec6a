"""`hospital-kg serve` refuses bad options and unloadable data with one line, before serving."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from tests.conftest import run_cli
from tests.server.conftest import Server


def test_unloadable_data_is_one_line_and_exit_1(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = run_cli("serve", "--port", "0", "--data", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith("error: query worker could not load the graph: ")
    assert "bad.ttl, line 1" in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""  # never claimed to be serving


SECONDS = "error: --timeout: must be a number of seconds more than 0, got"


def test_bad_options(tmp_path: Path):
    cases = [
        (["--data", str(tmp_path / "missing.nt")], "error: --data: no such file: "),
        (["--data", "README.md"], "error: cannot read README.md: not an RDF file suffix we know"),
        (["--timeout", "0"], "error: --timeout: must be a number of seconds more than 0, got 0"),
        (
            ["--timeout", "nan"],
            "error: --timeout: must be a number of seconds more than 0, got nan",
        ),
        (
            ["--timeout", "inf"],
            "error: --timeout: must be a number of seconds more than 0, got inf",
        ),
        (["--express-seconds", "-1"], "error: --express-seconds: must be a number of seconds"),
        (["--max-depth", "0"], "error: --max-depth: "),
        (["--max-memory", "1"], "error: --max-memory: "),
        (["--reserve", "-1"], "error: --reserve: "),
        (["--max-rows", "0"], "error: --max-rows: "),
        (["--workers", "0"], "error: --workers: "),
        (["--port", "70000"], "error: --port: "),
    ]
    for args, message in cases:
        port = [] if "--port" in args else ["--port", "0"]
        result = run_cli("serve", *port, *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith(message), (args, result.stderr)
        assert result.stderr.count("\n") == 1


def test_a_port_in_use_is_reported():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")


def test_serves_a_jsonld_file_like_the_same_graph_in_turtle(tmp_path: Path, graph) -> None:
    """`serve --data` reads every format of the table; JSON-LD was refused before."""
    from graph_builder.rdf.export import export_graph

    counts = {}
    for suffix in (".jsonld", ".ttl"):
        path = tmp_path / f"seed{suffix}"
        export_graph(graph, "jsonld" if suffix == ".jsonld" else "turtle", path)
        server = Server("--data", str(path), "--workers", "1", log=tmp_path / f"{suffix}.log")
        try:
            response = httpx.get(
                server.endpoint,
                params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                headers={"Accept": "text/csv"},
            )
        finally:
            server.stop()
        assert response.status_code == 200, response.text
        counts[suffix] = int(response.text.splitlines()[1])
        assert f"{len(graph):,} triples" in server.output[0]
    assert counts == {".jsonld": len(graph), ".ttl": len(graph)}
