"""`viz` and `analyze`: the network explorer page and network analytics."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import networkx as nx
import typer
from rdflib import Graph

from graph_builder.atomic_files import write_atomic
from graph_builder.cli.options import RootOption, choice, open_project, utf8_text
from graph_builder.cli.output import TABLE_FORMATS, render_sections
from graph_builder.cli.output_paths import output_file, output_option
from graph_builder.errors import UsageError, display_path
from graph_builder.network.analytics import SECTIONS, institution_network, report
from graph_builder.network.analytics import analyze as analyze_network
from graph_builder.network.entities import KINDS, entity_network, node_id, require_entities
from graph_builder.network.explorer import LANGS, render_explorer
from graph_builder.network.view_selection import MAX_NODES, choose_view, filter_kinds
from graph_builder.project import Project
from graph_builder.rdf.builder import build_graph
from graph_builder.rdf.formats import suffixes
from graph_builder.rdf.vocabulary import load_ontology
from graph_builder.sparql.names import resolve_name
from graph_builder.sparql.stores import store_kind

InputOption = Annotated[
    Path | None,
    typer.Option(
        "--input",
        help=f"An RDF file ({', '.join(suffixes())}) to use instead of building the graph "
        "from data/ (e.g. the synthetic national graph).",
        show_default=False,
    ),
]


def load_input(project: Project, path: Path | None, ontology: Graph) -> Graph:
    """The project's graph, or the graph in `path` (any readable RDF format)."""
    if path is None:
        return build_graph(project, ontology)
    if path.is_dir():
        raise UsageError(f"--input: {path} is a directory, not an RDF file")
    if not path.is_file():
        raise UsageError(f"--input: no such file: {path}")
    return store_kind("memory").load_files(path)


def load_network(
    project: Project, path: Path | None, ontology: Graph, task: str
) -> tuple[Graph, nx.MultiDiGraph]:
    """The input graph and its entity network; an error, not an empty answer, if the
    network has nothing to `task` (an empty graph, or one in another vocabulary)."""
    graph = load_input(project, path, ontology)
    net = entity_network(graph, ontology)
    require_entities(net, len(graph), path or project.data_dir, task)
    return graph, net


def parse_kinds(text: str | None) -> set[str]:
    if text is None:
        return set(KINDS)
    kinds = {k.strip() for k in text.split(",") if k.strip()}
    unknown = sorted(kinds - set(KINDS))
    if unknown or not kinds:
        raise UsageError(
            f"--kinds: unknown kind {', '.join(map(repr, unknown)) or repr(text)} "
            f"(choose from: {', '.join(KINDS)})"
        )
    return kinds


def viz(
    output: Annotated[
        str | None,
        output_option("HTML file to write (default: build/explorer.html; DIR/ writes it in DIR)."),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(
            help="Draw the network around this node: a name (焦作市妇幼保健院), "
            "an id (inst:jiaozuo-mch) or an IRI.",
            show_default=False,
            callback=utf8_text,
        ),
    ] = None,
    depth: Annotated[int, typer.Option(help="With --focus: how many links out.", min=0)] = 2,
    kinds: Annotated[
        str | None,
        typer.Option(
            help=f"Comma-separated kinds to draw, hospitals always (default: all): "
            f"{', '.join(KINDS)}.",
            show_default=False,
            callback=utf8_text,
        ),
    ] = None,
    lang: Annotated[str, choice(LANGS, help="Language of names and words.")] = "zh",
    max_nodes: Annotated[
        int, typer.Option(help="Most nodes to draw; larger graphs get a smaller view.", min=10)
    ] = MAX_NODES,
    input: InputOption = None,
    root: RootOption = None,
) -> None:
    """Write the interactive network explorer: one self-contained HTML page."""
    wanted = parse_kinds(kinds)
    project = open_project(root)
    target = output_file(output, project.build_dir / "explorer.html")
    ontology = load_ontology(project.ontology)
    graph, net = load_network(project, input, ontology, "draw")
    shown = filter_kinds(net, wanted)
    left_out = Counter(kind for n, kind in net.nodes(data="kind") if n not in shown)
    node = None if focus is None else node_id(resolve_name(graph, focus, what="--focus"))
    view = choose_view(shown, node, depth, max_nodes)
    page = render_explorer(view, ontology, lang, left_out)
    write_atomic(target, page.html.encode("utf-8"))
    typer.echo(f"{page.nodes:,} nodes, {page.edges:,} links ({view.mode} view)")
    for note in page.notes_en:
        typer.echo(f"  {note}")
    typer.echo(f"explorer: {display_path(target)}")


def analyze(
    format: Annotated[
        str, choice(TABLE_FORMATS, "--format", "-f", help="Output format.")
    ] = "table",
    section: Annotated[
        str | None, choice(SECTIONS, help="Only one section.", show_default=False)
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
    project = open_project(root)
    ontology = load_ontology(project.ontology)
    _, net = load_network(project, input, ontology, "analyze")
    institutions = institution_network(net)
    table = format == "table"
    if top is None and table:
        top = 20
    names = 8 if table else None  # a terminal table lists a few hospital names per row
    sections = [
        (key, title, head, rows)
        for key, (title, head, rows) in zip(
            SECTIONS, report(analyze_network(institutions), top, names), strict=True
        )
        if section is None or key == section
    ]
    typer.echo(render_sections(sections, format))


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg viz | hospital-kg viz --focus 焦作市妇幼保健院 --depth 1 "
        "--lang en --output build/jiaozuo.html"
    )(viz)
    app.command(
        epilog="Examples: hospital-kg analyze | hospital-kg analyze --section institutions "
        "--format csv > centrality.csv | hospital-kg analyze --format json"
    )(analyze)
