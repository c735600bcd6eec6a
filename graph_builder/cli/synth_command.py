"""`synth`: write the synthetic national graph for benchmarks and large views."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.atomic_files import sigterm_as_interrupt
from graph_builder.cli.options import RootOption, open_project
from graph_builder.cli.output_paths import output_file, output_option
from graph_builder.errors import UsageError, display_path
from graph_builder.ingest.synthetic import CHUNK_HOSPITALS, synthetic_graph, write_synthetic_nt
from graph_builder.progress import bars, progress_bar
from graph_builder.rdf.export import export_graph
from graph_builder.rdf.formats import format_of

#: Peak memory `synth` needs per hospital, by the format it writes, and at any size.
#: Measured on this machine (Python 3.11.7, rdflib 7, 2 cores, 24 GB) as the peak RSS
#: (`ru_maxrss`) of `hospital-kg synth` in a fresh process at 300, 1,000 and 3,000
#: hospitals for each suffix. Peaks at 3,000: 1,898 MiB (.nt), 1,783 (.ttl), 1,833 (.rdf),
#: 2,420 (.jsonld); at 300: 278, 268, 270, 354; 100 MiB at one hospital. Slopes per
#: hospital: 0.56-0.62 MiB (.nt .ttl .rdf) and 0.74-0.84 MiB (.jsonld, whose writer holds a
#: JSON tree as well). The constants round the steepest slope and the intercept up, so
#: the estimate stays above every measurement: the graph, its sorted copy and its bytes.
#: The intercept has room for the interpreter's own variation: 100-hospital runs peak at
#: 227-232 MiB on an idle machine, but one under a loaded machine (the whole test suite
#: and two other builds beside it) peaked at 325 MiB, over the 324 MiB of an intercept of
#: 256 MiB; so 384.
BYTES_PER_HOSPITAL = {"jsonld": 880 * 1024}
BYTES_PER_HOSPITAL_DEFAULT = 700 * 1024
BASE_BYTES = 384 * 1024 * 1024

#: Formats `synth` writes a chunk at a time (rdf/chunked.py); the others build it whole.
STREAMED = frozenset({"nt"})
#: Peak memory of the streamed N-Triples write: the model of every hospital (kept until
#: the merge), one chunk's graph, and the interpreter. Measured as for the constants
#: above (peak RSS of `hospital-kg synth` in a fresh process, chunks of 1,000): 293 MiB at
#: 300 hospitals (one chunk), 680 at 3,000, 1,507 at 30,000 (10.46M triples; the whole
#: graph in memory would need about 20 GB). So about 31 KiB per hospital beyond the first
#: chunk and about 0.43 MiB per hospital of a chunk; the constants double the first and
#: round up the second, with the same intercept as above (the estimate is 2.7 GiB at
#: 30,000).
MODEL_BYTES_PER_HOSPITAL = 64 * 1024
CHUNK_BYTES_PER_HOSPITAL = 512 * 1024
STREAMED_BASE_BYTES = 384 * 1024 * 1024


def synth(
    hospitals: Annotated[
        int, typer.Option(help="MCH hospitals (3000 gives ~1M triples).", min=1)
    ] = 3000,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same graph.")
    ] = 42,
    output: Annotated[
        str | None,
        output_option(
            "RDF file to write; its suffix names the format "
            "(default: build/national.nt; DIR/ writes it in DIR)."
        ),
    ] = None,
    chunk: Annotated[
        int,
        typer.Option(
            "--chunk",
            help="Hospitals built at a time when writing N-Triples (memory per chunk: "
            "about 0.45 MiB a hospital).",
            min=1,
        ),
    ] = CHUNK_HOSPITALS,
    root: RootOption = None,
) -> None:
    """Generate a seeded synthetic national graph in our ontology (data only, no ontology).

    N-Triples (.nt) is streamed: built --chunk hospitals at a time, then merged (bounded memory).

    Other formats build the whole graph in memory (about 0.7 MiB a hospital).
    """
    project = open_project(root)
    target = output_file(output, project.build_dir / "national.nt")
    fmt = format_of(target, write=True)
    check_memory(hospitals, fmt.name, chunk)
    started = time.perf_counter()
    if fmt.name in STREAMED:
        with bars() as drawn, sigterm_as_interrupt():
            written = write_synthetic_nt(target, hospitals, seed, project, chunk, drawn)
        triples, size = written.triples, written.bytes
    else:
        with progress_bar("building", None, "graph"):
            graph = synthetic_graph(hospitals, seed, project)
            size = export_graph(graph, fmt, target)
        triples = len(graph)
    elapsed = time.perf_counter() - started
    typer.echo(
        f"{triples:,} triples ({hospitals} hospitals, seed {seed}), {size:,} bytes "
        f"-> {display_path(target)} ({elapsed:.1f} s)"
    )


def bytes_per_hospital(fmt: str) -> int:
    return BYTES_PER_HOSPITAL.get(fmt, BYTES_PER_HOSPITAL_DEFAULT)


def memory_needed(hospitals: int, fmt: str, chunk: int = CHUNK_HOSPITALS) -> int:
    """Bytes of memory generating `hospitals` hospitals and writing them as `fmt` takes
    (`chunk` hospitals at a time for a streamed format)."""
    if fmt in STREAMED:
        return (
            STREAMED_BASE_BYTES
            + hospitals * MODEL_BYTES_PER_HOSPITAL
            + min(hospitals, chunk) * CHUNK_BYTES_PER_HOSPITAL
        )
    return BASE_BYTES + hospitals * bytes_per_hospital(fmt)


def most_that_fit(available: int, fmt: str, chunk: int = CHUNK_HOSPITALS) -> int:
    """The most hospitals `memory_needed` puts within `available` bytes (0 if none)."""
    low, high = 0, 1
    while memory_needed(high, fmt, chunk) <= available:
        low, high = high, high * 2
    while high - low > 1:  # memory_needed(low) fits (or low is 0), memory_needed(high) not
        middle = (low + high) // 2
        if memory_needed(middle, fmt, chunk) <= available:
            low = middle
        else:
            high = middle
    return low


def available_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Bytes of memory free for a new process: MemAvailable, else free pages; None if unknown."""
    if meminfo.is_file():
        for line in meminfo.read_text(encoding="ascii", errors="replace").splitlines():
            name, _, value = line.partition(":")
            words = value.split()
            if name == "MemAvailable" and words and words[0].isdigit():
                return int(words[0]) * 1024
    names = os.sysconf_names
    if "SC_AVPHYS_PAGES" in names and "SC_PAGE_SIZE" in names:
        pages, page_size = os.sysconf("SC_AVPHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        if pages > 0 and page_size > 0:
            return pages * page_size
    return None


def check_memory(hospitals: int, fmt: str, chunk: int = CHUNK_HOSPITALS) -> None:
    """Refuse, before any work, a size this machine's free memory cannot hold: past it
    the generator would grow until the system kills it (or something else)."""
    available = available_memory()
    needed = memory_needed(hospitals, fmt, chunk)
    if available is None or needed <= available:
        return
    most = most_that_fit(available, fmt, chunk)
    raise UsageError(
        f"--hospitals: {hospitals:,} hospitals need about {_gib(needed)} of memory and "
        f"{_gib(available)} is available; at most {most:,} fit"
    )


def _gib(size: int) -> str:
    return f"{size / 1024**3:,.1f} GiB"


def register(app: typer.Typer) -> None:
    app.command(
        epilog="Examples: hospital-kg synth --hospitals 300 --output build/national-300.nt | "
        "hospital-kg synth  (3,000 hospitals, ~1M triples)"
    )(synth)
