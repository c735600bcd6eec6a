"""Limits on the request head itself, enforced while uvicorn parses it.

The app answers 414 to URLs over `--max-url`, but a URL of 64 KiB never reaches it:
httptools cannot parse it and uvicorn answers a bare `400 Invalid HTTP request
received`; and httptools puts no bound on header size (a 4 MB header was
accepted). This protocol counts both while parsing and answers 414 or 431 with
the endpoint's one-line errors instead, then closes the connection.
"""

from __future__ import annotations

from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

#: Most bytes of header names and values in one request.
MAX_HEADER_BYTES = 64 * 1024
POST_HINT = "POST the query instead (a form, or an application/sparql-query body)"


class _HeadRefused(Exception):
    """Raised from a parser callback to stop parsing a request head over a limit."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a URL and a header size limit."""

    max_url = 65_000
    max_header_bytes = MAX_HEADER_BYTES

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._refusal: tuple[int, str] | None = None
        self._header_bytes = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.max_url:
            self._refusal = (
                414,
                f"the URL is over {self.max_url:,} bytes, more than this server reads; {POST_HINT}",
            )
            raise _HeadRefused

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > self.max_header_bytes:
            self._refusal = (
                431,
                f"request headers over {self.max_header_bytes:,} bytes (--max-headers)",
            )
            raise _HeadRefused
        super().on_header(name, value)

    def data_received(self, data: bytes) -> None:
        # As uvicorn's own (0.3x to 0.5x), which answers every parse error with a bare 400.
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            refusal = getattr(self, "_refusal", None)
            if refusal is None:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
                return
            self._send_refusal(*refusal)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()

    def _send_refusal(self, status: int, message: str) -> None:
        body = f"error: {message}\n".encode()
        reason = {414: b"URI Too Long", 431: b"Request Header Fields Too Large"}[status]
        head = [
            b"HTTP/1.1 %d %s\r\n" % (status, reason),
            b"content-type: text/plain; charset=utf-8\r\n",
            b"x-content-type-options: nosniff\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


#: httptools cannot parse a URL of 64 KiB; the app answers shorter ones over --max-url itself.
PARSER_MAX_URL = 65_000


def bounded_protocol(
    max_url: int = PARSER_MAX_URL, max_header_bytes: int = MAX_HEADER_BYTES
) -> type[Any]:
    """The protocol class for uvicorn's `http=` setting, with these limits."""
    return type(
        "HospitalKgHttpProtocol",
        (BoundedHttpToolsProtocol,),
        {"max_url": max_url, "max_header_bytes": max_header_bytes},
    )
