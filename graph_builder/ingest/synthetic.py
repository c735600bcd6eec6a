"""A seeded synthetic national graph, shaped like China, for benchmarks and large views.

It builds the model the loader produces (`ingest.model`) directly, with no data
files, and runs the real `GraphBuilder`, so the synthetic graph has exactly the
shape of a real build (materialised types and inverses, evidence nodes with
offsets into report texts that exist in memory; hkg:sourceFile says
reports/<id>.txt). Names are synthetic and say so; provinces and their GB/T 2260
codes are real. At 3,000 hospitals the graph has about 1,000,000 triples.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from graph_builder.ingest.model import Dataset, Entity, Fact, Place, Report, Span
from graph_builder.ingest.record_schema import SECTIONS
from graph_builder.progress import Bars
from graph_builder.project import Project
from graph_builder.rdf.builder import GraphBuilder
from graph_builder.rdf.chunked import ChunkedNTriples, Written
from graph_builder.rdf.namespaces import HKG
from graph_builder.rdf.vocabulary import Vocabulary, load_ontology

#: (id, zh, en, GB/T 2260 code) of the 31 province-level divisions of mainland China.
PROVINCES = [
    ("beijing", "北京市", "Beijing", "110000"),
    ("tianjin", "天津市", "Tianjin", "120000"),
    ("hebei", "河北省", "Hebei", "130000"),
    ("shanxi", "山西省", "Shanxi", "140000"),
    ("inner-mongolia", "内蒙古自治区", "Inner Mongolia", "150000"),
    ("liaoning", "辽宁省", "Liaoning", "210000"),
    ("jilin", "吉林省", "Jilin", "220000"),
    ("heilongjiang", "黑龙江省", "Heilongjiang", "230000"),
    ("shanghai", "上海市", "Shanghai", "310000"),
    ("jiangsu", "江苏省", "Jiangsu", "320000"),
    ("zhejiang", "浙江省", "Zhejiang", "330000"),
    ("anhui", "安徽省", "Anhui", "340000"),
    ("fujian", "福建省", "Fujian", "350000"),
    ("jiangxi", "江西省", "Jiangxi", "360000"),
    ("shandong", "山东省", "Shandong", "370000"),
    ("henan", "河南省", "Henan", "410000"),
    ("hubei", "湖北省", "Hubei", "420000"),
    ("hunan", "湖南省", "Hunan", "430000"),
    ("guangdong", "广东省", "Guangdong", "440000"),
    ("guangxi", "广西壮族自治区", "Guangxi", "450000"),
    ("hainan", "海南省", "Hainan", "460000"),
    ("chongqing", "重庆市", "Chongqing", "500000"),
    ("sichuan", "四川省", "Sichuan", "510000"),
    ("guizhou", "贵州省", "Guizhou", "520000"),
    ("yunnan", "云南省", "Yunnan", "530000"),
    ("tibet", "西藏自治区", "Tibet", "540000"),
    ("shaanxi", "陕西省", "Shaanxi", "610000"),
    ("gansu", "甘肃省", "Gansu", "620000"),
    ("qinghai", "青海省", "Qinghai", "630000"),
    ("ningxia", "宁夏回族自治区", "Ningxia", "640000"),
    ("xinjiang", "新疆维吾尔自治区", "Xinjiang", "650000"),
]

#: Topics of designations (zh, en); the first two feed the birth-defect queries.
TOPICS = [
    ("出生缺陷防治", "birth defect prevention"),
    ("出生缺陷干预救助", "birth defect intervention"),
    ("新生儿保健", "newborn care"),
    ("儿童保健", "child health"),
    ("妇女保健", "women's health"),
    ("产前诊断", "prenatal diagnosis"),
    ("危重孕产妇救治", "critical maternal care"),
    ("妇幼中医药", "MCH traditional Chinese medicine"),
    ("住院医师规范化培训", "standardised residency training"),
    ("儿童早期发展", "early childhood development"),
]
#: Designation kinds (local name in the ontology, zh suffix, en suffix).
KINDS = [
    ("Base", "基地", "base"),
    ("DemonstrationUnit", "示范单位", "demonstration unit"),
    ("Pilot", "试点单位", "pilot unit"),
    ("Centre", "中心", "centre"),
    ("CharacteristicSpecialty", "特色专科", "characteristic specialty"),
    ("KeyLaboratory", "重点实验室", "key laboratory"),
]
BATCHES = [("batch-1", "首批"), ("batch-2", "第二批"), ("batch-3", "第三批")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"

LEVEL_ZH = {"national": "国家级", "provincial": "省级", "municipal": "市级"}

#: The report that names the shared institutions, designations and alliances.
REGISTRY = "national-registry"
PLACE_SOURCE = "GB/T 2260 province codes; synthetic cities"

#: (year, month, day) of a fact; month and day may be unknown.
When = tuple[int, int | None, int | None]


def synthetic_dataset(
    hospitals: int = 3000,
    seed: int = 42,
    project: Project | None = None,
    ontology: Graph | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Dataset, Vocabulary]:
    """The synthetic `Dataset` (and the ontology's vocabulary) for `hospitals` MCH hospitals.

    `ontology`: the project's ontology if the caller has parsed it already;
    `progress` is told of each hospital generated (for a bar). The steps below draw
    from one random generator in a fixed order: reordering them changes the graph a
    seed gives. The model is light (about 26 KB per hospital, against 0.4 MiB for
    its rdflib triples), so even 30,000 hospitals fit in memory as a Dataset.
    """
    if ontology is None:
        ontology = load_ontology((project or Project.find()).ontology)
    draft = _Draft(random.Random(seed), Vocabulary(ontology))
    cities = _places(draft, hospitals)
    shared = _shared_institutions(draft, cities)
    pools = _designations(draft, cities)
    alliances = _alliances(draft, cities)
    subjects: dict[str, tuple[str, int]] = {}
    leads: dict[str, str] = {}
    for n in range(hospitals):
        hospital = _hospital(draft, n, cities)
        subjects[hospital.report] = (hospital.id, hospital.year)
        _conferrals(draft, hospital, shared, pools)
        lead = leads.setdefault(hospital.city.id, hospital.id) == hospital.id
        _ties(draft, hospital, lead, shared, alliances)
        _leaders(draft, hospital)
        _screening_centre_opens(draft, hospital)
        if progress is not None:
            progress(1)
    subjects[REGISTRY] = (shared.health_commission, 2024)
    reports = {ident: draft.report(ident, *subject) for ident, subject in subjects.items()}
    dataset = Dataset(draft.places, reports, draft.entities, draft.facts, PLACE_SOURCE)
    return dataset, draft.vocab


def synthetic_graph(
    hospitals: int = 3000,
    seed: int = 42,
    project: Project | None = None,
    ontology: Graph | None = None,
) -> Graph:
    """The synthetic national data graph (no ontology), built by the real GraphBuilder."""
    dataset, vocab = synthetic_dataset(hospitals, seed, project, ontology)
    return GraphBuilder(vocab).build(dataset)


#: Hospitals per chunk of a streamed write: each chunk's graph takes about 0.4 MiB per
#: hospital plus the shared part (33,491 triples at 3,000 hospitals and more), so 1,000
#: keep a chunk (380,075 triples) near 450 MiB, and the shared lines that every chunk file
#: repeats under a tenth of what the files hold.
CHUNK_HOSPITALS = 1000


def write_synthetic_nt(
    target: Path,
    hospitals: int = 3000,
    seed: int = 42,
    project: Project | None = None,
    chunk: int = CHUNK_HOSPITALS,
    drawn: Bars | None = None,
) -> Written:
    """Write the synthetic graph to `target` as sorted N-Triples, a chunk of hospitals at a
    time: the same bytes as `export_graph(synthetic_graph(...), "nt", target)` in a
    fraction of the memory (the model, one chunk's graph). `drawn`: progress bars."""
    drawn = drawn or Bars(None)
    dataset, vocab = synthetic_dataset(
        hospitals, seed, project, progress=drawn.stage("generating", hospitals, "hospitals")
    )
    parts = -(-hospitals // chunk)
    written = drawn.stage("building", parts, "chunks")
    with ChunkedNTriples(target) as chunks:
        for part in dataset_chunks(dataset, chunk):
            chunks.add(GraphBuilder(vocab).build(part))
            written(1)
        del dataset, part
        return chunks.merge(drawn.stage("merging", chunks.lines, "lines"))


def dataset_chunks(dataset: Dataset, hospitals: int) -> Iterator[Dataset]:
    """The dataset in parts of `hospitals` hospital reports each, whose graphs together are
    the whole dataset's graph (for chunked writing: rdf/chunked.py).

    Each part holds every place, the registry report with all it quotes (the shared
    institutions, designations and alliances every hospital's facts refer to), and its
    hospitals' reports with the entities and facts they quote. That suffices because
    the builder says every triple from one object and the objects it refers to (an
    entity's IRI needs its section), and the inverse link of each triple from the same
    triple; the one statement about the whole dataset, the dataset node's dcterms:source
    per report, is a triple per report, so each part says its reports' ones. A builder
    statement that counted or compared across hospitals would break this; the tests
    compare the chunked file with the whole graph's, byte for byte.
    """
    entities: dict[str, dict[str, Entity]] = {}
    for entity in dataset.entities.values():
        entities.setdefault(entity.spans[0].report, {})[entity.id] = entity
    facts: dict[str, list[Fact]] = {}
    for fact in dataset.facts:
        facts.setdefault(fact.report, []).append(fact)
    registry = dataset.reports[REGISTRY]
    own = [ident for ident in dataset.reports if ident != REGISTRY]
    for start in range(0, max(len(own), 1), hospitals):
        reports = {REGISTRY: registry}
        part_entities = dict(entities.get(REGISTRY, {}))
        part_facts = list(facts.get(REGISTRY, []))
        for ident in own[start : start + hospitals]:
            reports[ident] = dataset.reports[ident]
            part_entities.update(entities.get(ident, {}))
            part_facts += facts.get(ident, [])
        yield Dataset(dataset.places, reports, part_entities, part_facts, dataset.place_source)


@dataclass
class _Draft:
    """The dataset being generated: entities, facts, and report texts with exact quote offsets."""

    rng: random.Random
    vocab: Vocabulary
    places: dict[str, Place] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    _texts: dict[str, list[str]] = field(default_factory=dict)
    _lengths: dict[str, int] = field(default_factory=dict)

    def quote(self, report: str, text: str) -> Span:
        """Append a sentence to a report's text and return its span."""
        parts = self._texts.setdefault(report, [])
        start = self._lengths.get(report, 0)
        parts.append(text + "\n")
        self._lengths[report] = start + len(text) + 1
        return Span(report, text, start, start + len(text))

    def entity(
        self,
        section: str,
        ident: str,
        kinds: list[str],
        zh: str,
        en: str,
        report: str,
        place: str | None = None,
    ) -> str:
        """An entity quoted by its Chinese name in `report`; returns its id."""
        declared = self.vocab.kinds(SECTIONS[section].base)
        classes = tuple(declared[kind] for kind in kinds)
        spans = (self.quote(report, zh),)
        self.entities[ident] = Entity(ident, section, classes, zh, en, spans, place)
        return ident

    def fact(
        self,
        ident: str,
        type_name: str,
        cls: URIRef,
        report: str,
        quote: str,
        values: dict[str, list[Any]],
        when: When | None = None,
    ) -> None:
        year = month = date = None
        if when:
            year, month, day = when
            if day is not None and month is not None:
                date = dt.date(year, month, day)
        spans = (self.quote(report, quote),)
        self.facts.append(Fact(ident, type_name, cls, spans, values, year, month, date))

    def concept(self, scheme: str, name: str) -> URIRef:
        return self.vocab.concepts(scheme)[name]

    def report(self, ident: str, subject: str, year: int) -> Report:
        """The report `ident` with the text its quotes made up."""
        return Report(
            id=ident,
            title=f"{self.entities[subject].zh}{year}年工作回顾（合成）",
            subtitle=None,
            title_en=f"Synthetic {year} review of {self.entities[subject].en}",
            review_year=year,
            language="zh",
            subject=subject,
            reporters=(),
            photographers=(),
            source_file=f"reports/{ident}.txt",
            text="".join(self._texts.get(ident, [])),
        )


@dataclass(frozen=True)
class _City:
    id: str
    zh: str
    en: str
    province: str


def _places(draft: _Draft, hospitals: int) -> list[_City]:
    """The real provinces and synthetic cities spread over them (about 9 hospitals each)."""
    for pid, zh, en, code in PROVINCES:
        draft.places[pid] = Place(pid, HKG.Province, code, zh, zh[:2], en, None)
    cities = []
    for n in range(max(len(PROVINCES), min(340, round(hospitals / 9)))):
        pid, pzh, pen, pcode = PROVINCES[n % len(PROVINCES)]
        k = n // len(PROVINCES) + 1
        city = _City(f"{pid}-city-{k:02d}", f"{pzh[:2]}第{k}市", f"{pen} city {k}", pid)
        draft.places[city.id] = Place(
            city.id, HKG.City, f"{pcode[:2]}{k:02d}00", city.zh, city.zh, city.en, pid
        )
        cities.append(city)
    return cities


@dataclass(frozen=True)
class _Shared:
    """Institutions many hospitals are linked to, named in the registry report."""

    health_commission: str
    association: str
    centres: list[str]
    universities: dict[str, list[str]]
    childrens: dict[str, str]
    commissions: dict[str, str]
    federations: dict[str, str]


def _shared_institutions(draft: _Draft, cities: list[_City]) -> _Shared:
    """National bodies and centres, then per province, then per city."""
    health_commission = _institution(
        draft,
        "national-health-commission",
        ["GovernmentBody"],
        "国家卫生健康委员会",
        "National Health Commission",
    )
    association = _institution(
        draft,
        "mch-association",
        ["ProfessionalAssociation"],
        "中国妇幼保健协会",
        "China Maternal and Child Health Association",
    )
    centres = [
        _institution(
            draft,
            f"national-centre-{i}",
            ["NationalMedicalCentre", "ChildrensHospital"],
            f"国家儿童医学中心（合成{i}）",
            f"National children's medical centre (synthetic {i})",
        )
        for i in range(1, 7)
    ]
    universities, childrens, commissions = _provincial_institutions(draft)
    federations = {
        city.id: _institution(
            draft,
            f"{city.id}-disabled-federation",
            ["CivilBody"],
            f"{city.zh}残疾人联合会",
            f"{city.en} Disabled Persons' Federation",
            city.id,
        )
        for city in cities
    }
    return _Shared(
        health_commission, association, centres, universities, childrens, commissions, federations
    )


def _provincial_institutions(
    draft: _Draft,
) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """Per province: three medical universities, a children's hospital, a health commission."""
    universities: dict[str, list[str]] = {}
    childrens: dict[str, str] = {}
    commissions: dict[str, str] = {}
    for pid, pzh, pen, _code in PROVINCES:
        universities[pid] = [
            _institution(
                draft,
                f"{pid}-university-{i}",
                ["UniversityOrCollege"],
                f"{pzh[:2]}医科大学（合成{i}）",
                f"{pen} Medical University (synthetic {i})",
                pid,
            )
            for i in range(1, 4)
        ]
        childrens[pid] = _institution(
            draft,
            f"{pid}-childrens-hospital",
            ["ChildrensHospital"],
            f"{pzh}儿童医院（合成）",
            f"{pen} Children's Hospital (synthetic)",
            pid,
        )
        commissions[pid] = _institution(
            draft,
            f"{pid}-health-commission",
            ["GovernmentBody"],
            f"{pzh}卫生健康委员会",
            f"{pen} Health Commission",
            pid,
        )
    return universities, childrens, commissions


def _institution(
    draft: _Draft, ident: str, kinds: list[str], zh: str, en: str, place: str | None = None
) -> str:
    return draft.entity("institutions", ident, kinds, zh, en, REGISTRY, place)


@dataclass(frozen=True)
class _Designations:
    """Pools of designations: national, per province, per city, and hospital grades."""

    national: list[str]
    provincial: dict[str, list[str]]
    municipal: dict[str, list[str]]
    grades: list[str]


def _designations(draft: _Draft, cities: list[_City]) -> _Designations:
    rng = draft.rng

    def designation(ident: str, prefix_zh: str, prefix_en: str) -> str:
        kind, kzh, ken = rng.choice(KINDS)
        tzh, ten = rng.choice(TOPICS)
        zh, en = f"{prefix_zh}{tzh}{kzh}", f"{prefix_en} {ten} {ken}".strip()
        return draft.entity("designations", ident, [kind], zh, en, REGISTRY)

    def grade(ident: str, zh: str, en: str) -> str:
        return draft.entity("designations", ident, ["HospitalGrade"], zh, en, REGISTRY)

    national = [
        designation(f"national-designation-{i:03d}", "国家级", "National") for i in range(60)
    ]
    provincial = {
        pid: [designation(f"{pid}-designation-{i:02d}", pzh, pen) for i in range(10)]
        for pid, pzh, pen, _c in PROVINCES
    }
    municipal = {
        city.id: [designation(f"{city.id}-designation-{i}", city.zh, city.en) for i in range(3)]
        for city in cities
    }
    grades = [
        grade("grade-3a", "三级甲等", "Grade III Class A"),
        grade("grade-3b", "三级乙等", "Grade III Class B"),
        grade("grade-2a", "二级甲等", "Grade II Class A"),
    ]
    return _Designations(national, provincial, municipal, grades)


@dataclass(frozen=True)
class _Alliances:
    """A consortium per city, two specialty alliances per province, national groups."""

    consortia: dict[str, str]
    specialty: dict[str, list[str]]
    groups: list[str]


def _alliances(draft: _Draft, cities: list[_City]) -> _Alliances:
    def alliance(ident: str, kind: str, zh: str, en: str, place: str | None) -> str:
        return draft.entity("alliances", ident, [kind], zh, en, REGISTRY, place)

    consortia = {
        city.id: alliance(
            f"{city.id}-mch-consortium",
            "MedicalConsortium",
            f"{city.zh}妇幼医联体",
            f"{city.en} MCH consortium",
            city.id,
        )
        for city in cities
    }
    specialty = {
        pid: [
            alliance(
                f"{pid}-specialty-alliance-{i}",
                "SpecialtyAlliance",
                f"{pzh}出生缺陷防治专科联盟{i}",
                f"{pen} birth defect specialty alliance {i}",
                pid,
            )
            for i in (1, 2)
        ]
        for pid, pzh, pen, _c in PROVINCES
    }
    groups = [
        alliance(
            f"national-medical-group-{i}",
            "MedicalGroup",
            f"全国儿童医疗集团（合成{i}）",
            f"National children's medical group (synthetic {i})",
            None,
        )
        for i in range(1, 11)
    ]
    return _Alliances(consortia, specialty, groups)


@dataclass(frozen=True)
class _Hospital:
    """An MCH hospital and the review report (of `year`) that quotes its facts."""

    id: str
    zh: str
    city: _City
    report: str
    year: int


def _hospital(draft: _Draft, n: int, cities: list[_City]) -> _Hospital:
    """The n-th hospital: the k-th of its city, cities taken in turn."""
    city = cities[n % len(cities)]
    k = n // len(cities) + 1
    ident = f"{city.id}-mch-{k}"
    zh = f"{city.zh}妇幼保健院" if k == 1 else f"{city.zh}第{k}妇幼保健院"
    hospital = _Hospital(ident, zh, city, f"{ident}-review", draft.rng.choice((2023, 2024)))
    draft.entity(
        "institutions",
        ident,
        ["MaternalAndChildHealthHospital"],
        zh,
        f"{city.en} MCH hospital {k}",
        hospital.report,
        place=city.id,
    )
    return hospital


def _conferrals(draft: _Draft, h: _Hospital, shared: _Shared, pools: _Designations) -> None:
    """A grade, then national, provincial and municipal designations."""
    rng, pid = draft.rng, h.city.province
    _confer(draft, h, "grade", rng.choices(pools.grades, (60, 25, 15))[0], None)
    for i, desig in enumerate(rng.sample(pools.national, rng.randint(1, 6))):
        issuer = rng.choice((None, shared.health_commission, shared.association))
        _confer(draft, h, f"national-{i}", desig, "national", issuer)
    for i, desig in enumerate(rng.sample(pools.provincial[pid], rng.randint(2, 5))):
        issuer = rng.choice((None, shared.commissions[pid]))
        _confer(draft, h, f"provincial-{i}", desig, "provincial", issuer)
    for i, desig in enumerate(rng.sample(pools.municipal[h.city.id], rng.randint(1, 3))):
        _confer(draft, h, f"municipal-{i}", desig, "municipal")


def _confer(
    draft: _Draft,
    h: _Hospital,
    suffix: str,
    desig: str,
    level: str | None,
    issuer: str | None = None,
) -> None:
    rng = draft.rng
    status = rng.choices(("granted", "applied", "planned"), (90, 6, 4))[0]
    values: dict[str, list[Any]] = {
        "recipient": [h.id],
        "designation": [desig],
        "status": [draft.concept("statuses", status)],
    }
    qualifier = ""
    if level:
        values["level"] = [draft.concept("levels", level)]
        qualifier = LEVEL_ZH[level]
    if rng.random() < 0.3:
        batch, batch_zh = rng.choice(BATCHES)
        values["batch"] = [draft.concept("batches", batch)]
        qualifier += batch_zh
    if issuer:
        values["issuer"] = [issuer]
    when = _when(rng)
    quote = f"{when[0]}年，{h.zh}获{qualifier}“{draft.entities[desig].zh}”"
    draft.fact(f"{h.id}-{suffix}", "conferral", HKG.Conferral, h.report, quote, values, when)


def _ties(draft: _Draft, h: _Hospital, lead: bool, shared: _Shared, alliances: _Alliances) -> None:
    """Its city's consortium (led by the city's first hospital), a teaching university,
    and by chance alliances, groups, co-branding and partners."""
    rng, pid = draft.rng, h.city.province
    membership, partnership = HKG.AllianceMembership, HKG.Partnership
    consortium = alliances.consortia[h.city.id]
    _tie(draft, h, "consortium", consortium, ["lead" if lead else "member"], membership)
    university = rng.choice(shared.universities[pid])
    _tie(draft, h, "teaching", university, ["teaching-hospital"], partnership)
    if rng.random() < 0.5:
        alliance = rng.choice(alliances.specialty[pid])
        role = rng.choice(("member", "council-member"))
        _tie(draft, h, "specialty-alliance", alliance, [role], membership)
    if rng.random() < 0.25:
        _tie(draft, h, "medical-group", rng.choice(alliances.groups), ["member"], membership)
    if rng.random() < 0.3:
        partner = (
            shared.childrens[pid]
            if rng.random() < 0.7
            else shared.childrens[rng.choice(PROVINCES)[0]]
        )
        branded = f"{draft.entities[partner].zh}{h.city.zh}分院"
        _tie(draft, h, "cobranded", partner, ["co-branded"], partnership, branded)
    if rng.random() < 0.2:
        centre = rng.choice(shared.centres)
        _tie(draft, h, "national-centre", centre, ["collaborating-hospital"], partnership)
    if rng.random() < 0.2:
        federation = shared.federations[h.city.id]
        _tie(draft, h, "federation", federation, ["cooperation"], partnership)


def _tie(
    draft: _Draft,
    h: _Hospital,
    suffix: str,
    org: str,
    role_names: list[str],
    cls: URIRef,
    branded: str | None = None,
) -> None:
    values: dict[str, list[Any]] = {
        "member": [h.id],
        "organization": [org],
        "roles": [draft.concept("tie-roles", r) for r in role_names],
        "status": [draft.concept("statuses", "granted")],
    }
    if branded:
        values["branded_names"] = [branded]
    when = _when(draft.rng) if draft.rng.random() < 0.5 else None
    quote = f"{h.zh}与{draft.entities[org].zh}建立合作"
    draft.fact(f"{h.id}-{suffix}", "tie", cls, h.report, quote, values, when)


def _leaders(draft: _Draft, h: _Hospital) -> None:
    """A president and a party secretary, with synthetic names."""
    rng = draft.rng
    for role in ("president", "party-secretary"):
        person = f"{h.id}-{role}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        draft.entity("people", person, [], name, f"{name} (synthetic)", h.report)
        draft.fact(
            f"{h.id}-post-{role}",
            "post",
            HKG.PostHolding,
            h.report,
            f"{h.zh}{name}",
            {"organization": [h.id], "person": [person], "role": [draft.concept("posts", role)]},
        )


def _screening_centre_opens(draft: _Draft, h: _Hospital) -> None:
    """Half the hospitals open a newborn screening centre in their review year."""
    rng = draft.rng
    if rng.random() < 0.5:
        when = (h.year, rng.randint(1, 12), rng.randint(1, 28))
        draft.fact(
            f"{h.id}-screening-centre-opens",
            "event",
            HKG.Event,
            h.report,
            f"{when[0]}年{when[1]}月{when[2]}日，新筛中心正式开展工作",
            {
                "zh": ["新筛中心正式开展工作"],
                "en": ["Newborn screening centre began work"],
                "participants": [h.id],
            },
            when,
        )


def _when(rng: random.Random) -> When:
    year = rng.randint(2010, 2024)
    roll = rng.random()
    if roll < 0.5:
        return (year, None, None)
    if roll < 0.8:
        return (year, rng.randint(1, 12), None)
    return (year, rng.randint(1, 12), rng.randint(1, 28))
