"""Running the endpoint: start the query workers, then serve HTTP until Ctrl+C.

The workers start before uvicorn does, so a graph that cannot be loaded ends the
command with one line instead of a server that answers nothing; they are stopped
when uvicorn has finished its graceful shutdown.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import uvicorn

from graph_builder.errors import HospitalKgError

from .app import Settings, create_app
from .http_limits import bounded_protocol
from .pool import WorkerPool
from .result_cache import ResultCache, content_hash

new_event_loop: Callable[[], asyncio.AbstractEventLoop]
try:  # uvloop is faster; it is a dependency except on Windows
    from uvloop import new_event_loop
except ImportError:  # pragma: no cover
    new_event_loop = asyncio.new_event_loop


class Interrupted(HospitalKgError):
    """Ctrl+C before the server was up (uvicorn handles it cleanly afterwards)."""

    exit_code = 130


def run(settings: Settings, sock: socket.socket, on_ready: Callable[[WorkerPool], None]) -> None:
    """Serve on the bound socket; PoolError if the workers cannot start."""
    pool = settings.pool()
    cache = ResultCache(settings.cache_bytes)
    config = uvicorn.Config(
        create_app(settings, pool, cache),
        log_level="warning",
        access_log=False,
        lifespan="off",
        http=bounded_protocol(max_header_bytes=settings.max_headers),
        timeout_graceful_shutdown=5,
    )

    up = False

    async def main() -> None:
        nonlocal up
        hashing = None
        if cache.enabled:  # the files are hashed while the workers load them
            hashing = asyncio.ensure_future(
                asyncio.to_thread(
                    content_hash,
                    settings.graph_files,
                    settings.store,
                    settings.union_default_graph,
                )
            )
        try:
            await pool.start()
        except BaseException:
            if hashing is not None:
                hashing.cancel()
            raise
        try:
            if hashing is not None:
                cache.graph = await hashing
            server = uvicorn.Server(config)
            serving = asyncio.ensure_future(server.serve(sockets=[sock]))
            # Announce only once uvicorn handles Ctrl+C itself (it installs its handlers
            # as it starts), so that a Ctrl+C after the banner always shuts down cleanly.
            while not server.started and not serving.done():
                await asyncio.sleep(0.01)
            if server.started:
                up = True
                on_ready(pool)
            await serving
        finally:
            await pool.close()

    try:
        with asyncio.Runner(loop_factory=new_event_loop) as runner:
            runner.run(main())
    except KeyboardInterrupt:
        if up:  # uvicorn shut down cleanly on Ctrl+C, then raised it again: exit as SIGINT does
            raise SystemExit(130) from None
        raise Interrupted("stopped by Ctrl+C before the server was up") from None
