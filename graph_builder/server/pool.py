"""A pool of query worker processes with a hard time limit per query.

A query runs inside Oxigraph's Rust code, which cannot be interrupted from
Python, so the pool enforces `timeout` by killing the worker running it and
starting a replacement; the other workers keep answering meanwhile. Requests
wait (in arrival order) for an idle worker, at most `timeout` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Any

from graph_builder.errors import HospitalKgError

from .wire import LENGTHS, pack, unpack

WORKER_MODULE = "graph_builder.server.worker"


class PoolError(HospitalKgError):
    """A query the pool could not answer; `status` is the HTTP status to send."""

    status = 500


class QueryTimeout(PoolError):
    status = 503


class Busy(PoolError):
    status = 503


class WorkerDied(PoolError):
    status = 500


class Worker:
    """One worker process, spoken to over its stdin/stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, config: dict[str, Any]) -> tuple[Worker, int]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            WORKER_MODULE,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        worker = cls(process)
        try:
            header, _ = await worker.call(config)
        except WorkerDied:
            await worker.stop()
            raise
        if not header.get("ready"):
            await worker.stop()
            raise WorkerDied(f"query worker could not load the graph: {header.get('error')}")
        return worker, int(header["triples"])

    async def call(self, header: dict[str, Any], body: bytes = b"") -> tuple[dict[str, Any], bytes]:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(pack(header, body))
            await self.process.stdin.drain()
            head_size, body_size = LENGTHS.unpack(
                await self.process.stdout.readexactly(LENGTHS.size)
            )
            head = await self.process.stdout.readexactly(head_size)
            return unpack(head), await self.process.stdout.readexactly(body_size)
        except (asyncio.IncompleteReadError, BrokenPipeError, ConnectionResetError):
            raise WorkerDied("the query worker stopped unexpectedly") from None

    async def stop(self) -> None:
        """Kill the process (a query in progress cannot be asked to stop) and reap it."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        await self.process.wait()


class WorkerPool:
    def __init__(self, config: dict[str, Any], size: int, timeout: float) -> None:
        self.config, self.size, self.timeout = config, size, timeout
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: set[Worker] = set()
        self.tasks: set[asyncio.Task] = set()
        self.triples = 0
        self.killed = 0  # workers stopped for running over time

    async def start(self) -> None:
        started = await asyncio.gather(
            *(Worker.start(self.config) for _ in range(self.size)), return_exceptions=True
        )
        failures = [s for s in started if isinstance(s, BaseException)]
        for item in started:
            if not isinstance(item, BaseException):
                worker, self.triples = item
                self.workers.add(worker)
                self.idle.put_nowait(worker)
        if failures:
            await self.close()
            raise failures[0]

    async def run(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """Answer one job on an idle worker; QueryTimeout, Busy or WorkerDied otherwise."""
        try:
            worker = await asyncio.wait_for(self.idle.get(), self.timeout)
        except TimeoutError:
            raise Busy(
                f"all {self.size} query workers stayed busy for {self.timeout:g} s; try again"
            ) from None
        try:
            reply = await asyncio.wait_for(worker.call(job), self.timeout)
        except TimeoutError:
            self.killed += 1
            self._replace(worker)
            raise QueryTimeout(
                f"query stopped after the {self.timeout:g} s time limit; "
                "make it more selective (add a LIMIT, bind a variable, filter earlier)"
            ) from None
        except BaseException:  # worker died, or the client went away mid-query
            self._replace(worker)
            raise
        self.idle.put_nowait(worker)
        return reply

    def _replace(self, worker: Worker) -> None:
        self.workers.discard(worker)
        task = asyncio.get_running_loop().create_task(self._restart(worker))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _restart(self, old: Worker) -> None:
        await old.stop()
        delay = 0.5
        while True:
            try:
                worker, _ = await Worker.start(self.config)
            except (WorkerDied, OSError) as exc:
                print(f"hospital-kg serve: restarting a worker failed: {exc}", file=sys.stderr)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            self.workers.add(worker)
            self.idle.put_nowait(worker)
            return

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(w.stop() for w in self.workers), return_exceptions=True)
        self.workers.clear()
