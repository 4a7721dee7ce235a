"""The graph as one self-contained HTML page: a vis.js network built with pyvis, readable offline.

pyvis builds the nodes, edges and options; the page around them is kg's own, because pyvis' template loads
Bootstrap (and, with some options, tom-select) from CDNs even with ``cdn_resources="in_line"``. The page
inlines the vis-network script and style that pyvis ships, so it has no remote reference at all.

Every text from the articles (labels, aliases, titles, sentences, headlines) reaches the page either as
HTML-escaped text or inside the script's JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so no
text can close the ``<script>`` element or add markup. Tooltips are plain strings: vis-network 9 (pyvis 0.3.2
ships 9.1.2) puts a string ``title`` into the page with ``innerText``, never as HTML.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.errors import OutputError
from kg.model import COOCCURRENCE

#: Entity type -> (colour, vis.js shape, legend symbol).
TYPE_STYLES = {
    "Person": ("#4e79a7", "dot", "\u25cf"),
    "Country": ("#e15759", "diamond", "\u25c6"),
    "Organisation": ("#f28e2b", "square", "\u25a0"),
    "Place": ("#59a14f", "triangle", "\u25b2"),
}
_OTHER_STYLE = ("#9c9c9c", "dot", "\u25cf")
_EDGE_COLOUR = "#555555"
_COOCCURRENCE_COLOUR = "#bbbbbb"
_MAX_SENTENCES = 3  # evidence sentences in an edge's tooltip
_MAX_ARTICLES = 10  # article titles in a node's tooltip
_VIS = "lib/vis-9.1.2"  # inside the pyvis package

_OPTIONS = {
    "layout": {"randomSeed": 1},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "gravitationalConstant": -4000,
            "centralGravity": 1.2,  # keeps small unconnected groups near the rest, so the view is not mostly empty
            "springLength": 140,
            "springConstant": 0.04,
            "damping": 0.09,
            "avoidOverlap": 0.1,
        },
        "stabilization": {"enabled": True, "iterations": 1000, "fit": True},
    },
    "nodes": {
        # labels stay readable when the whole graph is in view (vis-network hides them below drawThreshold)
        "scaling": {"min": 12, "max": 48, "label": {"enabled": True, "min": 14, "max": 36, "drawThreshold": 3}},
        "font": {"size": 16},
    },
    "edges": {
        "smooth": {"type": "dynamic"},
        "font": {"size": 10, "align": "middle", "color": "#333333"},
        "color": {"inherit": False},
    },
    "interaction": {"hover": True, "tooltipDelay": 150},
}

_PAGE_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 0.5em 1em; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.3em; margin: 0 0 0.2em 0; }
header p { margin: 0.2em 0; }
.note { color: #a33; }
.legend { list-style: none; margin: 0.3em 0 0 0; padding: 0; }
.legend li { display: inline-block; margin-right: 1.2em; }
.legend .symbol { font-size: 1.2em; }
.legend .line { display: inline-block; width: 2em; vertical-align: middle; border-top: 2px solid #555555; }
.legend .line.dashed { border-top: 1px dashed #999999; }
#network { width: 100%; height: calc(100vh - 7em); min-height: 400px; }
div.vis-tooltip { white-space: pre-wrap; max-width: 40em; font: 13px system-ui, sans-serif; }
"""


def to_html(G: nx.MultiDiGraph, *, max_nodes: int = 500, title: str = "kg") -> str:
    """The graph as a self-contained HTML page (a string).

    Nodes are coloured and shaped by entity type and sized by mentions; edges are labelled with the
    relation name, co-occurrences are thin dashed grey lines. Over ``max_nodes`` entities, the page keeps
    those with the highest degree + mentions and says how many entities and relations it leaves out.

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
        net.add_node(
            node,
            label=attrs.get("label") or node,
            shape=shape,
            color=colour,
            title=_node_tooltip(node, attrs, articles),
            value=attrs.get("mentions", 1),
        )
    for source, target, key, attrs in sorted(H.edges(keys=True, data=True), key=lambda e: e[:3]):
        relation = attrs.get("relation", key)
        style = (
            {"color": _COOCCURRENCE_COLOUR, "dashes": True, "width": 0.5, "arrows": ""}
            if attrs.get("kind") == COOCCURRENCE
            else {"color": _EDGE_COLOUR, "width": 1.5}
        )
        net.add_edge(
            source,
            target,
            id=f"{source}|{relation}|{target}",
            label=relation,
            title=_edge_tooltip(H, source, target, relation, attrs, articles),
            **style,
        )
    nodes, edges, *_ = net.get_network_data()
    shown = (H.number_of_nodes(), H.number_of_edges(), len(articles))
    left_out = (G.number_of_nodes() - shown[0], G.number_of_edges() - shown[1])
    return _page(title, nodes, edges, counts=shown, left_out=left_out)


def write_html(G: nx.MultiDiGraph, path: str | Path, *, max_nodes: int = 500, title: str = "kg") -> None:
    """Write :func:`to_html` to ``path`` (UTF-8); the file opens offline in any browser.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "kg.html")
    >>> write_html(nx.MultiDiGraph(), path)
    """
    page = to_html(G, max_nodes=max_nodes, title=title)
    try:
        Path(path).write_text(page, encoding="utf-8")
    except OSError as error:
        raise OutputError(f"Cannot write HTML to {str(path)!r}: {error.strerror}. Check the folder exists.") from error


def _top_nodes(G: nx.MultiDiGraph, max_nodes: int) -> list[str]:
    if G.number_of_nodes() <= max_nodes:
        return sorted(G.nodes)
    ranked = sorted(G.nodes, key=lambda n: (-(G.degree(n) + G.nodes[n].get("mentions", 0)), n))
    return sorted(ranked[:max_nodes])


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


def _page(title: str, nodes: list, edges: list, *, counts: tuple[int, int, int], left_out: tuple[int, int]) -> str:
    shown_nodes, shown_edges, n_articles = counts
    summary = f"{shown_nodes} entities, {shown_edges} relations, from {n_articles} articles."
    note = ""
    if any(left_out):
        note = (
            f'<p class="note">Left out: {left_out[0]} entities and {left_out[1]} relations '
            f"(only the {shown_nodes} entities with the most relations and mentions are shown).</p>"
        )
    legend = "".join(
        f'<li><span class="symbol" style="color:{colour}">{symbol}</span> {html.escape(name)}</li>'
        for name, (colour, _, symbol) in TYPE_STYLES.items()
    )
    legend += '<li><span class="line"></span> stated relation</li>'
    legend += '<li><span class="line dashed"></span> named in the same sentence</li>'
    script = f"""
var nodes = new vis.DataSet({_script_json(nodes)});
var edges = new vis.DataSet({_script_json(edges)});
var options = {_script_json(_OPTIONS)};
var network = new vis.Network(document.getElementById("network"), {{nodes: nodes, edges: edges}}, options);
// Once laid out, the nodes stay where they are put (and the page stops using the CPU).
network.once("stabilizationIterationsDone", function () {{
  network.setOptions({{physics: false}});
  network.fit();
}});
"""
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
<p>{summary}</p>
{note}
<ul class="legend">{legend}</ul>
</header>
<div id="network"></div>
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
    return text


def _vendored(name: str, tag: str) -> str:
    text = resources.files("pyvis").joinpath(f"{_VIS}/{name}").read_text(encoding="utf-8")
    if f"</{tag}" in text.lower() or "<!--" in text:
        raise OutputError(f"pyvis' {name} cannot be inlined in a <{tag}> element. Install pyvis 0.3.2.")
    return text
