"""The one reader of the ontology: class hierarchy, kinds, concepts, labels, inverses.

A data file says `kind: Base` or `level: national`; this module answers whether
that is a subclass of hkg:Designation or a concept in the hkv:levels scheme, so
adding a kind or a role is a change to the Turtle file alone. The network and the
explorer name kinds, relations and concepts with the labels read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import cast

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph_builder.errors import DataError
from graph_builder.rdf.namespaces import HKG, HKV, bind_prefixes


def load_ontology(path: Path) -> Graph:
    """Parse the ontology (once per command: pass the graph on rather than parse again)."""
    graph = Graph()
    bind_prefixes(graph)
    return parse_turtle(graph, path)


def parse_turtle(graph: Graph, path: Path) -> Graph:
    """Parse a Turtle file of the project into `graph`; any failure is one DataError.

    rdflib reports a syntax error over several lines with the text around it;
    the user needs the file, the line and the reason.
    """
    try:
        return graph.parse(path, format="turtle")
    except OSError as exc:
        raise DataError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    except SyntaxError as exc:  # rdflib's BadSyntax
        raise DataError(
            path, turtle_line(exc), f"Turtle syntax error: {turtle_reason(exc)}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise DataError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except RecursionError as exc:
        raise DataError(path, None, "Turtle nested too deeply to parse") from exc
    except ValueError as exc:  # rdflib refuses some terms (a bad language tag, say)
        raise DataError(path, None, f"not valid Turtle: {exc}") from exc


def turtle_line(exc: SyntaxError) -> int | None:
    """The 1-based line rdflib's BadSyntax names (it keeps a 0-based count)."""
    lines = getattr(exc, "lines", None)
    return lines + 1 if isinstance(lines, int) else None


def turtle_reason(exc: SyntaxError) -> str:
    """The reason inside rdflib's message, `Bad syntax (<reason>) at ^ in: ...`."""
    found = re.search(r"Bad syntax \((.*)\) at \^", str(exc))
    return found.group(1) if found else " ".join(str(exc).split())[:200]


@dataclass
class Vocabulary:
    ontology: Graph
    _kinds: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict, repr=False)
    _concepts: dict[str, dict[str, URIRef]] = field(default_factory=dict, repr=False)
    _names: dict[URIRef, tuple[str | None, str | None]] = field(default_factory=dict, repr=False)

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

    def depth(self, cls: URIRef) -> int:
        """How many named classes `cls` is under (itself included): more is more specific."""
        return len(self.superclasses(cls))

    def names(self, term: URIRef) -> tuple[str | None, str | None]:
        """(zh, en): a term's skos:prefLabel, else its rdfs:label, in each language."""
        if term not in self._names:
            found: dict[str, str] = {}
            for prop in (SKOS.prefLabel, RDFS.label):
                for label in self.ontology.objects(term, prop):
                    lang = getattr(label, "language", None)
                    if lang in ("zh", "en") and lang not in found:
                        found[lang] = str(label)
            self._names[term] = (found.get("zh"), found.get("en"))
        return self._names[term]

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
            pairs[cast(URIRef, prop)] = cast(URIRef, inverse)  # the ontology pairs named properties
        return pairs
