"""HTTP to another triple store: credentials from the environment, retries, one line per failure.

The password comes only from the environment variable `--password-env` names, never
from the command line (where `ps` and shell histories would show it), and is never
printed: messages name the user and the variable. Which scheme the server wants,
HTTP digest (Virtuoso) or basic, is read from its `WWW-Authenticate` challenge.
Transient failures (a connection reset, 502/503/504) are retried a few times with
a growing pause; everything else is one `RemoteError` line.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx

from graph_builder.errors import DataError, UsageError

#: Statuses a proxy or a busy server answers for a moment; the request is sent again.
TRANSIENT_STATUSES = frozenset({502, 503, 504})
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
#: Most characters of a server's error text quoted in a message.
QUOTED_CHARS = 300
USER_AGENT = "hospital-kg"


class RemoteError(DataError):
    """The server said no, or could not be reached: one line, exit 1."""

    def __init__(self, message: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(None, None, message)


@dataclass(frozen=True)
class Credentials:
    """A user and the password read from the environment variable `variable`."""

    user: str
    variable: str
    password: str = field(repr=False)

    def who(self) -> str:
        return f"user {self.user!r} with the password in ${self.variable}"


def credentials(
    user: str | None, password_env: str | None, environ: Mapping[str, str] | None = None
) -> Credentials | None:
    """`--user` and `--password-env` as credentials (both or neither); the password is
    read from the environment variable named, never taken from the command line."""
    environ = os.environ if environ is None else environ
    if user is None and password_env is None:
        return None
    if user is None:
        raise UsageError("--password-env needs --user (the user the password belongs to)")
    if password_env is None:
        raise UsageError(
            "--user needs --password-env VAR: the name of an environment variable that "
            "holds the password (the password itself is never given on the command line)"
        )
    if not user:
        raise UsageError("--user: an empty user name")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", password_env):
        raise UsageError(
            f"--password-env wants the name of an environment variable (like KG_PASSWORD), "
            f"got {password_env!r}"
        )
    password = environ.get(password_env)
    if password is None:
        raise UsageError(f"--password-env: the environment variable {password_env} is not set")
    if not password:
        raise UsageError(f"--password-env: the environment variable {password_env} is empty")
    return Credentials(user, password_env, password)


def check_url(url: str, option: str) -> str:
    """An absolute http(s) URL without a user or password in it; else a usage error."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UsageError(f"{option}: {url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(f"{option}: {url!r} is not an http:// or https:// URL")
    if parsed.userinfo:
        raise UsageError(
            f"{option}: put no user or password in the URL; give --user and --password-env"
        )
    if parsed.fragment:
        raise UsageError(f"{option}: {url!r} has a #fragment, which no server sees")
    return url


def with_params(url: str, *params: str) -> str:
    """`url` with `key=value` (already encoded) or bare `key` parameters added."""
    joined = "&".join(params)
    if not joined:
        return url
    return f"{url}{'&' if '?' in url else '?'}{joined}"


class ChallengeAuth(httpx.Auth):
    """Digest or basic authentication, whichever the server's 401 challenge asks for.

    Until a server has challenged, a request with a body is preceded by a `HEAD` of the
    same URL to draw the challenge: a server that refuses a request before reading its
    body may read what is left of it as the next request (Virtuoso does). Once
    challenged, requests carry credentials from the start (digest through httpx's
    `DigestAuth`, which keeps the nonce and answers a renewed challenge).
    """

    def __init__(self, user: str, password: str) -> None:
        self.digest = httpx.DigestAuth(user, password)
        self.basic = httpx.BasicAuth(user, password)
        self.scheme: str | None = None  # digest, basic, or none (no challenge so far)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme == "digest":
            yield from self.digest.auth_flow(request)
            return
        if self.scheme == "basic":
            yield from self.basic.auth_flow(request)
            return
        if self.scheme is None and request.headers.get("content-length", "0") != "0":
            probe = yield httpx.Request("HEAD", request.url, headers={"User-Agent": USER_AGENT})
            if probe.status_code == 401 and self.choose(probe):
                yield from self.answer(request, probe)
                return
        response = yield request
        if response.status_code == 401 and self.choose(response):
            yield from self.answer(request, response)
        elif response.is_success:
            self.scheme = "none"

    def choose(self, response: httpx.Response) -> bool:
        """Take the scheme a 401 challenge asks for; False if it is neither."""
        offered = [
            h.split(None, 1)[0].lower() for h in response.headers.get_list("www-authenticate")
        ]
        for scheme in ("digest", "basic"):
            if scheme in offered:
                self.scheme = scheme
                return True
        return False

    def answer(
        self, request: httpx.Request, challenge: httpx.Response
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Send `request` again with credentials answering `challenge`."""
        if self.scheme == "basic":
            yield from self.basic.auth_flow(request)
            return
        flow = self.digest.auth_flow(request)
        next(flow)  # the request without credentials: `challenge` answered it already
        try:
            retried = flow.send(challenge)
            while True:
                retried = flow.send((yield retried))
        except StopIteration:
            return


def quoted(text: str, html: bool = False) -> str:
    """A server's text as part of one line: controls, runs of space (and HTML tags) removed."""
    if html:
        text = re.sub(r"<[^>]*>", " ", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS] + " ..."


@dataclass
class Connection:
    """An HTTP client for one command: its timeout, credentials and retry policy."""

    credentials: Credentials | None = None
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    sleep: Callable[[float], None] = time.sleep
    auth: ChallengeAuth | None = field(init=False, repr=False)
    client: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.auth = None
        if self.credentials is not None:
            self.auth = ChallengeAuth(self.credentials.user, self.credentials.password)
        self.client = self.new_client()

    def new_client(self) -> httpx.Client:
        return httpx.Client(
            timeout=self.timeout,
            auth=self.auth,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.client.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: str | tuple[str, ...] = (),
        not_found: str = "",
        **kwargs: Any,
    ) -> httpx.Response:
        """Send a request; a 2xx answer comes back, anything else is one RemoteError.

        `params` are added to `url` as they are (already encoded); messages name `url`
        without them. `not_found` says what a 404 probably means.
        """
        target = with_params(url, *((params,) if isinstance(params, str) else params))
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.client.request(method, target, **kwargs)
            except httpx.ConnectError as exc:
                raise RemoteError(f"cannot connect to {url}: {reason(exc)}") from None
            except httpx.TimeoutException:
                raise RemoteError(
                    f"{method} {url}: no answer within {self.timeout:g} s (--timeout)"
                ) from None
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
                problem = f"the connection broke ({reason(exc)})"
                continue
            except httpx.HTTPError as exc:
                raise RemoteError(f"{method} {url}: {reason(exc)}") from None
            if response.status_code in TRANSIENT_STATUSES:
                problem = quoted(f"{response.status_code} {response.reason_phrase}")
                self.client.close()
                self.client = self.new_client()
                continue
            if response.is_success:
                return response
            # a server that refused a body unread may take its rest for the next request
            self.client.close()
            self.client = self.new_client()
            raise self.refusal(method, url, response, not_found)
        tries = self.retries + 1
        raise RemoteError(f"{method} {url}: {problem} ({tries} attempt{'s' * (tries > 1)})")

    def refusal(
        self, method: str, url: str, response: httpx.Response, not_found: str
    ) -> RemoteError:
        """The one line that says why the server refused a request."""
        status = quoted(f"{response.status_code} {response.reason_phrase}")
        creds = self.credentials
        if response.status_code == 401:
            why = (
                f"the server refused {creds.who()}"
                if creds
                else "the server wants a user and password (--user NAME --password-env VAR)"
            )
        elif response.status_code == 403:
            why = (
                f"{creds.who()} may not do this here"
                if creds
                else "not allowed without a user and password (--user NAME --password-env VAR)"
            )
        elif response.status_code == 404:
            why = f"nothing at this URL{'; ' + not_found if not_found else ''}"
        else:
            html = "html" in response.headers.get("content-type", "")
            why = quoted(response.text, html) or "no explanation given"
        return RemoteError(f"{method} {url}: {status}: {why}", response.status_code)


def reason(exc: BaseException) -> str:
    """An httpx exception in a few words (`connection refused` rather than errno soup)."""
    text = str(exc) or type(exc).__name__
    if "refused" in text.lower():
        return "connection refused"
    if "reset" in text.lower():
        return "connection reset"
    if "name or service not known" in text.lower() or "nodename nor servname" in text.lower():
        return "no such host"
    return quoted(text)
