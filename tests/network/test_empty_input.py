"""A graph with nothing to draw or analyze is an error, not an empty page or table."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from graph_builder.errors import DataError
from graph_builder.network.entities import entity_network, require_entities
from tests.conftest import run_cli


def test_the_seed_graph_has_entities(graph: Graph, ontology: Graph) -> None:
    require_entities(entity_network(graph, ontology), len(graph), "data", "draw")


def test_an_empty_graph_is_refused(ontology: Graph) -> None:
    with pytest.raises(DataError, match=r"^empty\.ttl: the graph is empty; nothing to draw$"):
        require_entities(entity_network(Graph(), ontology), 0, Path("empty.ttl"), "draw")


def test_a_graph_in_another_vocabulary_is_refused(ontology: Graph) -> None:
    foreign = Graph()
    foreign.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(1)))
    net = entity_network(foreign, ontology)
    assert isinstance(net, nx.MultiDiGraph) and net.number_of_nodes() == 0
    with pytest.raises(DataError, match=r"among its 1 triple .*another vocabulary.*analyze$"):
        require_entities(net, len(foreign), Path("foreign.nt"), "analyze")


@pytest.mark.parametrize("command", ["viz", "analyze"])
def test_the_commands_say_so_and_write_nothing(tmp_path: Path, command: str) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    out = ["--output", str(tmp_path / "page.html")] if command == "viz" else []
    result = run_cli(command, "--input", str(empty), *out)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "the graph is empty" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert [p.name for p in tmp_path.iterdir()] == ["empty.ttl"]
