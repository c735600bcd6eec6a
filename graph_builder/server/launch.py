"""Starting `hospital-kg serve`: the graph files for the workers, the socket, the settings.

The graph is built once (or read from --data files), written as N-Triples to a
temporary directory, and loaded by the workers' template process into an in-memory
Oxigraph store (zygote.py). With --store, nothing is built or loaded: the template
opens the on-disk store `hospital-kg load` wrote, read-only, and the server holds a
shared lock on it while it runs (disk_store.py). The socket is bound before the
workers start, so a wrong port fails at once and `--port 0` can report the port the
system chose.
"""

from __future__ import annotations

import contextlib
import socket
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph_builder.errors import HospitalKgError, UsageError, display_path
from graph_builder.progress import progress_bar
from graph_builder.project import Project
from graph_builder.rdf.formats import format_of
from graph_builder.rdf.namespaces import PREFIXES
from graph_builder.server.bindings import term_text
from graph_builder.sparql.query_library import LibraryQuery, load_library

if TYPE_CHECKING:
    from graph_builder.server.pool import WorkerPool

#: What the banner says of each state of the workers' network sandbox (sandbox.py).
NETWORK_NOTE = {"seccomp": "blocked in the query workers (seccomp); SERVICE is refused"}


def data_files(paths: list[Path]) -> list[tuple[str, str]]:
    """(absolute path, media type) of each --data file; its suffix names the format."""
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise UsageError(f"--data: no such file: {missing[0]}")
    return [(str(p.resolve()), format_of(p).media_type) for p in paths]


def built_graph_file(project: Project, directory: Path) -> list[tuple[str, str]]:
    """Build the project's graph with its ontology and write it as N-Triples for the workers."""
    from graph_builder.api import load_graph

    target = directory / "graph.nt"
    with progress_bar("building", 2, "steps (graph, N-Triples)") as advance:
        graph = load_graph(project, "memory")
        advance(1)
        graph.serialize(destination=str(target), format="nt", encoding="utf-8")
    return [(str(target), "application/n-triples")]


def contents(pool: WorkerPool, union: bool) -> str:
    """What the banner says of the graph: its triples, and the named graphs if any."""
    if not pool.graphs:
        return f"{pool.triples:,} triples"
    union_note = " (the union of all graphs)" if union else ""
    named = "named graph" if pool.graphs == 1 else "named graphs"
    return (
        f"{pool.triples:,} triples in the default graph{union_note} and {pool.graphs:,} "
        f"{named} ({pool.quads:,} quads in all)"
    )


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (IPv6 when the host has a colon)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise HospitalKgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def library_entry(query: LibraryQuery) -> dict[str, Any]:
    """What the query page needs of a library query."""
    return {
        "name": query.name,
        "question_en": query.question_en,
        "question_zh": query.question_zh,
        "text": query.text,
        "params": [
            {
                **asdict(p),
                "default_term": None if p.default is None else term_text(p.type, p.default),
            }
            for p in query.params
        ],
    }


def serve(
    project: Project,
    data: list[Path],
    host: str,
    port: int,
    options: dict[str, Any],
    announce: Callable[[str], None],
    store: Path | None = None,
) -> None:
    """Serve until Ctrl+C; `options` are the Settings fields (timeout, max_rows, workers ...).

    `store` is an on-disk Oxigraph store to open instead of building or loading files."""
    from graph_builder.server.app import Settings
    from graph_builder.server.run import run
    from graph_builder.sparql.disk_store import check_store, locked

    if store is not None and data:
        raise UsageError("give --store or --data, not both")
    library = load_library(project)
    files = data_files(data) if data else None
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="hospital-kg-serve-"))
        if store is not None:
            check_store(store)
            store = store.resolve()
            stack.enter_context(locked(store, shared=True))
            files = []
        elif files is None:
            files = built_graph_file(project, Path(tmp))
        sock = listen(host, port)
        base = url_of(sock)
        settings = Settings(
            graph_files=files,
            prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()},
            library=[library_entry(q) for q in library.values()],
            explorer=project.build_dir / "explorer.html",
            project_root=project.root,
            store=None if store is None else str(store),
            **options,
        )

        source = "" if store is None else f" (store {display_path(store)}, read-only)"

        def ready(pool: WorkerPool) -> None:
            express = f" + {settings.reserve} express" if settings.reserve else ""
            announce(
                f"hospital-kg serve: {contents(pool, settings.union_default_graph)}{source} "
                f"in {settings.workers} query "
                f"workers{express}; timeout {settings.timeout:g} s, at most "
                f"{settings.max_rows:,} rows, {settings.max_memory // 2**20:,} MB per query"
            )
            announce(f"network: {NETWORK_NOTE.get(pool.sandbox, pool.sandbox)}")
            announce(f"SPARQL endpoint: {base}/sparql")
            announce(f"query page:      {base}/")
            announce(f"Linked Data:     {base}/id/... for the IRIs under {settings.base}")
            announce("Press Ctrl+C to stop.")

        try:
            run(settings, sock, ready)
        finally:
            sock.close()
