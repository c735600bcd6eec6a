"""Reconciliation queries: reading them (both wire formats) and answering them from the index.

A query of the 0.2 spec (section "Structure of a Reconciliation Query"):
`{"query": "...", "type": "hkg:Hospital" | [...], "limit": 5, "type_strict": "should",
"properties": [{"pid": "location", "v": "长治"}]}`; one of the 1.0 draft
("Match Service"): `{"conditions": [{"matchType": "name", "propertyValue": "..."}, ...],
"type": "...", "limit": 5}`. Both become a `Query`.

Scoring (weights in names.yaml): a name of the entity, its id or IRI given exactly is 100;
a name whose core (places shortened, generic words abbreviated, 医院 dropped) equals one of
the entity's cores is 90 (长治妇幼 for 长治市妇幼保健院); otherwise the similarity of the
cores (rapidfuzz's normalised Indel similarity) times 0.85. A property value that holds
adds 5, a location the entity is known not to have takes 30 away, a required condition
that does not hold removes the candidate. `match` is true only for an exact name (or id)
that no other candidate of the allowed types bears, with no condition against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from .index import Entity, Index, TypeInfo
from .names import Scores, exact

#: Property ids a query may constrain, with their aliases.
PROPERTIES = {
    "location": "location",
    "schema:location": "location",
    "partner": "partner",
    "hkg:Tie": "partner",
}
PROPERTY_LIST = [
    {
        "id": "location",
        "name": "location (所在地)",
        "description": "where the entity is (schema:location and the places containing it): "
        "a place id such as changzhi, or a place name such as 长治市, 长治 or Changzhi",
    },
    {
        "id": "partner",
        "name": "partner (合作机构)",
        "description": "an institution or alliance it has a tie with (alliance membership or "
        "partnership, either way): an id such as jiaozuo-mch, or a name",
    },
]
#: Candidates per query when the query gives no limit.
DEFAULT_LIMIT = 10
TYPE_STRICT = ("any", "should", "all")
QUANTIFIERS = ("any", "all", "none")


class BadQuery(ValueError):
    """A query the service cannot read: answered `status` (400) with the message."""

    status = 400


@dataclass(frozen=True)
class Limits:
    batch: int = 100  # queries in one batch (--reconcile-batch)
    chars: int = 500  # characters of a query string, value, prefix or id (--reconcile-chars)
    candidates: int = 100  # most candidates per query or suggestions per request


Value = str | tuple[str, str]  # a string, or (id, name) of a reconciled entity


@dataclass
class Condition:
    prop: str  # "location" or "partner"
    values: list[Value]
    required: bool = False
    quantifier: str = "any"


@dataclass
class Query:
    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # type ids as given
    all_types: bool = False
    limit: int = DEFAULT_LIMIT
    conditions: list[Condition] = field(default_factory=list)


# -- reading -----------------------------------------------------------------------------


def _text(value: Any, what: str, limits: Limits) -> str:
    if not isinstance(value, str):
        raise BadQuery(f"{what} must be a string, not {_kind(value)}")
    if len(value) > limits.chars:
        raise BadQuery(
            f"{what} is {len(value):,} characters long; at most {limits.chars:,} are read "
            "(--reconcile-chars)"
        )
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def _limit(value: Any, where: str, limits: Limits) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise BadQuery(f"{where}: limit must be a positive integer")
    if value < 1:
        raise BadQuery(f"{where}: limit must be a positive integer, not {value:g}")
    return min(int(value), limits.candidates)


def _types(value: Any, where: str, limits: Limits) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [_text(item, f"{where}: type", limits) for item in items]


def _values(value: Any, where: str, limits: Limits) -> list[Value]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise BadQuery(f"{where}: give at least one value")
    values: list[Value] = []
    for item in items:
        if isinstance(item, dict):
            ident, name = item.get("id"), item.get("name", "")
            if not isinstance(ident, str):
                raise BadQuery(f"{where}: an entity value needs an id string")
            values.append((_text(ident, f"{where}: id", limits), _text(name, where, limits)))
        elif isinstance(item, str):
            values.append(_text(item, where, limits))
        elif isinstance(item, int | float) and not isinstance(item, bool):
            values.append(str(item))
        else:
            raise BadQuery(f"{where}: a value must be a string, a number or an entity")
    return values


def _property(pid: Any, where: str) -> str:
    if not isinstance(pid, str):
        raise BadQuery(f"{where}: the property id must be a string")
    prop = PROPERTIES.get(pid.strip())
    if prop is None:
        known = ", ".join(p["id"] for p in PROPERTY_LIST)
        raise BadQuery(f"{where}: unknown property {pid[:60]!r}; this service knows {known}")
    return prop


def read_v02(key: str, data: Any, limits: Limits) -> Query:
    """One query of a 0.2 batch (the value of q0, q1 ...)."""
    where = f"query {key[:40]!r}"
    if not isinstance(data, dict):
        raise BadQuery(f"{where} must be an object, not {_kind(data)}")
    unknown = sorted(set(data) - {"query", "type", "limit", "properties", "type_strict"})
    if unknown:
        raise BadQuery(f"{where}: unknown field {unknown[0][:40]!r}")
    query = Query()
    if "query" in data:
        text = _text(data["query"], f"{where}: query", limits)
        if text.strip():
            query.names.append(text)
    query.types = _types(data.get("type"), where, limits)
    strict = data.get("type_strict", "should")
    if strict not in TYPE_STRICT:
        raise BadQuery(f"{where}: type_strict must be one of {', '.join(TYPE_STRICT)}")
    query.all_types = strict == "all"
    if "limit" in data:
        query.limit = _limit(data["limit"], where, limits)
    properties = data.get("properties", [])
    if not isinstance(properties, list):
        raise BadQuery(f"{where}: properties must be an array")
    for item in properties:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise BadQuery(f"{where}: each property is an object with pid and v")
        prop = _property(item["pid"], where)
        query.conditions.append(Condition(prop, _values(item["v"], f"{where}: {prop}", limits)))
    if "query" not in data and not query.conditions:
        raise BadQuery(f"{where}: give a query string or properties")
    query.limit = min(query.limit, limits.candidates)
    return query


def read_draft(n: int, data: Any, limits: Limits) -> Query:
    """One query of a 1.0-draft batch: conditions, type, limit. The 0.2 fields (query,
    properties ...) are read too, so the body the 0.2 spec describes can be POSTed as JSON."""
    where = f"query {n}"
    if not isinstance(data, dict):
        raise BadQuery(f"{where} must be an object, not {_kind(data)}")
    if "conditions" not in data:
        return read_v02(str(n), data, limits)
    unknown = sorted(set(data) - {"conditions", "type", "limit", "lang", "dir"})
    if unknown:
        raise BadQuery(f"{where}: unknown field {unknown[0][:40]!r}")
    query = Query(types=_types(data.get("type"), where, limits))
    if "limit" in data:
        query.limit = _limit(data["limit"], where, limits)
    conditions = data["conditions"]
    if not isinstance(conditions, list) or not conditions:
        raise BadQuery(f"{where}: conditions must be a non-empty array")
    for item in conditions:
        if not isinstance(item, dict) or "matchType" not in item or "propertyValue" not in item:
            raise BadQuery(f"{where}: each condition has a matchType and a propertyValue")
        kind = item["matchType"]
        quantifier = item.get("matchQuantifier", "any")
        if quantifier not in QUANTIFIERS:
            raise BadQuery(f"{where}: matchQuantifier must be one of {', '.join(QUANTIFIERS)}")
        required = item.get("required", False)
        if not isinstance(required, bool):
            raise BadQuery(f"{where}: required must be true or false")
        values = _values(item["propertyValue"], f"{where}: {kind}", limits)
        if kind == "name":
            query.names += [v if isinstance(v, str) else v[1] for v in values]
        elif kind == "id":
            query.ids += [v if isinstance(v, str) else v[0] for v in values]
        elif kind == "property":
            prop = _property(item.get("propertyId"), where)
            query.conditions.append(Condition(prop, values, required, quantifier))
        else:
            raise BadQuery(f"{where}: matchType must be name, id or property")
    return query


def read_v02_batch(batch: Any, limits: Limits) -> dict[str, Query]:
    if not isinstance(batch, dict):
        raise BadQuery(f"queries must be a JSON object of queries (q0, q1 ...), not {_kind(batch)}")
    _check_size(len(batch), limits)
    return {str(key): read_v02(str(key), value, limits) for key, value in batch.items()}


def read_draft_batch(batch: Any, limits: Limits) -> list[Query]:
    if not isinstance(batch, dict) or not isinstance(batch.get("queries"), list):
        raise BadQuery('send {"queries": [...]}: an object whose queries field is an array')
    queries = batch["queries"]
    _check_size(len(queries), limits)
    return [read_draft(n, value, limits) for n, value in enumerate(queries)]


class BatchTooLarge(BadQuery):
    """More queries in one batch than --reconcile-batch: 413, as the spec's batchSize says."""

    status = 413


def _check_size(size: int, limits: Limits) -> None:
    if size > limits.batch:
        raise BatchTooLarge(
            f"{size:,} queries in one batch; send at most {limits.batch:,} (--reconcile-batch)"
        )


# -- answering ---------------------------------------------------------------------------


@dataclass
class Hit:
    name: float = 0.0  # the name score, 0-100
    exact: bool = False
    conditions: list[bool | None] = field(default_factory=list)
    score: float = 0.0


class Matcher:
    def __init__(self, index: Index, scores: Scores) -> None:
        self.index, self.scores = index, scores

    def allowed(self, query: Query) -> set[int] | None:
        """Entities of the query's types (None: any); BadQuery for a type it does not know."""
        if not query.types:
            return None
        sets = []
        for given in query.types:
            iri = self.index.type_iri(given)
            if iri is None:
                raise BadQuery(
                    f"unknown type {given[:60]!r}; /reconcile/suggest/type lists the types"
                )
            sets.append(self.index.by_type.get(iri, set()))
        return set.intersection(*sets) if query.all_types else set().union(*sets)

    def names(self, query: Query) -> dict[int, Hit]:
        index, scores = self.index, self.scores
        hits: dict[int, Hit] = {}

        def offer(i: int, score: float, is_exact: bool = False) -> None:
            hit = hits.setdefault(i, Hit())
            if score > hit.name:
                hit.name = score
            hit.exact = hit.exact or is_exact

        for ident in query.ids:
            entity = index.entity(ident)
            if entity is not None:
                offer(index.by_key[ident.strip()], scores.exact, True)
        for text in query.names:
            if index.entity(text) is not None:  # an id, IRI or CURIE given as the name
                offer(index.by_key[text.strip()], scores.exact, True)
            for i in index.exact_names.get(exact(text), []):
                offer(i, scores.exact, True)
            cores = index.names.cores(text)
            for core in cores:
                for i in index.core_names.get(core, []):
                    offer(i, scores.core)
            # the core against the names' cores; a name too short to have one (甲市医院
            # when 甲 is a place), as written against the names as written
            weight = scores.fuzzy_weight
            cutoff = scores.min_score / weight if weight > 0 else 101.0
            if cores:
                asked, choices, owners = cores[0], index.choices, index.owners
            else:
                asked, choices, owners = exact(text), index.exact_choices, index.exact_owners
            if asked:
                for _, similarity, position in process.extract(
                    asked, choices, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff
                ):
                    offer(owners[position], min(similarity * weight, scores.core - 1))
            for i, share in self.word_shares(text).items():
                offer(i, min(100 * share * scores.fuzzy_weight, scores.core - 1))
        return hits

    def word_shares(self, text: str) -> dict[int, float]:
        """For names in a Latin script: entities by the best word overlap of a name with the
        query (`query_words` of the share of query words it has, the rest of the share of
        its words the query has)."""
        index, weight = self.index, self.scores.query_words
        asked = index.names.words(text)
        shares: dict[int, float] = {}
        positions = {p for word in asked for p in index.by_word.get(word, [])}
        for position in positions:
            name, i = index.worded[position]
            common = len(asked & name)
            share = weight * common / len(asked) + (1 - weight) * common / len(name)
            shares[i] = max(share, shares.get(i, 0.0))
        return shares

    def answer(self, query: Query) -> list[dict[str, Any]]:
        """The candidates of one query, best first."""
        allowed = self.allowed(query)
        by_name = bool(query.names or query.ids)
        if by_name:
            hits = self.names(query)
        else:
            pool = allowed if allowed is not None else range(len(self.index.entities))
            hits = {i: Hit(self.scores.properties_only) for i in pool}
        if allowed is not None:
            hits = {i: hit for i, hit in hits.items() if i in allowed}
        named = [self.resolve(c) for c in query.conditions]
        kept: dict[int, Hit] = {}
        for i, hit in hits.items():
            hit.conditions = [
                self.holds(c, values, i) for c, values in zip(query.conditions, named, strict=True)
            ]
            if any(
                c.required and r is not True
                for c, r in zip(query.conditions, hit.conditions, strict=True)
            ):
                continue
            if not by_name and True not in hit.conditions:
                continue
            bonus = sum(self.scores.property_match for r in hit.conditions if r is True)
            malus = sum(self.scores.property_mismatch for r in hit.conditions if r is False)
            hit.score = max(0.0, min(100.0, hit.name + bonus - malus))
            if hit.score >= self.scores.min_score:
                kept[i] = hit
        exact_ones = [i for i, hit in kept.items() if hit.exact]
        ranked = sorted(
            kept.items(),
            key=lambda item: (
                -item[1].score,
                len(self.index.entities[item[0]].name),
                self.index.entities[item[0]].id,
            ),
        )
        return [
            self.candidate(i, hit, query, unique=len(exact_ones) == 1)
            for i, hit in ranked[: query.limit]
        ]

    def candidate(self, i: int, hit: Hit, query: Query, unique: bool) -> dict[str, Any]:
        entity = self.index.entities[i]
        result: dict[str, Any] = {
            "id": entity.id,
            "name": entity.name,
            "type": self.index.type_json(entity),
            "score": round(hit.score, 2),
            "match": hit.exact and unique and False not in hit.conditions,
        }
        description = self.index.description(entity)
        if description:
            result["description"] = description
        features: list[dict[str, Any]] = [
            {"id": "name", "name": "name similarity (0-100)", "value": round(hit.name, 2)},
            {"id": "name_exact", "name": "a name given exactly", "value": hit.exact},
        ]
        for condition, holds in zip(query.conditions, hit.conditions, strict=True):
            if holds is not None:
                features.append(
                    {"id": condition.prop, "name": f"{condition.prop} holds", "value": holds}
                )
        result["features"] = features
        return result

    # -- properties ----------------------------------------------------------------------

    def resolve(self, condition: Condition) -> list[set[int]]:
        """What each value of a condition names: places for a location, entities for a
        partner (once per query, not once per candidate)."""
        if condition.prop == "location":
            return [self.places(value) for value in condition.values]
        return [self.entities(value) for value in condition.values]

    def holds(self, condition: Condition, named: list[set[int]], i: int) -> bool | None:
        """Whether the condition holds for entity i; None when the graph cannot say (no
        known location; no tie, which reports may simply not mention)."""
        entity = self.index.entities[i]
        if condition.prop == "location":
            if not entity.places:
                return None
            results = [bool(places & entity.places) for places in named]
        else:
            ties = self.index.ties.get(i, set())
            results = [bool(partners & ties) for partners in named]
        if condition.quantifier == "all":
            verdict = all(results)
        elif condition.quantifier == "none":
            verdict = not any(results)
        else:
            verdict = any(results)
        if condition.prop == "partner" and not verdict and condition.quantifier != "none":
            return None  # no tie known is not a tie known not to exist
        return verdict

    def places(self, value: Value) -> set[int]:
        """Place entities a value names: an id, or a name (长治市, 长治, Changzhi); in a longer
        text (山西省长治市) the most specific places named in it."""
        index = self.index
        keys = [value] if isinstance(value, str) else [value[0], value[1]]
        for key in keys:
            if not key:
                continue
            found = index.place_keys.get(key.strip()) or index.place_keys.get(exact(key))
            if found:
                return set(found)
        text = exact(keys[-1] or keys[0])
        named = {
            i
            for form, ids in index.place_keys.items()
            if len(form) >= 2 and form in text
            for i in ids
        }
        above = {j for i in named for j in index.entities[i].places if j != i}
        return named - above

    def entities(self, value: Value) -> set[int]:
        """Entities a partner value names: by id, or by exact or core name."""
        index = self.index
        if isinstance(value, tuple):
            entity = index.entity(value[0])
            if entity is not None:
                return {index.position[entity.iri]}
            value = value[1]
        entity = index.entity(value)
        if entity is not None:
            return {index.position[entity.iri]}
        found = set(index.exact_names.get(exact(value), []))
        if not found:
            for core in index.names.cores(value)[:1]:
                found |= set(index.core_names.get(core, []))
        return found


def describe_entity(index: Index, entity: Entity) -> dict[str, Any]:
    """An entity as a suggest item: id, name, description and notable types."""
    item: dict[str, Any] = {"id": entity.id, "name": entity.name}
    description = index.description(entity)
    if description:
        item["description"] = description
    item["notable"] = index.type_json(entity)
    return item


# -- suggest -----------------------------------------------------------------------------


def suggest_entities(
    index: Index, prefix: str, allowed: set[int] | None, offset: int, limit: int
) -> list[dict[str, Any]]:
    """Entities for an auto-complete field: the one whose id is `prefix`, then names equal
    to it, names starting with it, names containing it; shorter names first."""
    form = exact(prefix)
    ranked: list[int] = []
    entity = index.entity(prefix) if prefix.strip() else None
    if entity is not None:
        ranked.append(index.position[entity.iri])
    if form:
        ranked += index.exact_names.get(form, [])
        ranked += index.prefixed(form)
        ranked += index.containing(form)
    elif not prefix.strip():
        ranked += sorted(range(len(index.entities)), key=lambda i: index.entities[i].id)
    unique = list(dict.fromkeys(ranked))
    if allowed is not None:
        unique = [i for i in unique if i in allowed]
    return [describe_entity(index, index.entities[i]) for i in unique[offset : offset + limit]]


def suggest_types(index: Index, prefix: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """Types whose id, local name, English or Chinese name starts with `prefix`, shortest
    first, then those whose names contain it."""
    form = exact(prefix)
    starts: list[tuple[int, str, TypeInfo]] = []
    contains: list[tuple[int, str, TypeInfo]] = []
    for info in index.types.values():
        local = info.id.split(":", 1)[-1]
        keys = [exact(k) for k in (info.id, local, info.en, info.zh) if k]
        ranked = (len(local), info.id, info)
        if not form or prefix.strip() == info.iri or any(k.startswith(form) for k in keys):
            starts.append(ranked)
        elif any(form in k for k in keys):
            contains.append(ranked)
    found = [info for _, _, info in sorted(starts) + sorted(contains)]
    return [t.json(index, with_broader=True) for t in found[offset : offset + limit]]


def suggest_properties(prefix: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """The properties a query may constrain whose id, alias or name holds `prefix`."""
    form = exact(prefix)
    found = [
        p
        for p in PROPERTY_LIST
        if not form
        or any(form in exact(p[k]) for k in ("id", "name"))
        or any(exact(alias).startswith(form) for alias, pid in PROPERTIES.items() if pid == p["id"])
    ]
    return [dict(p) for p in found[offset : offset + limit]]
