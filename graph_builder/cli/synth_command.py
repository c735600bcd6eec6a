"""`hospital-kg synth`: write the synthetic national graph for benchmarks and large views."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.cli.options import RootOption, fail, open_project
from graph_builder.errors import display_path
from graph_builder.ingest.synthetic import synthetic_graph
from graph_builder.rdf.export import FORMATS, export_graph


def synth(
    hospitals: Annotated[int, typer.Option(help="MCH hospitals (3000 gives ~1M triples).")] = 3000,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same graph.")
    ] = 42,
    output: Annotated[
        Path, typer.Option("--output", "-o", help=".nt or .ttl file to write.")
    ] = Path("build/national.nt"),
    root: RootOption = None,
) -> None:
    """Generate a seeded synthetic national graph in our ontology (data only, no ontology)."""
    formats = {fmt.suffix: name for name, fmt in FORMATS.items()}
    if output.suffix not in (".nt", ".ttl"):
        raise fail(f"--output must end in .nt or .ttl, got {output.name}", 2)
    if hospitals < 1:
        raise fail("--hospitals must be at least 1", 2)
    started = time.perf_counter()
    graph = synthetic_graph(hospitals, seed, open_project(root))
    size = export_graph(graph, formats[output.suffix], output)
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
