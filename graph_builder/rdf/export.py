"""Serializing graphs in the formats of the table (formats.py): canonical order, same bytes.

Every format is written through rdflib's serializer plugin named in the table,
from a copy whose triples are inserted in sorted order; JSON-LD alone gets a
writer of its own (`WRITERS`), because rdflib's JSON-LD arrays follow the store's
order and its context must be our prefixes. The dataset syntaxes (N-Quads, TriG)
are written here from the N-Triples and Turtle of each graph (`serialize_dataset`):
rdflib's own writers follow the order of its context-aware stores, which is not
stable across hash seeds. A plain graph written in one of them is its default graph.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from graph_builder.atomic_files import write_atomic
from graph_builder.rdf.formats import RdfFormat, format_named
from graph_builder.rdf.namespaces import bind_prefixes


def canonical(graph: Graph) -> Graph:
    """A copy whose triples are inserted in sorted order.

    rdflib's SimpleMemory store keeps triples in (insertion-ordered) dicts, so
    every serializer then writes the same bytes for the same triples, whatever
    the hash seed; the default Memory store iterates sets.
    """
    copy = Graph(store="SimpleMemory")
    bind_prefixes(copy)
    for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
        copy.add(triple)
    return copy


def _rdflib_bytes(graph: Graph, fmt: RdfFormat) -> bytes:
    return canonical(graph).serialize(format=fmt.rdflib_writer, encoding="utf-8")


def _jsonld_bytes(graph: Graph, fmt: RdfFormat) -> bytes:
    """JSON-LD with our prefixes as its context, nodes and values sorted."""
    context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    text = canonical(graph).serialize(format=fmt.rdflib_writer, context=context, auto_compact=True)
    doc = _sorted_json(json.loads(text))
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _sorted_json(value: Any) -> Any:
    # RDF has no order (we use no rdf:List), so sorting arrays loses nothing.
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


#: Formats that need more than rdflib's serializer; every other format uses it.
WRITERS: dict[str, Callable[[Graph, RdfFormat], bytes]] = {"jsonld": _jsonld_bytes}


def serialize(graph: Graph, fmt: RdfFormat | str) -> bytes:
    """`graph` in `fmt` (a format or its name), the same bytes for the same triples."""
    fmt = format_named(fmt) if isinstance(fmt, str) else fmt
    if fmt.dataset:
        return serialize_dataset(graph, {}, fmt)
    return WRITERS.get(fmt.name, _rdflib_bytes)(graph, fmt)


def serialize_dataset(default: Graph, named: Mapping[URIRef, Graph], fmt: RdfFormat) -> bytes:
    """A dataset in N-Quads or TriG: the default graph, then each named graph by IRI."""
    names = sorted(named, key=str)
    if fmt.name == "nq":  # N-Triples is N-Quads of the default graph
        parts = [_nt_bytes(default)]
        for name in names:
            suffix = f"<{name}> .\n".encode()
            parts += [line[:-2] + suffix for line in _nt_bytes(named[name]).splitlines(True)]
        return b"".join(parts)
    if fmt.name != "trig":
        raise ValueError(f"{fmt.label} holds one graph, not a dataset")
    prefixes, body = _turtle_parts(default)
    blocks = [body]
    for name in names:
        head, body = _turtle_parts(named[name])
        prefixes += head
        if body:  # not indented: a multi-line literal (Turtle's """...""") would change
            blocks.append(f"<{name}> {{\n{body}}}\n")
    text = "".join(sorted(set(prefixes))) + "\n" + "\n".join(b for b in blocks if b)
    return text.encode("utf-8")


def _nt_bytes(graph: Graph) -> bytes:
    """The graph as N-Triples, in canonical order (each line ends in ' .\\n')."""
    return _rdflib_bytes(graph, format_named("nt"))


def _turtle_parts(graph: Graph) -> tuple[list[str], str]:
    """The graph's canonical Turtle split into its PREFIX lines and the triples after them."""
    if len(graph) == 0:
        return [], ""
    text = _rdflib_bytes(graph, format_named("turtle")).decode("utf-8")
    lines = text.splitlines(True)
    start = 0  # the prefixes are the leading lines (a quote may hold a line "PREFIX ...")
    while start < len(lines) and lines[start].startswith(("PREFIX ", "@prefix ", "\n")):
        start += 1
    head = [line for line in lines[:start] if line.strip()]
    return head, "".join(lines[start:]).rstrip("\n") + "\n"


def export_graph(graph: Graph, fmt: RdfFormat | str, path: Path) -> int:
    """Serialize `graph` as `fmt` to `path` atomically; returns the number of bytes written."""
    data = serialize(graph, fmt)
    write_atomic(path, data)
    return len(data)
