"""Upload triples to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol, then
check what it holds.

`PUT` replaces a graph, `POST` adds to it (W3C SPARQL 1.1 Graph Store HTTP Protocol,
sections 5.3 and 5.5); a graph is named `?graph=IRI`, the default graph `?default`.
The triples go in batches of N-Triples (batches.py): with `replace`, the first batch
is PUT and the rest POSTed. Afterwards the server's SPARQL endpoint counts the graph's
triples: with `replace` it must hold exactly ours; otherwise at least ours and the
count before, and at most both together. A failure midway says what the graph
holds by then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from graph_builder.errors import HospitalKgError
from graph_builder.publish.batches import batches, ntriples
from graph_builder.publish.connection import Connection, RemoteError
from graph_builder.publish.remote import Endpoint

NTRIPLES = "application/n-triples; charset=utf-8"
STORE_HINT = (
    "is it the Graph Store's address (oxigraph: http://HOST:PORT/store, "
    "Virtuoso: http://HOST:PORT/sparql-graph-crud-auth)?"
)


@dataclass(frozen=True)
class Target:
    """Where triples go: a Graph Store URL and a named graph (None: the default graph)."""

    store: str
    graph: str | None

    def params(self) -> str:
        return "default" if self.graph is None else f"graph={quote(self.graph, safe='')}"

    def name(self) -> str:
        return "the default graph" if self.graph is None else f"<{self.graph}>"


@dataclass(frozen=True)
class Pushed:
    """What an upload did: triples sent, requests, and the count before and after."""

    triples: int
    batches: int
    before: int
    after: int
    replaced: bool


def push(
    triples: Sequence[ox.Triple],
    target: Target,
    endpoint: Endpoint,
    connection: Connection,
    *,
    replace: bool = False,
    batch_size: int = 10_000,
    progress: Callable[[int], None] = lambda sent: None,
) -> Pushed:
    """Upload `triples` to `target` and check the count on `endpoint`; see the module.

    The count is read first too, so a wrong query endpoint fails before any upload.
    `progress` is told how many triples each batch carried once the server took it.
    """
    before = endpoint.triple_count(target.graph)
    parts = batches(triples, batch_size) or ([[]] if replace else [])
    for number, batch in enumerate(parts, start=1):
        method = "PUT" if replace and number == 1 else "POST"
        try:
            connection.request(
                method,
                target.store,
                params=target.params(),
                content=ntriples(batch),
                headers={"Content-Type": NTRIPLES},
                not_found=STORE_HINT,
            )
        except HospitalKgError as exc:
            raise RemoteError(
                f"{exc} (batch {number} of {len(parts)}; {holding(endpoint, target)})",
                getattr(exc, "status", None),
            ) from None
        progress(len(batch))
    after = endpoint.triple_count(target.graph)
    check_count(len(triples), None if replace else before, after, target)
    return Pushed(len(triples), len(parts), before, after, replace)


def holding(endpoint: Endpoint, target: Target) -> str:
    """What the server holds in the target graph now, for a message about a failure."""
    try:
        count = endpoint.triple_count(target.graph)
    except HospitalKgError:
        return f"what {target.name()} holds now could not be read either"
    return f"the server now holds {count:,} triples in {target.name()}"


def check_count(sent: int, before: int | None, after: int, target: Target) -> None:
    """The count after an upload must be the triples sent (replace), or between the larger
    of the count before and the triples sent, and both together (add)."""
    if before is None:
        if after != sent:
            raise RemoteError(
                f"the server holds {after:,} triples in {target.name()} after the upload, "
                f"not the {sent:,} sent"
            )
        return
    low, high = max(before, sent), before + sent
    if not low <= after <= high:
        raise RemoteError(
            f"the server holds {after:,} triples in {target.name()} after adding {sent:,} "
            f"to {before:,}; expected {low:,} to {high:,}"
        )
