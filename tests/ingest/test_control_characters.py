"""Characters XML cannot carry are refused at build, naming the file, line and character.

Before, a label written as `"\\x01"` in YAML built fine and `export --format
xml|graphml|gexf` then wrote a file no XML parser accepts. TAB and LF stay
allowed: reports and notes use them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder import Project
from graph_builder.errors import DataError
from graph_builder.ingest.loader import load_dataset
from graph_builder.rdf.vocabulary import Vocabulary
from tests.conftest import run_cli

FACTS = Path("data/facts/jiaozuo-mch-2024.yaml")
META = Path("data/reports/jiaozuo-mch-2024.yaml")
PLACES = Path("data/reference/places.yaml")
TEXT = Path("data/reports/jiaozuo-mch-2024.txt")
LABEL = "    en: Jiaozuo People's Hospital\n"


@pytest.fixture(scope="module")
def vocab(ontology: Graph) -> Vocabulary:
    return Vocabulary(ontology)


def _edit(project: Project, rel: Path, old: str, new: str) -> int:
    """Replace `old` once; return its 1-based line."""
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def test_a_label_with_a_control_character_is_refused(scratch: Project) -> None:
    line = _edit(scratch, FACTS, LABEL, '    en: "Jiaozuo\\x01 People\'s Hospital"\n')
    out = scratch.root / "build" / "hospital-kg.ttl"
    result = run_cli("build", "--root", str(scratch.root), "--output", str(out), cwd=scratch.root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {FACTS.as_posix()}:{line}: control character U+0001 in a value; "
        "remove it (XML exports cannot carry it)"
    ]
    assert not out.parent.exists()


# YAML escape -> the character's name in the message
ESCAPES = {
    "\\0": "control character U+0000 (NUL)",
    "\\x08": "control character U+0008",
    "\\v": "control character U+000B",
    "\\r": "control character U+000D (carriage return)",
    "\\e": "control character U+001B",
    "\\x7f": "control character U+007F (DEL)",
    "\\x80": "control character U+0080",
    "\\N": "control character U+0085",
    "\\x9f": "control character U+009F",
    "\\uD800": "character U+D800",
    "\\uFFFE": "character U+FFFE",
    "\\uFFFF": "character U+FFFF",
}


@pytest.mark.parametrize("escape", ESCAPES)
def test_each_forbidden_character_is_named(
    scratch: Project, vocab: Vocabulary, escape: str
) -> None:
    line = _edit(scratch, FACTS, LABEL, f'    en: "Jiaozuo{escape} People\'s Hospital"\n')
    with pytest.raises(DataError) as caught:
        load_dataset(scratch.data_dir, vocab)
    assert (caught.value.path, caught.value.line) == (scratch.root / FACTS, line)
    assert caught.value.message.startswith(ESCAPES[escape] + " in a value")


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (META, "title_en: Pooling", 'title_en: "\\x02" # Pooling'),
        (PLACES, "en: Jiaozuo,", 'en: "Jiao\\x02zuo",'),
        (FACTS, "report: jiaozuo-mch-2024\n", 'report: jiaozuo-mch-2024\n"key\\x02": 1\n'),
    ],
    ids=["report metadata", "places", "a key"],
)
def test_every_yaml_file_is_checked(
    scratch: Project, vocab: Vocabulary, rel: Path, old: str, new: str
) -> None:
    line = _edit(scratch, rel, old, new)
    if rel == FACTS:
        line += 1  # the key is on the line after the anchor
    with pytest.raises(DataError) as caught:
        load_dataset(scratch.data_dir, vocab)
    assert (caught.value.path, caught.value.line) == (scratch.root / rel, line)
    assert caught.value.message.startswith("control character U+0002")


def test_a_control_character_in_a_report_text_is_refused(
    scratch: Project, vocab: Vocabulary
) -> None:
    path = scratch.root / TEXT
    lines = path.read_bytes().split(b"\n")
    lines[10] = b"\x1f" + lines[10]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataError) as caught:
        load_dataset(scratch.data_dir, vocab)
    assert (caught.value.path, caught.value.line) == (path, 11)
    assert caught.value.message.startswith("control character U+001F")


def test_tab_and_line_feed_in_values_are_fine(scratch: Project, vocab: Vocabulary) -> None:
    _edit(scratch, FACTS, LABEL, '    en: "Jiaozuo\\tPeople\'s\\nHospital"\n')
    dataset = load_dataset(scratch.data_dir, vocab)
    assert dataset.entities["jiaozuo-peoples-hospital"].en == "Jiaozuo\tPeople's\nHospital"
