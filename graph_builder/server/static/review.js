// The review page: the report's text with every candidate's quote marked at its offsets,
// the candidates beside it, and accept / reject buttons that write the decision.
// Talks only to this server (/api/review); text is inserted as text, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const LABELS = { accept: "Accept", reject: "Reject", proposed: "Undecided" };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function say(message) {
  $("message").textContent = message;
}

async function json(url, options) {
  const response = await fetch(url, options);
  const body = await response.text();
  if (!response.ok) throw new Error(body.trim() || `${response.status}`);
  return JSON.parse(body);
}

// Offsets are Unicode code points; JavaScript strings index UTF-16 units.
function codePoints(text) {
  return Array.from(text);
}

async function showIndex() {
  const data = await json("/api/review");
  const list = $("report-list");
  for (const item of data.reports) {
    const li = element("li");
    const link = element("a", "", item.report);
    link.href = `/review/${encodeURIComponent(item.report)}`;
    li.append(link);
    const detail = item.error
      ? ` — ${item.error}`
      : ` — ${item.title || ""} (${item.candidates} candidates, ${item.proposed} undecided)`;
    li.append(document.createTextNode(detail));
    list.append(li);
  }
  if (!data.reports.length) list.append(element("li", "", "No candidates yet: run hospital-kg extract."));
  $("reports").hidden = false;
}

function markText(text, candidates) {
  // Cut the text at every quote boundary; each piece knows the candidates covering it.
  const chars = codePoints(text);
  const cuts = new Set([0, chars.length]);
  for (const c of candidates) {
    cuts.add(c.start);
    cuts.add(c.end);
  }
  const points = [...cuts].filter((n) => n >= 0 && n <= chars.length).sort((a, b) => a - b);
  const article = $("text");
  article.replaceChildren();
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = chars.slice(from, to).join("");
    const covering = candidates.filter((c) => c.start <= from && to <= c.end);
    if (!covering.length) {
      article.append(document.createTextNode(piece));
      continue;
    }
    const mark = element("mark", "", piece);
    mark.dataset.ids = covering.map((c) => c.id).join(" ");
    mark.addEventListener("click", () => focusCandidate(covering[0].id));
    article.append(mark);
  }
}

function attributes(c) {
  const parts = [];
  if (c.subject) parts.push(`subject: ${c.subject}`);
  for (const key of ["level", "batch", "role", "status", "year"]) {
    if (c[key] !== "" && c[key] !== null && c[key] !== undefined) parts.push(`${key}: ${c[key]}`);
  }
  return parts.join(" · ");
}

function candidateItem(report, c) {
  const li = element("li");
  li.id = `candidate-${c.id}`;
  li.dataset.id = c.id;
  const head = element("div");
  head.append(element("span", "kind", c.kind), element("span", "object", c.object));
  li.append(head, element("p", "attributes", attributes(c)));
  li.append(element("p", "quote", `“${c.quote}” [${c.start}–${c.end}]`));
  li.append(element("p", "meta", `confidence ${c.confidence} · ${c.rule} · ${c.id}`));
  if (c.problem) li.append(element("p", "problem", c.problem));
  const buttons = element("div", "buttons");
  if (c.decision === "accepted") {
    buttons.append(element("span", "", "Accepted into data/facts"));
  } else {
    for (const decision of ["accept", "reject", "proposed"]) {
      const button = element("button", `decide-${decision}`, LABELS[decision]);
      button.type = "button";
      button.addEventListener("click", () => decide(report, c, decision));
      buttons.append(button);
    }
  }
  li.append(buttons);
  li.addEventListener("mouseenter", () => highlight(c.id, true));
  li.addEventListener("mouseleave", () => highlight(c.id, false));
  return li;
}

function marksOf(id) {
  return [...document.querySelectorAll("mark")].filter((m) => m.dataset.ids.split(" ").includes(id));
}

function highlight(id, on) {
  for (const mark of marksOf(id)) mark.classList.toggle("active", on);
}

function focusCandidate(id) {
  const li = $(`candidate-${id}`);
  li.scrollIntoView({ block: "center" });
  li.classList.add("active");
  setTimeout(() => li.classList.remove("active"), 1200);
}

function paint(c) {
  const li = $(`candidate-${c.id}`);
  li.className = c.decision;
  for (const button of li.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.className === `decide-${c.decision}`));
  }
  for (const mark of marksOf(c.id)) {
    mark.classList.remove("accept", "reject", "accepted");
    if (c.decision !== "proposed") mark.classList.add(c.decision);
  }
}

async function decide(report, c, decision) {
  try {
    const answer = await json(`/api/review/${encodeURIComponent(report)}/${encodeURIComponent(c.id)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ decision }),
    });
    c.decision = answer.decision;
    paint(c);
    updateSummary();
    say("");
  } catch (error) {
    say(error.message);
  }
}

let current = [];

function updateSummary() {
  const counts = {};
  for (const c of current) counts[c.decision] = (counts[c.decision] || 0) + 1;
  const parts = Object.entries(counts).map(([k, n]) => `${n} ${k}`);
  $("summary").textContent = `${current.length} candidates: ${parts.join(", ")}`;
}

async function showReport(report) {
  const data = await json(`/api/review/${encodeURIComponent(report)}`);
  current = data.candidates;
  $("report-title").textContent = `${data.title || data.report} (${data.report})`;
  markText(data.text, data.candidates);
  const list = $("candidates");
  list.replaceChildren(...data.candidates.map((c) => candidateItem(data.report, c)));
  for (const c of data.candidates) paint(c);
  updateSummary();
  $("report").hidden = false;
}

async function main() {
  const match = location.pathname.match(/^\/review\/([^/]+)$/);
  try {
    if (match) await showReport(decodeURIComponent(match[1]));
    else await showIndex();
  } catch (error) {
    say(error.message);
  }
}

main();
