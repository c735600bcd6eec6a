"""One Oxigraph server and one Virtuoso per test session, stopped and removed at the end."""

from __future__ import annotations

import pytest

from tests.publish.servers import ServerError, TripleStore, start_oxigraph, start_virtuoso

STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


@pytest.fixture(scope="session", params=sorted(STARTERS))
def triple_store(request: pytest.FixtureRequest) -> TripleStore:
    """Each real server in turn (the tests that take it run once per server)."""
    try:
        server = STARTERS[request.param]()
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    request.addfinalizer(server.stop)
    return server
