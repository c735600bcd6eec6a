"""`hospital-kg viz`, `hospital-kg analyze`: the network explorer and network analytics."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Graph

from graph_builder.cli.options import RootOption, fail, open_project
from graph_builder.cli.output import TABLE_FORMATS, render
from graph_builder.errors import display_path
from graph_builder.network.analytics import SECTIONS, institution_network, report
from graph_builder.network.analytics import analyze as analyze_network
from graph_builder.network.entities import KINDS, entity_network
from graph_builder.network.explorer import LANGS, render_explorer
from graph_builder.network.view_selection import MAX_NODES, FocusError, choose_view, filter_kinds
from graph_builder.project import Project
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.export import write_atomic
from graph_builder.rdf.vocabulary import load_ontology
from graph_builder.sparql.stores import store_kind

InputOption = Annotated[
    Path | None,
    typer.Option(
        "--input",
        help="A .ttl or .nt graph to use instead of building one from data/ "
        "(e.g. the synthetic national graph).",
        show_default=False,
    ),
]


def load_input(project: Project, path: Path | None) -> Graph:
    """The project's graph, or the graph in `path`; a bad file is one error line."""
    if path is None:
        return build_graph(project)
    if not path.is_file():
        raise fail(f"--input: no such file: {path}", 2)
    try:
        return store_kind("memory").load_files(path)
    except ValueError as exc:
        raise fail(f"--input: {exc}", 2) from None
    except Exception as exc:  # rdflib's parsers raise many types
        raise fail(f"{display_path(path)}: cannot parse: {' '.join(str(exc).split())}", 2) from None


def parse_kinds(text: str | None) -> set[str]:
    if text is None:
        return set(KINDS)
    kinds = {k.strip() for k in text.split(",") if k.strip()}
    unknown = sorted(kinds - set(KINDS))
    if unknown or not kinds:
        raise fail(
            f"--kinds: unknown kind {', '.join(map(repr, unknown)) or repr(text)} "
            f"(choose from: {', '.join(KINDS)})",
            2,
        )
    return kinds


def viz(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="HTML file to write (default: build/explorer.html)."),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(
            help="Draw the network around this node: a name (焦作市妇幼保健院), "
            "an id (inst:jiaozuo-mch) or an IRI.",
            show_default=False,
        ),
    ] = None,
    depth: Annotated[int, typer.Option(help="With --focus: how many links out.", min=0)] = 2,
    kinds: Annotated[
        str | None,
        typer.Option(
            help=f"Comma-separated kinds to draw, hospitals always (default: all): "
            f"{', '.join(KINDS)}.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of names and words: zh or en.")] = "zh",
    max_nodes: Annotated[
        int, typer.Option(help="Most nodes to draw; larger graphs get a smaller view.", min=10)
    ] = MAX_NODES,
    input: InputOption = None,
    root: RootOption = None,
) -> None:
    """Write the interactive network explorer: one self-contained HTML page."""
    if lang not in LANGS:
        raise fail(f"--lang: unknown language {lang!r} (one of: {', '.join(LANGS)})", 2)
    wanted = parse_kinds(kinds)
    project = open_project(root)
    graph = load_input(project, input)
    net = entity_network(graph, load_ontology(project.ontology))
    shown = filter_kinds(net, wanted)
    left_out = Counter(kind for n, kind in net.nodes(data="kind") if n not in shown)
    try:
        view = choose_view(shown, focus, depth, max_nodes)
    except FocusError as exc:
        raise fail(str(exc), 2) from None
    page = render_explorer(view, load_ontology(project.ontology), lang, left_out)
    target = output or project.build_dir / "explorer.html"
    write_atomic(target, page.html.encode("utf-8"))
    typer.echo(f"{page.nodes:,} nodes, {page.edges:,} links ({view.mode} view)")
    for note in page.notes_en:
        typer.echo(f"  {note}")
    typer.echo(f"explorer: {display_path(target)}")


def analyze(
    format: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv or json.")
    ] = "table",
    section: Annotated[
        str | None,
        typer.Option(help=f"Only one section: {', '.join(SECTIONS)}.", show_default=False),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            help="Rows per list (default: 20 for a table, all for csv/tsv/json).",
            min=1,
            show_default=False,
        ),
    ] = None,
    input: InputOption = None,
    root: RootOption = None,
) -> None:
    """Centrality, shared partners, bridges and communities of the institution network."""
    if format not in TABLE_FORMATS:
        raise fail(f"--format: unknown format {format!r} (one of: {', '.join(TABLE_FORMATS)})", 2)
    if section is not None and section not in SECTIONS:
        raise fail(f"--section: unknown section {section!r} (one of: {', '.join(SECTIONS)})", 2)
    project = open_project(root)
    graph = load_input(project, input)
    institutions = institution_network(entity_network(graph, load_ontology(project.ontology)))
    table = format == "table"
    if top is None and table:
        top = 20
    names = 8 if table else None  # a terminal table lists a few hospital names per row
    sections = list(zip(SECTIONS, report(analyze_network(institutions), top, names), strict=True))
    if section is not None:
        sections = [(key, body) for key, body in sections if key == section]
    if format == "json":
        doc = {key: json.loads(render(head, rows, "json")) for key, (_, head, rows) in sections}
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    for _key, (title, head, rows) in sections:
        if format == "table":
            typer.echo(render(head, rows, "table", title=title))
        elif len(sections) == 1:
            typer.echo(render(head, rows, format))
        else:
            typer.echo(f"# {title}")
            typer.echo(render(head, rows, format))


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg viz | hospital-kg viz --focus 焦作市妇幼保健院 --depth 1 "
        "--lang en --output build/jiaozuo.html"
    )(viz)
    app.command(
        epilog="Examples: hospital-kg analyze | hospital-kg analyze --section institutions "
        "--format csv > centrality.csv | hospital-kg analyze --format json"
    )(analyze)
