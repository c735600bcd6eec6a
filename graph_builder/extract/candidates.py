"""A candidate fact: what the extractor proposes from one stretch of a report's text.

This is the contract between the extractor (engine.py), the reviewer's file
(candidates_file.py) and the evaluation: `to_json()` gives the fields the scorer in
tests/fixtures/extraction/evaluate.py reads. Names are as written in the text; linking
them to the graph's ids happens later (linking.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Kinds of candidate, in the order reports usually state them, with the group each
#: belongs to (the scorer's groups; a group is one record type of data/facts but alias,
#: which is a naming record).
GROUPS = {
    "grade": "conferral",
    "designation": "conferral",
    "honour": "conferral",
    "key-lab": "conferral",
    "alliance-membership": "tie",
    "partnership": "tie",
    "co-branding": "tie",
    "alias": "alias",
    "post": "post",
    "event": "event",
}
KINDS = tuple(GROUPS)
LEVELS = ("national", "provincial", "municipal")
STATUSES = ("granted", "in-preparation", "planned", "applied")


@dataclass
class Candidate:
    """One proposed fact with its evidence.

    `subject` and `object` are names as written (the object without quote marks,
    level and batch words); `role` is as written (牵头单位, 挂牌, 院长 ...); `batch` as
    written (首批); `level` and `status` from the lists above or empty. `quote` is
    verbatim at text[start:end] (code points, end exclusive). `rule` names the rule
    or signal that proposed it; `confidence` is its measured precision, 0 to 1.
    `extra` holds what the data/facts schema can use beyond the contract: issuer,
    partner, unit, date (YYYY-MM-DD), month, designation type ...
    """

    kind: str
    subject: str
    object: str
    quote: str
    start: int
    end: int
    level: str = ""
    batch: str = ""
    role: str = ""
    status: str = ""
    year: int | None = None
    confidence: float = 0.5
    rule: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The evaluation contract: kind, subject, object, level, batch, role, status, year,
        quote, start, end, confidence, and the rule and extras for reviewers."""
        data = asdict(self)
        data["year"] = "" if self.year is None else self.year
        return data
