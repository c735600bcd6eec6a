"""Both stores read every RDF syntax of the format table into the same triples."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph_builder.errors import DataError, UsageError
from graph_builder.rdf.export import export_graph
from graph_builder.rdf.formats import RDF_FORMATS
from graph_builder.sparql.oxigraph_direct import triple_count
from graph_builder.sparql.stores import STORES

# (not rdflib.namespace.XSD: pytest inspects module names, and XSD warns at unknown ones)
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, graph: Graph) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    paths = {}
    for fmt in RDF_FORMATS:
        paths[fmt.name] = folder / f"seed{fmt.suffix}"
        export_graph(graph, fmt, paths[fmt.name])
    return paths


@pytest.mark.parametrize("store", sorted(STORES))
@pytest.mark.parametrize("fmt", [f.name for f in RDF_FORMATS if f.readable])
def test_every_readable_format_loads_into_every_store(
    exported: dict[str, Path], graph: Graph, store: str, fmt: str
) -> None:
    loaded = STORES[store].load_files(exported[fmt])
    assert triple_count(loaded) == len(graph)
    copy = Graph()
    for s, p, o in loaded:  # Oxigraph types plain literals as xsd:string; RDF 1.1 agrees
        plain = isinstance(o, Literal) and o.datatype == XSD_STRING
        copy.add((s, p, Literal(str(o)) if plain else o))
    assert isomorphic(copy, graph)


@pytest.mark.parametrize("store", sorted(STORES))
def test_a_file_that_does_not_parse_is_one_data_error_naming_it(tmp_path: Path, store) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("inst:x a hkg:Hospital .\n<broken", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        STORES[store].load_files(bad)
    message = str(caught.value)
    assert "bad.ttl" in message and "\n" not in message


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        STORES["memory"].load_files(tmp_path / "missing.nt")
