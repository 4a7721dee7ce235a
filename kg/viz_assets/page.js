// The behaviour of kg's graph page (kg/viz.py inlines this file after the page's data: the vis DataSets
// `nodes` and `edges` (the stated relations), the co-occurrence edges `cooccurrences`, which join the DataSet when
// their box is first ticked, the vis `options` and `kgData`, the articles and evidence sentences).
// Texts from the graph are written only with textContent, value and (for http(s) links) href: never as markup.
var kgView = (function () {
  "use strict";
  var DIM_NODE = {background: "#eeeeee", border: "#dddddd", highlight: "#dddddd", hover: "#dddddd"};
  var DIM_EDGE = {color: "#eeeeee", highlight: "#eeeeee", hover: "#eeeeee"};
  var DIM_LABEL = 9;  // the size of a dimmed label, whatever the entity's size
  var EDGE_FONT = options.edges.font.size;
  var evidence = kgData.evidence, entities = kgData.entities;
  var state = {
    query: "", matches: [], cursor: -1, types: {}, relations: {}, cooccurrence: false, unrelated: false,
    threshold: kgData.threshold, dateFrom: "", dateTo: "", undated: true, focus: null, panel: null,
    unrelatedCount: 0, interactive: false, touched: false, stabilised: false
  };
  var colour = {nodes: {}, edges: {}};  // as in the file, to undo the dimming
  nodes.forEach(function (n) { colour.nodes[n.id] = n.color; });
  edges.forEach(function (e) { colour.edges[e.id] = e.color; });
  var network = null, labelled = [];  // the edges whose labels are shown because they are selected
  var labelSize;  // (id, dimmed) -> the size of an entity's label; set with the label sizes below

  function byId(id) { return document.getElementById(id); }
  function boxes(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function count(dataset, test) { return dataset.get({filter: test}).length; }
  function label(id) { var n = nodes.get(id); return n ? n.label : id; }
  var element = kgSources.element, sentences = kgSources.sentences, articleLine = kgSources.articleLine;

  function readControls() {
    boxes("input.kg-type").forEach(function (box) { state.types[box.value] = box.checked; });
    boxes("input.kg-relation").forEach(function (box) { state.relations[box.value] = box.checked; });
    state.cooccurrence = byId("kg-cooccurrence").checked;
    // Co-occurrences are many times the stated relations: vis gets them only once they are asked for.
    if (state.cooccurrence && cooccurrences.length) {
      cooccurrences.forEach(function (e) { colour.edges[e.id] = e.color; });
      edges.add(cooccurrences);
      cooccurrences = [];
    }
    state.unrelated = byId("kg-unrelated").checked;
    state.threshold = Number(byId("kg-confidence").value);
    byId("kg-confidence-value").textContent = state.threshold.toFixed(2);
    if (byId("kg-date-from")) {
      state.dateFrom = byId("kg-date-from").value;
      state.dateTo = byId("kg-date-to").value;
      state.undated = byId("kg-undated") ? byId("kg-undated").checked : true;
    }
  }

  // A relation passes the filters if its box is ticked, it is sure enough (stated relations only: the confidence
  // of a co-occurrence is no claim) and some of its evidence comes from an article inside the dates.
  function passes(e) {
    if (e.kgKind === "cooccurrence") { if (!state.cooccurrence) return false; }
    else if (state.relations[e.kgRelation] === false || e.kgConfidence < state.threshold) return false;
    if (state.types[nodes.get(e.from).kgType] === false || state.types[nodes.get(e.to).kgType] === false) return false;
    return inDates(e);
  }
  function inDates(e) {
    if (!state.dateFrom && !state.dateTo) return true;
    if (!e.kgDates.length && !e.kgUndated) return true;  // no evidence: nothing to date
    if (e.kgUndated && state.undated) return true;
    return e.kgDates.some(function (day) {
      return (!state.dateFrom || day >= state.dateFrom) && (!state.dateTo || day <= state.dateTo);
    });
  }

  // The entities `steps` relations away from `centre` or closer, over the relations that pass the filters.
  function around(centre, steps, passing) {
    var near = {}, frontier = [centre];
    near[centre] = true;
    for (var step = 0; step < steps; step++) {
      var next = [];
      frontier.forEach(function (id) {
        network.getConnectedEdges(id).forEach(function (edgeId) {
          if (!passing[edgeId]) return;
          var e = edges.get(edgeId), other = e.from === id ? e.to : e.from;
          if (!near[other]) { near[other] = true; next.push(other); }
        });
      });
      frontier = next;
    }
    return near;
  }

  // Drawn: the relations that pass the filters (inside the neighbourhood, when one is shown), and the entities of
  // a ticked type that have one of them; the others too if "show them" is ticked.
  function applyFilters() {
    readControls();
    var passing = {}, related = {}, drawn = {}, changes = [];
    edges.forEach(function (e) {
      if (passes(e)) { passing[e.id] = true; related[e.from] = related[e.to] = true; }
    });
    var near = state.focus ? around(state.focus.centre, state.focus.steps, passing) : null;
    state.unrelatedCount = 0;
    nodes.forEach(function (n) {
      var typed = state.types[n.kgType] !== false;
      if (typed && !related[n.id]) state.unrelatedCount += 1;
      drawn[n.id] = typed && (related[n.id] || state.unrelated) && (!near || near[n.id] === true);
      if (near && n.id === state.focus.centre) drawn[n.id] = true;
      if (!n.hidden !== drawn[n.id]) changes.push({id: n.id, hidden: !drawn[n.id]});
    });
    nodes.update(changes);
    changes = [];
    edges.forEach(function (e) {
      var show = passing[e.id] === true && drawn[e.from] && drawn[e.to];
      if (!e.hidden !== show) changes.push({id: e.id, hidden: !show});
    });
    edges.update(changes);
    byId("kg-unrelated-count").textContent = state.unrelatedCount;
    highlight(false);
    report();
    if (state.panel) showPanel(state.panel.kind, state.panel.id);  // what it says is drawn may have changed
  }

  // Entities whose label or alias contains the query, and their drawn neighbours, keep their colours; the others
  // are dimmed and their labels shrink.
  function highlight(focus) {
    var query = state.query.trim().toLowerCase(), matched = {}, near = {};
    state.matches = [];
    if (query) {
      nodes.forEach(function (n) {
        var hit = !n.hidden && n.kgNames.some(function (name) { return name.toLowerCase().indexOf(query) >= 0; });
        if (hit) { state.matches.push(n.id); matched[n.id] = near[n.id] = true; }
      });
      edges.forEach(function (e) {
        if (e.hidden) return;
        if (matched[e.from]) near[e.to] = true;
        if (matched[e.to]) near[e.from] = true;
      });
    }
    var changes = [];
    nodes.forEach(function (n) {
      var dim = query !== "" && !near[n.id];
      if (!!n.kgDimmed !== dim) {
        changes.push({id: n.id, kgDimmed: dim, color: dim ? DIM_NODE : colour.nodes[n.id],
                      font: {color: dim ? "#cccccc" : "#343434", size: labelSize(n.id, dim)}});
      }
    });
    nodes.update(changes);
    changes = [];
    edges.forEach(function (e) {
      var dim = query !== "" && !(matched[e.from] || matched[e.to]);
      if (!!e.kgDimmed !== dim) {
        changes.push({id: e.id, kgDimmed: dim, color: dim ? DIM_EDGE : colour.edges[e.id],
                      font: {color: dim ? "#dddddd" : "#333333"}});
      }
    });
    edges.update(changes);
    var shown = Object.keys(near);
    if (network && (query || focus)) {
      network.selectNodes(state.matches, false);
      if (focus && shown.length === 1) network.focus(shown[0], {scale: 1.5, animation: {duration: 300}});
      else if (focus && shown.length > 1) network.fit({nodes: shown, animation: {duration: 300}});
    }
    var labels = state.matches.slice(0, 5).map(label);
    byId("kg-matches").textContent = !query ? "" : state.matches.length === 0 ? "No entity matches." :
      state.matches.length + (state.matches.length === 1 ? " match: " : " matches: ") + labels.join("; ") +
      (state.matches.length > 5 ? "; \u2026" : "");
  }

  function search(query) {
    state.query = query;
    state.cursor = -1;
    highlight(true);
  }

  // Enter goes from one match to the next.
  function next() {
    if (!state.matches.length || !network) return;
    state.cursor = (state.cursor + 1) % state.matches.length;
    var id = state.matches[state.cursor];
    network.selectNodes([id], true);
    network.focus(id, {scale: 1.5, animation: {duration: 300}});
    showPanel("entity", id);
  }

  // --- the side panel: an entity or a relation with all its evidence ---------------------------------------

  function entityButton(id) {
    var button = element("button", label(id), "kg-link");
    button.type = "button";
    button.addEventListener("click", function () { select("entity", id); });
    return button;
  }

  function relationHeader(e, tag) {
    var header = element(tag || "h3", null, "kg-relation-name");
    header.appendChild(entityButton(e.from));
    header.appendChild(document.createTextNode(" " + e.kgRelation + " "));
    header.appendChild(entityButton(e.to));
    return header;
  }

  function relationFacts(e) {
    var n = evidence[e.id].length;
    return e.kgKind + ", confidence " + e.kgConfidence.toFixed(2) + ", " + n + (n === 1 ? " sentence" : " sentences") +
      (e.hidden ? " (not drawn: outside the filters)" : "");
  }

  function button(text, className, action) {
    var made = element("button", text, className);
    made.type = "button";
    made.addEventListener("click", action);
    return made;
  }

  function entityPanel(id, body) {
    var n = nodes.get(id), facts = entities[id];
    body.appendChild(element("h2", n.label));
    body.appendChild(element("p", n.kgType + (facts.countryCode ? " (" + facts.countryCode + ")" : ""), "kg-type-name"));
    if (facts.aliases.length) body.appendChild(element("p", "Also: " + facts.aliases.join("; ")));
    if (facts.titles.length) body.appendChild(element("p", "Titles: " + facts.titles.join("; ")));
    body.appendChild(element("p", "Mentions: " + facts.mentions + " in " + facts.articles.length +
                                  (facts.articles.length === 1 ? " article" : " articles")));
    var moves = element("p", null, "kg-moves");
    moves.appendChild(button("Neighbourhood: 1 step", "kg-near-1", function () { neighbourhood(id, 1); }));
    moves.appendChild(button("2 steps", "kg-near-2", function () { neighbourhood(id, 2); }));
    moves.appendChild(button("CSV of these relations", "kg-panel-csv", function () { exportCsv(panelEdges()); }));
    body.appendChild(moves);
    var own = network.getConnectedEdges(id).map(function (edgeId) { return edges.get(edgeId); })
      .filter(function (e) { return e.kgKind !== "cooccurrence" || state.cooccurrence; });
    own.sort(function (a, b) {
      return a.kgRelation < b.kgRelation ? -1 : a.kgRelation > b.kgRelation ? 1 : b.kgConfidence - a.kgConfidence;
    });
    body.appendChild(element("h3", own.length ? "Relations (" + own.length + ")" : "No relation", "kg-section"));
    var group = null;
    own.forEach(function (e) {
      if (!group || group.kgName !== e.kgRelation) {
        group = element("section", null, "kg-group");
        group.kgName = e.kgRelation;
        group.appendChild(element("h4", e.kgRelation));
        body.appendChild(group);
      }
      var item = element("div", null, "kg-relation" + (e.hidden ? " kg-off" : ""));
      item.appendChild(relationHeader(e, "p"));
      item.appendChild(element("p", relationFacts(e), "kg-facts"));
      item.appendChild(sentences(e.id));
      group.appendChild(item);
    });
    body.appendChild(element("h3", "Named in", "kg-section"));
    facts.articles.forEach(function (index) { body.appendChild(articleLine(index)); });
  }

  function relationPanel(edgeId, body) {
    var e = edges.get(edgeId);
    body.appendChild(relationHeader(e, "h2"));
    body.appendChild(element("p", relationFacts(e), "kg-facts"));
    if (e.kgTriggers.length) body.appendChild(element("p", "Triggers: " + e.kgTriggers.join("; ")));
    var moves = element("p", null, "kg-moves");
    moves.appendChild(button("CSV of this relation", "kg-panel-csv", function () { exportCsv([e]); }));
    body.appendChild(moves);
    body.appendChild(sentences(edgeId));
  }

  function showPanel(kind, id) {
    var body = byId("kg-panel-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    if (kind === "entity" && nodes.get(id)) entityPanel(id, body);
    else if (kind === "relation" && edges.get(id)) relationPanel(id, body);
    else { closePanel(); return; }
    state.panel = {kind: kind, id: id};
    byId("kg-panel").hidden = false;
  }

  function closePanel() {
    state.panel = null;
    byId("kg-panel").hidden = true;
  }

  function select(kind, id) {
    if (kind === "entity") network.selectNodes([id], true);
    else network.selectEdges([id]);
    showPanel(kind, id);
    labelSelection();
  }

  function panelEdges() {
    if (!state.panel) return drawnEdges();
    if (state.panel.kind === "relation") return [edges.get(state.panel.id)];
    return network.getConnectedEdges(state.panel.id).map(function (id) { return edges.get(id); })
      .filter(function (e) { return !e.hidden; });
  }

  // --- the neighbourhood of an entity, and back -------------------------------------------------------------

  function neighbourhood(id, steps) {
    state.focus = {centre: id, steps: steps};
    byId("kg-back").hidden = false;
    byId("kg-focus").textContent = "Showing the entities " + steps + (steps === 1 ? " step" : " steps") +
      " from " + label(id) + ".";
    applyFilters();
    network.selectNodes([id], true);
    network.fit({nodes: nodes.getIds({filter: function (n) { return !n.hidden; }}), animation: {duration: 300}});
  }

  function wholeGraph() {
    state.focus = null;
    byId("kg-back").hidden = true;
    byId("kg-focus").textContent = "";
    applyFilters();
    network.fit({animation: {duration: 300}});
  }

  // --- labels: relation names only for the selection, or when zoomed in -------------------------------------

  function labelSelection() {
    var wanted = {}, changes = [];
    network.getSelectedEdges().forEach(function (id) { wanted[id] = true; });
    var size = Math.max(EDGE_FONT, Math.round(13 / network.getScale()));
    labelled.forEach(function (id) { if (!wanted[id]) changes.push({id: id, font: {size: EDGE_FONT}}); });
    labelled = Object.keys(wanted);
    labelled.forEach(function (id) { changes.push({id: id, font: {size: size}}); });
    edges.update(changes);
  }

  // --- exports ----------------------------------------------------------------------------------------------

  function drawnEdges() { return edges.get({filter: function (e) { return !e.hidden; }}); }

  function toCsv(list) { return kgSources.toCsv(list, label); }

  function exportCsv(list) {
    kgSources.download("relations.csv", new Blob(["\ufeff" + toCsv(list)], {type: "text/csv;charset=utf-8"}));
  }

  function exportPng() {
    network.canvas.frame.canvas.toBlob(function (blob) { kgSources.download("graph.png", blob); }, "image/png");
  }

  // --- the state, for the status line and for scripts ---------------------------------------------------------

  function snapshot() {
    return {
      nodes: count(nodes, function (n) { return !n.hidden; }),
      edges: count(edges, function (e) { return !e.hidden; }),
      totalNodes: nodes.length,
      totalEdges: edges.length + cooccurrences.length,
      unrelated: state.unrelatedCount,
      showUnrelated: state.unrelated,
      dimmedNodes: count(nodes, function (n) { return !n.hidden && n.kgDimmed; }),
      selected: network ? network.getSelectedNodes() : [],
      matches: state.matches.slice(),
      query: state.query,
      types: Object.assign({}, state.types),
      relations: Object.assign({}, state.relations),
      cooccurrence: state.cooccurrence,
      threshold: state.threshold,
      dates: [state.dateFrom, state.dateTo],
      focus: state.focus ? Object.assign({}, state.focus) : null,
      panel: state.panel ? Object.assign({}, state.panel) : null,
      interactive: state.interactive,
      stabilised: state.stabilised
    };
  }

  function report() {
    if (!state.stabilised) return;
    var now = snapshot();
    byId("kg-status").textContent = "Showing " + now.nodes + " of " + now.totalNodes + " entities and " +
      now.edges + " of " + now.totalEdges + " relations.";
  }

  // Entities without a stated relation take no part in the layout: they are lined up under the graph, by type
  // and mentions, where "show them" draws them.
  function lineUpUnrelated() {
    var positions = network.getPositions(nodes.getIds()), placed = [], others = [];  // hidden ones too
    nodes.forEach(function (n) { if (n.physics === false) others.push(n); else placed.push(positions[n.id]); });
    if (!others.length) return;
    var left = 0, right = 0, bottom = 0;
    placed.forEach(function (p) { left = Math.min(left, p.x); right = Math.max(right, p.x); bottom = Math.max(bottom, p.y); });
    var gap = 90, columns = Math.max(8, Math.ceil(Math.sqrt(others.length * 3)));
    if (placed.length) columns = Math.max(columns, Math.floor((right - left) / gap) + 1);
    others.sort(function (a, b) {
      return a.kgType < b.kgType ? -1 : a.kgType > b.kgType ? 1 : b.value - a.value;
    });
    // One update of the DataSet: network.moveNode would redraw the whole graph once per entity.
    nodes.update(others.map(function (n, i) {
      return {id: n.id, x: left + (i % columns) * gap, y: bottom + 2 * gap + Math.floor(i / columns) * gap / 2};
    }));
  }

  // Sizes by the logarithm of the mentions: a few entities are named hundreds of times, most once or twice.
  function scaled(min, max, value) {
    return max === min ? 0.5 : (Math.log(1 + value) - Math.log(1 + min)) / (Math.log(1 + max) - Math.log(1 + min));
  }
  options.nodes.scaling.customScalingFunction = function (min, max, total, value) { return scaled(min, max, value); };
  // Labels are sized here, not by vis (whose label scaling cannot be undone for one node): on the same scale as the
  // nodes, between the smallest and the largest label size; the largest follows the zoom (capLabels). Labels
  // smaller than the drawThreshold on screen are not drawn, so the small entities are named only when zoomed in.
  var labelMin = options.nodes.scaling.label.min, labelMax = options.nodes.scaling.label.max, shownMax = labelMax;
  options.nodes.scaling.label.enabled = false;
  var weight = {}, least = Infinity, most = -Infinity;
  nodes.forEach(function (n) { least = Math.min(least, n.value); most = Math.max(most, n.value); });
  nodes.forEach(function (n) { weight[n.id] = scaled(least, most, n.value); });
  labelSize = function (id, dimmed) {
    return dimmed ? DIM_LABEL : Math.round(labelMin + weight[id] * (shownMax - labelMin));
  };
  function sizeLabels() {
    var changes = [];
    nodes.forEach(function (n) {
      var size = labelSize(n.id, n.kgDimmed);
      if (!n.font || n.font.size !== size) changes.push({id: n.id, font: {size: size}});
    });
    nodes.update(changes);
  }
  sizeLabels();
  applyFilters();  // before the layout starts, so that it sees which entities are drawn
  network = new vis.Network(byId("network"), {nodes: nodes, edges: edges}, options);
  network.on("stabilizationProgress", function (p) {
    byId("kg-status").textContent = "Laying out the graph\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  // A white background, so that the exported PNG is not transparent.
  network.on("beforeDrawing", function (context) {
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, context.canvas.width, context.canvas.height);
    context.restore();
  });
  // Zoomed in, the labels sized for the whole graph would be huge (vis-network 9.1.2 ignores
  // scaling.label.maxVisible), so the largest size follows the zoom, up to 28 pixels on screen.
  function capLabels() {
    var max = Math.round(Math.max(labelMin, Math.min(labelMax, 28 / network.getScale())));
    if (max !== shownMax) {
      shownMax = max;
      sizeLabels();
    }
    if (labelled.length) labelSelection();
  }
  network.on("zoom", capLabels);
  network.on("animationFinished", capLabels);
  // Once laid out, the nodes stay where they are put (and the page stops using the CPU).
  // A large graph is drawn (and can be used) after the iterations that fit in about a second, and settles on
  // screen for kgData.liveIterations more (one per frame), unless it is still before.
  function settled() {
    network.setOptions({physics: false});
    lineUpUnrelated();
    if (!state.touched) network.fit({nodes: nodes.getIds({filter: function (n) { return !n.hidden; }})});
    capLabels();
    state.stabilised = true;
    report();
  }
  network.once("stabilizationIterationsDone", function () {
    state.interactive = true;
    if (!kgData.liveIterations) { settled(); return; }
    lineUpUnrelated();
    byId("kg-status").textContent = "Settling the layout\u2026 (the graph can be used already)";
    var frames = 0;
    function tick() {
      frames += 1;
      if (frames < kgData.liveIterations || state.stabilised) return;
      network.off("afterDrawing", tick);
      settled();
    }
    network.on("afterDrawing", tick);
    network.once("stabilized", function () { if (!state.stabilised) { network.off("afterDrawing", tick); settled(); } });
  });
  // Once the user has moved or zoomed the view, the end of the layout leaves it where it is.
  network.on("zoom", function () { state.touched = true; });
  network.on("dragStart", function () { state.touched = true; });
  network.on("click", function (event) {
    if (event.nodes.length) showPanel("entity", event.nodes[0]);
    else if (event.edges.length) showPanel("relation", event.edges[0]);
    labelSelection();
  });
  network.on("doubleClick", function (event) { if (event.nodes.length) neighbourhood(event.nodes[0], 1); });

  boxes("input.kg-type, input.kg-relation, #kg-cooccurrence, #kg-unrelated, #kg-undated").forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
  boxes("#kg-confidence, #kg-date-from, #kg-date-to").forEach(function (control) {
    control.addEventListener("input", applyFilters);
    control.addEventListener("change", applyFilters);
  });
  byId("kg-back").addEventListener("click", wholeGraph);
  byId("kg-panel-close").addEventListener("click", function () { closePanel(); network.unselectAll(); labelSelection(); });
  byId("kg-export-png").addEventListener("click", exportPng);
  byId("kg-export-csv").addEventListener("click", function () { exportCsv(drawnEdges()); });
  var input = byId("kg-search");
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (event) { if (event.key === "Enter") next(); });
  var list = byId("kg-names");
  nodes.get({order: "label"}).forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.label;
    list.appendChild(option);
  });
  if (input.value) search(input.value);  // a value the browser kept from before a reload

  return {
    nodes: nodes, edges: edges, network: network, state: snapshot, search: search, applyFilters: applyFilters,
    select: select, neighbourhood: neighbourhood, wholeGraph: wholeGraph, csv: function () { return toCsv(drawnEdges()); }
  };
})();
window.kgView = kgView;
