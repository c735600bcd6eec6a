"""Bad input to every command and option: one `error:` line, the right exit code, no trace.

Each case runs the installed `hospital-kg` in a directory of its own, holding a scratch
project (`project/`: a copy of ontology/ data/ queries/, passed as `--root`) and the bad
inputs the cases name by relative path. The whole directory is compared before and
after: a refused command writes nothing and changes nothing. The cases are independent,
so they run concurrently once per module; each test then checks one result.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, Run, run_cli

NOT_UTF8 = "\udcff"  # os.fsencode turns it into the byte 0xff on the command line
READ_ONLY = "/sys/hospital-kg-test"  # not writable, even by root
BIG = "1" + "0" * 40
SELECT = "SELECT ?x WHERE { ?x a hkg:Hospital }"


@dataclass(frozen=True)
class Case:
    """A command line, its exit code and words its one error line must contain."""

    args: tuple[str, ...]
    code: int
    words: tuple[str, ...]
    root: bool = True  # add `--root project` unless the case sets --root itself

    @property
    def id(self) -> str:
        return " ".join(self.args)[:80]


def case(*args: str, code: int = 2, words: tuple[str, ...] | str = (), root: bool = True) -> Case:
    return Case(args, code, (words,) if isinstance(words, str) else words, root)


CASES = [
    # the command line itself
    case("no-such-command", words="No such command", root=False),
    case("stats", "--fromat", "csv", words=("No such option", "--fromat")),
    # --root, every command reads it the same way
    case("build", "--root", "missing", words="does not exist"),
    case("stats", "--root", "a-file", words="not a directory"),
    case("validate", "--root", "", words=("--root", "empty")),
    case("queries", "--root", "empty-dir", words="no query library"),
    case("build", "--root", "empty-dir", code=1, words="hospital-kg.ttl"),
    case("queries", "--root", "bad-library", words=("bad.rq", "not UTF-8")),
    # build
    case("build", "--output", "a-dir", words=("a-dir", "it is a directory")),
    case("build", "--output", "", words=("--output", "empty")),
    case("build", "-o", "a-file/kg.ttl", code=1, words=("a-file", "not a directory")),
    case("build", "--output", f"{READ_ONLY}/kg.ttl", code=1, words=READ_ONLY),
    # export
    case("export", "--format", "yaml", words="'yaml' is not one of"),
    case("export", "--format", "", words="'' is not one of"),
    case("export", "--format", NOT_UTF8, words="is not one of"),
    case("export", "--output", "a-dir", words="it is a directory"),
    case("export", "--output", "", words="empty"),
    case("export", "-o", "a-file/kg.ttl", code=1, words="not a directory"),
    case("export", "-o", f"{READ_ONLY}.ttl", code=1, words=READ_ONLY),
    case("export", "-o", "loop", words="loop"),
    case("export", "-o", "link-to-dir", words="it is a directory"),
    case("export", "--with-ontology=yes", words="does not take a value"),
    case("export", "-f", "turtle", "-o", "kg.jsonld", words=("kg.jsonld", "means jsonld")),
    case("export", "-f", "gexf", "-o", "kg.ttl", words=("--format gexf", "means turtle")),
    # validate
    case("validate", "--owl=yes", words="does not take a value"),
    case("validate", "--root", "missing", words="does not exist"),
    # stats
    case("stats", "--format", "", words="'' is not one of"),
    case("stats", "--format", "yaml", words="'yaml' is not one of"),
    case("stats", "-f", NOT_UTF8, words="is not one of"),
    # queries
    case("queries", "--format", "json5", words="'json5' is not one of"),
    # query: what to run
    case("query", words="exactly one"),
    case("query", "timeline", "--sparql", SELECT, words="exactly one"),
    case("query", "no-such-query", words="no query named 'no-such-query'"),
    case("query", "hospital-profil", words="did you mean: hospital-profile"),
    case("query", "missing.rq", words="no such query file"),
    case("query", "a-dir.rq", words="is a directory"),
    case("query", "latin1.rq", words=("latin1.rq", "not UTF-8")),
    case("query", "binary.rq", words=("binary.rq", "binary")),
    case("query", "./image.png", words="binary"),
    case("query", "empty.rq", words="syntax error"),
    case("query", "bad-header.rq", words="bad param line"),
    case("query", "header-copy.rq", "--param", "nope=1", words="unknown parameter 'nope'"),
    case("query", "--sparql", "", words=("--sparql", "syntax error")),
    case("query", "--sparql", "SELEC ?x", words=("--sparql:1:", "syntax error")),
    case("query", "--sparql", NOT_UTF8, words=("--sparql", "not UTF-8")),
    # query: --param
    case("query", "timeline", "--param", "hospital", words="key=value"),
    case("query", "timeline", "--param", "=x", words="key=value"),
    case("query", "timeline", "--param", "nope=1", words="unknown parameter 'nope'"),
    case("query", "timeline", "--param", "hospital=", words="empty name"),
    case("query", "timeline", "-p", "hospital=<http://a b>", words=("not a valid IRI", "space")),
    case("query", "timeline", "-p", "hospital=inst:a%zz", words=("not a valid IRI", "%zz")),
    case("query", "timeline", "-p", "hospital=<relative>", words=("not a valid IRI", "scheme")),
    case("query", "timeline", "-p", "hospital=inst:a{b}", words=("not a valid IRI", "'{'")),
    case("query", "timeline", "-p", "hospital=<http://a/\x01>", words="not a valid IRI"),
    case("query", "timeline", "-p", "hospital=no such hospital", words="nothing in the graph"),
    case("query", "timeline", "-p", "hospital=焦作", words="be more specific"),
    case("query", "timeline", "-p", "hospital=a", "-p", "hospital=b", words="given twice"),
    case("query", "timeline", "-p", f"hospital={NOT_UTF8}", words=("--param", "not UTF-8")),
    case("query", "--sparql", SELECT, "-p", "a b=1", words="not a SPARQL variable name"),
    case("query", "--sparql", SELECT, "-p", "?x=1", words="not a SPARQL variable name"),
    case("query", "--sparql", SELECT, "-p", f"x={BIG}", words="64-bit"),
    # query: --format, --store, --output
    case("query", "timeline", "--format", "xml", words="'xml' is not one of"),
    case("query", "timeline", "--store", "disk", words="'disk' is not one of"),
    case("query", "timeline", "--output", "a-dir", words="it is a directory"),
    case("query", "timeline", "--output", "new-dir/", words="names a directory"),
    case("query", "timeline", "--output", "", words="empty"),
    case("query", "timeline", "-o", f"{READ_ONLY}.csv", code=1, words=READ_ONLY),
    # synth
    case("synth", "--hospitals", "0", words="--hospitals"),
    case("synth", "--hospitals", "-5", words="--hospitals"),
    case("synth", "--hospitals", "nan", words="valid integer"),
    case("synth", "--hospitals", "", words="valid integer"),
    case("synth", "--hospitals", "1000000000000", words=("--hospitals", "memory")),
    case("synth", "--seed", "1.5", words="valid integer"),
    case("synth", "--output", "national.csv", words="not an RDF file suffix"),
    case("synth", "--output", "a-dir", words="it is a directory"),
    case("synth", "--output", "", words="empty"),
    case("synth", "-o", "a-file/national.nt", code=1, words="not a directory"),
    case("synth", "-o", f"{READ_ONLY}.nt", code=1, words=READ_ONLY),
    # viz
    case("viz", "--lang", "fr", words="'fr' is not one of"),
    case("viz", "--depth", "-1", words="--depth"),
    case("viz", "--depth", "two", words="valid integer"),
    case("viz", "--max-nodes", "5", words="--max-nodes"),
    case("viz", "--max-nodes", "nan", words="valid integer"),
    case("viz", "--kinds", "", words="--kinds"),
    case("viz", "--kinds", "hospital,nope", words=("--kinds", "'nope'")),
    case("viz", "--focus", "", words=("--focus", "empty name")),
    case("viz", "--focus", "nothing like this", words="nothing in the graph"),
    case("viz", "--focus", "妇幼保健院", words="be more specific"),
    case("viz", "--focus", "<http://a b>", words="not a valid IRI"),
    case("viz", "--focus", NOT_UTF8, words=("--focus", "not UTF-8")),
    case("viz", "--input", "missing.ttl", words="no such file"),
    case("viz", "--input", "a-dir", words="is a directory"),
    case("viz", "--input", "graph.csv", words="not an RDF file suffix"),
    case("viz", "--input", "empty.ttl", code=1, words=("empty.ttl", "empty", "nothing to draw")),
    case("viz", "--input", "foreign.nt", code=1, words=("foreign.nt", "another vocabulary")),
    case("viz", "--input", "latin1.ttl", code=1, words="latin1.ttl"),
    case("viz", "--input", "truncated.ttl", code=1, words="truncated.ttl"),
    case("viz", "--output", "a-dir", words="it is a directory"),
    case("viz", "--output", "", words="empty"),
    case("viz", "-o", f"{READ_ONLY}.html", code=1, words=READ_ONLY),
    # analyze
    case("analyze", "--format", "", words="'' is not one of"),
    case("analyze", "--section", "all", words="'all' is not one of"),
    case("analyze", "--top", "0", words="--top"),
    case("analyze", "--top", "-3", words="--top"),
    case("analyze", "--top", "nan", words="valid integer"),
    case("analyze", "--input", "empty.ttl", code=1, words="nothing to analyze"),
    case("analyze", "--input", "foreign.nt", code=1, words="another vocabulary"),
    case("analyze", "--input", "broken.jsonld", code=1, words="broken.jsonld"),
    case("analyze", "--input", "binary.rdf", code=1, words="binary.rdf"),
    case("analyze", "--input", "a-dir", words="is a directory"),
    # serve: only what is refused while parsing (its checks are the server's own tests)
    case("serve", "--port", "http", words="valid integer"),
    case("serve", "--no-such-option", words="No such option"),
]


def make_case_dir(directory: Path) -> None:
    """A scratch project and every bad input the cases name, by relative path."""
    project = directory / "project"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(REPO / name, project / name)
    (directory / "empty-dir").mkdir()
    (directory / "a-dir").mkdir()
    (directory / "a-dir.rq").mkdir()
    (directory / "a-file").write_text("not a directory\n")
    os.symlink("loop-b", directory / "loop")
    os.symlink("loop", directory / "loop-b")
    os.symlink("a-dir", directory / "link-to-dir")
    library = directory / "bad-library" / "queries"
    library.mkdir(parents=True)
    (library / "bad.rq").write_bytes("# question-en: Qué?\nSELECT".encode("latin-1"))
    (directory / "latin1.rq").write_bytes("# ¿qué?\nSELECT * WHERE {}".encode("latin-1"))
    (directory / "binary.rq").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (directory / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (directory / "empty.rq").write_bytes(b"")
    (directory / "bad-header.rq").write_text(
        "# question-en: x?\n# question-zh: 问？\n# param: hospital iri\nSELECT ?hospital WHERE {}\n"
    )
    shutil.copy(REPO / "queries" / "gap-analysis.rq", directory / "header-copy.rq")
    (directory / "empty.ttl").write_bytes(b"")
    (directory / "foreign.nt").write_text('<http://example.org/a> <http://example.org/p> "1" .\n')
    (directory / "latin1.ttl").write_bytes(
        '<http://e.org/a> <http://e.org/p> "é" .'.encode("latin-1")
    )
    (directory / "truncated.ttl").write_text("@prefix : <http://example.org/> .\n:a :p ")
    (directory / "graph.csv").write_text("a,b\n")
    (directory / "broken.jsonld").write_text("{")
    (directory / "binary.rdf").write_bytes(b"\x00\x01\x02\xff")


def snapshot(directory: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `directory`: kind, permission bits, and bytes or link target."""
    entries: dict[str, tuple[object, ...]] = {}
    for path in _walk(directory):
        info = path.lstat()
        mode = stat.S_IMODE(info.st_mode)
        if path.is_symlink():
            entries[str(path.relative_to(directory))] = ("link", os.readlink(path))
        elif path.is_dir():
            entries[str(path.relative_to(directory))] = ("dir", mode)
        else:
            entries[str(path.relative_to(directory))] = ("file", mode, path.read_bytes())
    return entries


def _walk(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            yield Path(root) / name


@dataclass
class Outcome:
    run: Run
    before: dict[str, tuple[object, ...]]
    after: dict[str, tuple[object, ...]]


def run_case(directory: Path, bad: Case) -> Outcome:
    make_case_dir(directory)
    before = snapshot(directory)
    args = list(bad.args)
    if bad.root and "--root" not in args:
        args += ["--root", "project"]
    run = run_cli(*args, cwd=directory)
    return Outcome(run, before, snapshot(directory))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case, run concurrently: each is a process of its own in a directory of its own."""
    base = tmp_path_factory.mktemp("bad-input")
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 1) * 2)) as pool:
        futures = {
            bad.id: pool.submit(run_case, base / f"case-{n:03d}", bad)
            for n, bad in enumerate(CASES)
        }
        return {key: future.result() for key, future in futures.items()}


def test_the_table_is_big_and_ids_are_unique() -> None:
    assert len(CASES) >= 60
    assert len({bad.id for bad in CASES}) == len(CASES)


@pytest.mark.parametrize("bad", CASES, ids=[bad.id for bad in CASES])
def test_bad_input_is_one_error_line_and_changes_nothing(
    outcomes: dict[str, Outcome], bad: Case
) -> None:
    outcome = outcomes[bad.id]
    run = outcome.run
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: "), run.stderr
    for word in bad.words:
        assert word in lines[0], (word, lines[0])
    assert run.returncode == bad.code, run.stderr
    assert run.stdout == ""
    assert outcome.after == outcome.before
