"""The query library answers every policy question with the hospitals and institutions
the reports name, on both stores; the `queries`/`query` commands and the Python API."""

from __future__ import annotations

import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from graph_builder import load
from graph_builder.api import KnowledgeGraph
from graph_builder.cli.app import app
from graph_builder.sparql.execute import QueryError
from graph_builder.sparql.query_library import LibraryError, LibraryQuery, load_library
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def kgs() -> dict[str, KnowledgeGraph]:
    return {store: load(store=store) for store in ("oxigraph", "memory")}


@pytest.fixture(scope="module")
def kg(kgs) -> KnowledgeGraph:
    return kgs["oxigraph"]


def column(rows: list[dict], name: str) -> set:
    return {row[name] for row in rows}


def test_library_has_at_least_14_documented_queries(project) -> None:
    library = load_library(project)
    assert len(library) >= 14
    for query in library.values():
        assert "?" in query.question_en, query.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in query.question_zh), query.name
        assert query.examples, query.name
        assert all(e.startswith(f"hospital-kg query {query.name}") for e in query.examples)
        assert "# kind: selective" in query.text or "# kind: aggregate" in query.text


@pytest.mark.parametrize("name", sorted(load_library()))
def test_both_stores_give_the_same_rows(kgs, name: str) -> None:
    oxigraph = kgs["oxigraph"].run(name)
    memory = kgs["memory"].run(name)
    as_tuples = [Counter(tuple(sorted(r.items())) for r in rows) for rows in (oxigraph, memory)]
    assert as_tuples[0] == as_tuples[1]


def test_hospital_profile(kg) -> None:
    rows = kg.run("hospital-profile", hospital="inst:changzhi-mch")
    assert len(rows) == 23  # its 24 bullets less one programme membership (a tie)
    by_name = {r["designation"]: r for r in rows}
    epilepsy = by_name["CAAE一级癫痫中心"]
    assert (epilepsy["level"], epilepsy["batch"], epilepsy["issuer"]) == (
        "national",
        "第二批",
        "CAAE",
    )
    assert by_name["周文浩儿科山西工作室"]["status"] == "applied for"
    assert [r["level"] for r in rows][-2:] == ["municipal", "municipal"]  # ordered by level
    jiaozuo = kg.run("hospital-profile", hospital="焦作市妇幼保健院")  # by name
    assert {r["year"] for r in jiaozuo} >= {"2024"}
    pgt = next(r for r in jiaozuo if r["designation"] == "第三代试管婴儿技术(PGT)筹备资质")
    assert (pgt["year"], pgt["month"]) == ("2024", "12")


def test_national_designations_by_province(kg) -> None:
    rows = {r["provinceName"]: r for r in kg.run("national-designations-by-province")}
    assert set(rows) == {"山西省", "河南省", "北京市"}
    assert (rows["山西省"]["hospitals"], rows["山西省"]["designations"]) == ("1", "12")
    assert (rows["河南省"]["hospitals"], rows["河南省"]["designations"]) == ("1", "1")
    # 北京儿童医院 holds 国家儿童医学中心, the title Changzhi's report prefixes to its name
    assert (rows["北京市"]["hospitals"], rows["北京市"]["designations"]) == ("1", "1")


def test_alliance_members_with_roles(kg) -> None:
    rows = kg.run("alliance-members")
    roles = {(r["allianceName"], r["memberName"], r["roleZh"]) for r in rows}
    assert ("长治市妇幼保健院医疗联合体", "长治市妇幼保健院", "牵头单位") in roles
    assert ("北京儿童医疗集团郑州儿童医院医联体", "长治市妇幼保健院", "成员单位") in roles
    assert ("焦作市妇女儿童专科联盟", "焦作市妇幼保健院", "牵头单位") in roles
    assert ("中国康复研究中心医联体", "焦作市妇幼保健院", "成员单位") in roles
    one = kg.run("alliance-members", alliance="alliance:newborn-genetic-screening-study")
    assert column(one, "roleZh") == {"成员单位"}
    assert column(one, "allianceKind") == {"Multicentre research programme"}


def test_partners_by_kind_of_tie(kg) -> None:
    rows = kg.run("partners-by-tie")
    ties = {(r["hospitalName"], r["tie"], r["partnerName"]) for r in rows}
    assert ("长治市妇幼保健院", "teaching hospital", "山西医科大学") in ties
    assert ("长治市妇幼保健院", "affiliated hospital", "长治医学院") in ties
    assert ("长治市妇幼保健院", "collaborating hospital", "复旦大学附属儿科医院") in ties
    assert ("长治市妇幼保健院", "joint programme", "山西中医药大学") in ties
    assert ("焦作市妇幼保健院", "co-branded hospital", "河南省儿童医院") in ties
    cobranded = kg.run("partners-by-tie", role="hkv:co-branded")
    assert column(cobranded, "partnerName") == {"河南省儿童医院", "焦作市人民医院"}


def test_network_overlap_on_the_seed_reports_is_the_reconciled_hospital(kg) -> None:
    """河南省儿童医院, one node with 郑州儿童医院 through the authority file, is the one
    institution both founding hospitals are tied to (tests/sparql/test_reconciled_queries)."""
    rows = kg.run("network-overlap")
    assert [(r["institution"], r["hospitals"]) for r in rows] == [
        ("inst:henan-childrens-hospital", "2")
    ]


def test_network_overlap_on_a_synthetic_graph(tmp_path: Path) -> None:
    from graph_builder.ingest.synthetic import synthetic_graph
    from graph_builder.rdf.export import export_graph
    from graph_builder.rdf.namespaces import HKG, ORG

    data = synthetic_graph(hospitals=45, seed=7)
    path = tmp_path / "national.nt"
    export_graph(data, "nt", path)
    rows = load(files=[path]).run("network-overlap")
    # Independent count: hospitals per organisation over ties and issuers.
    hospitals: dict[str, set] = {}
    for fact in data.subjects(ORG.member, None):
        hospitals.setdefault(str(data.value(fact, ORG.organization)), set()).add(
            data.value(fact, ORG.member)
        )
    for fact in data.subjects(HKG.issuer, None):
        hospitals.setdefault(str(data.value(fact, HKG.issuer)), set()).add(
            data.value(fact, HKG.recipient)
        )
    expected = {iri: len(h) for iri, h in hospitals.items() if len(h) > 1}
    assert rows
    got = {data.namespace_manager.expand_curie(r["institution"]): int(r["hospitals"]) for r in rows}
    assert {str(k): v for k, v in got.items()} == expected


def test_cross_province_ties(kg) -> None:
    rows = kg.run("cross-province-ties")
    crossings = {(r["hospitalProvince"], r["partnerName"], r["partnerProvince"]) for r in rows}
    assert crossings == {
        ("山西省", "北京儿童医疗集团郑州儿童医院医联体", "河南省"),
        ("山西省", "首都医科大学附属北京儿童医院", "北京市"),  # its official name (authority file)
    }


def test_timeline_is_dated_and_ordered(kg) -> None:
    rows = kg.run("timeline")
    years = [int(r["year"]) for r in rows]
    assert years == sorted(years) and years[0] == 2021
    dated = [(r["date"], r["what"]) for r in rows if r["date"]]
    assert ("2024-09-04", "焦作市人民医院") in dated
    assert ("2024-12-23", "第三代试管婴儿技术(PGT)筹备资质") in dated
    assert ("2023-07-12", "国家心血管病中心 启动会") in dated
    assert [d for d, _ in dated] == sorted(d for d, _ in dated)


def test_first_batch_and_pilots(kg) -> None:
    rows = kg.run("first-batch-and-pilots")
    first = {r["designation"] for r in rows if r["why"].startswith("first batch")}
    pilots = {r["designation"] for r in rows if r["why"].startswith("pilot")}
    assert {"双胎妊娠医学中心", "妇科常见病及内分泌疾病基地", "儿童早期教育示范基地"} <= first
    assert "住院医师规范化培训基地" not in first  # second batch
    assert pilots == {"高通量基因测序产前筛查与诊断", "先天性结构畸形救助项目试点单位"}


def test_birth_defect_network_uses_zh_and_en_labels(kg) -> None:
    rows = kg.run("birth-defect-network")
    labels = column(rows, "label")
    assert {"出生缺陷干预救助示范基地", "耳鼻咽喉出生缺陷防控创新研发基地"} <= labels
    assert "先心病一体化专科联盟" in labels  # found through its English label (congenital)
    assert column(rows, "hospitalName") == {"长治市妇幼保健院"}
    newborn = kg.run("birth-defect-network", zh="新生儿", en="newborn")
    assert "新生儿保健特色专科" in column(newborn, "label")


def test_honours_by_level(kg) -> None:
    rows = kg.run("honours-by-level")
    levels = {(r["honour"], r["level"]) for r in rows}
    assert ("河南省党建示范单位", "provincial") in levels
    assert ("焦作市三八红旗集体", "municipal") in levels
    assert ("全国妇幼保健机构绩效考核取得优异成绩", "national") in levels
    award = next(r for r in rows if r["kind"] == "award")
    assert (award["rank"], award["count"]) == ("二等奖", "2")


def test_leaders_and_posts(kg) -> None:
    rows = kg.run("leaders")
    assert {(r["name"], r["post"]) for r in rows} == {("赵延兵", "党委书记"), ("李小红", "院长")}
    assert all(r["name"] in r["quote"] for r in rows)


def test_aliases_and_cobranded_names(kg) -> None:
    names = column(kg.run("names-and-cobranding"), "name")
    assert {
        "长治市妇产医院",
        "长治市儿童医院",
        "河南省儿童医院焦作医院",
        "焦作市人民医院妇女儿童院区",
    } <= names


def test_evidence_for_a_fact(kg, project) -> None:
    rows = kg.run("evidence", fact="fact:jiaozuo-pgt-qualification")
    assert len(rows) == 1
    text = (project.root / rows[0]["sourceFile"]).read_text(encoding="utf-8")
    assert text[int(rows[0]["start"]) : int(rows[0]["end"])] == rows[0]["quote"]


def test_gap_analysis(kg) -> None:
    assert column(kg.run("gap-analysis"), "hospitalName") == {"长治市妇幼保健院"}  # no key lab
    no_grade = kg.run("gap-analysis", kind="hkg:HospitalGrade")
    assert column(no_grade, "hospitalName") == {"焦作市妇幼保健院"}  # its report states none


def test_designations_by_level(kg) -> None:
    rows = {
        (r["hospitalName"], r["level"]): int(r["designations"])
        for r in kg.run("designations-by-level")
    }
    assert rows[("长治市妇幼保健院", "national")] == 12
    assert rows[("焦作市妇幼保健院", "municipal")] == 4  # with its key lab, municipal by name
    by_iri = {
        (r["hospital"], r["level"]): r["designations"] for r in kg.run("designations-by-level")
    }
    assert by_iri[("inst:beijing-childrens-hospital", "national")] == "1"  # 国家儿童医学中心


# --- the command line ------------------------------------------------------


def _examples() -> list[str]:
    return [e for q in load_library().values() for e in q.examples]


@pytest.mark.parametrize("example", _examples())
def test_every_header_example_runs(example: str) -> None:
    args = shlex.split(example)[1:]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip()


def test_queries_lists_the_library() -> None:
    import csv

    result = run_cli("queries", "--format", "csv")
    assert result.returncode == 0
    rows = {r["name"]: r for r in csv.DictReader(result.stdout.splitlines())}
    assert rows.keys() == load_library().keys()
    assert rows["hospital-profile"]["question"].startswith("What has this hospital been granted?")
    assert rows["hospital-profile"]["params"] == "hospital=inst:changzhi-mch"


def test_syntax_error_is_one_line_with_line_and_column() -> None:
    for store in ("oxigraph", "memory"):
        result = run_cli("query", "--sparql", "SELECT ?x WHERE {\n  ?x a \n}", "--store", store)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        match = re.match(r"error: --sparql:(\d+):(\d+): syntax error: \S", lines[0])
        assert match and int(match.group(1)) in (2, 3), lines[0]


def test_unknown_name_suggests_the_closest() -> None:
    result = run_cli("query", "hospital-profil")
    assert result.returncode == 2
    assert "did you mean: hospital-profile" in result.stderr


def test_unknown_parameter_is_refused() -> None:
    result = run_cli("query", "hospital-profile", "--param", "hopsital=inst:jiaozuo-mch")
    assert result.returncode == 2
    assert "unknown parameter 'hopsital'" in result.stderr


def test_construct_writes_turtle_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "hospitals.ttl"
    sparql = (
        "CONSTRUCT { ?h rdfs:label ?l } "
        "WHERE { ?h a hkg:MaternalAndChildHealthHospital ; rdfs:label ?l }"
    )
    result = run_cli("query", "--sparql", sparql, "--output", str(out))
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(out, format="turtle")
    assert {str(o) for o in graph.objects()} == {"长治市妇幼保健院", "焦作市妇幼保健院"}


def test_formats_and_memory_store(tmp_path: Path) -> None:
    import csv
    import json

    result = run_cli("query", "leaders", "--format", "json", "--store", "memory")
    assert {r["name"] for r in json.loads(result.stdout)} == {"赵延兵", "李小红"}
    result = run_cli("query", "leaders", "--format", "tsv")
    rows = list(csv.DictReader(result.stdout.splitlines(), delimiter="\t"))
    assert {r["post"] for r in rows} == {"党委书记", "院长"}


def test_parameter_must_be_projected(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(
        "# question-en: x?\n# question-zh: 问？\n# param: h iri - -- a hospital\n"
        "SELECT ?name WHERE { ?h rdfs:label ?name }\n",
        encoding="utf-8",
    )
    with pytest.raises(LibraryError, match=r"\?h must appear in the SELECT clause"):
        LibraryQuery.from_file(path)


# --- the Python API --------------------------------------------------------


def test_api_rows_and_dataframe(kg) -> None:
    assert "hospital-profile" in kg.queries()
    frame = kg.dataframe("leaders")
    assert list(frame["name"].sort_values()) == ["李小红", "赵延兵"]
    own = kg.sparql(
        "SELECT ?h ?n WHERE { ?h org:hasPost/org:heldBy/rdfs:label ?n }", h="inst:jiaozuo-mch"
    )
    assert column(own, "n") == {"赵延兵", "李小红"}


def test_readme_lists_every_library_query(project) -> None:
    readme = (project.root / "README.md").read_text(encoding="utf-8")
    for name, query in load_library().items():
        assert f"| `{name}` | {query.question_en} |" in readme, name


# --- parameters that cannot be bound -------------------------------------------------


@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), "9" * 5000])
def test_integers_past_64_bits_are_refused_on_both_stores(kgs, value: str) -> None:
    """Oxigraph would leave such a value unbound while rdflib computes with it."""
    for kg in kgs.values():
        with pytest.raises(QueryError, match="outside the 64-bit integers the stores hold"):
            kg.sparql("SELECT ?n WHERE {}", n=value)


def test_the_64_bit_limits_bind_on_both_stores(kgs) -> None:
    for kg in kgs.values():
        rows = kg.sparql("SELECT ?n WHERE {}", n=str(2**63 - 1))
        assert rows == [{"n": str(2**63 - 1)}]


@pytest.mark.parametrize("name", ["a b", "?x", "", "x-y"])
def test_parameter_names_must_be_sparql_variables(kg, name: str) -> None:
    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        kg.sparql("SELECT ?x WHERE {}", **{name: "1"})


def test_a_parameter_given_twice_is_refused() -> None:
    result = run_cli("query", "timeline", "-p", "hospital=a", "-p", "hospital=b")
    assert result.returncode == 2
    assert result.stderr == "error: --param hospital is given twice ('a' and 'b')\n"
