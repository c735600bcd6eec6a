"""Who may talk to the endpoint: Host names against DNS rebinding, Origins against
cross-site form posts, and the CORS headers that let read-only pages elsewhere query it.

DNS rebinding: an attacker's web page whose name is re-pointed at 127.0.0.1 reaches a
loopback server as same-origin, with the attacker's name in `Host`; so a server bound to
loopback answers only to names of itself and to `--allow-host` names. A server bound to
another address is reached under names it cannot know (a LAN name, a proxy's), so there
any Host is accepted unless `--allow-host` lists them.

Cross-site requests: any page can make a browser POST a form here without asking first
(a CORS "simple" request). It cannot read the answer, but the query still runs, so such a
POST from an Origin that CORS does not allow is refused; with CORS off, so is every
request from another site. Pure functions on header values: app.py turns them into
responses.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from graph_builder.errors import UsageError

ANY = "*"
OFF = "none"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
#: RFC 3986 host (a bracketed IP literal or a reg-name) and an optional port, lowercased.
HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9._~%!$&'()*+,;=-]+)(?::([0-9]{1,5}))?")
ORIGIN = re.compile(r"(https?)://(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::([0-9]{1,5}))?")
DEFAULT_PORTS = {"http": 80, "https": 443}
#: Request bodies a page elsewhere can send without a preflight (the Fetch standard's list).
SIMPLE_BODIES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)
CORS_METHODS = ("GET", "HEAD", "POST")
#: Request headers a page elsewhere may send (Content-Type for application/sparql-query).
CORS_HEADERS = ("Accept", "Accept-Language", "Content-Language", "Content-Type")
ALLOWED_HEADERS = frozenset(h.lower() for h in CORS_HEADERS)
EXPOSED_HEADERS = ("X-Result-Rows", "X-Result-Truncated", "X-Result-Cache")


def split_host(value: str) -> tuple[str, int | None] | None:
    """(name, port) of a Host header value, lowercased; None when it is not host[:port]."""
    match = HOST.fullmatch(value.strip().lower())
    if match is None:
        return None
    port = match.group(2)
    return match.group(1), None if port is None else int(port)


def is_loopback(address: str) -> bool:
    """Whether a --host value is a loopback address (or `localhost`)."""
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def ip_name(address: str) -> str:
    """An IP address as a Host header names it: IPv6 in brackets."""
    return f"[{address}]" if ":" in address else address


@dataclass(frozen=True)
class HostPolicy:
    """Which Host header values name this server."""

    names: frozenset[str]  # --allow-host names, accepted on any port
    any_host: bool  # bound beyond loopback without --allow-host, or --allow-host '*'

    @classmethod
    def of(cls, listen_host: str, allow: tuple[str, ...]) -> HostPolicy:
        any_host = ANY in allow or (not allow and not is_loopback(listen_host))
        return cls(frozenset(name.lower() for name in allow), any_host)

    def refusal(
        self, values: list[str], http_version: str, local: tuple[str, int] | None
    ) -> tuple[int, str] | None:
        """(status, message) for a request whose Host does not name this server, else None.

        `local` is the address the connection arrived on (the ASGI `server`)."""
        if len(values) > 1:
            return 400, "more than one Host header"
        if not values:
            return (400, "no Host header") if http_version != "1.0" else None
        parsed = split_host(values[0])
        if parsed is None:
            return 400, f"the Host header {values[0]!r} is not host[:port]"
        name, port = parsed
        if self.any_host or name in self.names or names_this_server(name, port, local):
            return None
        return 421, (
            f"this server does not answer to the name {values[0]!r} (a DNS rebinding "
            f"guard); start it with --allow-host {name} if that name is meant to reach it"
        )


def names_this_server(name: str, port: int | None, local: tuple[str, int] | None) -> bool:
    """A loopback name, or the address the connection arrived on, with the server's port."""
    if local is None:  # not a TCP socket: only the names matter
        return name in LOOPBACK_NAMES
    address, local_port = local
    port_matches = port == local_port or (port is None and local_port == 80)
    return port_matches and (name in LOOPBACK_NAMES or name == ip_name(address).lower())


def origin_authority(origin: str) -> str | None:
    """host[:port] of an Origin header, its scheme's default port left out; None for
    `null` and anything that is not an http(s) origin."""
    match = ORIGIN.fullmatch(origin.strip().lower())
    if match is None:
        return None
    scheme, host, port = match.groups()
    return host if port is None or int(port) == DEFAULT_PORTS[scheme] else f"{host}:{port}"


def same_origin(origin: str, host: str | None) -> bool:
    """Whether Origin names the server the request was sent to. The scheme is not
    compared: behind a TLS proxy the page is https while this server speaks http."""
    authority = origin_authority(origin)
    if authority is None or host is None:
        return False
    host = host.strip().lower()
    for port in (":80", ":443"):
        host = host.removesuffix(port)
    return authority == host


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lowercased, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class CorsPolicy:
    """The --cors setting: ("*",) any origin, () off, otherwise these origins."""

    origins: tuple[str, ...]

    def allows(self, origin: str) -> bool:
        return ANY in self.origins or origin.strip().lower() in self.origins

    def refusal(
        self, origin: str | None, host: str | None, method: str, content_type: str | None
    ) -> str | None:
        """Why a request from another site is refused (HTTP 403), or None to answer it."""
        if origin is None or same_origin(origin, host) or self.allows(origin):
            return None
        if not self.origins:
            return (
                f"requests from other sites (Origin {origin!r}) are refused: "
                "this server was started with --cors none"
            )
        if method == "POST" and media_type(content_type) in SIMPLE_BODIES | {""}:
            return (
                f"a form POST from another site (Origin {origin!r}) is refused; "
                "--cors lists the sites allowed to query this server"
            )
        return None

    def headers(self, origin: str | None) -> dict[str, str]:
        """The CORS headers of an answer (an error too, so a page can show it)."""
        if ANY in self.origins:
            allowed = ANY
        elif origin is not None and self.allows(origin):
            allowed = origin
        else:
            return {}
        return {
            "Access-Control-Allow-Origin": allowed,
            "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS),
        }

    def preflight(
        self, origin: str, host: str | None, method: str, requested: str | None
    ) -> tuple[dict[str, str], str | None]:
        """The headers answering an OPTIONS preflight, or a reason to refuse it (403)."""
        if not (same_origin(origin, host) or self.allows(origin)):
            reason = "CORS is off (--cors none)" if not self.origins else "not listed by --cors"
            return {}, f"cross-origin requests from {origin!r} are refused: {reason}"
        if method.upper() not in CORS_METHODS:
            return {}, f"cross-origin {method!r} requests are refused: only GET and POST query"
        names = {h.strip().lower() for h in (requested or "").split(",") if h.strip()}
        if extra := sorted(names - ALLOWED_HEADERS):
            return {}, f"cross-origin requests may not send the headers: {', '.join(extra)}"
        headers = {
            "Access-Control-Allow-Origin": ANY if ANY in self.origins else origin,
            "Access-Control-Allow-Methods": ", ".join(CORS_METHODS),
            "Access-Control-Allow-Headers": ", ".join(CORS_HEADERS),
            "Access-Control-Max-Age": "600",
        }
        return headers, None


def cors_origins(values: list[str] | None) -> tuple[str, ...]:
    """The --cors values as a CorsPolicy takes them; ValueError for a value that is not
    `*`, `none` or an origin (scheme://host[:port])."""
    if not values:
        return (ANY,)
    cleaned = [value.strip().lower().rstrip("/") for value in values]
    for keyword in (ANY, OFF):
        if keyword in cleaned and len(cleaned) > 1:
            raise UsageError(f"--cors: {keyword!r} cannot be combined with other values")
    if cleaned == [OFF]:
        return ()
    for value in cleaned:
        if value != ANY and ORIGIN.fullmatch(value) is None:
            raise UsageError(f"--cors: {value!r} is not an origin such as http://localhost:5173")
    return tuple(cleaned)


def allow_hosts(values: list[str] | None) -> tuple[str, ...]:
    """The --allow-host values, lowercased; ValueError for one that is not a host name."""
    names = []
    for value in values or []:
        parsed = split_host(value) if value != ANY else (ANY, None)
        if parsed is None or parsed[1] is not None:
            raise UsageError(
                f"--allow-host: {value!r} is not a host name without a port (any port is accepted)"
            )
        names.append(parsed[0])
    return tuple(names)
