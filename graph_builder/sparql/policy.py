"""Which queries run at all: read-only, no federation, not too deep. Decided from tokens.

Both the command line (through `run_query`) and the endpoint apply these checks
before an engine sees the query: SERVICE would make the engine fetch other
hosts, an update has no place in a read-only tool, and a query nested past
`max_depth` would crash the engine (lexer.py says why). This module imports
nothing heavy: the endpoint's HTTP process uses it.
"""

from __future__ import annotations

from graph_builder.errors import HospitalKgError
from graph_builder.sparql.lexer import MAX_DEPTH, Profile, profile

READ_ONLY = (
    "this endpoint is read-only: SPARQL Update is not accepted; "
    "change the data under data/ and rebuild instead"
)
NO_SERVICE = (
    "federated queries (SERVICE) are disabled: hospital-kg makes no requests to other hosts"
)


class QueryError(HospitalKgError):
    """A query that cannot run: a syntax error, a bad parameter, a refused query."""

    exit_code = 2
    status = 400  # for the endpoint


class QueryRefused(QueryError):
    """A query this tool will not run: an update, or SERVICE (HTTP 403)."""

    status = 403


class QueryTooDeep(QueryError):
    """A query nested past the limit (HTTP 400)."""


def check_query(text: str, max_depth: int = MAX_DEPTH, source: str = "query") -> Profile:
    """The query's profile, or QueryRefused / QueryTooDeep naming `source` (if not "")."""
    shape = profile(text)
    where = f"{source}: " if source else ""
    if shape.update:
        raise QueryRefused(f"{where}{READ_ONLY}")
    if shape.service:
        raise QueryRefused(f"{where}{NO_SERVICE}")
    if shape.depth > max_depth:
        raise QueryTooDeep(
            f"{where}the query is nested {shape.depth:,} deep (brackets and chains of "
            f"operators, patterns or UNIONs); the limit is {max_depth:,} (--max-depth)"
        )
    return shape
