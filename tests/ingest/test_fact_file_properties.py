"""Property: whatever a fact file holds, loading it builds or raises a located DataError.

"Located" means its message starts with a data file's path and a line number of
that file, which is what the CLI prints; any other exception would be a
traceback. The inputs are the seed fact file mutated line by line or byte by
byte, and fact files generated from the record schema's keys and odd values.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from graph_builder import Project
from graph_builder.errors import DataError
from graph_builder.ingest.loader import load_dataset
from graph_builder.ingest.record_schema import ENTITY_KEYS, FACT_KEYS, FACT_TYPES, SECTIONS
from graph_builder.rdf.vocabulary import Vocabulary
from tests.conftest import REPO

FACTS = Path("data/facts/jiaozuo-mch-2024.yaml")
SEED_LINES = (REPO / FACTS).read_text(encoding="utf-8").split("\n")
LOCATED = re.compile(r"(?P<path>.+?):(?P<line>[0-9]+): \S")
PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Scalars that have broken loaders before: impossible dates, tags, huge numbers,
#: aliases, control characters written as escapes, YAML indicators.
TRICKY = [
    "2023-02-30",
    "0000-01-01",
    "2024-07-01 10:00:00",
    "!!int abc",
    "!!float x",
    "!!bool maybe",
    "!!timestamp 2023-13-01",
    "!!binary '!!'",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!foo bar",
    "9" * 5000,
    "0x" + "f" * 200,
    "-1",
    "1e999",
    ".nan",
    "~",
    "''",
    "[]",
    "{}",
    "[[a]]",
    "{a: [b]}",
    "? [a]",
    "&a x",
    "*a",
    "*nope",
    "<<: *a",
    '"\\x01"',
    '"\\0"',
    '"\\uFFFE"',
    '"\\uD800"',
    '"a\\rb"',
    "|",
    ">-",
    "[",
    "{",
    "'",
    '"',
    "yes",
    "null",
]
KEYS = sorted(ENTITY_KEYS | FACT_KEYS | {k for t in FACT_TYPES.values() for k in t.fields})


@pytest.fixture(scope="module")
def vocab(ontology: Graph) -> Vocabulary:
    return Vocabulary(ontology)


@pytest.fixture()
def copy(tmp_path: Path) -> Project:
    """A scratch copy of the project; each example rewrites the whole fact file."""
    for name in ("ontology", "data"):
        shutil.copytree(REPO / name, tmp_path / name)
    return Project(tmp_path)


def assert_builds_or_is_located(project: Project, vocab: Vocabulary) -> None:
    """Load the copy: fine, or a DataError naming a file of the copy and one of its lines."""
    try:
        load_dataset(project.data_dir, vocab, project.root)
    except DataError as exc:
        found = LOCATED.match(str(exc))
        assert found, str(exc)
        named = Path(found["path"]).resolve()
        assert named.is_file() and project.root.resolve() in named.parents, str(exc)
        lines = len(named.read_bytes().decode("utf-8", "replace").splitlines()) + 1
        assert 1 <= int(found["line"]) <= lines, str(exc)


def scalars() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(TRICKY), st.text(max_size=30))


def yaml_lines() -> st.SearchStrategy[str]:
    """A line of YAML or of noise: `key: value` at some indent, indicators, any text."""
    key_value = st.builds(
        lambda indent, key, value: f"{' ' * indent}{key}: {value}",
        st.integers(0, 8),
        st.one_of(st.sampled_from(KEYS), st.text(max_size=8)),
        scalars(),
    )
    indicators = st.sampled_from(["- ", "-", "  - id: x", "? x", "...", "---", "%YAML 1.1", "  "])
    return st.one_of(key_value, indicators, st.text(max_size=40))


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    """The seed fact file with one to three lines replaced, inserted, deleted or re-indented."""
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["replace", "insert", "delete", "indent", "value"]))
        if operation == "replace":
            lines[at] = draw(yaml_lines())
        elif operation == "insert":
            lines.insert(at, draw(yaml_lines()))
        elif operation == "delete" and len(lines) > 1:
            del lines[at]
        elif operation == "indent":
            lines[at] = " " * draw(st.integers(0, 6)) + lines[at].lstrip()
        elif operation == "value" and ": " in lines[at]:
            lines[at] = lines[at].split(": ", 1)[0] + ": " + draw(scalars())
    return "\n".join(lines)


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """The seed file's bytes, cut short or with a few arbitrary bytes put in."""
    data = (REPO / FACTS).read_bytes()
    at = draw(st.integers(0, len(data)))
    if draw(st.booleans()):
        return data[:at]
    return data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]


def values() -> st.SearchStrategy[object]:
    """Anything YAML can write: scalars of every type, and lists and mappings of them."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.dates(),
        st.datetimes(),
        st.text(max_size=20),
        st.sampled_from(
            ["jiaozuo-mch", "jiaozuo-mch-service-consortium", "national", "granted", "Hospital"]
        ),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
        ),
        max_leaves=20,
    )


@st.composite
def generated_fact_files(draw: st.DrawFn) -> str:
    """A fact file of the right outline (report, sections, facts) with generated records."""
    records = st.lists(st.dictionaries(st.sampled_from(KEYS), values(), max_size=8), max_size=3)
    document: dict[str, object] = {"report": "jiaozuo-mch-2024"}
    for section in draw(st.lists(st.sampled_from([*SECTIONS, "facts"]), unique=True)):
        document[section] = draw(records)
    if draw(st.booleans()):
        document[draw(st.sampled_from(KEYS))] = draw(values())
    return yaml.safe_dump(document, allow_unicode=True)


@PROPERTY_SETTINGS
@given(text=mutated_lines())
def test_mutated_lines_build_or_fail_located(copy: Project, vocab: Vocabulary, text: str) -> None:
    (copy.root / FACTS).write_text(text, encoding="utf-8")
    assert_builds_or_is_located(copy, vocab)


@PROPERTY_SETTINGS
@given(data=mutated_bytes())
def test_mutated_bytes_build_or_fail_located(copy: Project, vocab: Vocabulary, data: bytes) -> None:
    (copy.root / FACTS).write_bytes(data)
    assert_builds_or_is_located(copy, vocab)


@PROPERTY_SETTINGS
@given(text=generated_fact_files())
def test_generated_fact_files_build_or_fail_located(
    copy: Project, vocab: Vocabulary, text: str
) -> None:
    (copy.root / FACTS).write_text(text, encoding="utf-8")
    assert_builds_or_is_located(copy, vocab)
