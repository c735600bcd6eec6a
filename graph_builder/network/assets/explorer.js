// hospital-kg explorer: draws the network, shows hovers, search and the kind filter.
// Every label is written with textContent, never as markup.
(function () {
  "use strict";

  performance.mark("hkg-script");
  var data = JSON.parse(document.getElementById("hkg-data").textContent);
  performance.mark("hkg-parsed");
  var ui = data.ui;
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var status = document.getElementById("search-status");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hiddenKinds = {};
  var byId = {};
  data.nodes.forEach(function (node) { byId[node.id] = node; });

  // State the browser tests and the render benchmark read.
  var state = {
    nodes: nodes,
    edges: edges,
    expectedNodes: data.nodes.length,
    settled: !data.physics,
    firstDrawMs: null,
    draws: 0,
  };
  window.hkg = state;

  performance.mark("hkg-datasets");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.network = network;
  performance.mark("hkg-network");

  network.on("afterDrawing", function () {
    state.draws += 1;
    if (state.firstDrawMs === null) {
      performance.mark("hkg-first-draw");
      state.firstDrawMs = performance.now();
    }
  });
  if (data.physics) {
    // Seeded layout: run the simulation until it settles, then freeze it.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      state.settled = true;
    });
  }

  // Nodes drawn in the current viewport: visible nodes whose box overlaps the canvas.
  state.drawnNodes = function () {
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
    var bottomRight = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    var count = 0;
    network.body.nodeIndices.forEach(function (id) {
      var box = network.getBoundingBox(id);
      if (box.right >= topLeft.x && box.left <= bottomRight.x &&
          box.bottom >= topLeft.y && box.top <= bottomRight.y) {
        count += 1;
      }
    });
    return count;
  };
  state.drawnEdges = function () { return network.body.edgeIndices.length; };

  // ---- hover -------------------------------------------------------------
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    return el;
  }

  function fill(info) {
    tooltip.textContent = "";
    var title = element("div", "title", info.title);
    if (info.note) {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(element("span", "translation", info.note));
    }
    tooltip.appendChild(title);
    if (info.subtitle) { tooltip.appendChild(element("div", "subtitle", info.subtitle)); }
    if (info.rows && info.rows.length) {
      var list = element("dl");
      info.rows.forEach(function (row) {
        list.appendChild(element("dt", null, row[0]));
        list.appendChild(element("dd", null, row[1]));
      });
      tooltip.appendChild(list);
    }
    (info.evidence || []).forEach(function (ev) {
      tooltip.appendChild(element("blockquote", "quote", ev.quote));
      var source = ui.report + "：" + ev.report;
      if (ev.report_year) { source += " · " + ui.report_year + " " + ev.report_year; }
      tooltip.appendChild(element("div", "source", source));
    });
  }

  function show(info, pointer) {
    fill(info);
    tooltip.hidden = false;
    var rect = container.getBoundingClientRect();
    var x = rect.left + pointer.x + 14;
    var y = rect.top + pointer.y + 14;
    var width = tooltip.offsetWidth;
    var height = tooltip.offsetHeight;
    if (x + width > window.innerWidth) { x = Math.max(0, x - width - 28); }
    if (y + height > window.innerHeight) { y = Math.max(0, window.innerHeight - height - 4); }
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }

  function hide() { tooltip.hidden = true; }

  network.on("hoverNode", function (params) { show(byId[params.node].info, params.pointer.DOM); });
  network.on("hoverEdge", function (params) {
    var edge = edges.get(params.edge);
    if (edge) { show(edge.info, params.pointer.DOM); }
  });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", hide);
  network.on("zoom", hide);

  // ---- the selected node's card, with a link to its page -------------------
  var selected = document.getElementById("selected");
  var hint = selected.firstElementChild;

  // Served over http(s), IRIs under data.base link to this server's path for them;
  // opened as a file, every IRI links to itself.
  function pageOf(iri) {
    var served = location.protocol === "http:" || location.protocol === "https:";
    if (served && iri.indexOf(data.base) === 0) { return "/" + iri.slice(data.base.length); }
    return iri;
  }

  // A node's IRI: its id (inst:x) expanded with the page's prefixes; null for nodes that
  // are not resources (more:..., the hospitals a large view leaves out).
  function iriOf(id) {
    if (/^https?:\/\//.test(id)) { return id; }
    var colon = id.indexOf(":");
    var ns = colon > 0 ? data.prefixes[id.slice(0, colon)] : undefined;
    return ns === undefined ? null : ns + id.slice(colon + 1);
  }

  function card(id) {
    selected.textContent = "";
    var node = id === null ? null : byId[id];
    if (!node) {
      if (hint) { selected.appendChild(hint); }
      return;
    }
    selected.appendChild(element("div", "title", node.info.title));
    if (node.info.subtitle) { selected.appendChild(element("div", "subtitle", node.info.subtitle)); }
    var iri = iriOf(node.id);
    if (iri !== null) {
      var link = element("a", "page-link", ui.page);
      link.href = pageOf(iri);
      link.title = iri;
      if (link.getAttribute("href").charAt(0) !== "/") { link.rel = "noopener noreferrer"; }
      selected.appendChild(link);
      selected.appendChild(element("div", "iri", iri));
    }
  }
  state.pageOf = function (id) { var iri = iriOf(id); return iri === null ? null : pageOf(iri); };

  network.on("selectNode", function (params) { card(params.nodes[0]); });
  network.on("deselectNode", function (params) { card(params.nodes.length ? params.nodes[0] : null); });
  network.on("doubleClick", function (params) {
    var iri = params.nodes.length ? iriOf(params.nodes[0]) : null;
    if (iri !== null) { window.location.href = pageOf(iri); }
  });
  if (data.focus) {
    network.selectNodes([data.focus]);  // an ego view: the whole view, its centre selected
    card(data.focus);
  }

  // ---- search ------------------------------------------------------------
  var search = document.getElementById("search");
  var options = document.getElementById("search-options");
  data.nodes.slice().sort(function (a, b) {
    return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
  }).forEach(function (node) {
    var option = document.createElement("option");
    option.value = node.label;
    options.appendChild(option);
  });

  function visible(node) { return !hiddenKinds[node.kind]; }

  function find(text) {
    var needle = text.trim().toLowerCase();
    if (!needle) { return null; }
    var partial = null;
    for (var i = 0; i < data.nodes.length; i++) {
      var node = data.nodes[i];
      if (!visible(node)) { continue; }
      for (var j = 0; j < node.search.length; j++) {
        var term = node.search[j].toLowerCase();
        if (term === needle) { return node.id; }
        if (partial === null && term.indexOf(needle) !== -1) { partial = node.id; }
      }
    }
    return partial;
  }

  function focusNode(id) {
    network.selectNodes([id]);
    card(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    status.textContent = ui.found + byId[id].label;
  }

  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = find(search.value);
    if (id === null) {
      network.unselectAll();
      card(null);
      status.textContent = ui.not_found + search.value;
    } else {
      focusNode(id);
    }
  });
  search.addEventListener("change", function () {
    var id = find(search.value);
    if (id !== null) { focusNode(id); }
  });

  // ---- filter by kind ----------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("#legend input[data-kind]"), function (box) {
    box.addEventListener("change", function () {
      var kind = box.getAttribute("data-kind");
      hiddenKinds[kind] = !box.checked;
      nodes.update(data.nodes.filter(function (node) { return node.kind === kind; })
        .map(function (node) { return { id: node.id, hidden: !box.checked }; }));
    });
  });
})();
