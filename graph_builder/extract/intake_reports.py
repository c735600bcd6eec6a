"""`add-report`: report files into data/reports/<id>.txt and <id>.yaml, one or many at once.

Files are read in parallel (worker processes: trafilatura is Python-heavy, so threads
would take turns); everything that touches data/reports (ids, duplicates, writing)
happens afterwards in this process, in the order the files were given, so a run gives
the same ids whatever order the workers finish in. A report whose text is already there
(the same SHA-256 as a stored text) is refused with the name of the one it repeats.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graph_builder.atomic_files import write_atomic
from graph_builder.errors import DataError, HospitalKgError, UsageError, display_path
from graph_builder.extract.glossary import read_glossary
from graph_builder.extract.linking import place_lexicon
from graph_builder.extract.source_dates import FoundDate, iso_day
from graph_builder.extract.source_html import HTML_SUFFIXES
from graph_builder.extract.source_slug import report_slug, unique_slug
from graph_builder.extract.sources import (
    DEFAULT_MAX_BYTES,
    MAX_TITLE,
    Source,
    header_lines,
    read_source,
)
from graph_builder.ingest.ids import ID_PATTERN
from graph_builder.ingest.places import read_places
from graph_builder.ingest.reports import read_report, url_problem
from graph_builder.ingest.source_text import first_forbidden
from graph_builder.project import Project

#: Lines of a text's head searched for its hospital when the title names none.
HEADER_LINES = 4
#: What a folder's report files end with (other files, and sub-folders such as the
#: `page_files/` a browser saves beside a page, are left alone).
REPORT_SUFFIXES = frozenset({".txt", ".text", *HTML_SUFFIXES})
HEADER = (
    "# Added by `hospital-kg add-report`. The hospital it is about (subject) is set when\n"
    "# its facts are accepted; review_year only if it reviews a year.\n"
)


@dataclass(frozen=True)
class Request:
    """What the command line says beyond the files: values for one report, and limits."""

    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    ident: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    def per_report(self) -> list[str]:
        """The options given that describe one report, as typed."""
        given = {"--title": self.title, "--date": self.date, "--url": self.url, "--id": self.ident}
        return [option for option, value in given.items() if value is not None]


@dataclass(frozen=True)
class Added:
    """A report written: its id, its two files, and what they record."""

    source: Source
    ident: str
    text_path: Path
    meta_path: Path
    title: str
    date: FoundDate | None
    url: str | None

    @property
    def path(self) -> Path:
        return self.source.path


@dataclass(frozen=True)
class Present:
    """A file skipped because its text is stored already, as `existing`."""

    path: Path
    existing: Path


@dataclass(frozen=True)
class Failed:
    """A file that could not be added, and the one line that says why."""

    path: Path
    message: str


Outcome = Added | Present | Failed


class AlreadyPresent(DataError):
    """A report whose text is stored already: nothing is written."""

    def __init__(self, path: Path, existing: Path) -> None:
        self.existing = existing
        super().__init__(path, None, f"already present as {display_path(existing)} (same text)")


def make_request(
    title: str | None, date: str | None, url: str | None, ident: str | None, max_bytes: int
) -> Request:
    """The options, checked: a real day, a web address, an id that is a slug."""
    if title is not None and (not title.strip() or first_forbidden(title)):
        raise UsageError(f"--title: {title!r} is not a title (empty, or control characters)")
    if url is not None and url_problem(url):
        raise UsageError(f"--url: {url!r} {url_problem(url)}")
    if ident is not None and not ID_PATTERN.fullmatch(ident):
        raise UsageError(f"--id: {ident!r} must be lower-case ASCII words joined by '-'")
    return Request(title, _option_day(date), url, ident, max_bytes)


def _option_day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return iso_day(text)
    except ValueError as exc:
        raise UsageError(f"--date: {text!r} {exc}") from None


def report_files(inputs: Sequence[Path]) -> list[Path]:
    """The files to add: each file given, and the report files of each folder given."""
    files: list[Path] = []
    for path in inputs:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        found = folder_reports(path) if path.is_dir() else [path]
        files += [file for file in found if file.resolve() not in {f.resolve() for f in files}]
    return files


def folder_reports(folder: Path) -> list[Path]:
    """A folder's report files (not hidden, not in sub-folders), by name."""
    found = sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() in REPORT_SUFFIXES
        and not path.name.startswith(".")
        and path.is_file()
    )
    if not found:
        suffixes = ", ".join(f"*{suffix}" for suffix in sorted(REPORT_SUFFIXES))
        raise UsageError(f"{folder}: no report files ({suffixes}) in this folder")
    return found


def is_single(inputs: Sequence[Path]) -> bool:
    """One file given (not a folder): it is added or refused with one error line."""
    return len(inputs) == 1 and not inputs[0].is_dir()


def check_request(request: Request, files: Sequence[Path]) -> None:
    """Options that describe one report are refused with several files."""
    options = request.per_report()
    if len(files) > 1 and options:
        raise UsageError(
            f"{options[0]} describes one report, but {len(files)} files were given; "
            "add that one on its own"
        )


def add_one(project: Project, path: Path, request: Request) -> Added:
    """Add one file, or raise the one error that says why not."""
    return ReportShelf(project).add(read_source(path, request.max_bytes), request)


def add_many(
    project: Project,
    files: Sequence[Path],
    request: Request,
    jobs: int,
    on_read: Callable[[Path], None] = lambda path: None,
) -> Summary:
    """Add every file that can be added; the others are reported, not raised."""
    shelf = ReportShelf(project)
    summary = Summary()
    for read in read_all(files, request.max_bytes, jobs, on_read):
        summary.outcomes.append(read if isinstance(read, Failed) else shelf.settle(read, request))
    return summary


def read_all(
    files: Sequence[Path], max_bytes: int, jobs: int, on_read: Callable[[Path], None]
) -> list[Source | Failed]:
    """Each file read, in the order given; by `jobs` worker processes when more than one.

    `on_read` is called in this thread as each file is done (for a progress bar).
    """
    if jobs <= 1 or len(files) <= 1:
        return [_reported(read_or_fail(path, max_bytes), on_read) for path in files]
    context = multiprocessing.get_context(start_method())
    workers = min(jobs, len(files))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(read_or_fail, path, max_bytes): path for path in files}
        for done in as_completed(futures):
            on_read(futures[done])
        return [future.result() for future in futures]


def start_method() -> str:
    """fork on Linux: workers start at once with the extractor imported (spawn re-imports it,
    0.3 s a worker, and re-runs the main script). Forking is safe here because the workers
    are forked at the first submit, before this process has any other thread (the progress
    bar refreshes from the main thread)."""
    return "fork" if sys.platform == "linux" else "spawn"


def _reported(read: Source | Failed, on_read: Callable[[Path], None]) -> Source | Failed:
    on_read(read.path)
    return read


def read_or_fail(path: Path, max_bytes: int) -> Source | Failed:
    """One file read, its error returned: a worker's exceptions would not survive pickling."""
    try:
        return read_source(path, max_bytes)
    except (HospitalKgError, OSError) as exc:
        return Failed(path, str(exc))


def default_jobs() -> int:
    """As many workers as cores."""
    return os.cpu_count() or 1


@dataclass
class Summary:
    """What a run of many files did, file by file."""

    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, kind: type[Outcome]) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if isinstance(outcome, kind)]

    def line(self) -> str:
        """`2 added, 1 skipped as already present, 1 failed: x.html`."""
        failed = self.of(Failed)
        names = ", ".join(outcome.path.name for outcome in failed)
        counts = (
            f"{len(self.of(Added))} added, {len(self.of(Present))} skipped as already present, "
            f"{len(failed)} failed"
        )
        return f"{counts}: {names}" if failed else counts

    def check(self) -> None:
        """Raise the summary as the run's error if any file failed."""
        if self.of(Failed):
            raise DataError(None, None, self.line())


class ReportShelf:
    """data/reports as one run sees it: the ids taken, the texts stored, and new ones added."""

    def __init__(self, project: Project) -> None:
        self.root = project.root
        self.folder = project.data_dir / "reports"
        self.lexicon = id_lexicon(project)
        self.texts = stored_texts(self.folder)
        self.taken = {path.stem for path in self.folder.glob("*.yaml")} | {
            path.stem for path in self.folder.glob("*.txt")
        }

    def settle(self, source: Source, request: Request) -> Outcome:
        """Add `source`, or say why not, as an outcome."""
        try:
            return self.add(source, request)
        except AlreadyPresent as exc:
            return Present(source.path, exc.existing)
        except (HospitalKgError, OSError) as exc:
            return Failed(source.path, str(exc))

    def add(self, source: Source, request: Request) -> Added:
        """Write `source` as a new report; raise if it is stored already or cannot be."""
        digest = sha256(source.text)
        if digest in self.texts:
            raise AlreadyPresent(source.path, self.texts[digest])
        title = report_title(source, request)
        date = FoundDate(request.date, "--date") if request.date else source.date
        ident = self.new_id(source, title, date, request)
        added = Added(
            source,
            ident,
            self.folder / f"{ident}.txt",
            self.folder / f"{ident}.yaml",
            title,
            date,
            request.url or source.url,
        )
        write_report(added, self.root)
        self.texts[digest] = added.text_path
        self.taken.add(ident)
        return added

    def new_id(self, source: Source, title: str, date: FoundDate | None, request: Request) -> str:
        """--id if free, else an id made from the title and year, numbered if taken."""
        if request.ident is None:
            year = None if date is None else date.day.year
            header = "\n".join(header_lines(source.text, HEADER_LINES))
            return unique_slug(report_slug(title, year, self.lexicon, header), self.taken)
        if request.ident in self.taken:
            existing = display_path(self.folder / f"{request.ident}.yaml")
            raise UsageError(f"--id: report {request.ident!r} exists ({existing}); choose another")
        return request.ident


def report_title(source: Source, request: Request) -> str:
    """--title, else the page's headline or the text's first line; it must be in the text."""
    title = request.title or source.title
    if not title:
        raise DataError(
            source.path,
            None,
            f"no title: the first line is longer than {MAX_TITLE} characters; give --title",
        )
    if title not in source.text:
        raise UsageError(
            f"--title: {title!r} is not in the text of {source.path.name}; "
            "a report's title must be quoted from it"
        )
    return title


def write_report(added: Added, root: Path) -> None:
    """The text, then its metadata; both removed again if the builder would refuse them."""
    write_atomic(added.text_path, added.source.text.encode("utf-8"))
    try:
        write_atomic(added.meta_path, metadata_yaml(added).encode("utf-8"))
        read_report(added.meta_path, root)
    except (HospitalKgError, OSError):
        added.text_path.unlink(missing_ok=True)
        added.meta_path.unlink(missing_ok=True)
        raise


def metadata_yaml(added: Added) -> str:
    """reports/<id>.yaml: id, text, title, then what add-report learnt about the source."""
    source = added.source
    meta: dict[str, object] = {
        "id": added.ident,
        "text": added.text_path.name,
        "title": added.title,
    }
    if added.date is not None:
        meta["date"] = added.date.day
    if added.url is not None:
        meta["url"] = added.url
    meta |= {
        "source": source_name(source.path),
        "format": source.format,
        "encoding": source.encoding,
        "added": dt.date.today(),
    }
    return HEADER + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)


def source_name(path: Path) -> str:
    """The file's name as metadata can hold it (undecodable bytes and controls as '?')."""
    name = path.name.encode("utf-8", "replace").decode("utf-8")
    while (found := first_forbidden(name)) is not None:
        name = name[: found.start()] + "?" + name[found.end() :]
    return name


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_texts(folder: Path) -> dict[str, Path]:
    """Every stored report text by the SHA-256 of its bytes."""
    return {hashlib.sha256(path.read_bytes()).hexdigest(): path for path in folder.rglob("*.txt")}


def id_lexicon(project: Project) -> dict[str, str]:
    """Chinese place names (full and short) and glossary terms -> the words ids use."""
    path = project.data_dir / "reference" / "places.yaml"
    places = read_places(path, {})[0] if path.exists() else {}
    glossary = read_glossary(project.data_dir / "reference" / "glossary.yaml")
    return {**place_lexicon(places), **glossary.slugs()}
