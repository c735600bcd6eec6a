"""Serializing a query's answer, capped at max_rows, in the format negotiation chose.

ASK answers and graphs go through pyoxigraph's own serializers. SELECT rows are
written here because pyoxigraph can only serialize a whole result iterator, and a
capped answer needs the first N rows only; the writers follow the W3C SPARQL 1.1
results formats (JSON, XML, CSV/TSV) and are checked against real parsers in the tests.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import cast

import pyoxigraph as ox

from .negotiation import Format, NotAcceptable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: What xml.sax.saxutils escapes (imported there with urllib and http.client, which
#: cost a query worker 18 ms at every start).
TEXT_ESCAPES = (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"))
ATTRIBUTE_ESCAPES = (*TEXT_ESCAPES, ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))
#: A literal's text also keeps its CRs, which an XML parser would read back as LF.
LITERAL_ESCAPES = (*TEXT_ESCAPES, ("\r", "&#13;"))
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


def escape(text: str, escapes: tuple[tuple[str, str], ...] = TEXT_ESCAPES) -> str:
    for char, entity in escapes:
        text = text.replace(char, entity)
    return text


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as xml.sax.saxutils.quoteattr writes it."""
    text = escape(text, ATTRIBUTE_ESCAPES)
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]


def take(items: Iterable, max_rows: int) -> tuple[list, bool]:
    """The first max_rows items, and whether there were more."""
    rows = list(islice(items, max_rows + 1))
    return rows[:max_rows], len(rows) > max_rows


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {  # RDF-star quoted triple
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def write_json(variables: list[str], rows: list[Row]) -> bytes:
    bindings = [
        {var: _json_term(value) for var, value in zip(variables, row, strict=True) if value}
        for row in rows
    ]
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{escape(term.value, LITERAL_ESCAPES)}</literal>"
    parts = zip(("subject", "predicate", "object"), term, strict=True)
    return "<triple>" + "".join(f"<{k}>{_xml_term(v)}</{k}>" for k, v in parts) + "</triple>"


def write_xml(variables: list[str], rows: list[Row]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    out.append('<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
    out.extend(f"<variable name={quoteattr(var)}/>" for var in variables)
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out.extend(
            f"<binding name={quoteattr(var)}>{_xml_term(value)}</binding>"
            for var, value in zip(variables, row, strict=True)
            if value is not None
        )
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def write_csv(variables: list[str], rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_tsv(variables: list[str], rows: list[Row]) -> bytes:
    """Terms in Turtle/N-Triples syntax, which is what str() of a pyoxigraph term gives."""
    lines = ["\t".join(f"?{var}" for var in variables)]
    lines.extend("\t".join("" if v is None else str(v) for v in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


SELECT_WRITERS: dict[str, Callable[[list[str], list[Row]], bytes]] = {
    "json": write_json,
    "xml": write_xml,
    "csv": write_csv,
    "tsv": write_tsv,
}


def select_body(
    solutions: ox.QuerySolutions, fmt: Format, max_rows: int
) -> tuple[bytes, int, bool]:
    """Serialized rows, how many were written, and whether the cap cut the answer."""
    variables = [v.value for v in solutions.variables]
    rows, truncated = take((tuple(s) for s in solutions), max_rows)
    body = SELECT_WRITERS[fmt.name](variables, rows)
    if fmt.name == "xml":
        body = check_xml(body, FOR_RESULTS)
    return body, len(rows), truncated


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
