"""Evidence offsets index the report file exactly as stored.

Python's `read_text` turns CR LF into LF, so a text stored with CR LF line ends
used to build with offsets that do not index the file. Texts are now decoded as
stored, and a BOM or a CR is refused with the text's file and line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF

from graph_builder import Project
from graph_builder.errors import DataError
from graph_builder.ingest.reports import check_report_text
from graph_builder.rdf.namespaces import HKG
from tests.conftest import REPO, run_cli

TEXT = Path("data/reports/jiaozuo-mch-2024.txt")
EXACT = "so offsets index the file exactly"


def _build(project: Project) -> tuple[list[str], int, Path]:
    out = project.root / "build" / "hospital-kg.ttl"
    result = run_cli("build", "--root", str(project.root), "--output", str(out), cwd=project.root)
    return result.stderr.splitlines(), result.returncode, out


def test_a_text_with_crlf_line_ends_is_refused(scratch: Project) -> None:
    path = scratch.root / TEXT
    lines = path.read_bytes().split(b"\n")
    lines[2] += b"\r"  # line 3 ends with CR LF, the rest with LF
    path.write_bytes(b"\n".join(lines))
    stderr, code, out = _build(scratch)
    assert code == 1
    assert stderr == [
        f"error: {TEXT.as_posix()}:3: line ends with CR LF; "
        f"store the text with LF line ends {EXACT}"
    ]
    assert not out.exists()


def test_a_text_with_a_bom_is_refused(scratch: Project) -> None:
    path = scratch.root / TEXT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    stderr, code, out = _build(scratch)
    assert code == 1
    assert stderr == [
        f"error: {TEXT.as_posix()}:1: starts with a byte-order mark (U+FEFF); "
        f"store the text as UTF-8 without one {EXACT}"
    ]
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("a\nb\r\nc\n", 2, "line ends with CR LF"),
        ("a\rb\n", 1, "line ends with CR;"),
        ("\ufeffa\n", 1, "starts with a byte-order mark (U+FEFF)"),
        ("a\nb\ufeffc\n", 2, "holds U+FEFF (a byte-order mark)"),
        ("a\n\nb\x0cc\n", 3, "control character U+000C"),
        ("a\x85\n", 1, "control character U+0085"),
        ("a\uffff\n", 1, "character U+FFFF"),
    ],
)
def test_check_report_text_names_the_line(content: str, line: int, message: str) -> None:
    with pytest.raises(DataError) as caught:
        check_report_text(Path("x.txt"), content)
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_tabs_and_line_feeds_are_fine() -> None:
    check_report_text(Path("x.txt"), "a\tb\n\nc 中文\u3000d\n")


def _evidence(graph: Graph) -> list[tuple[str, str, int, int]]:
    """(report source file, quote, start, end) of every evidence node."""
    found = []
    for ev in graph.subjects(RDF.type, HKG.Evidence):
        report = graph.value(ev, PROV.wasQuotedFrom)
        source = graph.value(report, HKG.sourceFile)
        quote, start, end = (
            graph.value(ev, p) for p in (PROV.value, HKG.startOffset, HKG.endOffset)
        )
        assert isinstance(start, Literal) and isinstance(end, Literal), ev
        found.append((str(source), str(quote), int(start), int(end)))
    return found


def test_every_evidence_offset_indexes_the_stored_file(graph: Graph) -> None:
    evidence = _evidence(graph)
    assert len(evidence) > 100
    texts: dict[str, str] = {}
    for source, quote, start, end in evidence:
        if source not in texts:
            with open(REPO / source, encoding="utf-8", newline="") as handle:
                texts[source] = handle.read()
        assert texts[source][start:end] == quote, (source, start, end)
    assert len(texts) == 2


def test_each_report_hash_is_the_stored_file_hash(graph: Graph) -> None:
    for report in graph.subjects(RDF.type, HKG.Report):
        source = graph.value(report, HKG.sourceFile)
        digest = hashlib.sha256((REPO / str(source)).read_bytes()).hexdigest()
        assert str(graph.value(report, HKG.sha256)) == digest
