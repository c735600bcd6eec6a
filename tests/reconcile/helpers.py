"""Datasets made in code: entities, naming and tie facts, places, as a loader would give them."""

from __future__ import annotations

from rdflib import URIRef

from graph_builder.ingest.model import Dataset, Entity, Fact, Place, Span
from graph_builder.rdf.namespaces import BASE

ALLIANCE_KINDS = ("SpecialtyAlliance", "MedicalConsortium")


def kind(name: str) -> URIRef:
    return URIRef(BASE + "ontology#" + name)


def entity(
    ident: str,
    zh: str,
    kinds: str = "Hospital",
    report: str = "r1",
    place: str | None = None,
    quote: str | None = None,
) -> Entity:
    names = tuple(kinds.split())
    section = "alliances" if names[0] in ALLIANCE_KINDS else "institutions"
    span = Span(report, quote or zh, 0, len(quote or zh))
    return Entity(ident, section, tuple(map(kind, names)), zh, "", (span,), place)


def naming(ident: str, of: str, name: str, report: str = "r1") -> Fact:
    span = Span(report, name, 0, len(name))
    return Fact(ident, "naming", kind("Naming"), (span,), {"entity": [of], "name": [name]})


def tie(ident: str, member: str, organization: str, report: str = "r1") -> Fact:
    span = Span(report, "tie", 0, 3)
    return Fact(
        ident, "tie", kind("Tie"), (span,), {"member": [member], "organization": [organization]}
    )


PLACES = {
    "henan": Place("henan", kind("Province"), "410000", "河南省", "河南", "Henan", None),
    "zhengzhou": Place("zhengzhou", kind("City"), "410100", "郑州市", "郑州", "Zhengzhou", "henan"),
    "jiaozuo": Place("jiaozuo", kind("City"), "410800", "焦作市", "焦作", "Jiaozuo", "henan"),
    "shanxi": Place("shanxi", kind("Province"), "140000", "山西省", "山西", "Shanxi", None),
    "changzhi": Place("changzhi", kind("City"), "140400", "长治市", "长治", "Changzhi", "shanxi"),
}


def dataset(entities: list[Entity], facts: list[Fact] | None = None, places=None) -> Dataset:
    return Dataset(
        PLACES if places is None else places,
        {},
        {e.id: e for e in entities},
        list(facts or []),
        "test",
    )
