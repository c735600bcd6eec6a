"""SPARQL read as tokens, to decide what a query is before an engine sees it.

The tokens are the terminals of the SPARQL 1.1 grammar (section 19.8): IRIs,
prefixed names with their escapes, blank node labels, variables, literals,
keywords and punctuation, after the `\\u` / `\\U` escapes are applied to the whole
text as section 19.2 says parsers must. Deciding from tokens, not from the raw
text, is what keeps a `\\#` inside a prefixed name, a keyword inside a string or
an escaped keyword from fooling the checks (the earlier text check was fooled).

`profile()` answers the questions the endpoint and the command line ask: is it an
update, does it call SERVICE, and how deep is it. Oxigraph's parser and
optimiser recurse once per nested bracket and once per element of a long chain
(`||`, UNION, triple patterns ...); past a few thousand they overflow the stack
and the process dies (5,000 nested parentheses; 800 nested FILTER EXISTS), so
`depth` counts both, and callers refuse queries over a limit. This module
imports nothing heavy: the endpoint's HTTP process uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

#: Default for `--max-depth`: well under the depths that crashed Oxigraph 0.5 here
#: (800 nested FILTER EXISTS = 2,400 by this measure; 4,700 nested parentheses;
#: 6,500 UNIONs in a row), well over what real queries need (the library's deepest: 40).
MAX_DEPTH = 1000

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# PN_CHARS_BASE of the grammar (section 19.8, production 164), as a character class body.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"  # PN_CHARS_U
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"  # PN_CHARS
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"

#: One alternative per terminal, tried in this order at each position.
_TOKEN = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in (
            ("ws", r"\s+"),
            ("comment", r"#[^\n\r]*"),
            ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
            (
                "string",
                r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
                r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"",
            ),
            ("bnode", f"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
            ("pname", f"(?:{_PREFIX})?:(?:{_LOCAL})?"),
            ("var", f"[?$]{_VARNAME}"),
            ("langtag", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
            (
                "number",
                r"[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.[0-9]*[eE][+-]?[0-9]+"
                r"|[0-9]+(?:[eE][+-]?[0-9]+)?",
            ),
            ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
            ("punct", r"\^\^|\|\||&&|!=|<=|>=|[(){}\[\],;.=<>!+\-*/|^?]"),
            ("other", r"."),
        )
    ),
    re.S,
)

OPEN, CLOSE = frozenset("({["), frozenset(")}]")
#: Inside braces each of these adds an element to a chain the engine nests (a join, a
#: left join, a union ...); inside parentheses and brackets, operators do.
GROUP_CHAIN = frozenset({".", ";", ","})
GROUP_KEYWORDS = frozenset(
    {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "SERVICE", "GRAPH", "VALUES", "EXISTS"}
)
EXPRESSION_CHAIN = frozenset({"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/"})
EXPRESSION_CHAIN |= frozenset({"|", "^", "!"})
EXPRESSION_KEYWORDS = frozenset({"EXISTS", "NOT", "IN"})


class Token(NamedTuple):
    """A tuple, not a frozen dataclass: made for every token of every request (a frozen
    dataclass's __init__ cost a third of the lexing)."""

    kind: str  # iri, string, bnode, pname, var, langtag, number, word, punct, other
    text: str
    offset: int  # in the escaped-applied text


def apply_escapes(text: str) -> str:
    """The query with its \\u and \\U escapes replaced, as the grammar is applied to it."""

    def codepoint(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:  # beyond U+10FFFF: the parser will refuse it
            return match.group(0)

    return _CODEPOINT.sub(codepoint, text)


#: Queries up to this many characters keep their tokens (_token_tuple): the endpoint
#: reads each request's text three times (its profile, its variables, its cache key),
#: about 0.3 ms each for a 2.6 KB library query. Longer texts are read again each time,
#: so the cache holds at most 128 x 16 KB of text.
CACHED_TEXT = 16_384


def tokens(text: str) -> Iterator[Token]:
    """The query's tokens, without white space and comments."""
    if len(text) <= CACHED_TEXT:
        return iter(_token_tuple(text))
    return _scan(text)


@lru_cache(maxsize=128)
def _token_tuple(text: str) -> tuple[Token, ...]:
    return tuple(_scan(text))  # immutable tokens in a tuple: safe to share


def _scan(text: str) -> Iterator[Token]:
    text = apply_escapes(text)
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group(), match.start())


@dataclass(frozen=True)
class Profile:
    """What a query is, decided from its tokens."""

    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK; an update keyword; None if unknown
    update: bool
    service: bool
    depth: int
    tokens: int


@lru_cache(maxsize=1024)
def variables(text: str) -> frozenset[str]:
    """Names of the query's variables (?x and $x are one variable, x)."""
    return frozenset(t.text[1:] for t in tokens(text) if t.kind == "var")


@lru_cache(maxsize=1024)
def profile(text: str) -> Profile:
    """Form, update, SERVICE and depth of a query (see the module's docstring).

    Cached by text: reading a query costs about 70 µs per kilobyte, as much as
    answering a selective one, and clients send the same (library) queries again and
    again. The profile is immutable, so sharing it is safe.
    """
    form: str | None = None
    update = service = False
    groups: list[tuple[str, int]] = []  # open bracket, elements of its chain so far
    depth = max_depth = count = 0
    for token in tokens(text):
        count += 1
        word = _keyword(token)
        if word in UPDATE_KEYWORDS:
            update = True
        if word == "SERVICE":
            service = True
        if form is None and (word in QUERY_FORMS or word in UPDATE_KEYWORDS):
            form = word
        if token.kind == "punct" and token.text in OPEN:
            groups.append((token.text, 0))
            depth += 1
        elif token.kind == "punct" and token.text in CLOSE:
            if groups:
                depth -= 1 + groups.pop()[1]
        elif groups and _chains(groups[-1][0], token, word):
            bracket, chain = groups[-1]
            groups[-1] = (bracket, chain + 1)
            depth += 1
        max_depth = max(max_depth, depth)
    return Profile(form, update, service, max_depth, count)


def _keyword(token: Token) -> str:
    """The keyword a token is or may be read as, upper case; "" if none.

    `SERVICE:y` is one prefixed name to a lexer but the keyword SERVICE and the
    name `:y` to a parser that expects a keyword there (Oxigraph reads it so), so
    a prefixed name whose prefix is a keyword counts as that keyword too.
    """
    if token.kind == "word":
        return token.text.upper()
    if token.kind == "pname":
        head = token.text.split(":", 1)[0].upper()
        if head in UPDATE_KEYWORDS or head == "SERVICE":
            return head
    return ""


def _chains(bracket: str, token: Token, word: str) -> bool:
    """Whether `token` lengthens the chain of the group opened by `bracket`."""
    if bracket == "{":
        return (token.kind == "punct" and token.text in GROUP_CHAIN) or word in GROUP_KEYWORDS
    return (token.kind == "punct" and token.text in EXPRESSION_CHAIN) or word in (
        EXPRESSION_KEYWORDS
    )
