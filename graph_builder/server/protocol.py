"""Reading a SPARQL 1.1 Protocol request: GET ?query=, POST form, POST application/sparql-query.

Returns the query and its dataset, format and binding parameters, or raises
ProtocolError with the HTTP status to answer (400 malformed, 403 update, 413 too
large, 415 a body type, charset or coding we do not read). Parameters are
percent-decoded strictly: a value that is not UTF-8 is refused, never quietly
turned into U+FFFD and run as a different query.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from starlette.datastructures import Headers
from starlette.requests import Request

from .guard import READ_ONLY

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
UTF8 = frozenset({"utf-8", "utf8"})
IDENTITY = frozenset({"", "identity"})


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class SparqlRequest:
    query: str | None
    default_graph: list[str] = field(default_factory=list)
    named_graph: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    bindings: dict[str, str] = field(default_factory=dict)  # $name=TERM (see bindings.py)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body over {limit:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body over {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"request body is not UTF-8 ({exc.reason})") from None


_LONE_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def unquote(data: bytes) -> bytes:
    """urllib's unquote_to_bytes, in C for a body whose every '%' starts an escape: each
    %XX becomes \\xXX for codecs.escape_decode, backslashes escaped first. urllib's loop
    in Python was 30% of the HTTP process's busy time (py-spy) on new 2 KB form queries."""
    if b"%" not in data:
        return data
    if _LONE_PERCENT.search(data):
        return unquote_to_bytes(data)  # a '%' that starts no escape stays as it is
    escaped = data.replace(b"\\", b"\\\\").replace(b"%", b"\\x")
    return codecs.escape_decode(escaped)[0]


def _split_params(data: bytes) -> list[tuple[bytes, bytes]]:
    """application/x-www-form-urlencoded pairs as bytes (urllib's parse_qsl decodes them
    with errors="replace" itself): '&' separates, '+' is a space, %XX a byte."""
    pairs = []
    for part in data.split(b"&"):
        if part:
            name, _, value = part.replace(b"+", b" ").partition(b"=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def decode_params(data: bytes, where: str) -> list[tuple[str, str]]:
    """The name/value pairs of a query string or form body, percent-decoded as UTF-8."""
    pairs = []
    for name, value in _split_params(data):
        try:
            pairs.append((name.decode("utf-8"), value.decode("utf-8")))
        except UnicodeDecodeError:
            shown = name.decode("utf-8", errors="replace")
            raise ProtocolError(
                400, f"parameter {shown!r} in {where} is not UTF-8 once percent-decoded"
            ) from None
    return pairs


def content_type(header: str | None) -> tuple[str, dict[str, str]]:
    """A Content-Type's media type and parameters, lowercased, quotes removed."""
    media, *params = (header or "").split(";")
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"').lower()
    return media.strip().lower(), parsed


def check_encoding(headers: Headers, params: dict[str, str]) -> None:
    """Refuse (415) a body in a charset or content coding we would misread."""
    charset = params.get("charset", "utf-8")
    if charset not in UTF8:
        raise ProtocolError(415, f"send the body as UTF-8, not charset={charset}")
    coding = headers.get("content-encoding", "").strip().lower()
    if coding not in IDENTITY:
        raise ProtocolError(
            415, f"Content-Encoding {coding!r} is not accepted; send it uncompressed"
        )


def _single_bindings(values: dict[str, list[str]]) -> dict[str, str]:
    """The $name= parameters, each given once (two values would silently drop one)."""
    bindings = {}
    for key, given in values.items():
        if key.startswith("$"):
            if len(given) > 1:
                raise ProtocolError(400, f"give {key} once, not {len(given)} times")
            bindings[key[1:]] = given[0]
    return bindings


def _graph_iris(values: dict[str, list[str]], name: str) -> list[str]:
    """The default-graph-uri or named-graph-uri values, each an absolute IRI."""
    iris = values.get(name, [])
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            shown = iri if len(iri) <= 60 else iri[:60] + "..."
            raise ProtocolError(400, f"{name} {shown!r} is not an absolute IRI ({exc})") from None
    return iris


def _from_params(pairs: list[tuple[str, str]], query: str | None = None) -> SparqlRequest:
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    if "update" in values:
        raise ProtocolError(403, READ_ONLY)
    queries = values.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, "give one query parameter, not several")
    if queries and query is not None:
        raise ProtocolError(400, "give the query in the body or in ?query=, not both")
    return SparqlRequest(
        query=queries[0] if queries else query,
        default_graph=_graph_iris(values, "default-graph-uri"),
        named_graph=_graph_iris(values, "named-graph-uri"),
        formats=values.get("format", []),
        bindings=_single_bindings(values),
    )


async def read_sparql_request(request: Request, limit: int) -> SparqlRequest:
    """The request's query and parameters; HEAD reads as GET (it is answered without a body)."""
    url_params = decode_params(request.scope.get("query_string", b""), "the URL")
    if request.method in ("GET", "HEAD"):
        return _from_params(url_params)
    media, params = content_type(request.headers.get("content-type"))
    if media == SPARQL_UPDATE:
        raise ProtocolError(403, READ_ONLY)
    if media not in (FORM, SPARQL_QUERY):
        raise ProtocolError(
            415,
            f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}, "
            f"not {media or 'a body without Content-Type'}",
        )
    check_encoding(request.headers, params)
    body = await read_body(request, limit)
    if media == FORM:
        return _from_params(url_params + decode_params(body, "the form"))
    return _from_params(url_params, _decode(body))
