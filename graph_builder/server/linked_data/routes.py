"""The Linked Data routes: every IRI of the graph answered at its path under the base.

`/id/...`, `/vocab/...` and `/ontology` answer HTML to browsers and the entity's
concise bounded description in any RDF format of the project's table by content
negotiation (or `?format=`). Every query runs on the worker pool; the pages are
assembled in a thread from the answers, so the event loop only routes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from graph_builder.network.explorer import VIS_JS
from graph_builder.rdf.namespaces import BASE, HKG
from graph_builder.rdf.vocabulary import Vocabulary, load_ontology

from ..negotiation import GRAPH, Format, NotAcceptable, choose_among, formats_of
from ..responses import error
from . import model, queries
from .ego import ego_network
from .paths import ONTOLOGY_PATH, Resolver
from .reader import Reader, Unreadable
from .render import Renderer, query_links
from .texts import ReportTexts, Segment, Text, passage, segments

STATIC = Path(__file__).resolve().parent / "static"
VIS_PATH = Path(__file__).resolve().parent.parent.parent / "network" / "assets" / VIS_JS
HTML = Format("html", "text/html", "page", ".html", ("application/xhtml+xml",), "", "HTML")
#: HTML first: a client that accepts anything (a browser's */*) gets the page.
OFFERED = [HTML, *formats_of(GRAPH)]
WHAT = "this resource"
#: IRIs per summaries query (the VALUES block stays a reasonable size).
CHUNK = 400


@dataclass
class PageSettings:
    """What the pages need of the server's settings."""

    base: str = BASE
    max_rows: int = 10_000
    project_root: Path | None = None
    library: list[dict[str, Any]] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    policy: str = "default-src 'self'"


class LinkedData:
    def __init__(self, pool: Any, settings: PageSettings) -> None:
        self.settings = settings
        self.resolver = Resolver(settings.base)
        self.reader = Reader(pool, settings.max_rows)
        self.texts = ReportTexts(settings.project_root)
        self.vocabulary = self._vocabulary(settings.project_root)
        self.renderer = Renderer(self.resolver)
        self.headers = {
            "Content-Security-Policy": settings.policy,
            "X-Content-Type-Options": "nosniff",
            "Vary": "Accept",
        }

    @staticmethod
    def _vocabulary(root: Path | None) -> Vocabulary | None:
        """The ontology's class hierarchy and labels, for kinds and the ego network."""
        path = None if root is None else root / "ontology" / "hospital-kg.ttl"
        if path is None or not path.is_file():
            return None
        return Vocabulary(load_ontology(path))

    def routes(self) -> list[BaseRoute]:
        methods = ["GET", "HEAD"]
        return [
            Route("/id/{rest:path}", self.resource, methods=methods),
            Route("/vocab/{rest:path}", self.resource, methods=methods),
            Route(ONTOLOGY_PATH, self.resource, methods=methods),
            Route("/ld/vis-network.js", self.vis, methods=methods),
            Mount("/ld", StaticFiles(directory=STATIC), name="linked-data"),
        ]

    async def vis(self, request: Request) -> Response:
        return FileResponse(VIS_PATH, media_type="text/javascript")

    async def resource(self, request: Request) -> Response:
        path = request.scope["path"]
        try:
            fmt: Format | None = choose_among(
                OFFERED, request.headers.get("accept"), request.query_params.getlist("format"), WHAT
            )
        except NotAcceptable as exc:
            fmt, refusal = None, str(exc)
        iri = self.resolver.iri(path)
        if iri is None:
            return self.missing(fmt, path)
        if fmt is None:
            return self.answer(error(406, refusal))
        try:
            if fmt is HTML:
                return await self.page(iri, path)
            return await self.rdf(iri, path, fmt)
        except Unreadable as exc:
            retry = {"Retry-After": "1"} if exc.retry else None
            return self.answer(error(exc.status, str(exc), retry))

    def answer(self, response: Response) -> Response:
        response.headers["Vary"] = "Accept"
        return response

    def missing(self, fmt: Format | None, path: str) -> Response:
        """404: a page for browsers, one line for everyone else."""
        if fmt is HTML:
            html = self.renderer.missing(path)
            return HTMLResponse(html, status_code=404, headers=self.headers)
        return self.answer(error(404, f"this graph holds nothing at {path[:200]}"))

    async def rdf(self, iri: str, path: str, fmt: Format) -> Response:
        query = queries.ontology(iri) if path == ONTOLOGY_PATH else queries.description(iri)
        answer = await self.reader.construct(query, fmt.name)
        if not answer.triples:
            return self.missing(fmt, path)
        headers = {"Vary": "Accept", "X-Content-Type-Options": "nosniff"}
        if answer.truncated:
            headers["X-Result-Truncated"] = f"max-rows={self.settings.max_rows}"
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def page(self, iri: str, path: str) -> Response:
        if path == ONTOLOGY_PATH:
            graph, _ = await self.reader.graph(queries.ontology(iri))
            if (URIRef(iri), RDF.type, OWL.Ontology) not in graph:
                return self.missing(HTML, path)
            html = await asyncio.to_thread(self._ontology_page, graph, URIRef(iri))
            return HTMLResponse(html, headers=self.headers)
        graph, truncated = await self.reader.graph(queries.page(iri))
        node = URIRef(iri)
        if (node, None, None) not in graph:
            return self.missing(HTML, path)
        graph += await self._summaries(graph)
        texts = await self._texts(graph, node)
        html = await asyncio.to_thread(self._entity_page, graph, node, texts, truncated)
        return HTMLResponse(html, headers=self.headers)

    async def _summaries(self, graph: Graph) -> Graph:
        """Names and kinds of every IRI the page mentions, predicates included."""
        iris = sorted({str(t) for triple in graph for t in triple if isinstance(t, URIRef)})
        found = Graph()
        for i in range(0, len(iris), CHUNK):
            part, _ = await self.reader.graph(queries.summaries(iris[i : i + CHUNK]))
            found += part
        return found

    async def _texts(self, graph: Graph, node: URIRef) -> dict[URIRef, Text]:
        """The text of every report the page quotes (or is)."""
        reports = set(graph.objects(None, PROV.wasQuotedFrom))
        if (node, RDF.type, HKG.Report) in graph:
            reports.add(node)
        texts = {}
        for report in sorted(r for r in reports if isinstance(r, URIRef)):
            texts[report] = await self.texts.get(
                model.literal(graph, report, HKG.sourceFile) or None,
                model.literal(graph, report, HKG.sha256) or None,
            )
        return texts

    def _reading(self, graph: Graph) -> model.Reading:
        return model.Reading(graph, self.resolver, self.vocabulary, self.settings.prefixes)

    def _entity_page(
        self, graph: Graph, node: URIRef, texts: dict[URIRef, Text], truncated: bool
    ) -> str:
        reading = self._reading(graph)
        entity = model.entity(reading, node)
        entity.truncated = truncated
        for ev in _all_evidence(entity):
            _place(ev, texts)
        if entity.is_report:
            text = texts.get(node, Text(None, "the graph names no text file for this report"))
            quotes = model.quoted_from(graph, node)
            entity.quote_targets = {
                str(ev): self.resolver.href(str(target or ev)) for ev, _, _, target in quotes
            }
            if text.text is not None:
                spans = [(s, e, str(ev)) for ev, s, e, _ in quotes]
                entity.report_segments = segments(text.text, spans)
                entity.report_ids = first_segments(entity.report_segments)
            else:
                entity.report_reason = text.reason
        entity.queries = query_links(self.settings.library, graph, node, reading)
        ego = None
        if self.vocabulary is not None:
            ego = ego_network(graph, node, self.vocabulary, self.resolver)
        formats = [(f.label, f"?format={f.name}") for f in OFFERED if f is not HTML]
        return self.renderer.entity(entity, ego, formats)

    def _ontology_page(self, graph: Graph, node: URIRef) -> str:
        onto = model.ontology(self._reading(graph), node)
        formats = [(f.label, f"?format={f.name}") for f in OFFERED if f is not HTML]
        return self.renderer.ontology(onto, formats)


def first_segments(pieces: list[Segment]) -> dict[int, list[str]]:
    """The ids of the quotes on the report page, on the first segment each covers (the
    evidence links of other pages point there)."""
    ids: dict[int, list[str]] = {}
    seen: set[str] = set()
    for index, piece in enumerate(pieces):
        for key in piece.keys:
            if key not in seen:
                seen.add(key)
                ids.setdefault(index, []).append("q-" + key.rsplit("/", 1)[-1])
    return ids


def _all_evidence(entity: model.Entity) -> Iterable[model.Evidence]:
    yield from entity.evidence
    if entity.fact is not None:
        yield from entity.fact.evidence
    for group in entity.facts:
        for _, facts in group.subgroups:
            for fact in facts:
                yield from fact.evidence


def _place(ev: model.Evidence, texts: dict[URIRef, Text]) -> None:
    """The paragraph of the report around the quote, or why it cannot be shown."""
    if ev.report is None:
        ev.reason = "the graph names no report for this quote"
        return
    text = texts.get(URIRef(ev.report.iri))
    if text is None or text.text is None:
        ev.reason = text.reason if text else "the report's text is not available"
        return
    if ev.start is None or ev.end is None:
        ev.reason = "the graph gives no offsets for this quote"
        return
    found = passage(text.text, ev.start, ev.end)
    if found is None or (ev.quote and found.quote != ev.quote):
        ev.reason = "the quote is not at its offsets in the report's text"
        return
    ev.passage = found
