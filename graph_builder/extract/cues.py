"""Status and trap cues around a name: planned, applied, in preparation or granted; and
the words that make a mention no fact at all (a negation, a rumour, an aspiration, a
hospital's own unit, a research grant).
"""

from __future__ import annotations

from graph_builder.extract.vocab import vocab

GRANTED, APPLIED, PLANNED, IN_PREPARATION = "granted", "applied", "planned", "in-preparation"


def status(before: str, after: str = "") -> str:
    """The status the words `before` a name (from its clause start) and right `after` it
    give: 计划申报/拟 planned, 正在筹建 in preparation, 申报/提交 applied (unless a grant
    follows: 申报的“…”获批建设), else granted."""
    v = vocab()
    if v.alt("verbs.planned").search(before):
        return PLANNED
    if v.alt("verbs.in_preparation").search(before):
        return IN_PREPARATION
    if v.alt("verbs.applied").search(before) or v.alt("verbs.applied").match(after.lstrip("”")):
        if v.alt("verbs.granted_after").match(after.lstrip("”")):
            return GRANTED
        return APPLIED
    if after.lstrip("”").startswith(("建设项目申报", "申报")):
        return APPLIED
    return GRANTED


def negated(clause_before: str) -> bool:
    return bool(vocab().alt("verbs.negation").search(clause_before))


def rumour(sentence: str) -> bool:
    return bool(vocab().alt("verbs.rumour").search(sentence))


def aspiration(clause_before: str, name: str, after: str) -> bool:
    """An aim, not a fact: 建设成为…, 打造…, “建设…中心”的目标, 朝着…的目标."""
    v = vocab()
    cues = v.alt("verbs.aspiration")
    if cues.search(clause_before) or cues.search(name):
        return True
    return after.lstrip("”").startswith(("的目标", "目标", "的愿景"))


def internal(verb: str) -> bool:
    """A verb that sets up the hospital's own unit or service (开设, 组建 ...)."""
    return verb in vocab().words("verbs.internal")


def research(text: str) -> bool:
    return bool(vocab().alt("verbs.research").search(text))


def blocked(clause_before: str, name: str, after: str, sentence: str) -> bool:
    """Whether a mention must not become a candidate."""
    return (
        negated(clause_before)
        or rumour(sentence)
        or aspiration(clause_before, name, after)
        or research(name)
    )
