"""Each command parses the ontology once and passes it down (validate and viz parsed it up
to three times before)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from graph_builder.cli.app import app

COMMANDS = [
    ["build", "--output", "{tmp}/kg.ttl"],
    ["export", "--format", "gexf", "--with-ontology", "--output", "{tmp}/kg.gexf"],
    ["validate"],
    ["stats"],
    ["query", "hospital-profile", "--param", "hospital=jiaozuo maternal"],
    ["viz", "--focus", "焦作市妇幼保健院", "--output", "{tmp}/ego.html"],
    ["analyze", "--section", "summary"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_the_ontology_is_parsed_once(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    parses: list[str] = []
    original = Graph.parse

    def counting_parse(self: Graph, source: object = None, *rest: object, **kw: object) -> Graph:
        if source is not None and Path(str(source)).resolve() == project.ontology:
            parses.append(str(source))
        return original(self, source, *rest, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Graph, "parse", counting_parse)
    result = CliRunner().invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 0, result.output
    assert len(parses) == 1
