"""Output files: written whole or not at all, in place of what was there (its mode, through
its symlink), with `--output dir/` meaning "the default name inside dir"."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.atomic_files import (
    check_writable,
    pid_running,
    stale_temps,
    temp_prefix,
    write_atomic,
)
from graph_builder.errors import UsageError
from tests.conftest import REPO, run_cli


def dead_pid() -> int:
    """The PID of a process that has ended (reaped, so no longer running)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- write_atomic ------------------------------------------------------------


def test_overwriting_keeps_the_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "private.ttl"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.ttl", b"x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.ttl") == 0o640


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.ttl"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to("real.ttl")
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == "real.ttl"
    assert real.read_bytes() == b"new" and mode(real) == 0o640


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.ttl"
    link.symlink_to(tmp_path / "elsewhere" / "kg.ttl")
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert (tmp_path / "elsewhere" / "kg.ttl").read_bytes() == b"new"


def test_a_symlink_loop_or_a_link_to_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    (tmp_path / "dir").mkdir()
    (tmp_path / "to-dir").symlink_to("dir")
    with pytest.raises(UsageError, match="its symlinks form a loop"):
        write_atomic(tmp_path / "a", b"x")
    with pytest.raises(UsageError, match="it is a directory"):
        write_atomic(tmp_path / "to-dir", b"x")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kg.ttl"
    target.write_bytes(b"old")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left") as caught:
        write_atomic(target, b"new")
    assert caught.value.filename == str(target)  # the file asked for, not the temporary
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.ttl"]


def test_temporary_names_carry_the_writers_pid(tmp_path: Path) -> None:
    assert temp_prefix(tmp_path / "kg.ttl") == f".kg.ttl.hkg-{os.getpid()}-"
    assert temp_prefix(tmp_path / ("x" * 300)).startswith("." + "x" * 100 + ".hkg-")


def test_stale_temporaries_of_dead_writers_are_removed_on_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "kg.ttl"
    dead = tmp_path / f".kg.ttl.hkg-{dead_pid()}-abc123_x.tmp"
    alive = tmp_path / f".kg.ttl.hkg-{os.getpid()}-def456.tmp"  # a write under way
    other_target = tmp_path / f".other.ttl.hkg-{dead_pid()}-abc123.tmp"
    not_ours = tmp_path / ".kg.ttl.xyz.tmp"
    for path in (dead, alive, other_target, not_ours):
        path.write_bytes(b"partial")
    assert stale_temps(target) == [dead]
    write_atomic(target, b"whole")
    assert not dead.exists()
    assert alive.exists() and other_target.exists() and not_ours.exists()


def test_a_writer_killed_mid_write_leaves_a_temporary_the_next_write_removes(
    tmp_path: Path,
) -> None:
    target = tmp_path / "kg.ttl"
    target.write_bytes(b"old")
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys\n"
            "from pathlib import Path\n"
            "from graph_builder.atomic_files import write_atomic\n"
            "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
            "write_atomic(Path(sys.argv[1]), b'new')\n",
            str(target),
        ],
        cwd=REPO,
    )
    assert killed.returncode == -signal.SIGKILL
    left = [p for p in tmp_path.iterdir() if p != target]
    assert len(left) == 1 and left[0].name.startswith(".kg.ttl.hkg-")
    assert target.read_bytes() == b"old"
    write_atomic(target, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]
    assert target.read_bytes() == b"new"


def test_pid_running() -> None:
    assert pid_running(os.getpid())
    assert not pid_running(dead_pid())
    assert not pid_running(0) and not pid_running(2**70)


def test_check_writable_refuses_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="it is a directory"):
        check_writable(tmp_path)
    with pytest.raises(NotADirectoryError, match="is not a directory"):
        check_writable(tmp_path / "file" / "sub" / "kg.ttl")
    with pytest.raises(PermissionError):
        check_writable(Path("/sys/hospital-kg-test.ttl"))
    check_writable(tmp_path / "new" / "dirs" / "kg.ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # the probe is gone


def test_a_place_no_file_can_be_created_is_one_line(tmp_path: Path) -> None:
    """sysfs refuses new files to everyone, root included (a chmod 555 folder would not)."""
    target = Path("/sys/hospital-kg-test.ttl")
    result = run_cli("export", "--output", str(target), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Permission denied" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not target.exists() and list(tmp_path.iterdir()) == []


# --- --output on every command -------------------------------------------------

TRAILING_SLASH = [
    (["build"], "hospital-kg.ttl"),
    (["export", "--format", "jsonld"], "hospital-kg.jsonld"),
    (["export", "--format", "gexf"], "hospital-kg.gexf"),
    (["viz"], "explorer.html"),
    (["synth", "--hospitals", "1"], "national.nt"),
]


@pytest.mark.parametrize(("args", "name"), TRAILING_SLASH, ids=[a[0] for a, _ in TRAILING_SLASH])
def test_a_trailing_slash_writes_the_default_name_inside(
    tmp_path: Path, args: list[str], name: str
) -> None:
    result = run_cli(*args, "--output", "out/", cwd=tmp_path, env={"HOSPITAL_KG_ROOT": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == [name]


@pytest.mark.parametrize(
    "args",
    [["build"], ["export"], ["viz"], ["synth", "--hospitals", "1"], ["query", "timeline"]],
    ids=["build", "export", "viz", "synth", "query"],
)
def test_an_existing_directory_is_refused_before_any_work(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "out").mkdir()
    result = run_cli(*args, "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'out'}: it is a directory")
    assert len(result.stderr.splitlines()) == 1
    assert list((tmp_path / "out").iterdir()) == []


def test_export_over_a_private_file_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.ttl"
    real.write_text("old")
    real.chmod(0o600)
    (tmp_path / "link.ttl").symlink_to(real)
    result = run_cli("export", "--output", str(tmp_path / "link.ttl"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.ttl").is_symlink()
    assert real.read_text(encoding="utf-8").startswith("PREFIX") and mode(real) == 0o600


@pytest.mark.parametrize(
    ("name", "first"),
    [("kg.jsonld", b"{"), ("kg.nt", b"<"), ("kg.gexf", b"<?xml"), ("kg", b"PREFIX")],
)
def test_export_without_format_writes_what_the_suffix_says(
    tmp_path: Path, name: str, first: bytes
) -> None:
    """README: RDF files are named by their suffix wherever a file is given (export wrote
    Turtle into kg.jsonld before)."""
    result = run_cli("export", "--output", str(tmp_path / name))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_bytes().startswith(first)
