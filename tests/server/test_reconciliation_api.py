"""The reconciliation service (/reconcile) on a real `hospital-kg serve`, asked as OpenRefine
asks it: the manifest with a plain GET, batches as a form POST of `queries=` (and as GET),
the 1.0 draft's JSON POST, previews and suggestions. Every answer is checked against the
JSON schemas in reconciliation_schemas/, written from the spec's sections (each cites its
section); the names come from data/facts and from tests/fixtures/extraction/same-as.tsv.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import httpx
import jsonschema
import pytest
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from graph_builder import Project, build_graph
from graph_builder.rdf.namespaces import HKG, ID, SCHEMA
from graph_builder.rdf.vocabulary import load_ontology
from tests.conftest import REPO
from tests.server.conftest import Server

SCHEMAS = Path(__file__).with_name("reconciliation_schemas")
SAME_AS = REPO / "tests" / "fixtures" / "extraction" / "same-as.tsv"
#: OpenRefine's batch POST: a form with one field, queries=<JSON>, encoded as Java's
#: URLEncoder does (spaces as +), with this Content-Type (Apache HttpClient's form entity).
OPENREFINE_FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
OPENREFINE_ORIGIN = "http://127.0.0.1:3333"


def schema(name: str) -> jsonschema.protocols.Validator:
    document = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def valid(name: str, document: Any) -> Any:
    errors = sorted(schema(name).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return document


def openrefine_post(base: str, batch: dict[str, Any], path: str = "/reconcile") -> httpx.Response:
    """A batch exactly as OpenRefine POSTs it (StandardReconConfig.batchRecon)."""
    valid("reconciliation-query-batch-0.2", batch)
    body = "queries=" + quote_plus(json.dumps(batch, ensure_ascii=False))
    return httpx.post(base + path, content=body.encode("utf-8"), headers=OPENREFINE_FORM)


def results(base: str, batch: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    response = openrefine_post(base, batch)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    answer = valid("reconciliation-result-batch-0.2", response.json())
    assert set(answer) == set(batch)
    return {key: value["result"] for key, value in answer.items()}


def reconcile(base: str, name: str, **fields: Any) -> list[dict[str, Any]]:
    return results(base, {"q0": {"query": name, **fields}})["q0"]


def draft_post(base: str, batch: dict[str, Any], path: str = "/reconcile/match") -> list[Any]:
    response = httpx.post(base + path, json=batch)
    assert response.status_code == 200, response.text
    answer = valid("reconciliation-result-batch-1.0-draft", response.json())
    assert len(answer["results"]) == len(batch["queries"])
    return [result["candidates"] for result in answer["results"]]


def one_line_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text.startswith("error: ") and response.text.count("\n") == 1
    return response.text


# -- the built graph, read at collection time ----------------------------------------------


def _graph_names() -> tuple[dict[str, set[str]], dict[str, str]]:
    """Every name (labels, alternative names) of every minted entity, and each entity's
    slug, from the graph as `hospital-kg serve` builds it."""
    project = Project.find(REPO)
    graph = build_graph(project, load_ontology(project.ontology))
    bearers: dict[str, set[str]] = defaultdict(set)
    slugs: dict[str, str] = {}
    for predicate in (RDFS.label, SKOS.altLabel, SCHEMA.alternateName):
        for subject, name in graph.subject_objects(predicate):
            if isinstance(subject, URIRef) and str(subject).startswith(ID):
                if (subject, RDF.type, HKG.Fact) in graph:
                    continue
                bearers[str(name)].add(str(subject))
                slugs[str(subject)] = str(subject).rsplit("/", 1)[-1]
    return bearers, slugs


BEARERS, SLUGS = _graph_names()


def _same_as_pairs() -> list[tuple[str, str]]:
    """The same-as pairs whose two names are both names in the built graph."""
    with SAME_AS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        (r["name_a"], r["name_b"])
        for r in rows
        if r["name_a"] in BEARERS and r["name_b"] in BEARERS
    ]


SAME_AS_PAIRS = _same_as_pairs()


# -- servers -------------------------------------------------------------------------------


SMALL_GRAPH = """
@prefix hkg: <https://w3id.org/hospital-kg/ontology#> .
@prefix inst: <https://w3id.org/hospital-kg/id/institution/> .
@prefix place: <https://w3id.org/hospital-kg/id/place/> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

place:jia a hkg:City ; rdfs:label "甲市"@zh ; skos:altLabel "甲"@zh .
place:yi a hkg:City ; rdfs:label "乙市"@zh ; skos:altLabel "乙"@zh .
inst:same-a a hkg:Hospital ; rdfs:label "同名医院"@zh ; schema:location place:jia .
inst:same-b a hkg:Hospital ; rdfs:label "同名医院"@zh ; schema:location place:yi .
inst:markup a hkg:Hospital ;
    rdfs:label "<script>alert('x')</script>医院 & \\"引号\\""@zh ;
    hkg:englishLabel "<b>Bold</b> & Co's hospital"@en ;
    skos:altLabel "<img src=x onerror=alert(1)>"@zh .
inst:extra-one a hkg:Hospital ; rdfs:label "甲市第一医院"@zh ; schema:location place:jia .
inst:extra-two a hkg:Hospital ; rdfs:label "甲市第二医院"@zh ; schema:location place:jia .
inst:extra-three a hkg:Hospital ; rdfs:label "甲市第三医院"@zh ; schema:location place:jia .
"""


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Small limits, CORS for OpenRefine's page only, and a graph of namesakes and markup."""
    folder = tmp_path_factory.mktemp("reconcile")
    small = folder / "small.ttl"
    small.write_text(SMALL_GRAPH, encoding="utf-8")
    server = Server(
        "--workers", "1", "--reserve", "0",
        "--reconcile-batch", "3", "--reconcile-chars", "20", "--reconcile-limit", "2",
        "--cors", OPENREFINE_ORIGIN,
        "--data", str(small), "--data", str(REPO / "ontology" / "hospital-kg.ttl"),
        log=folder / "stderr.log",
    )  # fmt: skip
    yield server
    server.stop()


# -- the manifest --------------------------------------------------------------------------


def test_the_manifest_is_a_0_2_service_with_preview_suggest_and_hospital_types(
    seed_server: Server,
) -> None:
    response = httpx.get(f"{seed_server.base}/reconcile")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    manifest = valid("manifest-0.2", response.json())
    assert manifest["identifierSpace"] == "https://w3id.org/hospital-kg/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/hospital-kg/ontology#"
    types = [t["id"] for t in manifest["defaultTypes"]]
    assert types[0] == "hkg:Hospital" and {"hkg:Institution", "hkg:Alliance"} <= set(types)
    assert manifest["batchSize"] == 100
    base = f"{seed_server.base}/reconcile"
    assert manifest["preview"]["url"] == f"{base}/preview?id={{{{id}}}}"
    assert manifest["view"]["url"] == f"{base}/view?id={{{{id}}}}"
    for kind in ("entity", "type", "property"):
        suggest = manifest["suggest"][kind]
        assert suggest["service_url"] + suggest["service_path"] == f"{base}/suggest/{kind}"


def test_every_url_of_the_manifest_answers(seed_server: Server) -> None:
    manifest = httpx.get(f"{seed_server.base}/reconcile").json()
    for template in (manifest["preview"]["url"], manifest["view"]["url"]):
        page = httpx.get(template.replace("{{id}}", quote_plus("changzhi-mch")))
        assert page.status_code == 200 and "长治市妇幼保健院" in page.text
    for suggest in manifest["suggest"].values():
        answer = httpx.get(suggest["service_url"] + suggest["service_path"], params={"prefix": "l"})
        assert answer.status_code == 200 and "result" in answer.json()


# -- names, as OpenRefine sends them -------------------------------------------------------

NAMES = [
    ("长治市妇幼保健院", "changzhi-mch", True),
    ("焦作市妇幼保健院", "jiaozuo-mch", True),
    ("河南省儿童医院", "henan-childrens-hospital", True),
    ("北京儿童医院", "beijing-childrens-hospital", True),
    ("复旦大学附属儿科医院", "fudan-childrens-hospital", True),
    # short and variant forms: never a certain match, but first
    ("长治妇幼", "changzhi-mch", False),
    ("长治市妇幼", "changzhi-mch", False),
    ("长治妇幼保健院", "changzhi-mch", False),
    ("焦作妇幼", "jiaozuo-mch", False),
    ("河南儿童医院", "henan-childrens-hospital", False),
    ("河南省儿童", "henan-childrens-hospital", False),
    ("复旦儿科", "fudan-childrens-hospital", False),
    ("复旦儿科医院", "fudan-childrens-hospital", False),
    ("首都医科大学附属北京儿童医院", "beijing-childrens-hospital", None),
    # as written in a spreadsheet: spaces, full-width brackets and letters
    ("长治市 妇幼保健院", "changzhi-mch", True),
    ("长治市妇幼保健院（长治市妇产医院）", "changzhi-mch", False),
    # the English label (a translation) and the id
    ("Changzhi Maternal and Child Health Hospital", "changzhi-mch", True),
    ("changzhi-mch", "changzhi-mch", True),
]


@pytest.mark.parametrize(("name", "expected", "match"), NAMES)
def test_the_right_hospital_comes_first(
    seed_server: Server, name: str, expected: str, match: bool | None
) -> None:
    """match None: the name is in the graph only once another engineer's authority file is."""
    found = reconcile(seed_server.base, name, type="hkg:Hospital", type_strict="should")
    assert found and found[0]["id"] == expected, [(c["id"], c["score"]) for c in found[:3]]
    assert found[0]["score"] > (found[1]["score"] if len(found) > 1 else 0)
    if match is not None:
        assert found[0]["match"] is match
        assert (found[0]["score"] == 100) is match
    assert not any(c["match"] for c in found[1:])


def test_a_batch_of_a_column_answers_every_query(seed_server: Server) -> None:
    """OpenRefine sends a column in batches of q0..qN; each is answered on its own."""
    batch = {f"q{n}": {"query": name} for n, (name, _, _) in enumerate(NAMES[:10])}
    answer = results(seed_server.base, batch)
    for n, (_, expected, _) in enumerate(NAMES[:10]):
        assert answer[f"q{n}"][0]["id"] == expected


def test_the_type_guessing_request_returns_typed_candidates(seed_server: Server) -> None:
    """OpenRefine guesses a column's type with queries without a type, limit 3."""
    found = reconcile(seed_server.base, "长治市妇幼保健院", limit=3)
    assert len(found) <= 3
    types = {t["id"] for t in found[0]["type"]}
    assert {"hkg:MaternalAndChildHealthHospital", "hkg:Hospital", "hkg:Institution"} <= types
    assert found[0]["type"][0]["id"] == "hkg:MaternalAndChildHealthHospital"  # most specific first
    assert all(t["name"] for t in found[0]["type"])


def test_a_get_batch_answers_as_a_post_does(seed_server: Server) -> None:
    batch = {"q0": {"query": "焦作市妇幼保健院"}, "q1": {"query": "长治妇幼", "limit": 2}}
    valid("reconciliation-query-batch-0.2", batch)
    response = httpx.get(f"{seed_server.base}/reconcile", params={"queries": json.dumps(batch)})
    assert response.status_code == 200
    answer = valid("reconciliation-result-batch-0.2", response.json())
    assert answer == {k: {"result": v} for k, v in results(seed_server.base, batch).items()}
    assert len(answer["q1"]["result"]) <= 2


def test_candidates_carry_a_description_and_matching_features(seed_server: Server) -> None:
    top = reconcile(seed_server.base, "长治市妇幼保健院")[0]
    assert top["name"] == "长治市妇幼保健院"
    assert "Changzhi Maternal and Child Health Hospital" in top["description"]
    assert "长治市" in top["description"]
    features = {f["id"]: f["value"] for f in top["features"]}
    assert features == {"name": 100.0, "name_exact": True}


# -- same-as pairs from the extraction fixtures --------------------------------------------


def test_some_same_as_pairs_are_in_the_graph() -> None:
    """The parametrised test below runs over these; none would be an empty pass."""
    assert SAME_AS_PAIRS, "no same-as pair has both names in the built graph"


@pytest.mark.parametrize(("name_a", "name_b"), SAME_AS_PAIRS)
def test_both_names_of_a_same_as_pair_find_the_entity_bearing_them(
    seed_server: Server, name_a: str, name_b: str
) -> None:
    """Each name finds an entity that bears it exactly; when the graph has merged the two
    (one entity bears both), both names find that one entity."""
    tops = {}
    for name in (name_a, name_b):
        found = reconcile(seed_server.base, name)
        bearers = {SLUGS[iri] for iri in BEARERS[name]}
        assert found[0]["id"] in bearers and found[0]["score"] == 100, (name, found[:2])
        assert found[0]["match"] is (len(bearers) == 1)
        tops[name] = found[0]["id"]
    if BEARERS[name_a] & BEARERS[name_b]:
        assert tops[name_a] == tops[name_b]


# -- types and properties ------------------------------------------------------------------


def test_a_type_filters_candidates(seed_server: Server) -> None:
    alliances = reconcile(seed_server.base, "长治市妇幼保健院", type="hkg:Alliance")
    assert alliances and all("hkg:Alliance" in {t["id"] for t in c["type"]} for c in alliances)
    assert "changzhi-mch" not in {c["id"] for c in alliances}
    both = reconcile(seed_server.base, "长治", type=["hkg:City", "hkg:Hospital"], type_strict="any")
    assert {"changzhi", "changzhi-mch"} <= {c["id"] for c in both}
    full_iri = reconcile(
        seed_server.base, "长治", type="https://w3id.org/hospital-kg/ontology#City"
    )
    assert [c["id"] for c in full_iri] == ["changzhi"]


@pytest.mark.parametrize(
    ("place", "expected"),
    [("长治", "changzhi-mch"), ("焦作市", "jiaozuo-mch"), ("Jiaozuo", "jiaozuo-mch"),
     ("山西省长治市", "changzhi-mch"), ("henan", "jiaozuo-mch"),
     ({"id": "jiaozuo", "name": "焦作"}, "jiaozuo-mch")],
)  # fmt: skip
def test_a_location_picks_the_hospital_of_that_place(
    seed_server: Server, place: Any, expected: str
) -> None:
    found = reconcile(
        seed_server.base,
        "妇幼保健院",
        type="hkg:MaternalAndChildHealthHospital",
        properties=[{"pid": "location", "v": place}],
    )
    assert found[0]["id"] == expected
    assert {"id": "location", "value": True} in [
        {k: f[k] for k in ("id", "value")} for f in found[0]["features"]
    ]


def test_a_location_the_entity_is_known_not_to_have_lowers_it(seed_server: Server) -> None:
    found = reconcile(
        seed_server.base, "长治市妇幼保健院", properties=[{"pid": "location", "v": "焦作"}]
    )
    top = next(c for c in found if c["id"] == "changzhi-mch")
    assert top["score"] < 100 and top["match"] is False


def test_a_partner_picks_the_hospital_tied_to_it(seed_server: Server) -> None:
    found = reconcile(
        seed_server.base,
        "妇幼保健院",
        type="hkg:Hospital",
        properties=[{"pid": "partner", "v": "河南省儿童医院"}],
    )
    assert found[0]["id"] == "jiaozuo-mch"


def test_properties_without_a_name_list_what_satisfies_them(seed_server: Server) -> None:
    batch = {"q0": {"properties": [{"pid": "location", "v": "焦作"}], "type": "hkg:Hospital"}}
    found = results(seed_server.base, batch)["q0"]
    assert {c["id"] for c in found} >= {"jiaozuo-mch"}
    assert not any(c["match"] for c in found)


# -- the JSON POST of the 1.0 draft --------------------------------------------------------


def test_the_draft_json_batch_is_answered_in_order(seed_server: Server) -> None:
    batch = {
        "queries": [
            {"conditions": [{"matchType": "name", "propertyValue": "焦作市妇幼保健院"}]},
            {
                "type": "hkg:Hospital",
                "limit": 2,
                "conditions": [
                    {"matchType": "name", "propertyValue": "妇幼保健院"},
                    {
                        "matchType": "property",
                        "propertyId": "location",
                        "propertyValue": "长治",
                        "required": True,
                    },
                ],
            },
            {"conditions": [{"matchType": "id", "propertyValue": "henan-childrens-hospital"}]},
        ]
    }
    valid("reconciliation-query-batch-1.0-draft", batch)
    first, located, by_id = draft_post(seed_server.base, batch)
    assert first[0]["id"] == "jiaozuo-mch" and first[0]["match"] is True
    assert [c["id"] for c in located] == ["changzhi-mch"]
    assert by_id[0]["id"] == "henan-childrens-hospital" and by_id[0]["match"] is True
    assert draft_post(seed_server.base, batch, "/reconcile") == [first, located, by_id]


def test_a_json_list_of_0_2_queries_is_read_too(seed_server: Server) -> None:
    batch = {"queries": [{"query": "长治妇幼", "type": ["hkg:Hospital"], "limit": 1}]}
    [found] = draft_post(seed_server.base, batch, "/reconcile")
    assert [c["id"] for c in found] == ["changzhi-mch"]


# -- preview, view, suggest ----------------------------------------------------------------


def test_the_preview_is_a_small_card_framed_by_any_page(seed_server: Server) -> None:
    page = httpx.get(f"{seed_server.base}/reconcile/preview", params={"id": "changzhi-mch"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors *" in policy
    text = page.text
    assert '<h1 lang="zh">长治市妇幼保健院</h1>' in text
    assert (
        "Changzhi Maternal and Child Health Hospital <small>(English translation)</small>" in text
    )
    assert "长治市, 山西省" in text and "三级甲等" in text
    assert "<script" not in text


def test_the_view_page_links_to_every_triple(seed_server: Server) -> None:
    page = httpx.get(f"{seed_server.base}/reconcile/view", params={"id": "jiaozuo-mch"})
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    link = re.search(r'href="([^"]+)"', page.text)
    assert link is not None
    turtle = httpx.get(link.group(1).replace("&amp;", "&"))
    assert turtle.status_code == 200 and "焦作市妇幼保健院" in turtle.text


def test_every_returned_id_has_a_preview(seed_server: Server) -> None:
    for candidate in reconcile(seed_server.base, "医院", limit=20):
        page = httpx.get(f"{seed_server.base}/reconcile/preview", params={"id": candidate["id"]})
        assert page.status_code == 200, candidate["id"]


def test_suggest_entity_completes_a_prefix(seed_server: Server) -> None:
    url = f"{seed_server.base}/reconcile/suggest/entity"
    answer = valid(
        "suggest-entities-response-0.2", httpx.get(url, params={"prefix": "焦作"}).json()
    )
    assert answer["result"][0]["id"] in {"jiaozuo", "jiaozuo-mch", "jiaozuo-peoples-hospital"}
    assert "jiaozuo-mch" in [item["id"] for item in answer["result"]]
    by_id = httpx.get(url, params={"prefix": "changzhi-mch"}).json()["result"]
    assert by_id[0]["id"] == "changzhi-mch"
    typed = httpx.get(url, params={"prefix": "焦作", "type": "hkg:Hospital"}).json()["result"]
    assert "jiaozuo" not in [item["id"] for item in typed]
    paged = httpx.get(url, params={"prefix": "焦作", "cursor": 1, "limit": 1}).json()["result"]
    assert paged == answer["result"][1:2]


def test_suggest_type_and_property(seed_server: Server) -> None:
    base = f"{seed_server.base}/reconcile/suggest"
    types = valid(
        "suggest-types-response-0.2", httpx.get(f"{base}/type", params={"prefix": "hosp"}).json()
    )
    assert types["result"][0]["id"] == "hkg:Hospital"
    assert types["result"][0]["broader"] == [
        {"id": "hkg:Institution", "name": "Institution (机构)"}
    ]
    chinese = httpx.get(f"{base}/type", params={"prefix": "妇幼"}).json()["result"]
    assert chinese[0]["id"] == "hkg:MaternalAndChildHealthHospital"
    properties = valid(
        "suggest-properties-response-0.2",
        httpx.get(f"{base}/property", params={"prefix": ""}).json(),
    )
    assert [p["id"] for p in properties["result"]] == ["location", "partner"]


# -- CORS ----------------------------------------------------------------------------------


def test_a_json_post_from_openrefine_s_page_is_preflighted(seed_server: Server) -> None:
    response = httpx.options(
        f"{seed_server.base}/reconcile/match",
        headers={
            "Origin": OPENREFINE_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["allow"] == "POST, OPTIONS"


def test_cors_only_for_the_pages_cors_lists(strict_server: Server) -> None:
    base = strict_server.base
    manifest = httpx.get(f"{base}/reconcile", headers={"Origin": OPENREFINE_ORIGIN})
    assert manifest.headers["access-control-allow-origin"] == OPENREFINE_ORIGIN
    other = httpx.get(f"{base}/reconcile", headers={"Origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
    posted = httpx.post(
        f"{base}/reconcile",
        data={"queries": json.dumps({"q0": {"query": "同名医院"}})},
        headers={"Origin": "http://elsewhere.example"},
    )
    assert "form POST from another site" in one_line_error(posted, 403)
    preview = httpx.get(f"{base}/reconcile/preview", params={"id": "same-a"})
    assert (
        f"frame-ancestors 'self' {OPENREFINE_ORIGIN}" in preview.headers["content-security-policy"]
    )


# -- match: only a name no other entity bears -----------------------------------------------


def test_namesakes_are_never_a_certain_match(strict_server: Server) -> None:
    found = reconcile(strict_server.base, "同名医院")
    assert {c["id"] for c in found} == {"same-a", "same-b"}
    assert all(c["score"] == 100 and c["match"] is False for c in found)


def test_a_required_location_makes_a_namesake_certain(strict_server: Server) -> None:
    condition = {
        "matchType": "property",
        "propertyId": "location",
        "propertyValue": "乙",
        "required": True,
    }
    batch = {
        "queries": [{"conditions": [{"matchType": "name", "propertyValue": "同名医院"}, condition]}]
    }
    [found] = draft_post(strict_server.base, batch)
    assert [(c["id"], c["match"]) for c in found] == [("same-b", True)]


def test_the_preview_escapes_every_name(strict_server: Server) -> None:
    page = httpx.get(f"{strict_server.base}/reconcile/preview", params={"id": "markup"})
    assert page.status_code == 200
    text = page.text
    for raw in ("<script>alert", "<b>Bold", "<img src"):
        assert raw not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;医院 &amp; &quot;引号&quot;" in text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co&#x27;s hospital" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


# -- limits: each has an option ------------------------------------------------------------


def test_a_batch_over_reconcile_batch_is_refused_413(strict_server: Server) -> None:
    manifest = valid("manifest-0.2", httpx.get(f"{strict_server.base}/reconcile").json())
    assert manifest["batchSize"] == 3
    batch = {f"q{n}": {"query": "同名医院"} for n in range(3)}
    assert len(results(strict_server.base, batch)) == 3
    batch["q3"] = {"query": "同名医院"}
    message = one_line_error(openrefine_post(strict_server.base, batch), 413)
    assert "4 queries in one batch; send at most 3 (--reconcile-batch)" in message
    draft = {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "x"}]}] * 4}
    one_line_error(httpx.post(f"{strict_server.base}/reconcile/match", json=draft), 413)


def test_a_query_over_reconcile_chars_is_refused(strict_server: Server) -> None:
    assert reconcile(strict_server.base, "医" * 20) is not None
    message = one_line_error(openrefine_post(strict_server.base, {"q0": {"query": "医" * 21}}), 400)
    assert "21 characters long; at most 20" in message
    long_value = {"q0": {"query": "x", "properties": [{"pid": "location", "v": "甲" * 21}]}}
    one_line_error(openrefine_post(strict_server.base, long_value), 400)
    suggest = httpx.get(
        f"{strict_server.base}/reconcile/suggest/entity", params={"prefix": "医" * 21}
    )
    one_line_error(suggest, 400)
    preview = httpx.get(f"{strict_server.base}/reconcile/preview", params={"id": "x" * 21})
    one_line_error(preview, 400)


def test_a_limit_over_reconcile_limit_is_lowered_to_it(strict_server: Server) -> None:
    assert len(reconcile(strict_server.base, "甲市医院", limit=50)) == 2
    assert len(reconcile(strict_server.base, "甲市医院")) == 2  # the default (10) too
    suggested = httpx.get(
        f"{strict_server.base}/reconcile/suggest/entity", params={"prefix": "甲", "limit": 50}
    )
    assert len(suggested.json()["result"]) == 2


# -- bad input: one line of text/plain -----------------------------------------------------


BAD_BATCHES = [
    ("[1]", 400, "must be a JSON object of queries"),
    ('{"q0": "长治"}', 400, "must be an object"),
    ('{"q0": {"query": 5}}', 400, "query must be a string"),
    ('{"q0": {"query": "x", "props": []}}', 400, "unknown field 'props'"),
    ('{"q0": {"limit": 1}}', 400, "give a query string or properties"),
    ('{"q0": {"properties": []}}', 400, "give a query string or properties"),
    ('{"q0": {"query": "x", "type": "hkg:Nothing"}}', 400, "unknown type 'hkg:Nothing'"),
    ('{"q0": {"query": "x", "type_strict": "maybe"}}', 400, "type_strict must be one of"),
    ('{"q0": {"query": "x", "limit": 0}}', 400, "limit must be a positive integer"),
    ('{"q0": {"query": "x", "limit": "5"}}', 400, "limit must be a positive integer"),
    ('{"q0": {"query": "x", "limit": 2.5}}', 400, "limit must be a positive integer"),
    ('{"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}', 400,
     "unknown property 'colour'"),
    ('{"q0": {"query": "x", "properties": [{"pid": "location"}]}}', 400, "pid and v"),
    ('{"q0": {"query": "x", "properties": [{"pid": "location", "v": []}]}}', 400,
     "at least one value"),
    ("not json", 400, "queries is not JSON"),
    ("[" * 100_000, 400, "queries is not JSON"),
]  # fmt: skip


@pytest.mark.parametrize(("queries", "status", "says"), BAD_BATCHES)
def test_a_bad_batch_is_one_line_of_error(
    seed_server: Server, queries: str, status: int, says: str
) -> None:
    body = ("queries=" + quote_plus(queries)).encode("utf-8")
    response = httpx.post(f"{seed_server.base}/reconcile", content=body, headers=OPENREFINE_FORM)
    assert says in one_line_error(response, status)


BAD_REQUESTS = [
    ("GET", "/reconcile?callback=jQuery123", None, None, 400, "JSONP is not offered"),
    ("POST", "/reconcile", "callback=cb&queries=%7B%7D", "application/x-www-form-urlencoded",
     400, "JSONP is not offered"),
    ("GET", "/reconcile?query=x", None, None, 400, "queries="),
    ("GET", "/reconcile?queries=%7B%7D&queries=%7B%7D", None, None, 400, "give queries once"),
    ("POST", "/reconcile", "", "application/x-www-form-urlencoded", 400, "no queries"),
    ("POST", "/reconcile", "extend=%7B%7D", "application/x-www-form-urlencoded", 400,
     "data extension is not offered"),
    ("POST", "/reconcile", "queries", "text/plain", 415, "POST queries as"),
    ("POST", "/reconcile", "queries=%FF", "application/x-www-form-urlencoded", 400, "not UTF-8"),
    ("POST", "/reconcile", '{"queries": [1]}', "application/json; charset=latin-1", 415,
     "UTF-8"),
    ("POST", "/reconcile/match", "queries=%7B%7D", "application/x-www-form-urlencoded", 415,
     "application/json"),
    ("POST", "/reconcile/match", '{"queries": {}}', "application/json", 400,
     "send {\"queries\": [...]}"),
    ("POST", "/reconcile/match", '{"queries": [{"conditions": []}]}', "application/json", 400,
     "non-empty array"),
    ("POST", "/reconcile/match",
     '{"queries": [{"conditions": [{"matchType": "sound", "propertyValue": "x"}]}]}',
     "application/json", 400, "matchType must be name, id or property"),
    ("POST", "/reconcile/match",
     '{"queries": [{"conditions": [{"matchType": "name", "propertyValue": "x", '
     '"matchQuantifier": "most"}]}]}', "application/json", 400, "matchQuantifier"),
    ("GET", "/reconcile/preview", None, None, 400, "give the entity's id"),
    ("GET", "/reconcile/preview?id=no-such-entity", None, None, 404, "no entity has the id"),
    ("GET", "/reconcile/suggest/entity?prefix=x&limit=0", None, None, 400,
     "limit must be an integer of at least 1"),
    ("GET", "/reconcile/suggest/entity?prefix=x&cursor=-1", None, None, 400,
     "cursor must be an integer"),
    ("DELETE", "/reconcile", None, None, 405, "DELETE is not allowed"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "media", "status", "says"), BAD_REQUESTS)
def test_a_bad_request_is_one_line_of_error(
    seed_server: Server,
    method: str,
    path: str,
    body: str | None,
    media: str | None,
    status: int,
    says: str,
) -> None:
    headers = {"Content-Type": media} if media else {}
    content = body.encode("latin-1" if "%FF" in body else "utf-8") if body is not None else None
    response = httpx.request(method, seed_server.base + path, content=content, headers=headers)
    assert says in one_line_error(response, status)
    if status != 405:
        assert response.headers["access-control-allow-origin"] == "*"


# -- nothing here calls out ----------------------------------------------------------------


def test_the_service_imports_no_network_client() -> None:
    folder = REPO / "graph_builder" / "server" / "reconcile"
    source = "\n".join(path.read_text(encoding="utf-8") for path in folder.glob("*.py"))
    for client in ("socket", "urllib.request", "http.client", "httpx", "requests", "aiohttp"):
        assert not re.search(rf"^\s*(import|from) {re.escape(client)}\b", source, flags=re.M)
