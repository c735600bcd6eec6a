"""Two names compared: what vetoes them (places, ordinals, parents that differ) and the
signals they give (similar cores, one inside the other, an abbreviation, one place).

Each function takes the two `NameForm`s and returns facts about them; scoring (weights)
is candidates.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from graph_builder.reconcile.normalise import NATIONAL, NameForm, PlaceLexicon, PlaceRef, fold


@dataclass(frozen=True)
class PlaceVerdict:
    """How the places of two names relate: "same", "within", "conflict" or "none"."""

    relation: str
    evidence: str = ""


def compare_places(a: NameForm, b: NameForm, lexicon: PlaceLexicon) -> PlaceVerdict:
    """Same place, one within the other, a contradiction, or nothing to compare.

    Places that differ contradict unless places.yaml (or a name listing both, 河南省焦作市)
    shows one inside the other: 甲县 / 乙县, 长治 / 焦作 (two cities), 国家 / 湖北.
    """
    if a.level == NATIONAL or b.level == NATIONAL:
        if a.level == b.level:
            return PlaceVerdict("none")
        other = b if a.level == NATIONAL else a
        if other.places or other.level:
            where = other.place.written if other.place else other.level
            return PlaceVerdict("conflict", f"national / {where}")
        return PlaceVerdict("none")
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        level = a.level if pa is None else b.level
        placed = pb if pa is None else pa
        if placed is None:  # neither states a place; level words must agree
            if a.level and b.level and a.level != b.level:
                return PlaceVerdict("conflict", f"{a.level} / {b.level}")
            return PlaceVerdict("none")
        if level and level != placed.level:
            return PlaceVerdict("conflict", f"{level} / {placed.written}")
        return PlaceVerdict("none")
    return _relate(pa, pb, a.places, b.places, lexicon)


def _relate(
    pa: PlaceRef,
    pb: PlaceRef,
    a_all: tuple[PlaceRef, ...],
    b_all: tuple[PlaceRef, ...],
    lexicon: PlaceLexicon,
) -> PlaceVerdict:
    if pa.id and pb.id:
        if pa.id == pb.id:
            return PlaceVerdict("same", f"same {pa.level}: {pa.key}")
        if pa.id in lexicon.ancestors(pb.id):
            return PlaceVerdict("within", f"{pb.key} is in {pa.key}")
        if pb.id in lexicon.ancestors(pa.id):
            return PlaceVerdict("within", f"{pa.key} is in {pb.key}")
        return PlaceVerdict("conflict", f"{pa.written} / {pb.written}")
    if pa.key == pb.key:
        if pa.level == pb.level:
            return PlaceVerdict("same", f"same {pa.level}: {pa.key}")
        return PlaceVerdict("within", f"{pa.written} / {pb.written}")  # 吉林市 in 吉林省
    if any(p.key == pb.key for p in a_all[:-1]):
        return PlaceVerdict("within", f"{pa.key} is in {pb.key}")
    if any(p.key == pa.key for p in b_all[:-1]):
        return PlaceVerdict("within", f"{pb.key} is in {pa.key}")
    return PlaceVerdict("conflict", f"{pa.written} / {pb.written}")


def ordinal_conflict(a: NameForm, b: NameForm) -> str:
    """Different ordinals (第一 / 第三人民医院), as evidence; "" when there is none."""
    if a.ordinals and b.ordinals and a.ordinals != b.ordinals:
        return f"{'/'.join(sorted(a.ordinals))} / {'/'.join(sorted(b.ordinals))}"
    return ""


def parent_conflict(a: NameForm, b: NameForm) -> str:
    """Different parent bodies (复旦大学附属… / 首都医科大学附属…), as evidence, or ""."""
    if a.parent and b.parent and a.parent != b.parent:
        return f"{a.parent} / {b.parent}"
    return ""


@dataclass(frozen=True)
class Similarity:
    """The cores' similarity (0-100) and whether both names are generic."""

    score: float
    generic: bool
    evidence: str


def similarity(a: NameForm, b: NameForm) -> Similarity:
    """rapidfuzz's ratio of the cores; two generic names are alike only with one ending."""
    if a.generic and b.generic:
        same = a.suffix == b.suffix and a.suffix != ""
        return Similarity(100.0 if same else 0.0, True, f"{a.key or a.written} = {b.key}")
    if a.generic or b.generic:
        return Similarity(0.0, False, "")
    if a.inner and b.inner and a.inner != b.inner:  # named after two kinds of body
        if not (a.stem and b.stem):
            return Similarity(0.0, False, "")
        score = fuzz.ratio(a.stem, b.stem)
        return Similarity(score, False, f"stem {a.stem} ~ {b.stem} ({a.inner} / {b.inner})")
    score = fuzz.ratio(a.core, b.core)
    relation = "=" if a.core == b.core else "~"
    return Similarity(score, False, f"core {a.core} {relation} {b.core}")


def containment(a: NameForm, b: NameForm, min_chars: int) -> str:
    """One name qualifies the other, as evidence; "" if not: the longer name or core ends
    with the shorter (中国医学科学院阜外医院 / 阜外医院, 武汉同济 / 同济: a parent or place
    put before it). A name at the start of a longer one (北京儿童医院 / 北京儿童医院保定医院)
    names something after it, so it does not count."""
    short, long = sorted((a, b), key=lambda form: (len(fold(form.written)), form.written))
    ws, wl = fold(short.written), fold(long.written)
    qualified = not short.generic or bool(short.places)  # 医院 alone says nothing
    if ws != wl and wl.endswith(ws) and len(ws) >= min_chars and qualified:
        return f"{short.written} in {long.written}"
    cs, cl = sorted((a.core, b.core), key=len)
    if len(cs) >= min_chars and cl.endswith(cs):
        return f"core {cs} in {cl}" if cs != cl else f"same core {cs}"
    return ""


def contains(a: NameForm, b: NameForm) -> bool:
    """One name, as written, inside the other (anywhere)."""
    wa, wb = fold(a.written), fold(b.written)
    return wa in wb or wb in wa


def abbreviation(a: NameForm, b: NameForm, min_chars: int) -> str:
    """The shorter key is the longer with characters left out, from the same first one
    (复旦儿科 / 复旦大学儿科医院, 卫健委 / 卫生健康委员会), as evidence; "" if not."""
    short, long = sorted((a, b), key=lambda form: (len(form.key), form.key))
    if short.generic or len(short.key) < min_chars or short.key == long.key:
        return ""
    if short.key in long.key or short.key[0] != long.key[0]:
        return ""
    chars = iter(long.key)
    if all(ch in chars for ch in short.key):
        return f"{short.key} abbreviates {long.key}"
    return ""
