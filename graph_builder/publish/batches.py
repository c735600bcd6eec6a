"""What `push` uploads: the triples of a graph or an RDF file, in batches of N-Triples.

Triples are Oxigraph terms, so duplicates are dropped as RDF 1.1 counts them (a plain
literal and the same `xsd:string` literal are one triple), and the count a server
reports can be checked against ours. Each request body is parsed by the server on
its own, so a blank node shared by two batches would become two blank nodes: every
triple that mentions a blank node travels in one batch with all the triples its
blank nodes connect it to (an OWL restriction, an RDF list), even past the batch size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph_builder.errors import DataError, UsageError
from graph_builder.rdf.formats import format_of
from graph_builder.sparql.oxigraph_direct import to_ox

Batch = list[ox.Triple]


def graph_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph's triples, each once."""
    triples = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return list(dict.fromkeys(triples))


def file_triples(path: Path) -> list[ox.Triple]:
    """An RDF file's triples, each once; its syntax comes from its suffix (formats.py).
    A dataset file with named graphs is refused: their triples would merge into one."""
    fmt = format_of(path)
    if not path.is_file():
        raise UsageError(f"--input: no such file: {path}")
    try:
        quads = list(ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph)))
    except SyntaxError as exc:
        message = " ".join(str(exc).split())
        raise DataError(path, getattr(exc, "lineno", None), message) from None
    except (OSError, ValueError) as exc:
        message = " ".join(str(exc).split())
        raise DataError(path, None, f"cannot read as {fmt.label}: {message}") from None
    named = next(
        (q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)), None
    )
    if named is not None:
        raise DataError(
            path,
            None,
            f"holds named graphs ({named} ...); push uploads one graph: "
            "give a file of triples (.ttl, .nt, .jsonld, .rdf)",
        )
    return list(dict.fromkeys(quad.triple for quad in quads))


def batches(triples: Sequence[ox.Triple], size: int) -> list[Batch]:
    """`triples` in batches of at most `size`, except that triples joined by blank nodes
    stay together (a group larger than `size` is a batch of its own)."""
    if size < 1:
        raise ValueError("batch size must be positive")
    result: list[Batch] = []
    current: Batch = []
    for unit in units(triples):
        if current and len(current) + len(unit) > size:
            result.append(current)
            current = []
        current.extend(unit)
    if current:
        result.append(current)
    return result


def units(triples: Sequence[ox.Triple]) -> list[Batch]:
    """Triples in the groups that must share a request: one triple alone, or every
    triple of a set of blank nodes that triples connect (in the order they first occur)."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        nodes = blank_nodes(triple)
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
        if nodes:
            root(nodes[0])
    groups: dict[ox.BlankNode, Batch] = {}
    result: list[Batch] = []
    for triple in triples:
        nodes = blank_nodes(triple)
        if not nodes:
            result.append([triple])
            continue
        key = root(nodes[0])
        if key not in groups:
            groups[key] = []
            result.append(groups[key])
        groups[key].append(triple)
    return result


def blank_nodes(triple: ox.Triple) -> list[ox.BlankNode]:
    return [term for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)]


def ntriples(batch: Iterable[ox.Triple]) -> bytes:
    """A batch as an N-Triples document (UTF-8)."""
    return ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
