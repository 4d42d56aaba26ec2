// kg browser: the entity's neighbourhood drawn with vis-network (shipped beside this file).
(function () {
  "use strict";
  var box = document.getElementById("graph"), src = document.getElementById("graph-data");
  if (!box || !src || typeof vis === "undefined") return;
  var data = JSON.parse(src.textContent);
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges.map(function (e, i) {
    e.id = i; e.font = {size: 11, align: "middle", color: "#333"}; e.smooth = {type: "dynamic"}; return e;
  }));
  var network = new vis.Network(box, {nodes: nodes, edges: edges}, {
    physics: {solver: "forceAtlas2Based", stabilization: {iterations: 250}},
    interaction: {hover: true, tooltipDelay: 150}, nodes: {shape: "dot"}
  });
  network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); network.fit(); });
  network.on("doubleClick", function () {});
  network.on("click", function (p) {
    if (p.nodes.length === 1) { var n = nodes.get(p.nodes[0]); if (n && n.url) window.location.href = n.url; }
  });
  window.kgNetwork = network;
})();
