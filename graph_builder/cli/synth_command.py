"""`synth`: write the synthetic national graph for benchmarks and large views."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.cli.options import RootOption, open_project
from graph_builder.errors import display_path
from graph_builder.ingest.synthetic import synthetic_graph
from graph_builder.rdf.export import export_graph
from graph_builder.rdf.formats import format_of


def synth(
    hospitals: Annotated[
        int, typer.Option(help="MCH hospitals (3000 gives ~1M triples).", min=1)
    ] = 3000,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same graph.")
    ] = 42,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="RDF file to write; its suffix names the format."),
    ] = Path("build/national.nt"),
    root: RootOption = None,
) -> None:
    """Generate a seeded synthetic national graph in our ontology (data only, no ontology)."""
    fmt = format_of(output, write=True)
    started = time.perf_counter()
    graph = synthetic_graph(hospitals, seed, open_project(root))
    size = export_graph(graph, fmt, output)
    elapsed = time.perf_counter() - started
    typer.echo(
        f"{len(graph):,} triples ({hospitals} hospitals, seed {seed}), {size:,} bytes "
        f"-> {display_path(output)} ({elapsed:.1f} s)"
    )


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg synth --hospitals 300 --output build/national-300.nt | "
        "hospital-kg synth  (3,000 hospitals, ~1M triples)"
    )(synth)
