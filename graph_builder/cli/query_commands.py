"""`queries` and `query`: the SPARQL library from the shell."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.api import load_graph
from graph_builder.atomic_files import write_atomic
from graph_builder.cli.native_output import Written, native_query, write_answer
from graph_builder.cli.options import RootOption, choice, open_project, utf8_text
from graph_builder.cli.output import TABLE_FORMATS, format_result, render
from graph_builder.cli.output_paths import output_file_without_default, output_option
from graph_builder.cli.remote_options import (
    PasswordEnvOption,
    TimeoutOption,
    UserOption,
    graph_iri,
)
from graph_builder.errors import UsageError, display_path
from graph_builder.project import Project
from graph_builder.publish.connection import (
    DEFAULT_TIMEOUT,
    Connection,
    Credentials,
    check_url,
    credentials,
)
from graph_builder.publish.remote import Endpoint, display_graph
from graph_builder.sparql.execute import run_query
from graph_builder.sparql.lexer import MAX_DEPTH
from graph_builder.sparql.parameters import resolve_params
from graph_builder.sparql.query_library import LibraryQuery, find_query, load_library, query_file
from graph_builder.sparql.stores import DEFAULT_STORE, STORES


def queries(
    format: Annotated[
        str, choice(TABLE_FORMATS, "--format", "-f", help="Output format.")
    ] = "table",
    root: RootOption = None,
) -> None:
    """List the query library: each query's name, question and parameters."""
    library = load_library(open_project(root))
    rows = [
        [
            q.name,
            q.question_en,
            q.question_zh,
            ", ".join(f"{p.name}={p.default or ''}" for p in q.params),
        ]
        for q in library.values()
    ]
    typer.echo(render(["name", "question", "问题", "params"], rows, format))


def query(
    name_or_file: Annotated[
        str | None,
        typer.Argument(
            help="A library query name (see `queries`) or a .rq file.", show_default=False
        ),
    ] = None,
    sparql: Annotated[
        str | None, typer.Option("--sparql", help="Query text instead.", callback=utf8_text)
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="key=value; IRIs as inst:x or <...>, or a name.",
            callback=utf8_text,
        ),
    ] = None,
    format: Annotated[
        str,
        choice(TABLE_FORMATS, "--format", "-f", help="Output format (CONSTRUCT: always Turtle)."),
    ] = "table",
    output: Annotated[str | None, output_option("Write to a file.")] = None,
    store: Annotated[str, choice(list(STORES), help="Triple store to load.")] = DEFAULT_STORE,
    max_depth: Annotated[
        int,
        typer.Option(
            "--max-depth",
            help="Deepest nesting the query may have; deeper ones are refused, "
            "as they crash the engine.",
            min=1,
            max=MAX_DEPTH * 2,
        ),
    ] = MAX_DEPTH,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            help="Ask this SPARQL 1.1 endpoint instead of the local graph (--store unused).",
            show_default=False,
        ),
    ] = None,
    named_graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="With --endpoint: query this named graph (sent as default-graph-uri).",
            show_default=False,
        ),
    ] = None,
    user: UserOption = None,
    password_env: PasswordEnvOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    root: RootOption = None,
) -> None:
    """Run a library query, a .rq file or --sparql text over the graph and its ontology.

    The prefixes rdf rdfs owl xsd skos schema org prov dcterms hkg hkv inst alliance
    unit programme person designation place fact ev report are predeclared. With
    --endpoint the query goes to that SPARQL endpoint instead.
    """
    if (name_or_file is None) == (sparql is None):
        raise UsageError("give a query name, a .rq file or --sparql (exactly one)")
    raw = parse_params(param or [])
    remote = remote_options(endpoint, named_graph, user, password_env)
    project = open_project(root)
    target = None if output is None else output_file_without_default(output)
    if sparql is not None:
        text, source, library_query = sparql, "--sparql", None
    else:
        assert name_or_file is not None
        text, source, library_query = named_query(name_or_file, project)
    if remote is not None:
        assert endpoint is not None
        graph = display_graph()
        with Connection(remote[1], timeout=timeout) as connection:
            server = Endpoint(endpoint, connection, remote[0])
            bindings = resolve_params(graph, raw, library_query, find=server.names)
            result = server.query(text, bindings, source=source, max_depth=max_depth)
    else:
        graph = load_graph(project, store)
        bindings = resolve_params(graph, raw, library_query)
        answer = native_query(graph, text, bindings, source=source, max_depth=max_depth)
        if answer is not None:  # Oxigraph: written from its own terms (native_output.py)
            emit(write_answer(graph, answer, format), target)
            return
        result = run_query(graph, text, bindings, source=source, max_depth=max_depth)
    count = f"{len(result.rows)} rows" if result.kind == "select" else result.kind
    emit(Written(format_result(graph, result, format), count), target)


def emit(written: Written, target: Path | None) -> None:
    """Print the answer, or write it to `--output` and say how much went there."""
    if target is None:
        typer.echo(written.text)
    else:
        write_atomic(target, (written.text.rstrip("\n") + "\n").encode("utf-8"))
        typer.echo(f"{written.summary} -> {display_path(target)}")


def remote_options(
    endpoint: str | None, graph: str | None, user: str | None, password_env: str | None
) -> tuple[str | None, Credentials | None] | None:
    """With --endpoint: the graph to query and the credentials; without, None (and none of
    the options that only make sense with it)."""
    if endpoint is None:
        for option, value in (
            ("--graph", graph),
            ("--user", user),
            ("--password-env", password_env),
        ):
            if value is not None:
                raise UsageError(f"{option} goes with --endpoint (a remote SPARQL endpoint)")
        return None
    check_url(endpoint, "--endpoint")
    return (None if graph is None else graph_iri(graph)), credentials(user, password_env)


def named_query(name_or_file: str, project: Project) -> tuple[str, str, LibraryQuery | None]:
    """The text, source name and library entry of a query named on the command line.

    A library name wins over a file of the same name in the working directory; a name
    ending in .rq or holding a slash is a file. A file with a library header is that
    library query (its parameters and defaults); a file without is ad hoc.
    """
    if not looks_like_path(name_or_file):
        library = load_library(project)
        if name_or_file in library or not Path(name_or_file).is_file():
            entry = find_query(name_or_file, library)
            return entry.text, display_path(entry.path), entry
    path = Path(name_or_file)
    text, header = query_file(path)
    return text, display_path(path), header


def looks_like_path(text: str) -> bool:
    return text.endswith(".rq") or "/" in text or os.sep in text


def parse_params(items: list[str]) -> dict[str, str]:
    """`--param key=value` options as a dict; anything else is a usage error."""
    raw: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param wants key=value, got {item!r}")
        if key in raw:  # one would silently win
            raise UsageError(f"--param {key} is given twice ({raw[key]!r} and {value!r})")
        raw[key] = value
    return raw


def register(app: typer.Typer) -> None:
    app.command(epilog="Example: hospital-kg queries")(queries)
    app.command(
        epilog="Examples: hospital-kg query hospital-profile --param hospital=inst:jiaozuo-mch | "
        "hospital-kg query queries/timeline.rq --format csv | "
        "hospital-kg query --sparql 'SELECT ?h WHERE { ?h a hkg:Hospital }' --store memory | "
        "hospital-kg query leaders --endpoint http://127.0.0.1:7878/query --graph urn:kg"
    )(query)
