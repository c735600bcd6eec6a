"""Runs the pages' queries on the worker pool and reads their answers into rdflib graphs.

The event loop only sends jobs and awaits replies (as the endpoint does); parsing an
answer happens in a thread, so a large page does not stall other requests.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from rdflib import Graph

from graph_builder.rdf.namespaces import bind_prefixes

from ..pool import Busy, PoolError, WorkerPool


class Unreadable(Exception):
    """The graph could not be read for this request: the HTTP status and why."""

    def __init__(self, status: int, message: str, retry: bool = False) -> None:
        super().__init__(message)
        self.status, self.retry = status, retry


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    triples: int
    truncated: bool


class Reader:
    def __init__(self, pool: WorkerPool, max_rows: int) -> None:
        self.pool, self.max_rows = pool, max_rows

    async def construct(self, query: str, fmt: str = "nt") -> Answer:
        """A CONSTRUCT's answer serialized by the worker in `fmt` (a format name)."""
        job = {"query": query, "format": [fmt], "max_rows": self.max_rows}
        try:
            header, body = await self.pool.run(job)
        except PoolError as exc:
            raise Unreadable(exc.status, str(exc), isinstance(exc, Busy)) from None
        if header["status"] != 200:
            raise Unreadable(header["status"], header.get("error", "the query failed"))
        return Answer(body, header["media_type"], header["rows"], header["truncated"])

    async def graph(self, query: str) -> tuple[Graph, bool]:
        """A CONSTRUCT's answer as an rdflib graph, and whether it was cut at max_rows."""
        answer = await self.construct(query)
        return await asyncio.to_thread(parse, answer.body), answer.truncated


def parse(body: bytes) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    if body:
        graph.parse(data=body, format="nt")
    return graph
