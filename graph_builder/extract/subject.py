"""Which hospital a report is about, and which names in it mean that hospital.

A review names its hospital in the subtitle (——X2024年工作巡礼), an introduction in its
first sentence, a news item in its headline and lead. The subject is the hospital name
that appears there and most often in the text; names that differ from it only by a
dropped place word (甲州X医院 / 甲州市X医院) or that it contains (X医院 / 市X医院) are
taken as the same hospital. A name the lexical analyser tags as an organisation in the
header counts a little more.
"""

from __future__ import annotations

import re
from collections import Counter

from graph_builder.extract import analyser
from graph_builder.extract.document import Document
from graph_builder.extract.names import is_hospital, name_start, place_at
from graph_builder.extract.vocab import vocab

#: How far into the text the header (title, subtitle, lead) reaches.
HEAD_LINES = 6


def hospital_names(text: str) -> list[tuple[int, int]]:
    """Spans of hospital names in `text`, by suffix and the word before each."""
    v = vocab()
    suffixes = v.alt("hospital_suffixes")
    out: list[tuple[int, int]] = []
    for m in suffixes.finditer(text):
        end = m.end()
        # the longest suffix ending here (妇幼保健院, not 保健院)
        start = name_start(text, end, 0, min_len=len(m.group()))
        if is_hospital(text[start:end]) and not (out and out[-1][1] > start):
            out.append((start, end))
    return out


def find_subject(doc: Document) -> str:
    """The hospital the report is about, or '' if it names none."""
    flat = doc.flat
    head_end = doc.lines[min(HEAD_LINES, len(doc.lines)) - 1].end if doc.lines else 0
    first_body = next((ln for ln in doc.lines if ln.end - ln.start >= 40), None)
    counts: Counter[str] = Counter()
    for s, e in hospital_names(flat):
        counts[flat[s:e]] += 1
    tagged = _tagged_orgs(flat[:head_end])
    scores: Counter[str] = Counter()
    for name, n in counts.items():
        score = n
        if name in flat[:head_end]:
            score += 3 + (name in tagged)
        if first_body and name in flat[first_body.start : first_body.end]:
            score += 2
        if re.match(r"[\u4e00-\u9fff]{2,}[省市县区]", name):
            score += 1
        score += OPENS * _opens_a_line(name, doc, head_end)
        scores[name] = score
    if not scores:
        return ""
    best = max(scores.items(), key=lambda kv: (kv[1], len(kv[0]), -flat.find(kv[0])))
    return best[0]


#: What a name that opens a body paragraph or signs the header (the grammatical subject
#: of an introduction, the account that posts a news item) adds to its score.
OPENS = 4
#: A dateline before a lead's first word: 本报讯（记者 ...）, 讯, 日前，
DATELINE = re.compile(r"^[^\n，。]{0,12}讯(?:（[^）]*）|\([^)]*\))?|^(?:日前|近日|近年来)，")
#: A header line that is a name and a date: the account or site that published it.
SIGNED = re.compile(r"^\s*(?P<name>\S+?)\s+(?:19|20)[0-9]{2}[-年./][0-9]")


def _opens_a_line(name: str, doc: Document, head_end: int) -> bool:
    """Whether `name` starts the first long paragraph (after a dateline) or signs a
    header line with a date: where a text puts the hospital it is about."""
    flat = doc.flat
    for line in doc.lines:
        text = flat[line.start : line.end].strip()
        if line.start < head_end:
            signed = SIGNED.match(text)
            if signed and signed.group("name") == name:
                return True
        if line.end - line.start >= 40:
            lead = DATELINE.sub("", text)
            return lead.startswith(name)
    return False


def _tagged_orgs(head: str) -> set[str]:
    """The names the lexical analyser tags as organisations in the header lines."""
    found: set[str] = set()
    suffixes = vocab().alt("hospital_suffixes")
    for line in head.splitlines()[:HEAD_LINES]:
        if suffixes.search(line):
            line = line[:120]
            found.update(line[s:e] for s, e in analyser.spans(line, "ORG"))
    return found


def bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def same_hospital(a: str, b: str) -> bool:
    """Whether two names plausibly mean one hospital (one contains the other, or they
    share most character pairs)."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    if _distinct(a, b):
        return False
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= 0.6


ORDINAL = re.compile(r"第[一二三四五六七八九十0-9]+")


def _distinct(a: str, b: str) -> bool:
    """Names that share their ending but not their place (甲县人民医院 / 乙县人民医院) or
    their number (第一人民医院 / 第三人民医院) are two hospitals however alike they read."""
    (_, a_end), (_, b_end) = place_at(a), place_at(b)
    if a_end and b_end and a[:a_end] != b[:b_end]:
        short, long = sorted((a[:a_end], b[:b_end]), key=len)
        if not long.startswith(short.rstrip("省市县区")):
            return True
    x, y = ORDINAL.findall(a), ORDINAL.findall(b)
    return bool(x and y and x != y)
