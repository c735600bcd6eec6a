"""`build`, `export`, `validate`, `stats`: making the graph and looking at what it holds."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.atomic_files import write_atomic
from graph_builder.cli.options import RootOption, choice, open_project
from graph_builder.cli.output import TABLE_FORMATS, render, render_sections
from graph_builder.cli.output_paths import output_file, output_option
from graph_builder.errors import UsageError, display_path
from graph_builder.network.graphml_gexf import NETWORK_FORMATS
from graph_builder.progress import progress_bar
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.export import export_graph, serialize, serialize_dataset
from graph_builder.rdf.formats import RDF_FORMATS, format_named, format_names
from graph_builder.rdf.per_report import split_by_report
from graph_builder.rdf.stats import class_counts, facts_per_report, relation_counts
from graph_builder.rdf.vocabulary import load_ontology

#: RDF syntaxes from the format table, then the network formats for Gephi and friends.
EXPORT_FORMATS = (*format_names(writable=True), *NETWORK_FORMATS)


def build(
    root: RootOption = None,
    output: Annotated[
        str | None,
        output_option(
            "Turtle file to write (default: build/hospital-kg.ttl; DIR/ writes it in DIR)."
        ),
    ] = None,
) -> None:
    """Build the graph from ontology/ and data/ and write it as sorted Turtle."""
    project = open_project(root)
    target = output_file(output, project.graph_file)
    started = time.perf_counter()
    with progress_bar("building", 2, "steps (graph, Turtle)") as advance:
        graph = build_graph(project)
        advance(1)
        size = export_graph(graph, "turtle", target)
    elapsed = time.perf_counter() - started
    headers, rows = facts_per_report(graph)
    typer.echo(render(headers, rows, title="Facts per kind and report"))
    typer.echo(f"{len(graph)} triples, {size:,} bytes -> {display_path(target)} ({elapsed:.2f} s)")


def export(
    format: Annotated[
        str | None,
        choice(
            EXPORT_FORMATS,
            "--format",
            "-f",
            help="RDF syntax, or graphml/gexf (default: the --output suffix's, else turtle).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        output_option("File to write (default: build/hospital-kg.SUFFIX; DIR/ writes it in DIR)."),
    ] = None,
    with_ontology: Annotated[
        bool, typer.Option("--with-ontology", help="Include the ontology's triples.")
    ] = False,
    graph_per_report: Annotated[
        bool,
        typer.Option(
            "--graph-per-report",
            help="N-Quads or TriG with one named graph per report (its IRI): the facts and "
            "evidence quoted from it; entities and the ontology in the default graph.",
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    """Export the graph in another RDF syntax, or its network as GraphML/GEXF (deterministic)."""
    project = open_project(root)
    chosen = export_format(format, output)
    dataset = chosen not in NETWORK_FORMATS and format_named(chosen).dataset
    if graph_per_report and not dataset:
        datasets = ", ".join(f.name for f in RDF_FORMATS if f.dataset)
        raise UsageError(
            f"--graph-per-report needs a format that holds named graphs ({datasets}), not {chosen}"
        )
    target = output_file(output, project.build_dir / f"hospital-kg{export_suffix(chosen)}")
    ontology = load_ontology(project.ontology)
    graph = build_graph(project, ontology)
    if with_ontology:
        graph += ontology
    graphs = ""
    if chosen in NETWORK_FORMATS:
        data = NETWORK_FORMATS[chosen].serialize(graph, ontology)
    elif graph_per_report:
        default, named = split_by_report(graph)
        data = serialize_dataset(default, named, format_named(chosen))
        quads = len(default) + sum(len(g) for g in named.values())
        graphs = f" ({quads:,} quads: {len(named)} report graphs and the default graph)"
    else:
        data = serialize(graph, format_named(chosen))
    write_atomic(target, data)
    typer.echo(f"{len(graph)} triples{graphs}, {len(data):,} bytes -> {display_path(target)}")


def export_format(format: str | None, output: str | None) -> str:
    """`--format`, else the format `--output`'s suffix names, else Turtle.

    A suffix that names another format is refused: `-f turtle -o x.jsonld` would
    write a file that every reader of .jsonld then fails to parse.
    """
    by_suffix = format_for_suffix(Path(output).suffix) if output else None
    if format is None:
        return by_suffix or "turtle"
    if by_suffix is not None and by_suffix != format:
        raise UsageError(
            f"--format {format} does not match --output {output}, whose suffix means "
            f"{by_suffix} (drop --format, or change the suffix)"
        )
    return format


def format_for_suffix(suffix: str) -> str | None:
    """The export format a file suffix names (.ttl, .jsonld, .gexf ...), or None."""
    suffix = suffix.lower()
    names = [n for n, f in NETWORK_FORMATS.items() if f.suffix == suffix] + [
        f.name for f in RDF_FORMATS if f.writable and suffix in f.suffixes
    ]
    return names[0] if names else None


def export_suffix(format: str) -> str:
    """The suffix `export` gives a file in `format` (an RDF syntax or a network format)."""
    if format in NETWORK_FORMATS:
        return NETWORK_FORMATS[format].suffix
    return format_named(format).suffix


def validate(
    root: RootOption = None,
    owl: Annotated[
        bool, typer.Option("--owl/--no-owl", help="Also check OWL consistency with HermiT (Java).")
    ] = True,
) -> None:
    """Check the graph with the SHACL shapes and the OWL reasoner; exit 1 if invalid."""
    from graph_builder.rdf.validate import check_owl, check_shacl

    project = open_project(root)
    ontology = load_ontology(project.ontology)
    graph = build_graph(project, ontology)
    ok = True
    shacl = check_shacl(graph, ontology, project.shapes)
    if shacl.conforms:
        typer.echo(f"SHACL: conforms ({len(graph)} triples, shapes {display_path(project.shapes)})")
    else:
        ok = False
        typer.echo(f"SHACL: {len(shacl.violations)} violation(s)")
        for violation in shacl.violations:
            typer.echo(f"  {violation}")
    if owl:
        report = check_owl(graph, ontology)
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


def stats(
    format: Annotated[
        str, choice(TABLE_FORMATS, "--format", "-f", help="Output format.")
    ] = "table",
    root: RootOption = None,
) -> None:
    """Counts per class, per relation, and facts per kind and report."""
    graph = build_graph(open_project(root))
    headers, rows = facts_per_report(graph)
    sections: list[tuple[str, list[str], Sequence[Sequence[object]]]] = [
        ("Facts per kind and report", headers, rows),
        ("Instances per class", ["class", "instances"], class_counts(graph)),
        ("Triples per relation", ["relation", "triples"], relation_counts(graph)),
    ]
    typer.echo(
        render_sections([(title, title, head, body) for title, head, body in sections], format)
    )


def register(app: typer.Typer) -> None:
    app.command(epilog="Example: hospital-kg build")(build)
    app.command(
        epilog="Examples: hospital-kg export --format turtle --output x.ttl | "
        "hospital-kg export --format jsonld --output build/hospital-kg.jsonld --with-ontology"
    )(export)
    app.command(epilog="Example: hospital-kg validate")(validate)
    app.command(epilog="Examples: hospital-kg stats | hospital-kg stats --format csv")(stats)
