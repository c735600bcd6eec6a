"""A query worker process: loads the graph into memory, then answers jobs from stdin.

Run as `python -m graph_builder.server.worker`. The first message configures it
(files to load, predeclared prefixes); it replies `ready` with the triple count,
then answers one job at a time with a status, a media type and the serialized
body. Queries run in Oxigraph's Rust code, which Python cannot interrupt, so the
server enforces the time limit by killing this process; nothing here is shared
with other workers.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, BinaryIO

import pyoxigraph as ox

from graph_builder.sparql.oxigraph_errors import syntax_position

from .bindings import substitutions, turtle_prologue
from .negotiation import GRAPH, RESULTS, NotAcceptable, choose
from .results import ask_body, graph_body, select_body
from .wire import pack, read_message


def load_store(files: list[list[str]]) -> ox.Store:
    """An in-memory store holding every (path, media type) file in its default graph."""
    store = ox.Store()
    for path, media_type in files:
        store.bulk_load(path=path, format=ox.RdfFormat.from_media_type(media_type))
    return store


def error(status: int, message: str) -> tuple[dict[str, Any], bytes]:
    return {"status": status, "error": " ".join(message.split())}, b""


def syntax_error(exc: SyntaxError) -> tuple[dict[str, Any], bytes]:
    position = syntax_position(str(exc))
    if position is None:
        return error(400, f"syntax error: {exc}")
    line, column, message = position
    reply = error(400, f"syntax error at line {line}, column {column}: {message}")
    reply[0].update(line=line, column=column)
    return reply


def _default_graphs(
    iris: list[str],
) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None:
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.NamedNode(i) for i in iris]
    return graphs or None


def _named_graphs(iris: list[str]) -> list[ox.NamedNode | ox.BlankNode] | None:
    graphs: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri) for iri in iris]
    return graphs or None


def answer(
    store: ox.Store, job: dict[str, Any], prefixes: dict[str, str], prologue: str
) -> tuple[dict, bytes]:
    """Run one query and serialize its answer; every failure becomes a status and a message."""
    try:
        result = store.query(
            job["query"],
            prefixes=prefixes,
            default_graph=_default_graphs(job.get("default_graph", [])),
            named_graphs=_named_graphs(job.get("named_graph", [])),
            substitutions=substitutions(job.get("bindings", {}), prologue),
        )
    except SyntaxError as exc:
        return syntax_error(exc)
    except ValueError as exc:  # a bad $name= binding, or an invalid default-graph-uri IRI
        return error(400, str(exc))
    kind = RESULTS if isinstance(result, ox.QuerySolutions | ox.QueryBoolean) else GRAPH
    try:
        fmt = choose(kind, job.get("accept"), job.get("format"))
    except NotAcceptable as exc:
        return error(406, str(exc))
    max_rows = job["max_rows"]
    try:
        if isinstance(result, ox.QuerySolutions):
            body, rows, truncated = select_body(result, fmt, max_rows)
        elif isinstance(result, ox.QueryBoolean):
            body, rows, truncated = ask_body(result, fmt), 1, False
        else:
            body, rows, truncated = graph_body(result, fmt, max_rows, prefixes)
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors surface while iterating
        return error(500, f"query failed: {exc}")
    header = {
        "status": 200,
        "media_type": fmt.media_type,
        "rows": rows,
        "truncated": truncated,
    }
    return header, body


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    first = read_message(inp)
    if first is None:
        return
    config, _ = first
    try:
        store = load_store(config["files"])
    except (OSError, SyntaxError, ValueError) as exc:
        out.write(pack({"ready": False, "error": " ".join(str(exc).split())}))
        out.flush()
        return
    prefixes: dict[str, str] = config["prefixes"]
    prologue = turtle_prologue(prefixes)
    out.write(pack({"ready": True, "triples": len(store)}))
    out.flush()
    while (message := read_message(inp)) is not None:
        try:
            header, body = answer(store, message[0], prefixes, prologue)
        except Exception as exc:  # a bug here must cost one request, not the worker
            header, body = error(500, f"internal error: {type(exc).__name__}: {exc}")
        out.write(pack(header, body))
        out.flush()


def main() -> None:
    # Keep the protocol pipe private: anything a library prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C reaches the whole process group
        serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
