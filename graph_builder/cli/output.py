"""What commands print: rows as a terminal table, CSV, TSV or JSON, and query results.

One renderer for every command, so `stats`, `queries`, `query` and `analyze`
take the same `--format` values and print them the same way.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rich.console import Console
from rich.table import Table

from graph_builder.rdf.namespaces import display
from graph_builder.sparql.execute import QueryResult
from graph_builder.sparql.oxigraph_direct import to_ox

TABLE_FORMATS = ("table", "csv", "tsv", "json")


def render(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table", title: str = ""
) -> str:
    """Render rows; `None` cells become empty strings (or null in JSON)."""
    if fmt == "json":
        return json.dumps(
            [dict(zip(headers, row, strict=True)) for row in rows], ensure_ascii=False, indent=2
        )
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
        return out.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(TABLE_FORMATS)})")
    table = Table(title=title or None, title_justify="left", show_lines=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, force_terminal=False, color_system=None)
    console.print(table)
    return buffer.getvalue().rstrip("\n")


Section = tuple[str, str, Sequence[str], Sequence[Sequence[Any]]]  # key, title, headers, rows


def render_sections(sections: Sequence[Section], fmt: str) -> str:
    """Several titled tables: one JSON object by key, titled tables, or `# title` CSV blocks.

    A single section in CSV or TSV is printed bare, so it can be piped into a file.
    """
    if fmt == "json":
        doc = {key: json.loads(render(head, rows, "json")) for key, _, head, rows in sections}
        return json.dumps(doc, ensure_ascii=False, indent=2)
    if fmt == "table":
        return "\n".join(
            render(head, rows, "table", title=title) for _, title, head, rows in sections
        )
    if len(sections) == 1:
        _, _, head, rows = sections[0]
        return render(head, rows, fmt)
    return "\n".join(f"# {title}\n{render(head, rows, fmt)}" for _, title, head, rows in sections)


def write_turtle(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> str:
    """A graph answer in pyoxigraph's Turtle, sorted, declaring only the prefixes it uses:
    the same text from the local store, the memory store and a remote endpoint."""
    from graph_builder.server.results import used_prefixes

    kept = sorted(triples, key=str)
    body = ox.serialize(kept, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(kept, prefixes))
    assert body is not None  # without an output, serialize returns the bytes
    return body.decode("utf-8")


def graph_triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]  # type: ignore[arg-type]


def format_result(graph: Graph, result: QueryResult, fmt: str = "table") -> str:
    """SELECT/ASK as table, CSV, TSV or JSON; CONSTRUCT/DESCRIBE always as Turtle."""
    if result.kind == "graph":
        assert result.graph is not None
        prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces()}
        return write_turtle(graph_triples(result.graph), prefixes)
    if result.kind == "ask":
        return (
            json.dumps({"boolean": result.boolean})
            if fmt == "json"
            else str(result.boolean).lower()
        )
    rows = [[display(graph, value) for value in row] for row in result.rows]
    return render(result.variables, rows, fmt)
