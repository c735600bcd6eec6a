"""`serve`: the graph over the SPARQL 1.1 Protocol and a query page (started by server/launch)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.cli.options import RootOption, open_project
from graph_builder.rdf.formats import suffixes

DEFAULT_WORKERS = max(2, os.cpu_count() or 2)


def positive(value: float) -> float:
    if value <= 0:
        raise typer.BadParameter(f"must be more than 0, got {value:g}")
    return value


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 exposes the endpoint to the network.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="TCP port; 0 lets the system choose.", min=0, max=65535)
    ] = 8000,
    timeout: Annotated[
        float,
        typer.Option(
            help="Seconds a query may run before it is stopped (answered 503).", callback=positive
        ),
    ] = 10.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Most rows (or triples) one answer may hold.", min=1)
    ] = 10_000,
    workers: Annotated[
        int, typer.Option(help="Query worker processes, each holding the graph in memory.", min=1)
    ] = DEFAULT_WORKERS,
    cors: Annotated[
        str | None,
        typer.Option("--cors", metavar="ORIGIN", help="Allow browser pages from ORIGIN to query."),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help=f"Serve these RDF files ({', '.join(suffixes())}; repeatable) "
            "instead of building from data/.",
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol at /sparql, with a query page at /."""
    from graph_builder.server.launch import serve as launch

    options = {"timeout": timeout, "max_rows": max_rows, "workers": workers, "cors_origin": cors}
    launch(open_project(root), data or [], host, port, options, typer.echo)


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg serve | hospital-kg serve --port 8080 --timeout 30 | "
        "hospital-kg serve --data build/national.nt --data ontology/hospital-kg.ttl"
    )(serve)
