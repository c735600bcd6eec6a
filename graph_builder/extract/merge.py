"""One candidate per fact: mentions of the same fact merged, their attributes combined.

Reports repeat facts (a summary, then the dated detail; a list item, then the
narrative). Mentions with the same kind group, subject, object (after dropping level
words, quote marks and brackets' width) and unit are one fact; so are near-identical
objects (儿科医师培训基地 / 儿科医生培训基地) and an event named in full or in
part. The merged candidate keeps the best-ranked mention's quote and takes each
attribute from the mention that states it most directly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from graph_builder.extract.candidates import GROUPS, Candidate
from graph_builder.extract.names import clean_object
from graph_builder.extract.subject import bigrams

#: Where a level came from, most direct first.
LEVEL_SOURCES = ("word", "issuer", "place", "name", "")
#: How far to trust a status when mentions disagree.
STATUS_ORDER = ("granted", "applied", "in-preparation", "planned", "")
#: Rules whose role words beat a role inferred from a verb.
VERB_ROLES = ("with-partner", "join", "host", "joint-programme")


def key_name(name: str) -> str:
    return unicodedata.normalize("NFKC", clean_object(name)).lower().replace(" ", "")


def _similar(a: str, b: str, threshold: float = 0.8) -> bool:
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= threshold


def _same(a: Candidate, b: Candidate, x: str, y: str) -> bool:
    """Whether two candidates of one group and subject (objects keyed `x`, `y`) are one fact."""
    if a.extra.get("unit", "") != b.extra.get("unit", ""):
        return False
    if a.kind == "honour" and a.year != b.year and a.year and b.year:
        return False
    if a.kind == "post" and a.role and b.role and a.role != b.role:
        return False  # one person, two posts (党委书记、院长：X)
    if x == y:
        return True
    if a.kind == "event" and (x in y or y in x):
        return True
    return GROUPS.get(a.kind) == "conferral" and a.level == b.level and _similar(x, y)


def _rank(c: Candidate) -> tuple[int, int]:
    """Mentions that state a fact most fully come first."""
    filled = sum(bool(x) for x in (c.level, c.batch, c.role, c.status, c.year))
    direct = 0 if any(c.rule.startswith(r) for r in VERB_ROLES) else 1
    return (direct, filled)


def merge(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates with every repeated fact merged into one, in first-mention order."""
    groups: list[list[Candidate]] = []
    keys: list[str] = []
    by_scope: dict[tuple[str, str], list[int]] = {}
    for cand in candidates:
        key = key_name(cand.object)
        scope = by_scope.setdefault((GROUPS.get(cand.kind, cand.kind), cand.subject), [])
        for i in scope:
            if _same(groups[i][0], cand, keys[i], key):
                groups[i].append(cand)
                break
        else:
            scope.append(len(groups))
            groups.append([cand])
            keys.append(key)
    return [_combine(g) for g in groups]


def _combine(group: list[Candidate]) -> Candidate:
    best = max(group, key=_rank)
    out = Candidate(**{**best.__dict__, "extra": dict(best.extra)})
    by_level = sorted(
        (c for c in group if c.level),
        key=lambda c: (
            LEVEL_SOURCES.index(str(c.extra.get("level_from", "")))
            if str(c.extra.get("level_from", "")) in LEVEL_SOURCES
            else 4
        ),
    )
    if by_level:
        out.level = by_level[0].level
    out.batch = out.batch or next((c.batch for c in group if c.batch), "")
    if not out.role or any(out.rule.startswith(r) for r in VERB_ROLES):
        direct = [
            c.role for c in group if c.role and not any(c.rule.startswith(r) for r in VERB_ROLES)
        ]
        out.role = direct[0] if direct else out.role or next((c.role for c in group if c.role), "")
    statuses = [c.status for c in group if c.status]
    if statuses:
        out.status = min(statuses, key=STATUS_ORDER.index)
    dated = sorted(
        (c for c in group if c.year),
        key=lambda c: (-("date" in c.extra), -("month" in c.extra)),
    )
    if dated:
        out.year = dated[0].year
        for k in ("date", "month"):
            if k in dated[0].extra:
                out.extra[k] = dated[0].extra[k]
    for c in group:
        for k, val in c.extra.items():
            out.extra.setdefault(k, val)
    out.confidence = max(c.confidence for c in group)
    others = sorted({(c.start, c.end) for c in group} - {(out.start, out.end)})
    if others:  # where else the text states it: evidence for what the quote lacks
        out.extra["mentions"] = [list(span) for span in others]
    signals = sorted({c.rule for c in group})
    if len(signals) > 1:
        out.extra["signals"] = signals
    return out
