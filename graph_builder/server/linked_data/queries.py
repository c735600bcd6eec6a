"""The SPARQL behind the pages and the RDF answers, built from parsed terms only.

An IRI enters a query as `pyoxigraph.NamedNode(iri)` written out, which refuses any
text that is not an IRI, so nothing from a request is pasted into a query as text
(the path was also checked by paths.py). Every query here is a CONSTRUCT, run by the
worker pool like any other query.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

#: Properties that name a thing, fetched for everything a page or an answer links to.
LABELS = "rdfs:label skos:prefLabel hkg:englishLabel"
#: What a page needs of each thing it mentions: what it is, its names, and for a
#: report what its evidence paragraphs need (title, date, text file and its hash).
SUMMARY = (
    "rdf:type rdfs:label skos:prefLabel hkg:englishLabel dcterms:title dcterms:date "
    "hkg:reviewYear hkg:sourceFile hkg:sha256 skos:notation"
)
#: Most facts a page lists of those that point at its entity, and most other things.
MAX_FACTS = 300
MAX_REFERENCES = 300
MAX_QUOTES = 2000


def term(iri: str) -> str:
    """An IRI as a SPARQL term; ValueError if it is not one."""
    return str(ox.NamedNode(iri))


def _blank_branches(entity: str, depth: int = 3) -> str:
    """UNION branches binding ?s to the blank nodes reachable from `entity` through blank
    nodes only, up to `depth` steps (the concise bounded description follows them)."""
    branches = []
    for level in range(1, depth + 1):
        hops, previous = [], entity
        for step in range(1, level + 1):
            node = "?s" if step == level else f"?b{step}"
            hops.append(f"{previous} ?p{step} {node} . FILTER(isBlank({node}))")
            previous = node
        branches.append("{ " + " ".join(hops) + " }")
    return "\n    UNION ".join(branches)


def description(iri: str) -> str:
    """The concise bounded description of `iri` and the labels of what it links to."""
    entity = term(iri)
    return f"""CONSTRUCT {{ ?s ?p ?o . ?o ?lp ?label }} WHERE {{
  {{ {{ BIND({entity} AS ?s) }}
    UNION {_blank_branches(entity)} }}
  ?s ?p ?o .
  OPTIONAL {{ VALUES ?lp {{ {LABELS} }} ?o ?lp ?label . FILTER(isIRI(?o)) }}
}}"""


def ontology(iri: str) -> str:
    """The ontology's own statements and every class and property it declares."""
    onto = term(iri)
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ BIND({onto} AS ?s) {onto} a owl:Ontology }}
  UNION {{ VALUES ?k {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty
                      rdf:Property }}
          ?s a ?k . FILTER(isIRI(?s)) }}
  ?s ?p ?o .
}}"""


def page(iri: str) -> str:
    """What an entity page shows beside the description: the facts, evidence and curator
    assertions it links to, the facts that point at it and their evidence, the quotes
    taken from it (a report) with what they support, and other things that point at it."""
    e = term(iri)
    return f"""CONSTRUCT {{ ?s ?p ?o . ?in ?ip {e} }} WHERE {{
  {{
    {{ BIND({e} AS ?s) }}
    UNION {{ {e} ?x ?s . VALUES ?c {{ hkg:Fact hkg:Evidence hkg:CuratorAssertion }} ?s a ?c }}
    UNION {{ SELECT DISTINCT ?s WHERE {{ ?s ?x {e} . ?s a hkg:Fact }} LIMIT {MAX_FACTS} }}
    UNION {{ SELECT DISTINCT ?s WHERE {{ ?s prov:wasQuotedFrom {e} }} LIMIT {MAX_QUOTES} }}
    UNION {{ SELECT DISTINCT ?s WHERE {{
               ?ev prov:wasQuotedFrom {e} . ?s prov:wasDerivedFrom ?ev }} LIMIT {MAX_QUOTES} }}
    UNION {{ SELECT DISTINCT ?s WHERE {{
               {{ {e} ?x ?f . ?f a hkg:Fact }}
               UNION {{ SELECT DISTINCT ?f WHERE {{ ?f ?y {e} . ?f a hkg:Fact }}
                        LIMIT {MAX_FACTS} }}
               ?f prov:wasDerivedFrom ?s }} }}
    UNION {_blank_branches(e)}
    ?s ?p ?o .
  }}
  UNION {{ SELECT DISTINCT ?in ?ip WHERE {{
             ?in ?ip {e} . FILTER(?ip != rdf:type)
             FILTER NOT EXISTS {{ ?in a hkg:Fact }} FILTER NOT EXISTS {{ ?in a hkg:Evidence }}
           }} LIMIT {MAX_REFERENCES} }}
}}"""


def summaries(iris: Iterable[str]) -> str:
    """Kinds, names, and report details of the things a page mentions."""
    values = " ".join(term(i) for i in sorted(set(iris)))
    return f"""CONSTRUCT {{ ?n ?p ?o }} WHERE {{
  VALUES ?n {{ {values} }}
  VALUES ?p {{ {SUMMARY} }}
  ?n ?p ?o .
}}"""
