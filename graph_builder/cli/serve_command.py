"""`hospital-kg serve`: the graph over the SPARQL 1.1 Protocol, with a query page.

The graph is built once (or read from --data files), written as N-Triples to a
temporary directory, and loaded by each query worker into its own in-memory
Oxigraph store. The socket is bound before the workers start, so a wrong port
fails at once and `--port 0` can report the port the system chose.
"""

from __future__ import annotations

import os
import socket
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer

from graph_builder.cli.options import RootOption, fail, open_project
from graph_builder.rdf.namespaces import PREFIXES
from graph_builder.server.bindings import term_text
from graph_builder.sparql.query_library import LibraryError, load_library
from graph_builder.sparql.stores import load_graph

DEFAULT_WORKERS = max(2, os.cpu_count() or 2)


def graph_file_format(path: Path) -> str:
    """The media type of an RDF graph file, from its extension."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if fmt is None or fmt.supports_datasets:
        raise ValueError(f"cannot serve {path.name}: use .ttl, .nt, .rdf or .jsonld")
    return fmt.media_type


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (IPv6 when the host has a colon)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 exposes the endpoint to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port; 0 lets the system choose.")] = 8000,
    timeout: Annotated[
        float, typer.Option(help="Seconds a query may run before it is stopped (answered 503).")
    ] = 10.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Most rows (or triples) one answer may hold.")
    ] = 10_000,
    workers: Annotated[
        int, typer.Option(help="Query worker processes, each holding the graph in memory.")
    ] = DEFAULT_WORKERS,
    cors: Annotated[
        str | None,
        typer.Option("--cors", metavar="ORIGIN", help="Allow browser pages from ORIGIN to query."),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data", help="Serve these RDF files (repeatable) instead of building from data/."
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol at /sparql, with a query page at /."""
    from graph_builder.server.app import Settings
    from graph_builder.server.pool import PoolError
    from graph_builder.server.run import run

    if timeout <= 0 or max_rows < 1 or workers < 1:
        raise fail("--timeout must be > 0, --max-rows and --workers at least 1", 2)
    if not 0 <= port <= 65535:
        raise fail(f"--port must be between 0 and 65535, got {port}", 2)
    project = open_project(root)
    try:
        library = load_library(project)
    except LibraryError as exc:
        raise fail(str(exc), 2) from None
    with tempfile.TemporaryDirectory(prefix="hospital-kg-serve-") as tmp:
        if data:
            missing = [str(p) for p in data if not p.is_file()]
            if missing:
                raise fail(f"no such file: {missing[0]}", 2)
            try:
                files = [(str(p.resolve()), graph_file_format(p)) for p in data]
            except ValueError as exc:
                raise fail(str(exc), 2) from None
        else:
            target = Path(tmp) / "graph.nt"
            load_graph(project).serialize(destination=str(target), format="nt", encoding="utf-8")
            files = [(str(target), "application/n-triples")]
        try:
            sock = listen(host, port)
        except OSError as exc:
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1) from None
        base = url_of(sock)

        def ready(triples: int) -> None:
            typer.echo(
                f"hospital-kg serve: {triples:,} triples in {workers} query workers; "
                f"timeout {timeout:g} s, at most {max_rows:,} rows"
            )
            typer.echo(f"SPARQL endpoint: {base}/sparql")
            typer.echo(f"query page:      {base}/")
            typer.echo("Press Ctrl+C to stop.")

        settings = Settings(
            graph_files=files,
            prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()},
            library=[library_entry(q) for q in library.values()],
            explorer=project.build_dir / "explorer.html",
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            cors_origin=cors,
        )
        try:
            run(settings, sock, ready)
        except PoolError as exc:
            raise fail(str(exc), 1) from None
        finally:
            sock.close()


def library_entry(query) -> dict:
    """What the query page needs of a library query."""
    return {
        "name": query.name,
        "question_en": query.question_en,
        "question_zh": query.question_zh,
        "text": query.text,
        "params": [
            {
                **asdict(p),
                "default_term": None if p.default is None else term_text(p.type, p.default),
            }
            for p in query.params
        ],
    }


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg serve | hospital-kg serve --port 8080 --timeout 30 | "
        "hospital-kg serve --data build/national.nt --data ontology/hospital-kg.ttl"
    )(serve)
