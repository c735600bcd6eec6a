"""The extraction rules, one module per kind of statement. Each rule is a function
`rule(ctx) -> None` that proposes candidates through `ctx.emit`; `RULES` runs them in
order (titles first, so narrative rules can skip what a list item already said)."""

from __future__ import annotations

from collections.abc import Callable

from graph_builder.extract.context import Context
from graph_builder.extract.rules import aliases, conferrals, events, posts, ties

Rule = Callable[[Context], None]

RULES: tuple[Rule, ...] = (
    conferrals.list_items,
    conferrals.tribute_boxes,
    conferrals.quoted_titles,
    conferrals.narrative_names,
    conferrals.count_lists,
    conferrals.announcements,
    conferrals.grade_mentions,
    conferrals.hosted_designations,
    conferrals.named_recipients,
    conferrals.numbered_recipients,
    ties.copula_lists,
    ties.member_lists,
    ties.leads,
    ties.joins,
    ties.with_partner,
    ties.managed,
    ties.referred_roles,
    ties.hosts_and_joint_programmes,
    aliases.bracketed_names,
    aliases.added_plaques,
    posts.posts,
    events.openings,
    events.foundings,
    events.ceremonies,
    events.banners,
)
