"""Serializing graphs in the formats of the table (formats.py): canonical order, same bytes.

Every format is written through rdflib's serializer plugin named in the table,
from a copy whose triples are inserted in sorted order; JSON-LD alone gets a
writer of its own (`WRITERS`), because rdflib's JSON-LD arrays follow the store's
order and its context must be our prefixes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph

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
    return WRITERS.get(fmt.name, _rdflib_bytes)(graph, fmt)


def export_graph(graph: Graph, fmt: RdfFormat | str, path: Path) -> int:
    """Serialize `graph` as `fmt` to `path` atomically; returns the number of bytes written."""
    data = serialize(graph, fmt)
    write_atomic(path, data)
    return len(data)
