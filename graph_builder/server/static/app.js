// The query page: library menu, editor, results table, pictures (views.js) and download links.
// Talks only to this server (/api/queries, /sparql); data is inserted as text, never as HTML.
// IRIs in results link to their pages: those under the graph's base (from /api/queries) to
// this server's path for them, others to themselves.
// The URL can choose a library query and its parameters, and runs it:
//   /?query=hospital-profile&hospital=inst:changzhi-mch   (a parameter may also be $hospital)
// A ?query= that is not a library query's name is SPARQL text, put in the editor unrun.
"use strict";

// Download formats as [name, label, extension], from the server's negotiation table.
let RESULT_FORMATS = [];
let GRAPH_FORMATS = [];
// SELECT/ASK answer as SPARQL JSON, CONSTRUCT/DESCRIBE as N-Triples: both easy to tabulate.
const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";

const $ = (id) => document.getElementById(id);
let editor = null;
let prefixes = [];
let library = {};
//: The IRI prefix the server answers at its root (until /api/queries says otherwise).
let base = "https://w3id.org/hospital-kg/";
let answer = null; // the last SELECT answer and the views that fit it

// Where an IRI's page is: this server's path for IRIs under base, else the IRI itself.
function pageOf(iri) {
  return iri.startsWith(base) ? `/${iri.slice(base.length)}` : iri;
}

function compact(iri) {
  let best = null;
  for (const [prefix, ns] of prefixes) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  const local = best ? iri.slice(best[1].length) : null;
  return best && /^[\w.-]*$/.test(local) ? `${best[0]}:${local}` : `<${iri}>`;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = pageOf(term.value);
    if (!term.value.startsWith(base)) a.rel = "noopener noreferrer";
    a.textContent = compact(term.value);
    td.appendChild(a);
    td.title = term.value;
    td.className = "iri";
  } else if (term.type === "bnode") {
    td.textContent = `_:${term.value}`;
    td.className = "bnode";
  } else {
    td.textContent = term.value;
    const tag = term["xml:lang"] ? `@${term["xml:lang"]}`
      : term.datatype ? compact(term.datatype) : "";
    if (tag) {
      const small = document.createElement("small");
      small.textContent = ` ${tag}`;
      td.appendChild(small);
    }
  }
  return td;
}

function table(variables, rows) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const v of variables) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of variables) tr.appendChild(cell(row[v]));
  }
  return t;
}

// One N-Triples term: <iri>, _:label or "literal" with @lang or ^^<datatype>.
const NT_TERM = /<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?/y;

function unescapeNt(s) {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e) =>
    e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16))
      : ({ t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" })[e] ?? e);
}

function parseNTriples(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const terms = [];
    NT_TERM.lastIndex = 0;
    let pos = 0;
    for (let i = 0; i < 3; i++) {
      while (line[pos] === " ") pos++;
      NT_TERM.lastIndex = pos;
      const m = NT_TERM.exec(line);
      if (!m) break;
      pos = NT_TERM.lastIndex;
      if (m[1] !== undefined) terms.push({ type: "uri", value: m[1] });
      else if (m[2] !== undefined) terms.push({ type: "bnode", value: m[2] });
      else {
        const lit = { type: "literal", value: unescapeNt(m[3]) };
        if (m[4]) lit["xml:lang"] = m[4];
        if (m[5] && !m[5].endsWith("#string")) lit.datatype = m[5];
        terms.push(lit);
      }
    }
    if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
  }
  return rows;
}

function downloads(query, bound, formats) {
  const box = $("downloads");
  box.replaceChildren(document.createTextNode("Download: "));
  const base = $("query-menu").value || "results";
  for (const [name, label, ext] of formats) {
    const a = document.createElement("a");
    a.href = `/sparql?${new URLSearchParams({ query, ...bound, format: name })}`;
    a.download = base + ext;
    a.textContent = label;
    a.dataset.format = name;
    box.appendChild(a);
  }
}

function status(text, isError = false) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

async function run() {
  const query = HKGEditor.getText(editor);
  $("results").replaceChildren();
  $("downloads").replaceChildren();
  clearViews();
  status("Running…");
  $("run").disabled = true;
  const started = performance.now();
  try {
    const bound = await bindings();
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
      body: new URLSearchParams({ query, ...bound }),
    });
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status(`${response.status}: ${text.replace(/^error: /, "").trim()}`, true);
      const at = /line (\d+), column (\d+)/.exec(text);
      if (at) HKGEditor.focusAt(editor, Number(at[1]), Number(at[2]));
      return;
    }
    const type = (response.headers.get("Content-Type") || "").split(";")[0];
    const capped = response.headers.get("X-Result-Truncated");
    const note = capped ? ` — answer cut at ${capped.replace("max-rows=", "")} rows (--max-rows)` : "";
    if (type === "application/sparql-results+json") {
      const doc = JSON.parse(text);
      downloads(query, bound, RESULT_FORMATS);
      if ("boolean" in doc) {
        status(`ASK: ${doc.boolean} (${ms} ms)`);
        return;
      }
      const rows = doc.results.bindings;
      status(`${rows.length} row${rows.length === 1 ? "" : "s"} (${ms} ms)${note}`);
      $("results").appendChild(table(doc.head.vars, rows));
      await offerViews(doc.head.vars, rows);
    } else {
      const rows = parseNTriples(text);
      downloads(query, bound, GRAPH_FORMATS);
      status(`${rows.length} triple${rows.length === 1 ? "" : "s"} (${ms} ms)${note}`);
      $("results").appendChild(table(["subject", "predicate", "object"], rows));
    }
  } catch (err) {
    status(String(err.message || err).replace(/^error: /, "").trim(), true);
  } finally {
    $("run").disabled = false;
  }
}

function choose(name) {
  const q = library[name];
  $("question-en").textContent = q ? q.question_en : "";
  $("question-zh").textContent = q ? q.question_zh : "";
  const params = $("params");
  params.replaceChildren();
  for (const p of q ? q.params : []) {
    const li = document.createElement("li");
    const label = document.createElement("label");
    label.textContent = `?${p.name}`;
    const input = document.createElement("input");
    input.id = label.htmlFor = `param-${p.name}`;
    input.dataset.name = p.name;
    input.dataset.type = p.type;
    input.value = p.default ?? "";
    input.placeholder = "unbound";
    const note = document.createElement("span");
    note.textContent = ` ${p.type}: ${p.description}`;
    li.append(label, input, note);
    params.appendChild(li);
  }
  if (q) HKGEditor.setText(editor, q.text);
}

// A name typed for an IRI parameter is looked up as the command line does: the one
// entity whose label, English label, alias or id it is.
const LOOKUP = `SELECT DISTINCT ?s ?name WHERE {
  { ?s rdfs:label|hkg:englishLabel|schema:alternateName ?l FILTER (LCASE(STR(?l)) = LCASE(?name)) }
  UNION { ?s rdfs:label ?any FILTER (STRENDS(STR(?s), CONCAT("/", ?name))) }
} LIMIT 10`;

function looksLikeTerm(value) {
  if (/^<.*>$/.test(value) || /^https?:\/\//.test(value)) return true;
  const m = /^([A-Za-z][\w-]*):/.exec(value);
  return Boolean(m && prefixes.some(([p]) => p === m[1]));
}

async function resolveName(param, value) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
    body: new URLSearchParams({ query: LOOKUP, $name: JSON.stringify(value) }),
  });
  if (!response.ok) throw new Error(await response.text());
  const found = (await response.json()).results.bindings.map((b) => b.s.value);
  if (found.length === 1) return `<${found[0]}>`;
  if (!found.length) throw new Error(`parameter ${param}: nothing is called ${JSON.stringify(value)}`);
  throw new Error(
    `parameter ${param}: ${JSON.stringify(value)} names several things: ${found.map(compact).join(", ")}`);
}

// Parameters go to the endpoint as $name=TERM (Turtle syntax); empty means unbound.
async function bindings() {
  const out = {};
  for (const input of $("params").querySelectorAll("input")) {
    const value = input.value.trim();
    if (!value) continue;
    const type = input.dataset.type;
    const key = `$${input.dataset.name}`;
    if (type === "string") out[key] = JSON.stringify(value);
    else if (type === "iri" && /^https?:\/\//.test(value)) out[key] = `<${value}>`;
    else if (type === "iri" && !looksLikeTerm(value)) out[key] = await resolveName(key, value);
    else out[key] = value;
  }
  return out;
}

// ---- pictures: buttons for the views that fit the answer --------------------------------
const VIEW_NAMES = [["table", "Table · 表格"], ["chart", "Chart · 图表"],
  ["timeline", "Timeline · 时间轴"], ["map", "Map · 地图"]];

function clearViews() {
  answer = null;
  $("views").replaceChildren();
  $("picture").replaceChildren();
  $("picture").hidden = true;
  $("results").hidden = false;
  delete $("results").dataset.views;
}

async function offerViews(vars, rows) {
  const fit = await HKGViews.fit(vars, rows);
  // data-views on #results: the buttons are in place (the tests wait for it).
  const decided = () => { $("results").dataset.views = "decided"; };
  if (!fit.chart && !fit.timeline && !fit.map) return decided();
  answer = { fit, view: "table", measure: fit.numbers[fit.numbers.length - 1] };
  const bar = $("views");
  for (const [name, label] of VIEW_NAMES) {
    if (name !== "table" && !fit[name]) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "view-button";
    button.dataset.view = name;
    button.textContent = label;
    button.setAttribute("aria-pressed", String(name === "table"));
    button.addEventListener("click", () => show(name));
    bar.appendChild(button);
  }
  if (fit.numbers.length > 1) {
    const label = document.createElement("label");
    label.className = "measure";
    label.textContent = "Number · 数值 ";
    const select = document.createElement("select");
    select.id = "measure";
    for (const v of fit.numbers) {
      const option = document.createElement("option");
      option.value = option.textContent = v;
      select.appendChild(option);
    }
    select.value = answer.measure;
    select.addEventListener("change", () => {
      answer.measure = select.value;
      if (answer.view !== "table") show(answer.view);
    });
    label.appendChild(select);
    bar.appendChild(label);
  }
  decided();
}

function show(view) {
  answer.view = view;
  for (const b of $("views").querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.view === view));
  }
  const picture = $("picture");
  $("results").hidden = view !== "table";
  picture.hidden = view === "table";
  if (view === "table") picture.replaceChildren();
  else HKGViews.draw(picture, view, answer.fit, answer.measure);
  picture.dataset.view = view;
}

// ?query=NAME&PARAM=VALUE: choose the library query, fill its parameters, run it.
function fromUrl() {
  const url = new URLSearchParams(location.search);
  const wanted = url.get("query");
  if (!wanted) return false;
  if (!library[wanted]) {
    HKGEditor.setText(editor, wanted);
    return true;
  }
  $("query-menu").value = wanted;
  choose(wanted);
  for (const input of $("params").querySelectorAll("input")) {
    const value = url.get(input.dataset.name) ?? url.get(`$${input.dataset.name}`);
    if (value !== null) input.value = value;
  }
  run();
  return true;
}

async function init() {
  $("endpoint").textContent = new URL("/sparql", location.href).href;
  const response = await fetch("/api/queries");
  const data = await response.json();
  prefixes = Object.entries(data.prefixes);
  if (data.base) base = data.base;
  RESULT_FORMATS = data.formats.results;
  GRAPH_FORMATS = data.formats.graph;
  const menu = $("query-menu");
  for (const q of data.queries) {
    library[q.name] = q;
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = `${q.name} — ${q.question_en}`;
    menu.appendChild(option);
  }
  const first = data.queries[0];
  editor = HKGEditor.create($("editor"), "", run);
  menu.addEventListener("change", () => choose(menu.value));
  $("run").addEventListener("click", run);
  if (!fromUrl() && first) {
    menu.value = first.name;
    choose(first.name);
  }
  document.body.dataset.ready = "true";
}

init().catch((err) => status(`Could not load the query library: ${err}`, true));
