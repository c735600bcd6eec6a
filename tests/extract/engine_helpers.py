"""Helpers for the extractor's rule tests: run it on a text, find a candidate."""

from __future__ import annotations

from graph_builder.extract.candidates import Candidate
from graph_builder.extract.engine import extract_text

HOSPITAL = "青州市妇幼保健院"


def facts(text: str, hospital: str | None = HOSPITAL) -> list[Candidate]:
    """The candidates of `text`, every quote checked against its offsets."""
    found = extract_text(text, hospital)
    for c in found:
        assert text[c.start : c.end] == c.quote, c
    return found


def one(found: list[Candidate], kind: str, obj: str) -> Candidate:
    """The single candidate of `kind` whose object is `obj`."""
    hits = [c for c in found if c.kind == kind and c.object == obj]
    assert len(hits) == 1, (kind, obj, [(c.kind, c.object) for c in found])
    return hits[0]


def objects(found: list[Candidate], kind: str | None = None) -> set[str]:
    return {c.object for c in found if kind is None or c.kind == kind}
