"""Every accreditation, alliance and partner a report names is reachable from its hospital.

"Reachable" means following links forward (no rdf:type, no provenance), as a
triple store without inference or a graph browser would.
"""

from __future__ import annotations

from collections import deque

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from graph_builder.rdf.namespaces import INST

# Named in the reports (as written); each must hang off its own hospital.
NAMED = {
    "changzhi-mch": [
        "三级甲等",
        "妇幼保健学科体系建设示范单位",
        "新生儿保健特色专科",
        "耳鼻咽喉出生缺陷防控创新研发基地",
        "妇科常见病及内分泌疾病基地",
        "高通量基因测序产前筛查与诊断",
        "出生缺陷干预救助示范基地",
        "出生缺陷防治人才培训和协同基地",
        "新生儿疾病基因筛查多中心研究项目",
        "CAAE一级癫痫中心",
        "“新巢计划”筛查基地",
        "儿童早期教育示范基地",
        "新生儿科医师培训基地",
        "儿童保健人员培训基地",
        "助产、儿科、新生儿专科护士临床培训基地",
        "先天性结构畸形救助项目试点单位",
        "住院医师规范化培训基地",
        "危重孕产妇救治中心",
        "新生儿救治中心",
        "双胎妊娠医学中心",
        "“国考”A+等级",
        "全国妇幼保健机构绩效考核取得优异成绩",
        "周文浩儿科山西工作室",
        "长治市妇幼保健院医疗联合体",
        "北京儿童医疗集团郑州儿童医院医联体",
        "先心病一体化专科联盟",
        "北京儿童医院",
        "福荣儿童医学发展研究中心",
        "复旦大学附属儿科医院",
        "山西医科大学",
        "长治医学院",
        "山西中医药大学",
        "中国妇幼保健协会",
        "国家心血管病中心",
        "中国医学科学院阜外医院",
        "国家儿童医学中心",
    ],
    "jiaozuo-mch": [
        "国家妇幼中医药特色建设单位",
        "焦作市托育综合服务中心",
        "河南省党建示范单位",
        "河南省妇幼健康工作先进集体",
        "焦作市三八红旗集体",
        "焦作市卫生健康系统应急、医改工作先进集体",
        "第三代试管婴儿技术(PGT)筹备资质",
        "焦作市医学遗传与基因工程重点实验室",
        "河南省胚胎细胞与单基因病诊断工程技术研究中心",
        "河南省医学科学技术进步奖",
        "满分通过“国家卫生部临床检验中心的室内质评”",
        "国家卫生部临床检验中心",
        "焦作市妇女儿童专科联盟",
        "妇幼健康服务专业医联体",
        "中国康复研究中心医联体",
        "河南省儿童医院",
        "焦作市人民医院",
        "焦作市残疾人联合会",
        "焦作市康复教育中心",
        "河南理工大学医学院",
        "焦作市妇幼保健院儿童康复科(人民路院区)",
        "赵延兵",
        "李小红",
    ],
}


def reachable(graph: Graph, start: URIRef) -> set[URIRef]:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        for p, o in graph.predicate_objects(node):
            if p == RDF.type or str(p).startswith(str(PROV)) or not isinstance(o, URIRef):
                continue
            if o not in seen:
                seen.add(o)
                queue.append(o)
    return seen


@pytest.mark.parametrize("hospital", sorted(NAMED))
def test_named_things_are_reachable_from_their_hospital(graph: Graph, hospital: str) -> None:
    labels = {  # the names the reports wrote: a merged institution keeps them as altLabel
        str(label)
        for node in reachable(graph, INST[hospital])
        for predicate in (RDFS.label, SKOS.altLabel)
        for label in graph.objects(node, predicate)
    }
    missing = [name for name in NAMED[hospital] if name not in labels]
    assert missing == []


def test_reachability_is_not_trivial(graph: Graph) -> None:
    """The two hospitals share no tie, so neither reaches the other."""
    assert INST["jiaozuo-mch"] not in reachable(graph, INST["changzhi-mch"])
    assert INST["changzhi-mch"] not in reachable(graph, INST["jiaozuo-mch"])
