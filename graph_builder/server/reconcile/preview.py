"""The entity card: the preview OpenRefine shows in an iframe, and the view page.

Every text is escaped (html.escape, quotes too); the page loads nothing and runs no
script (its Content-Security-Policy says default-src 'none').
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from graph_builder.rdf.namespaces import HKG, ORG, SKOS

from .index import Entity, Index, Term

#: Facts shown on a card, at most.
MAX_FACTS = 8

FACTS_QUERY = """
SELECT ?what ?label ?role ?year WHERE {{
  {{ ?fact <{recipient}> <{iri}> ; <{designation}> ?object .
     BIND("conferral" AS ?what) }}
  UNION
  {{ ?fact a <{tie}> ; <{member}> <{iri}> ; <{organization}> ?object .
     BIND("tie" AS ?what) }}
  UNION
  {{ ?fact a <{tie}> ; <{organization}> <{iri}> ; <{member}> ?object .
     BIND("member" AS ?what) }}
  ?object <http://www.w3.org/2000/01/rdf-schema#label> ?label .
  FILTER(LANGMATCHES(LANG(?label), "zh"))
  OPTIONAL {{ ?fact <{role}>/<{pref_label}> ?role . FILTER(LANGMATCHES(LANG(?role), "zh")) }}
  OPTIONAL {{ ?fact <{year}> ?year }}
}}
ORDER BY ?what DESC(?year) ?label
LIMIT {limit}"""


def facts_query(iri: str) -> str:
    """The entity's first facts: what was conferred on it, and its ties either way.
    `iri` comes from the index (a store's IRI), never from the request."""
    if any(ch in iri for ch in '<>"{}|^`\\ ') or not iri:
        raise ValueError(f"not an IRI to put in a query: {iri!r}")
    return FACTS_QUERY.format(
        iri=iri,
        recipient=HKG.recipient,
        designation=HKG.designation,
        tie=HKG.Tie,
        member=ORG.member,
        organization=ORG.organization,
        role=ORG.role,
        pref_label=SKOS.prefLabel,
        year=HKG.year,
        limit=MAX_FACTS,
    )


def fact_lines(rows: list[dict[str, Term]]) -> list[str]:
    lines = []
    for row in rows:
        what, label = row.get("what"), row.get("label")
        if what is None or label is None:
            continue
        role, year = row.get("role"), row.get("year")
        text = label.value
        if what.value == "conferral":
            text = f"获 {text}"
        elif what.value == "tie":
            text = f"{role.value if role else '联系'}：{text}"
        else:
            text = f"{text}（{role.value if role else '成员'}）"
        if year is not None:
            text += f"，{year.value}"
        lines.append(text)
    return lines


CARD_STYLE = """
body{font:14px/1.4 system-ui,"WenQuanYi Micro Hei",sans-serif;margin:0;padding:8px 10px;color:#222}
h1{font-size:17px;margin:0 0 2px}
.en{color:#555;margin:0 0 6px}
.en small,.kind{color:#777;font-size:12px}
dl{margin:4px 0;display:grid;grid-template-columns:auto 1fr;gap:1px 8px}
dt{color:#777}dd{margin:0}
ul{margin:2px 0 0;padding-left:18px}
code{font-size:12px;word-break:break-all}
"""


def card(
    index: Index, entity: Entity, facts: list[str], extra: str = "", full: bool = False
) -> str:
    """The card as a whole HTML document."""
    e = escape
    types = ", ".join(index.types[c].name for c in entity.types[:3])
    rows: list[tuple[str, str]] = []
    if types:
        rows.append(("kind", e(types)))
    place = index.place_text(entity)
    if place:
        rows.append(("location", f'<span lang="zh">{e(place)}</span>'))
    others = entity.alternatives()
    if others:
        rows.append(("also", f'<span lang="zh">{e("、".join(others))}</span>'))
    rows.append(("id", f"<code>{e(entity.id)}</code>"))
    if full:
        rows.append(("IRI", f"<code>{e(entity.iri)}</code>"))
    english = ""
    if entity.english:
        english = (
            f'<p class="en" lang="en">{e(entity.english)} <small>(English translation)</small></p>'
        )
    listed = "".join(f'<li lang="zh">{e(line)}</li>' for line in facts)
    fact_block = f"<p>Facts (first {len(facts)}):</p><ul>{listed}</ul>" if facts else ""
    details = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(entity.name)}</title><style>{CARD_STYLE}</style></head>"
        f'<body><h1 lang="zh">{e(entity.name)}</h1>{english}<dl>{details}</dl>'
        f"{fact_block}{extra}</body></html>\n"
    )


def describe_link(base: str, entity: Entity) -> str:
    """A link to every triple about the entity, as Turtle from the SPARQL endpoint."""
    query = urlencode({"query": f"DESCRIBE <{entity.iri}>", "format": "turtle"})
    return f'<p><a href="{escape(base)}/sparql?{escape(query)}">All its triples (Turtle)</a></p>'
