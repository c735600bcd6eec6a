"""Each check of the loader, in process: the message and the file:line it names.

tests/ingest/test_bad_input.py runs a few of these through the CLI; here every
stage (places, reports, people, fact files, entities, links, facts, dates,
subjects) is covered, and so is the order in which the stages run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder import Project
from graph_builder.errors import DataError
from graph_builder.ingest.loader import load_dataset
from graph_builder.rdf.vocabulary import Vocabulary

PLACES = "data/reference/places.yaml"
REPORT = "data/reports/jiaozuo-mch-2024.yaml"
OTHER_REPORT = "data/reports/changzhi-mch-2023.yaml"
FACTS = "data/facts/jiaozuo-mch-2024.yaml"

Edit = tuple[str, str, str]  # file, old, new


# name: (edits, (file the error names, a string on the line it names, message))
CASES: dict[str, tuple[list[Edit], tuple[str, str, str]]] = {
    "place with an unknown parent": (
        [(PLACES, "en: Jiaozuo, in: henan}", "en: Jiaozuo, in: henan2}")],
        (PLACES, "{id: jiaozuo,", "unknown place 'henan2'"),
    ),
    "place id used twice": (
        [(PLACES, "{id: zhengzhou,", "{id: henan,")],
        (PLACES, "{id: henan, kind: City", "duplicate id 'henan' (first defined at places.yaml:"),
    ),
    "place kind": (
        [(PLACES, 'kind: City, code: "410800"', 'kind: Town, code: "410800"')],
        (PLACES, "kind: Town", "place kind must be one of ['City', 'Province']"),
    ),
    "report key": (
        [(REPORT, "language: zh", "lang: zh")],
        (REPORT, "lang: zh", "unknown key 'lang' in report metadata"),
    ),
    "report without title": (
        [(REPORT, "title: 聚力高质量 扬帆启新程\n", "")],
        (REPORT, "id: jiaozuo-mch-2024", "report metadata needs 'title'"),
    ),
    "review year not stated": (
        [(REPORT, "review_year: 2024", "review_year: 2023")],
        (REPORT, "review_year: 2023", "review_year 2023 is not stated in review_year_quote"),
    ),
    "subtitle not in the text": (
        [(REPORT, "subtitle: 焦作市", "subtitle: 焦作县")],
        (REPORT, "subtitle:", "quote not found in jiaozuo-mch-2024.txt: '焦作县"),
    ),
    "reporter name not in quote": (
        [(REPORT, "    zh: 梁智玲\n", "    zh: 梁玲\n")],
        (REPORT, "zh: 梁玲", "zh '梁玲' does not appear in the quote"),
    ),
    "reporter id used twice": (
        [(REPORT, "  - id: liang-zhiling", "  - id: jin-shanshan")],
        (REPORT, "  - id: jin-shanshan\n    zh: 梁智玲", "duplicate id 'jin-shanshan'"),
    ),
    "reporters not a list": (
        [(OTHER_REPORT, "reporters:\n", "reporters: 3\nphotographers:\n")],
        (OTHER_REPORT, "reporters: 3", "'reporters' must be a list of mappings"),
    ),
    "fact file names an unknown report": (
        [(FACTS, "report: jiaozuo-mch-2024\n", "report: jiaozuo-mch-2025\n")],
        (FACTS, "report: jiaozuo-mch-2025", "unknown report 'jiaozuo-mch-2025'"),
    ),
    "kind of another section": (
        [(FACTS, "    kind: Hospital\n", "    kind: Honour\n")],
        (FACTS, "kind: Honour", "unknown kind 'Honour' for institutions"),
    ),
    "people take no kind": (
        [(FACTS, "  - id: zhao-yanbing\n", "  - id: zhao-yanbing\n    kind: Person\n")],
        (FACTS, "kind: Person", "people take no 'kind'"),
    ),
    "place not in the quote": (
        [
            (
                FACTS,
                "    en: Jiaozuo People's Hospital\n    located_in: jiaozuo\n",
                "    en: Jiaozuo People's Hospital\n    located_in: beijing\n",
            )
        ],
        (FACTS, "located_in: beijing", "located_in 'beijing': neither 北京市 nor 北京 is in"),
    ),
    "entity id of a place": (
        [(FACTS, "  - id: jiaozuo-mch-service-consortium\n", "  - id: jiaozuo\n")],
        (FACTS, "  - id: jiaozuo\n", "duplicate id 'jiaozuo' (first defined at places.yaml:"),
    ),
    "unit of an alliance": (
        [(FACTS, "    unit_of: jiaozuo-mch\n", "    unit_of: jiaozuo-mch-service-consortium\n")],
        (FACTS, "unit_of:", "unit_of: 'jiaozuo-mch-service-consortium' is one of the alliances"),
    ),
    "unit of an institution the quote does not name": (
        [(FACTS, "    unit_of: jiaozuo-mch\n", "    unit_of: jiaozuo-peoples-hospital\n")],
        (FACTS, "unit_of:", "unit_of '焦作市人民医院' does not appear in the quote"),
    ),
    "fact type": (
        [(FACTS, "    type: post\n", "    type: position\n")],
        (FACTS, "type: position", "unknown fact type 'position'"),
    ),
    "list for a single value": (
        [(FACTS, "    person: li-xiaohong\n", "    person: [li-xiaohong]\n")],
        (FACTS, "person: [li-xiaohong]", "'person' must be a single value"),
    ),
    "empty required list": (
        [(FACTS, "roles: [cooperation]\n    status: in-preparation", "roles: []\n    status: in")],
        (FACTS, "roles: []", "'roles' must not be empty"),
    ),
    "count not an integer": (
        [(FACTS, "    count: 2\n", "    count: true\n")],
        (FACTS, "count: true", "'count' must be an integer"),
    ),
    "reference to another section": (
        [(FACTS, "    person: li-xiaohong\n", "    person: jiaozuo-mch\n")],
        (FACTS, "person: jiaozuo-mch", "person: 'jiaozuo-mch' is one of the institutions"),
    ),
    "concept not in the scheme": (
        [(FACTS, "    role: president\n", "    role: chief\n")],
        (FACTS, "role: chief", "unknown role 'chief' (hkv:posts has: party-secretary, president)"),
    ),
    "concept not in the quote": (
        [(FACTS, "    role: president\n", "    role: party-secretary\n    #\n")],
        (FACTS, "    role: party-secretary\n    #", "role 'party-secretary' (党委书记) is not in"),
    ),
    "branded name not in the quote": (
        [(FACTS, "[河南省儿童医院焦作医院]", "[河南省儿童医院焦作分院]")],
        (FACTS, "branded_names:", "branded_names '河南省儿童医院焦作分院' does not appear"),
    ),
    "fact id of an entity": (
        [(FACTS, "  - id: jiaozuo-president-li-xiaohong\n", "  - id: jiaozuo-mch\n")],
        (FACTS, "  - id: jiaozuo-mch\n    type:", "duplicate id 'jiaozuo-mch'"),
    ),
    "date not a date": (
        [(FACTS, "    date: 2024-07-01\n", "    date: '2024-07-32'\n")],
        (FACTS, "date: '2024-07-32'", "date must be YYYY-MM-DD"),
    ),
    "date and year": (
        [(FACTS, "    date: 2024-07-01\n", "    date: 2024-07-01\n    year: 2024 #\n")],
        (FACTS, "year: 2024 #", "give either date or year, not both"),
    ),
    "day not in the quote": (
        [(FACTS, "    date: 2024-07-01\n", "    date: 2024-07-02\n")],
        (FACTS, "date: 2024-07-02", "date '7月2日' does not appear in the quote"),
    ),
    "year of a date not in the quote": (
        [(FACTS, "    date: 2024-09-26\n", "    date: 2023-09-26\n")],
        (FACTS, "date: 2023-09-26", "date '2023年' does not appear in the quote"),
    ),
    "month without year": (
        [(FACTS, "    level: national\n    year: 2024\n", "    level: national\n    month: 3\n")],
        (FACTS, "month: 3", "month needs a year"),
    ),
    "month not in the quote": (
        [
            (
                FACTS,
                "    level: national\n    year: 2024\n",
                "    level: national\n    year: 2024\n    month: 3\n",
            )
        ],
        (FACTS, "month: 3", "month '2024年3月' does not appear in the quote"),
    ),
    "year not in the quote": (
        [(FACTS, "    level: national\n    year: 2024\n", "    level: national\n    year: 2023\n")],
        (FACTS, "year: 2023", "year '2023年' does not appear in the quote"),
    ),
    "subject not defined": (
        [(REPORT, "subject: jiaozuo-mch\n", "subject: jiaozuo\n")],
        (REPORT, "subject: jiaozuo", "subject 'jiaozuo' is not defined"),
    ),
    # Stage order: the first problem in load order is the one reported.
    "places before reports": (
        [
            (PLACES, 'kind: City, code: "410800"', 'kind: Town, code: "410800"'),
            (REPORT, "language: zh", "lang: zh"),
        ],
        (PLACES, "kind: Town", "place kind must be one of"),
    ),
    "report people before fact files": (
        [
            (REPORT, "    zh: 梁智玲\n", "    zh: 梁玲\n"),
            (FACTS, "report: jiaozuo-mch-2024\n", "report: jiaozuo-mch-2025\n"),
        ],
        (REPORT, "zh: 梁玲", "zh '梁玲' does not appear in the quote"),
    ),
    "entity links before facts": (
        [
            (FACTS, "    unit_of: jiaozuo-mch\n", "    unit_of: jiaozuo-mch-x\n"),
            (FACTS, "    rank: 二等奖", "    rank: 一等奖"),
        ],
        (FACTS, "unit_of: jiaozuo-mch-x", "unit_of: 'jiaozuo-mch-x' is not defined"),
    ),
    "facts before subjects": (
        [
            (REPORT, "subject: jiaozuo-mch\n", "subject: jiaozuo-mch-x\n"),
            (FACTS, "    rank: 二等奖", "    rank: 一等奖"),
        ],
        (FACTS, "rank: 一等奖", "rank '一等奖' does not appear in the quote"),
    ),
}


@pytest.fixture(scope="module")
def vocab(ontology: Graph) -> Vocabulary:
    return Vocabulary(ontology)


def _apply(root: Path, edits: list[Edit]) -> None:
    for rel, old, new in edits:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, anchor: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert anchor in text, anchor
    return text.count("\n", 0, text.index(anchor)) + 1


@pytest.mark.parametrize("case", CASES)
def test_each_check_names_its_file_and_line(scratch: Project, vocab: Vocabulary, case: str) -> None:
    edits, (rel, anchor, message) = CASES[case]
    _apply(scratch.root, edits)
    with pytest.raises(DataError) as caught:
        load_dataset(scratch.data_dir, vocab)
    error = caught.value
    assert message in error.message
    assert error.path == scratch.root / rel
    assert error.line == _line_of(scratch.root / rel, anchor)


def test_the_unedited_data_loads(scratch: Project, vocab: Vocabulary) -> None:
    dataset = load_dataset(scratch.data_dir, vocab)
    assert set(dataset.reports) == {"changzhi-mch-2023", "jiaozuo-mch-2024"}
    assert len(dataset.facts) > 50
