"""A query worker imports only what answering queries needs: it starts again after every
timeout, so each library it does not import is start-up time saved."""

from __future__ import annotations

import json
import subprocess
import sys

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
