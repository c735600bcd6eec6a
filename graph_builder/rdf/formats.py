"""The one table of RDF syntaxes: names, file suffixes, media types and the parsers behind them.

Export, the triple stores, `serve --data`, `load --data`, the endpoint's content
negotiation, `viz/analyze --input` and `synth --output` all read this table, so a format one
of them accepts is accepted by all of them. It imports nothing heavy (strings
only), because the endpoint's query workers read it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph_builder.errors import UsageError

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax and how each library names it.

    `suffixes[0]` is the suffix we write; `aliases` are the other names and media
    types a user or a client may use for it; `rdflib_writer` may differ from
    `rdflib_parser` (we write Turtle with rdflib's stable `longturtle`).
    `oxigraph` names the `pyoxigraph.RdfFormat` attribute. A `dataset` syntax (N-Quads,
    TriG) holds named graphs beside the default graph: `serve` and `load` keep them
    apart, commands that take one graph read them all into it, and the endpoint does
    not answer a CONSTRUCT in them (its answer is one graph).
    """

    name: str
    label: str
    suffixes: tuple[str, ...]
    media_type: str
    rdflib_parser: str
    rdflib_writer: str
    oxigraph: str
    readable: bool = True
    writable: bool = True
    dataset: bool = False
    aliases: tuple[str, ...] = ()
    w3c: str = ""

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    def names(self) -> tuple[str, ...]:
        return (self.name, self.media_type, *self.aliases)


#: In the order the endpoint prefers them: the first is its default for graphs.
RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat(
        "turtle",
        "Turtle",
        (".ttl",),
        "text/turtle",
        "turtle",
        "longturtle",
        "TURTLE",
        aliases=("ttl", "application/turtle", "application/x-turtle"),
        w3c=W3C_FORMATS + "Turtle",
    ),
    RdfFormat(
        "jsonld",
        "JSON-LD",
        (".jsonld",),
        "application/ld+json",
        "json-ld",
        "json-ld",
        "JSON_LD",
        aliases=("json-ld", "json", "application/json", "application/x-json+ld"),
        w3c=W3C_FORMATS + "JSON-LD",
    ),
    RdfFormat(
        "nt",
        "N-Triples",
        (".nt",),
        "application/n-triples",
        "nt",
        "nt",
        "N_TRIPLES",
        aliases=("ntriples", "n-triples"),
        w3c=W3C_FORMATS + "N-Triples",
    ),
    RdfFormat(
        "xml",
        "RDF/XML",
        (".rdf", ".owl", ".xml"),
        "application/rdf+xml",
        "xml",
        "xml",
        "RDF_XML",
        aliases=("rdfxml", "rdf+xml", "application/xml", "text/xml"),
        w3c=W3C_FORMATS + "RDF_XML",
    ),
    RdfFormat(
        "nq",
        "N-Quads",
        (".nq",),
        "application/n-quads",
        "nquads",
        "nquads",
        "N_QUADS",
        dataset=True,
        aliases=("nquads", "n-quads"),
        w3c=W3C_FORMATS + "N-Quads",
    ),
    RdfFormat(
        "trig",
        "TriG",
        (".trig",),
        "application/trig",
        "trig",
        "trig",
        "TRIG",
        dataset=True,
        w3c=W3C_FORMATS + "TriG",
    ),
)


def format_named(name: str) -> RdfFormat:
    """The format called `name` (or one of its aliases)."""
    for fmt in RDF_FORMATS:
        if name.lower() in (n.lower() for n in fmt.names()):
            return fmt
    raise UsageError(f"unknown RDF format {name!r} (one of: {', '.join(format_names())})")


def format_names(writable: bool = False) -> list[str]:
    return [f.name for f in RDF_FORMATS if f.writable or not writable]


def suffixes(readable: bool = True, writable: bool = False) -> list[str]:
    """Every suffix of the formats that can be read (and, if asked, written)."""
    return [
        suffix
        for f in RDF_FORMATS
        if (f.readable or not readable) and (f.writable or not writable)
        for suffix in f.suffixes
    ]


def format_of(path: Path | str, *, write: bool = False) -> RdfFormat:
    """The format a file's suffix says, or a UsageError naming the file and the suffixes we know."""
    path = Path(path)
    for fmt in RDF_FORMATS:
        if path.suffix.lower() in fmt.suffixes and (fmt.writable if write else fmt.readable):
            return fmt
    known = ", ".join(suffixes(readable=not write, writable=write))
    verb = "write" if write else "read"
    raise UsageError(f"cannot {verb} {path.name}: not an RDF file suffix we know (use {known})")
