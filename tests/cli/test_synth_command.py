"""`synth`: writes under the project it is given, and refuses sizes memory cannot hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.cli import synth_command
from graph_builder.cli.synth_command import (
    available_memory,
    check_memory,
    memory_needed,
)
from graph_builder.errors import UsageError
from tests.conftest import REPO, on_terminal, run_cli


def test_the_default_output_is_the_projects_build_directory(scratch, tmp_path: Path) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    result = run_cli("synth", "--hospitals", "1", "--root", str(scratch.root), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (scratch.build_dir / "national.nt").stat().st_size > 0
    assert list(elsewhere.iterdir()) == []


def test_available_memory_reads_memavailable(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:  4000 kB\nMemFree:  100 kB\nMemAvailable:  2048 kB\n")
    assert available_memory(meminfo) == 2048 * 1024


def test_available_memory_falls_back_to_free_pages(tmp_path: Path) -> None:
    fallback = available_memory(tmp_path / "no-meminfo")
    assert fallback is None or fallback > 0


def test_a_size_past_free_memory_is_refused_with_the_most_that_fits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    free = 2 * 1024**3
    monkeypatch.setattr(synth_command, "available_memory", lambda: free)
    check_memory(1000, "nt")  # under 1 GiB
    for fmt, size in (("ttl", 5000), ("jsonld", 5000), ("nt", 50_000)):
        fits = max(n for n in range(1, 60_000) if memory_needed(n, fmt) <= free)
        check_memory(fits, fmt)
        with pytest.raises(UsageError, match=rf"{size:,} hospitals need .* at most {fits:,} fit"):
            check_memory(size, fmt)
    assert memory_needed(5000, "jsonld") > memory_needed(5000, "ttl")


def test_streamed_nt_needs_a_fraction_of_the_whole_graphs_memory() -> None:
    """30,000 hospitals (~10M triples) as N-Triples within 8 GB; a smaller chunk, less."""
    assert memory_needed(30_000, "nt") < 4 * 1024**3
    assert memory_needed(30_000, "ttl") > 16 * 1024**3
    assert memory_needed(30_000, "nt", chunk=100) < memory_needed(30_000, "nt")
    assert memory_needed(50, "nt", chunk=100) == memory_needed(50, "nt", chunk=1000)


def test_unknown_free_memory_refuses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth_command, "available_memory", lambda: None)
    check_memory(10**12, "nt")


@pytest.mark.parametrize("suffix", [".nt", ".jsonld", ".ttl"])
def test_the_estimate_covers_a_measured_run(tmp_path: Path, suffix: str) -> None:
    """The constants came from peak RSS at 300-3,000 hospitals; a small run stays under too."""
    hospitals = 100
    out = tmp_path / f"national{suffix}"
    code = (
        "import resource, sys\n"
        "from graph_builder.cli.app import main\n"
        "try:\n"
        f"    main(['synth', '--hospitals', '{hospitals}', '--output', sys.argv[1]])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(out)], capture_output=True, text=True, cwd=REPO
    )
    assert run.returncode == 0, run.stderr
    peak = int(run.stdout.split()[-1]) * 1024  # ru_maxrss is in KiB on Linux
    assert peak < memory_needed(hospitals, suffix[1:])


def test_chunked_cli_output_is_the_same_file_and_says_nothing_on_stderr(tmp_path: Path) -> None:
    """--chunk changes how much is built at a time, not a byte; no bar in a pipe."""
    runs = {}
    for chunk in ("4", "1000"):
        out = tmp_path / f"national-{chunk}.nt"
        result = run_cli("synth", "--hospitals", "9", "--chunk", chunk, "--output", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        runs[chunk] = out.read_bytes()
        lines = runs[chunk].count(b"\n")
        assert f"{lines:,} triples (9 hospitals" in result.stdout
    assert runs["4"] == runs["1000"]


def test_progress_bars_on_a_terminal_only(tmp_path: Path) -> None:
    """With stderr on a pseudo-terminal: the stages are drawn there; stdout has none."""
    out = tmp_path / "national.nt"
    proc, drawn = on_terminal("synth", "--hospitals", "12", "--chunk", "5", "--output", str(out))
    assert proc.returncode == 0
    for stage in ("generating", "building", "merging"):
        assert stage in drawn
        assert stage not in proc.stdout.decode()
