"""Alternative names: official second names only.

A hospital's second name is written in brackets after its main name (X医院（Y医院）) or
added as a plaque (加挂“Y”牌子); a plaque that carries a partner's name (加挂“X医院Y分院”
牌子) is co-branding instead. Abbreviations (以下简称“…”) and the idiom 挂块牌子 are not
names.
"""

from __future__ import annotations

import re

from graph_builder.extract.context import Context
from graph_builder.extract.names import is_hospital, partner_in
from graph_builder.extract.subject import hospital_names
from graph_builder.extract.vocab import vocab

BRACKET = re.compile(r"（([^（）]{4,60})）")


def bracketed_names(ctx: Context) -> None:
    """X医院（Y医院 Z医院）: each bracketed hospital name is X's alias."""
    flat = ctx.doc.flat
    for s, e in hospital_names(flat):
        m = BRACKET.match(flat, e)
        if (
            not m
            or "简称" in m.group(1)
            or vocab().regex("designations.grade_regex").search(flat[s:e])
        ):
            continue
        names = [n for n in re.split(r"[\s、，]+", m.group(1)) if n]
        if not names or not all(is_hospital(n) for n in names):
            continue
        owner = ctx.resolve(ctx.doc.name(s, e))
        for name in names:
            at = flat.find(name, m.start())
            ctx.emit(
                "alias",
                ctx.doc.name(at, at + len(name)),
                (s, m.end()),
                "bracketed-name",
                subject=owner,
            )


def added_plaques(ctx: Context) -> None:
    """加挂“Y”牌子: the hospital's second name, dated when the text dates it."""
    doc = ctx.doc
    for m in vocab().regex("aliases.add_plaque_regex").finditer(doc.flat):
        name = m.group(1)
        cs, _ = doc.clause(m.start())
        owner = ctx.actor(cs, m.start())
        partner = ctx.resolve(partner_in(name, ctx.abbreviations))
        if partner and partner != owner:
            ctx.emit(
                "co-branding",
                doc.name(*m.span(1)),
                (m.start(), m.end()),
                "added-plaque:partner",
                subject=owner,
                role=vocab().text("ties.co_brand_role"),
                status="granted",
                when=ctx.when(m.start(), "granted"),
                extra={"partner": partner},
            )
        elif is_hospital(name):
            ctx.emit(
                "alias",
                doc.name(*m.span(1)),
                (m.start(), m.end()),
                "added-plaque",
                subject=owner,
                when=ctx.timeline.in_sentence(m.start()),
            )
