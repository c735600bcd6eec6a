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

import pyoxigraph as ox

VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SUBJECT, PREDICATE = "<urn:hospital-kg:binding>", "<urn:hospital-kg:value>"


class BindingError(ValueError):
    """A `$name=` parameter that is not one RDF term: HTTP 400."""


def turtle_prologue(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())


def parse_term(name: str, text: str, prologue: str) -> ox.NamedNode | ox.Literal:
    """One IRI or literal, read by Oxigraph's Turtle parser with our prefixes."""
    if not VARIABLE.match(name):
        raise BindingError(f"parameter ${name}: not a variable name")
    try:
        triples = list(
            ox.parse(f"{prologue}{SUBJECT} {PREDICATE} {text} .", format=ox.RdfFormat.TURTLE)
        )
    except SyntaxError:
        triples = []
    if len(triples) != 1 or not isinstance(triples[0].object, ox.NamedNode | ox.Literal):
        raise BindingError(
            f"parameter ${name}: {text!r} is not one RDF term "
            '(write an IRI as inst:x or <https://...>, a string as "text")'
        )
    return triples[0].object


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
