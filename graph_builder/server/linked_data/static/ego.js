// The entity page's network: the explorer's nodes, edges and options (ego.py), drawn by
// the vendored vis-network. The data comes from a JSON block; labels are drawn on a
// canvas, never inserted as markup. Clicking a node opens its page.
"use strict";
(function () {
  const box = document.getElementById("ego");
  const source = document.getElementById("ego-data");
  if (!box || !source || typeof vis === "undefined") return;
  const data = JSON.parse(source.textContent);
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const options = Object.assign({}, data.options, { height: "100%", width: "100%" });
  const network = new vis.Network(box, { nodes, edges }, options);
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: false });
    network.fit();
    box.dataset.drawn = "true";
  });
  network.on("click", (params) => {
    const node = params.nodes && params.nodes[0];
    const href = node && data.hrefs[node];
    if (href && node !== data.focus) window.location.href = href;
  });
  network.on("hoverNode", () => { box.style.cursor = "pointer"; });
  network.on("blurNode", () => { box.style.cursor = "default"; });
})();
