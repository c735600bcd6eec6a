"""Where Oxigraph says a query is wrong: line and column out of its error message.

Separate from execute.py because the endpoint's query workers need it and must
not import rdflib.
"""

from __future__ import annotations

import re

OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def syntax_position(message: str) -> tuple[int, int, str] | None:
    """(line, column, message) of an Oxigraph syntax error, or None if it names no position."""
    match = OXIGRAPH_POSITION.search(message)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), " ".join(match.group(3).split())
