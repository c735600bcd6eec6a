"""The query library: `.rq` files in queries/, described by their header comments.

    # question-en: Which partner institutions does each hospital have, by kind of tie?
    # question-zh: 各医院有哪些合作机构？按关系类型列出。
    # param: hospital iri - -- restrict to one hospital (IRI, id or name); unbound = all
    # example: hospital-kg query partners-by-tie --param hospital=inst:jiaozuo-mch
    # kind: aggregate

`kind` says how much of the graph a query reads: `selective` (one hospital's profile,
the evidence of one fact) or `aggregate` (the whole graph); benchmarks/bench_queries.py
holds each kind to its own speed target.

A param line is `name type default [inline] -- description`, type one of iri, string,
integer; `-` for no default (the variable stays unbound), and "double quotes"
around a default with spaces. Parameter variables must be projected by SELECT.
`inline` writes the value into the WHERE clause in place of the variable as well
(values.py): for a variable inside MINUS, which a VALUES block does not reach.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph_builder.errors import HospitalKgError, display_path
from graph_builder.project import Project

PARAM_LINE = re.compile(
    r'^(\w+)\s+(iri|string|integer)\s+("[^"]*"|\S+)(?:\s+(inline))?\s+--\s+(.+)$'
)
SELECT_CLAUSE = re.compile(r"^\s*SELECT\b(.*?)\bWHERE\b", re.S | re.M | re.I)
HEADER_LINE = re.compile(r"^#\s*([a-z-]+):\s*(.*)$")
#: The header keys that make a .rq file a library query (`# note:` and the like are free-form).
HEADER_KEYS = ("question-en", "question-zh", "param", "example", "kind")
PARAM_TYPES = ("iri", "string", "integer")
KINDS = ("selective", "aggregate")


class LibraryError(HospitalKgError):
    """A malformed header or an unknown query name."""

    exit_code = 2


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str
    inline: bool = False


@dataclass
class LibraryQuery:
    name: str
    path: Path
    text: str
    question_en: str
    question_zh: str
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    kind: str | None = None  # "selective" | "aggregate"

    @classmethod
    def from_file(cls, path: Path) -> LibraryQuery:
        return cls.from_text(path, read_query_text(path))

    @classmethod
    def from_text(cls, path: Path, text: str) -> LibraryQuery:
        """The query in `text` (read from `path`), described by its header comments."""
        headers = header_fields(text)
        for key in ("question-en", "question-zh"):
            if not headers.get(key):
                raise LibraryError(f"{path.name}: header needs '# {key}: ...'")
        params = []
        for raw in headers.get("param", []):
            param = parse_param(raw)
            if param is None:
                raise LibraryError(
                    f"{path.name}: bad param line {raw!r} (want: name type default -- description)"
                )
            params.append(param)
        _check_projected(path, text, params)
        query_kind = " ".join(headers.get("kind", [])) or None
        if query_kind is not None and query_kind not in KINDS:
            raise LibraryError(
                f"{path.name}: kind must be one of {', '.join(KINDS)}, got {query_kind!r}"
            )
        return cls(
            name=path.stem,
            path=path,
            text=text,
            question_en=" ".join(headers["question-en"]),
            question_zh=" ".join(headers["question-zh"]),
            params=params,
            examples=headers.get("example", []),
            kind=query_kind,
        )


def header_fields(text: str) -> dict[str, list[str]]:
    """The `# key: value` lines of the comment block that starts a query, by key."""
    headers: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if match:  # other comment lines are free-form notes
            headers.setdefault(match.group(1), []).append(match.group(2).strip())
    return headers


def has_library_header(text: str) -> bool:
    """Whether `text` starts with a library header (a question, a param ...), so that a
    copy of a library query given by path keeps its parameters and their defaults."""
    return any(key in HEADER_KEYS for key in header_fields(text))


def read_query_text(path: Path) -> str:
    """A query file's text; one line naming the file if it is binary or not UTF-8."""
    data = path.read_bytes()
    if b"\0" in data:
        raise LibraryError(f"{display_path(path)}: not a query: a binary file (it holds NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LibraryError(
            f"{display_path(path)}: not UTF-8 text (byte {data[exc.start]:#04x} at offset "
            f"{exc.start}); save the query as UTF-8"
        ) from None


def query_file(path: Path) -> tuple[str, LibraryQuery | None]:
    """A .rq file's text, and the library query it is if it has a library header.

    With a header it runs exactly as the library query of that name: the header's
    parameters, their defaults and the checks on `--param`. Without, it is ad hoc.
    """
    if path.is_dir():
        raise LibraryError(f"{display_path(path)} is a directory, not a query file")
    if not path.is_file():
        raise LibraryError(f"no such query file: {display_path(path)}")
    text = read_query_text(path)
    return text, LibraryQuery.from_text(path, text) if has_library_header(text) else None


def _check_projected(path: Path, text: str, params: list[Param]) -> None:
    """Parameters are bound by SEP-0007 substitution, which Oxigraph applies only to
    variables the SELECT clause projects; refuse a library query that would fail there."""
    if not params:
        return
    match = SELECT_CLAUSE.search(text)
    projected = set(re.findall(r"\?(\w+)", match.group(1))) if match else set()
    for param in params:
        if param.name not in projected and "*" not in (match.group(1) if match else ""):
            raise LibraryError(
                f"{path.name}: parameter ?{param.name} must appear in the SELECT clause"
            )


def load_library(project: Project | None = None) -> dict[str, LibraryQuery]:
    """Every queries/*.rq by name, sorted."""
    project = project or Project.find()
    if not project.queries_dir.is_dir():
        raise LibraryError(f"no query library: {project.queries_dir} is not a directory")
    return {
        path.stem: LibraryQuery.from_file(path) for path in sorted(project.queries_dir.glob("*.rq"))
    }


def suggest(name: str, names: list[str], limit: int = 3) -> list[str]:
    """Closest library names: fuzzy matches first, then names sharing a word."""
    close = difflib.get_close_matches(name, names, n=limit, cutoff=0.5)
    words = set(re.split(r"[-_\s]+", name.lower())) - {""}
    sharing = [n for n in names if words & set(n.split("-")) and n not in close]
    return (close + sharing)[:limit]


def find_query(name: str, library: dict[str, LibraryQuery]) -> LibraryQuery:
    if name in library:
        return library[name]
    hint = suggest(name, list(library))
    did_you_mean = f"; did you mean: {', '.join(hint)}?" if hint else ""
    raise LibraryError(f"no query named {name!r} in the library{did_you_mean}")


def parse_param(raw: str) -> Param | None:
    """The parameter a `# param:` line declares; None if the line is malformed."""
    match = PARAM_LINE.match(raw)
    if match is None:
        return None
    name, kind, default, inline, description = match.groups()
    default = None if default == "-" else default.strip('"')
    return Param(name, kind, default, description, inline is not None)


@lru_cache(maxsize=64)
def inline_params(text: str) -> frozenset[str]:
    """The parameters `text`'s own library header marks `inline` (cached: binding a query
    asks twice, once to choose VALUES and once to write it)."""
    params = (parse_param(raw) for raw in header_fields(text).get("param", []))
    return frozenset(p.name for p in params if p is not None and p.inline)
