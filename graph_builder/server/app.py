"""The ASGI application: the SPARQL endpoint, the query page and its static assets.

Handlers only read requests and write responses; every query goes to the worker
pool (pool.py), so the event loop stays free while queries run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .guard import Refused, check_read_only
from .negotiation import GRAPH, RESULTS, NotAcceptable, choose, formats_of
from .pool import Busy, PoolError, WorkerPool
from .protocol import SPARQL_QUERY, ProtocolError, read_sparql_request
from .service_description import description, serialize_description

STATIC = Path(__file__).resolve().parent / "static"
RESULT_HEADERS = ("X-Result-Rows", "X-Result-Truncated")
#: The query page may talk to this server only; nothing is loaded from elsewhere.
PAGE_POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass
class Settings:
    graph_files: list[tuple[str, str]]  # (path, media type) for the workers to load
    prefixes: dict[str, str]
    library: list[dict[str, Any]] = field(default_factory=list)
    explorer: Path | None = None
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    cors_origin: str | None = None
    max_body: int = 1_000_000

    def pool(self) -> WorkerPool:
        config = {"files": self.graph_files, "prefixes": self.prefixes}
        return WorkerPool(config, self.workers, self.timeout)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(f"error: {message}\n", status_code=status, headers=headers)


def create_app(settings: Settings, pool: WorkerPool) -> Starlette:
    """The app over a started pool (run.py starts and stops it, so a worker that cannot
    load the graph is reported before any request is accepted)."""
    formats = {
        kind: [[f.name, f.label, f.extension] for f in formats_of(kind)]
        for kind in (RESULTS, GRAPH)
    }
    library_json = json.dumps(
        {"prefixes": settings.prefixes, "queries": settings.library, "formats": formats},
        ensure_ascii=False,
    ).encode("utf-8")

    def service_description(request: Request) -> Response:
        try:
            requested = request.query_params.getlist("format")
            fmt = choose(GRAPH, request.headers.get("accept"), requested)
        except NotAcceptable as exc:
            return error(406, str(exc))
        endpoint = str(request.url.replace(query=None, fragment=None))
        triples = list(
            description(
                endpoint, pool.triples, settings.prefixes, settings.timeout, settings.max_rows
            )
        )
        body = serialize_description(triples, fmt.media_type)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})

    async def sparql(request: Request) -> Response:
        try:
            req = await read_sparql_request(request, settings.max_body)
        except ProtocolError as exc:
            return error(exc.status, str(exc))
        if req.query is None:
            if request.method == "GET":
                return service_description(request)
            return error(400, f"no query: send query=... as a form field or a {SPARQL_QUERY} body")
        if not req.query.strip():
            return error(400, "the query is empty")
        try:
            check_read_only(req.query)
        except Refused as exc:
            return error(403, str(exc))
        job = {
            "query": req.query,
            "accept": request.headers.get("accept"),
            "format": req.formats,
            "max_rows": settings.max_rows,
            "default_graph": req.default_graph,
            "named_graph": req.named_graph,
            "bindings": req.bindings,
        }
        try:
            header, body = await pool.run(job)
        except PoolError as exc:
            retry = {"Retry-After": "1"} if isinstance(exc, Busy) else None
            return error(exc.status, str(exc), retry)
        if header["status"] != 200:
            return error(header["status"], header["error"])
        headers = {"Vary": "Accept", "X-Result-Rows": str(header["rows"])}
        if header["truncated"]:
            headers["X-Result-Truncated"] = f"max-rows={settings.max_rows}"
        return Response(body, media_type=header["media_type"], headers=headers)

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": PAGE_POLICY})

    async def queries(request: Request) -> Response:
        return Response(library_json, media_type="application/json")

    async def explore(request: Request) -> Response:
        if settings.explorer and settings.explorer.is_file():
            return FileResponse(settings.explorer, media_type="text/html")
        return HTMLResponse(EXPLORER_MISSING, status_code=404)

    middleware = []
    if settings.cors_origin:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=[settings.cors_origin],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=list(RESULT_HEADERS),
            )
        )
    routes = [
        Route("/", page),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/queries", queries),
        Route("/explore", explore),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes, middleware=middleware)


EXPLORER_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body class="notice"><h1>The network explorer has not been built yet</h1>
<p>Build it, then reload this page:</p>
<pre>hospital-kg viz --output build/explorer.html</pre>
<p><a href="/">Back to the query page</a></p></body></html>
"""
