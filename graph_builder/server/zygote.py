"""The template process: loads the graph once, then forks query workers that share it.

Starting a query worker used to mean a new interpreter loading the whole graph:
seconds per worker at national scale (1M triples), paid again after every query
killed for time or memory, and once more per worker in memory. This process loads
the graph once (or, for `serve --store`, opens the on-disk store read-only: nothing
is loaded, and the workers read the same files), locks itself in (no network:
sandbox.py; every child inherits the seccomp filter), and forks a worker on request:
the worker shares the loaded graph (or the open store) copy-on-write, is ready in
milliseconds, and then sets its own priority and memory cap. The template never runs
a query itself; it only counts the triples for the banner. (RocksDB starts idle
background threads when a store opens; a fork copies only the forking thread, which
is safe here because a read-only database never schedules work on them, and the
template takes no lock of the store's between opening it and forking.)

Run as `python -m graph_builder.server.zygote`. The server sends the configuration,
then `spawn` requests, on stdin; each child connects back to the server's Unix
socket, introduces itself (`hello`, with the request id and its pid) and answers
jobs there. This process reports, on stdout, each spawn (`spawned`) and each
child's exit status (`exited`): a status of SIGABRT or OUT_OF_MEMORY tells the
server a query passed the memory cap.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from typing import Any, BinaryIO

import pyoxigraph as ox

from .sandbox import PARENT_ENV, die_with_parent, limit_memory, lower_priority
from .wire import pack, read_message
from .worker import answer_jobs, prepare


def send(fd: int, message: dict[str, Any]) -> None:
    """One write of a whole message (a few hundred bytes, under PIPE_BUF: atomic), with no
    buffer in between, so the SIGCHLD handler may send while the main loop is sending."""
    data = pack(message)
    try:
        while data:
            data = data[os.write(fd, data) :]
    except BrokenPipeError:  # the server is gone: so is the reason to go on
        os._exit(0)


class Template:
    """The loaded store, the control pipe back to the server, and the children's exits."""

    def __init__(self, store: ox.Store, config: dict[str, Any], out_fd: int) -> None:
        self.store, self.config, self.out_fd = store, config, out_fd

    def send(self, message: dict[str, Any]) -> None:
        send(self.out_fd, message)

    def reap(self, _signum: int = 0, _frame: object = None) -> None:
        """SIGCHLD: report every child that ended, with its exit status."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.send({"exited": pid, "code": os.waitstatus_to_exitcode(status)})

    def spawn(self, request: dict[str, Any]) -> None:
        template = os.getpid()
        pid = os.fork()
        if pid == 0:
            os._exit(self.child(request, template))
        self.send({"spawned": request["spawn"], "pid": pid})

    def child(self, request: dict[str, Any], template: int) -> int:
        """In the forked worker: die with the template, own priority and memory cap, then
        answer jobs."""
        try:
            die_with_parent(template)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers
            os.close(0)
            os.close(self.out_fd)
            lower_priority(int(request.get("nice", 0)))
            if self.config.get("max_memory"):
                limit_memory(int(self.config["max_memory"]))
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(request["socket"])
                inp, out = sock.makefile("rb"), sock.makefile("wb")
                out.write(pack({"hello": request["spawn"], "pid": os.getpid()}))
                out.flush()
                return answer_jobs(self.store, self.config, inp, out)
        except BaseException as exc:  # nothing may escape into the template's own loop
            print(f"hospital-kg serve: a query worker failed: {exc!r}", file=sys.stderr)
            return 1


def serve(inp: BinaryIO, out_fd: int) -> int:
    first = read_message(inp)
    if first is None:
        return 0
    config, _ = first
    store, ready = prepare(config)
    send(out_fd, ready)
    if store is None:
        return 1
    template = Template(store, config, out_fd)
    signal.signal(signal.SIGCHLD, template.reap)
    while (message := read_message(inp)) is not None:
        if "spawn" in message[0]:
            template.spawn(message[0])
    return 0


def main() -> None:
    die_with_parent(int(os.environ.get(PARENT_ENV, os.getppid())))
    # Keep the control pipe private: anything a library prints goes to stderr.
    out_fd = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C reaches the whole process group
        raise SystemExit(serve(sys.stdin.buffer, out_fd))


if __name__ == "__main__":
    main()
