"""Linked Data over HTTP: every IRI path answers HTML or RDF by content negotiation,
unknown IRIs and bad paths are 404, and --base moves the mapping."""

from __future__ import annotations

import re

import httpx
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from graph_builder.rdf.formats import RDF_FORMATS
from graph_builder.rdf.namespaces import HKG, INST, PLACE, PREFIXES
from tests.conftest import REPO, run_cli
from tests.server.conftest import Server
from tests.server.linked_data_graph import BASE, IMG

CHANGZHI = "/id/institution/changzhi-mch"
ONTOLOGY_FILE = REPO / "ontology" / "hospital-kg.ttl"


@pytest.mark.parametrize("fmt", [f for f in RDF_FORMATS if not f.dataset], ids=lambda f: f.name)
def test_every_rdf_format_parses_with_statements_and_linked_labels(seed_server: Server, fmt):
    response = httpx.get(seed_server.base + CHANGZHI, headers={"Accept": fmt.media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert response.headers["vary"] == "Accept"
    graph = Graph().parse(data=response.content, format=fmt.rdflib_parser)
    entity = INST["changzhi-mch"]
    assert (entity, RDFS.label, Literal("长治市妇幼保健院", lang="zh")) in graph
    assert (entity, HKG.hasConferral, URIRef(BASE_W3ID + "id/fact/changzhi-grade-3a")) in graph
    # the label of what it links to, not that thing's other statements
    assert (PLACE.changzhi, RDFS.label, Literal("长治市", lang="zh")) in graph
    assert (PLACE.changzhi, HKG.divisionCode, None) not in graph
    # ?format= gives the same, for a plain link
    by_name = httpx.get(seed_server.base + CHANGZHI, params={"format": fmt.name})
    assert by_name.headers["content-type"].split(";")[0] == fmt.media_type


BASE_W3ID = "https://w3id.org/hospital-kg/"


def test_q_values_choose_and_browsers_get_html(seed_server: Server):
    url = seed_server.base + CHANGZHI
    ranked = httpx.get(url, headers={"Accept": "text/html;q=0.5, application/n-triples"})
    assert ranked.headers["content-type"] == "application/n-triples"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = httpx.get(url, headers={"Accept": browser})
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "长治市妇幼保健院" in page.text


def test_unacceptable_type_is_406_in_one_line(seed_server: Server):
    response = httpx.get(seed_server.base + CHANGZHI, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.text.startswith("error: cannot answer with 'image/png'")
    assert response.text.count("\n") == 1 and "text/turtle" in response.text


def test_unknown_iris_and_bad_paths_are_404(seed_server: Server):
    paths = [
        "/id/institution/no-such-hospital",
        "/vocab/no-such-concept",
        "/id/institution/Changzhi-MCH",  # the minter writes lowercase only
        "/id/institution/changzhi-mch/extra",
        "/id/institution/changzhi%20mch",
        "/id/institution/changzhi-mch%3E%20%3Fp%20%3Fo",  # '> ?p ?o'
        "/id/institution/a'b",
        "/id/institution/-x",
        "/id/",
    ]
    for path in paths:
        page = httpx.get(seed_server.base + path, headers={"Accept": "text/html"})
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html"), path
        assert "This graph holds no resource" in page.text
        rdf = httpx.get(seed_server.base + path, headers={"Accept": "text/turtle"})
        assert rdf.status_code == 404, path
        assert rdf.text.startswith("error: this graph holds nothing at ")
        assert rdf.text.count("\n") == 1


def test_head_answers_like_get_without_a_body(seed_server: Server):
    url = seed_server.base + CHANGZHI
    head = httpx.head(url, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/turtle")
    assert httpx.head(seed_server.base + "/id/institution/nobody").status_code == 404


def test_every_kind_of_iri_resolves(seed_server: Server):
    paths = [
        "/id/fact/changzhi-grade-3a",
        "/id/evidence/changzhi-grade-3a",
        "/id/report/changzhi-mch-2023",
        "/id/place/changzhi",
        "/id/designation/grade-3a",
        "/id/person/li-xiaohong",
        "/id/alliance/changzhi-mch-consortium",
        "/id/curation/beijing-childrens-hospital-1",
        "/id/agent/hospital-kg-curators",
        "/id/dataset",
        "/vocab/granted",
        "/ontology",
    ]
    for path in paths:
        page = httpx.get(seed_server.base + path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html"), path
        turtle = httpx.get(seed_server.base + path, headers={"Accept": "text/turtle"})
        graph = Graph().parse(data=turtle.text, format="turtle")
        assert (URIRef(BASE_W3ID + path[1:]), None, None) in graph, path


def test_the_query_page_learns_the_base(seed_server: Server, tiny_server: Server):
    assert httpx.get(seed_server.base + "/api/queries").json()["base"] == BASE_W3ID
    assert httpx.get(tiny_server.base + "/api/queries").json()["base"] == BASE


def test_base_moves_the_mapping(tiny_server: Server, seed_server: Server):
    turtle = httpx.get(tiny_server.base + "/id/institution/tiny", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(BASE + "id/institution/tiny"), RDFS.label, Literal(IMG, lang="zh")) in graph
    # the same path on a server whose base is the default names another IRI
    assert httpx.get(seed_server.base + "/id/institution/tiny").status_code == 404
    # and IRIs outside the base are not served
    assert httpx.get(tiny_server.base + CHANGZHI).status_code == 404
    # the pages link IRIs under the base to local paths
    page = httpx.get(tiny_server.base + "/id/institution/tiny").text
    assert 'href="/id/fact/tiny-award"' in page
    assert f'href="{BASE}id/fact/tiny-award"' not in page


def test_ontology_page_has_an_anchor_for_every_class_and_property(seed_server: Server):
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)}
    html = httpx.get(seed_server.base + "/ontology", headers={"Accept": "text/html"}).text
    ids = set(re.findall(r'<article class="term" id="([^"]+)"', html))
    curies = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    own = BASE_W3ID + "ontology#"
    expected = set()
    for term in terms:
        if str(term).startswith(own):
            expected.add(str(term)[len(own) :])
        else:
            prefix = max(
                (p for p, ns in curies.items() if str(term).startswith(ns)),
                key=lambda p: len(curies[p]),
            )
            expected.add(f"{prefix}:{str(term)[len(curies[prefix]) :]}")
    assert len(expected) == len(terms) > 80
    assert expected <= ids, sorted(expected - ids)
    turtle = httpx.get(seed_server.base + "/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (HKG.Conferral, RDF.type, OWL.Class) in graph


@pytest.mark.parametrize(
    ("base", "message"),
    [
        ("w3id.org/hospital-kg", "error: --base: not an absolute IRI: 'w3id.org/hospital-kg/' "),
        ("http://exa mple/", "error: --base: not an absolute IRI: 'http://exa mple/'"),
    ],
)
def test_a_base_that_is_not_an_absolute_iri_is_one_line(base: str, message: str) -> None:
    result = run_cli("serve", "--base", base, "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
