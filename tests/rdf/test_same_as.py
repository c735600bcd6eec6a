"""Names of one institution across reports become one node: the five fictional dev reports
added, extracted and accepted as a user would, then built beside the seeds.

same-as.tsv lists 27 pairs of names that denote one institution. A pair is one node
automatically when a report states the alias (襄阳市第二妇幼保健院（襄阳市汉水儿童医院）) and
the extractor records it; through the authority file when a curator's source says so
(国家卫健委 = 国家卫生健康委员会). The other pairs stay apart for `hospital-kg reconcile` to
propose. The counts below are the README's.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from graph_builder.rdf.namespaces import SCHEMA
from tests.conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "extraction"
NAME_PREDICATES = (RDFS.label, SKOS.altLabel, SCHEMA.alternateName)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Graph, Path]]:
    root = tmp_path_factory.mktemp("same-as")
    for name in ("ontology", "data"):
        shutil.copytree(REPO / name, root / name)
    env = {"HOSPITAL_KG_ROOT": str(root)}
    added = run_cli("add-report", str(FIXTURES / "reports"), "--jobs", "1", env=env)
    assert added.returncode == 0, added.stderr
    seeds = {"changzhi-mch-2023", "jiaozuo-mch-2024"}
    new = sorted(p.stem for p in (root / "data" / "reports").glob("*.yaml") if p.stem not in seeds)
    assert len(new) == 5
    for report in new:
        extracted = run_cli("extract", report, env=env)
        assert extracted.returncode == 0, extracted.stderr
        accepted = run_cli("accept", report, "--min-confidence", "0", env=env)
        assert accepted.returncode == 0, accepted.stderr
    out = root / "kg.ttl"
    build = run_cli("build", "--output", str(out), env=env)
    assert build.returncode == 0, build.stderr
    yield Graph().parse(out), root


def nodes_named(graph: Graph, name: str) -> set[URIRef]:
    """The entities that bear `name` (label, a report's altLabel, or another name)."""
    found = set()
    for predicate in NAME_PREDICATES:
        for node in graph.subjects(predicate, None):
            if (
                isinstance(node, URIRef)
                and "/id/" in node
                and any(str(o) == name for o in graph.objects(node, predicate))
            ):
                found.add(node)
    return {n for n in found if not any(k in n for k in ("/fact/", "/evidence/", "/report/"))}


def pairs() -> list[dict[str, str]]:
    with (FIXTURES / "same-as.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def authority_names(root: Path) -> list[set[str]]:
    doc = yaml.safe_load((root / "data" / "reference" / "institutions.yaml").read_text("utf-8"))
    return [
        {record["zh"], *(name["zh"] for name in record.get("names") or [])}
        for record in doc["institutions"]
    ]


def classify(graph: Graph, root: Path) -> dict[str, list[tuple[str, str]]]:
    groups: dict[str, list[tuple[str, str]]] = {
        "absent": [],
        "apart": [],
        "auto": [],
        "authority": [],
    }
    curated = authority_names(root)
    for row in pairs():
        a, b = nodes_named(graph, row["name_a"]), nodes_named(graph, row["name_b"])
        pair = (row["name_a"], row["name_b"])
        if not a or not b:
            groups["absent"].append(pair)
        elif not a & b:
            groups["apart"].append(pair)
        elif any(set(pair) <= names for names in curated):
            groups["authority"].append(pair)
        else:
            groups["auto"].append(pair)
    return groups


def test_names_the_reports_state_reconcile_automatically(built: tuple[Graph, Path]) -> None:
    groups = classify(*built)
    assert len(groups["auto"]) >= 6, groups
    assert ("襄阳市第二妇幼保健院", "襄阳市汉水儿童医院") in groups["auto"]


def test_the_authority_file_joins_what_no_report_states(built: tuple[Graph, Path]) -> None:
    groups = classify(*built)
    assert ("河南省儿童医院", "郑州儿童医院") in groups["authority"]
    assert ("国家卫生健康委员会", "国家卫健委") in groups["authority"]
    assert len(groups["authority"]) >= 4, groups


def test_every_name_of_a_merged_node_is_one_of_its_reports_or_its_curators(
    built: tuple[Graph, Path],
) -> None:
    """Merging loses nothing and invents nothing: every altLabel is a name a report wrote."""
    graph, root = built
    texts = "".join(p.read_text("utf-8") for p in (root / "data" / "reports").glob("*.txt"))
    for node, label in graph.subject_objects(SKOS.altLabel):
        if "/institution/" in str(node):
            assert str(label) in texts, (node, label)
