"""Refusing what a read-only public endpoint must not run: updates and federated SERVICE calls.

Oxigraph would execute `SERVICE <http://any.host/>` by making an HTTP request from
the server, so such queries are refused before they reach a worker. The check is
lexical: it applies SPARQL's \\u escapes (as the parser does), blanks out strings,
IRIs and comments, and then looks for the keywords, so a keyword inside a literal
or an IRI does not trigger it.
"""

from __future__ import annotations

import re

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")
QUERY_KEYWORDS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")

CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.S,
)
PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*", re.I)
FIRST_WORD = re.compile(r"[A-Za-z]+")
SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:-])", re.I)


READ_ONLY = (
    "this endpoint is read-only: SPARQL Update is not accepted; "
    "change the data under data/ and rebuild instead"
)


class Refused(Exception):
    """A request this endpoint will not run: HTTP 403."""


def skeleton(text: str) -> str:
    """The query with escapes applied and strings, IRIs and comments replaced by spaces."""

    def codepoint(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:  # beyond U+10FFFF: leave it for the parser to reject
            return match.group(0)

    return OPAQUE.sub(" ", CODEPOINT.sub(codepoint, text))


def check_read_only(text: str) -> None:
    """Raise Refused for a SPARQL Update or a query that calls SERVICE."""
    bare = skeleton(text)
    prologue = PROLOGUE.match(bare)  # every part is optional: it always matches
    word = FIRST_WORD.match(bare, prologue.end() if prologue else 0)
    first = word.group(0).upper() if word else ""
    if first in UPDATE_KEYWORDS or first == "WITH":
        raise Refused(f"{READ_ONLY} (the request starts with {first})")
    if SERVICE.search(bare):
        raise Refused(
            "federated queries (SERVICE) are disabled: "
            "this endpoint makes no requests to other hosts"
        )
