"""Dated events: openings, foundings, named meetings and ceremonies.

An event needs a date in its own sentence (5月6日，医院北院区正式开诊) or, for a
banner in a photo (…启动会 / … / 2023年7月12日), on a line just below it. A conferral
or tie that carries a date is not repeated as an event.
"""

from __future__ import annotations

import re

from graph_builder.extract.context import Context
from graph_builder.extract.dates import FULL, When
from graph_builder.extract.names import strip_marks
from graph_builder.extract.vocab import vocab

LEAD = re.compile(
    r"^(?:[0-9]{2,4}年|[0-9]{1,2}月|[0-9]{1,2}日|上午|下午|晚上|同日|当日|同月|这一年|同年|[，,\s])+"
)
SELF_LEAD = re.compile(r"^(?:医院|该院|本院|我院)")
FACILITY = re.compile(
    r"(?:院区|病区|中心|大楼|楼|门诊|分院|科|部|室|基地|病房|医院|平台|工程)(?:（[^）]*）)?$"
)


def _opening_name(ctx: Context, cs: int, end: int) -> str:
    text = ctx.doc.flat[cs:end]
    text = LEAD.sub("", text)
    text = SELF_LEAD.sub("", text)
    if ctx.subject and text.startswith(ctx.subject):
        text = text[len(ctx.subject) :]
    return text


def openings(ctx: Context) -> None:
    """<facility>正式开诊/启用/投用 … and 增设“科室” with a date in the sentence."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    for m in v.alt("events.opening").finditer(flat):
        when = ctx.timeline.in_sentence(m.start())
        if when is None:
            continue
        cs, _ = doc.clause(m.start())
        name = _opening_name(ctx, cs, m.start())
        subject_part = re.sub(r"正式$|顺利$|成功$", "", name)
        if not subject_part or not FACILITY.search(subject_part) or "“" in name:
            continue
        start = m.start() - len(name)
        ctx.emit("event", doc.name(start, m.end()), (cs, m.end()), "opening", when=when)
    for m in v.alt("events.unit_opening").finditer(flat):
        q = re.match(r"“([^“”]{2,30})”", flat[m.end() :])
        when = ctx.timeline.in_sentence(m.start())
        if not q or when is None:
            continue
        end = m.end() + q.end()
        ctx.emit(
            "event",
            strip_marks(doc.name(m.start(), end)),
            (m.start(), end),
            "unit-opening",
            when=when,
        )


def foundings(ctx: Context) -> None:
    """始建于1950年 / 成立于…年."""
    flat = ctx.doc.flat
    for m in vocab().regex("events.founding_regex").finditer(flat):
        year = int(m.group(1))
        ctx.emit(
            "event",
            ctx.doc.name(m.start(), m.end()),
            (m.start(), m.end()),
            "founding",
            subject=ctx.actor(ctx.doc.clause(m.start())[0], m.start()),
            when=When(year),
        )


def ceremonies(ctx: Context) -> None:
    """<date>，<name>大会/仪式 在…召开/举行: a named meeting with its date."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    nouns = v.alt("events.ceremony_nouns").pattern
    held = v.alt("events.held_verbs").pattern
    pattern = re.compile(rf"({nouns})(?:在[^，。；]{{1,30}}?)?(?:{held})")
    for m in pattern.finditer(flat):
        when = ctx.timeline.in_sentence(m.start())
        if when is None or when.month is None:
            continue
        cs, _ = doc.clause(m.start())
        start, end = _ceremony_name(flat, cs, m.end(1))
        if end - start < 4:
            continue
        ctx.emit("event", doc.name(start, end), (cs, m.end()), "ceremony", when=when)


def _ceremony_name(flat: str, start: int, end: int) -> tuple[int, int]:
    """The span of a ceremony's name in `start`..`end` (a clause up to its noun): after
    the date and after the partners (X与Y（…）共建签约暨授牌仪式), and up to the first
    ceremony noun before 暨 (…成立大会暨首届…论坛 is the 成立大会)."""
    text = flat[start:end]
    lead = LEAD.match(text)
    cut = lead.end() if lead else 0
    if "与" in text[cut:]:
        bracket = text.rfind("）")
        if bracket >= cut:
            cut = bracket + 1
        else:
            for m in re.finditer(r"医院|大学|学院|中心|政府", text):
                if m.start() > text.find("与"):
                    cut = m.end()
    first = re.match(rf"(.+?(?:{vocab().alt('events.ceremony_nouns').pattern}))暨", text[cut:])
    stop = cut + len(first.group(1)) if first else len(text)
    return start + cut, start + stop


def banners(ctx: Context) -> None:
    """A photographed banner: a short line naming a meeting, a full date on its own line
    at most three lines below (the nearest such line above the date)."""
    doc, v = ctx.doc, vocab()
    nouns = v.alt("events.ceremony_nouns")
    for i, line in enumerate(doc.lines):
        text = doc.flat[line.start : line.end].strip()
        m = FULL.fullmatch(text)
        if not m or not m.group(3):
            continue
        for back in range(1, 4):
            if i - back < 0:
                break
            above = doc.lines[i - back]
            name = doc.flat[above.start : above.end].strip()
            noun = nouns.search(name)
            if len(name) <= 30 and noun and name.endswith(noun.group()):
                when = ctx.timeline.in_sentence(line.start)
                ctx.emit(
                    "event",
                    doc.name(above.start, above.end),
                    (above.start, line.end),
                    "banner",
                    when=when,
                )
                break
