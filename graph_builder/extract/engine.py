"""The extractor: candidate facts from a report's text alone (a placeholder until built)."""

from __future__ import annotations

from graph_builder.extract.candidates import Candidate


def extract_text(text: str, hospital: str | None = None) -> list[Candidate]:
    """Candidate facts stated in `text`; `hospital` names the hospital it is about, if known."""
    return []
