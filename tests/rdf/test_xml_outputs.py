"""Every XML the seed graph exports parses with a real XML parser (expat, via ElementTree).

The build refuses characters XML 1.0 cannot carry (tests/ingest/test_control_characters.py);
this is the other half: what it lets through, the XML writers can write.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from graph_builder import Project, build_graph
from graph_builder.errors import DataError
from graph_builder.network.graphml_gexf import NETWORK_FORMATS
from graph_builder.rdf.export import serialize
from graph_builder.rdf.formats import format_named
from tests.conftest import REPO, run_cli

# --format -> (suffix, the root element's local name)
XML_FORMATS = {
    "xml": (".rdf", "RDF"),
    "graphml": (".graphml", "graphml"),
    "gexf": (".gexf", "gexf"),
}


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_the_seed_export_parses_as_xml(tmp_path: Path, fmt: str) -> None:
    suffix, root_name = XML_FORMATS[fmt]
    out = tmp_path / f"hospital-kg{suffix}"
    result = run_cli("export", "--format", fmt, "--with-ontology", "--output", str(out))
    assert result.returncode == 0, result.stderr
    root = ET.parse(out).getroot()
    assert root.tag.rsplit("}", 1)[-1] == root_name
    assert sum(1 for _ in root.iter()) > 100


LABEL = "    en: Jiaozuo People's Hospital\n"


@pytest.fixture()
def label_project(tmp_path: Path) -> Project:
    for name in ("ontology", "data"):
        shutil.copytree(REPO / name, tmp_path / name)
    return Project(tmp_path)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(label=st.text(alphabet=st.characters(exclude_categories=()), min_size=1, max_size=8))
def test_a_label_that_builds_exports_parseable_xml(
    label_project: Project, ontology: Graph, label: str
) -> None:
    """Any code point at all in a label: refused at build, or every XML export parses."""
    facts = label_project.data_dir / "facts" / "jiaozuo-mch-2024.yaml"
    seed = (REPO / "data" / "facts" / facts.name).read_text(encoding="utf-8")
    # JSON strings are YAML double-quoted; a lone surrogate cannot be written as UTF-8, so
    # it goes in as a \u escape, which the YAML reader turns back into the code point
    surrogate = any(0xD800 <= ord(ch) <= 0xDFFF for ch in label)
    value = json.dumps(f"x{label}", ensure_ascii=surrogate)
    facts.write_text(seed.replace(LABEL, f"    en: {value}\n", 1), encoding="utf-8")
    try:
        graph = build_graph(label_project, ontology)
    except DataError:
        return
    ET.fromstring(serialize(graph, format_named("xml")))
    for network in NETWORK_FORMATS.values():
        ET.fromstring(network.serialize(graph, ontology))
