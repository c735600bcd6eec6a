"""What must not become a candidate: negations, rumours, aspirations, vague plans,
internal units and services, attendees, research grants, idioms."""

from __future__ import annotations

import pytest

from tests.extract.engine_helpers import facts


@pytest.mark.parametrize(
    "text",
    [
        "医院目前尚未获批国家级儿童保健特色专科。",
        "网上关于医院已获批“国家区域医疗中心”的说法不实。",
        "医院锚定“建设区域一流妇女儿童医学中心”的目标。",
        "医院正朝着建设全省一流儿童医学中心的目标迈进。",
        "努力把医院建设成为全省的儿科诊疗高地。",
        "医院致力于打造全省一流的妇女保健中心。",
        "医院持续深化医联体和专科联盟建设。",
        "医院开设“孕产妇一站式服务中心”，方便群众。",
        "医院组建“白衣天使志愿服务队”深入乡村。",
        "新生儿科是区域最大的新生儿救治基地。",
        "临江县卫生健康委员会、青州市卫生健康委员会有关负责同志出席。",
        "医院获批省级科研项目3项，承担国家自然科学基金项目2项。",
        "“托管不是简单的‘挂块牌子’，而是要真正帮扶。”院长说。",
        "组建专科联盟是推动资源下沉的重要举措。",
        "医院继续深化与上级医院的合作。",
    ],
)
def test_no_candidate(text: str) -> None:
    found = [c for c in facts(text) if c.kind != "event"]
    assert not found, [(c.kind, c.object, c.rule) for c in found]
