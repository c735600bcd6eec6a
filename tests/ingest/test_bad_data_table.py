"""A shared table of bad project files: each one is one `error:` line, its exit code, no output.

Each case breaks a scratch copy of the project (a report text, a data file, the
ontology or shapes, the root itself) and runs a command on it. The command must
exit with the case's code, print exactly one stderr line that starts with the
case's words (file and line first, where there is one), and leave every file
under the root as it was: no build output, no data rewritten.

Add a case with the mutation, the words the line starts with (`{line}` is the
line the mutation touched, `{root}` the scratch root) and, if not a build, the
command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph_builder import Project
from tests.conftest import run_cli

TEXT = "data/reports/jiaozuo-mch-2024.txt"
META = "data/reports/jiaozuo-mch-2024.yaml"
FACTS = "data/facts/jiaozuo-mch-2024.yaml"
ALLIANCE = "jiaozuo-mch-service-consortium"  # an alliance id of FACTS
PLACES = "data/reference/places.yaml"
ONTOLOGY = "ontology/hospital-kg.ttl"
SHAPES = "ontology/shapes.ttl"

BUILD = ("build", "--root", "{root}", "--output", "{root}/build/out.ttl")
VALIDATE = ("validate", "--no-owl", "--root", "{root}")


def export(fmt: str) -> tuple[str, ...]:
    return ("export", "--format", fmt, "--root", "{root}", "--output", "{root}/build/out")


#: Edits a scratch root; returns the 1-based line it touched (None: no line in question).
Mutation = Callable[[Path], int | None]


def replace(rel: str, old: str, new: str) -> Mutation:
    """Replace the first `old` (which must be there) in a text file."""

    def mutate(root: Path) -> int:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return text.count("\n", 0, text.index(old)) + 1

    return mutate


def insert_bytes(rel: str, line: int, data: bytes) -> Mutation:
    """Put `data` at the start of line `line` of the file."""

    def mutate(root: Path) -> int:
        path = root / rel
        lines = path.read_bytes().split(b"\n")
        lines[line - 1] = data + lines[line - 1]
        path.write_bytes(b"\n".join(lines))
        return line

    return mutate


def end_line_with(rel: str, line: int, ending: bytes) -> Mutation:
    """End line `line` with `ending` instead of its LF, joining it to the next line."""

    def mutate(root: Path) -> int:
        path = root / rel
        lines = path.read_bytes().split(b"\n")
        lines[line - 1] += ending + lines.pop(line)
        path.write_bytes(b"\n".join(lines))
        return line

    return mutate


def rewrite(rel: str, change: Callable[[bytes], bytes]) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / rel
        path.write_bytes(change(path.read_bytes()))

    return mutate


def make_directory(rel: str) -> Mutation:
    """The file becomes an (empty) directory of the same name."""

    def mutate(root: Path) -> None:
        (root / rel).unlink()
        (root / rel).mkdir()

    return mutate


def remove(rel: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / rel).unlink()

    return mutate


def nothing(root: Path) -> None:
    return None


def laughs(levels: int, fanout: int) -> str:
    """YAML lines of nested aliases ("billion laughs"): fanout**levels values once expanded."""
    lines = ["lol0: &lol0 [lol]"]
    for n in range(1, levels + 1):
        lines.append(f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * fanout)}]")
    return "\n".join(lines) + "\n"


def merges(levels: int) -> str:
    """YAML lines whose merge keys double a mapping at each level."""
    lines = ["m0: &m0 {k: 1}"]
    lines += [f"m{n}: &m{n} {{<<: [*m{n - 1}, *m{n - 1}]}}" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Case:
    mutate: Mutation
    expected: str  # the first words of the error line, after "error: "
    code: int = 1
    command: tuple[str, ...] = BUILD


INSTITUTION_EN = "    en: Jiaozuo People's Hospital\n"
DATE = "    date: 2024-07-01\n"
COUNT = "    count: 2\n"
FACT_FILE_TOP = "report: jiaozuo-mch-2024\n"
LINE_ENDS = "store the text with LF line ends so offsets index the file exactly"


def escaped_en(escape: str) -> Mutation:
    """The institution's English label with a character written as a YAML escape."""
    return replace(FACTS, INSTITUTION_EN, f'    en: "Jiaozuo{escape} People\'s Hospital"\n')


CASES: dict[str, Case] = {
    # 1. Report texts are read exactly; what would shift the offsets is refused.
    "text with CR LF line ends": Case(
        rewrite(TEXT, lambda data: data.replace(b"\n", b"\r\n")),
        f"{TEXT}:1: line ends with CR LF; {LINE_ENDS}",
    ),
    "text with one CR LF line end": Case(
        end_line_with(TEXT, 3, b"\r\n"), f"{TEXT}:{{line}}: line ends with CR LF; {LINE_ENDS}"
    ),
    "text with a CR line end": Case(
        end_line_with(TEXT, 4, b"\r"), f"{TEXT}:{{line}}: line ends with CR; {LINE_ENDS}"
    ),
    "text with a BOM": Case(
        rewrite(TEXT, lambda data: b"\xef\xbb\xbf" + data),
        f"{TEXT}:1: starts with a byte-order mark (U+FEFF)",
    ),
    "text with U+FEFF inside": Case(
        insert_bytes(TEXT, 7, "\ufeff".encode()), f"{TEXT}:{{line}}: holds U+FEFF"
    ),
    "text not UTF-8": Case(
        insert_bytes(TEXT, 9, b"\xff"), f"{TEXT}:{{line}}: not UTF-8 text (byte 0xff)"
    ),
    "text is a directory": Case(
        make_directory(TEXT),
        f"{META}:4: cannot read report text jiaozuo-mch-2024.txt: Is a directory",
    ),
    "text path climbs out": Case(
        replace(META, "text: jiaozuo-mch-2024.txt", "text: ../../README.md"),
        f"{META}:{{line}}: report text '../../README.md' must be a path below reports/",
    ),
    # 2. Characters XML cannot carry, in any value or in a report text.
    "text with a control character": Case(
        insert_bytes(TEXT, 11, b"\x07"), f"{TEXT}:{{line}}: control character U+0007"
    ),
    "text with NUL": Case(
        insert_bytes(TEXT, 13, b"\x00"), f"{TEXT}:{{line}}: control character U+0000 (NUL)"
    ),
    "label with U+0001": Case(escaped_en("\\x01"), f"{FACTS}:{{line}}: control character U+0001"),
    "label with DEL": Case(escaped_en("\\x7f"), f"{FACTS}:{{line}}: control character U+007F"),
    "label with C1 U+0085": Case(escaped_en("\\N"), f"{FACTS}:{{line}}: control character U+0085"),
    "label with C1 U+009F": Case(
        escaped_en("\\x9f"), f"{FACTS}:{{line}}: control character U+009F"
    ),
    "label with U+FFFE": Case(escaped_en("\\uFFFE"), f"{FACTS}:{{line}}: character U+FFFE"),
    "label with U+FFFF": Case(escaped_en("\\uFFFF"), f"{FACTS}:{{line}}: character U+FFFF"),
    "label with a lone surrogate": Case(
        escaped_en("\\uD800"), f"{FACTS}:{{line}}: character U+D800"
    ),
    "label with CR": Case(
        escaped_en("\\r"), f"{FACTS}:{{line}}: control character U+000D (carriage return)"
    ),
    "raw control character in YAML": Case(
        replace(FACTS, INSTITUTION_EN, "    en: Jiaozuo\x01 People's Hospital\n"),
        f"{FACTS}:{{line}}: control character U+0001; YAML files cannot hold it",
    ),
    "key with ESC": Case(
        replace(FACTS, FACT_FILE_TOP, FACT_FILE_TOP + '"ke\\ey": 1\n'),
        f"{FACTS}:5: control character U+001B",
    ),
    "place with U+0007": Case(
        replace(PLACES, "en: Jiaozuo,", 'en: "Jiao\\azuo",'),
        f"{PLACES}:{{line}}: control character U+0007",
    ),
    "report title with ESC": Case(
        replace(META, "title_en: Pooling", 'title_en: "\\e[31m" # Pooling'),
        f"{META}:{{line}}: control character U+001B",
    ),
    "export xml of a label with U+0001": Case(
        escaped_en("\\x01"), f"{FACTS}:{{line}}: control character U+0001", command=export("xml")
    ),
    "export graphml of a label with U+000B": Case(
        escaped_en("\\v"), f"{FACTS}:{{line}}: control character U+000B", command=export("graphml")
    ),
    "export gexf of a label with U+FFFF": Case(
        escaped_en("\\uFFFF"), f"{FACTS}:{{line}}: character U+FFFF", command=export("gexf")
    ),
    # 3. What was a traceback: values YAML's constructors refuse, odd types and sizes ...
    "impossible date": Case(
        replace(FACTS, DATE, "    date: 2023-02-30\n"),
        f"{FACTS}:{{line}}: '2023-02-30' is not a date (day is out of range for month)",
    ),
    "impossible date, quoted": Case(
        replace(FACTS, DATE, "    date: '2023-02-30'\n"),
        f"{FACTS}:{{line}}: date must be YYYY-MM-DD: '2023-02-30' is not a day",
    ),
    "year 0": Case(
        replace(FACTS, DATE, "    date: 0000-07-01\n"),
        f"{FACTS}:{{line}}: '0000-07-01' is not a date (year 0 is out of range)",
    ),
    "date with a time": Case(
        replace(FACTS, DATE, "    date: 2024-07-01 10:00:00\n"),
        f"{FACTS}:{{line}}: date must be YYYY-MM-DD",
    ),
    "date without dashes": Case(
        replace(FACTS, DATE, "    date: '20240701'\n"), f"{FACTS}:{{line}}: date must be YYYY-MM-DD"
    ),
    "id with a final newline": Case(
        replace(FACTS, f"  - id: {ALLIANCE}\n", f"  - id: |\n      {ALLIANCE}\n"),
        f"{FACTS}:{{line}}: id '{ALLIANCE}\\n' must be lower-case ASCII words",
    ),
    "report id that is no slug": Case(
        rewrite(META, lambda data: data.replace(b"id: jiaozuo-mch-2024", b"id: Jiaozuo 2024", 1)),
        f"{META}:3: id 'Jiaozuo 2024' must be lower-case ASCII words",
    ),
    "!!int that is not": Case(
        replace(FACTS, COUNT, "    count: !!int two\n"),
        f"{FACTS}:{{line}}: 'two' is not an integer",
    ),
    "!!bool that is not": Case(
        replace(FACTS, COUNT, "    count: !!bool maybe\n"),
        f"{FACTS}:{{line}}: 'maybe' is not a boolean",
    ),
    "5,000-digit integer": Case(
        replace(FACTS, COUNT, f"    count: {'9' * 5000}\n"),
        f"{FACTS}:{{line}}: integer out of range",
    ),
    "4,000-digit hexadecimal integer": Case(
        replace(FACTS, COUNT, f"    count: 0x{'f' * 4000}\n"),
        f"{FACTS}:{{line}}: integer out of range",
    ),
    "5,000-digit review year": Case(
        replace(META, "review_year: 2024", f"review_year: {'2' * 5000}"),
        f"{META}:{{line}}: integer out of range",
    ),
    "review year a list": Case(
        replace(META, "review_year: 2024", "review_year: [2024]"),
        f"{META}:{{line}}: 'review_year' must be a non-empty string",
    ),
    "language a list": Case(
        replace(META, "language: zh", "language: [zh]"),
        f"{META}:{{line}}: 'language' must be a non-empty string",
    ),
    "key a list": Case(
        replace(FACTS, FACT_FILE_TOP, FACT_FILE_TOP + "? [a, b]\n: 1\n"),
        f"{FACTS}:5: key ['a', 'b'] must be a string",
    ),
    "key a mapping": Case(
        replace(FACTS, FACT_FILE_TOP, FACT_FILE_TOP + "? {a: 1}\n: 1\n"),
        FACTS + ":5: key {{'a': 1}} must be a string",
    ),
    "kind a list of lists": Case(
        replace(FACTS, "    kind: Hospital\n", "    kind: [[Hospital]]\n"),
        f"{FACTS}:{{line}}: 'kind' must be a class name or a list of class names",
    ),
    "kind a mapping": Case(
        replace(FACTS, "    kind: Hospital\n", "    kind: {Hospital: 1}\n"),
        f"{FACTS}:{{line}}: 'kind' must be a class name or a list of class names",
    ),
    "5,000 nested lists": Case(
        replace(FACTS, COUNT, f"    count: {'[' * 5000}{']' * 5000}\n"),
        f"{FACTS}:{{line}}: YAML nested more than 50 levels deep",
    ),
    "billion laughs": Case(
        replace(FACTS, FACT_FILE_TOP, FACT_FILE_TOP + laughs(9, 10)),
        f"{FACTS}:11: YAML value holds more than 1,000,000 values once aliases are expanded",
    ),
    "merge keys doubling 40 times": Case(
        replace(FACTS, FACT_FILE_TOP, FACT_FILE_TOP + merges(40)),
        f"{FACTS}:23: YAML value holds more than 1,000,000 values once aliases are expanded",
    ),
    "alias inside itself": Case(
        replace(FACTS, FACT_FILE_TOP, FACT_FILE_TOP + "loop: &loop [*loop]\n"),
        f"{FACTS}:5: YAML alias refers to a value holding it",
    ),
    "fact file not UTF-8": Case(
        insert_bytes(FACTS, 6, b"\xc3\x28"), f"{FACTS}:{{line}}: not UTF-8 text (byte 0xc3)"
    ),
    "fact file is a directory": Case(
        make_directory(FACTS), f"{FACTS}: cannot read: Is a directory"
    ),
    "fact file a list": Case(
        rewrite(FACTS, lambda data: b"- report\n"), f"{FACTS}:1: a fact file must be a mapping"
    ),
    "places file missing": Case(
        remove(PLACES), f"{PLACES}: cannot read: No such file or directory"
    ),
    # ... the ontology and the shapes ...
    "ontology with a syntax error": Case(
        replace(ONTOLOGY, "hkg:Hospital a owl:Class", "hkg:Hospital a owl:Class oops"),
        f"{ONTOLOGY}:{{line}}: Turtle syntax error",
    ),
    "ontology with a syntax error, validate": Case(
        replace(ONTOLOGY, "hkg:Hospital a owl:Class", "hkg:Hospital a owl:Class oops"),
        f"{ONTOLOGY}:{{line}}: Turtle syntax error",
        command=VALIDATE,
    ),
    "ontology missing": Case(
        remove(ONTOLOGY), f"{ONTOLOGY}: cannot read: No such file or directory"
    ),
    "shapes with a syntax error": Case(
        replace(SHAPES, "sh:minCount 1 ;", "sh:minCount 1 oops ;"),
        f"{SHAPES}:{{line}}: Turtle syntax error",
        command=VALIDATE,
    ),
    "shapes that are not SHACL": Case(
        replace(SHAPES, "sh:minCount 1 ;", 'sh:minCount "one" ;'),
        f"{SHAPES}: invalid SHACL shapes: MinCountConstraintComponent",
        command=VALIDATE,
    ),
    "shapes missing": Case(
        remove(SHAPES), f"{SHAPES}: cannot read: No such file or directory", command=VALIDATE
    ),
    # ... and the project root.
    "root that does not exist": Case(
        nothing,
        "project root {root}/missing does not exist",
        code=2,
        command=("build", "--root", "{root}/missing"),
    ),
    "root that is a file": Case(
        nothing,
        "project root {root}/data/reference/places.yaml is not a directory",
        code=2,
        command=("stats", "--root", "{root}/data/reference/places.yaml"),
    ),
}


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes (None for a directory) under `root`."""
    return {
        path.relative_to(root).as_posix(): None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


def test_the_table_covers_enough_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_data_is_one_line_and_writes_nothing(scratch: Project, name: str) -> None:
    case = CASES[name]
    line = case.mutate(scratch.root)
    root = scratch.root.resolve()
    before = snapshot(root)
    result = run_cli(*(arg.format(root=root) for arg in case.command), cwd=root)
    lines = result.stderr.splitlines()
    assert result.returncode == case.code, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: " + case.expected.format(line=line, root=root)), lines[0]
    assert snapshot(root) == before
