"""What the data files may name, read from the ontology rather than hard-coded.

A data file says `kind: Base` or `level: national`; this module answers whether
that is a subclass of hkg:Designation or a concept in the hkv:levels scheme, so
adding a kind or a role is a change to the Turtle file alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph_builder.rdf.namespaces import HKG, HKV, bind_prefixes


def load_ontology(path: Path) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.parse(path, format="turtle")
    return graph


@dataclass
class Vocabulary:
    ontology: Graph
    _kinds: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict, repr=False)
    _concepts: dict[str, dict[str, URIRef]] = field(default_factory=dict, repr=False)

    @cached_property
    def _superclasses(self) -> dict[URIRef, frozenset[URIRef]]:
        direct: dict[URIRef, set[URIRef]] = {}
        for sub, sup in self.ontology.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                direct.setdefault(sub, set()).add(sup)
        closure: dict[URIRef, frozenset[URIRef]] = {}

        def walk(cls: URIRef) -> frozenset[URIRef]:
            if cls not in closure:
                closure[cls] = frozenset()  # guards against cycles
                found = {cls}
                for sup in direct.get(cls, ()):
                    found |= walk(sup)
                closure[cls] = frozenset(found)
            return closure[cls]

        for cls in list(direct):
            walk(cls)
        return closure

    def superclasses(self, cls: URIRef) -> frozenset[URIRef]:
        """`cls` and all its named superclasses (the types we materialise)."""
        return self._superclasses.get(cls, frozenset({cls})) - {OWL.Thing}

    def kinds(self, base: URIRef) -> dict[str, URIRef]:
        """Local name -> class, for every hkg: class under `base` (inclusive)."""
        if base not in self._kinds:
            self._kinds[base] = self._find_kinds(base)
        return self._kinds[base]

    def _find_kinds(self, base: URIRef) -> dict[str, URIRef]:
        prefix = str(HKG._NS)
        return {
            str(cls)[len(prefix) :]: cls
            for cls in self.ontology.subjects(RDF.type, OWL.Class)
            if isinstance(cls, URIRef)
            and str(cls).startswith(prefix)
            and base in self.superclasses(cls)
        }

    def concepts(self, scheme: str) -> dict[str, URIRef]:
        """Local name -> concept, for every concept in scheme hkv:<scheme>."""
        if scheme not in self._concepts:
            self._concepts[scheme] = self._find_concepts(scheme)
        return self._concepts[scheme]

    def _find_concepts(self, scheme: str) -> dict[str, URIRef]:
        return {
            str(concept)[len(str(HKV)) :]: concept
            for concept in self.ontology.subjects(SKOS.inScheme, HKV[scheme])
            if isinstance(concept, URIRef)
        }

    def labels(self, term: URIRef, lang: str = "zh") -> list[str]:
        """Preferred and alternative labels of a term in one language."""
        return [
            str(label)
            for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
            for label in self.ontology.objects(term, prop)
            if getattr(label, "language", None) == lang
        ]

    def inverses(self) -> dict[URIRef, URIRef]:
        """property -> inverse property, as declared with owl:inverseOf."""
        pairs: dict[URIRef, URIRef] = {}
        for prop, inverse in self.ontology.subject_objects(OWL.inverseOf):
            pairs[prop] = inverse
        return pairs
