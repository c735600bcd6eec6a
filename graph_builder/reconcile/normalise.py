"""Names taken apart for comparing: leading places, level words, parent body, ordinals,
generic ending, and what is left (the core). The word lists are signals.yaml's.

河南省焦作市妇幼保健院 -> places 河南, 焦作; ending 妇幼保健院; core "" (a generic name).
复旦大学附属儿科医院 -> parent 复旦大学; ending 儿科医院; key 复旦大学儿科医院.
十堰市武当妇女儿童医院 -> place 十堰; ending 妇女儿童医院; core 武当.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from graph_builder.ingest.model import Place
from graph_builder.reconcile.signals import NameRules

NATIONAL = "national"


@dataclass(frozen=True)
class PlaceRef:
    """A place a name (or an entity's `located_in`) states.

    `key` is what two mentions are compared by: the short name (长治 for 长治市, 十堰 for a
    十堰市 that places.yaml lacks); `id` is its places.yaml id when it is there.
    """

    key: str
    level: str
    written: str
    id: str | None = None


@dataclass(frozen=True)
class PlaceLexicon:
    """The places of data/reference/places.yaml, by every name they are written with."""

    places: dict[str, Place]
    by_name: tuple[tuple[str, str], ...]  # (zh or short name, place id), longest first

    @classmethod
    def of(cls, places: dict[str, Place]) -> PlaceLexicon:
        names = {name: place.id for place in places.values() for name in (place.zh, place.short)}
        ordered = tuple(sorted(names.items(), key=lambda item: (-len(item[0]), item[0])))
        return cls(places, ordered)

    def ref(self, ident: str, written: str | None = None) -> PlaceRef:
        place = self.places[ident]
        level = "province" if str(place.kind).endswith("Province") else "city"
        return PlaceRef(place.short, level, written or place.zh, ident)

    def ancestors(self, ident: str) -> list[str]:
        out: list[str] = []
        parent = self.places[ident].parent if ident in self.places else None
        while parent and parent not in out:
            out.append(parent)
            parent = self.places[parent].parent if parent in self.places else None
        return out


@dataclass(frozen=True)
class NameForm:
    """One name, taken apart. `key` is the name without its places and fillers (with its
    parent and ending); `core` is the key without parent and ending."""

    written: str
    places: tuple[PlaceRef, ...]  # broadest first
    level: str | None  # a level word without a place (省…), or "national"
    parent: str
    ordinals: frozenset[str]
    key: str
    suffix: str
    core: str
    #: a generic ending inside the core, when the name is named after another body
    #: (复旦大学附属妇产科医院专科联盟: core 妇产科医院, inner 妇产科医院, stem "")
    inner: str = ""

    @property
    def place(self) -> PlaceRef | None:
        """The most specific place the name states."""
        return self.places[-1] if self.places else None

    @property
    def stem(self) -> str:
        """The core without its inner ending."""
        return self.core[: len(self.core) - len(self.inner)]

    @property
    def generic(self) -> bool:
        """Only a place and a generic ending (郑州儿童医院): no name of its own."""
        return not self.core


def fold(name: str) -> str:
    """NFKC (full-width to half-width), lower case, without spaces and punctuation."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).lower() if ch.isalnum())


def expand(text: str, abbreviations: tuple[tuple[str, str], ...]) -> str:
    """Short forms written out (卫健委 -> 卫生健康委员会), long forms left as they are."""
    for short, long in abbreviations:
        if short not in text:
            continue
        out: list[str] = []
        i = 0
        while i < len(text):
            if text.startswith(long, i):
                out.append(long)
                i += len(long)
            elif text.startswith(short, i):
                out.append(long)
                i += len(short)
            else:
                out.append(text[i])
                i += 1
        text = "".join(out)
    return text


def normalise(name: str, lexicon: PlaceLexicon, rules: NameRules) -> NameForm:
    """`name` taken apart by the rules; what cannot be taken off stays in the core."""
    text = fold(name)
    level = NATIONAL if text.startswith(rules.national_prefixes) else None
    places, rest = leading_places(text, lexicon, rules)
    if not places and level is None:
        for word, word_level in rules.level_prefixes.items():
            if rest.startswith(word) and len(rest) - len(word) >= rules.min_chars:
                level, rest = word_level, rest[len(word) :]
                break
    rest = expand(rest, rules.abbreviations)
    parent = ""
    match = rules.parent_regex.match(rest)
    if match and len(rest) > match.end():
        parent, rest = match.group(1), rest[match.end() :]
        more, rest = leading_places(rest, lexicon, rules)
        places += more
    for filler in rules.fillers:
        rest = rest.replace(filler, "")
        parent = parent.replace(filler, "")
    suffix = next((s for s in rules.suffixes if rest.endswith(s)), "")
    core = rest[: len(rest) - len(suffix)]
    inner = next((s for s in rules.suffixes if core.endswith(s)), "") if suffix else ""
    ordinals = frozenset(rules.ordinal_regex.findall(text))
    key = parent + rest
    return NameForm(name, tuple(places), level, parent, ordinals, key, suffix, core, inner)


def leading_places(
    text: str, lexicon: PlaceLexicon, rules: NameRules
) -> tuple[list[PlaceRef], str]:
    """The places at the start of `text`, one after another, and what follows them.

    A place is taken off only when at least `min_chars` characters follow it, so a name
    that is only a place (长治市) keeps it.
    """
    places: list[PlaceRef] = []
    while True:
        found = _known_place(text, lexicon, rules) or _pattern_place(text, rules)
        if found is None:
            return places, text
        places.append(found)
        text = text[len(found.written) :]


def _known_place(text: str, lexicon: PlaceLexicon, rules: NameRules) -> PlaceRef | None:
    for name, ident in lexicon.by_name:
        if text.startswith(name) and len(text) - len(name) >= rules.min_chars:
            return lexicon.ref(ident, name)
    return None


def _pattern_place(text: str, rules: NameRules) -> PlaceRef | None:
    match = rules.place_regex.match(text)
    if match is None or len(text) - match.end() < rules.min_chars:
        return None
    written = match.group(0)
    ending = max((s for s in rules.place_levels if written.endswith(s)), key=len, default="")
    key = written[: len(written) - len(ending)] or written
    return PlaceRef(key, rules.place_levels.get(ending, "city"), written)


def with_located_place(form: NameForm, located: PlaceRef | None, lexicon: PlaceLexicon) -> NameForm:
    """The form with the entity's `located_in` among its places: where the name's own
    places do not say, or say something the curator's place contradicts
    (北京儿童医疗集团郑州儿童医院医联体 is in 郑州, not 北京)."""
    if located is None or located.id is None:
        return form
    ids = [place.id for place in form.places]
    if located.id in ids:
        return form
    if not form.places:
        return replace(form, places=(located,))
    last = form.place
    assert last is not None
    if last.id is None or located.id in lexicon.ancestors(last.id):
        return replace(form, places=(located, *form.places))  # broader, or cannot tell
    if last.id in lexicon.ancestors(located.id):
        return replace(form, places=(*form.places, located))  # more specific
    return replace(form, places=(located,))


def adopt_place(form: NameForm, other: NameForm) -> NameForm:
    """`form` read in the light of `other`: a name without a place that starts with the
    short form of the other's place has that place (十堰武当… beside 十堰市武当…)."""
    if form.places or form.level == NATIONAL:
        return form
    for place in reversed(other.places):
        short = place.key
        if len(short) >= 2 and form.key.startswith(short) and len(form.key) > len(short):
            key = form.key[len(short) :]
            core = form.core[len(short) :] if form.core.startswith(short) else form.core
            adopted = PlaceRef(place.key, place.level, short, place.id)
            return replace(form, places=(adopted,), key=key, core=core)
    return form
