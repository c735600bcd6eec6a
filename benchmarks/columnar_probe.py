"""Would a columnar SPARQL engine close the evaluation gap to Virtuoso? Measured, not argued.

bench_virtuoso.py finds every miss of the evaluation targets where hospital-kg's engine
(Oxigraph) pays about 30 times Virtuoso's price for each joined pattern of each row. A
store layer that joins in columns is the route its notes name. maplib (Rust, on Polars and
Arrow, installable from PyPI) is such an engine; this probe asks it the library queries
with the same bound texts as bench_virtuoso.py, on the same synthetic graph, beside
Oxigraph's in-memory store (what the endpoint's workers hold), and reports:

- evaluation alone (the same COUNT text on both) and the join probe's price per row;
- whether the answers are the same: every row (as RDF terms, compared as multisets) and
  their order, from each engine's SPARQL JSON;
- whether a process forked after the load still answers (the endpoint's workers are
  forked from a template that holds the graph).

An engine the endpoint could use must be faster and give the same answers and answer
from a fork. maplib runs in its own virtual environment (`--venv`, made on first use with
pip), so its dependencies never touch hospital-kg's.

    python benchmarks/columnar_probe.py --hospitals 3000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox
from bench_queries import cached_graph
from bench_virtuoso import count_text, library_texts
from join_probe import PROBES

from graph_builder.project import PACKAGE_ROOT, Project
from graph_builder.publish.remote import with_prefixes
from graph_builder.sparql.query_library import load_library

MAPLIB = "0.20.26"
#: Small queries on any hospital-kg graph, each on one rule of SPARQL 1.1 that the library
#: queries lean on; a difference on one names the rule a library answer breaks.
CHECKS = {
    # the endpoint binds parameters in a VALUES block, beside the query's FILTERs
    "a FILTER beside a VALUES block (SPARQL 1.1, Scope of Filters: the whole group)": (
        "SELECT ?thing WHERE { ?thing rdfs:label ?label . FILTER (CONTAINS(STR(?label), '妇幼'))"
        " VALUES ?p { hkg:englishLabel } ?thing ?p ?en }"
    ),
    "COUNT's datatype (SPARQL 1.1: xsd:integer)": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?hospital a hkg:Hospital }"
    ),
}
WORKER = Path(__file__).resolve().parent / "maplib_worker.py"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Term = tuple[str, str, str]  # kind, value, language or datatype


def ensure_venv(venv: Path, version: str) -> Path:
    """The Python of `venv`, with maplib `version` installed (made with pip if missing)."""
    python = venv / "bin" / "python"
    check = [str(python), "-c", "from importlib.metadata import version; print(version('maplib'))"]
    if python.exists():
        found = subprocess.run(check, capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip() == version:
            return python
    print(f"maplib {version}: installing into {venv} (pip)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run([*pip, f"maplib=={version}"], capture_output=True, text=True)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
    return python


def term(binding: dict | None) -> Term:
    """A SPARQL JSON term as a comparable triple; an unbound variable is ("", "", "")."""
    if binding is None:
        return ("", "", "")
    kind = {"typed-literal": "literal"}.get(binding["type"], binding["type"])
    if kind != "literal":
        return (kind, binding["value"], "")
    if "xml:lang" in binding:
        return ("literal", binding["value"], "@" + binding["xml:lang"].lower())
    return ("literal", binding["value"], binding.get("datatype", XSD_STRING))


def rows(answer: str) -> tuple[list[str], list[tuple[Term, ...]]]:
    """The variables and rows of a SPARQL JSON answer, each row in the variables' order."""
    parsed = json.loads(answer)
    names = parsed["head"]["vars"]
    return names, [tuple(term(b.get(n)) for n in names) for b in parsed["results"]["bindings"]]


def shown(value: Term) -> str:
    kind, text, extra = value
    if not kind:
        return "unbound"
    if kind == "uri":
        return f"<{text}>"
    if extra.startswith("@"):
        return f'"{text}"{extra}'
    return f'"{text}"' + ("" if extra == XSD_STRING else f"^^<{extra}>")


def compare(ours: str, theirs: str) -> tuple[bool, bool, str]:
    """Same rows (as multisets), same order, and the first difference, if any: a value
    that differs between the rows in sorted order, or the row counts."""
    names, mine = rows(ours)
    parsed = json.loads(theirs)
    other = [tuple(term(b.get(n)) for n in names) for b in parsed["results"]["bindings"]]
    if sorted(mine) == sorted(other):
        return True, mine == other, ""
    if len(mine) != len(other):
        return False, False, f"{len(other):,} rows where Oxigraph gives {len(mine):,}"
    for a, b in zip(sorted(mine), sorted(other), strict=True):
        for name, x, y in zip(names, a, b, strict=True):
            if x != y:
                return False, False, f"?{name}: {shown(y)} where Oxigraph gives {shown(x)}"
    return False, False, ""


def oxigraph_side(files: list[Path], job: dict) -> dict:
    """What maplib_worker.py reports, from an in-memory pyoxigraph Store."""
    store = ox.Store()
    started = time.perf_counter()
    for path in files:
        fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
        store.bulk_load(path=str(path), format=fmt)
    out: dict = {"version": ox.__version__, "load": time.perf_counter() - started}

    def timed(text: str, repeat: int) -> dict:
        answer = store.query(text).serialize(format=ox.QueryResultsFormat.JSON)
        seconds = []
        for _ in range(repeat):
            begun = time.perf_counter()
            result = store.query(text)
            for _solution in result:  # a COUNT: one row
                pass
            seconds.append(time.perf_counter() - begun)
        return {"json": (answer or b"").decode(), "seconds": seconds}

    runs = job["runs"]
    out["queries"] = {n: timed(t, 0) for n, t in job["queries"].items()}
    out["counts"] = {n: timed(t, runs) for n, t in job["counts"].items()}
    out["checks"] = {n: timed(t, 0) for n, t in job["checks"].items()}
    out["probes"] = {n: timed(t, runs) for n, t in job["probes"].items()}
    return out


def p50(cell: dict) -> float | None:
    return statistics.median(cell["seconds"]) if cell.get("seconds") else None


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.3g} ms" if seconds < 1 else f"{seconds:.2f} s"


def count_of(cell: dict) -> int | None:
    if "json" not in cell:
        return None
    _, found = rows(cell["json"])
    return int(found[0][0][1]) if found else None


def per_row(side: dict) -> float | None:
    """The join probe's price of one more pattern per row: (3 - 1 patterns) / 2 / rows."""
    first, last = p50(side["probes"]["1 pattern"]), p50(side["probes"]["3 patterns"])
    counted = count_of(side["probes"]["1 pattern"])
    if first is None or last is None or not counted:
        return None
    return max(last - first, 0.0) / 2 / counted


def report(ours: dict, theirs: dict) -> list[str]:
    """The table, the join probe, and the verdict, as printed lines."""
    lines = [
        f"### Oxigraph {ours['version']} (in memory) against maplib {theirs['version']}",
        "",
        "| query | rows: Oxigraph | rows: maplib | same rows | same order "
        "| COUNT: Oxigraph | COUNT: maplib | Oxigraph / maplib |",
        "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: |",
    ]
    faster = same = 0
    differences = []
    for name, mine in ours["queries"].items():
        other = theirs["queries"][name]
        _, my_rows = rows(mine["json"])
        if "error" in other:
            their_rows, equal, ordered = "error", "no", "-"
            differences.append(f"- {name}: maplib: {other['error']}")
        else:
            _, found = rows(other["json"])
            their_rows = f"{len(found):,}"
            is_same, is_ordered, why = compare(mine["json"], other["json"])
            equal, ordered = ("yes" if is_same else "no"), ("yes" if is_ordered else "no")
            same += is_same
            if why:
                differences.append(f"- {name}: {why}")
        a, b = p50(ours["counts"][name]), p50(theirs["counts"][name])
        if "error" in theirs["counts"][name]:
            differences.append(f"- {name} (COUNT): maplib: {theirs['counts'][name]['error']}")
        ratio = f"{a / b:.1f}x" if a is not None and b else "-"
        faster += a is not None and b is not None and b < a
        cells = [name, f"{len(my_rows):,}", their_rows, equal, ordered, ms(a), ms(b), ratio]
        lines.append("| " + " | ".join(cells) + " |")
    total = len(ours["queries"])
    mine_row, their_row = per_row(ours), per_row(theirs)
    checks = ["", "Checks of SPARQL 1.1 rules the library queries use:"]
    for name, mine in ours["checks"].items():
        other = theirs["checks"][name]
        if "error" in other:
            verdict = f"maplib: {other['error']}"
        else:
            is_same, _, why = compare(mine["json"], other["json"])
            verdict = "the same answer" if is_same else why
        checks.append(f"- {name}: {verdict}")
    lines += [
        "",
        "Differences:" if differences else "Differences: none",
        *differences,
        *checks,
        "",
        "Join probe (COUNT over the dated facts, one more pattern per row): "
        + f"Oxigraph {_us(mine_row)}, maplib {_us(their_row)}",
        f"Load: Oxigraph {ours['load']:.1f} s, maplib {theirs['load']:.1f} s",
        "",
        "Verdict:",
        f"- evaluation (COUNT p50): maplib faster on {faster}/{total} queries",
        f"- the same rows as Oxigraph on {same}/{total} queries",
        "- a process forked after the load answers: "
        + ("yes" if theirs["fork"] else "no (it hangs: the endpoint's workers could not use it)"),
        "- after a query that fails, the same model answers: "
        + ("yes" if theirs["still_answers"] else "no (every later query fails)"),
    ]
    usable = same == total and theirs["fork"] and theirs["still_answers"]
    lines.append(
        "- usable as the endpoint's engine: "
        + (
            "yes"
            if usable
            else "no: it must give the same answers, answer in a fork and survive errors"
        )
    )
    return lines


def _us(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e6:.2f} µs"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hospitals", type=int, default=3000, help="synthetic graph size")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after a warm-up")
    parser.add_argument("--queries", default="", help="comma-separated names (default: all)")
    parser.add_argument(
        "--cache-dir", type=Path, default=PACKAGE_ROOT / "build" / "bench", help="graph cache"
    )
    parser.add_argument(
        "--venv", type=Path, default=PACKAGE_ROOT / "build" / "maplib-venv", help="maplib's"
    )
    parser.add_argument("--maplib", default=MAPLIB, help="the maplib version to install")
    parser.add_argument(
        "--fork-seconds", type=float, default=20.0, help="how long a forked query may take"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    project = Project.find()
    library = load_library(project)
    if args.queries:
        wanted = {n.strip() for n in args.queries.split(",") if n.strip()}
        if unknown := sorted(wanted - set(library)):
            print(f"columnar_probe: unknown queries: {', '.join(unknown)}", file=sys.stderr)
            return 2
        library = {n: q for n, q in library.items() if n in wanted}
    try:
        python = ensure_venv(args.venv, args.maplib)
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or "").strip().splitlines() or [str(exc)]
        print(f"columnar_probe: could not install maplib: {last[-1]}", file=sys.stderr)
        return 2
    data = cached_graph(project, args.hospitals, args.seed, args.cache_dir)
    texts, notes, triples = library_texts(project, library, data)
    counts = {n: count_text(t) for n, t in texts.items()}
    probes = {n: with_prefixes(t) for n, t in PROBES.items()}
    files = [data, project.ontology]
    print(f"graph: {triples:,} triples ({args.hospitals} hospitals, seed {args.seed})")
    print(f"cores: {os.cpu_count()}; load average at start: {os.getloadavg()[0]:.2f}")
    for note in notes:
        print(f"parameter {note}")
    job = {
        "files": [str(f) for f in files],
        "queries": texts,
        "counts": counts,
        "checks": {n: with_prefixes(t) for n, t in CHECKS.items()},
        "probes": probes,
        "runs": args.runs,
        "fork_query": probes["1 pattern"],
        "empty_probe": "no pattern",
        "fork_seconds": args.fork_seconds,
    }
    done = subprocess.run(
        [str(python), str(WORKER)], input=json.dumps(job), capture_output=True, text=True
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"columnar_probe: maplib failed: {last}", file=sys.stderr)
        return 1
    theirs = json.loads(done.stdout)
    ours = oxigraph_side(files, job)
    print()
    print("\n".join(report(ours, theirs)))
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
