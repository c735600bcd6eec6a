"""A query worker imports only what answering queries needs: it starts again after every
timeout, so each library it does not import is start-up time saved."""

from __future__ import annotations

import json
import subprocess
import sys
from xml.sax import saxutils

import pytest

from graph_builder.server.results import escape, quoteattr

HEAVY = (
    *("rdflib", "networkx", "typer", "starlette", "uvicorn", "yaml", "jinja2", "urllib.request"),
    "rich",  # the start-up progress bar imports it only when stderr is a terminal
)


def test_the_worker_module_imports_no_library_of_the_other_stages() -> None:
    code = "import sys, json, graph_builder.server.worker; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    assert "pyoxigraph" in loaded
    assert not [m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY]
    stages = {m.split(".")[1] for m in loaded if m.startswith("graph_builder.")}
    assert stages <= {"errors", "progress", "rdf", "server", "sparql"}


@pytest.mark.parametrize("text", ["a&b<c>d", 'x"y', "x'y", "x\"'y", "t\tn\nr\r", "焦作"])
def test_xml_escapes_match_the_standard_library(text: str) -> None:
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


def test_the_store_layer_does_not_build() -> None:
    """Stores load files and graphs; building from data/ is the API's job (api.load_graph)."""
    code = "import sys, json, graph_builder.sparql.stores; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    assert "graph_builder.sparql.stores" in loaded
    assert not [m for m in loaded if m.startswith(("graph_builder.ingest", "graph_builder.rdf.b"))]
