"""`serve`: the graph over the SPARQL 1.1 Protocol and a query page (started by server/launch)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.cli.options import RootOption, not_empty, open_project
from graph_builder.rdf.formats import suffixes
from graph_builder.rdf.namespaces import BASE
from graph_builder.server.result_cache import DEFAULT_CACHE_BYTES
from graph_builder.sparql.lexer import MAX_DEPTH

DEFAULT_WORKERS = max(2, os.cpu_count() or 2)


def positive(value: float) -> float:
    """A finite number of seconds above 0 (NaN and infinity compare oddly: refuse them)."""
    if not math.isfinite(value) or value <= 0:
        raise typer.BadParameter(f"must be a number of seconds more than 0, got {value:g}")
    return value


def base_option(value: str) -> str:
    """`--base`, checked by the Linked Data paths (imported here: the server's modules
    load only when `serve` runs)."""
    from graph_builder.server.linked_data.paths import base_iri

    return base_iri(value)


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
        list[str] | None,
        typer.Option(
            "--cors",
            metavar="ORIGIN",
            help="Let pages from ORIGIN query from the browser (repeatable); "
            "default '*' (any page), 'none' turns CORS off.",
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME",
            help="Also answer requests whose Host is NAME (repeatable; '*' any): "
            "a proxy's name. On loopback only its own names are answered.",
        ),
    ] = None,
    max_url: Annotated[
        int,
        typer.Option(
            "--max-url",
            help="Longest GET URL in bytes; longer ones are answered 414 (POST them).",
            min=1024,
            max=65_000,
        ),
    ] = 8192,
    max_headers: Annotated[
        int,
        typer.Option(
            "--max-headers",
            help="Most bytes of request headers; more are answered 431.",
            min=1024,
        ),
    ] = 64 * 1024,
    max_bindings: Annotated[
        int,
        typer.Option("--max-bindings", help="Most $name= parameters one request may bind.", min=0),
    ] = 100,
    max_depth: Annotated[
        int,
        typer.Option(
            "--max-depth",
            help="Deepest nesting a query may have (brackets and chains of operators, "
            "patterns, UNIONs); deeper ones are refused (400), as they crash the engine.",
            min=1,
            max=MAX_DEPTH * 2,
        ),
    ] = MAX_DEPTH,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            metavar="MB",
            help="Memory one query may allocate in its worker, beyond the graph; "
            "past it the query is answered 503 and the worker replaced.",
            min=16,
        ),
    ] = 1024,
    reserve: Annotated[
        int,
        typer.Option(
            help="Express workers kept for queries not known to be heavy, so heavy "
            "ones cannot starve short ones (0: none).",
            min=0,
        ),
    ] = 1,
    express_seconds: Annotated[
        float,
        typer.Option(
            "--express-seconds",
            help="CPU seconds a query may use on an express worker before it moves "
            "to the general ones (and is known as heavy).",
            callback=positive,
        ),
    ] = 0.1,
    reconcile_batch: Annotated[
        int,
        typer.Option(
            "--reconcile-batch",
            help="Most queries in one reconciliation batch (/reconcile); more are answered 413.",
            min=1,
        ),
    ] = 100,
    reconcile_chars: Annotated[
        int,
        typer.Option(
            "--reconcile-chars",
            help="Longest reconciliation query string, property value, suggest prefix or "
            "id, in characters; longer ones are answered 400.",
            min=1,
        ),
    ] = 500,
    reconcile_limit: Annotated[
        int,
        typer.Option(
            "--reconcile-limit",
            help="Most candidates per reconciliation query (and suggestions per request); "
            "a larger limit is lowered to it.",
            min=1,
        ),
    ] = 100,
    cache_bytes: Annotated[
        int,
        typer.Option(
            "--cache-bytes",
            metavar="BYTES",
            help="Bound of the result cache, which answers a query asked again without "
            "running it (X-Result-Cache: hit); 0 turns it off.",
            min=0,
        ),
    ] = DEFAULT_CACHE_BYTES,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help=f"Serve these RDF files ({', '.join(suffixes())}; repeatable) "
            "instead of building from data/.",
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            metavar="DIR",
            help="Serve the Oxigraph store hospital-kg load wrote in DIR, opened read-only "
            "(nothing is built or loaded at start-up).",
            show_default=False,
            callback=not_empty,
        ),
    ] = None,
    union_default_graph: Annotated[
        bool,
        typer.Option(
            "--union-default-graph",
            help="Without default-graph-uri, query the union of all graphs (the default "
            "and every named graph of .nq/.trig files or the store) as the default graph.",
        ),
    ] = False,
    base: Annotated[
        str,
        typer.Option(
            "--base",
            metavar="URL",
            help="The IRI prefix this server's root stands for: IRI {base}id/institution/x "
            "is answered at /id/institution/x (HTML or RDF by content negotiation).",
            callback=base_option,
        ),
    ] = BASE,
    root: RootOption = None,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol at /sparql, with a query page at /."""
    from graph_builder.server.launch import serve as launch
    from graph_builder.server.origins import allow_hosts, cors_origins

    options = {
        "timeout": timeout,
        "max_rows": max_rows,
        "workers": workers,
        "cors_origins": cors_origins(cors),
        "allow_hosts": allow_hosts(allow_host),
        "listen_host": host,
        "max_url": max_url,
        "max_bindings": max_bindings,
        "max_headers": max_headers,
        "max_depth": max_depth,
        "max_memory": max_memory * 2**20,
        "reserve": reserve,
        "express_seconds": express_seconds,
        "reconcile_batch": reconcile_batch,
        "reconcile_chars": reconcile_chars,
        "reconcile_limit": reconcile_limit,
        "union_default_graph": union_default_graph,
        "base": base,
        "cache_bytes": cache_bytes,
    }
    launch(
        open_project(root),
        data or [],
        host,
        port,
        options,
        typer.echo,
        store=None if store is None else Path(store),
    )


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg serve | hospital-kg serve --port 8080 --timeout 30 | "
        "hospital-kg serve --data build/national.nt --data ontology/hospital-kg.ttl | "
        "hospital-kg serve --store build/store"
    )(serve)
