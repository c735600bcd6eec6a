"""Progress bars: drawn on a terminal for load and build, silent in a pipe, and the file
offset they follow read from /proc."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from graph_builder import progress
from graph_builder.progress import bars, progress_bar, read_position, reading
from graph_builder.project import Project
from tests.conftest import on_terminal, run_cli


def test_nothing_is_drawn_when_stderr_is_no_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar("counting", 3, "things") as advance:
        advance(3)
    with bars() as drawn:
        assert drawn.silent
        drawn.stage("more")(1)
    assert capsys.readouterr() == ("", "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_read_position_follows_an_open_file(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(b"x" * 5000)
    assert read_position(path) is None
    with open(path, "rb") as handle:
        handle.raw.read(1234)
        assert read_position(path) == 1234


def test_reading_draws_the_mebibytes_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A bar over a file another library reads: advanced from the offset, watcher stopped."""
    path = tmp_path / "data.nt"
    path.write_bytes(b"x" * (3 * progress.MIB))
    advanced: list[int] = []
    offsets = iter([progress.MIB, 3 * progress.MIB])
    monkeypatch.setattr(progress, "read_position", lambda p: next(offsets, 3 * progress.MIB))
    monkeypatch.setattr(progress, "POLL_SECONDS", 0.01)

    class Drawn:
        silent = False

        def stage(self, label: str, total: int | None = None, unit: str = "") -> object:
            assert (label, total, unit) == ("loading", 3, "MiB")
            return advanced.append

    before = threading.active_count()
    with reading(Drawn(), "loading", path):  # type: ignore[arg-type]
        while sum(advanced) < 3:
            threading.Event().wait(0.01)
    assert advanced == [1, 2]
    assert threading.active_count() == before


def test_load_draws_a_bar_per_file_on_a_terminal(scratch: Project, tmp_path: Path) -> None:
    store = tmp_path / "store"
    proc, drawn = on_terminal("load", "--store", str(store), "--root", str(scratch.root))
    assert proc.returncode == 0
    assert "building" in drawn  # the graph from data/, then its file loaded
    assert "triples ->" in proc.stdout.decode() and "building" not in proc.stdout.decode()


def test_load_and_build_say_nothing_on_stderr_in_a_pipe(scratch: Project, tmp_path: Path) -> None:
    result = run_cli("load", "--store", str(tmp_path / "store"), "--root", str(scratch.root))
    assert result.returncode == 0 and result.stderr == ""
    result = run_cli("build", "--root", str(scratch.root))
    assert result.returncode == 0 and result.stderr == ""
    assert os.path.getsize(scratch.graph_file) > 0
