"""Persistent Oxigraph stores on disk: written once by `hospital-kg load`, read by `serve --store`.

A store is the directory of RocksDB files pyoxigraph keeps a dataset in
(`Store(path)` writes it, `Store.read_only(path)` reads it). Loading one takes
seconds at national scale (1M triples); opening it again takes milliseconds and
no memory for the triples, so a server started on a store is up at once.

Writing never leaves a half-written store. The files are loaded into a temporary
directory beside the target (`.NAME.hkg-PID-XXXXXXXX.tmp`, the same naming as
atomic_files.py, so one left by a killed run is removed by the next), which takes
the target's name only once every file has loaded. An existing target must be an
Oxigraph store (it is replaced) or an empty directory; anything else is refused
before any work.

A server reading a store holds a shared lock on its directory (`flock`) for as long
as it runs; replacing a store takes an exclusive one. So `load` refuses a store a
server is reading (deleting files under its workers would break them), and a
server refuses a store that is being replaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph_builder.atomic_files import nearest_existing, stale_temps, temp_prefix
from graph_builder.errors import DataError, HospitalKgError, UsageError
from graph_builder.rdf.formats import RdfFormat

#: Every RocksDB database has this file; a directory without it is no store.
MARKER = "CURRENT"


@dataclass(frozen=True)
class Loaded:
    """What `write_store` wrote: quads in all, the named graphs among them, seconds taken."""

    quads: int
    named_graphs: int
    seconds: float


class StoreInUse(HospitalKgError):
    """The store is locked: a server reads it, or a load is replacing it."""


def looks_like_store(directory: Path) -> bool:
    """A directory holding a RocksDB database (cheap; `open_read_only` tells for sure)."""
    return directory.is_dir() and (directory / MARKER).is_file()


def open_read_only(directory: Path) -> ox.Store:
    """The store in `directory`, read-only; UsageError naming it if it is not one."""
    check_store(directory)
    try:
        return ox.Store.read_only(str(directory))
    except OSError as exc:
        raise DataError(
            directory, None, f"not a readable Oxigraph store: {' '.join(str(exc).split())}"
        ) from None


def check_store(directory: Path) -> None:
    """Refuse, before any work, a `--store` to read that is no store directory."""
    if not os.path.lexists(directory):
        raise UsageError(
            f"--store: no such store: {directory} (write one with hospital-kg load --store)"
        )
    if not directory.is_dir():
        raise UsageError(f"--store: {directory} is a file, not a store directory")
    if not looks_like_store(directory):
        raise UsageError(
            f"--store: {directory} is not an Oxigraph store (it has no {MARKER} file); "
            "write one with hospital-kg load --store"
        )


def check_target(directory: Path) -> Path:
    """The directory a load should write, checked before any work: symlinks followed; a
    file, a non-empty directory that is not a store, or a path under a file is refused."""
    target = Path(os.path.realpath(directory))
    if target.is_symlink():  # realpath stops at a loop
        raise UsageError(f"--store: cannot write {directory}: its symlinks form a loop")
    if os.path.lexists(target):
        if not target.is_dir():
            raise UsageError(f"--store: {directory} is a file, not a store directory")
        if not looks_like_store(target) and any(target.iterdir()):
            raise UsageError(
                f"--store: {directory} exists and is not an Oxigraph store; "
                "give a new or empty directory, or a store to replace"
            )
    ancestor = nearest_existing(target.parent)
    if not ancestor.is_dir():
        raise UsageError(f"--store: cannot write {directory}: {ancestor} is not a directory")
    return target


@contextlib.contextmanager
def locked(directory: Path, *, shared: bool) -> Iterator[None]:
    """Hold a lock on `directory` (shared: a reader; exclusive: a writer), or StoreInUse."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:  # nothing there yet: nothing to lock
        yield
        return
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            if shared:
                raise StoreInUse(
                    f"--store: {directory} is being replaced by hospital-kg load; "
                    "try again when it has finished"
                ) from None
            raise StoreInUse(
                f"--store: {directory} is in use by a running hospital-kg serve "
                "(or another load); stop it first, or load into another directory"
            ) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_store(directory: Path, sources: Sequence[tuple[Path, RdfFormat]]) -> Loaded:
    """Load every (file, format) into a new store at `directory`, replacing a store there.

    Triples go to the default graph; quads (N-Quads, TriG) to their named graphs.
    A file that does not parse is one DataError naming it, and nothing is written.
    """
    started = time.perf_counter()
    target = check_target(directory)
    for path, _ in sources:
        if not path.is_file():
            raise UsageError(f"--data: no such file: {path}")
    with locked(target, shared=False):
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target)
        temp = Path(tempfile.mkdtemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent))
        try:
            os.chmod(temp, 0o777 & ~_umask())
            quads, named = _fill(temp, sources)
            _swap(temp, target)
        finally:
            shutil.rmtree(temp, ignore_errors=True)  # gone after the swap; left by a failure
    return Loaded(quads, named, time.perf_counter() - started)


def _fill(directory: Path, sources: Sequence[tuple[Path, RdfFormat]]) -> tuple[int, int]:
    """Bulk-load the files into a new store in `directory`, compact it, close it."""
    store = ox.Store(str(directory))
    try:
        for path, fmt in sources:
            try:
                store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph))
            except SyntaxError as exc:
                message = " ".join(str(exc.msg if exc.msg else exc).split())
                raise DataError(path, exc.lineno, message) from None
        store.optimize()
        store.flush()
        return len(store), sum(1 for _ in store.named_graphs())
    finally:
        del store  # closes the database (and its lock) before the directory is renamed


def _swap(temp: Path, target: Path) -> None:
    """Give `temp` the target's name; an old store (or empty directory) there is removed."""
    if not os.path.lexists(target):
        os.rename(temp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent))
    os.rename(target, old)  # replaces the empty directory just made
    try:
        os.rename(temp, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_temps(target: Path) -> None:
    """Remove the temporary stores killed loads of `target` left behind."""
    for stale in stale_temps(target):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
