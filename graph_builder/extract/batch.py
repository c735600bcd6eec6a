"""Which texts an `extract` run reads, running the extractor on them, and its summary.

A REPORT argument is a report id (data/reports/<id>.txt), a text file, or a folder of
`*.txt` files. One text is extracted in this process, so its errors are the command's;
several go to a pool of processes (the extractor is CPU-bound), and a text that cannot
be read or makes the extractor fail is named in the summary instead of stopping the rest.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder.errors import HospitalKgError, UsageError
from graph_builder.extract.candidates import KINDS, Candidate
from graph_builder.extract.engine import extract_text
from graph_builder.ingest.reports import check_report_text
from graph_builder.ingest.source_text import read_utf8
from graph_builder.project import Project


@dataclass(frozen=True)
class ReportInput:
    """A text to extract from: its name (report id or file stem) and whether it is one of
    the project's reports (data/reports/<name>.txt), whose candidates go to data/facts."""

    name: str
    path: Path
    is_report: bool


@dataclass
class Outcome:
    """What extracting one text gave: its text and candidates, or why it failed."""

    input: ReportInput
    text: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    error: str | None = None


def resolve_inputs(project: Project, arguments: Sequence[str]) -> list[ReportInput]:
    """The texts the arguments name, in order, each once; names must not repeat."""
    reports_dir = (project.data_dir / "reports").resolve()
    inputs: dict[Path, ReportInput] = {}
    for argument in arguments:
        for path in texts_named(project, argument):
            resolved = path.resolve()
            is_report = resolved.parent == reports_dir and resolved.with_suffix(".yaml").exists()
            inputs.setdefault(resolved, ReportInput(path.stem, path, is_report))
    names = Counter(item.name for item in inputs.values())
    repeated = sorted(name for name, count in names.items() if count > 1)
    if repeated:
        raise UsageError(f"several texts are named {repeated[0]!r}; extract them in separate runs")
    return list(inputs.values())


def texts_named(project: Project, argument: str) -> list[Path]:
    """The text files one argument names: a file, a folder's *.txt, or a report id's text."""
    path = Path(argument)
    if path.is_dir():
        texts = sorted(p for p in path.glob("*.txt") if p.is_file())
        if not texts:
            raise UsageError(f"{argument}: no report texts (*.txt) in this folder")
        return texts
    if path.is_file():
        return [path]
    by_id = project.data_dir / "reports" / f"{argument}.txt"
    if by_id.is_file():
        return [by_id]
    raise UsageError(f"{argument}: not a report id (no {by_id}), a text file or a folder")


def read_text(path: Path) -> str:
    """A report text as stored; offsets count its code points, so it must be exact
    (UTF-8, LF line ends, no control characters), as the builder requires."""
    content = read_utf8(path)
    check_report_text(path, content)
    return content


def extract_one(item: ReportInput, hospital: str | None) -> Outcome:
    """Read one text and run the extractor on it; errors propagate."""
    content = read_text(item.path)
    return Outcome(item, content, extract_text(content, hospital=hospital))


def extract_or_fail(item: ReportInput, hospital: str | None) -> Outcome:
    """`extract_one` for a pool worker: a failure is reported, not raised, so one bad
    text does not lose the others (the extractor is a work in progress)."""
    try:
        return extract_one(item, hospital)
    except HospitalKgError as exc:
        return Outcome(item, error=str(exc))
    except OSError as exc:
        return Outcome(item, error=exc.strerror or str(exc))
    except Exception as exc:  # the extractor's own bug: named, with its type
        return Outcome(item, error=f"extractor failed: {type(exc).__name__}: {exc}")


def extract_all(
    inputs: Sequence[ReportInput],
    hospital: str | None,
    advance: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Every input's outcome, in input order; several run in parallel processes."""
    if len(inputs) == 1:
        outcome = extract_one(inputs[0], hospital)
        advance(outcome)
        return [outcome]
    outcomes: dict[int, Outcome] = {}
    workers = max(1, min(len(inputs), os.cpu_count() or 1))
    context = multiprocessing.get_context("spawn")  # no state forked from this process
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(extract_or_fail, item, hospital): n for n, item in enumerate(inputs)}
        for future in as_completed(futures):
            outcome = result_of(future, inputs[futures[future]])
            outcomes[futures[future]] = outcome
            advance(outcome)
    return [outcomes[n] for n in range(len(inputs))]


def result_of(future: Future[Outcome], item: ReportInput) -> Outcome:
    """A worker's outcome; a worker that died (killed, out of memory) is a failure."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return Outcome(item, error=f"the extractor's process died ({exc})")


def summary(outcomes: Sequence[Outcome]) -> str:
    """`2 reports, 14 candidates (designation 9, partnership 5); 1 failed: x (why)`."""
    counts = Counter(c.kind for outcome in outcomes for c in outcome.candidates)
    order = [*KINDS, *sorted(set(counts) - set(KINDS))]
    kinds = ", ".join(f"{kind} {counts[kind]}" for kind in order if counts[kind])
    total = sum(counts.values())
    text = f"{plural(len(outcomes), 'report')}, {plural(total, 'candidate')}"
    text += f" ({kinds})" if kinds else ""
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        named = "; ".join(f"{outcome.input.name} ({outcome.error})" for outcome in failed)
        text += f"; {len(failed)} failed: {named}"
    return text


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 report`, `2 reports`; `nouns` for an irregular plural (entity, entities)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
