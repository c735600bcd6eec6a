"""`query FILE.rq`: a file with a library header runs exactly as that library query; a
file without one is ad hoc; a file that is not UTF-8 text is one error line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_builder.sparql.query_library import (
    LibraryError,
    LibraryQuery,
    has_library_header,
    query_file,
    read_query_text,
)
from tests.conftest import REPO, run_cli


def csv_rows(*args: str, cwd: Path | None = None) -> list[str]:
    result = run_cli("query", *args, "--format", "csv", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("name", ["hospital-profile", "gap-analysis"])
def test_a_library_file_given_by_path_uses_its_header_defaults(name: str) -> None:
    by_name = csv_rows(name)
    assert len(by_name) > 1  # the defaults name something in the seed graph
    assert csv_rows(f"queries/{name}.rq") == by_name


def test_a_copy_elsewhere_keeps_the_parameters_and_their_checks(tmp_path: Path) -> None:
    shutil.copy(REPO / "queries" / "hospital-profile.rq", tmp_path / "mine.rq")
    mine = str(tmp_path / "mine.rq")
    assert csv_rows(mine) == csv_rows("hospital-profile")
    jiaozuo = ("--param", "hospital=jiaozuo maternal")  # names resolve as for the library
    assert csv_rows(mine, *jiaozuo) == csv_rows("hospital-profile", *jiaozuo)
    unknown = run_cli("query", mine, "--param", "hospitl=inst:jiaozuo-mch")
    assert unknown.returncode == 2
    assert unknown.stderr == "error: mine: unknown parameter 'hospitl' (declared: hospital)\n"


def test_a_file_without_a_header_is_ad_hoc(tmp_path: Path) -> None:
    """No defaults, and any parameter binds (typed from its value)."""
    query = tmp_path / "adhoc.rq"
    query.write_text(
        "# my own question, no library header\n"
        "SELECT ?hospital ?name WHERE { ?hospital a hkg:Hospital ; rdfs:label ?name }\n",
        encoding="utf-8",
    )
    assert len(csv_rows(str(query))) > 2
    one = csv_rows(str(query), "--param", "hospital=inst:jiaozuo-mch")
    assert one == ["hospital,name", "inst:jiaozuo-mch,焦作市妇幼保健院"]


def test_a_library_name_wins_over_a_file_of_that_name(tmp_path: Path) -> None:
    (tmp_path / "timeline").write_text("SELECT ?nothing WHERE {}", encoding="utf-8")
    result = run_cli("query", "timeline", "--format", "csv", "--root", str(REPO), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] != "nothing"


def test_a_file_not_in_the_library_is_still_a_query(tmp_path: Path) -> None:
    (tmp_path / "myquery").write_text("ASK { inst:jiaozuo-mch a hkg:Hospital }", encoding="utf-8")
    result = run_cli("query", "myquery", "--root", str(REPO), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "true\n"), result.stderr


def test_header_detection() -> None:
    assert has_library_header("# question-en: Who?\nSELECT")
    assert has_library_header("# param: h iri - -- a hospital\nSELECT ?h WHERE {}")
    assert not has_library_header("# note: just a comment\nSELECT")
    assert not has_library_header("SELECT ?x WHERE {}\n# question-en: late\n")


def test_unreadable_query_files_are_library_errors(tmp_path: Path) -> None:
    latin = tmp_path / "latin.rq"
    latin.write_bytes("# é\nSELECT".encode("latin-1"))
    binary = tmp_path / "binary.rq"
    binary.write_bytes(b"SELECT\x00")
    with pytest.raises(LibraryError, match=r"latin\.rq: not UTF-8 text \(byte 0xe9 at offset 2\)"):
        read_query_text(latin)
    with pytest.raises(LibraryError, match=r"binary\.rq: not a query: a binary file"):
        read_query_text(binary)
    with pytest.raises(LibraryError, match="is a directory"):
        query_file(tmp_path)
    with pytest.raises(LibraryError, match="no such query file"):
        query_file(tmp_path / "missing.rq")


def test_query_file_returns_the_library_query_for_a_header(tmp_path: Path) -> None:
    _, library = query_file(REPO / "queries" / "gap-analysis.rq")
    assert isinstance(library, LibraryQuery) and library.name == "gap-analysis"
    assert [p.default for p in library.params] == ["hkg:KeyLaboratory"]
    plain = tmp_path / "plain.rq"
    plain.write_text("SELECT * WHERE {}", encoding="utf-8")
    assert query_file(plain) == ("SELECT * WHERE {}", None)
