"""Writing graphs out: a registry of formats, canonical ordering, atomic files.

Formats are registered objects (`register_format`), not an if/elif chain, so a
new format (a networkx one, say) is one class and one call.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph

from graph_builder.network.graphml_gexf import GEXF, GRAPHML
from graph_builder.rdf.namespaces import bind_prefixes


class Format(Protocol):
    name: str
    suffix: str
    media_type: str

    def serialize(self, graph: Graph) -> bytes: ...


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


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


@dataclass(frozen=True)
class RdflibFormat:
    """An RDF syntax serialized by one of rdflib's serializer plugins."""

    name: str
    plugin: str
    suffix: str
    media_type: str

    def serialize(self, graph: Graph) -> bytes:
        return canonical(graph).serialize(format=self.plugin, encoding="utf-8")


@dataclass(frozen=True)
class JsonLdFormat:
    """JSON-LD with our prefixes as its context, nodes and values sorted."""

    name: str = "jsonld"
    suffix: str = ".jsonld"
    media_type: str = "application/ld+json"

    def serialize(self, graph: Graph) -> bytes:
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
        text = canonical(graph).serialize(format="json-ld", context=context, auto_compact=True)
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


for _fmt in (
    RdflibFormat("turtle", "longturtle", ".ttl", "text/turtle"),
    RdflibFormat("nt", "nt", ".nt", "application/n-triples"),
    RdflibFormat("xml", "xml", ".rdf", "application/rdf+xml"),
    JsonLdFormat(),
    GRAPHML,  # the entity network, for Gephi and other network tools
    GEXF,
):
    register_format(_fmt)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file.

    mkstemp creates the file private (0600); it gets the mode any new file would get
    (0666 less the umask), so exports and pages stay readable by others as usual.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export_graph(graph: Graph, fmt: str, path: Path) -> int:
    """Serialize `graph` as `fmt` to `path`; returns the number of bytes written."""
    data = FORMATS[fmt].serialize(graph)
    write_atomic(path, data)
    return len(data)
