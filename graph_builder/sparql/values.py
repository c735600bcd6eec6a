"""Parameters bound by a VALUES block that opens the query's WHERE clause.

The block is written from RDF terms (parameters.py) in N-Triples syntax made by
Oxigraph, so the user's text never reaches the query. Remote endpoints get
parameters this way (publish/remote.py), and so do local SELECT queries on Oxigraph
(execute.py): Oxigraph plans a VALUES block knowing its values, while a SEP-0007
substitution is planned without them (`paths-between` at a million triples: 5 ms
against 120 ms).

A MINUS group is evaluated apart from the block, and Oxigraph plans it without the
values. A library parameter marked `inline` (query_library.py) is therefore also
written in place of its variable throughout the WHERE clause, as the same term the
block holds: its author has checked that the query means the same with a constant
there (tests/sparql/test_inline_params.py runs each one both ways).
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib.term import Node

from graph_builder.sparql.lexer import CLOSE, OPEN, QUERY_FORMS, Token, apply_escapes, tokens
from graph_builder.sparql.oxigraph_direct import to_ox
from graph_builder.sparql.policy import QueryError
from graph_builder.sparql.query_library import inline_params


def bind_values(text: str, bindings: Mapping[str, Node], source: str = "query") -> str:
    """`text` (its \\u escapes applied) with a VALUES block of `bindings` opening its WHERE
    clause; a WHERE clause that is a bare sub-select is wrapped in braces first."""
    if not bindings:
        return text
    text = apply_escapes(text)
    listed = list(tokens(text))
    names = ", ".join(f"?{name}" for name in sorted(bindings))
    where = where_group(listed)
    if where is None:
        raise QueryError(f"{source}: cannot bind {names}: the query has no WHERE clause to bind in")
    if where < 0:
        raise QueryError(
            f"{source}: cannot bind {names} in CONSTRUCT WHERE {{ ... }}; "
            "write the template out: CONSTRUCT { ... } WHERE { ... }"
        )
    start = listed[where].offset + 1
    variables = " ".join(f"?{name}" for name in sorted(bindings))
    written = {name: str(to_ox(value)) for name, value in bindings.items()}
    terms = " ".join(written[name] for name in sorted(bindings))
    block = f" VALUES ({variables}) {{ ({terms}) }} "
    inline = inline_params(text) & set(bindings)
    if inline:
        text, listed = _inlined(text, listed, where, {n: written[n] for n in inline})
    close = matching_close(listed, where)
    inner = listed[where + 1] if where + 1 < len(listed) else None
    if inner is not None and inner.kind == "word" and inner.text.upper() == "SELECT":
        end = listed[close].offset if close is not None else len(text)
        return f"{text[:start]}{block}{{{text[start:end]}}} {text[end:]}"
    return f"{text[:start]}{block}{text[start:]}"


def _inlined(
    text: str, listed: list[Token], where: int, written: dict[str, str]
) -> tuple[str, list[Token]]:
    """`text` with each variable of `written` inside the WHERE clause replaced by its term;
    the tokens again, for the offsets after the change."""
    close = matching_close(listed, where)
    end = listed[close].offset if close is not None else len(text)
    parts, last = [], listed[where].offset
    for token in listed[where + 1 :]:
        if token.offset >= end:
            break
        if token.kind == "var" and token.text[1:] in written:
            parts += [text[last : token.offset], written[token.text[1:]]]
            last = token.offset + len(token.text)
    text = text[: listed[where].offset] + "".join(parts) + text[last:]
    return text, list(tokens(text))


def where_group(listed: list[Token]) -> int | None:
    """Index of the `{` that opens the query's WHERE clause; None if there is none, -1 for
    the short form CONSTRUCT WHERE { ... } (whose braces hold the template itself).

    It is the first `{` outside brackets after the query form, or for CONSTRUCT the
    second (the first holds the template; the keyword WHERE is optional).
    """
    form = next(
        (i for i, t in enumerate(listed) if t.kind == "word" and t.text.upper() in QUERY_FORMS),
        None,
    )
    if form is None:
        return None
    construct = listed[form].text.upper() == "CONSTRUCT"
    depth = groups = 0
    for index in range(form + 1, len(listed)):
        token = listed[index]
        if construct and depth == 0 and groups == 0 and _word(token) == "WHERE":
            return -1
        if token.kind != "punct":
            continue
        if token.text == "{" and depth == 0:
            groups += 1
            if not construct or groups == 2:
                return index
        if token.text in OPEN:
            depth += 1
        elif token.text in CLOSE:
            depth -= 1
    return None


def matching_close(listed: list[Token], open_index: int) -> int | None:
    depth = 0
    for index in range(open_index, len(listed)):
        token = listed[index]
        if token.kind != "punct":
            continue
        if token.text in OPEN:
            depth += 1
        elif token.text in CLOSE:
            depth -= 1
            if depth == 0:
                return index
    return None


def _word(token: Token) -> str:
    return token.text.upper() if token.kind == "word" else ""


def selects_all(text: str) -> bool:
    """Whether the query is `SELECT *` (or `SELECT DISTINCT *` ...) at the top."""
    listed = list(tokens(text))
    form = next((i for i, t in enumerate(listed) if _word(t) in QUERY_FORMS), None)
    if form is None or _word(listed[form]) != "SELECT":
        return False
    rest = [t for t in listed[form + 1 : form + 3] if _word(t) not in ("DISTINCT", "REDUCED")]
    return bool(rest) and rest[0].text == "*"


def bound_in_minus(text: str, names: frozenset[str] | set[str]) -> bool:
    """Whether any of `names` occurs inside a MINUS group. A VALUES block at the top does
    not reach into MINUS, whose side Oxigraph evaluates whole (gap-analysis: 145 ms against
    116 ms with the value substituted there)."""
    listed = list(tokens(text))
    for index, token in enumerate(listed):
        if _word(token) != "MINUS" or index + 1 >= len(listed) or listed[index + 1].text != "{":
            continue
        close = matching_close(listed, index + 1)
        inside = listed[index + 1 : close]
        if any(t.kind == "var" and t.text[1:] in names for t in inside):
            return True
    return False
