"""How long the benchmark's own HTTP client takes to receive N bytes from a server that
does nothing but write them: the floor under any endpoint's warm answer of that size.

A warm answer is already written; what is left is sending it and the client reading it.
When that floor is above a target, no change to the endpoint can meet the target for
that answer with that client, and bench_virtuoso.py says so with the measured floor.
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import sys
import time

import httpx


def _serve(listener: socket.socket, body: bytes) -> None:
    """Answer every request on every connection with `body`, until the listener closes."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as uvicorn does
        with connection, connection.makefile("rb") as incoming:
            while True:
                length = 0
                line = incoming.readline()
                while line not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                    line = incoming.readline()
                if line == b"":
                    break
                incoming.read(length)
                connection.sendall(head)
                connection.sendall(body)


def transfer_floor(size: int, repeat: int = 10, headers: dict[str, str] | None = None) -> float:
    """p50 seconds for an httpx POST to receive `size` bytes over loopback from a socket
    that only writes them (one warm-up first, as the benchmark does)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    # its own process, so that the writer does not share the client's interpreter lock
    writer = multiprocessing.get_context("fork").Process(
        target=_serve, args=(listener, b"x" * size), daemon=True
    )
    writer.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    runs = []
    try:
        with httpx.Client(timeout=60) as client:
            for run in range(repeat + 1):
                started = time.perf_counter()
                answer = client.post(url, data={"query": "x"}, headers=headers or {})
                received = len(answer.content)
                if run:
                    runs.append(time.perf_counter() - started)
                if received != size:
                    raise RuntimeError(f"floor server sent {received} bytes, not {size}")
    finally:
        writer.terminate()
        writer.join(timeout=10)
        listener.close()
    return statistics.median(runs)


def main() -> int:
    """`python benchmarks/transfer_floor.py BYTES...`: the floor for each size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, metavar="BYTES")
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per size")
    args = parser.parse_args()
    for size in args.sizes:
        print(f"{size:,} bytes: {transfer_floor(size, args.repeat) * 1000:.2f} ms p50")
    return 0


if __name__ == "__main__":
    sys.exit(main())
