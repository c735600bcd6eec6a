"""Reading a title: a stretch that names a designation, a tie or a grade and nothing else.

Reports list what a hospital holds as titles: bullet items (- 湖北省首批“…中心”), the
parts of 医院是A、B、C, the lines of a tribute box. A title is
    [level word | place | issuer]* [batch] (“name” [和“name”]* [suffix] | name) [role]
and this module turns one into candidates: a grade with the names in brackets after
it, a tie when it ends with a role (…协作医院, …联盟成员单位), else designations.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from graph_builder.extract.context import Context
from graph_builder.extract.dates import When
from graph_builder.extract.names import (
    NATIONAL,
    batch_in,
    clean_object,
    is_alliance,
    is_org,
    issuer_level,
    level_word_at,
    name_level,
    place_at,
    strip_marks,
)
from graph_builder.extract.vocab import vocab

QUOTE = re.compile(r"“([^“”]+)”")
UNIT = re.compile(r"[（(]([^（）()]{1,12})[)）]$")
TRAILING = "。；，、 ：:;,.！"


@dataclass(frozen=True)
class Reading:
    """How a title was read, for the caller: how many candidates it gave."""

    count: int


def split_top(text: str) -> list[tuple[int, int]]:
    """Spans of the parts of `text` separated by 、 or ， outside quotes and brackets."""
    parts: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "“（(":
            depth += 1
        elif ch in "”）)":
            depth = max(0, depth - 1)
        elif ch in "、，" and depth == 0:
            parts.append((start, i))
            start = i + 1
    parts.append((start, len(text)))
    return [(s, e) for s, e in parts if e > s]


def designation_kind(name: str, honour: bool = False) -> str:
    """grade, key-lab, honour or designation, by the name's ending."""
    v = vocab()
    if v.regex("designations.grade_regex").fullmatch(name):
        return "grade"
    if v.ends_with(name, "designations.key_lab_suffixes"):
        return "key-lab"
    if honour or v.ends_with(name, "designations.honour_suffixes"):
        return "honour"
    return "designation"


def has_designation_suffix(name: str) -> bool:
    v = vocab()
    base = UNIT.sub("", name)
    return bool(
        v.ends_with(base, "designations.designation_suffixes")
        or v.ends_with(base, "designations.honour_suffixes")
        or v.ends_with(base, "designations.key_lab_suffixes")
    )


def continuation(tail: str) -> str:
    """Words after a closing quote that belong to the name (“…”临床应用试点, “…”A+等级):
    a short run of name characters that ends like a designation."""
    if not tail or len(tail) > 12 or re.match(r"[等和与及的、]", tail):
        return ""
    if re.search(r"[，。；：“”\s]", tail) or not has_designation_suffix(tail):
        return ""
    verbs = vocab().alt("verbs.granted", "verbs.applied", "verbs.planned", "verbs.in_preparation")
    return "" if verbs.search(tail) else tail


def unit_of(name: str) -> str:
    m = UNIT.search(name)
    return m.group(1) if m else ""


def read_prefix(prefix: str) -> tuple[str, str, str, str]:
    """Level, level source, batch and issuer in the words before a quoted title
    (全国首批, 湖北省第三批, 国家…委第二批, 中国…协会)."""
    level, source = "", ""
    rest = prefix.strip()
    batch = batch_in(rest)
    if batch:
        rest = rest.replace(batch, " ", 1)
    issuer = ""
    for part in rest.split():
        pos = 0
        while pos < len(part):
            word_level, end = level_word_at(part, pos)
            if word_level:
                level, source, pos = word_level, "word", end
                continue
            place_level, end = place_at(part, pos)
            if end > pos and end == len(part) and place_level:
                level, source = level or place_level, source or "place"
                pos = end
                continue
            break
        remainder = part[pos:]
        if remainder in vocab().words("levels.name_prefix.national") and not level:
            level, source = NATIONAL, "word"  # 国家首批 (the batch taken out above)
            continue
        if remainder and not issuer and len(remainder) >= 2:
            issuer = remainder
    if issuer and not level:
        level = issuer_level(issuer)
        source = "issuer" if level else ""
        if not level:
            place_level, end = place_at(issuer)
            if end and place_level and not is_org(issuer):
                level, source = place_level, "place"
    return level, source, batch, issuer


def read_title(
    ctx: Context,
    start: int,
    end: int,
    rule: str,
    *,
    subject: str | None = None,
    status: str = "granted",
    when: When | None = None,
    honour: bool = False,
    anchored: bool = False,
) -> Reading:
    """Candidates stated by the title at flat `start`..`end`. With `anchored`, an
    unquoted designation needs a level word, place or issuer before it."""
    flat = ctx.doc.flat
    while end > start and flat[end - 1] in TRAILING:
        end -= 1
    while start < end and flat[start] in " ":
        start += 1
    text = flat[start:end]
    if len(text) < 3:
        return Reading(0)
    emit_at = (start, end)
    v = vocab()

    grade = v.regex("designations.grade_regex").match(text)
    if grade:
        return _grade(ctx, text, start, grade, emit_at, rule, subject, when)

    role = v.ends_with(text, "ties.alliance_roles") or v.ends_with(text, "ties.partnership_roles")
    if role and len(text) > len(role) + 2:
        return _tie(ctx, text[: -len(role)], role, emit_at, rule, subject, status, when)

    quotes = list(QUOTE.finditer(text))
    if quotes:
        return _quoted(ctx, text, quotes, emit_at, rule, subject, status, when, honour)
    return _plain(ctx, text, emit_at, rule, subject, status, when, honour, anchored)


def _grade(
    ctx: Context,
    text: str,
    start: int,
    grade: re.Match[str],
    emit_at: tuple[int, int],
    rule: str,
    subject: str | None,
    when: When | None,
) -> Reading:
    ctx.emit(
        "grade",
        grade.group(),
        emit_at,
        f"{rule}:grade",
        subject=subject,
        status="granted",
        when=when,
    )
    count = 1
    bracket = re.search(r"[（(]([^（）()]+)[)）]", text[grade.end() :])
    if bracket:
        for name in re.split(r"[\s、，]+", bracket.group(1)):
            if is_org(name):
                ctx.emit(
                    "alias",
                    ctx.doc.name(*_find(ctx, name, start)),
                    emit_at,
                    f"{rule}:alias",
                    subject=subject,
                )
                count += 1
    return Reading(count)


def _find(ctx: Context, name: str, near: int) -> tuple[int, int]:
    at = ctx.doc.flat.find(name, near)
    return (at, at + len(name)) if at >= 0 else (near, near)


def _tie(
    ctx: Context,
    head: str,
    role: str,
    emit_at: tuple[int, int],
    rule: str,
    subject: str | None,
    status: str,
    when: When | None,
) -> Reading:
    v = vocab()
    head = head.rstrip("的之")
    quotes = list(QUOTE.finditer(head))
    # a national study or programme one is a member of: a conferral, not an alliance
    if quotes and (head[: quotes[0].start()] or v.alt("levels.words.national").match(head)):
        level, source, batch, issuer = read_prefix(head[: quotes[0].start()])
        name = quotes[0].group(1)
        extra = {"role": role, "level_from": source} | ({"issuer": issuer} if issuer else {})
        ctx.emit(
            "designation",
            clean_object(name),
            emit_at,
            f"{rule}:programme",
            subject=subject,
            level=level or name_level(name),
            batch=batch,
            status=status,
            when=when,
            extra=extra,
        )
        return Reading(1)
    org = strip_marks(head)
    if not (is_org(org) or is_alliance(org)):
        return Reading(0)
    alliance = role in v.words("ties.alliance_roles")
    kind = "alliance-membership" if alliance else "partnership"
    ctx.emit(
        kind, org, emit_at, f"{rule}:role", subject=subject, role=role, status=status, when=when
    )
    return Reading(1)


def _quoted(
    ctx: Context,
    text: str,
    quotes: list[re.Match[str]],
    emit_at: tuple[int, int],
    rule: str,
    subject: str | None,
    status: str,
    when: When | None,
    honour: bool,
) -> Reading:
    first, last = quotes[0], quotes[-1]
    between = [text[a.end() : b.start()] for a, b in itertools.pairwise(quotes)]
    if any(not re.fullmatch(r"[和与及、\s]*", b) for b in between):
        return Reading(0)
    level, source, batch, issuer = read_prefix(text[: first.start()])
    tail = text[last.end() :]
    after = continuation(tail)
    if tail and not after:
        return Reading(0)
    count = 0
    for q in quotes:
        name = q.group(1) + (after if q is last else "")
        if not (has_designation_suffix(name) or honour or after or issuer or level):
            continue
        obj = clean_object(name, quoted=True)
        own_level = level or name_level(q.group(1))
        src = source or ("name" if own_level else "")
        extra = {"level_from": src} | ({"issuer": issuer} if issuer else {})
        if unit := unit_of(obj):
            extra["unit"] = unit
        ctx.emit(
            designation_kind(obj, honour),
            obj,
            emit_at,
            f"{rule}:quoted",
            subject=subject,
            level=own_level,
            batch=batch or batch_in(q.group(1)),
            status=status,
            when=when,
            extra=extra,
        )
        count += 1
    return Reading(count)


def _plain(
    ctx: Context,
    text: str,
    emit_at: tuple[int, int],
    rule: str,
    subject: str | None,
    status: str,
    when: When | None,
    honour: bool,
    anchored: bool,
) -> Reading:
    v = vocab()
    pos, level, source = 0, "", ""
    while True:
        word_level, end = level_word_at(text, pos)
        if not word_level:
            break
        level, source, pos = word_level, "word", end
    m = v.regex("batch_regex").match(text, pos)
    batch = m.group() if m else ""
    if m:
        pos = m.end()
    body = re.sub(v.text("designations.prize_regex") + "$", "", text[pos:])
    names = _split_and(body)
    if not names:
        return Reading(0)
    head_level = level or name_level(names[0])
    head_source = source or ("name" if head_level else "")
    if anchored and not head_level:
        return Reading(0)
    count = 0
    for name in names:
        extra = {"level_from": head_source}
        if unit := unit_of(name):
            extra["unit"] = unit
        ctx.emit(
            designation_kind(name, honour),
            clean_object(name),
            emit_at,
            f"{rule}:name",
            subject=subject,
            level=head_level,
            batch=batch,
            status=status,
            when=when,
            extra=extra,
        )
        count += 1
    return Reading(count)


def _split_and(body: str) -> list[str]:
    """`A和B` as two names when both end like designations (X市甲中心和乙中心)."""
    if not has_designation_suffix(body) or re.search(r"[“”，。；：]|的|[0-9]{4}年", body):
        return []
    verb = vocab().alt("verbs.granted", "verbs.applied", "verbs.in_preparation").search(body)
    if verb and verb.start() > 0:
        return []
    parts = re.split(r"和|、|及", body)
    if len(parts) > 1 and all(has_designation_suffix(p) and len(p) >= 4 for p in parts):
        return parts
    return [body]
