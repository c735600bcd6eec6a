"""Readable ASCII ids for what the extractor proposes, unique against everything in data/.

Ids go into IRIs and into the files a reviewer edits, so they are words, not hashes:
a known place becomes its id (长治市 -> `changzhi`, not the reading pypinyin would guess
for 长), a glossary term its slug (妇幼保健院 -> `mch`), Latin letters and digits stay
(PGT -> `pgt`), and the other Chinese characters become pinyin, a syllable each
unless pypinyin's segmenter knows the word (中医药 -> `zhongyiyao`). Long names keep
their first and last words, so the place and the kind of thing stay readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin
from pypinyin.seg.mmseg import seg

from graph_builder.ingest.ids import ID_PATTERN

#: Longest id minted for an entity; a fact's id (subject + object) may take twice as much.
MAX_SLUG_CHARS = 40
MAX_FACT_ID_CHARS = 64
#: Joining characters that only lengthen an id (与 "and", 的 "of" ...).
FILLER = frozenset("与和及的之")
#: What ends a place name at the start of a name (新乡市 -> `xinxiang`).
ADMIN_SUFFIXES = frozenset("省市县")
#: A run of Chinese characters, or of Latin letters and digits.
TOKEN = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")


def name_slug(name: str, lexicon: Mapping[str, str], limit: int = MAX_SLUG_CHARS) -> str:
    """An id-shaped slug for `name`; `lexicon` maps Chinese terms to the word they become."""
    parts: list[str] = []
    for token in TOKEN.findall(name):
        parts += _latin(token) if token.isascii() else _chinese(token, lexicon)
    return shorten([part for part in parts if part], limit) or "x"


def person_slug(name: str) -> str:
    """A person's name as pinyin `surname-givenname` (赵延兵 -> `zhao-yanbing`)."""
    if not re.fullmatch(r"[\u3400-\u9fff]{2,4}", name):
        return name_slug(name, {})
    syllables = _pinyin(name)
    return f"{syllables[0]}-{''.join(syllables[1:])}"


def shorten(parts: list[str], limit: int) -> str:
    """Join `parts` with '-', dropping words before the last until it fits in `limit`."""
    parts = list(parts)
    while len("-".join(parts)) > limit and len(parts) > 2:
        del parts[-2]
    return "-".join(parts)[:limit].strip("-")


def _latin(token: str) -> list[str]:
    return [token.lower()]


def _chinese(run: str, lexicon: Mapping[str, str]) -> list[str]:
    """Words for a run of Chinese characters: lexicon terms (longest first), else pinyin."""
    parts: list[str] = []
    pending = ""  # characters not in the lexicon, converted together for context
    index = 0
    while index < len(run):
        term = _longest_term(run, index, lexicon)
        if term is None:
            pending += run[index]
            index += 1
            continue
        parts += _pinyin_words(pending)
        pending = ""
        parts.append(lexicon[term])
        index += len(term)
    return parts + _pinyin_words(pending)


def _longest_term(run: str, index: int, lexicon: Mapping[str, str]) -> str | None:
    for end in range(len(run), index, -1):
        if run[index:end] in lexicon:
            return run[index:end]
    return None


def _pinyin_words(run: str) -> list[str]:
    """Pinyin words for `run`: a place name before 省/市/县 as one word without it
    (新乡市 -> `xinxiang`), a word pypinyin's segmenter knows as one word, and every other
    character its own syllable (guessing where words end would give wrong words)."""
    if not run:
        return []
    syllables = _pinyin(run)  # the whole run at once: pypinyin reads heteronyms in context
    place = _place_prefix(run)
    words = ["".join(syllables[:place])] if place else []
    index = place + 1 if place else 0
    for word in seg.cut(run[index:]):
        joined = "".join(syllables[index : index + len(word)])
        index += len(word)
        if word not in FILLER:
            words.append(joined)
    return words


def _place_prefix(run: str) -> int:
    """How many characters name a place at the start of `run` (0 if none seems to):
    two or three characters followed by 省, 市 or 县."""
    for size in (2, 3):
        if len(run) > size and run[size] in ADMIN_SUFFIXES:
            return size
    return 0


def _pinyin(text: str) -> list[str]:
    """One lower-case ASCII syllable per character of a Chinese run (a character pypinyin
    cannot read becomes its code point in hex). Read as a whole for context, else one by
    one if pypinyin did not give one syllable per character."""
    syllables = lazy_pinyin(text, errors="replace")
    if len(syllables) != len(text):
        syllables = ["".join(lazy_pinyin(char, errors="replace")) for char in text]
    return [re.sub(r"[^a-z0-9]", "", syllable.lower()) for syllable in syllables]


@dataclass
class IdRegistry:
    """Every id already used (in data/, in candidate files); `claim` hands out new ones."""

    taken: set[str] = field(default_factory=set)

    def claim(self, base: str) -> str:
        """`base`, or `base-2`, `base-3` ... whichever is free; it is then taken."""
        if not ID_PATTERN.fullmatch(base):
            raise ValueError(f"not an id: {base!r}")
        ident, n = base, 2
        while ident in self.taken:
            ident, n = f"{base}-{n}", n + 1
        self.taken.add(ident)
        return ident

    def reserve(self, ids: Iterable[str]) -> None:
        self.taken.update(ids)


def fact_slug(subject_id: str, object_slug: str) -> str:
    """A fact's id base: its subject's id and its object's slug, within MAX_FACT_ID_CHARS.

    The object's first word is dropped when it repeats the subject's (`jiaozuo-mch` and
    `jiaozuo-...-key-lab` give `jiaozuo-mch-...-key-lab`).
    """
    subject, obj = subject_id.split("-"), object_slug.split("-")
    if len(obj) > 1 and obj[0] == subject[0]:
        obj = obj[1:]
    return shorten([*subject, *obj], MAX_FACT_ID_CHARS)
