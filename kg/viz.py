"""The graph as one self-contained HTML page: a vis.js network built with pyvis, readable offline.

pyvis builds the nodes, edges and options; the page around them is kg's own, because pyvis' template loads
Bootstrap (and, with some options, tom-select) from CDNs even with ``cdn_resources="in_line"``. The page
inlines the vis-network script and style that pyvis ships, so it has no remote reference at all.

The page has a search box (matching entities are selected, the view zooms to them and their neighbours and
dims the rest), a checkbox per entity type and per relation that hides or shows them, and a checkbox for the
co-occurrence edges, which are hidden at first: in news they outnumber the stated relations several times over.
``window.kgView`` gives scripts (and the browser tests) the vis DataSets, the network and ``kgView.state()``,
the counts of drawn entities and relations and the state of the search and the filters.

Every text from the articles (labels, aliases, titles, sentences, headlines) reaches the page either as
HTML-escaped text or inside the script's JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so no
text can close the ``<script>`` element or add markup. Tooltips are plain strings: vis-network 9 (pyvis 0.3.2
ships 9.1.2) puts a string ``title`` into the page with ``innerText``, never as HTML; the page's script writes
texts only with ``textContent`` and ``value``.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.errors import OutputError
from kg.model import COOCCURRENCE

#: The most entities drawn by default. The page of the 293-article Wikinews graph (4,000 entities, 10,000
#: relations) cut to this many is laid out in under 2 seconds in headless Chromium, and the names of its
#: most mentioned entities can be read in the first view; with 1,000 it takes 3 seconds and shows mostly dots.
DEFAULT_MAX_NODES = 500

#: Entity type -> (colour, vis.js shape, legend symbol).
TYPE_STYLES = {
    "Person": ("#4e79a7", "dot", "\u25cf"),
    "Country": ("#e15759", "diamond", "\u25c6"),
    "Organisation": ("#f28e2b", "square", "\u25a0"),
    "Place": ("#59a14f", "triangle", "\u25b2"),
}
_OTHER_STYLE = ("#9c9c9c", "dot", "\u25cf")
_STATED_STYLE = {"color": "#555555", "width": 1.5}
# Co-occurrences are hidden at first and take no part in the layout: there are several times more of them than
# of stated relations, and their pull would draw the graph into one ball.
_COOCCURRENCE_STYLE = {"color": "#bbbbbb", "dashes": True, "width": 0.5, "arrows": "", "hidden": True, "physics": False}
_MAX_SENTENCES = 3  # evidence sentences in an edge's tooltip
_MAX_ARTICLES = 10  # article titles in a node's tooltip
_FAN = 0.25  # curvature between parallel edges of the same two entities
_IMPROVED_LAYOUT_MAX = 150  # above this, vis' Kamada-Kawai start layout takes longer than the physics it saves
_VIS = "lib/vis-9.1.2"  # inside the pyvis package
_SURROGATE = re.compile("[\ud800-\udfff]")

_OPTIONS = {
    "layout": {"randomSeed": 1},
    "physics": {
        "enabled": True,
        # ForceAtlas2 weakens the repulsion of hubs, so the many entities around "United States" or "Donald
        # Trump" spread out instead of piling up on them; gravity keeps unconnected entities in view.
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -120,
            "centralGravity": 0.015,
            "springLength": 120,
            "springConstant": 0.08,
            "damping": 0.4,
            "avoidOverlap": 0.3,
        },
        "minVelocity": 1,
        # An iteration takes about 8 ms per 1,000 entities in Chromium; 300 lay out a few hundred entities well.
        "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 25, "fit": True},
    },
    "nodes": {
        # Sizes and label sizes grow with mentions (log scale, in the page's script); their maxima with the graph
        # (_sized_options). Labels smaller than drawThreshold pixels on screen are not drawn.
        "scaling": {"min": 12, "max": 64, "label": {"enabled": True, "min": 14, "max": 80, "drawThreshold": 7}},
        "font": {"size": 16, "strokeWidth": 3, "strokeColor": "#ffffff"},  # readable over edges
    },
    "edges": {
        "smooth": False,  # straight lines: cheap to draw; only parallel edges get a curve of their own
        "font": {"size": 11, "align": "middle", "color": "#333333"},
        "color": {"inherit": False},
    },
    "interaction": {"hover": True, "tooltipDelay": 150},
}

_PAGE_STYLE = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; color: #222; }
header { flex: none; padding: 0.4em 1em; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.3em; margin: 0; }
header p { margin: 0.2em 0; }
.note { color: #a33; }
#kg-status { color: #555; }
main { flex: 1; display: flex; min-height: 0; }
aside { flex: none; width: 15em; overflow-y: auto; padding: 0.5em 0.8em; border-right: 1px solid #ddd;
        font-size: 0.9em; }
aside h2 { font-size: 1em; margin: 0.8em 0 0.2em 0; }
aside input[type=search] { width: 100%; box-sizing: border-box; font-size: 1em; }
#kg-matches { margin: 0.3em 0; color: #555; min-height: 1.2em; }
.filters { list-style: none; margin: 0; padding: 0; }
.filters li { margin: 0.1em 0; }
.filters .count { color: #777; }
.symbol { font-size: 1.2em; }
.line { display: inline-block; width: 1.6em; vertical-align: middle; border-top: 2px solid #555555; }
.line.dashed { border-top: 1px dashed #999999; }
.hint { color: #777; margin-top: 1em; }
#network { flex: 1; min-width: 0; min-height: 400px; }
div.vis-tooltip { white-space: pre-wrap; max-width: 40em; font: 13px system-ui, sans-serif; }
"""

# The page's behaviour. Texts from the graph are written only with textContent and value.
_PAGE_SCRIPT = """
var kgView = (function () {
  var DIM_NODE = {background: "#eeeeee", border: "#dddddd", highlight: "#dddddd", hover: "#dddddd"};
  var DIM_EDGE = {color: "#eeeeee", highlight: "#eeeeee", hover: "#eeeeee"};
  var state = {query: "", matches: [], cursor: -1, types: {}, relations: {}, cooccurrence: false, stabilised: false};
  var colour = {nodes: {}, edges: {}};  // as in the file, to undo the dimming
  nodes.forEach(function (n) { colour.nodes[n.id] = n.color; });
  edges.forEach(function (e) { colour.edges[e.id] = e.color; });
  var network = null;

  function byId(id) { return document.getElementById(id); }
  function boxes(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function count(dataset, test) { return dataset.get({filter: test}).length; }

  function readControls() {
    boxes("input.kg-type").forEach(function (box) { state.types[box.value] = box.checked; });
    boxes("input.kg-relation").forEach(function (box) { state.relations[box.value] = box.checked; });
    state.cooccurrence = byId("kg-cooccurrence").checked;
  }

  // An entity is drawn if its type is ticked; a relation if it is ticked and both its entities are drawn.
  function applyFilters() {
    readControls();
    var drawn = {}, changes = [];
    nodes.forEach(function (n) {
      drawn[n.id] = state.types[n.kgType] !== false;
      if (!n.hidden !== drawn[n.id]) changes.push({id: n.id, hidden: !drawn[n.id]});
    });
    nodes.update(changes);
    changes = [];
    edges.forEach(function (e) {
      var ticked = e.kgKind === "cooccurrence" ? state.cooccurrence : state.relations[e.kgRelation] !== false;
      var show = ticked && drawn[e.from] && drawn[e.to];
      if (!e.hidden !== show) changes.push({id: e.id, hidden: !show});
    });
    edges.update(changes);
    highlight(false);
    report();
  }

  // Entities whose label or alias contains the query, and their drawn neighbours, keep their colours.
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
                      font: {color: dim ? "#cccccc" : "#343434"}});
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
    var labels = state.matches.slice(0, 5).map(function (id) { return nodes.get(id).label; });
    byId("kg-matches").textContent = !query ? "" : state.matches.length === 0 ? "No entity matches." :
      state.matches.length + (state.matches.length === 1 ? " match: " : " matches: ") + labels.join("; ") +
      (state.matches.length > 5 ? "; \\u2026" : "");
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
  }

  function snapshot() {
    return {
      nodes: count(nodes, function (n) { return !n.hidden; }),
      edges: count(edges, function (e) { return !e.hidden; }),
      totalNodes: nodes.length,
      totalEdges: edges.length,
      dimmedNodes: count(nodes, function (n) { return !n.hidden && n.kgDimmed; }),
      selected: network ? network.getSelectedNodes() : [],
      matches: state.matches.slice(),
      query: state.query,
      types: Object.assign({}, state.types),
      relations: Object.assign({}, state.relations),
      cooccurrence: state.cooccurrence,
      stabilised: state.stabilised
    };
  }

  function report() {
    if (!state.stabilised) return;
    var now = snapshot();
    byId("kg-status").textContent = "Showing " + now.nodes + " of " + now.totalNodes + " entities and " +
      now.edges + " of " + now.totalEdges + " relations.";
  }

  // Sizes by the logarithm of the mentions: a few entities are named hundreds of times, most once or twice.
  options.nodes.scaling.customScalingFunction = function (min, max, total, value) {
    return max === min ? 0.5 : (Math.log(1 + value) - Math.log(1 + min)) / (Math.log(1 + max) - Math.log(1 + min));
  };
  applyFilters();
  network = new vis.Network(byId("network"), {nodes: nodes, edges: edges}, options);
  network.on("stabilizationProgress", function (p) {
    byId("kg-status").textContent = "Laying out the graph\\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  // vis-network 9.1.2 ignores scaling.label.maxVisible: zoomed in, the labels sized for the whole graph would be
  // huge, so their largest size follows the zoom, up to 28 pixels on screen.
  var labelMax = options.nodes.scaling.label.max, labelMin = options.nodes.scaling.label.min, shownMax = labelMax;
  function capLabels() {
    var max = Math.round(Math.max(labelMin, Math.min(labelMax, 28 / network.getScale())));
    if (max === shownMax) return;
    shownMax = max;
    network.setOptions({nodes: {scaling: {label: {max: max}}}});
    network.body.emitter.emit("_dataChanged");  // vis recomputes the sizes only when the data change
  }
  network.on("zoom", capLabels);
  network.on("animationFinished", capLabels);
  // Once laid out, the nodes stay where they are put (and the page stops using the CPU).
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    network.fit();
    capLabels();
    state.stabilised = true;
    report();
  });

  boxes("input.kg-type, input.kg-relation, #kg-cooccurrence").forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
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

  return {nodes: nodes, edges: edges, network: network, state: snapshot, search: search, applyFilters: applyFilters};
})();
window.kgView = kgView;
"""


def to_html(G: nx.MultiDiGraph, *, max_nodes: int = DEFAULT_MAX_NODES, title: str = "kg") -> str:
    """The graph as a self-contained HTML page (a string).

    Nodes are coloured and shaped by entity type and sized by mentions; edges are labelled with the
    relation name, co-occurrences are thin dashed grey lines, hidden until their checkbox is ticked. Over
    ``max_nodes`` entities, the page keeps those with the highest degree + mentions and says how many
    entities and relations it leaves out.

    Raises
    ------
    OutputError : if ``max_nodes`` is less than 1.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person:ada", label="Ada", type="Person", mentions=1)
    >>> "Ada" in to_html(G)
    True
    """
    from pyvis.network import Network  # pyvis imports IPython: slow, so only when a page is made

    if max_nodes < 1:
        raise OutputError(f"max_nodes must be at least 1, not {max_nodes}. Pass a positive number.")
    kept = _top_nodes(G, max_nodes)
    H = G.subgraph(kept)
    articles = G.graph.get("articles", {})

    net = Network(directed=True, heading=title)
    for node, attrs in sorted(H.nodes(data=True)):
        colour, shape, _ = TYPE_STYLES.get(attrs.get("type"), _OTHER_STYLE)
        label = attrs.get("label") or node
        net.add_node(
            node,
            label=label,
            shape=shape,
            color=colour,
            title=_node_tooltip(node, attrs, articles),
            value=attrs.get("mentions", 1),
            kgType=_type(attrs),
            kgNames=[label, *attrs.get("aliases", [])],
        )
    fans = _fans(H)
    for source, target, key, attrs in sorted(H.edges(keys=True, data=True), key=lambda e: e[:3]):
        relation = attrs.get("relation", key)
        style = dict(_COOCCURRENCE_STYLE if attrs.get("kind") == COOCCURRENCE else _STATED_STYLE)
        if (source, target, key) in fans:
            style["smooth"] = fans[source, target, key]
        net.add_edge(
            source,
            target,
            id=f"{source}|{relation}|{target}",
            label=relation,
            title=_edge_tooltip(H, source, target, relation, attrs, articles),
            kgRelation=relation,
            kgKind=attrs.get("kind", ""),
            **style,
        )
    nodes, edges, *_ = net.get_network_data()
    options = _sized_options(H.number_of_nodes())
    left_out = (G.number_of_nodes() - H.number_of_nodes(), G.number_of_edges() - H.number_of_edges())
    return _page(title, H, nodes, edges, options, n_articles=len(articles), left_out=left_out)


def write_html(G: nx.MultiDiGraph, path: str | Path, *, max_nodes: int = DEFAULT_MAX_NODES, title: str = "kg") -> None:
    """Write :func:`to_html` to ``path`` (UTF-8); the file opens offline in any browser.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "kg.html")
    >>> write_html(nx.MultiDiGraph(), path)
    """
    page = to_html(G, max_nodes=max_nodes, title=title)
    try:
        # A lone surrogate (not a character) left in the page's text becomes &#55296;, which browsers show as U+FFFD.
        Path(path).write_text(page, encoding="utf-8", errors="xmlcharrefreplace")
    except OSError as error:
        raise OutputError(f"Cannot write HTML to {str(path)!r}: {error.strerror}. Check the folder exists.") from error


def _top_nodes(G: nx.MultiDiGraph, max_nodes: int) -> list[str]:
    if G.number_of_nodes() <= max_nodes:
        return sorted(G.nodes)
    ranked = sorted(G.nodes, key=lambda n: (-(G.degree(n) + G.nodes[n].get("mentions", 0)), n))
    return sorted(ranked[:max_nodes])


def _sized_options(n_nodes: int) -> dict:
    """The vis options for a graph of ``n_nodes``.

    With the whole graph in view, a graph of n entities is drawn at about 1/sqrt(n) of its size, so the largest
    nodes and labels grow with sqrt(n): then the names of the most mentioned entities can be read in the first
    view of a graph of hundreds, and a graph of twenty has no giant letters (vis' ``maxVisible`` does not cap
    the drawn size in 9.1.2).
    """
    options = json.loads(json.dumps(_OPTIONS))
    scaling = options["nodes"]["scaling"]
    scaling["max"] = round(min(max(3 * n_nodes**0.5, 30), 64))
    scaling["label"]["max"] = round(min(max(4.5 * n_nodes**0.5, 24), 96))
    options["layout"]["improvedLayout"] = n_nodes <= _IMPROVED_LAYOUT_MAX
    return options


def _type(attrs: dict) -> str:
    return attrs.get("type") or "Other"


def _fans(H: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict]:
    """A curve for each of several edges between the same two entities, so that their lines and labels part.

    The stated relations of a pair spread symmetrically around the straight line; their co-occurrence edge
    (hidden at first) bends further out. vis' clockwise and counter-clockwise curves are relative to an edge's
    direction, so an edge drawn the other way round takes the other one.
    """
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for source, target, key in sorted(H.edges(keys=True)):
        pairs[min(source, target), max(source, target)].append((source, target, key))
    fans = {}
    for (low, _), group in pairs.items():
        stated = [edge for edge in group if H.edges[edge].get("kind") != COOCCURRENCE]
        offsets = {edge: (i - (len(stated) - 1) / 2) * _FAN for i, edge in enumerate(stated)}
        if stated:
            offsets.update({edge: (len(stated) + 1) / 2 * _FAN for edge in group if edge not in offsets})
        for (source, target, key), offset in offsets.items():
            if offset == 0:
                continue
            clockwise = (offset > 0) == (source == low)
            fans[source, target, key] = {
                "enabled": True,
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": abs(offset),
            }
    return fans


def _node_tooltip(node: str, attrs: dict, articles: dict) -> str:
    lines = [attrs.get("label") or node, attrs.get("type", "")]
    if attrs.get("country_code"):
        lines[-1] += f" ({attrs['country_code']})"
    if attrs.get("aliases"):
        lines.append("Also: " + "; ".join(attrs["aliases"]))
    if attrs.get("titles"):
        lines.append("Titles: " + "; ".join(attrs["titles"]))
    lines.append(f"Mentions: {attrs.get('mentions', 0)}")
    named_in = attrs.get("articles", [])
    if named_in:
        lines.append("Articles:")
        lines.extend("- " + _article_title(a, articles) for a in named_in[:_MAX_ARTICLES])
        if len(named_in) > _MAX_ARTICLES:
            lines.append(f"... and {len(named_in) - _MAX_ARTICLES} more")
    return "\n".join(lines)


def _edge_tooltip(H: nx.MultiDiGraph, source: str, target: str, relation: str, attrs: dict, articles: dict) -> str:
    def label(node: str) -> str:
        return H.nodes[node].get("label") or node

    evidence = attrs.get("evidence", [])
    lines = [
        f"{label(source)} {relation} {label(target)}",
        f"{attrs.get('kind', '')}, confidence {attrs.get('confidence', 0):.2f}, "
        f"{len(evidence)} {'sentence' if len(evidence) == 1 else 'sentences'}",
    ]
    for item in evidence[:_MAX_SENTENCES]:
        # Newlines inside a sentence would read as separate tooltip lines.
        sentence = " ".join(item["sentence"].split())
        lines.append(f"\u201c{sentence}\u201d \u2014 {_article_title(item['article'], articles)}")
    if len(evidence) > _MAX_SENTENCES:
        lines.append(f"... and {len(evidence) - _MAX_SENTENCES} more")
    return "\n".join(lines)


def _article_title(article: str, articles: dict) -> str:
    return (articles.get(article) or {}).get("title") or article


def _filters(H: nx.MultiDiGraph) -> tuple[str, str]:
    """The checkboxes of the entity types (with the legend's symbols) and of the relations, with counts."""
    types = Counter(_type(attrs) for _, attrs in H.nodes(data=True))
    type_items = []
    for name in [*TYPE_STYLES, *sorted(set(types) - set(TYPE_STYLES))]:
        colour, _, symbol = TYPE_STYLES.get(name, _OTHER_STYLE)
        type_items.append(
            f'<li><label><input type="checkbox" class="kg-type" value="{html.escape(name)}" checked autocomplete="off">'
            f' <span class="symbol" style="color:{colour}">{symbol}</span> {html.escape(name)}</label>'
            f' <span class="count">{types[name]}</span></li>'
        )
    relations: Counter[str] = Counter()
    cooccurrences = 0
    for _, _, key, attrs in H.edges(keys=True, data=True):
        if attrs.get("kind") == COOCCURRENCE:
            cooccurrences += 1
        else:
            relations[attrs.get("relation", key)] += 1
    relation_items = [
        f'<li><label><input type="checkbox" class="kg-relation" value="{html.escape(name)}" checked autocomplete="off">'
        f' <span class="line"></span> {html.escape(name)}</label> <span class="count">{n}</span></li>'
        for name, n in sorted(relations.items(), key=lambda item: (-item[1], item[0]))
    ]
    relation_items.append(
        '<li><label><input type="checkbox" id="kg-cooccurrence" autocomplete="off">'
        ' <span class="line dashed"></span> co-occurrence (named in the same sentence)</label>'
        f' <span class="count">{cooccurrences}</span></li>'
    )
    return "".join(type_items), "".join(relation_items)


def _page(
    title: str, H: nx.MultiDiGraph, nodes: list, edges: list, options: dict, *, n_articles: int, left_out: tuple
) -> str:
    shown_nodes, shown_edges = H.number_of_nodes(), H.number_of_edges()
    summary = (
        f"{shown_nodes} entities, {shown_edges} relations, from {n_articles} article{'' if n_articles == 1 else 's'}."
    )
    note = ""
    if any(left_out):
        note = (
            f'<p class="note">Left out: {left_out[0]} entities and {left_out[1]} relations '
            f"(only the {shown_nodes} entities with the most relations and mentions are shown; "
            f"a larger max_nodes shows more).</p>"
        )
    type_filters, relation_filters = _filters(H)
    script = f"""
var nodes = new vis.DataSet({_script_json(nodes)});
var edges = new vis.DataSet({_script_json(edges)});
var options = {_script_json(options)};
{_PAGE_SCRIPT}"""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
{_vendored("vis-network.css", "style")}
</style>
<style>{_PAGE_STYLE}</style>
<script>
{_vendored("vis-network.min.js", "script")}
</script>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p>{summary} <span id="kg-status">Laying out the graph\u2026</span></p>
{note}
</header>
<main>
<aside>
<h2><label for="kg-search">Search</label></h2>
<input type="search" id="kg-search" list="kg-names" placeholder="a name, e.g. Putin" autocomplete="off">
<datalist id="kg-names"></datalist>
<p id="kg-matches"></p>
<h2>Entities</h2>
<ul class="filters">{type_filters}</ul>
<h2>Relations</h2>
<ul class="filters">{relation_filters}</ul>
<p class="hint">Hover over an entity or a relation for its details. Drag to move, scroll to zoom.
Enter in the search box goes to the next match.</p>
</aside>
<div id="network"></div>
</main>
<script>{script}</script>
</body>
</html>
"""


def _script_json(data: object) -> str:
    # Inside <script>, "</script>" or "<!--" in a string would end or confuse the element: write <, > and &
    # (and the line separators JavaScript rejects in strings before ES2019) as JSON escapes.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    # A lone surrogate cannot be written as UTF-8; JavaScript strings take it as an escape.
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _vendored(name: str, tag: str) -> str:
    text = resources.files("pyvis").joinpath(f"{_VIS}/{name}").read_text(encoding="utf-8")
    if f"</{tag}" in text.lower() or "<!--" in text:
        raise OutputError(f"pyvis' {name} cannot be inlined in a <{tag}> element. Install pyvis 0.3.2.")
    return text
