"""The graph as one self-contained HTML page: a vis.js network built with pyvis, readable offline.

pyvis builds the nodes, edges and options; the page around them is kg's own (``kg/viz_assets``: page.html,
page.css, sources.js and page.js, package data), because pyvis' template loads Bootstrap (and, with some
options, tom-select) from CDNs even with ``cdn_resources="in_line"``. The page inlines its own script and style
and the vis-network script and style that pyvis ships, so it has no remote reference at all.

What the page does (page.js): clicking an entity or a relation opens a side panel with its facts and every
evidence sentence, each with its article's title (a link when the article has a web URL) and date; the panel
shows the entity's neighbourhood (1 or 2 steps, everything else hidden) and the page goes back from it. At first
it draws the stated relations of confidence :data:`kg.graph.DEFAULT_THRESHOLD` or more and the entities they join;
it says how many other entities there are and draws them on request. A search box, a confidence slider, a date
range (over the articles' dates, ISO dates from :func:`kg.dates.parse_date`), a checkbox per entity type and
relation and one for the co-occurrences (hidden at first: in news they outnumber the stated relations several
times over) filter what is drawn; the view exports as PNG and its relations as CSV with their evidence and URLs.
``window.kgView`` gives scripts (and the browser tests) the vis DataSets, the network and ``kgView.state()``.

Every text from the articles (labels, aliases, titles, sentences, headlines, dates) reaches the page either as
HTML-escaped text or inside the script's JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so no
text can close the ``<script>`` element or add markup. Tooltips are plain strings: vis-network 9 (pyvis 0.3.2
ships 9.1.2) puts a string ``title`` into the page with ``innerText``, never as HTML; the page's script writes
texts only with ``textContent`` and ``value``, and links only to ``http(s)`` URLs.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from string import Template

import networkx as nx

from kg.dates import parse_date
from kg.errors import OutputError
from kg.graph import DEFAULT_THRESHOLD, evidence_by_sentence
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
_MAX_ARTICLES = 3  # article titles in a node's tooltip (its panel lists them all)
_LEFT_OUT_NAMED = 5  # entities named in the note on what max_nodes left out
_ITERATION_BUDGET = 40_000  # layout iterations x laid-out entities before the page is drawn: about a second
_LEAST_ITERATIONS = 10
_FINE_REPULSION_MAX = 300  # entities laid out with vis' default precision of the repulsion
_LIVE_ITERATIONS = 200  # a large graph's iterations before and after it is drawn
_WEB_URL = re.compile(r"https?://", re.IGNORECASE)
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
        # Relation names are drawn only when they are 7 pixels or more on screen (zoomed in), or selected (the
        # page's script enlarges the labels of the selected relations).
        "scaling": {"label": {"drawThreshold": 8}},
        "font": {"size": 11, "align": "middle", "color": "#333333"},
        "color": {"inherit": False},
    },
    "interaction": {"hover": True, "tooltipDelay": 150},
}


def to_html(G: nx.MultiDiGraph, *, max_nodes: int = DEFAULT_MAX_NODES, title: str = "kg") -> str:
    """The graph as a self-contained HTML page (a string).

    Nodes are coloured and shaped by entity type and sized by mentions; edges are labelled with the
    relation name, co-occurrences are thin dashed grey lines, hidden until their checkbox is ticked. At first
    the page draws the stated relations of confidence :data:`kg.graph.DEFAULT_THRESHOLD` or more and the entities
    they join. Over ``max_nodes`` entities, the page keeps those with the highest degree + mentions and says how
    many entities and relations it leaves out, and which are the largest.

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
    stated = {node for s, t, kind in H.edges(data="kind") if kind != COOCCURRENCE for node in (s, t)}

    net = Network(directed=True, heading=title)
    for node, attrs in sorted(H.nodes(data=True)):
        colour, shape, _ = TYPE_STYLES.get(attrs.get("type"), _OTHER_STYLE)
        label = attrs.get("label") or node
        extra = {} if node in stated else {"physics": False}  # lined up under the graph by the page's script
        net.add_node(
            node,
            label=label,
            shape=shape,
            color=colour,
            title=_node_tooltip(node, attrs, articles),
            value=attrs.get("mentions", 1),
            kgType=_type(attrs),
            kgNames=[label, *attrs.get("aliases", [])],
            **extra,
        )
    page_articles = _PageArticles(articles)
    sentences = _Sentences()
    evidence = {}
    fans = _fans(H)
    for source, target, key, attrs in sorted(H.edges(keys=True, data=True), key=lambda e: e[:3]):
        relation = attrs.get("relation", key)
        style = dict(_COOCCURRENCE_STYLE if attrs.get("kind") == COOCCURRENCE else _STATED_STYLE)
        if (source, target, key) in fans:
            style["smooth"] = fans[source, target, key]
        edge_id = f"{source}|{relation}|{target}"
        # One entry per sentence: an edge has a record per pair of name occurrences and rule in a sentence.
        evidence[edge_id] = [
            [
                page_articles.index(article),
                sentences.index(records[0]["sentence"]),
                max(record["confidence"] for record in records),
                ", ".join(sorted({record["method"] for record in records})),
            ]
            for (article, _, _), records in evidence_by_sentence(attrs.get("evidence", [])).items()
        ]
        dates = [page_articles.date(item["article"]) for item in attrs.get("evidence", [])]
        net.add_edge(
            source,
            target,
            id=edge_id,
            label=relation,
            title=_edge_tooltip(H, source, target, relation, attrs),
            kgRelation=relation,
            kgKind=attrs.get("kind", ""),
            kgConfidence=attrs.get("confidence", 0.0),
            kgDates=sorted({day for day in dates if day}),
            kgUndated=None in dates,
            kgTriggers=attrs.get("triggers", []),
            **style,
        )
    entities = {
        node: {
            "aliases": attrs.get("aliases", []),
            "titles": attrs.get("titles", []),
            "mentions": attrs.get("mentions", 0),
            "articles": [page_articles.index(article) for article in attrs.get("articles", [])],
            "countryCode": attrs.get("country_code"),
        }
        for node, attrs in sorted(H.nodes(data=True))
    }
    data = {
        "articles": page_articles.records,
        "entities": entities,
        "evidence": evidence,
        "sentences": sentences.texts,
        "threshold": DEFAULT_THRESHOLD,
        "liveIterations": _layout_iterations(len(stated))[1],
    }
    nodes, edges, *_ = net.get_network_data()
    options = _sized_options(H.number_of_nodes(), laid_out=len(stated))
    return _page(title, G, H, nodes, edges, options, data)


class _Sentences:
    """The evidence sentences, each once (a sentence naming five entities is the evidence of ten co-occurrences)."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self.texts: list[str] = []

    def index(self, sentence: str) -> int:
        text = " ".join(sentence.split())
        if text not in self._numbers:
            self._numbers[text] = len(self.texts)
            self.texts.append(text)
        return self._numbers[text]


class _PageArticles:
    """The articles the page cites, numbered in the order they are first cited, with ISO dates and safe URLs."""

    def __init__(self, articles: dict):
        self._articles = articles
        self._numbers: dict[str, int] = {}
        self.records: list[dict] = []

    def index(self, article: str) -> int:
        if article not in self._numbers:
            meta = self._articles.get(article) or {}
            url = meta.get("url") or None
            self._numbers[article] = len(self.records)
            self.records.append(
                {
                    "title": _article_title(article, self._articles),
                    "url": url if url and _WEB_URL.match(url) else None,  # no javascript: or data: links
                    "date": self.date(article),
                    "dateText": meta.get("date") or None,
                }
            )
        return self._numbers[article]

    def date(self, article: str) -> str | None:
        written = (self._articles.get(article) or {}).get("date")
        return parse_date(written) if written else None


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
    return sorted(_ranked(G)[:max_nodes])


def _ranked(G: nx.MultiDiGraph) -> list[str]:
    """The entities, most relations + mentions first."""
    return sorted(G.nodes, key=lambda n: (-(G.degree(n) + G.nodes[n].get("mentions", 0)), n))


def _sized_options(n_nodes: int, *, laid_out: int | None = None) -> dict:
    """The vis options for a graph of ``n_nodes``, ``laid_out`` of them by the physics (default: all).

    With the whole graph in view, a graph of n entities is drawn at about 1/sqrt(n) of its size, so the largest
    nodes and labels grow with sqrt(n): then the names of the most mentioned entities can be read in the first
    view of a graph of hundreds, and a graph of twenty has no giant letters (vis' ``maxVisible`` does not cap
    the drawn size in 9.1.2).
    """
    options = json.loads(json.dumps(_OPTIONS))
    scaling = options["nodes"]["scaling"]
    scaling["max"] = round(min(max(3 * n_nodes**0.5, 30), 64))
    scaling["label"]["max"] = round(min(max(4.5 * n_nodes**0.5, 24), 96))
    laid_out = n_nodes if laid_out is None else laid_out
    options["layout"]["improvedLayout"] = laid_out <= _IMPROVED_LAYOUT_MAX
    options["physics"]["stabilization"]["iterations"] = _layout_iterations(laid_out)[0]
    if laid_out > _FINE_REPULSION_MAX:
        # A coarser Barnes-Hut approximation of the repulsion (vis' default is 0.5): two to three times faster an
        # iteration, measured in Chromium on 1,169 entities, with no difference to see in a graph this size.
        options["physics"]["forceAtlas2Based"]["theta"] = 1.0
    return options


def _layout_iterations(laid_out: int) -> tuple[int, int]:
    """How many layout iterations the page runs before it draws the graph, and how many after, on screen.

    A few hundred entities are laid out in full before they are drawn (about a second). A larger graph gets as
    many iterations as fit in that second, is drawn and can be used, and settles on screen for the rest.
    """
    most = _OPTIONS["physics"]["stabilization"]["iterations"]
    before = max(_LEAST_ITERATIONS, min(most, _ITERATION_BUDGET // max(laid_out, 1)))
    return before, max(0, _LIVE_ITERATIONS - before)


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


def _edge_tooltip(H: nx.MultiDiGraph, source: str, target: str, relation: str, attrs: dict) -> str:
    """What the relation is and how sure; its sentences are in its panel (the page would be twice as large with
    them in the tooltips too)."""

    def label(node: str) -> str:
        return H.nodes[node].get("label") or node

    n_sentences = len(evidence_by_sentence(attrs.get("evidence", [])))
    return (
        f"{label(source)} {relation} {label(target)}\n"
        f"{attrs.get('kind', '')}, confidence {attrs.get('confidence', 0):.2f}, "
        f"{n_sentences} {'sentence' if n_sentences == 1 else 'sentences'}\n"
        "Click for the sentences and their articles."
    )


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
    title: str, G: nx.MultiDiGraph, H: nx.MultiDiGraph, nodes: list, edges: list, options: dict, data: dict
) -> str:
    """The page: kg/viz_assets/page.html with the graph's data, controls and the inlined scripts and styles."""
    n_articles = len(G.graph.get("articles", {}))
    dates = sorted({record["date"] for record in data["articles"] if record["date"]})
    script = f"""
var nodes = new vis.DataSet({_script_json(nodes)});
var edges = new vis.DataSet({_script_json([e for e in edges if e["kgKind"] != COOCCURRENCE])});
var cooccurrences = {_script_json([e for e in edges if e["kgKind"] == COOCCURRENCE])};
var options = {_script_json(options)};
var kgData = {_script_json(data)};
{_asset("sources.js", "script")}
{_asset("page.js", "script")}"""
    type_filters, relation_filters = _filters(H)
    template = Template(resources.files("kg").joinpath("viz_assets/page.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=html.escape(title),
        vis_style=_vendored("vis-network.css", "style"),
        page_style=_asset("page.css", "style"),
        vis_script=_vendored("vis-network.min.js", "script"),
        summary=f"{H.number_of_nodes()} entities, {H.number_of_edges()} relations, "
        f"from {n_articles} article{'' if n_articles == 1 else 's'}.",
        left_out=_left_out_note(G, H),
        threshold=DEFAULT_THRESHOLD,
        threshold_text=f"{DEFAULT_THRESHOLD:.2f}",
        date_controls=_date_controls(dates, undated=any(record["date"] is None for record in data["articles"])),
        type_filters=type_filters,
        relation_filters=relation_filters,
        script=script,
    )


def _left_out_note(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> str:
    """What a cut to max_nodes left out: how many entities and relations, and the largest of the entities."""
    left_out = (G.number_of_nodes() - H.number_of_nodes(), G.number_of_edges() - H.number_of_edges())
    if not any(left_out):
        return ""
    kept = set(H)
    largest = [node for node in _ranked(G) if node not in kept][:_LEFT_OUT_NAMED]
    names = "; ".join(html.escape(G.nodes[node].get("label") or node) for node in largest)
    return (
        f'<p class="note">Left out: {left_out[0]} entities and {left_out[1]} relations '
        f"(only the {H.number_of_nodes()} entities with the most relations and mentions are shown; "
        f"a larger max_nodes shows more). The largest left out: {names}.</p>"
    )


def _date_controls(dates: list[str], *, undated: bool) -> str:
    if not dates:
        return "<h2>Dates</h2>\n<p>No article dates known.</p>"
    first, last = html.escape(dates[0]), html.escape(dates[-1])
    controls = (
        f'<h2>Dates</h2>\n<p><label>from <input type="date" id="kg-date-from" min="{first}" max="{last}" '
        f'value="{first}" autocomplete="off"></label><br><label>to <input type="date" id="kg-date-to" '
        f'min="{first}" max="{last}" value="{last}" autocomplete="off"></label></p>'
    )
    if undated:
        controls += (
            '\n<p><label><input type="checkbox" id="kg-undated" checked autocomplete="off">'
            " and articles of no date</label></p>"
        )
    return controls


def _script_json(data: object) -> str:
    # Inside <script>, "</script>" or "<!--" in a string would end or confuse the element: write <, > and &
    # (and the line separators JavaScript rejects in strings before ES2019) as JSON escapes.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    # A lone surrogate cannot be written as UTF-8; JavaScript strings take it as an escape.
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _asset(name: str, tag: str) -> str:
    """The page's own script or style, from kg/viz_assets (package data)."""
    text = resources.files("kg").joinpath(f"viz_assets/{name}").read_text(encoding="utf-8")
    if f"</{tag}" in text.lower() or "<!--" in text:
        raise OutputError(f"kg/viz_assets/{name} cannot be inlined in a <{tag}> element; reinstall kg.")
    return text


def _vendored(name: str, tag: str) -> str:
    text = resources.files("pyvis").joinpath(f"{_VIS}/{name}").read_text(encoding="utf-8")
    if f"</{tag}" in text.lower() or "<!--" in text:
        raise OutputError(f"pyvis' {name} cannot be inlined in a <{tag}> element. Install pyvis 0.3.2.")
    return text
