"""`hospital-kg serve` refuses bad options and unloadable data with one line, before serving."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import run_cli


def test_unloadable_data_is_one_line_and_exit_1(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = run_cli("serve", "--port", "0", "--data", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith("error: query worker could not load the graph: ")
    assert "bad.ttl, line 1" in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""  # never claimed to be serving


def test_bad_options(tmp_path: Path):
    cases = [
        (["--data", str(tmp_path / "missing.nt")], "error: no such file: "),
        (["--data", "README.md"], "error: cannot serve README.md: use .ttl, .nt, .rdf or .jsonld"),
        (["--timeout", "0"], "error: --timeout must be > 0"),
        (["--max-rows", "0"], "error: --timeout must be > 0, --max-rows and --workers at least 1"),
        (["--port", "70000"], "error: --port must be between 0 and 65535"),
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
