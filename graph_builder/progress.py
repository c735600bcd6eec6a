"""Progress bars for long steps (synth, build, load, serve start-up, push), on a terminal only.

A bar is drawn on stderr only when stderr is a terminal: piped or captured output
(scripts, tests, CI logs) stays exactly what the command prints, with no escape codes.
Every command uses this one module, so they all look alike and all stay silent alike.
rich is imported only when a bar is drawn, so a silent run pays nothing for it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

MIB = 1 << 20
#: How often a bar over a file another library reads looks at its offset.
POLL_SECONDS = 0.2
#: Told how many more units (hospitals, triples, bytes ...) are done.
Advance = Callable[[int], None]


def _silent(done: int) -> None:
    """The advance of a bar that is not drawn."""


def on_terminal() -> bool:
    """Whether bars are drawn: stderr is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


class Bars:
    """Several bars, one per stage, drawn together (or none, when not on a terminal)."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress

    @property
    def silent(self) -> bool:
        return self._progress is None

    def stage(self, label: str, total: int | None = None, unit: str = "") -> Advance:
        """A new bar `label` of `total` units (None: a count with no end); its advance."""
        progress = self._progress
        if progress is None:
            return _silent
        task = progress.add_task(label, total=total, unit=unit)
        return lambda done: progress.advance(task, done)


@contextmanager
def bars() -> Iterator[Bars]:
    """Bars on stderr while the block runs, removed when it ends (transient)."""
    if not on_terminal():
        yield Bars(None)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Bars(progress)


@contextmanager
def progress_bar(label: str, total: int | None, unit: str = "") -> Iterator[Advance]:
    """One bar of `total` units: its advance (a no-op when stderr is no terminal)."""
    with bars() as drawn:
        yield drawn.stage(label, total, unit)


def read_position(path: str | os.PathLike[str], pid: str = "self") -> int | None:
    """How far a process has read `path` (the offset of the descriptor it has open on it,
    from /proc on Linux); None when it has none open, or elsewhere."""
    target = os.path.realpath(path)
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in descriptors:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != target:
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
                for line in info:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return None


@contextmanager
def reading(drawn: Bars, label: str, path: str | os.PathLike[str]) -> Iterator[None]:
    """A bar of the bytes of `path` read while the block runs, for readers that take a path
    and report nothing (pyoxigraph's bulk_load: it releases the GIL, so a thread can watch
    the file's offset; reading a file object instead would cost it a third of its speed)."""
    if drawn.silent:
        yield
        return
    size = os.path.getsize(path)
    advance = drawn.stage(label, max(size, 1) // MIB, "MiB")
    stop = threading.Event()

    def watch() -> None:
        shown = 0
        while not stop.wait(POLL_SECONDS):
            position = read_position(path)
            if position is not None and position // MIB > shown:
                advance(position // MIB - shown)
                shown = position // MIB

    watcher = threading.Thread(target=watch, name="progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
