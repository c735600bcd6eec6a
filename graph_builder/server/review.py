"""The review page: a report's text with its candidate facts, and accept / reject buttons.

It is the one part of `hospital-kg serve` that writes (a decision line in
data/facts/<report>.candidates.yaml, through candidates_file.set_decision), so it is
served only by a server bound to loopback, to clients on loopback, and a decision is
taken only as a same-origin JSON POST (a foreign page cannot send one without a CORS
preflight, which this route never grants). Everything else stays read-only.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from graph_builder.errors import HospitalKgError
from graph_builder.extract import candidates_file
from graph_builder.extract.candidates_file import REVIEW_DECISIONS, Entry
from graph_builder.ingest.ids import ID_PATTERN
from graph_builder.ingest.loader import CANDIDATES_SUFFIX
from graph_builder.ingest.source_text import read_utf8

from .origins import is_loopback, same_origin
from .responses import error

STATIC = Path(__file__).resolve().parent / "static"
PAGE_POLICY = (
    "default-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
LOOPBACK_ONLY = (
    "the review page writes to data/facts, so it is served only by a server bound to "
    "127.0.0.1 and to clients on this machine"
)


@dataclass
class Review:
    """The review routes over a project's data/ folder."""

    root: Path
    listen_host: str

    @property
    def facts(self) -> Path:
        return self.root / "data" / "facts"

    @property
    def reports(self) -> Path:
        return self.root / "data" / "reports"

    def routes(self) -> list[Route]:
        return [
            Route("/review", self.page),
            Route("/review/{report}", self.page),
            Route("/api/review", self.index),
            Route("/api/review/{report}", self.report),
            Route("/api/review/{report}/{candidate}", self.decide, methods=["POST"]),
        ]

    def refusal(self, request: Request) -> Response | None:
        client = request.client.host if request.client else ""
        if not is_loopback(self.listen_host) or not _loopback_client(client):
            return error(403, LOOPBACK_ONLY)
        return None

    async def page(self, request: Request) -> Response:
        refused = self.refusal(request)
        if refused is not None:
            return refused
        return FileResponse(
            STATIC / "review.html", headers={"Content-Security-Policy": PAGE_POLICY}
        )

    async def index(self, request: Request) -> Response:
        """Every report that has a candidates file, with how many candidates are undecided."""
        refused = self.refusal(request)
        if refused is not None:
            return refused
        listed: list[dict[str, Any]] = []
        for path in sorted(self.facts.glob(f"*{CANDIDATES_SUFFIX}")):
            report = path.name.removesuffix(CANDIDATES_SUFFIX)
            try:
                entries = candidates_file.load(path).entries
            except HospitalKgError as exc:
                listed.append({"report": report, "title": "", "error": str(exc)})
                continue
            decided = [entry.decision for entry in entries]
            listed.append(
                {
                    "report": report,
                    "title": self._title(report),
                    "candidates": len(entries),
                    "proposed": decided.count("proposed"),
                }
            )
        return JSONResponse({"reports": listed})

    async def report(self, request: Request) -> Response:
        """The report's text and its candidates (offsets index the text exactly)."""
        refused = self.refusal(request)
        if refused is not None:
            return refused
        report = request.path_params["report"]
        path = self._candidates(report)
        if path is None:
            return error(404, f"no candidates for a report {report!r}")
        try:
            found = candidates_file.load(path)
            text = read_utf8(self.reports / f"{report}.txt")
        except (HospitalKgError, OSError) as exc:
            return error(500, f"cannot read {report}: {exc}")
        return JSONResponse(
            {
                "report": report,
                "title": self._title(report),
                "text": text,
                "hospital": None if found.hospital is None else vars(found.hospital),
                "decisions": list(REVIEW_DECISIONS),
                "candidates": [_entry_json(entry) for entry in found.entries],
            }
        )

    async def decide(self, request: Request) -> Response:
        """POST {"decision": "accept" | "reject" | "proposed"}: one line of the file changes."""
        refused = self.refusal(request)
        if refused is not None:
            return refused
        origin = request.headers.get("origin")
        if origin is not None and not same_origin(origin, request.headers.get("host")):
            return error(403, "decisions are taken only from this server's own review page")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return error(415, 'send the decision as application/json: {"decision": ...}')
        report, candidate = request.path_params["report"], request.path_params["candidate"]
        path = self._candidates(report)
        if path is None:
            return error(404, f"no candidates for a report {report!r}")
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return error(400, "the body is not JSON")
        decision = body.get("decision") if isinstance(body, dict) else None
        if decision not in REVIEW_DECISIONS:
            return error(400, f"decision must be one of: {', '.join(REVIEW_DECISIONS)}")
        try:
            entry_ids = {entry.id for entry in candidates_file.load(path).entries}
        except HospitalKgError as exc:
            return error(409, str(exc))
        if candidate not in entry_ids:
            return error(404, f"no candidate {candidate!r} for report {report}")
        try:
            candidates_file.set_decision(path, candidate, decision)
        except HospitalKgError as exc:  # e.g. an accepted candidate cannot be decided again
            return error(409, str(exc))
        return JSONResponse({"id": candidate, "decision": decision})

    def _candidates(self, report: str) -> Path | None:
        """The report's candidates file, if `report` is an id that has one (no paths)."""
        if not ID_PATTERN.fullmatch(report):
            return None
        path = candidates_file.candidates_path(self.facts, report)
        return path if path.is_file() else None

    def _title(self, report: str) -> str:
        try:
            meta = yaml.safe_load((self.reports / f"{report}.yaml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            return ""
        return str(meta.get("title", "")) if isinstance(meta, dict) else ""


def _loopback_client(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _jsonable(value: Any) -> Any:
    """Records as JSON can carry them: dates (YAML reads 2024-09-26 as one) as text."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _entry_json(entry: Entry) -> dict[str, Any]:
    data = entry.candidate.to_json()
    data.update(
        id=entry.id,
        decision=entry.decision,
        problem=entry.problem or "",
        fact=_jsonable(entry.fact),
    )
    return data
