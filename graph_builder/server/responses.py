"""Answers every route group of the server shares: the one-line error and the CORS
preflight, so the endpoint and the reconciliation service say both the same way."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from .origins import CorsPolicy


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """One line of text/plain; nosniff, because messages quote the request back."""
    return PlainTextResponse(
        f"error: {' '.join(message.split())}\n",
        status_code=status,
        headers={"X-Content-Type-Options": "nosniff", **(headers or {})},
    )


def preflight(cors: CorsPolicy, request: Request, methods: tuple[str, ...]) -> Response:
    """The methods on offer, or the answer to a CORS preflight (403 if refused)."""
    headers = request.headers
    origin, method = headers.get("origin"), headers.get("access-control-request-method")
    allow = {"Allow": ", ".join(methods)}
    if origin is None or method is None:
        return Response(status_code=204, headers=allow)
    granted, refusal = cors.preflight(
        origin, headers.get("host"), method, headers.get("access-control-request-headers")
    )
    if refusal is not None:
        return error(403, refusal)
    return Response(status_code=204, headers={**allow, **granted})
