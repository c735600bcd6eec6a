"""One Oxigraph server and one Virtuoso per test session, stopped and removed at the end."""

from __future__ import annotations

import pytest

from tests.publish.servers import TripleStore, start_oxigraph, start_virtuoso

STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


@pytest.fixture(scope="session", params=sorted(STARTERS))
def triple_store(request: pytest.FixtureRequest) -> TripleStore:
    """Each real server in turn (the tests that take it run once per server)."""
    server = STARTERS[request.param]()
    request.addfinalizer(server.stop)
    return server
