"""What the endpoint refuses before any worker sees a query: updates, SERVICE, deep nesting.

The decision is made from the query's tokens (sparql/policy.py and lexer.py), not
by searching its text, so escapes, comments, strings and prefixed names cannot
hide a keyword. SERVICE is also impossible inside the workers (sandbox.py), so a
query that slipped past this check would still reach no other host.
"""

from __future__ import annotations

from graph_builder.sparql.lexer import MAX_DEPTH
from graph_builder.sparql.policy import READ_ONLY, QueryError, check_query

__all__ = ["READ_ONLY", "Refused", "check_read_only"]

#: Raised for a refused query; `status` is the HTTP status (403 update/SERVICE, 400 depth).
Refused = QueryError


def check_read_only(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise Refused (with its HTTP status) for an update, SERVICE, or over-deep nesting."""
    check_query(text, max_depth, source="")
