"""`synth`: write the synthetic national graph for benchmarks and large views."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from graph_builder.cli.options import RootOption, open_project
from graph_builder.cli.output_paths import output_file, output_option
from graph_builder.errors import UsageError, display_path
from graph_builder.ingest.synthetic import synthetic_graph
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
    root: RootOption = None,
) -> None:
    """Generate a seeded synthetic national graph in our ontology (data only, no ontology)."""
    project = open_project(root)
    target = output_file(output, project.build_dir / "national.nt")
    fmt = format_of(target, write=True)
    check_memory(hospitals, fmt.name)
    started = time.perf_counter()
    graph = synthetic_graph(hospitals, seed, project)
    size = export_graph(graph, fmt, target)
    elapsed = time.perf_counter() - started
    typer.echo(
        f"{len(graph):,} triples ({hospitals} hospitals, seed {seed}), {size:,} bytes "
        f"-> {display_path(target)} ({elapsed:.1f} s)"
    )


def bytes_per_hospital(fmt: str) -> int:
    return BYTES_PER_HOSPITAL.get(fmt, BYTES_PER_HOSPITAL_DEFAULT)


def memory_needed(hospitals: int, fmt: str) -> int:
    """Bytes of memory generating `hospitals` hospitals and writing them as `fmt` takes."""
    return BASE_BYTES + hospitals * bytes_per_hospital(fmt)


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


def check_memory(hospitals: int, fmt: str) -> None:
    """Refuse, before any work, a size this machine's free memory cannot hold: past it
    the generator would grow until the system kills it (or something else)."""
    available = available_memory()
    needed = memory_needed(hospitals, fmt)
    if available is None or needed <= available:
        return
    most = max(0, (available - BASE_BYTES) // bytes_per_hospital(fmt))
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
