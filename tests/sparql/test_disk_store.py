"""On-disk Oxigraph stores: written whole or not at all, replaced only when no server reads them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.errors import DataError, UsageError
from graph_builder.rdf.formats import format_of
from graph_builder.sparql.disk_store import (
    StoreInUse,
    check_store,
    locked,
    open_read_only,
    write_store,
)

TRIPLES = "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n"


def nt(tmp_path: Path, name: str, lines: int) -> Path:
    path = tmp_path / name
    path.write_text(
        "".join(
            f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(lines)
        ),
        encoding="utf-8",
    )
    return path


def load(target: Path, *files: Path):
    return write_store(target, [(f, format_of(f)) for f in files])


def leftovers(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if ".hkg-" in name)


def test_a_store_is_written_and_read_back(tmp_path: Path) -> None:
    source = nt(tmp_path, "a.nt", 50)
    loaded = load(tmp_path / "store", source)
    assert (loaded.quads, loaded.named_graphs) == (50, 0)
    store = open_read_only(tmp_path / "store")
    assert len(store) == 50
    assert leftovers(tmp_path) == []


def test_an_existing_store_is_replaced_and_an_empty_directory_taken(tmp_path: Path) -> None:
    target = tmp_path / "store"
    target.mkdir()
    assert load(target, nt(tmp_path, "a.nt", 5)).quads == 5
    assert load(target, nt(tmp_path, "b.nt", 7)).quads == 7
    assert len(open_read_only(target)) == 7
    assert leftovers(tmp_path) == []


def test_a_file_that_does_not_parse_leaves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(TRIPLES + "<http://example.org/a> <http://example.org/p>\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(tmp_path / "store", nt(tmp_path, "good.nt", 10), bad)
    assert "bad.ttl:3" in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "store").exists() and leftovers(tmp_path) == []


def test_a_failed_replacement_keeps_the_old_store(tmp_path: Path) -> None:
    target = tmp_path / "store"
    load(target, nt(tmp_path, "a.nt", 3))
    bad = tmp_path / "bad.nt"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(DataError):
        load(target, bad)
    assert len(open_read_only(target)) == 3


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("x"), "is a file, not a store directory"),
        (lambda p: (p.mkdir(), (p / "notes.txt").write_text("x")), "is not an Oxigraph store"),
    ],
)
def test_what_is_not_a_store_is_refused_and_kept(tmp_path: Path, make, message: str) -> None:
    target = tmp_path / "target"
    make(target)
    before = sorted(target.rglob("*")) if target.is_dir() else target.read_text()
    with pytest.raises(UsageError, match=message):
        load(target, nt(tmp_path, "a.nt", 1))
    assert (sorted(target.rglob("*")) if target.is_dir() else target.read_text()) == before


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    load(link, nt(tmp_path, "a.nt", 4))
    assert link.is_symlink() and len(open_read_only(real)) == 4


def test_what_a_killed_load_left_is_removed_by_the_next(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    stale = tmp_path / f".store.hkg-{dead.stdout.strip()}-abcd1234.tmp"
    stale.mkdir()
    (stale / "000001.sst").write_bytes(b"half")
    load(tmp_path / "store", nt(tmp_path, "a.nt", 1))
    assert not stale.exists()


def test_a_store_a_server_reads_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "store"
    load(target, nt(tmp_path, "a.nt", 2))
    with locked(target, shared=True):
        with pytest.raises(StoreInUse, match="in use by a running hospital-kg serve"):
            load(target, nt(tmp_path, "b.nt", 3))
        with locked(target, shared=True):  # another server may read it too
            pass
    assert len(open_read_only(target)) == 2
    assert leftovers(tmp_path) == []
    with (
        locked(target, shared=False),
        pytest.raises(StoreInUse, match="being replaced by hospital-kg load"),
        locked(target, shared=True),
    ):
        pass


def test_reading_checks_the_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such store"):
        check_store(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file"):
        check_store(tmp_path / "file")
    with pytest.raises(UsageError, match="has no CURRENT file"):
        check_store(tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "CURRENT").write_text("MANIFEST-000404\n")
    with pytest.raises(DataError, match="not a readable Oxigraph store"):
        open_read_only(broken)
