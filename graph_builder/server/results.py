"""Serializing a query's answer, capped at max_rows, in the format negotiation chose.

Everything is written by pyoxigraph's own serializers, without Python terms. A capped
SELECT answer is cut where its TSV passes the cap, which also stops the evaluation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from itertools import islice
from typing import IO, cast

import pyoxigraph as ox

from .negotiation import Format, NotAcceptable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Characters XML 1.0 cannot carry at all, not even as references: in UTF-8 the C0
#: controls other than TAB, LF and CR are single bytes, U+FFFE and U+FFFF are EF BF BE/BF.
NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
FOR_RESULTS = "application/sparql-results+json (format=json) or text/tab-separated-values"
FOR_GRAPHS = "text/turtle (format=turtle), application/n-triples or application/ld+json"


class Unwritable(NotAcceptable):
    """An answer the negotiated format cannot carry (a control character in XML): 406."""


def check_xml(body: bytes, instead: str) -> bytes:
    """The XML body, or Unwritable naming the first character XML cannot carry."""
    match = NOT_XML.search(body)
    if match is None:
        return body
    char = ord(match.group().decode("utf-8"))
    raise Unwritable(
        f"a literal in this answer holds U+{char:04X}, which XML 1.0 cannot carry; "
        f"ask for {instead}"
    )


def take(items: Iterable, max_rows: int) -> tuple[list, bool]:
    """The first max_rows items, and whether there were more."""
    rows = list(islice(items, max_rows + 1))
    return rows[:max_rows], len(rows) > max_rows


class _Capped(Exception):
    """Raised from the writer once the answer has more rows than the cap: it stops the
    serializer, and with it the query's evaluation."""


class _CappedTsv(io.RawIOBase):
    """Collects pyoxigraph's TSV output and counts its lines: one per row after the
    header, since TSV writes every term on one line (newlines in literals escaped)."""

    def __init__(self, max_rows: int) -> None:
        self.chunks: list[bytes] = []
        self.lines = 0
        self.max_lines = max_rows + 1  # the header, then the rows

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.chunks.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            raise _Capped
        return len(chunk)


def capped_tsv(solutions: ox.QuerySolutions, max_rows: int) -> tuple[bytes, int, bool]:
    """The first max_rows rows as TSV, written by pyoxigraph; how many; whether cut."""
    out = _CappedTsv(max_rows)
    truncated = False
    try:
        solutions.serialize(cast(IO[bytes], out), format=ox.QueryResultsFormat.TSV)
    except _Capped:
        truncated = True
    body = b"".join(out.chunks)
    if truncated:  # the last chunk may run past the cap: cut after the cap-th row
        cut = -1
        for _ in range(out.max_lines):
            cut = body.index(b"\n", cut + 1)
        body = body[: cut + 1]
    return body, body.count(b"\n") - 1, truncated


def select_body(
    solutions: ox.QuerySolutions, fmt: Format, max_rows: int
) -> tuple[bytes, int, bool]:
    """Serialized rows, how many were written, and whether the cap cut the answer.

    pyoxigraph writes the TSV; for another format the capped TSV is read back and
    written again, all in Rust: three times faster than Python terms for 36,000 rows."""
    tsv, rows, truncated = capped_tsv(solutions, max_rows)
    if fmt.name == "tsv":
        return tsv, rows, truncated
    target = ox.QueryResultsFormat.from_media_type(fmt.media_type)
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    body = cast(bytes, parsed.serialize(format=target))  # without an output: the bytes
    if fmt.name == "xml":
        # Oxigraph writes a literal's CR raw, which XML parsers read back as LF; it
        # writes no CR anywhere else
        body = check_xml(body.replace(b"\r", b"&#13;"), FOR_RESULTS)
    return body, rows, truncated


def ask_body(answer: ox.QueryBoolean, fmt: Format) -> bytes:
    # without an output, serialize returns the bytes
    return cast(
        bytes, answer.serialize(format=ox.QueryResultsFormat.from_media_type(fmt.media_type))
    )


def used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace some IRI in the triples starts with, so
    a small CONSTRUCT answer does not open with twenty unused declarations."""
    iris = set()
    for triple in triples:
        for term in triple:
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif (
                isinstance(term, ox.Literal)
                and not term.language
                and term.datatype.value != XSD_STRING  # plain strings name no datatype
            ):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}


def graph_body(
    triples: ox.QueryTriples, fmt: Format, max_rows: int, prefixes: dict[str, str]
) -> tuple[bytes, int, bool]:
    kept, truncated = take(triples, max_rows)
    rdf_format = ox.RdfFormat.from_media_type(fmt.media_type)
    # without an output, serialize returns the bytes
    body = cast(
        bytes, ox.serialize(kept, format=rdf_format, prefixes=used_prefixes(kept, prefixes))
    )
    if rdf_format == ox.RdfFormat.RDF_XML:
        # Oxigraph writes CR raw, and it appears nowhere else in its RDF/XML
        body = check_xml(body.replace(b"\r", b"&#13;"), FOR_GRAPHS)
    return body, len(kept), truncated
