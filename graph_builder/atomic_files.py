"""Writing files so that a failed run leaves nothing half-written behind.

Each write goes to a temporary file beside its target, which is then renamed over
the target. Temporary files are named `.NAME.hkg-PID-XXXXXXXX.tmp`, so ours are
recognisable: one left behind by a writer that was killed (its PID no longer
running) is removed the next time that target is written.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from graph_builder.errors import UsageError

#: Marks our temporary files among anything else beside the target.
TEMP_TAG = "hkg"
#: Most characters of the target's name kept in its temporary's name (NAME_MAX is 255).
TEMP_NAME_CHARS = 100


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: never half-written.

    A symlink at `path` is written through (its target is replaced, the link kept);
    an existing file keeps its permission bits, a new one gets 0666 less the umask.
    Errors name `path`, the file asked for, not its temporary sibling.
    """
    with open_atomic(path) as handle, _naming(path):
        handle.write(data)


@contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary file to stream what `path` will hold: it takes `path`'s name only when the
    block ends without an error (as `write_atomic`), so a failure or Ctrl+C midway leaves
    `path` as it was and no temporary file behind."""
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory")
    target = real_target(path)
    with _naming(path):
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target)
        mode = _mode_for(target)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            with _naming(path):
                handle.flush()
                os.fsync(handle.fileno())
        with _naming(path):
            os.chmod(tmp, mode)
            os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)  # gone after the rename; left only by a failure


def check_writable(path: Path) -> None:
    """Refuse, before any work, a path that cannot become a file: a directory, a path
    under a file, a directory where no file can be created (read-only, not ours, /sys).

    The last is found by creating and removing a temporary file there, because
    `os.access` says yes to root everywhere. The write itself reports anything else.
    """
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory")
    target = real_target(path)
    ancestor = nearest_existing(target.parent)
    if not ancestor.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{ancestor} is not a directory", str(path))
    with _naming(path):
        fd, probe = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=ancestor)
    os.close(fd)
    os.unlink(probe)


def nearest_existing(directory: Path) -> Path:
    """`directory` or its nearest ancestor that exists: where a write would create the rest."""
    for candidate in (directory, *directory.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(".")


def real_target(path: Path) -> Path:
    """The file a write to `path` should replace: the end of its symlinks, if any."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath stops at a loop
        raise UsageError(f"cannot write {path}: its symlinks form a loop")
    if target.is_dir():
        raise UsageError(f"cannot write {path}: it links to a directory")
    return target


def temp_prefix(target: Path, pid: int | None = None) -> str:
    """`.NAME.hkg-PID-`: the start of the temporary files a process writes for `target`."""
    return f".{target.name[:TEMP_NAME_CHARS]}.{TEMP_TAG}-{os.getpid() if pid is None else pid}-"


def stale_temps(target: Path) -> list[Path]:
    """Our temporary files for `target` whose writer is no longer running."""
    pattern = re.compile(
        rf"\.{re.escape(target.name[:TEMP_NAME_CHARS])}\.{TEMP_TAG}-(\d+)-\w+\.tmp"
    )
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    matches = ((name, pattern.fullmatch(name)) for name in names)
    return [
        target.parent / name
        for name, match in matches
        if match is not None and not pid_running(int(match.group(1)))
    ]


def remove_stale_temps(target: Path) -> None:
    """Remove what killed writers of `target` left behind (see `stale_temps`)."""
    for stale in stale_temps(target):
        stale.unlink(missing_ok=True)


def pid_running(pid: int) -> bool:
    """Whether a process `pid` exists (signal 0 checks without signalling)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    except OverflowError:  # not a PID this system can have
        return False
    return True


def _mode_for(target: Path) -> int:
    """The permission bits the written file gets: the existing file's, else the umask's."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Re-raise an OSError as naming `path`, the file asked for, not a temporary sibling."""
    try:
        yield
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the run as Ctrl+C does, so temporary files and a half-written
    output are removed on the way out (Python's default for SIGTERM removes nothing)."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
