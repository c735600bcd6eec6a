"""A tiny project for the Linked Data tests: labels with HTML in them, a report text
with a quote at known offsets, and IRIs under another base (serve --base)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from tests.conftest import REPO

BASE = "http://example.org/kg/"
#: Names that would run or render as markup if a page pasted them in as HTML.
IMG = "<img src=x onerror=\"document.title='pwned'\">"
BOLD = "<b>x</b>"
TEXT = "第一段。\n报道称，" + IMG + "获评" + BOLD + "称号。\n第三段。\n"
QUOTE = IMG + "获评" + BOLD + "称号"
START = TEXT.index(QUOTE)
END = START + len(QUOTE)


def tiny_project(root: Path) -> Path:
    """Write the project under `root`; the graph file to serve with --data."""
    (root / "ontology").mkdir(parents=True)
    shutil.copy(REPO / "ontology" / "hospital-kg.ttl", root / "ontology" / "hospital-kg.ttl")
    shutil.copytree(REPO / "queries", root / "queries")
    reports = root / "data" / "reports"
    reports.mkdir(parents=True)
    (reports / "tiny-2024.txt").write_text(TEXT, encoding="utf-8")
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()

    def lit(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    graph = f"""@prefix hkg: <https://w3id.org/hospital-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{BASE}id/institution/tiny> a hkg:Hospital, hkg:Institution ;
    rdfs:label {lit(IMG)}@zh ;
    hkg:englishLabel {lit(BOLD)}@en ;
    hkg:hasConferral <{BASE}id/fact/tiny-award> .
<{BASE}id/designation/award> a hkg:Designation ; rdfs:label {lit(BOLD + "称号")}@zh .
<{BASE}id/fact/tiny-award> a hkg:Conferral, hkg:Fact ;
    hkg:recipient <{BASE}id/institution/tiny> ;
    hkg:designation <{BASE}id/designation/award> ;
    prov:wasDerivedFrom <{BASE}id/evidence/tiny-award> ;
    prov:hadPrimarySource <{BASE}id/report/tiny-2024> .
<{BASE}id/evidence/tiny-award> a hkg:Evidence ;
    prov:value {lit(QUOTE)}@zh ;
    prov:wasQuotedFrom <{BASE}id/report/tiny-2024> ;
    hkg:startOffset {START} ;
    hkg:endOffset {END} .
<{BASE}id/report/tiny-2024> a hkg:Report ;
    rdfs:label {lit(IMG + "报道")}@zh ;
    dcterms:title {lit(IMG + "报道")}@zh ;
    hkg:reviewYear 2024 ;
    hkg:sourceFile "data/reports/tiny-2024.txt" ;
    hkg:sha256 "{digest}" .
<{BASE}ontology> a owl:Ontology ; rdfs:label {lit(BOLD + " ontology")}@en .
<{BASE}ontology#Thing> a owl:Class ; rdfs:label {lit(IMG)}@en .
"""
    path = root / "tiny.ttl"
    path.write_text(graph, encoding="utf-8")
    return path
