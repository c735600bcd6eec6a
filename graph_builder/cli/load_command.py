"""`load`: write the graph (or RDF files) into an on-disk Oxigraph store, for `serve --store`."""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.cli.options import RootOption, not_empty, open_project
from graph_builder.errors import display_path
from graph_builder.progress import bars, reading
from graph_builder.rdf.formats import RdfFormat, format_of, suffixes

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        metavar="DIR",
        help="Directory to write the store in: new, empty, or a store to replace.",
        show_default=False,
        callback=not_empty,
    ),
]


def load(
    store: StoreOption,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help=f"Load these RDF files ({', '.join(suffixes())}; repeatable) "
            "instead of building from data/.",
            show_default=False,
        ),
    ] = None,
    with_ontology: Annotated[
        bool,
        typer.Option(
            "--with-ontology",
            help="Add the ontology to the --data files (the build always has it).",
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    """Write a persistent Oxigraph store (data + ontology, or RDF files) for serve --store."""
    from graph_builder.server.launch import built_graph_file
    from graph_builder.sparql.disk_store import check_target, write_store

    started = time.perf_counter()
    project = open_project(root)
    directory = Path(store)
    sources: list[tuple[Path, RdfFormat]] = [(path, format_of(path)) for path in data or []]
    if data and with_ontology:
        sources.append((project.ontology, format_of(project.ontology)))
    check_target(directory)  # before the build: a wrong directory is refused at once
    with tempfile.TemporaryDirectory(prefix="hospital-kg-load-") as tmp, bars() as drawn:
        if not data:
            sources = [(Path(p), format_of(p)) for p, _ in built_graph_file(project, Path(tmp))]
        with contextlib.ExitStack() as watching:  # a bar per file, of the MiB read so far
            for path, _ in sources:
                if path.is_file():
                    watching.enter_context(reading(drawn, f"loading {path.name}", path))
            loaded = write_store(directory, sources)
    what = f"{loaded.quads:,} triples"
    if loaded.named_graphs:
        graphs = "named graph" if loaded.named_graphs == 1 else "named graphs"
        what = f"{loaded.quads:,} quads (the default graph and {loaded.named_graphs:,} {graphs})"
    typer.echo(f"{what} -> {display_path(directory)} ({time.perf_counter() - started:.1f} s)")


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg load --store build/store | "
        "hospital-kg load --store build/national-store --data build/national.nt --with-ontology"
    )(load)
