"""The shape of the data files, as tables: which keys each record takes and how
each key becomes RDF. The loader checks records against these tables and the
builder emits triples from them, so a new field is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rdflib import URIRef
from rdflib.namespace import RDFS

from graph_builder.rdf.namespaces import HKG, ORG

ValueKind = Literal["ref", "refs", "concept", "concepts", "int", "zh", "zhs", "en"]


@dataclass(frozen=True)
class Field:
    """One key of a record.

    `quoted`: the value (an entity's or concept's Chinese label, or the literal
    itself) must appear verbatim in one of the record's quotes. This is how the
    builder refuses facts the evidence does not support.
    """

    predicate: URIRef
    kind: ValueKind
    required: bool = False
    sections: tuple[str, ...] = ()
    scheme: str | None = None
    default: str | None = None
    quoted: bool = False


@dataclass(frozen=True)
class Section:
    """An entity section of a data file: its base class and its keys besides ENTITY_KEYS."""

    base: URIRef
    has_kind: bool = True
    extra: dict[str, Field] = field(default_factory=dict)


ORGANISATIONS = ("institutions", "alliances", "units")
AGENTS = ("institutions", "alliances", "units", "people")
ANYTHING = ("institutions", "alliances", "units", "programmes", "people", "designations")

SECTIONS: dict[str, Section] = {
    "institutions": Section(HKG.Institution),
    "alliances": Section(HKG.Alliance),
    "units": Section(
        HKG.OrganizationalUnit,
        extra={"unit_of": Field(ORG.unitOf, "ref", required=True, sections=("institutions",))},
    ),
    "programmes": Section(HKG.Programme, has_kind=False),
    "people": Section(HKG.Person, has_kind=False),
    "designations": Section(HKG.Designation),
}

#: Keys every entity takes, besides a section's `extra` (`en`, a translation, is optional).
#: `canonical` names the authority record (data/reference/institutions.yaml) an
#: institution or alliance is, when its name alone does not say so.
ENTITY_KEYS = frozenset({"id", "kind", "zh", "en", "quote", "located_in", "canonical"})
#: Keys of a reporter or photographer in a report's metadata (a person entity).
PERSON_KEYS = frozenset({"id", "zh", "en", "quote"})
#: Keys of a fact file: its report, its facts and the entity sections.
FACT_FILE_KEYS = frozenset({"report", "facts", *SECTIONS})

#: Keys of a report's metadata file (reports/<id>.yaml).
REPORT_KEYS = frozenset(
    {
        "id",
        "text",
        "subject",
        "title",
        "subtitle",
        "title_en",
        "review_year",
        "review_year_quote",
        "language",
        "reporters",
        "photographers",
        # written by `hospital-kg add-report`: publication date, page address, the file it
        # came from, its encoding and format (html or text), the day it was added
        "date",
        "url",
        "source",
        "encoding",
        "format",
        "added",
    }
)
#: ... of which these are required. `subject` and `review_year` are optional: a news item
#: has no review year, and its hospital is known only once its facts are accepted.
REPORT_REQUIRED = ("id", "text", "title")
#: The formats a report's source file may have had.
REPORT_FORMATS = ("html", "text")

#: Keys of a place in reference/places.yaml, and the classes its `kind` names.
PLACE_KEYS = frozenset({"id", "kind", "code", "zh", "short", "en", "in"})
PLACE_KINDS = {"Province": HKG.Province, "City": HKG.City}


@dataclass(frozen=True)
class FactType:
    cls: URIRef
    fields: dict[str, Field]


_status = Field(HKG.status, "concept", scheme="statuses", default="granted")
_concerns = Field(HKG.concerns, "refs", sections=ANYTHING)

FACT_TYPES: dict[str, FactType] = {
    "conferral": FactType(
        HKG.Conferral,
        {
            "recipient": Field(HKG.recipient, "ref", required=True, sections=ORGANISATIONS),
            "designation": Field(
                HKG.designation, "ref", required=True, sections=("designations",), quoted=True
            ),
            "level": Field(HKG.level, "concept", scheme="levels"),
            "batch": Field(HKG.batch, "concept", scheme="batches", quoted=True),
            "issuer": Field(HKG.issuer, "ref", sections=AGENTS, quoted=True),
            "programme": Field(HKG.programme, "ref", sections=("programmes",), quoted=True),
            "status": _status,
            "count": Field(HKG["count"], "int"),
            "rank": Field(HKG.rank, "zh", quoted=True),
            "concerns": _concerns,
        },
    ),
    # hkg:Tie is refined to AllianceMembership or Partnership by the organisation's section.
    "tie": FactType(
        HKG.Tie,
        {
            "member": Field(ORG.member, "ref", required=True, sections=ORGANISATIONS),
            "organization": Field(
                ORG.organization,
                "ref",
                required=True,
                sections=("institutions", "alliances"),
                quoted=True,
            ),
            "roles": Field(ORG.role, "concepts", required=True, scheme="tie-roles"),
            "branded_names": Field(HKG.brandedName, "zhs", quoted=True),
            "status": _status,
        },
    ),
    "post": FactType(
        HKG.PostHolding,
        {
            "organization": Field(ORG.postIn, "ref", required=True, sections=ORGANISATIONS),
            "person": Field(ORG.heldBy, "ref", required=True, sections=("people",), quoted=True),
            "role": Field(ORG.role, "concept", required=True, scheme="posts", quoted=True),
        },
    ),
    "event": FactType(
        HKG.Event,
        {
            "zh": Field(RDFS.label, "zh", required=True, quoted=True),
            "en": Field(HKG.englishLabel, "en"),
            "participants": Field(HKG.participant, "refs", required=True, sections=AGENTS),
            "concerns": _concerns,
            "organizer": Field(HKG.organizer, "ref", sections=AGENTS, quoted=True),
            "venue": Field(HKG.venue, "ref", sections=ORGANISATIONS, quoted=True),
        },
    ),
    "naming": FactType(
        HKG.Naming,
        {
            "entity": Field(HKG.named, "ref", required=True, sections=ORGANISATIONS),
            "name": Field(HKG.name, "zh", required=True, quoted=True),
            "en": Field(HKG.englishLabel, "en"),
            "name_type": Field(HKG.nameType, "concept", required=True, scheme="name-types"),
        },
    ),
}

#: Keys every fact takes, besides its type's fields.
FACT_KEYS = frozenset({"id", "type", "quote", "year", "month", "date", "note"})
