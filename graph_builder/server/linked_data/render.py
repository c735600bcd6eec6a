"""HTML for the Linked Data pages: Jinja2 templates with autoescaping on.

Every label, name and quote reaches a template as a string and is escaped there; the
one script block holds JSON with `<`, `>` and `&` escaped (explorer.script_json).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from graph_builder.rdf.namespaces import HKG

from . import model
from .paths import Resolver

#: Library query parameters an entity page offers to fill with its entity: the
#: parameter's name -> the class the entity must have (None: anything with evidence).
PARAM_CLASSES: dict[str, URIRef | None] = {
    "hospital": HKG.Hospital,
    "from": HKG.Hospital,
    "alliance": HKG.Alliance,
    "role": HKG.TieRole,
    "fact": None,
}


def query_links(
    library: list[dict[str, Any]], graph: Graph, node: URIRef, reading: model.Reading
) -> list[model.QueryLink]:
    """Links to the query page with a library query chosen and this entity as its
    parameter: `/?query=NAME&PARAM=VALUE` (VALUE a prefixed name where one exists)."""
    types = set(graph.objects(node, RDF.type))
    has_evidence = any(graph.objects(node, PROV.wasDerivedFrom))
    value = reading.curie(str(node))
    links = []
    for query in library:
        for param in query.get("params", []):
            if param.get("type") != "iri" or param["name"] not in PARAM_CLASSES:
                continue
            cls = PARAM_CLASSES[param["name"]]
            if (cls is None and has_evidence) or (cls is not None and cls in types):
                href = "/?" + urlencode({"query": query["name"], param["name"]: value})
                links.append(model.QueryLink(query["name"], query.get("question_en", ""), href))
                break
    return links


class Renderer:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.env = Environment(
            loader=PackageLoader("graph_builder.server.linked_data", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def entity(self, entity: model.Entity, ego: str | None, formats: list[tuple[str, str]]) -> str:
        return self.env.get_template("entity.html.j2").render(
            e=entity,
            ego=ego,
            formats=formats,
            ontology_href=self.resolver.href(self.resolver.ontology),
        )

    def ontology(self, onto: model.Ontology, formats: list[tuple[str, str]]) -> str:
        return self.env.get_template("ontology.html.j2").render(
            o=onto, formats=formats, ontology_href=self.resolver.href(self.resolver.ontology)
        )

    def missing(self, path: str) -> str:
        return self.env.get_template("missing.html.j2").render(
            path=path, ontology_href=self.resolver.href(self.resolver.ontology)
        )
