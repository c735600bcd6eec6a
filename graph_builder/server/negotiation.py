"""Which serialization a client gets: results formats, the RDF format table, Accept, `?format=`.

SELECT and ASK answer in SPARQL results formats, CONSTRUCT and DESCRIBE in RDF
formats; the same short name can mean either (`json` is SPARQL JSON for a
SELECT and JSON-LD for a CONSTRUCT), which is what SPARQLWrapper's `format=`
parameter assumes. `?format=` wins over Accept so that a plain link can download
any format.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_builder.rdf.formats import RDF_FORMATS, W3C_FORMATS

RESULTS = "results"  # SELECT, ASK
GRAPH = "graph"  # CONSTRUCT, DESCRIBE


@dataclass(frozen=True)
class Format:
    name: str  # for ?format= and the download file name
    media_type: str
    kind: str  # RESULTS or GRAPH
    extension: str
    aliases: tuple[str, ...] = ()  # other ?format= names and media types that mean this one
    iri: str = ""  # http://www.w3.org/ns/formats/..., for the service description
    label: str = ""  # for people: the query page's download links

    def names(self) -> tuple[str, ...]:
        return (self.name, self.media_type, *self.aliases)


#: SPARQL results formats, in server preference order: the first is the default.
RESULT_FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        RESULTS,
        ".srj",
        ("application/json",),
        W3C_FORMATS + "SPARQL_Results_JSON",
        "SPARQL JSON",
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        RESULTS,
        ".srx",
        ("application/xml", "text/xml"),
        W3C_FORMATS + "SPARQL_Results_XML",
        "SPARQL XML",
    ),
    Format("csv", "text/csv", RESULTS, ".csv", (), W3C_FORMATS + "SPARQL_Results_CSV", "CSV"),
    Format(
        "tsv",
        "text/tab-separated-values",
        RESULTS,
        ".tsv",
        (),
        W3C_FORMATS + "SPARQL_Results_TSV",
        "TSV",
    ),
)

#: Graph answers in every RDF syntax of the project's format table, in its order; not in
#: the dataset syntaxes (N-Quads, TriG): a CONSTRUCT or DESCRIBE answers one graph.
GRAPH_FORMATS: tuple[Format, ...] = tuple(
    Format(f.name, f.media_type, GRAPH, f.suffix, f.aliases, f.w3c, f.label)
    for f in RDF_FORMATS
    if not f.dataset
)

FORMATS: tuple[Format, ...] = RESULT_FORMATS + GRAPH_FORMATS


class NotAcceptable(Exception):
    """No format of the result's kind satisfies the request: HTTP 406."""


def formats_of(kind: str) -> list[Format]:
    return [f for f in FORMATS if f.kind == kind]


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, in the order given; malformed q counts as 1."""
    ranges = []
    for part in (header or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0
        ranges.append((media.lower(), q))
    return ranges


def _specificity(media_range: str, fmt: Format) -> int:
    """2 for an exact media type (or alias), 1 for type/*, 0 for */*, -1 for no match."""
    if media_range in (n.lower() for n in fmt.names() if "/" in n):
        return 2
    if media_range == "*/*":
        return 0
    kind, _, sub = media_range.partition("/")
    return 1 if sub == "*" and fmt.media_type.startswith(kind + "/") else -1


def choose(kind: str, accept: str | None, requested: list[str] | None = None) -> Format:
    """The format to answer a result of `kind` in, or NotAcceptable saying what is on offer."""
    return choose_among(formats_of(kind), accept, requested)


def choose_among(
    offered: list[Format],
    accept: str | None,
    requested: list[str] | None = None,
    what: str = "this query form",
) -> Format:
    """The format of `offered` (in server preference order) that `?format=` names, else
    the one Accept ranks best; NotAcceptable saying what is on offer otherwise."""
    if requested:
        for value in requested:
            for fmt in offered:
                if value.lower() in (n.lower() for n in fmt.names()):
                    return fmt
        raise NotAcceptable(
            f"format {requested[0]!r} is not available for {what}; "
            f"use one of: {', '.join(f.name for f in offered)}"
        )
    ranges = parse_accept(accept) or [("*/*", 1.0)]
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for preference, fmt in enumerate(offered):
        matches = [
            (_specificity(media, fmt), q, -position)
            for position, (media, q) in enumerate(ranges)
            if _specificity(media, fmt) >= 0
        ]
        if not matches:
            continue
        specificity, q, position = max(matches)  # the most specific range decides q
        score = (q, position, specificity, -preference)
        if q > 0 and (best is None or score > best):
            best, chosen = score, fmt
    if chosen is None:
        raise NotAcceptable(
            f"cannot answer with {accept!r}; {what} offers: "
            + ", ".join(f.media_type for f in offered)
        )
    return chosen


def by_name(name: str) -> Format:
    return next(f for f in FORMATS if f.name == name)
