// Pictures for SELECT answers: a bar chart, a timeline and a map of China's provinces,
// drawn as SVG by this file. Which fit an answer is decided from its columns:
//   chart    - a number column (numeric literals) and a label column (text or IRIs);
//   timeline - a date or year column (xsd:date, xsd:dateTime, xsd:gYear, xsd:gYearMonth, or
//              integers between 1000 and 2999 in a column named year/date);
//   map      - a number column and a column whose values are provinces: place IRIs
//              (matched by the IRI's last segment, e.g. place:henan), Chinese names (河南省
//              or 河南), English names (Henan) or GB/T 2260 division codes (410000 or 41).
// Every label, value and tooltip is written with textContent, never as markup.
"use strict";

const HKGViews = (() => {
  const SVG = "http://www.w3.org/2000/svg";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map((t) => XSD + t));
  const DATES = new Set(["date", "dateTime", "gYear", "gYearMonth"].map((t) => XSD + t));
  const MAX_BARS = 200;
  const MAX_MARKS = 10000;
  // Sequential classes for the map (light to dark teal); no value is grey.
  const CLASSES = ["#d7eeeb", "#9fd4ce", "#5fb3ab", "#2b8c84", "#0b5e59"];
  const NO_VALUE = "#d9d9d9";
  const CATEGORY_COLOURS = ["#0b6e69", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d",
    "#1f78b4", "#666666"];

  let mapData = null;
  let mapLoading = null;

  function loadMap() {
    if (!mapLoading) {
      mapLoading = fetch("/static/vendor/china-provinces.json")
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`map data: ${r.status}`))))
        .then((data) => { mapData = data; return data; });
    }
    return mapLoading;
  }

  function el(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function tip(node, text) {
    node.appendChild(el("title", {}, text));
    node.dataset.tip = text;
  }

  const isNumber = (t) => t && t.type !== "uri" && t.type !== "bnode" && NUMERIC.has(t.datatype)
    && Number.isFinite(Number(t.value));

  // Columns' kinds from the bound values: number, date, year, iri, text.
  function columns(vars, rows) {
    const out = {};
    for (const v of vars) {
      const terms = rows.map((r) => r[v]).filter(Boolean);
      if (!terms.length) continue;
      const all = (pred) => terms.every(pred);
      const yearName = /^(year|date)$|year$|Year$/i.test(v);
      let kind = "text";
      if (all((t) => t.type === "uri")) kind = "iri";
      else if (all((t) => DATES.has(t.datatype))) kind = "date";
      else if (yearName && all((t) => isNumber(t) && Number(t.value) >= 1000 && Number(t.value) < 3000)) kind = "year";
      else if (all(isNumber)) kind = /^(month|day)$/i.test(v) ? "ordinal" : "number";
      else if (all((t) => t.type === "bnode")) continue;
      out[v] = kind;
    }
    return out;
  }

  function shortIri(iri) {
    const m = /[^/#]+$/.exec(iri);
    return m ? decodeURIComponent(m[0]) : iri;
  }

  // A row's label: its text columns joined (or the IRIs' last segments when there is no text).
  function labeller(vars, kinds, exclude) {
    const text = vars.filter((v) => kinds[v] === "text" && !exclude.includes(v));
    const iris = vars.filter((v) => kinds[v] === "iri" && !exclude.includes(v));
    const times = vars.filter((v) => (kinds[v] === "year" || kinds[v] === "date") && !exclude.includes(v));
    const use = text.length ? text : iris.length ? iris.slice(0, 1) : times.slice(0, 1);
    if (!use.length) return null;
    return (row) => use.map((v) => row[v] ? (kinds[v] === "iri" ? shortIri(row[v].value) : row[v].value) : "")
      .filter(Boolean).join(" · ");
  }

  // ---- province matching -------------------------------------------------------
  function provinceIndex(data) {
    const index = new Map();
    for (const p of data.provinces) {
      const keys = [p.id, p.code, p.code.slice(0, 2), p.zh, p.en.toLowerCase(), p.zh.slice(0, 2),
        p.zh.replace(/(省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)$/, "")];
      if (p.zh.startsWith("内蒙古") || p.zh.startsWith("黑龙江")) keys.push(p.zh.slice(0, 3));
      for (const k of keys) index.set(k, p);
    }
    return index;
  }

  function provinceOf(term, index) {
    if (!term) return null;
    const value = term.value.trim();
    if (term.type === "uri") return index.get(shortIri(value)) || null;
    return index.get(value) || index.get(value.toLowerCase()) || null;
  }

  function provinceColumn(vars, rows, kinds) {
    if (!mapData) return null;
    const index = provinceIndex(mapData);
    let best = null;
    for (const v of vars) {
      if (kinds[v] !== "iri" && kinds[v] !== "text" && kinds[v] !== "number") continue;
      const values = rows.map((r) => r[v]).filter(Boolean);
      const hits = values.filter((t) => provinceOf(t, index)).length;
      if (hits && hits >= values.length * 0.8 && (!best || hits > best.hits)) best = { v, hits };
    }
    return best && best.v;
  }

  // ---- which views fit -----------------------------------------------------------
  function analyse(vars, rows) {
    const kinds = columns(vars, rows);
    const numbers = vars.filter((v) => kinds[v] === "number");
    const province = numbers.length ? provinceColumn(vars, rows, kinds) : null;
    // The time column bound in most rows (a year column beats a date column bound in few).
    const bound = (v) => rows.filter((r) => r[v]).length;
    const time = vars.filter((v) => kinds[v] === "date" || kinds[v] === "year")
      .sort((a, b) => bound(b) - bound(a) || (kinds[a] === "date" ? -1 : 1))[0];
    const chartLabel = labeller(vars, kinds, []);
    return {
      vars, rows, kinds, numbers, province, time,
      chart: Boolean(rows.length && numbers.length && chartLabel),
      timeline: Boolean(rows.length && time),
      map: Boolean(rows.length && province),
    };
  }

  // Fetches the map data first when the answer has a number column (the map needs one).
  async function fit(vars, rows) {
    const kinds = columns(vars, rows);
    if (vars.some((v) => kinds[v] === "number")) {
      try { await loadMap(); } catch (err) { /* no map, the other views still work */ }
    }
    return analyse(vars, rows);
  }

  function caption(box, text) {
    const p = document.createElement("p");
    p.className = "view-note";
    p.textContent = text;
    box.appendChild(p);
  }

  function svgBox(width, height, label) {
    return el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label,
      class: "view-svg" });
  }

  const fmt = (n) => (Number.isInteger(n) ? n.toLocaleString("en") : n.toLocaleString("en", { maximumFractionDigits: 3 }));

  // ---- bar chart -----------------------------------------------------------------
  function chart(box, fitInfo, measure) {
    const { vars, kinds } = fitInfo;
    const label = labeller(vars, kinds, [measure]);
    const rows = fitInfo.rows.slice(0, MAX_BARS);
    const values = rows.map((r) => (r[measure] ? Number(r[measure].value) : 0));
    const labels = rows.map(label);
    const max = Math.max(0, ...values);
    const min = Math.min(0, ...values);
    const labelWidth = Math.min(360, 40 + 7.5 * Math.max(4, ...labels.map((l) => widthOf(l))));
    const barArea = 560;
    const row = 22;
    const width = labelWidth + barArea + 80;
    const height = rows.length * row + 34;
    const svg = svgBox(width, height, `bar chart of ${measure}`);
    const scale = (x) => ((x - min) / ((max - min) || 1)) * barArea;
    const zero = labelWidth + scale(0);
    svg.appendChild(el("text", { x: labelWidth, y: 14, class: "axis-title" }, `${measure} →`));
    rows.forEach((r, i) => {
      const y = 24 + i * row;
      const v = values[i];
      const g = el("g", { class: "bar-row" });
      const t = el("text", { x: labelWidth - 8, y: y + row / 2 + 4, "text-anchor": "end", class: "bar-label" },
        clip(labels[i], labelWidth - 16));
      const x0 = Math.min(zero, labelWidth + scale(v));
      const rect = el("rect", { x: x0, y: y + 3, width: Math.max(1, Math.abs(labelWidth + scale(v) - zero)),
        height: row - 6, class: "bar" });
      rect.dataset.value = String(v);
      tip(rect, `${labels[i]}: ${fmt(v)}`);
      g.append(t, rect, el("text", { x: Math.max(zero, labelWidth + scale(v)) + 5, y: y + row / 2 + 4,
        class: "bar-value" }, fmt(v)));
      t.dataset.tip = labels[i]; // the hover box shows a clipped label whole
      svg.appendChild(g);
    });
    svg.appendChild(el("line", { x1: zero, x2: zero, y1: 20, y2: height - 6, class: "axis" }));
    box.appendChild(svg);
    if (fitInfo.rows.length > MAX_BARS) caption(box, `First ${MAX_BARS} of ${fitInfo.rows.length} rows.`);
  }

  // Rough width of a label in 7.5px units (CJK characters count double).
  function widthOf(s) {
    let w = 0;
    for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 1.9 : 1;
    return w;
  }

  function clip(s, px) {
    let w = 0;
    let out = "";
    for (const ch of s) {
      w += (ch.charCodeAt(0) > 0x2e80 ? 1.9 : 1) * 7.5;
      if (w > px) return `${out}…`;
      out += ch;
    }
    return out;
  }

  // ---- timeline ------------------------------------------------------------------
  function timeOf(term) {
    const m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(term.value);
    if (!m) return null;
    return { year: Number(m[1]), month: m[2] ? Number(m[2]) : null, day: m[3] ? Number(m[3]) : null };
  }

  function timeline(box, fitInfo) {
    const { vars, kinds, time } = fitInfo;
    const monthVar = vars.find((v) => /^month$/i.test(v) && kinds[v] === "ordinal");
    const dateVar = vars.find((v) => v !== time && kinds[v] === "date");
    const label = labeller(vars, kinds, []);
    // A category column colours the marks: a text column with 2 to 8 distinct values, one
    // named like a kind (factKind, type, level, status) first.
    const distinct = (v) => new Set(fitInfo.rows.map((r) => r[v] && r[v].value)).size;
    const kindLike = (v) => (/(kind|type|level|status)$/i.test(v) ? 0 : 1);
    const category = vars.filter((v) => kinds[v] === "text" && v !== time
      && distinct(v) > 1 && distinct(v) <= CATEGORY_COLOURS.length)
      .sort((x, y) => kindLike(x) - kindLike(y))[0];
    const marks = [];
    for (const r of fitInfo.rows) {
      if (!r[time]) continue;
      let t = timeOf(r[time]);
      if (!t) continue;
      const exact = dateVar && r[dateVar] ? timeOf(r[dateVar]) : null;
      if (exact && exact.year === t.year) t = exact;
      if (t.month === null && monthVar && r[monthVar]) t.month = Number(r[monthVar].value);
      marks.push({ t, row: r, sort: t.year * 400 + (t.month || 0) * 31 + (t.day || 0) });
    }
    // Within a year, marks of one category stack together, each in time order.
    const order = new Map();
    if (category) {
      for (const m of marks) {
        const c = m.row[category] ? m.row[category].value : "";
        if (!order.has(c)) order.set(c, order.size);
      }
    }
    const catOf = (m) => (category ? order.get(m.row[category] ? m.row[category].value : "") : 0);
    marks.sort((a, b) => a.t.year - b.t.year || catOf(a) - catOf(b) || a.sort - b.sort);
    const shown = marks.slice(0, MAX_MARKS);
    const years = shown.map((m) => m.t.year);
    const first = Math.min(...years);
    const last = Math.max(...years);
    const perYear = new Map();
    for (const m of shown) perYear.set(m.t.year, (perYear.get(m.t.year) || 0) + 1);
    const tallest = Math.max(...perYear.values());
    const span = last - first + 1;
    const col = Math.max(18, Math.min(60, 900 / span));
    const plot = Math.min(360, Math.max(120, tallest * 14));
    const unit = Math.min(12, plot / tallest);
    const left = 40;
    const width = left + span * col + 20;
    const height = plot + 70;
    const svg = svgBox(width, height, `timeline by ${time}`);
    const base = plot + 20;
    svg.appendChild(el("line", { x1: left, x2: left + span * col, y1: base, y2: base, class: "axis" }));
    const step = Math.ceil(span / Math.floor((span * col) / 44));
    for (let y = first; y <= last; y++) {
      const x = left + (y - first) * col + col / 2;
      if ((y - first) % step === 0) {
        svg.appendChild(el("line", { x1: x, x2: x, y1: base, y2: base + 5, class: "axis" }));
        svg.appendChild(el("text", { x, y: base + 18, "text-anchor": "middle", class: "tick" }, y));
      }
    }
    const colours = new Map();
    const stacked = new Map();
    for (const m of shown) {
      const k = stacked.get(m.t.year) || 0;
      stacked.set(m.t.year, k + 1);
      const x = left + (m.t.year - first) * col + 3;
      const y = base - (k + 1) * unit;
      const cat = category && m.row[category] ? m.row[category].value : "";
      if (category && !colours.has(cat)) colours.set(cat, CATEGORY_COLOURS[colours.size % CATEGORY_COLOURS.length]);
      const rect = el("rect", { x, y: y + (unit > 3 ? 0.5 : 0), width: col - 6, height: Math.max(0.5, unit - (unit > 3 ? 1 : 0)),
        class: "mark", fill: category ? colours.get(cat) : CATEGORY_COLOURS[0] });
      const when = [m.t.year, m.t.month && String(m.t.month).padStart(2, "0"), m.t.day && String(m.t.day).padStart(2, "0")]
        .filter(Boolean).join("-");
      tip(rect, `${when}: ${label ? label(m.row) : ""}`);
      svg.appendChild(rect);
    }
    for (const [year, n] of perYear) {
      const x = left + (year - first) * col + col / 2;
      svg.appendChild(el("text", { x, y: base - n * unit - 4, "text-anchor": "middle", class: "bar-value" }, n));
    }
    box.appendChild(svg);
    if (category) legend(box, category, [...colours].map(([name, colour]) => [colour, name]));
    if (marks.length > MAX_MARKS) caption(box, `First ${MAX_MARKS} of ${marks.length} dated rows.`);
    else caption(box, `${marks.length} dated rows by ${time}, one mark each, stacked by year.`
      + (marks.length < fitInfo.rows.length ? ` ${fitInfo.rows.length - marks.length} rows have no ${time}.` : ""));
  }

  function legend(box, title, entries) {
    const ul = document.createElement("ul");
    ul.className = "view-legend";
    const head = document.createElement("li");
    head.className = "legend-title";
    head.textContent = title;
    ul.appendChild(head);
    for (const [colour, text] of entries) {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      li.append(swatch, document.createTextNode(text));
      ul.appendChild(li);
    }
    box.appendChild(ul);
  }

  // ---- map -----------------------------------------------------------------------
  function map(box, fitInfo, measure) {
    const { vars, kinds, province } = fitInfo;
    const index = provinceIndex(mapData);
    const label = labeller(vars, kinds, [measure, province]);
    // Rows of the same province add up (an answer keyed by province has one row each).
    const totals = new Map();
    const labels = new Map();
    let unmatched = 0;
    for (const r of fitInfo.rows) {
      const p = provinceOf(r[province], index);
      if (!p) { unmatched += 1; continue; }
      totals.set(p.code, (totals.get(p.code) || 0) + (r[measure] ? Number(r[measure].value) : 0));
      const text = label ? label(r) : "";
      if (text && !labels.has(p.code)) labels.set(p.code, text);
    }
    // Quantile classes: about as many provinces in each colour, whatever the outliers.
    const values = [...totals.values()].sort((a, b) => a - b);
    const breaks = [];
    for (let i = 1; i < CLASSES.length; i++) {
      const q = values[Math.floor((i * values.length) / CLASSES.length)];
      if (q > values[0] && !breaks.includes(q)) breaks.push(q);
    }
    const offset = CLASSES.length - 1 - breaks.length; // few distinct values use the darker end
    const classOf = (v) => offset + breaks.filter((b) => v >= b).length;
    const [, , w, h] = mapData.viewBox.split(/\s+/).map(Number);
    const svg = el("svg", { viewBox: mapData.viewBox, width: w, height: h, role: "img",
      "aria-label": `map of ${measure} by province`, class: "view-svg map" });
    for (const p of mapData.provinces) {
      const has = totals.has(p.code);
      const path = el("path", { d: p.d, class: has ? "province has-value" : "province",
        fill: has ? CLASSES[classOf(totals.get(p.code))] : NO_VALUE });
      path.dataset.code = p.code;
      const name = labels.get(p.code);
      const head = name && name !== p.zh ? `${name} (${p.zh} ${p.en})` : `${p.zh} ${p.en}`;
      tip(path, `${head}: ${has ? fmt(totals.get(p.code)) : "no value"}`);
      svg.appendChild(path);
    }
    box.appendChild(svg);
    const entries = [];
    CLASSES.forEach((colour, i) => {
      const members = values.filter((v) => classOf(v) === i);
      if (!members.length) return;
      const a = members[0];
      const b = members[members.length - 1];
      entries.push([colour, a === b ? fmt(a) : `${fmt(a)} – ${fmt(b)}`]);
    });
    entries.push([NO_VALUE, "no value"]);
    legend(box, measure, entries);
    caption(box, `${totals.size} provinces with a value${unmatched ? `; ${unmatched} rows name no province on the map` : ""}. `
      + `Shapes: ${mapData.source}, ${mapData.license}.`);
  }


  // One hover box for every picture, filled from data-tip with textContent.
  function hover(box) {
    const tipBox = document.createElement("div");
    tipBox.className = "view-tip";
    tipBox.hidden = true;
    box.appendChild(tipBox);
    box.addEventListener("mousemove", (event) => {
      const target = event.target.closest && event.target.closest("[data-tip]");
      if (!target) { tipBox.hidden = true; return; }
      tipBox.textContent = target.dataset.tip;
      tipBox.hidden = false;
      const r = box.getBoundingClientRect();
      tipBox.style.left = `${event.clientX - r.left + box.scrollLeft + 14}px`;
      tipBox.style.top = `${event.clientY - r.top + box.scrollTop + 14}px`;
    });
    box.addEventListener("mouseleave", () => { tipBox.hidden = true; });
  }

  function draw(box, view, fitInfo, measure) {
    box.replaceChildren();
    if (view === "chart") chart(box, fitInfo, measure);
    else if (view === "timeline") timeline(box, fitInfo);
    else if (view === "map") map(box, fitInfo, measure);
    hover(box);
  }

  return { fit, draw };
})();
