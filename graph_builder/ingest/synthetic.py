"""A seeded synthetic national graph, shaped like China, for benchmarks and large views.

It assembles the same `Dataset` objects the loader produces and runs the real
`GraphBuilder`, so the synthetic graph has exactly the shape of a real build
(materialised types and inverses, evidence nodes with offsets into report texts
that exist in memory). Names are synthetic and say so; provinces and their
GB/T 2260 codes are real. At 3,000 hospitals the graph has about 1,000,000 triples.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from graph_builder.ingest.loader import Dataset, Entity, Fact, Place
from graph_builder.ingest.reports import Report, Span
from graph_builder.ingest.yaml_records import Record
from graph_builder.project import Project
from graph_builder.rdf.builder import GraphBuilder
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

ROOT = Path("/synthetic")


LEVEL_ZH = {"national": "国家级", "provincial": "省级", "municipal": "市级"}


@dataclass(frozen=True)
class _Hospital:
    id: str
    zh: str
    report: str


@dataclass
class _Builder:
    """Accumulates entities, facts and report texts with exact quote offsets."""

    rng: random.Random
    ontology: Vocabulary
    places: dict[str, Place] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)
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
        refs: dict[str, str] | None = None,
    ) -> str:
        classes = tuple(self.ontology.kinds(_BASES[section])[k] for k in kinds)
        self.entities[ident] = Entity(
            ident, section, classes, zh, en, (self.quote(report, zh),), _RECORD, place, refs or {}
        )
        return ident

    def fact(
        self,
        ident: str,
        type_name: str,
        cls: URIRef,
        report: str,
        quote: str,
        values: dict[str, list],
        when: tuple[int, int | None, int | None] | None = None,
    ) -> None:
        fact = Fact(ident, type_name, cls, (self.quote(report, quote),), _RECORD, values)
        if when:
            year, month, day = when
            fact.year, fact.month = year, month
            if day is not None and month is not None:
                fact.date = dt.date(year, month, day)
        self.facts.append(fact)

    def concept(self, scheme: str, name: str) -> URIRef:
        return self.ontology.concepts(scheme)[name]

    def confer(
        self, h: _Hospital, suffix: str, desig: str, level: str | None, issuer: str | None = None
    ) -> None:
        rng = self.rng
        status = rng.choices(("granted", "applied", "planned"), (90, 6, 4))[0]
        values: dict[str, list] = {
            "recipient": [h.id],
            "designation": [desig],
            "status": [self.concept("statuses", status)],
        }
        qualifier = ""
        if level:
            values["level"] = [self.concept("levels", level)]
            qualifier = LEVEL_ZH[level]
        if rng.random() < 0.3:
            batch, batch_zh = rng.choice(BATCHES)
            values["batch"] = [self.concept("batches", batch)]
            qualifier += batch_zh
        if issuer:
            values["issuer"] = [issuer]
        when = _when(rng)
        quote = f"{when[0]}年，{h.zh}获{qualifier}“{self.entities[desig].zh}”"
        self.fact(f"{h.id}-{suffix}", "conferral", HKG.Conferral, h.report, quote, values, when)

    def tie(
        self,
        h: _Hospital,
        suffix: str,
        org: str,
        role_names: list[str],
        cls: URIRef,
        branded: str | None = None,
    ) -> None:
        values: dict[str, list] = {
            "member": [h.id],
            "organization": [org],
            "roles": [self.concept("tie-roles", r) for r in role_names],
            "status": [self.concept("statuses", "granted")],
        }
        if branded:
            values["branded_names"] = [branded]
        when = _when(self.rng) if self.rng.random() < 0.5 else None
        quote = f"{h.zh}与{self.entities[org].zh}建立合作"
        self.fact(f"{h.id}-{suffix}", "tie", cls, h.report, quote, values, when)

    def finish_reports(self, subjects: dict[str, tuple[str, int]]) -> None:
        for report_id, (subject, year) in subjects.items():
            record = Record(
                {
                    "title": f"{self.entities[subject].zh}{year}年工作回顾（合成）",
                    "title_en": f"Synthetic {year} review of {self.entities[subject].en}",
                    "review_year": year,
                    "subject": subject,
                    "language": "zh",
                }
            )
            text = "".join(self._texts.get(report_id, []))
            self.reports[report_id] = Report(
                report_id, record, ROOT / "reports" / f"{report_id}.txt", text
            )


_RECORD = Record()
_RECORD.path, _RECORD.line, _RECORD.key_lines = ROOT, 0, {}
_BASES = {
    "institutions": HKG.Institution,
    "alliances": HKG.Alliance,
    "people": HKG.Person,
    "designations": HKG.Designation,
}


def synthetic_dataset(
    hospitals: int = 3000, seed: int = 42, project: Project | None = None
) -> tuple[Dataset, Vocabulary]:
    """The synthetic `Dataset` (and the ontology's vocabulary) for `hospitals` MCH hospitals."""
    project = project or Project.find()
    vocab = Vocabulary(load_ontology(project.ontology))
    rng = random.Random(seed)
    b = _Builder(rng, vocab)
    registry = "national-registry"
    n_cities = max(len(PROVINCES), min(340, round(hospitals / 9)))

    # Places: real provinces, synthetic cities spread over them.
    cities: list[tuple[str, str, str, str]] = []  # (id, zh, en, province id)
    for pid, zh, en, code in PROVINCES:
        b.places[pid] = Place(pid, HKG.Province, code, zh, zh[:2], en, None)
    for n in range(n_cities):
        pid, pzh, pen, pcode = PROVINCES[n % len(PROVINCES)]
        k = n // len(PROVINCES) + 1
        cid = f"{pid}-city-{k:02d}"
        czh, cen = f"{pzh[:2]}第{k}市", f"{pen} city {k}"
        b.places[cid] = Place(cid, HKG.City, f"{pcode[:2]}{k:02d}00", czh, czh, cen, pid)
        cities.append((cid, czh, cen, pid))

    # Shared institutions named in a national registry text.
    national_bodies = [
        b.entity(
            "institutions",
            "national-health-commission",
            ["GovernmentBody"],
            "国家卫生健康委员会",
            "National Health Commission",
            registry,
        ),
        b.entity(
            "institutions",
            "mch-association",
            ["ProfessionalAssociation"],
            "中国妇幼保健协会",
            "China Maternal and Child Health Association",
            registry,
        ),
    ]
    centres = [
        b.entity(
            "institutions",
            f"national-centre-{i}",
            ["NationalMedicalCentre", "ChildrensHospital"],
            f"国家儿童医学中心（合成{i}）",
            f"National children's medical centre (synthetic {i})",
            registry,
        )
        for i in range(1, 7)
    ]
    universities: dict[str, list[str]] = {}
    childrens: dict[str, str] = {}
    commissions: dict[str, str] = {}
    for pid, pzh, pen, _code in PROVINCES:
        universities[pid] = [
            b.entity(
                "institutions",
                f"{pid}-university-{i}",
                ["UniversityOrCollege"],
                f"{pzh[:2]}医科大学（合成{i}）",
                f"{pen} Medical University (synthetic {i})",
                registry,
                place=pid,
            )
            for i in range(1, 4)
        ]
        childrens[pid] = b.entity(
            "institutions",
            f"{pid}-childrens-hospital",
            ["ChildrensHospital"],
            f"{pzh}儿童医院（合成）",
            f"{pen} Children's Hospital (synthetic)",
            registry,
            place=pid,
        )
        commissions[pid] = b.entity(
            "institutions",
            f"{pid}-health-commission",
            ["GovernmentBody"],
            f"{pzh}卫生健康委员会",
            f"{pen} Health Commission",
            registry,
            place=pid,
        )
    federations = {
        cid: b.entity(
            "institutions",
            f"{cid}-disabled-federation",
            ["CivilBody"],
            f"{czh}残疾人联合会",
            f"{cen} Disabled Persons' Federation",
            registry,
            place=cid,
        )
        for cid, czh, cen, _p in cities
    }

    # Designations: national, provincial and municipal pools.
    def designation(ident: str, prefix_zh: str, prefix_en: str) -> tuple[str, str]:
        kind, kzh, ken = rng.choice(KINDS)
        tzh, ten = rng.choice(TOPICS)
        return b.entity(
            "designations",
            ident,
            [kind],
            f"{prefix_zh}{tzh}{kzh}",
            f"{prefix_en} {ten} {ken}".strip(),
            registry,
        ), kind

    national = [
        designation(f"national-designation-{i:03d}", "国家级", "National")[0] for i in range(60)
    ]
    provincial = {
        pid: [designation(f"{pid}-designation-{i:02d}", pzh, pen)[0] for i in range(10)]
        for pid, pzh, pen, _c in PROVINCES
    }
    municipal = {
        cid: [designation(f"{cid}-designation-{i}", czh, cen)[0] for i in range(3)]
        for cid, czh, cen, _p in cities
    }
    grades = [
        b.entity(
            "designations", "grade-3a", ["HospitalGrade"], "三级甲等", "Grade III Class A", registry
        ),
        b.entity(
            "designations", "grade-3b", ["HospitalGrade"], "三级乙等", "Grade III Class B", registry
        ),
        b.entity(
            "designations", "grade-2a", ["HospitalGrade"], "二级甲等", "Grade II Class A", registry
        ),
    ]

    # Alliances: a consortium per city, two specialty alliances per province, national groups.
    consortia = {
        cid: b.entity(
            "alliances",
            f"{cid}-mch-consortium",
            ["MedicalConsortium"],
            f"{czh}妇幼医联体",
            f"{cen} MCH consortium",
            registry,
            place=cid,
        )
        for cid, czh, cen, _p in cities
    }
    specialty = {
        pid: [
            b.entity(
                "alliances",
                f"{pid}-specialty-alliance-{i}",
                ["SpecialtyAlliance"],
                f"{pzh}出生缺陷防治专科联盟{i}",
                f"{pen} birth defect specialty alliance {i}",
                registry,
                place=pid,
            )
            for i in (1, 2)
        ]
        for pid, pzh, pen, _c in PROVINCES
    }
    groups = [
        b.entity(
            "alliances",
            f"national-medical-group-{i}",
            ["MedicalGroup"],
            f"全国儿童医疗集团（合成{i}）",
            f"National children's medical group (synthetic {i})",
            registry,
        )
        for i in range(1, 11)
    ]

    posts = vocab.concepts("posts")

    subjects: dict[str, tuple[str, int]] = {}
    city_leads: dict[str, str] = {}
    for n in range(hospitals):
        cid, czh, cen, pid = cities[n % len(cities)]
        k = n // len(cities) + 1
        hid = f"{cid}-mch-{k}"
        hzh = f"{czh}妇幼保健院" if k == 1 else f"{czh}第{k}妇幼保健院"
        report = f"{hid}-review"
        year = rng.choice((2023, 2024))
        subjects[report] = (hid, year)
        b.entity(
            "institutions",
            hid,
            ["MaternalAndChildHealthHospital"],
            hzh,
            f"{cen} MCH hospital {k}",
            report,
            place=cid,
        )

        h = _Hospital(hid, hzh, report)
        b.confer(h, "grade", rng.choices(grades, (60, 25, 15))[0], None)
        for i, desig in enumerate(rng.sample(national, rng.randint(1, 6))):
            b.confer(
                h,
                f"national-{i}",
                desig,
                "national",
                rng.choice((None, national_bodies[0], national_bodies[1])),
            )
        for i, desig in enumerate(rng.sample(provincial[pid], rng.randint(2, 5))):
            b.confer(
                h, f"provincial-{i}", desig, "provincial", rng.choice((None, commissions[pid]))
            )
        for i, desig in enumerate(rng.sample(municipal[cid], rng.randint(1, 3))):
            b.confer(h, f"municipal-{i}", desig, "municipal")

        lead = city_leads.setdefault(cid, hid)
        b.tie(
            h,
            "consortium",
            consortia[cid],
            ["lead" if lead == hid else "member"],
            HKG.AllianceMembership,
        )
        b.tie(h, "teaching", rng.choice(universities[pid]), ["teaching-hospital"], HKG.Partnership)
        if rng.random() < 0.5:
            b.tie(
                h,
                "specialty-alliance",
                rng.choice(specialty[pid]),
                [rng.choice(("member", "council-member"))],
                HKG.AllianceMembership,
            )
        if rng.random() < 0.25:
            b.tie(h, "medical-group", rng.choice(groups), ["member"], HKG.AllianceMembership)
        if rng.random() < 0.3:
            partner = childrens[pid] if rng.random() < 0.7 else childrens[rng.choice(PROVINCES)[0]]
            b.tie(
                h,
                "cobranded",
                partner,
                ["co-branded"],
                HKG.Partnership,
                branded=f"{b.entities[partner].zh}{czh}分院",
            )
        if rng.random() < 0.2:
            b.tie(
                h,
                "national-centre",
                rng.choice(centres),
                ["collaborating-hospital"],
                HKG.Partnership,
            )
        if rng.random() < 0.2:
            b.tie(h, "federation", federations[cid], ["cooperation"], HKG.Partnership)

        for role in ("president", "party-secretary"):
            person = f"{hid}-{role}"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            b.entity("people", person, [], name, f"{name} (synthetic)", report)
            b.fact(
                f"{hid}-post-{role}",
                "post",
                HKG.PostHolding,
                report,
                f"{hzh}{name}",
                {"organization": [hid], "person": [person], "role": [posts[role]]},
            )
        if rng.random() < 0.5:
            when = (year, rng.randint(1, 12), rng.randint(1, 28))
            b.fact(
                f"{hid}-screening-centre-opens",
                "event",
                HKG.Event,
                report,
                f"{when[0]}年{when[1]}月{when[2]}日，新筛中心正式开展工作",
                {
                    "zh": ["新筛中心正式开展工作"],
                    "en": ["Newborn screening centre began work"],
                    "participants": [hid],
                },
                when,
            )

    subjects[registry] = (national_bodies[0], 2024)
    b.finish_reports(subjects)
    return Dataset(
        b.places, b.reports, b.entities, b.facts, "GB/T 2260 province codes; synthetic cities"
    ), vocab


def _when(rng: random.Random) -> tuple[int, int | None, int | None]:
    year = rng.randint(2010, 2024)
    roll = rng.random()
    if roll < 0.5:
        return (year, None, None)
    if roll < 0.8:
        return (year, rng.randint(1, 12), None)
    return (year, rng.randint(1, 12), rng.randint(1, 28))


def synthetic_graph(hospitals: int = 3000, seed: int = 42, project: Project | None = None) -> Graph:
    """The synthetic national data graph (no ontology), built by the real GraphBuilder."""
    dataset, vocab = synthetic_dataset(hospitals, seed, project)
    return GraphBuilder(vocab, ROOT).build(dataset)
