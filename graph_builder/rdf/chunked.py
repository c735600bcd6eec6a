"""Sorted N-Triples of a graph too big to hold at once: built in chunks, each sorted to a
file, then merged.

`export_graph(graph, "nt", path)` holds the whole rdflib Graph, a sorted copy and the
bytes at once (0.6 MiB per synthetic hospital: 18 GB at 30,000). Here the caller builds
one chunk's Graph at a time (a part of the dataset, by the real GraphBuilder); its lines
are sorted and written to a temporary file, and the graph is dropped. `heapq.merge` then
reads every chunk file at once, drops the lines several chunks share (places, shared
institutions, the dataset node), and streams the rest into the target's temporary file,
renamed over the target at the end (atomic_files.open_atomic). Memory holds one chunk's
graph; the chunk files sit in a temporary directory beside the target, removed on
success, failure and Ctrl+C alike.

The result is byte for byte what `export_graph` writes for the union of the chunk graphs,
because sorting these lines orders them as `export.canonical` orders triples (by the
n3() text of subject, predicate, object). Subjects and predicates are IRIs, `<...>`,
and '>' occurs in no IRI, so no subject's text is a prefix of another's; what follows
an object in a line (" .") sorts before anything that could continue one (a language
tag's "-", "^^", "@"); and a literal's N-Triples text is its n3() text unless it holds a
line break (n3() then writes triple quotes), which `nt_line` refuses. Whether the union
of the chunk graphs is the whole graph is the caller's business (ingest/synthetic.py).
"""

from __future__ import annotations

import glob
import heapq
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rdflib import Graph, Literal
from rdflib.plugins.serializers.nt import _nt_row

from graph_builder.atomic_files import open_atomic, pid_running, real_target
from graph_builder.progress import Advance

#: Lines between two calls of a merge's progress callback (a call per line costs seconds).
ADVANCE_EVERY = 1 << 16


@dataclass(frozen=True)
class Written:
    """What a merge wrote: distinct triples and bytes."""

    triples: int
    bytes: int


def nt_line(triple: tuple[object, object, object]) -> bytes:
    """The triple's line as rdflib's N-Triples writer writes it."""
    obj = triple[2]
    if isinstance(obj, Literal) and ("\n" in obj or "\r" in obj):
        raise ValueError(
            f"chunked N-Triples cannot order a literal with a line break: {obj[:60]!r}"
        )
    return _nt_row(triple).encode("utf-8")  # type: ignore[arg-type]


class ChunkedNTriples:
    """Collects chunk graphs as sorted files, then merges them into one N-Triples file.

    Use as a context manager (it owns the temporary directory): `add` each chunk's graph,
    then `merge` once.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.chunks: list[Path] = []
        self.lines = 0  # in all chunk files, shared lines counted in each
        self._directory: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> ChunkedNTriples:
        real = real_target(self.target)
        real.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_chunks(real)
        # Beside the target (same disk; /tmp may be memory), named unlike atomic_files'
        # temporaries so that their clean-up never meets a directory.
        self._directory = tempfile.TemporaryDirectory(
            prefix=f"{_chunks_prefix(real)}{os.getpid()}-", dir=real.parent
        )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def add(self, graph: Graph) -> int:
        """Write the graph's lines, sorted, as the next chunk; returns how many."""
        if self._directory is None:
            raise RuntimeError("ChunkedNTriples.add outside its with block")
        lines = sorted({nt_line(t) for t in graph})
        path = Path(self._directory.name) / f"chunk-{len(self.chunks):05d}.nt"
        with open(path, "wb") as handle:
            handle.writelines(lines)
        self.chunks.append(path)
        self.lines += len(lines)
        return len(lines)

    def merge(self, advance: Advance | None = None) -> Written:
        """Merge the chunks into the target, each line once; `advance` counts lines read."""
        triples = size = 0
        with open_atomic(self.target) as out:
            for line in _merged(self.chunks, advance):
                out.write(line)
                triples += 1
                size += len(line)
        return Written(triples, size)


def _chunks_prefix(target: Path) -> str:
    return f".{target.name[:100]}.chunks-"


def remove_stale_chunks(target: Path) -> None:
    """Remove the chunk directories of writers of `target` that were killed (their PID,
    in the name, no longer runs): Ctrl+C and errors clean up; SIGKILL cannot."""
    prefix = _chunks_prefix(target)
    for path in target.parent.glob(f"{glob.escape(prefix)}*"):
        pid = path.name[len(prefix) :].partition("-")[0]
        if path.is_dir() and pid.isdigit() and not pid_running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _merged(chunks: list[Path], advance: Advance | None) -> Iterator[bytes]:
    """The chunk files' lines in order, each distinct line once."""
    handles = [open(path, "rb", buffering=1 << 20) for path in chunks]  # noqa: SIM115
    try:
        previous = b""
        read = 0
        for line in heapq.merge(*handles):
            read += 1
            if advance is not None and read == ADVANCE_EVERY:
                advance(read)
                read = 0
            if line != previous:
                yield line
                previous = line
        if advance is not None and read:
            advance(read)
    finally:
        for handle in handles:
            handle.close()
