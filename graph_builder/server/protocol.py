"""Reading a SPARQL 1.1 Protocol request: GET ?query=, POST form, POST application/sparql-query.

Returns the query and its dataset and format parameters, or raises ProtocolError
with the HTTP status to answer (400 malformed, 403 update, 413 too large, 415
unsupported body type).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.requests import Request

from .guard import READ_ONLY

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


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
        default_graph=values.get("default-graph-uri", []),
        named_graph=values.get("named-graph-uri", []),
        formats=values.get("format", []),
        bindings={key[1:]: value[-1] for key, value in values.items() if key.startswith("$")},
    )


async def read_sparql_request(request: Request, limit: int) -> SparqlRequest:
    url_params = list(request.query_params.multi_items())
    if request.method == "GET":
        return _from_params(url_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == SPARQL_UPDATE:
        raise ProtocolError(403, READ_ONLY)
    if content_type == FORM:
        text = _decode(await read_body(request, limit))
        return _from_params(url_params + parse_qsl(text, keep_blank_values=True))
    if content_type == SPARQL_QUERY:
        return _from_params(url_params, _decode(await read_body(request, limit)))
    raise ProtocolError(
        415,
        f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}, "
        f"not {content_type or 'a body without Content-Type'}",
    )
