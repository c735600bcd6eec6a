"""One answer to "which entity does this text name?", for `--param`, `--focus` and the API.

A text may be an IRI (`<https://...>` or bare `https://...`), a prefixed name
with one of our prefixes (`inst:jiaozuo-mch`), an id (`jiaozuo-mch`), or a name
in either language or an alternative name. Exact names and ids win; a text that
names nothing exactly may still be part of exactly one name. The lookups are
SPARQL, so they run inside Oxigraph at national scale.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from graph_builder.rdf.namespaces import PREFIXES, display
from graph_builder.sparql.execute import QueryError, run_query

PREFIXED = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")
#: What RFC 3987 excludes from IRIs anywhere: controls, space, <>"{}|\^` (section 2.2's ucschar
#: and iprivate ranges, percent-escapes and the rest of the grammar are left to Oxigraph's parser).
EXCLUDED = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
#: Most candidates an ambiguity error lists.
SHOWN = 5

# ?name is projected because Oxigraph substitutes only projected variables.
_NAMES = """
  VALUES ?p { rdfs:label hkg:englishLabel schema:alternateName }
  ?thing ?p ?label .
  FILTER (isIRI(?thing))
  FILTER NOT EXISTS { ?thing a hkg:Evidence }"""

EXACT = f"""
SELECT DISTINCT ?thing ?name WHERE {{{_NAMES}
  FILTER (LCASE(STR(?label)) = LCASE(?name) || STRENDS(STR(?thing), CONCAT("/", ?name)))
}}"""

PARTIAL = f"""
SELECT DISTINCT ?thing ?name WHERE {{{_NAMES}
  FILTER (CONTAINS(LCASE(STR(?label)), LCASE(?name)))
}}"""


class NameLookupError(QueryError):
    """A text that names nothing, or several things."""


def spelled_iri(text: str) -> str | None:
    """The IRI `text` spells (`<...>`, `https://...` or a prefixed name of ours), unchecked."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    match = PREFIXED.match(text)
    if match and match.group(1) in PREFIXES:
        return str(PREFIXES[match.group(1)]) + match.group(2)
    if text.startswith(("http://", "https://")):
        return text
    return None


def iri_of(text: str, what: str = "IRI") -> URIRef | None:
    """The IRI `text` spells, else None; an IRI that RFC 3987 does not allow is an error."""
    spelled = spelled_iri(text)
    return None if spelled is None else check_iri(spelled, text, what)


def check_iri(iri: str, text: str, what: str) -> URIRef:
    """`iri`, spelled by the user's `text`, if RFC 3987 allows it; else one line saying why.

    Checked before it becomes a URIRef because rdflib takes any string as an IRI (and
    writes it out broken) while Oxigraph refuses it with an exception mid-query.
    """
    bad = EXCLUDED.search(iri)
    if bad is not None:
        char = "a space" if bad.group() == " " else repr(bad.group())
        raise NameLookupError(f"{what}: {text!r} is not a valid IRI: it holds {char}")
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise NameLookupError(f"{what}: {text!r} is not a valid IRI: {exc}") from None
    return URIRef(iri)


def candidates(graph: Graph, text: str) -> list[URIRef]:
    """Everything `text` names: exact names and ids if any, else names that contain it."""
    for query in (EXACT, PARTIAL):
        result = run_query(graph, query, {"name": Literal(text)}, source="name lookup")
        found = sorted({row[0] for row in result.rows if isinstance(row[0], URIRef)})
        if found:
            return found
    return []


#: Finds what a name names somewhere else than in a local graph (a remote endpoint).
NameFinder = Callable[[str], list[URIRef]]


def resolve_name(
    graph: Graph, text: str, what: str = "name", find: NameFinder | None = None
) -> URIRef:
    """The one entity `text` names, or an error saying it names none or several.

    `what` says where the text came from (`parameter 'hospital'`, `--focus`); `find`
    looks names up elsewhere than in `graph` (which then only lends its prefixes).
    """
    iri = iri_of(text, what)
    if iri is not None:
        return iri
    if not text.strip():
        raise NameLookupError(f"{what}: an empty name names nothing")
    found = candidates(graph, text) if find is None else find(text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NameLookupError(
            f"{what}: nothing in the graph is called {text!r} (give a Chinese or English name, "
            "an id like inst:jiaozuo-mch, or an IRI)"
        )
    shown = ", ".join(display(graph, iri) or str(iri) for iri in found[:SHOWN])
    more = " ..." if len(found) > SHOWN else ""
    raise NameLookupError(
        f"{what}: {text!r} names {len(found)} things ({shown}{more}); be more specific"
    )
