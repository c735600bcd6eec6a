"""A query worker process: loads the graph into memory, then answers jobs from stdin.

Run as `python -m graph_builder.server.worker`. The first message configures it
(files to load or a store directory to open, predeclared prefixes, memory allowance,
priority); the worker locks itself in (no network, bounded memory: sandbox.py), loads
the graph, replies `ready` with the triple count, then answers one job at a time with
a status, a media type and the serialized body. Queries run in Oxigraph's Rust code, which
Python cannot interrupt, so the server enforces the time limit by killing this
process; nothing here is shared with other workers.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, BinaryIO

import pyoxigraph as ox

from graph_builder.progress import bars, reading
from graph_builder.sparql.oxigraph_errors import syntax_position

from .bindings import substitutions, turtle_prologue, unbindable
from .negotiation import GRAPH, RESULTS, NotAcceptable, choose
from .results import ask_body, graph_body, select_body
from .sandbox import SandboxError, block_network, limit_memory, lower_priority
from .wire import pack, read_message

#: Exit status after a query ran out of memory: the server reads it and answers 503.
OUT_OF_MEMORY = 75


def load_store(files: list[list[str]]) -> ox.Store:
    """An in-memory store holding every (path, media type) file in its default graph."""
    store = ox.Store()
    with bars() as drawn:  # on serve's terminal only (this process shares its stderr)
        for path, media_type in files:
            with reading(drawn, f"loading {os.path.basename(path)}", path):
                store.bulk_load(path=path, format=ox.RdfFormat.from_media_type(media_type))
    return store


def open_store(config: dict[str, Any]) -> ox.Store:
    """The configured store: an on-disk one opened read-only (`serve --store`, nothing
    loaded), else the files loaded into memory."""
    if config.get("store"):
        return ox.Store.read_only(config["store"])
    return load_store(config["files"])


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


#: Most named graphs listed in the `ready` reply (the service description lists them).
LISTED_GRAPHS = 1000

DefaultGraphs = list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None
NamedGraphs = list[ox.NamedNode | ox.BlankNode] | None


class UnknownGraph(ValueError):
    """A default-graph-uri or named-graph-uri naming no graph of the store."""


def dataset(store: ox.Store, job: dict[str, Any]) -> tuple[DefaultGraphs, NamedGraphs]:
    """The dataset the SPARQL Protocol's parameters select: None, None (the store's) without
    them; else the merge of the default-graph-uri graphs as the default graph (empty if
    none is given) and the named-graph-uri graphs as the named ones (none if none is)."""
    default_iris, named_iris = job.get("default_graph", []), job.get("named_graph", [])
    if not default_iris and not named_iris:
        return None, None
    for parameter, iris in (("default-graph-uri", default_iris), ("named-graph-uri", named_iris)):
        for iri in iris:
            if not store.contains_named_graph(ox.NamedNode(iri)):
                raise UnknownGraph(
                    f"{parameter} <{iri}> names no graph of this dataset; "
                    "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } lists them"
                )
    default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        ox.NamedNode(i) for i in default_iris
    ]
    named: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(i) for i in named_iris]
    return default, named


def answer(
    store: ox.Store,
    job: dict[str, Any],
    prefixes: dict[str, str],
    prologue: str,
    union: bool = False,
) -> tuple[dict, bytes]:
    """Run one query and serialize its answer; every failure becomes a status and a message.

    `union`: without dataset parameters, the default graph is the union of all graphs."""
    try:
        default_graph, named_graphs = dataset(store, job)
    except UnknownGraph as exc:
        return error(400, str(exc))
    try:
        result = store.query(
            job["query"],
            prefixes=prefixes,
            base_iri=job.get("base_iri"),
            use_default_graph_as_union=union and default_graph is None,
            default_graph=default_graph,
            named_graphs=named_graphs,
            substitutions=substitutions(job.get("bindings", {}), prologue),
        )
    except SyntaxError as exc:
        return syntax_error(exc)
    except ValueError as exc:  # a bad $name= binding, or an invalid default-graph-uri IRI
        return error(400, str(exc))
    except RuntimeError as exc:  # Oxigraph refuses to bind a variable it does not project
        message = unbindable(exc)
        if message is None:
            raise
        return error(400, message)
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
    except NotAcceptable as exc:  # results.Unwritable: XML cannot carry a character
        return error(406, str(exc))
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors surface while iterating
        return error(500, f"query failed: {exc}")
    header = {
        "status": 200,
        "media_type": fmt.media_type,
        "rows": rows,
        "truncated": truncated,
    }
    return header, body


def lock_in() -> str:
    """Install the network sandbox; what the banner says of it."""
    try:
        block_network()
    except SandboxError as exc:  # reported by the server's banner; the query check stays
        return f"unavailable ({' '.join(str(exc).split())})"
    return "seccomp"


def contents(store: ox.Store, union: bool) -> dict[str, Any]:
    """What the banner and the service description say of the store: the triples of the
    default graph as queries see it, and the named graphs with their triples."""
    quads = len(store)
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    if not graphs:
        return {"triples": quads, "quads": quads, "graphs": 0, "named_graphs": []}
    per_graph = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    assert isinstance(per_graph, ox.QuerySolutions)
    counts = {row[0].value: int(row[1].value) for row in per_graph}
    total = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=union
    )
    assert isinstance(total, ox.QuerySolutions)
    triples = int(next(iter(total))[0].value)
    return {
        "triples": triples,
        "quads": quads,
        "graphs": len(graphs),
        "named_graphs": [[iri, counts.get(iri, 0)] for iri in graphs[:LISTED_GRAPHS]],
    }


def prepare(config: dict[str, Any]) -> tuple[ox.Store | None, dict[str, Any]]:
    """Lock the process in and load the graph: the store and the `ready` reply."""
    sandbox = lock_in()
    try:
        store = open_store(config)
        counted = contents(store, bool(config.get("union")))
    except (OSError, SyntaxError, ValueError) as exc:
        return None, {"ready": False, "error": " ".join(str(exc).split())}
    return store, {"ready": True, "sandbox": sandbox, **counted}


def answer_jobs(store: ox.Store, config: dict[str, Any], inp: BinaryIO, out: BinaryIO) -> int:
    """Answer jobs until the server closes the stream; the exit status to end with."""
    prefixes, union = config["prefixes"], bool(config.get("union"))
    prologue = turtle_prologue(prefixes)
    while (message := read_message(inp)) is not None:
        try:
            header, body = answer(store, message[0], prefixes, prologue, union)
        except MemoryError:  # past --max-memory: this process may be half-broken now
            return OUT_OF_MEMORY
        except Exception as exc:  # a bug here must cost one request, not the worker
            header, body = error(500, f"internal error: {type(exc).__name__}: {exc}")
        try:
            out.write(pack(header, body))
            out.flush()
        except (BrokenPipeError, ConnectionResetError):  # the server stopped listening
            return 0
    return 0


def serve(inp: BinaryIO, out: BinaryIO) -> int:
    """A stand-alone worker over a pipe: configure, load, answer (see zygote.py for the
    server's way of starting workers)."""
    first = read_message(inp)
    if first is None:
        return 0
    config, _ = first
    lower_priority(int(config.get("nice", 0)))
    store, ready = prepare(config)
    if store is not None and config.get("max_memory"):
        limit_memory(int(config["max_memory"]))
    out.write(pack(ready))
    out.flush()
    if store is None:
        return 1
    return answer_jobs(store, config, inp, out)


def main() -> None:
    # Keep the protocol pipe private: anything a library prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C reaches the whole process group
        raise SystemExit(serve(sys.stdin.buffer, out))


if __name__ == "__main__":
    main()
