"""The YAML reader's guards: whatever a file holds, a DataError with its line, or the data.

PyYAML's own constructors raise ValueError or KeyError (an impossible date, a
tagged scalar that is not what its tag says), recursion runs out on deep
nesting, and nested aliases expand exponentially; each is turned into one
located DataError here, before any record is checked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph_builder.errors import DataError
from graph_builder.ingest.yaml_records import MAX_DEPTH, load_yaml


def _load(tmp_path: Path, content: str | bytes) -> object:
    path = tmp_path / "x.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return load_yaml(path)


def _error(tmp_path: Path, content: str | bytes) -> DataError:
    with pytest.raises(DataError) as caught:
        _load(tmp_path, content)
    assert caught.value.path == tmp_path / "x.yaml"
    return caught.value


BAD = {
    # name: (content, line, message start)
    "impossible date": ("a: 1\ndate: 2023-02-30\n", 2, "'2023-02-30' is not a date (day is out"),
    "year 0": ("date: 0000-01-01\n", 1, "'0000-01-01' is not a date (year 0 is out"),
    "!!timestamp": ("a:\n  - !!timestamp 2024-13-01\n", 2, "'2024-13-01' is not a date"),
    "!!int": ("a: !!int twelve\n", 1, "'twelve' is not an integer"),
    "!!float": ("a: !!float x\n", 1, "'x' is not a number"),
    "!!bool": ("a: !!bool maybe\n", 1, "'maybe' is not a boolean"),
    "64-bit integer + 1": (f"a: {2**63}\n", 1, "integer out of range (at most 64 bits)"),
    "5,000 digits": (f"a: {'9' * 5000}\n", 1, "integer out of range"),
    "long hexadecimal": (f"a: 0x{'f' * 100}\n", 1, "integer out of range"),
    "list key": ("a: 1\n? [b]\n: 2\n", 2, "key ['b'] must be a string"),
    "mapping key": ("? {b: 1}\n: 2\n", 1, "key {'b': 1} must be a string"),
    "integer key": ("3: x\n", 1, "key 3 must be a string"),
    "boolean key": ("on: x\n", 1, "key True must be a string"),
    "duplicate key": ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
    "deep flow nesting": ("a: " + "[" * 3000 + "]" * 3000 + "\n", 1, "YAML nested more than"),
    "deep block nesting": (
        "".join(f"{' ' * i}k{i}:\n" for i in range(60)) + " " * 60 + "end: 1\n",
        MAX_DEPTH,  # where the composer notices: the key whose value is one level too deep
        "YAML nested more than",
    ),
    "alias chain too deep": (
        "".join(
            f"a{n}: &a{n} " + "[" * 20 + (f"*a{n - 1}" if n else "x") + "]" * 20 + "\n"
            for n in range(4)
        ),
        3,  # a2: its value holds a1 (41 levels) 20 levels down
        "YAML nested more than",
    ),
    "alias inside itself": ("a: &x [b, *x]\n", 1, "YAML alias refers to a value holding it"),
    "mapping inside itself": ("a: &x {b: *x}\n", 1, "YAML alias refers to a value holding it"),
    "billion laughs": (
        "l0: &l0 [lol]\n"
        + "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, 10)),
        7,
        "YAML value holds more than 1,000,000 values once aliases are expanded",
    ),
    "escaped control character": ('a: 1\nb: "x\\x01"\n', 2, "control character U+0001 in a value"),
    "escaped control character in a key": ('"\\x02": 1\n', 1, "control character U+0002"),
    "raw control character": ("a: 1\n# \x07\n", 2, "control character U+0007; YAML files cannot"),
    "raw U+FFFE": ("a: 1\n\nb: \ufffe\n", 3, "character U+FFFE; YAML files cannot hold it"),
    "unknown tag": ("a: !foo x\n", 1, "malformed YAML: could not determine a constructor"),
    "two documents": ("a: 1\n---\nb: 2\n", 2, "malformed YAML: expected a single document"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_yaml_is_a_located_data_error(tmp_path: Path, case: str) -> None:
    content, line, message = BAD[case]
    error = _error(tmp_path, content)
    assert error.line == line, error
    assert error.message.startswith(message), error


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    error = _error(tmp_path, b"a: 1\nb: 2\nc: \xe9t\xe9\n")
    assert (error.line, error.message) == (3, "not UTF-8 text (byte 0xe9); save it as UTF-8")


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.mkdir()], ids=["missing", "dir"])
def test_a_file_that_cannot_be_read(tmp_path: Path, make) -> None:
    path = tmp_path / "x.yaml"
    make(path)
    with pytest.raises(DataError, match="cannot read: ") as caught:
        load_yaml(path)
    assert caught.value.line is None


def test_what_the_seed_files_use_still_loads(tmp_path: Path) -> None:
    """Aliases, merge keys, dates, a BOM and CR LF line ends are all fine."""
    doc = _load(
        tmp_path,
        "\ufeffbase: &base {kind: Hospital}\r\n"
        "quote: &q 国家级\r\n"
        "items:\r\n"
        "  - {<<: *base, id: a, quote: *q}\r\n"
        '  - {date: 2024-07-01, year: 2024, note: "tab\\there"}\r\n',
    )
    assert isinstance(doc, dict)
    assert doc["items"][0] == {"kind": "Hospital", "id": "a", "quote": "国家级"}
    assert doc["items"][1] == {"date": dt.date(2024, 7, 1), "year": 2024, "note": "tab\there"}
    assert doc["items"][1].key_lines == {"date": 5, "year": 5, "note": 5}


def test_aliases_within_the_bound_load(tmp_path: Path) -> None:
    """Six levels of ten aliases: a million values would be refused, a hundred thousand are not."""
    content = "l0: &l0 [lol]\n" + "".join(
        f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, 6)
    )
    doc = _load(tmp_path, content)
    assert isinstance(doc, dict) and len(doc["l5"]) == 10


def test_an_empty_file_is_none(tmp_path: Path) -> None:
    assert _load(tmp_path, "# nothing\n") is None
