"""The ASGI application: the SPARQL endpoint, the query page and its static assets.

Handlers only read requests and write responses; every query goes to the worker
pool (pool.py), so the event loop stays free while queries run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from graph_builder.rdf.namespaces import BASE
from graph_builder.sparql.lexer import MAX_DEPTH, QUERY_FORMS, profile

from .bindings import BindingError, check_bindings
from .guard import Refused, check_read_only
from .linked_data import LinkedData, PageSettings
from .negotiation import GRAPH, RESULTS, NotAcceptable, choose, formats_of
from .origins import CorsPolicy, HostPolicy
from .pool import Busy, PoolError, WorkerPool
from .protocol import SPARQL_QUERY, ProtocolError, SparqlRequest, read_sparql_request
from .reconcile import Limits, Reconciliation
from .responses import error, preflight
from .result_cache import (
    BYPASS,
    DEFAULT_CACHE_BYTES,
    HEADER,
    HIT,
    MISS,
    Entry,
    ResultCache,
    cache_control_bypass,
)
from .review import Review
from .service_description import description, serialize_description

STATIC = Path(__file__).resolve().parent / "static"
#: The endpoint's methods, in the order an Allow header lists them.
METHODS = ("GET", "HEAD", "POST", "OPTIONS")
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
    cors_origins: tuple[str, ...] = ("*",)  # ("*",) any page, () off (--cors none)
    max_body: int = 1_000_000
    allow_hosts: tuple[str, ...] = ()  # --allow-host names, beside the loopback ones
    listen_host: str = "127.0.0.1"  # --host: loopback means only its own names in Host
    max_url: int = 8192  # longer URLs get 414 (httptools refuses 64 KiB ones itself)
    max_bindings: int = 100
    max_depth: int = MAX_DEPTH  # deeper queries are refused (they crash the engine)
    max_memory: int = 1024 * 2**20  # bytes a query may allocate in its worker
    reserve: int = 1  # express workers kept for queries not known to be heavy
    express_seconds: float = 0.1  # CPU seconds; longer, an express query moves to the general lane
    max_headers: int = 64 * 1024  # bytes of request headers (httptools sets no bound itself)
    project_root: Path | None = None  # for the review page (data/reports, data/facts)
    reconcile_batch: int = 100  # most queries in one reconciliation batch (/reconcile)
    reconcile_chars: int = 500  # longest reconciliation query string, value, prefix or id
    reconcile_limit: int = 100  # most candidates per reconciliation query or suggestion
    store: str | None = None  # an on-disk Oxigraph store to open read-only instead of files
    union_default_graph: bool = False  # without dataset parameters, query all graphs as one
    base: str = BASE  # --base: the IRI prefix the server's root stands for (Linked Data pages)
    cache_bytes: int = DEFAULT_CACHE_BYTES  # --cache-bytes: the result cache's bound, 0 off

    def pool(self) -> WorkerPool:
        config = {
            "files": self.graph_files,
            "store": self.store,
            "union": self.union_default_graph,
            "prefixes": self.prefixes,
            "max_memory": self.max_memory,
        }
        return WorkerPool(config, self.workers, self.timeout, self.reserve, self.express_seconds)


def url_length(scope: Scope) -> int:
    """Bytes of the request target as it was sent: the path and the query string."""
    path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    query: bytes = scope.get("query_string", b"")
    return len(path) + (len(query) + 1 if query else 0)


def endpoint_url(request: Request) -> str:
    """The endpoint's URL as the client named it: the service description's subject and
    the base IRI of the queries (the Host header is checked by Gate first)."""
    scope = request.scope
    host = next((value for key, value in scope["headers"] if key == b"host"), None)
    server = scope.get("server")
    return _endpoint_url(
        scope.get("scheme", "http"), tuple(server) if server else None, scope["path"], host
    )


@lru_cache(maxsize=64)
def _endpoint_url(
    scheme: str, server: tuple[str, int | None] | None, path: str, host: bytes | None
) -> str:
    """Starlette's URL of a scope with only what it reads for these parts (0.1 ms a
    request, the same few values every time)."""
    headers = [] if host is None else [(b"host", host)]
    scope = {"type": "http", "scheme": scheme, "server": server, "path": path, "headers": headers}
    return str(URL(scope=scope))


class Gate:
    """Refuses, before any route runs, a request whose Host does not name this server
    (DNS rebinding), or whose URL is over `max_url`: 414 with a hint to POST, where
    uvicorn would answer a bare 400 to URLs of 64 KiB (httptools' limit)."""

    def __init__(self, app: ASGIApp, hosts: HostPolicy, max_url: int) -> None:
        self.app, self.hosts, self.max_url = app, hosts, max_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = self.refusal(scope) if scope["type"] == "http" else None
        if refusal is None:
            await self.app(scope, receive, send)
        else:
            await refusal(scope, receive, send)

    def refusal(self, scope: Scope) -> Response | None:
        hosts = [value.decode("latin-1") for key, value in scope["headers"] if key == b"host"]
        server = scope.get("server")
        local = (str(server[0]), int(server[1])) if server and server[1] is not None else None
        refused = self.hosts.refusal(hosts, scope.get("http_version", "1.1"), local)
        if refused is not None:
            return error(*refused)
        length = url_length(scope)
        if length > self.max_url:
            return error(
                414,
                f"the URL is {length:,} bytes, over this server's limit of {self.max_url:,}; "
                f"POST the query instead (a form, or an {SPARQL_QUERY} body)",
            )
        return None


class Endpoint:
    """/sparql: the SPARQL 1.1 Protocol over the worker pool, behind the CORS policy."""

    def __init__(self, settings: Settings, pool: WorkerPool, cache: ResultCache) -> None:
        self.settings, self.pool, self.cache = settings, pool, cache
        self.cors = CorsPolicy(settings.cors_origins)

    async def handle(self, request: Request) -> Response:
        """Every answer, an error too, carries the CORS headers so a page can read it."""
        response = await self.answer(request)
        response.headers.update(self.cors.headers(request.headers.get("origin")))
        response.headers["Vary"] = "Accept, Origin"
        return response

    async def answer(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return self.options(request)
        headers = request.headers
        refusal = self.cors.refusal(
            headers.get("origin"), headers.get("host"), request.method, headers.get("content-type")
        )
        if refusal is not None:
            return error(403, refusal)
        try:
            req = await read_sparql_request(request, self.settings.max_body)
        except ProtocolError as exc:
            return error(exc.status, str(exc))
        if req.query is None:
            if request.method != "POST":
                return self.service_description(request, req.formats)
            return error(400, f"no query: send query=... as a form field or a {SPARQL_QUERY} body")
        return self.refuse(req.query, req) or await self.run(request, req)

    def refuse(self, query: str, req: SparqlRequest) -> Response | None:
        """400 or 403 for a query no worker should see: empty, an update, SERVICE, or
        bindings Oxigraph would refuse with an internal error."""
        if not query.strip():
            return error(400, "the query is empty")
        try:
            check_read_only(query, self.settings.max_depth)
            check_bindings(req.bindings, query, self.settings.max_bindings)
        except Refused as exc:
            return error(exc.status, str(exc))
        except BindingError as exc:
            return error(400, str(exc))
        return None

    def cache_key(
        self, request: Request, req: SparqlRequest, base_iri: str
    ) -> tuple[bytes, str] | None:
        """The answer's key in the result cache and the media type it will have; None when
        it is not cacheable: the query form is unknown, or no format is acceptable (the
        worker answers those itself)."""
        assert req.query is not None
        form = profile(req.query).form
        if form not in QUERY_FORMS:
            return None
        kind = GRAPH if form in ("CONSTRUCT", "DESCRIBE") else RESULTS
        try:
            fmt = choose(kind, request.headers.get("accept"), req.formats)
        except NotAcceptable:
            return None
        key = self.cache.key(
            req.query,
            req.bindings,
            req.default_graph,
            req.named_graph,
            fmt.media_type,
            self.settings.max_rows,
            base_iri,
        )
        return key, fmt.media_type

    def answer_of(self, entry: Entry, cached: str) -> Response:
        headers = {"X-Result-Rows": str(entry.rows), HEADER: cached}
        if entry.truncated:
            headers["X-Result-Truncated"] = f"max-rows={self.settings.max_rows}"
        return Response(entry.body, media_type=entry.media_type, headers=headers)

    async def run(self, request: Request, req: SparqlRequest) -> Response:
        """Answer from the result cache, else from a worker (and keep a good answer).
        Every refusal has happened by now, so a cached answer only reaches a request
        that a worker would have answered."""
        base_iri = endpoint_url(request)
        skip_lookup, skip_store = cache_control_bypass(request.headers)
        keyed = self.cache_key(request, req, base_iri) if self.cache.enabled else None
        cached = BYPASS if skip_lookup else MISS
        if keyed is not None and not skip_lookup:
            entry = self.cache.get(keyed[0])
            if entry is not None:
                return self.answer_of(entry, HIT)
        elif skip_lookup:
            self.cache.bypasses += 1
        job = {
            "query": req.query,
            "accept": request.headers.get("accept"),
            "format": req.formats,
            "max_rows": self.settings.max_rows,
            "default_graph": req.default_graph,
            "named_graph": req.named_graph,
            "bindings": req.bindings,
            "base_iri": base_iri,
        }
        try:
            header, body = await self.pool.run(job)
        except PoolError as exc:
            retry = {"Retry-After": "1"} if isinstance(exc, Busy) else None
            return error(exc.status, str(exc), {**(retry or {}), HEADER: cached})
        if header["status"] != 200:
            return error(header["status"], header["error"], {HEADER: cached})
        entry = Entry(body, header["media_type"], int(header["rows"]), bool(header["truncated"]))
        # a media type other than the predicted one: the form was misread; never store that
        if keyed is not None and not skip_store and entry.media_type == keyed[1]:
            self.cache.put(keyed[0], entry)
        return self.answer_of(entry, cached)

    def service_description(self, request: Request, formats: list[str]) -> Response:
        try:
            fmt = choose(GRAPH, request.headers.get("accept"), formats)
        except NotAcceptable as exc:
            return error(406, str(exc))
        settings = self.settings
        triples = list(
            description(
                endpoint_url(request),
                self.pool.triples,
                settings.prefixes,
                settings.timeout,
                settings.max_rows,
                self.pool.named_graphs,
                settings.union_default_graph,
            )
        )
        return Response(serialize_description(triples, fmt.media_type), media_type=fmt.media_type)

    def options(self, request: Request) -> Response:
        return preflight(self.cors, request, METHODS)


def _method_order(method: str) -> int:
    return METHODS.index(method) if method in METHODS else len(METHODS)


def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405 as one-line errors, with Allow in a stable order."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = sorted(
            (m.strip() for m in headers.get("Allow", "").split(",")), key=_method_order
        )
        headers["Allow"] = ", ".join(allowed)
        return error(405, f"{request.method} is not allowed here; use {headers['Allow']}", headers)
    return error(exc.status_code, exc.detail.lower(), headers)


def create_app(settings: Settings, pool: WorkerPool, cache: ResultCache | None = None) -> Starlette:
    """The app over a started pool (run.py starts and stops it, so a worker that cannot
    load the graph is reported before any request is accepted) and the result cache
    (run.py sets its content hash once the graph files are hashed)."""
    formats = {
        kind: [[f.name, f.label, f.extension] for f in formats_of(kind)]
        for kind in (RESULTS, GRAPH)
    }
    library_json = json.dumps(
        {
            "prefixes": settings.prefixes,
            "queries": settings.library,
            "formats": formats,
            "base": settings.base,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    cache = cache if cache is not None else ResultCache(settings.cache_bytes)
    endpoint = Endpoint(settings, pool, cache)

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": PAGE_POLICY})

    async def queries(request: Request) -> Response:
        return Response(library_json, media_type="application/json")

    async def cache_stats(request: Request) -> Response:
        return Response(json.dumps(cache.stats()), media_type="application/json")

    async def explore(request: Request) -> Response:
        if settings.explorer and settings.explorer.is_file():
            return FileResponse(settings.explorer, media_type="text/html")
        return HTMLResponse(EXPLORER_MISSING, status_code=404)

    routes = [
        Route("/", page),
        Route("/sparql", endpoint.handle, methods=list(METHODS)),
        Route("/api/queries", queries),
        Route("/api/cache", cache_stats),
        Route("/explore", explore),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    if settings.project_root is not None:
        routes[-1:-1] = Review(settings.project_root, settings.listen_host).routes()
    limits = Limits(settings.reconcile_batch, settings.reconcile_chars, settings.reconcile_limit)
    reconciliation = Reconciliation(
        pool, settings.prefixes, settings.cors_origins, limits, settings.max_body
    )
    routes[-1:-1] = reconciliation.routes()
    pages = PageSettings(
        settings.base,
        settings.max_rows,
        settings.project_root,
        settings.library,
        settings.prefixes,
        PAGE_POLICY,
    )
    routes[-1:-1] = LinkedData(pool, pages).routes()
    hosts = HostPolicy.of(settings.listen_host, settings.allow_hosts)
    return Starlette(
        routes=routes,
        middleware=[Middleware(Gate, hosts=hosts, max_url=settings.max_url)],
        exception_handlers={HTTPException: http_error},
    )


EXPLORER_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body class="notice"><h1>The network explorer has not been built yet</h1>
<p>Build it, then reload this page:</p>
<pre>hospital-kg viz --output build/explorer.html</pre>
<p><a href="/">Back to the query page</a></p></body></html>
"""
