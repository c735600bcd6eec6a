"""Posts: who is the hospital's 院长 or 党委书记.

A post is written before the person (医院党委书记张三说, 院长：李四) or given by a
verb (王五任医院院长). Deputies and other heads (副院长, 执行院长, 科主任, 联盟理事长)
are not the hospital's head. The person's name comes from the lexical analyser (its
person tag), else from a surname and the word that follows a name (说, 表示 ...).
"""

from __future__ import annotations

import re

from graph_builder.extract import analyser
from graph_builder.extract.context import Context
from graph_builder.extract.names import is_hospital, name_start, without_department
from graph_builder.extract.vocab import vocab

#: How far after a post the person's name may start (院长：李四).
WINDOW = 10


def person_after(text: str, start: int) -> tuple[int, int] | None:
    """The person's name starting at `start` in `text`."""
    v = vocab()
    window = text[start : start + WINDOW]
    found = analyser.person_at(window, 0)
    if found and 2 <= found[1] <= 4:
        return start, start + found[1]
    surname = v.regex("posts.surnames_regex").match(window)
    if not surname:
        return None
    after = v.alt("posts.after_name")
    for length in (2, 1):
        end = surname.end() + length
        if end <= len(window) and re.fullmatch(r"[\u4e00-\u9fff]+", window[:end]):
            rest = window[end:]
            if not rest or rest[0] in "，。、；：！？\n “”" or after.match(rest):
                return start, start + end
    return None


def person_before(text: str, end: int) -> tuple[int, int] | None:
    """The person's name ending at `end` (王五|任医院院长)."""
    start = max(0, end - WINDOW)
    window = text[start:end]
    for s, e in analyser.spans(window, "PER"):
        if e == len(window) and 2 <= e - s <= 4:
            return start + s, end
    m = re.search(rf"(?:{vocab().text('posts.surnames_regex')})[\u4e00-\u9fff]{{1,2}}$", window)
    if m and (m.start() == 0 or window[m.start() - 1] in "，。、；：\n "):
        return start + m.start(), end
    return None


def posts(ctx: Context) -> None:
    """院长X / 党委书记：X (the holder after the post) and X任医院院长 (before it)."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    not_before = v.words("posts.not_before")
    self_only = set(v.words("posts.self_only"))
    for m in v.alt("posts.titles").finditer(flat):
        before = flat[max(0, m.start() - 4) : m.start()]
        if any(before.endswith(w) for w in not_before) and not before.endswith(("医院", "保健院")):
            continue
        if m.group() in self_only and not _named_self(ctx, m.start()):
            continue
        # 党委书记、院长：X: each post of a chain is held by the one person after it
        chain = re.compile(rf"(?:[、和兼](?:{v.alt('posts.titles').pattern}))*[：:]?")
        pos = chain.match(flat, m.end()).end()  # type: ignore[union-attr]
        person = person_after(flat, pos)
        subject: str | None
        when = None
        if person is not None:
            subject = _post_subject(ctx, m.start())
        else:
            appointed = _appointed(ctx, m.start())
            if appointed is None:
                continue
            person, subject = appointed
            when = ctx.timeline.in_sentence(m.start())
        if subject is None:
            continue
        quote = (min(person[0], m.start()), max(person[1], m.end()))
        ctx.emit(
            "post", doc.name(*person), quote, "post", subject=subject, role=m.group(), when=when
        )


def _named_self(ctx: Context, pos: int) -> bool:
    """Whether the words right before `pos` name the report's own institution (中心主任)."""
    flat = ctx.doc.flat
    head = flat[name_start(flat, pos, max(0, pos - 40)) : pos]
    return bool(head) and (head == ctx.subject or ctx.is_self(head))


def _appointed(ctx: Context, title_at: int) -> tuple[tuple[int, int], str] | None:
    """X任[医院]院长: the person before the verb and the hospital between it and the post."""
    flat = ctx.doc.flat
    window_start = max(0, title_at - 24)
    verb = None
    for found in vocab().alt("posts.appoint").finditer(flat, window_start, title_at):
        verb = found
    if verb is None:
        return None
    between = flat[verb.end() : title_at]
    if re.search(r"[，。；、]", between):
        return None
    person = person_before(flat, verb.start())
    if person is None:
        return None
    if not between or ctx.is_self(between):
        return person, ctx.subject
    return (person, ctx.resolve(between)) if is_hospital(between) else None


def _post_subject(ctx: Context, pos: int) -> str | None:
    """The hospital whose post it is: named right before the post, or the last hospital
    named earlier in the sentence, or the report's hospital; None for a department's or
    another body's post."""
    flat = ctx.doc.flat
    start = name_start(flat, pos, max(0, pos - 40))
    head = flat[start:pos]
    head = re.sub(r"党委$", "", head)
    if head in ctx.abbreviations:  # 岭大儿院院长X: a short name the report declared
        return ctx.resolve(head)
    if head:
        org = without_department(head)
        if org != head and not is_hospital(org):
            return None
        if is_hospital(org):
            return ctx.resolve(org)
        if ctx.is_self(head):
            return ctx.subject
        if re.search(r"[科部处室组会]$", head):
            return None
    ss, _ = ctx.doc.sentence(pos)
    named = [flat[s:e] for s, e in _hospitals(flat, ss, pos)]
    return ctx.resolve(named[-1]) if named else ctx.subject


def _hospitals(flat: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in vocab().alt("hospital_suffixes").finditer(flat, start, end):
        s = name_start(flat, m.end(), start, min_len=len(m.group()))
        if is_hospital(flat[s : m.end()]):
            out.append((s, m.end()))
    return out
