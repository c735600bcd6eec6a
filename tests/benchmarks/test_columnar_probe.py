"""The columnar probe compares answers term by term and runs end to end at a tiny size with
the real maplib (installed by the probe into its own virtual environment, as a user gets
it): a row per library query, every cell consistent with the differences it lists and
with its verdict. No timing is asserted."""

from __future__ import annotations

import json
import re
import sys

import pyoxigraph as ox
import pytest

from graph_builder.sparql.query_library import load_library
from tests.benchmarks import REPO, run_benchmark

sys.path.insert(0, str(REPO / "benchmarks"))
try:
    from columnar_probe import compare
finally:
    sys.path.remove(str(REPO / "benchmarks"))

TIME = re.compile(r"^[\d,.]+ (ms|s)$")
XSD = "http://www.w3.org/2001/XMLSchema#"
QUERY = """SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY ?s"""


@pytest.fixture(scope="module")
def answer() -> str:
    """Oxigraph's own SPARQL JSON for a small grouped query."""
    store = ox.Store()
    for s, o in (("a", "x"), ("a", "y"), ("b", "z")):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{s}"), ox.NamedNode("http://e/p"), ox.Literal(o)))
    return (store.query(QUERY).serialize(format=ox.QueryResultsFormat.JSON) or b"").decode()


def edited(answer: str, change) -> str:
    parsed = json.loads(answer)
    change(parsed["results"]["bindings"])
    return json.dumps(parsed)


def test_the_same_answer_is_the_same(answer: str) -> None:
    assert compare(answer, answer) == (True, True, "")


def test_rows_in_another_order_are_the_same_rows_in_another_order(answer: str) -> None:
    assert compare(answer, edited(answer, lambda rows: rows.reverse())) == (True, False, "")


def test_a_count_of_another_datatype_is_named(answer: str) -> None:
    def retype(rows: list) -> None:
        rows[0]["n"]["datatype"] = XSD + "unsignedInt"

    same, ordered, why = compare(answer, edited(answer, retype))
    assert not same and not ordered
    assert why == f'?n: "2"^^<{XSD}unsignedInt> where Oxigraph gives "2"^^<{XSD}integer>'


def test_extra_rows_are_counted(answer: str) -> None:
    same, _, why = compare(answer, edited(answer, lambda rows: rows.append(rows[0])))
    assert not same and why == "3 rows where Oxigraph gives 2"


def test_an_unbound_value_is_named(answer: str) -> None:
    def unbind(rows: list) -> None:
        del rows[1]["n"]

    same, _, why = compare(answer, edited(answer, unbind))
    assert not same and why == f'?n: unbound where Oxigraph gives "1"^^<{XSD}integer>'


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    cache = tmp_path_factory.mktemp("probe-cache")
    args = ["--hospitals", "10", "--runs", "1", "--cache-dir", cache, "--fork-seconds", "10"]
    return run_benchmark("columnar_probe.py", *args, timeout=900)


def test_every_library_query_is_compared_and_timed(output: str) -> None:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("### Oxigraph"))
    rows = {}
    for line in lines[start + 4 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = cells
    assert set(rows) == set(load_library())
    differences = output[output.index("Differences") : output.index("Checks of SPARQL")]
    for name, (_, ours, theirs, same, ordered, count_ours, count_theirs, _ratio) in rows.items():
        assert re.fullmatch(r"[\d,]+", ours), (name, ours)
        assert re.fullmatch(r"[\d,]+|error", theirs), (name, theirs)
        assert TIME.fullmatch(count_ours), (name, count_ours)
        assert same in {"yes", "no"} and ordered in {"yes", "no", "-"}
        # a query is listed under Differences exactly when its rows are not the same
        assert (same == "no") == (f"- {name}:" in differences), (name, same)
        if same == "yes":
            assert ours == theirs and TIME.fullmatch(count_theirs), (name, rows[name])
    agreeing = sum(cells[3] == "yes" for cells in rows.values())
    assert f"the same rows as Oxigraph on {agreeing}/{len(rows)} queries" in output


def test_each_sparql_rule_check_says_same_or_names_the_difference(output: str) -> None:
    checks = output[output.index("Checks of SPARQL 1.1 rules") : output.index("Join probe")]
    lines = [line for line in checks.splitlines() if line.startswith("- ")]
    assert len(lines) == 2, checks
    for line in lines:
        assert re.search(r": (the same answer|.+ where Oxigraph gives .+|maplib: .+)$", line)


def test_the_verdict_follows_from_what_was_measured(output: str) -> None:
    verdict = output[output.index("Verdict:") :]
    fork = re.search(r"a process forked after the load answers: (yes|no)", verdict)
    after = re.search(r"after a query that fails, the same model answers: (yes|no)", verdict)
    same = re.search(r"the same rows as Oxigraph on (\d+)/(\d+) queries", verdict)
    assert fork and after and same
    usable = fork[1] == "yes" and after[1] == "yes" and same[1] == same[2]
    assert f"usable as the endpoint's engine: {'yes' if usable else 'no'}" in verdict
    assert re.search(r"Join probe .*: Oxigraph \d+\.\d\d µs, maplib (\d+\.\d\d µs|-)", output)
