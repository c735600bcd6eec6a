"""Query parameters on the endpoint: `$name=TERM` binds ?name before the query runs.

The convention is RDF4J's protocol extension; the value is one RDF term in
Turtle syntax (`inst:jiaozuo-mch`, `<https://...>`, `"出生缺陷"`, `"x"@zh`,
`2024`), and the binding is SEP-0007 substitution, as `hospital-kg query
--param` does, so a value can never change the query's text or meaning. This is
how the library queries' parameters reach the endpoint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pyoxigraph as ox

from graph_builder.sparql.lexer import variables

#: SPARQL 1.1's VARNAME: PN_CHARS_U or a digit, then those, U+00B7 and combining marks.
NAME_START = (
    "A-Za-z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
NAME_CHAR = NAME_START + "\u00b7\u0300-\u036f\u203f-\u2040"
VARIABLE = re.compile(f"[{NAME_START}][{NAME_CHAR}]*")
#: Oxigraph's refusal to bind a variable outside the projection (a RuntimeError).
PROJECTION = re.compile(r"does not contains? variable \?(\S+) in its SELECT projection")
SUBJECT, PREDICATE = "<urn:hospital-kg:binding>", "<urn:hospital-kg:value>"


class BindingError(ValueError):
    """A `$name=` parameter that is not one RDF term or names no variable of the query: 400."""


def turtle_prologue(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())


def parse_term(name: str, text: str, prologue: str) -> ox.NamedNode | ox.Literal:
    """One IRI or literal, read by Oxigraph's Turtle parser with our prefixes."""
    check_name(name)
    try:
        triples = list(
            ox.parse(f"{prologue}{SUBJECT} {PREDICATE} {text} .", format=ox.RdfFormat.TURTLE)
        )
    except (SyntaxError, ValueError):  # ValueError: text Oxigraph cannot take as UTF-8
        triples = []
    if len(triples) != 1 or not isinstance(triples[0].object, ox.NamedNode | ox.Literal):
        raise BindingError(
            f"parameter ${name}: {shown(text)} is not one RDF term "
            '(write an IRI as inst:x or <https://...>, a string as "text")'
        )
    return triples[0].object


def shown(text: str, limit: int = 60) -> str:
    """A value quoted for a one-line message: escaped, and cut if long."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def check_name(name: str) -> None:
    if not VARIABLE.fullmatch(name):
        raise BindingError(f"parameter {shown('$' + name)}: not a SPARQL variable name")


def mentions(query: str, name: str) -> bool:
    """Whether the query has a variable ?name or $name, read from its tokens."""
    return name in variables(query)


def not_selected(name: str) -> str:
    return f"parameter ${name}: the query selects no variable ?{name} to bind"


def check_bindings(names: Iterable[str], query: str, limit: int) -> None:
    """Refuse, before a worker runs the query, more than `limit` bindings and bindings of
    names that are not variables of the query (Oxigraph refuses those as internal errors)."""
    names = list(names)
    if len(names) > limit:
        raise BindingError(f"{len(names):,} $name= parameters; this server takes at most {limit:,}")
    for name in names:
        check_name(name)
        if not mentions(query, name):
            raise BindingError(not_selected(name))


def unbindable(exc: BaseException) -> str | None:
    """The 400 message for Oxigraph's refusal to bind a variable it does not project, or
    None for any other error (for the worker: `except RuntimeError` around Store.query)."""
    match = PROJECTION.search(str(exc))
    return not_selected(match.group(1)) if match else None


def substitutions(
    raw: dict[str, str], prologue: str
) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    return {ox.Variable(name): parse_term(name, text, prologue) for name, text in raw.items()}


def term_text(param_type: str, value: str) -> str:
    """A library parameter's value (as `--param` takes it) written as a Turtle term."""
    if param_type == "string":
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are Turtle's too
    if param_type == "iri" and value.startswith(("http://", "https://")):
        return f"<{value}>"
    return value  # prefixed names, <IRIs> and integers are already Turtle
