"""A small HTTP/1.1 load generator that records every request's latency.

wrk (Debian's 4.1) "corrects" its latency histogram for coordinated omission: one
9 s answer among 18,000 fast ones becomes a thousand synthetic samples, and its p90
read 685 ms where no request but one took over 500 ms (checked against a second
client in the same run). This client keeps the raw latencies instead, so the
percentiles are those of the requests that were made. Keep-alive connections,
asyncio streams, one process per core so the client does not become the bottleneck.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ACCEPT = "application/sparql-results+json"


@dataclass
class Load:
    """What a group of clients saw: every latency (seconds) and every status."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0  # connections that failed or answers that did not parse
    seconds: float = 0.0

    def add(self, other: Load) -> None:
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.errors += other.errors
        self.seconds = max(self.seconds, other.seconds)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def failed(self) -> int:
        """Answers other than 2xx, and connection errors."""
        return self.errors + sum(n for code, n in self.statuses.items() if not 200 <= code < 300)

    def percentile(self, p: float) -> float:
        """The latency, in ms, under which `p` percent of the requests finished."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes) -> int:
    writer.write(head)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _client(base: str, paths: list[str], until: float, first: int, load: Load) -> None:
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    heads = [
        f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {ACCEPT}\r\n\r\n".encode()
        for p in paths
    ]
    reader, writer = await asyncio.open_connection(host, port)
    turn = first
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            status = await _request(reader, writer, heads[turn % len(heads)])
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            load.errors += 1
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
            continue
        load.latencies.append(time.perf_counter() - started)
        load.statuses[status] += 1
        turn += 1
    writer.close()


async def _clients(base: str, paths: list[str], clients: range, seconds: float) -> Load:
    load = Load()
    started = time.monotonic()
    await asyncio.gather(*(_client(base, paths, started + seconds, n, load) for n in clients))
    load.seconds = time.monotonic() - started
    return load


def _process(args: tuple[str, list[str], range, float]) -> Load:
    return asyncio.run(_clients(*args))


def run(base: str, paths: list[str], clients: int, seconds: float) -> Load:
    """`clients` keep-alive connections, each looping over `paths`, for `seconds`."""
    processes = max(1, min(os.cpu_count() or 1, clients))
    shares = [range(n, clients, processes) for n in range(processes)]
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        parts = pool.map(_process, [(base, paths, share, seconds) for share in shares])
    total = Load()
    for part in parts:
        total.add(part)
    return total
