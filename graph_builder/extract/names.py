"""Names in running text: where an organisation's name starts, what a name's level is,
and the object as the gold conventions write it (no quote marks, level or batch words).

Chinese writes no spaces, so a name's right end comes from its suffix (医院, 大学,
联盟 ...) and its left end from the word before it: a preposition or verb (与, 经,
加入, 托管 ...) or punctuation. Levels come from level words (全国, 省级), place
prefixes (X省, X市) and issuers (a national body such as 国家…委 or 中国…协会).
"""

from __future__ import annotations

import re
from functools import cache

from graph_builder.extract.vocab import vocab

NATIONAL, PROVINCIAL, MUNICIPAL = "national", "provincial", "municipal"
LEVEL_NAMES = (NATIONAL, PROVINCIAL, MUNICIPAL)
#: Characters a name can hold (CJK, Latin letters, digits, bracketed parts, the middle dot).
NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9（）()·\-+]")
QUOTE_MARKS = "“”‘’\"'「」『』《》"


@cache
def _place_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = vocab()
    provinces = "|".join(v.words("levels.provinces"))
    # a province the list names, or any two or three characters and 省 (names change,
    # and a report may use a short form the list lacks)
    province = re.compile(
        rf"(?:{provinces}){v.text('levels.province_suffix_regex')}|[\u4e00-\u9fff]{{2,3}}?省(?!级)"
    )
    city = re.compile(v.text("levels.city_regex"))
    county = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:县|区|旗)(?![级域])")
    return province, city, county


def place_at(text: str, pos: int = 0) -> tuple[str, int]:
    """The level of a place name starting at `pos` ('' for a county) and its end,
    or ('', pos) when no place starts there."""
    v = vocab()
    province, city, county = _place_patterns()
    if m := province.match(text, pos):
        return PROVINCIAL, m.end()
    if m := city.match(text, pos):
        # a two-character stretch before 市 must not run over a province word
        return MUNICIPAL, m.end()
    if m := county.match(text, pos):
        return "", m.end()
    for word in v.words("levels.bare_province"):
        if text.startswith(word, pos) and not text.startswith(word + "级", pos):
            return PROVINCIAL, pos + len(word)
    for word in v.words("levels.bare_city"):
        if text.startswith(word, pos) and not text.startswith(word + "级", pos):
            return MUNICIPAL, pos + len(word)
    return "", pos


def level_word_at(text: str, pos: int = 0) -> tuple[str, int]:
    """A level word (全国, 省级 ...) starting at `pos`: its level and end."""
    v = vocab()
    for level in LEVEL_NAMES:
        word = v.starts_with(text[pos:], f"levels.words.{level}")
        if word:
            return level, pos + len(word)
    return "", pos


def explicit_level(text: str) -> str:
    """The level named by a level word anywhere in `text` (a prefix such as 湖北省首批)."""
    v = vocab()
    for level in LEVEL_NAMES:
        if v.alt(f"levels.words.{level}").search(text):
            return level
    return ""


def name_level(name: str) -> str:
    """The level a name states by its beginning: 国家…/全国… national, X省… provincial,
    X市… municipal."""
    v = vocab()
    if v.starts_with(name, "levels.name_prefix.national"):
        return NATIONAL
    level, _ = level_word_at(name)
    if level:
        return level
    level, end = place_at(name)
    return level if end > 0 else ""


def issuer_level(issuer: str) -> str:
    """The level of an issuing body: national for a body (committee, association,
    centre ...) whose name starts with 国家/中国/全国; else the level of its place."""
    v = vocab()
    if not issuer or v.ends_with(issuer, "hospital_suffixes"):
        return ""
    if v.starts_with(issuer, "levels.national_body_prefix"):
        return NATIONAL if v.regex("levels.body_suffix_regex").search(issuer) else ""
    if v.regex("levels.body_suffix_regex").search(issuer):
        return name_level(issuer)
    return ""


def batch_in(text: str) -> str:
    """The batch word in `text` (首批, 第二批 ...), as written."""
    m = vocab().regex("batch_regex").search(text)
    return m.group() if m else ""


def strip_marks(name: str) -> str:
    return "".join(c for c in name if c not in QUOTE_MARKS).strip()


def clean_object(name: str, quoted: bool = False) -> str:
    """The object as the conventions write it: no quote marks, no leading level or batch
    words (全国首批“X” -> X); a place or 国家 inside the name stays. Inside quote marks
    only a 级 word goes (“国家级X” -> X, “全国X” stays)."""
    v = vocab()
    out = strip_marks(name)
    changed = True
    while changed and out:
        changed = False
        level, end = level_word_at(out)
        if level and quoted and not out[:end].endswith("级"):
            level = ""
        if level and len(out) - end >= 2:
            out, changed = out[end:], True
        m = v.regex("batch_regex").match(out)
        if m and len(out) - m.end() >= 2:
            out, changed = out[m.end() :], True
    return out.strip("，、 ")


def is_name_char(ch: str) -> bool:
    return bool(NAME_CHAR.match(ch))


def name_start(text: str, end: int, floor: int = 0, min_len: int = 2) -> int:
    """Where a name ending at `end` starts: after the last opener word (与, 加入, 托管 ...)
    or non-name character before it, keeping at least `min_len` characters."""
    v = vocab()
    i = end
    while i > floor and is_name_char(text[i - 1]):
        i -= 1
    # bracketed parts belong to a name only when closed within it
    run = text[i:end]
    cut = i
    limit = end - min_len
    for m in v.alt("layout.name_openers").finditer(run):
        if i + m.end() <= limit:
            cut = max(cut, i + m.end())
    return cut


def org_suffix(name: str) -> str:
    return vocab().ends_with(name, "institution_suffixes")


def is_org(name: str) -> bool:
    """A name that ends like an institution, with at least two characters before it that
    are not just generic words (上级医院, 县级医院 name no one)."""
    suffix = org_suffix(name)
    if not suffix or len(name) - len(suffix) < 2:
        return False
    return not generic_head(name[: len(name) - len(suffix)])


def generic_head(head: str) -> bool:
    """Whether the words before an institution suffix name no particular institution."""
    v = vocab()
    word = v.starts_with(head, "generic_org_heads")
    return bool(word) and len(head) - len(word) <= 2


def is_government(name: str) -> bool:
    return bool(vocab().ends_with(name, "government_suffixes"))


def is_hospital(name: str) -> bool:
    suffix = vocab().ends_with(name, "hospital_suffixes")
    return bool(suffix) and len(name) - len(suffix) >= 2 and not generic_head(name[: -len(suffix)])


def is_alliance(name: str) -> bool:
    """A named alliance: an alliance suffix after words that are not all generic."""
    v = vocab()
    suffix = v.ends_with(name, "alliance_suffixes")
    head = name[: len(name) - len(suffix)] if suffix else ""
    if not suffix or len(head) < 2:
        return False
    return not v.starts_with(head, "generic_alliance_heads") or len(head) >= 6


def without_department(name: str) -> str:
    """An institution named with one of its departments (…医院新生儿科): the institution."""
    v = vocab()
    dept = v.regex("department_regex")
    for suffix in v.words("institution_suffixes"):
        at = name.rfind(suffix)
        while at > 0:
            head, tail = name[: at + len(suffix)], name[at + len(suffix) :]
            if tail and dept.fullmatch(tail) and is_org(head):
                return head
            at = name.rfind(suffix, 0, at)
    return name


def partner_in(name: str, known: dict[str, str]) -> str:
    """The partner institution named at the start of a co-branded name (…医院X分院: the
    longest such start), or a known abbreviation it starts with; '' when there is none."""
    for short, full in sorted(known.items(), key=lambda kv: -len(kv[0])):
        if name.startswith(short) and len(name) > len(short) + 1:
            return full
    v = vocab()
    for i in range(len(name) - 2, 3, -1):
        head = name[:i]
        suffix = v.ends_with(head, "partner_suffixes")
        if suffix and is_org(head):
            return head
    return ""
