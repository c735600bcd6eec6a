"""`push`: upload the graph (or an RDF file) to another triple store and check what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer

from graph_builder.cli.options import RootOption, not_empty, open_project
from graph_builder.cli.remote_options import (
    PasswordEnvOption,
    TimeoutOption,
    UserOption,
    graph_iri,
)
from graph_builder.errors import UsageError
from graph_builder.progress import progress_bar
from graph_builder.project import Project
from graph_builder.publish.batches import file_triples, graph_triples
from graph_builder.publish.connection import DEFAULT_TIMEOUT, Connection, check_url, credentials
from graph_builder.publish.graph_store import Target, push
from graph_builder.publish.remote import Endpoint, query_endpoint_for
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.vocabulary import load_ontology


def push_command(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="The Graph Store URL (oxigraph: http://HOST:PORT/store, "
            "Virtuoso: http://HOST:PORT/sparql-graph-crud-auth).",
            show_default=False,
        ),
    ],
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Named graph to write (an absolute IRI).", show_default=False),
    ] = None,
    default: Annotated[
        bool, typer.Option("--default", help="Write the default graph instead of a named one.")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace what the graph holds (PUT) instead of adding."),
    ] = False,
    user: UserOption = None,
    password_env: PasswordEnvOption = None,
    with_ontology: Annotated[
        bool, typer.Option("--with-ontology", help="Include the ontology's triples.")
    ] = False,
    input: Annotated[
        str | None,
        typer.Option(
            "--input",
            help="Upload this RDF file (.ttl, .nt, .jsonld, .rdf ...) instead of the built graph.",
            show_default=False,
            callback=not_empty,
        ),
    ] = None,
    batch: Annotated[int, typer.Option("--batch", help="Triples per request.", min=1)] = 10_000,
    query_endpoint: Annotated[
        str | None,
        typer.Option(
            "--query-endpoint",
            help="The server's SPARQL endpoint, for the count (default: from --endpoint: "
            "/store -> /query, /sparql-graph-crud-auth -> /sparql).",
            show_default=False,
        ),
    ] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    root: RootOption = None,
) -> None:
    """Upload the graph to a triple store (SPARQL 1.1 Graph Store Protocol), then check its count.

    Batches of N-Triples: POST adds them; with --replace the first is PUT, replacing the graph.
    """
    check_url(endpoint, "--endpoint")
    if (graph is None) == (not default):
        raise UsageError("give --graph IRI (a named graph) or --default (exactly one)")
    target = Target(endpoint, None if graph is None else graph_iri(graph))
    sparql = check_url(query_endpoint or query_endpoint_for(endpoint), "--query-endpoint")
    login = credentials(user, password_env)
    project = open_project(root)
    triples = source_triples(project, input, with_ontology)
    with Connection(login, timeout=timeout) as connection:
        remote = Endpoint(sparql, connection)
        with progress_bar("uploading", len(triples), "triples") as advance:
            done = push(
                triples,
                target,
                remote,
                connection,
                replace=replace,
                batch_size=batch,
                progress=advance,
            )
    requests = f"{done.batches:,} request{'s' * (done.batches != 1)}"
    if replace:
        typer.echo(
            f"replaced {target.name()} with {done.triples:,} triples at {endpoint} ({requests})"
        )
    else:
        typer.echo(f"added {done.triples:,} triples to {target.name()} at {endpoint} ({requests})")
    typer.echo(
        f"the server holds {done.after:,} triples in {target.name()} "
        f"(counted at {sparql}; {done.before:,} before)"
    )


def source_triples(project: Project, input: str | None, with_ontology: bool) -> list[ox.Triple]:
    """The triples to upload: the --input file or the built graph, plus the ontology if asked."""
    if input is not None:
        triples = file_triples(Path(input))
        if not with_ontology:
            return triples
        ontology = load_ontology(project.ontology)
    else:
        ontology = load_ontology(project.ontology)
        triples = graph_triples(build_graph(project, ontology))
        if not with_ontology:
            return triples
    return list(dict.fromkeys([*triples, *graph_triples(ontology)]))


def register(app: typer.Typer) -> None:
    app.command(
        "push",
        epilog="Examples: hospital-kg push --endpoint http://127.0.0.1:7878/store "
        "--graph https://w3id.org/hospital-kg/graph --with-ontology --replace | "
        "hospital-kg push --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth "
        "--graph urn:kg --user dba --password-env VIRTUOSO_PASSWORD --input build/national.nt",
    )(push_command)
