"""The reconciliation routes: /reconcile (manifest and queries), /reconcile/match,
/reconcile/preview, /reconcile/view and /reconcile/suggest/{entity,type,property}.

Read-only, like the endpoint: every answer comes from the index (index.py) or from a
SELECT run by the query workers; nothing here calls out. Every route speaks CORS under
the --cors policy (the spec requires it of all of them), refuses a cross-site form POST
as /sparql does, and answers bad input with one line of text/plain.

JSONP is not offered: OpenRefine asks for the manifest with CORS first and falls back to
JSONP only when that fails, which here means --cors refused its page; JSONP would then
hand the answer to that page anyway (a script tag is not subject to CORS). A `callback`
parameter is answered 400 with that reason.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..origins import CorsPolicy
from ..pool import PoolError, WorkerPool
from ..protocol import FORM, ProtocolError, check_encoding, content_type, decode_params, read_body
from ..responses import error, preflight
from .index import (
    CLASS_QUERY,
    IDENTIFIER_SPACE,
    SCHEMA_SPACE,
    TIES_QUERY,
    Index,
    entity_query,
    solutions,
)
from .matching import (
    BadQuery,
    Limits,
    Matcher,
    Query,
    read_draft_batch,
    read_v02_batch,
    suggest_entities,
    suggest_properties,
    suggest_types,
)
from .names import Scores, load_rules
from .preview import card, describe_link, fact_lines, facts_query

JSON = "application/json"
NAME = "hospital-kg: Chinese hospitals, alliances and designations (医院知识图谱)"
PREVIEW_SIZE = {"width": 420, "height": 260}
#: Rows the index queries may return (the workers' --max-rows is for clients).
INDEX_ROWS = 50_000_000
NO_JSONP = (
    "JSONP is not offered: this service answers JSON with CORS headers (--cors); "
    "ask without callback="
)

Handler = Callable[[Request], Awaitable[Response]]


class Unavailable(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def frame_ancestors(origins: tuple[str, ...]) -> str:
    """Who may show the preview in a frame: the pages --cors lets read the service."""
    if "*" in origins:
        return "*"
    return " ".join(("'self'", *origins))


class Reconciliation:
    """The W3C Reconciliation Service API (0.2, and the 1.0 draft's JSON match) over the
    worker pool."""

    def __init__(
        self,
        pool: WorkerPool,
        prefixes: dict[str, str],
        cors_origins: tuple[str, ...],
        limits: Limits,
        max_body: int,
    ) -> None:
        self.pool, self.prefixes, self.limits, self.max_body = pool, prefixes, limits, max_body
        self.cors = CorsPolicy(cors_origins)
        self.rules = load_rules()
        self.scores = Scores.of(self.rules)
        self.built: Index | None = None
        self.lock = asyncio.Lock()
        self.preview_policy = (
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            f"form-action 'none'; frame-ancestors {frame_ancestors(cors_origins)}"
        )
        self.view_policy = (
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        )

    def routes(self) -> list[Route]:
        read = ("GET", "HEAD", "OPTIONS")
        routes = [
            ("/reconcile", self.service, ("GET", "HEAD", "POST", "OPTIONS")),
            ("/reconcile/match", self.match, ("POST", "OPTIONS")),
            ("/reconcile/preview", self.preview, read),
            ("/reconcile/view", self.view, read),
            ("/reconcile/suggest/entity", self.suggest_entity, read),
            ("/reconcile/suggest/type", self.suggest_type, read),
            ("/reconcile/suggest/property", self.suggest_property, read),
        ]
        return [
            Route(path, self.wrap(answer, methods), methods=list(methods))
            for path, answer, methods in routes
        ]

    # -- plumbing ------------------------------------------------------------------------

    def wrap(self, answer: Handler, methods: tuple[str, ...]) -> Handler:
        """CORS on every answer (errors too), preflights, and the cross-site form guard."""

        async def handle(request: Request) -> Response:
            headers = request.headers
            origin = headers.get("origin")
            if request.method == "OPTIONS":
                response = self.options(request, methods)
            else:
                refusal = self.cors.refusal(
                    origin, headers.get("host"), request.method, headers.get("content-type")
                )
                if refusal is not None:
                    response = error(403, refusal)
                else:
                    try:
                        response = await answer(request)
                    except (BadQuery, ProtocolError, Unavailable) as exc:
                        response = error(exc.status, str(exc))
            response.headers.update(self.cors.headers(origin))
            response.headers["Vary"] = "Origin"
            return response

        return handle

    def options(self, request: Request, methods: tuple[str, ...]) -> Response:
        return preflight(self.cors, request, methods)

    async def index(self) -> Index:
        """The index, built on first use from three SELECTs run by the query workers."""
        if self.built is None:
            async with self.lock:
                if self.built is None:
                    kinds = [self.expand(k) for k in self.rules["entity_kinds"]]
                    entities = await self.select(entity_query(kinds))
                    ties = await self.select(TIES_QUERY)
                    classes = await self.select(CLASS_QUERY)
                    self.built = await asyncio.to_thread(
                        Index, entities, ties, classes, self.rules, self.prefixes
                    )
        return self.built

    def expand(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes else name

    async def select(self, query: str, max_rows: int = INDEX_ROWS) -> list[Any]:
        job = {"query": query, "format": ["json"], "max_rows": max_rows}
        try:
            header, body = await self.pool.run(job)
        except PoolError as exc:
            raise Unavailable(exc.status, f"the graph could not be read: {exc}") from None
        if header["status"] != 200:
            raise Unavailable(500, f"the graph could not be read: {header.get('error')}")
        return solutions(body)

    @staticmethod
    def params(request: Request) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for key, value in decode_params(request.scope.get("query_string", b""), "the URL"):
            values.setdefault(key, []).append(value)
        return values

    def single(self, values: dict[str, list[str]], name: str, default: str = "") -> str:
        given = values.get(name, [])
        if len(given) > 1:
            raise BadQuery(f"give {name} once, not {len(given)} times")
        return given[0] if given else default

    def number(self, values: dict[str, list[str]], name: str, default: int, low: int) -> int:
        text = self.single(values, name)
        if not text:
            return default
        if not text.isascii() or not text.isdigit() or int(text) < low:
            raise BadQuery(f"{name} must be an integer of at least {low}, not {text[:20]!r}")
        return int(text)

    @staticmethod
    def decode_json(text: str, what: str) -> Any:
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise BadQuery(f"{what} is not JSON") from None

    async def body(self, request: Request) -> tuple[str, bytes]:
        media, params = content_type(request.headers.get("content-type"))
        check_encoding(request.headers, params)
        return media, await read_body(request, self.max_body)

    def base(self, request: Request) -> str:
        """The server's URL as the client named it (Host was checked by the Gate)."""
        return str(request.base_url).rstrip("/")

    # -- the service ---------------------------------------------------------------------

    async def service(self, request: Request) -> Response:
        """GET: the manifest, or queries=; POST: queries= as a form, or a JSON batch."""
        values = self.params(request)
        if "callback" in values:
            raise BadQuery(NO_JSONP)
        if request.method == "POST":
            media, body = await self.body(request)
            if media == JSON:
                return await self.json_batch(self.decode_json(self.text(body), "the body"))
            if media != FORM:
                raise ProtocolError(
                    415,
                    f"POST queries as {FORM} (queries=...) or as {JSON}, "
                    f"not {media or 'a body without Content-Type'}",
                )
            for key, value in decode_params(body, "the form"):
                values.setdefault(key, []).append(value)
            if "callback" in values:
                raise BadQuery(NO_JSONP)
        if "extend" in values:
            raise BadQuery("data extension is not offered; query /sparql for property values")
        if "queries" in values:
            batch = self.decode_json(self.single(values, "queries"), "queries")
            return await self.v02_batch(batch)
        if request.method == "POST":
            raise BadQuery("no queries: send queries={...} (a JSON object of queries)")
        if "query" in values:
            raise BadQuery('send a batch as queries={"q0": {"query": ...}}, not query=')
        return JSONResponse(await self.manifest(request))

    async def match(self, request: Request) -> Response:
        """POST /reconcile/match: the 1.0 draft's JSON batch."""
        media, body = await self.body(request)
        if media != JSON:
            raise ProtocolError(415, f'POST the batch as {JSON}: {{"queries": [...]}}')
        return await self.draft_batch(self.decode_json(self.text(body), "the body"))

    @staticmethod
    def text(body: bytes) -> str:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadQuery("the body is not UTF-8") from None

    async def json_batch(self, batch: Any) -> Response:
        """A JSON body: the draft's {"queries": [...]}, or a 0.2 batch {"q0": {...}}."""
        if isinstance(batch, dict) and isinstance(batch.get("queries"), list):
            return await self.draft_batch(batch)
        return await self.v02_batch(batch)

    async def draft_batch(self, batch: Any) -> Response:
        answers = await self.run(read_draft_batch(batch, self.limits))
        return JSONResponse({"results": [{"candidates": found} for found in answers]})

    async def v02_batch(self, batch: Any) -> Response:
        queries = read_v02_batch(batch, self.limits)
        answers = await self.run(list(queries.values()))
        return JSONResponse(
            {key: {"result": found} for key, found in zip(queries, answers, strict=True)}
        )

    async def run(self, queries: list[Query]) -> list[list[dict[str, Any]]]:
        matcher = Matcher(await self.index(), self.scores)
        # Scoring a batch takes milliseconds per query: off the event loop.
        return await asyncio.to_thread(lambda: [matcher.answer(q) for q in queries])

    async def manifest(self, request: Request) -> dict[str, Any]:
        index = await self.index()
        service = f"{self.base(request)}/reconcile"
        default_types = [
            index.types[t].json(index) for t in index.default_types if t in index.types
        ]
        return {
            "versions": ["0.2"],
            "name": NAME,
            "identifierSpace": IDENTIFIER_SPACE,
            "schemaSpace": SCHEMA_SPACE,
            "defaultTypes": default_types,
            "view": {"url": f"{service}/view?id={{{{id}}}}"},
            "preview": {"url": f"{service}/preview?id={{{{id}}}}", **PREVIEW_SIZE},
            "suggest": {
                kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
                for kind in ("entity", "type", "property")
            },
            "batchSize": self.limits.batch,
        }

    # -- preview, view -------------------------------------------------------------------

    async def entity_card(self, request: Request, full: bool) -> Response:
        values = self.params(request)
        if "callback" in values:
            raise BadQuery(NO_JSONP)
        ident = self.single(values, "id")
        if not ident.strip():
            raise BadQuery("give the entity's id: ?id=changzhi-mch")
        if len(ident) > self.limits.chars:
            raise BadQuery(f"the id is over {self.limits.chars:,} characters (--reconcile-chars)")
        index = await self.index()
        entity = index.entity(ident)
        if entity is None:
            return error(404, f"no entity has the id {ident[:80]!r}")
        try:
            facts = fact_lines(await self.select(facts_query(entity.iri), 100))
        except Unavailable:
            facts = []  # the card without its facts beats no card while the workers are busy
        extra = describe_link(self.base(request), entity) if full else ""
        policy = self.view_policy if full else self.preview_policy
        return HTMLResponse(
            card(index, entity, facts, extra, full),
            headers={"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff"},
        )

    async def preview(self, request: Request) -> Response:
        return await self.entity_card(request, full=False)

    async def view(self, request: Request) -> Response:
        return await self.entity_card(request, full=True)

    # -- suggest -------------------------------------------------------------------------

    def suggest_params(self, request: Request) -> tuple[dict[str, list[str]], str, int, int]:
        values = self.params(request)
        if "callback" in values:
            raise BadQuery(NO_JSONP)
        prefix = self.single(values, "prefix")
        if len(prefix) > self.limits.chars:
            raise BadQuery(
                f"prefix is {len(prefix):,} characters long; at most {self.limits.chars:,} "
                "are read (--reconcile-chars)"
            )
        offset = self.number(values, "offset", 0, 0)
        offset = self.number(values, "cursor", offset, 0)  # the 0.2 spec's name for it
        limit = min(self.number(values, "limit", 10, 1), self.limits.candidates)
        return values, prefix, offset, limit

    async def suggest_entity(self, request: Request) -> Response:
        values, prefix, offset, limit = self.suggest_params(request)
        index = await self.index()
        types = [t for t in values.get("type", []) if t.strip()]
        allowed = Matcher(index, self.scores).allowed(Query(types=types)) if types else None
        found = suggest_entities(index, prefix, allowed, offset, limit)
        return JSONResponse({"result": found})

    async def suggest_type(self, request: Request) -> Response:
        _, prefix, offset, limit = self.suggest_params(request)
        return JSONResponse({"result": suggest_types(await self.index(), prefix, offset, limit)})

    async def suggest_property(self, request: Request) -> Response:
        _, prefix, offset, limit = self.suggest_params(request)
        return JSONResponse({"result": suggest_properties(prefix, offset, limit)})
