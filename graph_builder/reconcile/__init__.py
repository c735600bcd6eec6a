"""`hospital-kg reconcile`: likely duplicate institutions and alliances that the authority
file (data/reference/institutions.yaml) does not merge yet, scored, with their evidence.

`normalise` takes names apart (places, parent, ordinals, generic ending, core),
`compare` compares two names, `candidates` pairs and scores entities and suggests the
authority-file line that would merge them; `signals` reads the rules (signals.yaml).
Nothing here writes: the curator confirms a pair by editing the authority file.
"""

from __future__ import annotations

from graph_builder.reconcile.candidates import (
    HEADERS,
    Candidate,
    Signal,
    Veto,
    compare_entities,
    find_candidates,
    make_context,
    rows,
)
from graph_builder.reconcile.signals import Rules, load_rules

__all__ = [
    "HEADERS",
    "Candidate",
    "Rules",
    "Signal",
    "Veto",
    "compare_entities",
    "find_candidates",
    "load_rules",
    "make_context",
    "rows",
]
