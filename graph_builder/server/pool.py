"""Query worker processes in two lanes, with a hard time limit and a memory limit per query.

A query runs inside Oxigraph's Rust code, which cannot be interrupted from Python,
so the pool enforces `timeout` by killing the worker running it and starting a
replacement; the other workers keep answering meanwhile.

Heavy queries must not starve short ones. The `general` lane runs `size` workers
at a lower CPU priority; the `express` lane keeps `reserve` workers at normal
priority for queries not known to be heavy. When every general worker is busy, a
query goes to whichever worker frees first, express included; one that is still
running after `express_seconds` of CPU time is moved, still running, to the general
lane (its worker reniced), its text is remembered as heavy (until it runs short
again), and a fresh express worker starts. So a short query waits behind a heavy
one for about `express_seconds` at most, however many saturate the general lane.

Workers are forked from a template process that loaded the graph once (zygote.py):
a new one is ready in milliseconds, and all share the graph's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import os
import shutil
import signal
import sys
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graph_builder.errors import HospitalKgError

from .sandbox import PARENT_ENV
from .wire import LENGTHS, pack, unpack

TEMPLATE_MODULE = "graph_builder.server.zygote"
#: Niceness of general workers when an express lane exists.
GENERAL_NICENESS = 10
#: Worker exit statuses that mean a query ran out of memory: Rust's abort on a failed
#: allocation (SIGABRT), and the worker's own exit after a Python MemoryError.
OUT_OF_MEMORY = (-signal.SIGABRT, 75)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
#: Most query texts remembered as heavy.
HEAVY_MEMORY = 4096


class PoolError(HospitalKgError):
    """A query the pool could not answer; `status` is the HTTP status to send."""

    status = 500


class QueryTimeout(PoolError):
    status = 503


class Busy(PoolError):
    status = 503


class MemoryExceeded(PoolError):
    status = 503


class WorkerDied(PoolError):
    status = 500


class Template:
    """The template process (zygote.py), the Unix socket its children connect back to,
    and what it reports: spawned workers and their exit statuses."""

    def __init__(self, config: dict[str, Any], directory: str) -> None:
        self.config = config
        self.path = os.path.join(directory, "workers.sock")
        self.process: asyncio.subprocess.Process | None = None
        self.server: asyncio.AbstractServer | None = None
        self.ready: dict[str, Any] = {}
        self.spawns: dict[int, asyncio.Future[tuple[int, Any, Any]]] = {}
        self.pids: dict[int, int] = {}  # spawn id -> pid, until the worker says hello
        self.exits: dict[int, asyncio.Future[int]] = {}
        self.ids = itertools.count(1)
        self.reader: asyncio.Task[None] | None = None

    async def start(self) -> dict[str, Any]:
        self.server = await asyncio.start_unix_server(self._hello, path=self.path)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            TEMPLATE_MODULE,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            # RUST_BACKTRACE: one line, not a page, per failure
            env={**os.environ, "RUST_BACKTRACE": "0", PARENT_ENV: str(os.getpid())},
        )
        assert self.process.stdin is not None
        self.process.stdin.write(pack(self.config))
        await self.process.stdin.drain()
        ready = await self._message()
        if ready is None or not ready.get("ready"):
            await self.close()
            reason = "it stopped" if ready is None else ready.get("error")
            raise WorkerDied(f"query worker could not load the graph: {reason}")
        self.ready = ready
        self.reader = asyncio.get_running_loop().create_task(self._read())
        return ready

    async def _message(self) -> dict[str, Any] | None:
        assert self.process is not None and self.process.stdout is not None
        try:
            head_size, body_size = LENGTHS.unpack(
                await self.process.stdout.readexactly(LENGTHS.size)
            )
            head = await self.process.stdout.readexactly(head_size)
            await self.process.stdout.readexactly(body_size)
        except asyncio.IncompleteReadError:
            return None
        return unpack(head)

    async def _read(self) -> None:
        """Route the template's reports: spawned pids and exit statuses."""
        while (message := await self._message()) is not None:
            if "spawned" in message:
                self.pids[int(message["spawned"])] = int(message["pid"])
            elif "exited" in message:
                self._exit_future(int(message["exited"])).set_result(int(message["code"]))
        for spawn in self.spawns.values():  # the template is gone: no worker will come
            if not spawn.done():
                spawn.set_exception(WorkerDied("the query worker template stopped"))

    def _exit_future(self, pid: int) -> asyncio.Future[int]:
        if pid not in self.exits or self.exits[pid].done():
            self.exits.setdefault(pid, asyncio.get_running_loop().create_future())
        return self.exits[pid]

    async def _hello(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """A forked worker connects back: match it to its spawn request."""
        try:
            head_size, body_size = LENGTHS.unpack(await reader.readexactly(LENGTHS.size))
            hello = unpack(await reader.readexactly(head_size))
            await reader.readexactly(body_size)
        except asyncio.IncompleteReadError:
            writer.close()
            return
        spawn = self.spawns.pop(int(hello["hello"]), None)
        if spawn is None or spawn.done():
            writer.close()
            return
        spawn.set_result((int(hello["pid"]), reader, writer))

    async def spawn(self, niceness: int) -> tuple[int, Any, Any]:
        """A new worker's pid and its stream ends; WorkerDied if none comes within 30 s."""
        if self.process is None or self.process.returncode is not None:
            raise WorkerDied("the query worker template stopped")
        assert self.process.stdin is not None
        ident = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.spawns[ident] = future
        self.process.stdin.write(pack({"spawn": ident, "nice": niceness, "socket": self.path}))
        await self.process.stdin.drain()
        try:
            return await asyncio.wait_for(future, 30)
        except TimeoutError:
            self.spawns.pop(ident, None)
            raise WorkerDied("a new query worker did not start within 30 s") from None

    async def exit_code(self, pid: int, wait: float = 5.0) -> int | None:
        """The exit status the template reported for `pid` (None if it did not in `wait`)."""
        try:
            return await asyncio.wait_for(asyncio.shield(self._exit_future(pid)), wait)
        except TimeoutError:
            return None

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
            await asyncio.gather(self.reader, return_exceptions=True)
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        if self.server is not None:
            self.server.close()


class Worker:
    """One forked worker process, spoken to over its Unix socket."""

    def __init__(self, template: Template, pid: int, reader: Any, writer: Any, lane: Lane) -> None:
        self.template, self.pid, self.lane = template, pid, lane
        self.reader: asyncio.StreamReader = reader
        self.writer: asyncio.StreamWriter = writer
        self.exit: int | None = None

    @classmethod
    async def start(cls, template: Template, lane: Lane) -> Worker:
        pid, reader, writer = await template.spawn(lane.niceness)
        return cls(template, pid, reader, writer, lane)

    async def call(self, header: dict[str, Any], body: bytes = b"") -> tuple[dict[str, Any], bytes]:
        try:
            self.writer.write(pack(header, body))
            await self.writer.drain()
            head_size, body_size = LENGTHS.unpack(await self.reader.readexactly(LENGTHS.size))
            head = await self.reader.readexactly(head_size)
            return unpack(head), await self.reader.readexactly(body_size)
        except (asyncio.IncompleteReadError, BrokenPipeError, ConnectionResetError):
            raise WorkerDied("the query worker stopped unexpectedly") from None

    def renice(self, niceness: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            current = os.getpriority(os.PRIO_PROCESS, self.pid)
            os.setpriority(os.PRIO_PROCESS, self.pid, max(current, niceness))

    def cpu_seconds(self) -> float:
        """CPU time the process has used (user + system, /proc/PID/stat); 0 if unknown."""
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    async def stop(self) -> int | None:
        """Kill the process (a query in progress cannot be asked to stop); its exit status."""
        if self.exit is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.writer.close()
            self.exit = await self.template.exit_code(self.pid)
        return self.exit

    async def died(self) -> int | None:
        """The exit status of a worker that stopped by itself."""
        if self.exit is None:
            self.exit = await self.template.exit_code(self.pid)
        return self.exit


@dataclass
class Lane:
    """Workers of one kind: how many it should have, at which priority, and the idle ones."""

    name: str
    target: int
    niceness: int
    idle: asyncio.Queue[Worker] = field(default_factory=asyncio.Queue)
    alive: int = 0


def fingerprint(job: dict[str, Any]) -> str:
    """The same query with the same bindings: the unit of 'known to be heavy'."""
    key = json.dumps([job.get("query"), sorted(job.get("bindings", {}).items())], sort_keys=True)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class WorkerPool:
    def __init__(
        self,
        config: dict[str, Any],
        size: int,
        timeout: float,
        reserve: int = 1,
        express_seconds: float = 0.1,
    ) -> None:
        self.config, self.timeout, self.express_seconds = config, timeout, express_seconds
        self.general = Lane("general", size, GENERAL_NICENESS if reserve else 0)
        self.express = Lane("express", reserve, 0)
        self.workers: set[Worker] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.heavy: OrderedDict[str, None] = OrderedDict()
        self.triples = 0  # in the default graph, as queries see it
        self.graphs = 0  # named graphs
        self.quads = 0  # in all graphs
        self.named_graphs: list[tuple[str, int]] = []  # (IRI, triples), the first 1,000
        self.sandbox = "unknown"
        self.killed = 0  # workers stopped for running over time or memory
        self.promoted = 0  # queries moved from the express lane to the general one
        self.directory = tempfile.mkdtemp(prefix="hospital-kg-workers-")
        self.template = Template(config, self.directory)
        self.closing = False

    @property
    def size(self) -> int:
        return self.general.target + self.express.target

    async def start(self) -> None:
        """Load the graph once in the template, then fork every worker from it."""
        try:
            ready = await self.template.start()
            self.triples, self.sandbox = int(ready["triples"]), str(ready.get("sandbox"))
            self.graphs, self.quads = int(ready.get("graphs", 0)), int(ready.get("quads", 0))
            self.named_graphs = [(str(g), int(n)) for g, n in ready.get("named_graphs", [])]
            lanes = [self.general] * self.general.target + [self.express] * self.express.target
            started = await asyncio.gather(*(Worker.start(self.template, lane) for lane in lanes))
        except BaseException:
            await self.close()
            raise
        for worker in started:
            self._admit(worker)

    def _admit(self, worker: Worker) -> None:
        self.workers.add(worker)
        worker.lane.alive += 1
        worker.lane.idle.put_nowait(worker)

    async def run(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """Answer one job; QueryTimeout, Busy, MemoryExceeded or WorkerDied otherwise.

        A job waits up to `timeout` for a worker, then runs up to `timeout` on it.
        """
        loop = asyncio.get_running_loop()
        key = fingerprint(job)
        express_ok = self.express.target > 0 and key not in self.heavy
        lanes = [self.express, self.general] if express_ok else [self.general]
        if express_ok and not self.general.idle.empty():
            lanes = [self.general]  # a general worker is free: no need to reserve an express one
        wait_until = loop.time() + self.timeout
        worker = await self._acquire(lanes, wait_until)
        while worker.lane is self.express and key in self.heavy:
            # found heavy while it waited (a copy of it was just moved out of the express
            # lane): leave the express worker to others, wait for a general one
            self.express.idle.put_nowait(worker)
            worker = await self._acquire([self.general], wait_until)
        deadline = loop.time() + self.timeout
        # read only for a query known heavy, the one case the figure decides (below)
        cpu_before = worker.cpu_seconds() if key in self.heavy else None
        call = asyncio.ensure_future(worker.call(job))
        if worker.lane is self.express and not await self._finishes_express(call, worker, deadline):
            self._promote(worker, key)
        try:
            reply = await asyncio.wait_for(call, max(0.0, deadline - loop.time()))
        except TimeoutError:
            self.killed += 1
            self._replace(worker)
            raise QueryTimeout(
                f"query stopped after the {self.timeout:g} s time limit; "
                "make it more selective (add a LIMIT, bind a variable, filter earlier)"
            ) from None
        except WorkerDied:
            raise await self._died(worker) from None
        except BaseException:  # the client went away mid-query
            self._replace(worker)
            raise
        if cpu_before is not None and worker.cpu_seconds() - cpu_before < self.express_seconds / 2:
            del self.heavy[key]  # it was slow for want of CPU, not heavy: try express again
        self._release(worker)
        return reply

    async def _finishes_express(
        self, call: asyncio.Future[Any], worker: Worker, deadline: float
    ) -> bool:
        """Whether the query ends before it has used `express_seconds` of CPU time.

        CPU time, not wall time: on a saturated machine a short query may wait for a
        core longer than it runs, and must not be taken for a heavy one. Wall time
        still bounds the wait (ten times the budget), for a query that does not compute.
        """
        loop = asyncio.get_running_loop()
        start, cpu_start = loop.time(), worker.cpu_seconds()
        slice_ = min(0.05, self.express_seconds)
        while loop.time() < min(deadline, start + 10 * self.express_seconds):
            done, _ = await asyncio.wait({call}, timeout=slice_)
            if done:
                return True
            if worker.cpu_seconds() - cpu_start >= self.express_seconds:
                return False
        return call.done()

    async def _acquire(self, lanes: list[Lane], deadline: float) -> Worker:
        """The first worker to be idle in any of `lanes`, or Busy at the deadline."""
        for lane in lanes:  # one idle already: no futures to make and cancel
            if not lane.idle.empty():
                return lane.idle.get_nowait()
        getters = {asyncio.ensure_future(lane.idle.get()): lane for lane in lanes}
        remaining = max(0.0, deadline - asyncio.get_running_loop().time())
        try:
            await asyncio.wait(getters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for getter in getters:
                getter.cancel()
        taken = [g.result() for g in getters if g.done() and not g.cancelled()]
        if not taken:
            raise Busy(
                f"all {self.size} query workers stayed busy for {self.timeout:g} s; try again"
            )
        for spare in taken[1:]:  # a second lane freed at the same moment: give it back
            spare.lane.idle.put_nowait(spare)
        return taken[0]

    def _promote(self, worker: Worker, key: str) -> None:
        """An express query still running: it goes on in the general lane; a new express
        worker takes its place, and its text is heavy from now on."""
        self.promoted += 1
        self.heavy[key] = None
        while len(self.heavy) > HEAVY_MEMORY:
            self.heavy.popitem(last=False)
        self.express.alive -= 1
        self.general.alive += 1
        worker.lane = self.general
        worker.renice(self.general.niceness)
        self._spawn(self.express)

    def _release(self, worker: Worker) -> None:
        """Back to idle, unless its lane has more workers than it should (after promotions)."""
        lane = worker.lane
        if lane.alive > lane.target:
            lane.alive -= 1
            self.workers.discard(worker)
            self._background(worker.stop())
            return
        lane.idle.put_nowait(worker)

    async def _died(self, worker: Worker) -> PoolError:
        """Why a worker stopped mid-query, as the error to answer; a new one takes its place."""
        status = await worker.died()
        self._replace(worker)
        if status in OUT_OF_MEMORY:
            self.killed += 1
            allowance = int(self.config.get("max_memory") or 0) // 2**20
            return MemoryExceeded(
                f"query stopped: it needed more than the {allowance:,} MB a query may use "
                "(--max-memory); make it more selective"
            )
        return WorkerDied("the query worker stopped unexpectedly")

    def _replace(self, worker: Worker) -> None:
        self.workers.discard(worker)
        worker.lane.alive -= 1
        self._background(worker.stop())
        if worker.lane.alive < worker.lane.target:
            self._spawn(worker.lane)

    def _spawn(self, lane: Lane) -> None:
        self._background(self._restart(lane))

    def _background(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _restart(self, lane: Lane) -> None:
        delay = 0.5
        while not self.closing:
            try:
                worker = await Worker.start(self.template, lane)
            except (WorkerDied, OSError) as exc:
                print(f"hospital-kg serve: starting a worker failed: {exc}", file=sys.stderr)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            self._admit(worker)
            return

    async def close(self) -> None:
        self.closing = True
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(w.stop() for w in self.workers), return_exceptions=True)
        self.workers.clear()
        await self.template.close()
        shutil.rmtree(self.directory, ignore_errors=True)
