"""Every XML the seed graph exports parses with a real XML parser (expat, via ElementTree).

The build refuses characters XML 1.0 cannot carry (tests/ingest/test_control_characters.py);
this is the other half: what it lets through, the XML writers can write.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import run_cli

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
