"""The `hospital-kg` command: a thin layer over the library functions.

Bad input ends with one line on stderr (`error: file:line: message`) and exit 1;
outputs are written to a temporary file and renamed, so a failed run leaves
nothing behind.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Graph

from graph_builder.cli import network_commands, query_commands, serve_command, synth_command
from graph_builder.cli.options import RootOption, fail, open_project
from graph_builder.cli.output import render
from graph_builder.errors import DataError, display_path
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.export import FORMATS, export_graph
from graph_builder.rdf.stats import class_counts, facts_per_report, relation_counts
from graph_builder.rdf.vocabulary import load_ontology

app = typer.Typer(
    name="hospital-kg",
    help="A knowledge graph of Chinese hospital accreditations and partnerships.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command(epilog="Example: hospital-kg build")
def build(
    root: RootOption = None,
    output: Annotated[
        Path | None, typer.Option(help="Turtle file to write (default: build/hospital-kg.ttl).")
    ] = None,
) -> None:
    """Build the graph from ontology/ and data/ and write it as sorted Turtle."""
    project = open_project(root)
    started = time.perf_counter()
    graph = build_graph(project)
    target = output or project.graph_file
    size = export_graph(graph, "turtle", target)
    elapsed = time.perf_counter() - started
    headers, rows = facts_per_report(graph)
    typer.echo(render(headers, rows, title="Facts per kind and report"))
    typer.echo(f"{len(graph)} triples, {size:,} bytes -> {display_path(target)} ({elapsed:.2f} s)")


@app.command(
    epilog="Examples: hospital-kg export --format turtle --output x.ttl | "
    "hospital-kg export --format jsonld --output build/hospital-kg.jsonld --with-ontology"
)
def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")
    ] = "turtle",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    with_ontology: Annotated[
        bool, typer.Option("--with-ontology", help="Include the ontology's triples.")
    ] = False,
    root: RootOption = None,
) -> None:
    """Export the graph in another RDF syntax (deterministic output)."""
    if format not in FORMATS:
        raise fail(f"unknown format {format!r} (one of: {', '.join(FORMATS)})", 2)
    project = open_project(root)
    graph = build_graph(project)
    if with_ontology:
        graph += load_ontology(project.ontology)
    target = output or project.build_dir / f"hospital-kg{FORMATS[format].suffix}"
    size = export_graph(graph, format, target)
    typer.echo(f"{len(graph)} triples, {size:,} bytes -> {display_path(target)}")


@app.command(epilog="Example: hospital-kg validate")
def validate(
    root: RootOption = None,
    owl: Annotated[
        bool, typer.Option("--owl/--no-owl", help="Also check OWL consistency with HermiT (Java).")
    ] = True,
) -> None:
    """Check the graph with the SHACL shapes and the OWL reasoner; exit 1 if invalid."""
    from .validate import check_owl, check_shacl

    project = open_project(root)
    graph = build_graph(project)
    ok = True
    shacl = check_shacl(graph, project)
    if shacl.conforms:
        typer.echo(f"SHACL: conforms ({len(graph)} triples, shapes {display_path(project.shapes)})")
    else:
        ok = False
        typer.echo(f"SHACL: {len(shacl.violations)} violation(s)")
        for violation in shacl.violations:
            typer.echo(f"  {violation}")
    if owl:
        report = check_owl(graph, project)
        note = (
            f"; {report.dropped_literals} date literal(s) outside the OWL 2 datatype map"
            " were not sent to HermiT"
            if report.dropped_literals
            else ""
        )
        typer.echo(f"OWL: {report.message}{note}")
        for cls in report.unsatisfiable:
            typer.echo(f"  unsatisfiable: {cls}")
        ok = ok and report.consistent
    if not ok:
        raise typer.Exit(1)


@app.command(epilog="Examples: hospital-kg stats | hospital-kg stats --format csv")
def stats(
    format: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv or json.")
    ] = "table",
    root: RootOption = None,
) -> None:
    """Counts per class, per relation, and facts per kind and report."""
    graph: Graph = build_graph(open_project(root))
    headers, rows = facts_per_report(graph)
    sections = [
        ("Facts per kind and report", headers, rows),
        ("Instances per class", ["class", "instances"], class_counts(graph)),
        ("Triples per relation", ["relation", "triples"], relation_counts(graph)),
    ]
    if format == "json":
        doc = {title: json.loads(render(head, body, "json")) for title, head, body in sections}
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    for title, head, body in sections:
        if format == "table":
            typer.echo(render(head, body, "table", title=title))
        else:
            typer.echo(f"# {title}")
            typer.echo(render(head, body, format))


for _module in (query_commands, synth_command, serve_command, network_commands):
    _module.register(app)


def main() -> None:
    """Console entry point: turn DataError into one line and exit 1."""
    try:
        app()
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
