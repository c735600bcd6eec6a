"""The interactive explorer: a view of the network as one self-contained HTML page.

pyvis assembles the vis-network nodes, edges and options; our own Jinja2
template writes the page, because pyvis's templates load Bootstrap and
vis-network from CDNs. Here vis-network (vendored from pyvis in `assets/`),
the page's script and its styles are all inlined, and a Content-Security-Policy
forbids the page from loading anything at all.

Labels never reach the page as markup: they travel as JSON (with `<`, `>` and
`&` escaped) and the script writes them with `textContent`; the template's few
server-side strings are autoescaped.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network
from rdflib import Graph
from rdflib.term import URIRef

from graph_builder.network.attributes import node_values
from graph_builder.network.entities import KINDS, Kind, Labels
from graph_builder.network.view_selection import MORE, View
from graph_builder.rdf.namespaces import BASE, HKG, HKV, PREFIXES
from graph_builder.rdf.vocabulary import Vocabulary

LANGS = ("zh", "en")
VIS_JS = "vis-network-9.1.2.min.js"
RANDOM_SEED = 20240101
HUB_FONT_SIZE = 64  # canvas units: provinces stay readable with the whole country in view

#: A node kind that only views create: hospitals a large view could not draw.
VIEW_KINDS: dict[str, Kind] = {
    **KINDS,
    MORE: Kind(MORE, "#bdbdbd", "box", None, "未显示的医院", "Hospitals not shown"),
}

#: Legend symbols for vis-network shapes.
SHAPE_GLYPHS = {
    "star": "★",
    "dot": "●",
    "triangle": "▲",
    "triangleDown": "▼",
    "diamond": "◆",
    "hexagon": "⬢",
    "square": "■",
    "box": "▬",
}

#: Words of the page itself (everything else is named by the ontology or the data).
UI: dict[str, dict[str, str]] = {
    "zh": {
        "title": "hospital-kg 网络浏览",
        "search": "搜索：机构、称号、人员……",
        "legend": "图例（勾选以筛选）",
        "translation": "（译名）",
        "translation_note": "中文名称为报道原文；英文名称为整理者译名，并非引文。",
        "not_found": "未找到：",
        "found": "已定位：",
        "kind": "类别",
        "name_zh": "中文名称（原文）",
        "links": "关系数",
        "id": "标识",
        "full": "全图",
        "ego": "以“{focus}”为中心，{depth} 步以内",
        "aggregate": "汇总视图",
        "summary": "显示 {nodes:,} 个节点、{edges:,} 条关系（{view}）",
        "omitted": "未显示的节点：{counts}",
        "filtered": "按 --kinds 筛除（或因此失去全部关系）的节点：{kinds}",
        "sep": "、",
        "selected": "选中的节点",
        "select_hint": "点击节点查看其页面链接；双击直接打开。",
        "page": "打开实体页面",
    },
    "en": {
        "title": "hospital-kg network explorer",
        "search": "Search: institution, designation, person ...",
        "legend": "Legend (tick to filter)",
        "translation": "(translation)",
        "translation_note": "Chinese names are as written in the reports; English names are "
        "curators' translations, not quotations.",
        "not_found": "Not found: ",
        "found": "Focused: ",
        "kind": "kind",
        "name_zh": "Chinese name (as written)",
        "links": "links",
        "id": "id",
        "full": "whole graph",
        "ego": "within {depth} steps of “{focus}”",
        "aggregate": "aggregate view",
        "summary": "{nodes:,} nodes and {edges:,} links shown ({view})",
        "omitted": "Not shown: {counts}",
        "filtered": "Left out by --kinds (or left without links by it): {kinds}",
        "sep": ", ",
        "selected": "Selected node",
        "select_hint": "Click a node for a link to its page; double-click opens it.",
        "page": "Open its page",
    },
}

#: Hover rows: key in the node/edge data -> the ontology term that names it.
FIELD_TERMS: tuple[tuple[str, URIRef], ...] = (
    ("level", HKG.level),
    ("batch", HKG.batch),
    ("status", HKG.status),
    ("issuer", HKG.issuer),
    ("programme", HKG.programme),
    ("year", HKG.year),
    ("month", HKG.month),
    ("date", HKG.date),
    ("branded", HKG.brandedName),
)


@dataclass(frozen=True)
class Page:
    """The rendered page and what it shows, for the command's report."""

    html: str
    nodes: int
    edges: int
    notes: list[str]  # in the page's language
    notes_en: list[str]  # for the command line


def render_explorer(
    view: View,
    ontology: Graph | Vocabulary,
    lang: str = "zh",
    left_out_kinds: Counter | None = None,
) -> Page:
    """The explorer page for `view`, with names and words in `lang` (zh or en)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (one of: {', '.join(LANGS)})")
    labels = Labels(Graph(), ontology)
    ui = UI[lang]
    net = assemble(view, labels, lang)
    notes = _notes(view, labels, lang, left_out_kinds or Counter())
    counts = Counter(kind for _, kind in node_values(view.graph, "kind"))
    legend = [
        {
            "kind": name,
            "label": _pick(labels.kind(kind), lang),
            "colour": kind.colour,
            "glyph": SHAPE_GLYPHS.get(kind.shape, "●"),
            "count": counts[name],
        }
        for name, kind in VIEW_KINDS.items()
        if counts[name]
    ]
    physics = view.positions is None
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "physics": physics,
        "focus": view.focus,
        # IRIs under base link to this server's path for them when the page is served
        # (hospital-kg serve at /explore), to themselves when it is opened as a file.
        "base": BASE,
        "prefixes": node_prefixes(net.nodes),
        "ui": {
            **{k: ui[k] for k in ("not_found", "found", "translation", "page")},
            "report": _pick(labels.term(HKG.Report), lang),
            "report_year": _pick(labels.term(HKG.reviewYear), lang),
        },
    }
    summary = ui["summary"].format(
        nodes=view.graph.number_of_nodes(),
        edges=view.graph.number_of_edges(),
        view=_view_name(view, lang),
    )
    html = (
        _environment()
        .get_template("explorer.html.j2")
        .render(
            lang=lang,
            title=ui["title"],
            summary=summary,
            notes=notes,
            legend=legend,
            ui=ui,
            data_json=script_json(data),
            vis_js=_script_safe(_asset(VIS_JS)),
            explorer_js=_script_safe(_asset("explorer.js")),
            css=_asset("explorer.css").replace("</style", "<\\/style"),
        )
    )
    notes_en = notes if lang == "en" else _notes(view, labels, "en", left_out_kinds or Counter())
    return Page(html, view.graph.number_of_nodes(), view.graph.number_of_edges(), notes, notes_en)


def node_prefixes(nodes: list[dict[str, Any]]) -> dict[str, str]:
    """The namespaces of the prefixes the node ids use (inst:x), to expand ids to IRIs."""
    used = {str(node["id"]).split(":", 1)[0] for node in nodes}
    return {prefix: str(PREFIXES[prefix]) for prefix in sorted(used) if prefix in PREFIXES}


def assemble(view: View, labels: Labels, lang: str) -> Network:
    """vis-network nodes, edges and options for the view, via pyvis."""
    net = Network(directed=True, cdn_resources="in_line")
    graph = view.graph
    positions = view.positions or {}
    for node in sorted(graph):
        data = graph.nodes[node]
        kind = VIEW_KINDS[data.get("kind", "institution")]
        extra: dict[str, Any] = {}
        if node in positions:
            extra["x"], extra["y"] = positions[node]
        if node in view.hubs:
            extra["font"] = {"size": HUB_FONT_SIZE}
            extra["scaling"] = {"label": {"enabled": False}}
        net.add_node(
            node,
            label=_name(data, lang),
            shape=kind.shape,
            color=kind.colour,
            value=data.get("hidden_hospitals") or graph.degree(node),
            kind=kind.name,
            info=node_info(node, data, graph.degree(node), labels, lang),
            search=_search_terms(node, data),
            **extra,
        )
    small = view.positions is None
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=_edge_order):
        edge: dict[str, Any] = {"id": key, "info": edge_info(data, labels, lang)}
        if small:
            edge["label"] = _edge_label(data, lang)
        net.add_edge(source, target, **edge)
    for edge in net.edges:
        edge.pop("arrows", None)  # pyvis sets it on every edge; the options set it once
    net.options = vis_options(view)
    return net


def _edge_order(edge: tuple) -> tuple:
    return (edge[2], edge[0], edge[1])


def vis_options(view: View) -> dict[str, Any]:
    """vis-network options: physics that settles for small graphs, none for laid-out ones."""
    small = view.positions is None
    font = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
    options: dict[str, Any] = {
        "autoResize": True,
        # vis-network's improved (Kamada-Kawai) start is slow and gives up above ~100 nodes
        "layout": {
            "randomSeed": RANDOM_SEED,
            "improvedLayout": small and view.graph.number_of_nodes() <= 100,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"face": font, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {
                "min": 8,
                "max": 36,
                "label": {"enabled": True, "min": 12, "max": 22, "drawThreshold": 7},
            },
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"color": "#9e9e9e", "highlight": "#212121", "hover": "#424242"},
            "font": {"face": font, "size": 10, "color": "#555555", "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "continuous"} if small else {"enabled": False},
            "width": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 100,
            "hideEdgesOnDrag": not small,
            "hideEdgesOnZoom": not small,
            "multiselect": False,
        },
    }
    if small:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -80,
                "springLength": 110,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": True, "iterations": 600, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
        options["edges"]["color"]["opacity"] = 0.2
        del options["edges"]["font"]  # no edge labels: hovers name the relation
    return options


def node_info(node: str, data: dict, degree: int, labels: Labels, lang: str) -> dict:
    """What hovering a node shows: names in both languages, kind, links, and any evidence."""
    ui = UI[lang]
    kind = VIEW_KINDS[data.get("kind", "institution")]
    zh, en = data.get("label_zh", node), data.get("label_en", "")
    rows: list[list[str]] = []
    if lang == "en":
        title, note = en or zh, UI["en"]["translation"] if en else ""
        rows.append([ui["name_zh"], zh])
    else:
        title, note = zh, ""
        if en:
            rows.append([_pick(labels.term(HKG.englishLabel), lang), en])
    kind_name = _pick(labels.kind(kind), lang)
    class_name = data.get(f"class_{lang}") or data.get("class_zh", "")
    if class_name not in ("", kind_name):
        kind_name = f"{kind_name} · {class_name}"
    rows.append([ui["kind"], kind_name])
    if data.get("alt_names"):
        rows.append([_pick(labels.term(HKV.alias), lang), ui["sep"].join(data["alt_names"])])
    rows.extend(_fact_rows(data, labels, lang))
    rows.append([ui["links"], str(degree)])
    if not node.startswith(f"{MORE}:"):
        rows.append([ui["id"], node])
    return {"title": title, "note": note, "rows": rows, "evidence": _evidence(data)}


def edge_info(data: dict, labels: Labels, lang: str) -> dict:
    """What hovering an edge shows: the relation, the fact's qualifiers, date and quotes."""
    title = _edge_label(data, lang)
    subtitle = data.get(f"fact_{lang}", "")
    return {
        "title": title,
        "note": "",
        "subtitle": subtitle,
        "rows": _fact_rows(data, labels, lang)
        + ([[UI[lang]["id"], data["fact"]]] if data.get("fact") else []),
        "evidence": _evidence(data),
    }


def _fact_rows(data: dict, labels: Labels, lang: str) -> list[list[str]]:
    rows = []
    for key, term in FIELD_TERMS:
        value = data.get(f"{key}_{lang}") or data.get(f"{key}_zh") or data.get(key)
        if value:
            rows.append([_pick(labels.term(term), lang), str(value)])
    return rows


def _evidence(data: dict) -> list[dict[str, str]]:
    return [dict(e) for e in data.get("evidence", ())]


def _edge_label(data: dict, lang: str) -> str:
    label: str = data.get(f"label_{lang}") or data.get("label_zh", "")
    level = data.get(f"level_{lang}")
    if data.get("relation") == "conferral" and level:
        return f"{label}（{level}）" if lang == "zh" else f"{label} ({level})"
    return label


def _name(data: dict, lang: str) -> str:
    if lang == "en":
        name: str = data.get("label_en") or data.get("label_zh", "")
        return name
    name_zh: str = data.get("label_zh", "")
    return name_zh


def _search_terms(node: str, data: dict) -> list[str]:
    terms = [data.get("label_zh", ""), data.get("label_en", ""), *data.get("alt_names", ()), node]
    return [t for t in dict.fromkeys(terms) if t]


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _view_name(view: View, lang: str) -> str:
    ui = UI[lang]
    if view.mode == "ego" and view.focus is not None:
        focus = _name(view.graph.nodes[view.focus], lang)
        return ui["ego"].format(focus=focus, depth=view.depth)
    return ui[view.mode]


def _notes(view: View, labels: Labels, lang: str, filtered: Counter) -> list[str]:
    ui = UI[lang]
    notes = [zh if lang == "zh" else en for zh, en in view.notes]

    def counts(counter: Counter) -> str:
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return ui["sep"].join(f"{_pick(labels.kind(VIEW_KINDS[k]), lang)} {n:,}" for k, n in ranked)

    omitted = Counter({k: n for k, n in view.omitted.items() if k in VIEW_KINDS})
    if omitted:  # ("beyond", farther than --depth, has its own note)
        notes.append(ui["omitted"].format(counts=counts(omitted)))
    if filtered:
        notes.append(ui["filtered"].format(kinds=counts(filtered)))
    return notes


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` characters.

    Sorted keys and fixed separators, so the same data gives the same bytes.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _script_safe(code: str) -> str:
    """A script cannot end its own <script> element early."""
    return code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _asset(name: str) -> str:
    return (
        resources.files("graph_builder.network")
        .joinpath("assets", name)
        .read_text(encoding="utf-8")
    )


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("graph_builder.network", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
