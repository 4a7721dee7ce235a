"""kg.viz: a self-contained, deterministic page whose texts cannot inject markup or script."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import HOSTILE_ID, HOSTILE_LABEL, HOSTILE_SENTENCE

from kg.errors import OutputError
from kg.viz import to_html, write_html


class _Page(HTMLParser):
    """The tags, attributes and script texts of a page, as a browser's tokenizer splits them."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _dataset(page: _Page, name: str) -> list[dict]:
    """The items the page hands to vis.js, decoded as the browser's JSON parser would."""
    (script,) = [s for s in page.scripts if f"var {name} = new vis.DataSet(" in s]
    return json.loads(re.search(rf"var {name} = new vis\.DataSet\((.*?)\);\n", script).group(1))


@pytest.fixture
def page(sample_graph, tmp_path: Path) -> str:
    path = tmp_path / "kg.html"
    write_html(sample_graph, path, title="News <graph>")
    return path.read_text(encoding="utf-8")


def test_file_holds_every_node_and_edge_with_its_exact_texts(sample_graph, page: str):
    parsed = _Page(page)
    nodes = {item["id"]: item for item in _dataset(parsed, "nodes")}
    edges = _dataset(parsed, "edges")

    assert {node: item["label"] for node, item in nodes.items()} == dict(sample_graph.nodes(data="label"))
    assert len(edges) == sample_graph.number_of_edges()
    assert {e["label"] for e in edges} == {key for _, _, key in sample_graph.edges(keys=True)}
    # The raw label is in the page only as JSON escapes, never as characters a browser reads as markup.
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page


def test_nodes_are_styled_by_type_and_sized_by_mentions(page: str):
    nodes = {item["id"]: item for item in _dataset(_Page(page), "nodes")}
    assert nodes["person:rex-tillerson"]["shape"] != nodes["country:russia"]["shape"]
    assert nodes["person:rex-tillerson"]["color"] == nodes["person:vladimir-putin"]["color"]
    assert nodes["person:rex-tillerson"]["color"] != nodes["place:moscow"]["color"]
    assert nodes["person:rex-tillerson"]["value"] == 5
    for name in ("Person", "Country", "Organisation", "Place"):
        assert f"</span> {name}</li>" in page  # the legend


def test_tooltips_are_plain_text_with_types_aliases_titles_articles_and_evidence(page: str):
    parsed = _Page(page)
    nodes = {item["id"]: item for item in _dataset(parsed, "nodes")}
    edges = {item["label"]: item for item in _dataset(parsed, "edges")}

    tillerson = nodes["person:rex-tillerson"]["title"]
    for text in ("Person", "Tillerson", "U.S. Secretary of State", "Tillerson meets Putin in Moscow"):
        assert text in tillerson
    assert nodes["country:russia"]["title"].splitlines()[1] == "Country (RU)"
    assert 'Exxon, a "backer" of <b>Tillerson</b>' in nodes[HOSTILE_ID]["title"]  # shown as text by vis.js

    said = edges["said_about"]["title"]
    assert "said_about" in said and "confidence 0.80" in said
    assert " ".join(HOSTILE_SENTENCE.split()) in said
    assert said.endswith("Tillerson meets Putin in Moscow")
    cooccurs = edges["co_occurs"]
    assert cooccurs["dashes"] is True and cooccurs["arrows"] == ""
    assert len(cooccurs["title"].splitlines()) == 2 + 2  # header lines + both sentences


def test_evidence_in_a_tooltip_is_capped_at_three_sentences(sample_graph):
    edge = sample_graph.edges["person:rex-tillerson", "person:vladimir-putin", "co_occurs"]
    edge["evidence"] = [dict(edge["evidence"][0], start=i) for i in range(5)]
    edges = {item["label"]: item for item in _dataset(_Page(to_html(sample_graph)), "edges")}
    assert edges["co_occurs"]["title"].splitlines()[-1] == "... and 2 more"


def test_page_is_self_contained(page: str):
    parsed = _Page(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "<script src" not in page.lower() and "<link" not in page.lower()
    assert "@version 9.1.2" in page and "vis.Network" in page  # vis-network is inlined
    assert "@import" not in page


def test_hostile_texts_add_no_markup_and_do_not_end_the_script(page: str):
    parsed = _Page(page)
    allowed = {"html", "head", "meta", "title", "style", "script", "body", "header", "h1", "p", "ul", "li"}
    assert {tag for tag, _ in parsed.tags} <= allowed | {"span", "div"}
    assert HOSTILE_LABEL not in page and "<img" not in page.lower()
    assert "<b>Tillerson" not in page
    # Only the page's own two <script> elements close ("<script>" itself is a string in vis-network).
    assert page.lower().count("</script") == 2
    assert len(parsed.scripts) == 2
    assert "<h1>News &lt;graph&gt;</h1>" in page and "<title>News &lt;graph&gt;</title>" in page


def test_physics_stops_after_stabilisation_with_a_fixed_seed(page: str):
    assert 'network.once("stabilizationIterationsDone"' in page
    assert "network.setOptions({physics: false})" in page
    assert '"randomSeed":1' in page and '"solver":"barnesHut"' in page


def test_over_max_nodes_keeps_the_busiest_and_says_what_is_left_out(sample_graph):
    page = to_html(sample_graph, max_nodes=3)
    nodes = _dataset(_Page(page), "nodes")
    # degree + mentions: Tillerson 4 + 5, Putin 2 + 4, Russia 3 + 3; then ExxonMobil and Moscow 2 + 2, ...
    assert {n["id"] for n in nodes} == {"person:rex-tillerson", "person:vladimir-putin", "country:russia"}
    assert len(_dataset(_Page(page), "edges")) == 3
    assert "Left out: 3 entities and 4 relations" in page
    assert "Left out" not in to_html(sample_graph)


def test_max_nodes_below_one_is_refused(sample_graph):
    with pytest.raises(OutputError, match="max_nodes"):
        to_html(sample_graph, max_nodes=0)


def test_same_graph_gives_the_same_bytes(sample_graph, tmp_path: Path):
    write_html(sample_graph, tmp_path / "a.html")
    write_html(sample_graph, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_empty_graph_gives_a_page(tmp_path: Path):
    import networkx as nx

    write_html(nx.MultiDiGraph(), tmp_path / "kg.html")
    assert "0 entities, 0 relations" in (tmp_path / "kg.html").read_text(encoding="utf-8")
