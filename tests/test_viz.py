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
    """The items the page hands to vis.js, decoded as the browser's JSON parser would; "edges" are the stated
    relations and the co-occurrences (which the page adds to vis' DataSet when they are asked for)."""
    (script,) = [s for s in page.scripts if f"var {name} = new vis.DataSet(" in s]
    items = json.loads(re.search(rf"var {name} = new vis\.DataSet\((.*?)\);\n", script).group(1))
    if name == "edges":
        items += json.loads(re.search(r"var cooccurrences = (.*?);\n", script).group(1))
    return items


def _data(page: _Page) -> dict:
    """The page's ``kgData``: articles, entities' facts and every relation's evidence."""
    (script,) = [s for s in page.scripts if "var kgData = " in s]
    return json.loads(re.search(r"var kgData = (.*?);\n", script).group(1))


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
        assert f"</span> {name}</label>" in page  # the legend, with the type's checkbox


def test_tooltips_are_plain_text_with_types_aliases_titles_articles_and_confidence(page: str):
    parsed = _Page(page)
    nodes = {item["id"]: item for item in _dataset(parsed, "nodes")}
    edges = {item["label"]: item for item in _dataset(parsed, "edges")}

    tillerson = nodes["person:rex-tillerson"]["title"]
    for text in ("Person", "Tillerson", "U.S. Secretary of State", "Tillerson meets Putin in Moscow"):
        assert text in tillerson
    assert nodes["country:russia"]["title"].splitlines()[1] == "Country (RU)"
    assert 'Exxon, a "backer" of <b>Tillerson</b>' in nodes[HOSTILE_ID]["title"]  # shown as text by vis.js

    assert edges["said_about"]["title"].splitlines() == [
        "Rex Tillerson said_about Russia",
        "attribution, confidence 0.80, 1 sentence",
        "Click for the sentences and their articles.",
    ]
    cooccurs = edges["co_occurs"]
    assert cooccurs["dashes"] is True and cooccurs["arrows"] == ""
    assert cooccurs["title"].splitlines()[1] == "cooccurrence, confidence 0.51, 2 sentences"


def test_the_page_holds_every_sentence_of_a_relation_once(sample_graph):
    edge = sample_graph.edges["person:rex-tillerson", "person:vladimir-putin", "co_occurs"]
    edge["evidence"] = [dict(edge["evidence"][0], start=i, sentence=f"Sentence {i}.") for i in range(5)]
    edge["evidence"].append(dict(edge["evidence"][0], start=9, sentence="Sentence  0."))  # the same, once
    parsed = _Page(to_html(sample_graph))
    edges = {item["label"]: item for item in _dataset(parsed, "edges")}
    data = _data(parsed)
    evidence = data["evidence"][edges["co_occurs"]["id"]]
    assert [data["sentences"][sentence] for _, sentence, _, _ in evidence] == [f"Sentence {i}." for i in [*range(5), 0]]
    assert len(data["sentences"]) == len(set(data["sentences"]))


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
    allowed = {"html", "head", "meta", "title", "style", "script", "body", "header", "main", "aside", "h1", "h2"}
    allowed |= {"p", "ul", "li", "span", "div", "label", "input", "datalist", "button", "output", "section", "br"}
    assert {tag for tag, _ in parsed.tags} <= allowed
    assert HOSTILE_LABEL not in page and "<img" not in page.lower()
    assert "<b>Tillerson" not in page
    # Only the page's own two <script> elements close ("<script>" itself is a string in vis-network).
    assert page.lower().count("</script") == 2
    assert len(parsed.scripts) == 2
    assert "<h1>News &lt;graph&gt;</h1>" in page and "<title>News &lt;graph&gt;</title>" in page


def test_physics_stops_after_stabilisation_with_a_fixed_seed(page: str):
    assert 'network.once("stabilizationIterationsDone"' in page
    assert "network.setOptions({physics: false})" in page
    assert '"randomSeed":1' in page and '"solver":"forceAtlas2Based"' in page


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


def test_cooccurrence_edges_are_hidden_at_first_and_leave_the_layout_to_stated_relations(page: str):
    edges = _dataset(_Page(page), "edges")
    hidden = [e for e in edges if e.get("hidden")]
    assert [e["label"] for e in hidden] == ["co_occurs"]
    assert hidden[0]["physics"] is False and hidden[0]["kgKind"] == "cooccurrence"
    assert not any(e.get("physics") is False for e in edges if e not in hidden)
    assert '<input type="checkbox" id="kg-cooccurrence" autocomplete="off">' in page  # unticked


def test_every_type_and_relation_has_a_ticked_checkbox_with_its_count(sample_graph, page: str):
    parsed = _Page(page)
    boxes = [attrs for tag, attrs in parsed.tags if tag == "input" and attrs.get("type") == "checkbox"]
    by_class: dict[str, dict[str, dict]] = {}
    for attrs in boxes:
        by_class.setdefault(attrs.get("class", attrs.get("id")), {})[attrs.get("value")] = attrs
    assert set(by_class["kg-type"]) == {"Person", "Country", "Organisation", "Place"}
    stated = {key for _, _, key, kind in sample_graph.edges(keys=True, data="kind") if kind != "cooccurrence"}
    assert len(stated) == 6 and set(by_class["kg-relation"]) == stated
    assert all("checked" in attrs for attrs in [*by_class["kg-type"].values(), *by_class["kg-relation"].values()])
    assert "checked" not in by_class["kg-cooccurrence"][None]
    assert 'value="Organisation" checked autocomplete="off"> <span class="symbol" style="color:#f28e2b">' in page
    assert '</span> Organisation</label> <span class="count">2</span>' in page


def test_types_and_relation_names_in_the_controls_are_escaped(sample_graph):
    sample_graph.nodes["place:moscow"]["type"] = '"><script>alert(1)</script>'
    sample_graph.edges["place:moscow", "country:russia", "located_in"]["relation"] = "<b>in</b>"
    page = to_html(sample_graph)
    parsed = _Page(page)
    assert len(parsed.scripts) == 2 and "<b>in" not in page
    values = {attrs.get("value") for tag, attrs in parsed.tags if tag == "input"}
    assert {'"><script>alert(1)</script>', "<b>in</b>"} <= values  # attribute values, as the browser reads them


def test_nodes_carry_their_type_and_names_for_the_filters_and_the_search(page: str):
    nodes = {item["id"]: item for item in _dataset(_Page(page), "nodes")}
    assert nodes["person:rex-tillerson"]["kgType"] == "Person"
    assert nodes["person:rex-tillerson"]["kgNames"] == ["Rex Tillerson", "Tillerson"]
    assert nodes[HOSTILE_ID]["kgNames"] == [HOSTILE_LABEL, '"onerror" \\ Corp']


def test_parallel_edges_curve_apart_and_single_ones_are_straight(sample_graph):
    tillerson, exxon = "person:rex-tillerson", "organisation:exxonmobil"
    sample_graph.add_edge(tillerson, exxon, key="consult", relation="consult", kind="interaction")
    sample_graph.add_edge(exxon, tillerson, key="co_occurs", relation="co_occurs", kind="cooccurrence")
    edges = {(e["from"], e["label"]): e for e in _dataset(_Page(to_html(sample_graph)), "edges")}
    # Exxon -> Tillerson: supports; Tillerson -> Exxon: meets, works_for. The middle one stays straight.
    assert "smooth" not in edges[tillerson, "consult"]
    supports, works_for = edges[exxon, "support"]["smooth"], edges[tillerson, "works_for"]["smooth"]
    assert supports["roundness"] == works_for["roundness"] == 0.25
    # Opposite directions, opposite sides: the same turn relative to each edge's own direction.
    assert supports["type"] == works_for["type"]
    assert edges[exxon, "co_occurs"]["smooth"]["roundness"] == 0.5  # outside the stated relations
    assert "smooth" not in edges[tillerson, "said_about"] and "smooth" not in edges[tillerson, "co_occurs"]


def test_label_and_node_sizes_grow_with_the_graph():
    from kg.viz import _sized_options

    small, large = _sized_options(10), _sized_options(500)
    assert small["nodes"]["scaling"]["label"]["max"] < large["nodes"]["scaling"]["label"]["max"]
    assert small["layout"]["improvedLayout"] is True and large["layout"]["improvedLayout"] is False


def test_default_max_nodes_is_the_documented_one(sample_graph):
    import inspect

    from kg.viz import DEFAULT_MAX_NODES

    assert inspect.signature(to_html).parameters["max_nodes"].default == DEFAULT_MAX_NODES == 500
    assert inspect.signature(write_html).parameters["max_nodes"].default == DEFAULT_MAX_NODES


def test_an_entity_of_no_known_type_gets_the_other_style_and_its_own_checkbox(sample_graph):
    sample_graph.add_node("thing:x", label="X", mentions=1)
    page = to_html(sample_graph)
    nodes = {item["id"]: item for item in _dataset(_Page(page), "nodes")}
    assert nodes["thing:x"]["kgType"] == "Other" and nodes["thing:x"]["color"] == "#9c9c9c"
    assert '<input type="checkbox" class="kg-type" value="Other" checked' in page
    assert "from 2 articles." in page


def test_the_page_holds_each_article_with_its_title_url_and_iso_date(page: str):
    data = _data(_Page(page))
    by_title = {article["title"]: article for article in data["articles"]}
    assert by_title["Tillerson meets Putin in Moscow"] == {
        "title": "Tillerson meets Putin in Moscow",
        "url": "https://example.com/news/1",
        "date": "2017-04-12",
        "dateText": "2017-04-12",
    }
    exxon = by_title['Exxon, a "backer" of <b>Tillerson</b>']  # as text, in the script's JSON
    assert exxon["date"] == "2017-04-13" and exxon["dateText"] == "April 13, 2017"
    tillerson = data["entities"]["person:rex-tillerson"]
    assert [data["articles"][i]["title"] for i in tillerson["articles"]] == [
        "Tillerson meets Putin in Moscow",
        'Exxon, a "backer" of <b>Tillerson</b>',
    ]
    assert tillerson["titles"] == ["U.S. Secretary of State"] and tillerson["mentions"] == 5
    assert data["entities"]["country:russia"]["countryCode"] == "RU"


def test_each_relation_carries_its_confidence_dates_and_every_sentence(page: str):
    parsed = _Page(page)
    edges = {item["label"]: item for item in _dataset(parsed, "edges")}
    data = _data(parsed)
    said = edges["said_about"]
    assert said["kgConfidence"] == 0.8 and said["kgDates"] == ["2017-04-12"] and said["kgUndated"] is False
    ((article, sentence, confidence, method),) = data["evidence"][said["id"]]
    assert data["articles"][article]["url"] == "https://example.com/news/1"
    assert data["sentences"][sentence] == " ".join(HOSTILE_SENTENCE.split())
    assert (confidence, method) == (0.8, "speech_verb")
    assert edges["co_occurs"]["kgDates"] == ["2017-04-12", "2017-04-13"]
    assert edges["works_for"]["kgTriggers"] == ["chief"]


def test_only_web_links_become_links_and_undated_articles_are_marked(sample_graph):
    sample_graph.graph["articles"]["exxon-backs-tillerson-5e6f7a8b"].update(url="javascript:alert(1)", date="soon")
    parsed = _Page(to_html(sample_graph))
    exxon = next(a for a in _data(parsed)["articles"] if a["title"].startswith("Exxon"))
    assert exxon["url"] is None and exxon["date"] is None and exxon["dateText"] == "soon"
    edges = {item["label"]: item for item in _dataset(parsed, "edges")}
    assert edges["works_for"]["kgDates"] == [] and edges["works_for"]["kgUndated"] is True
    undated = [attrs for tag, attrs in parsed.tags if attrs.get("id") == "kg-undated"]
    assert undated and "checked" in undated[0]


def test_the_controls_start_at_the_default_threshold_and_the_whole_date_range(page: str):
    from kg.graph import DEFAULT_THRESHOLD

    inputs = {attrs.get("id"): attrs for tag, attrs in _Page(page).tags if tag == "input"}
    assert float(inputs["kg-confidence"]["value"]) == DEFAULT_THRESHOLD == _data(_Page(page))["threshold"]
    assert (inputs["kg-date-from"]["value"], inputs["kg-date-to"]["value"]) == ("2017-04-12", "2017-04-13")
    assert "checked" not in inputs["kg-unrelated"]  # entities without a relation in view: hidden at first
    assert "kg-undated" not in inputs  # every article has a date


def test_a_graph_without_dates_has_no_date_filter(sample_graph):
    for article in sample_graph.graph["articles"].values():
        article["date"] = None
    page = to_html(sample_graph)
    assert "No article dates known." in page and 'id="kg-date-from"' not in page


def test_entities_without_a_stated_relation_stay_out_of_the_layout(sample_graph):
    sample_graph.add_node("person:nobody", label="Nobody", type="Person", mentions=1)
    sample_graph.add_edge("person:nobody", "place:moscow", key="co_occurs", relation="co_occurs", kind="cooccurrence")
    nodes = {item["id"]: item for item in _dataset(_Page(to_html(sample_graph)), "nodes")}
    assert nodes["person:nobody"]["physics"] is False
    assert all("physics" not in item for node, item in nodes.items() if node != "person:nobody")


def test_a_large_graph_is_drawn_after_fewer_layout_iterations_and_settles_on_screen():
    from kg.viz import _layout_iterations, _sized_options

    sizes = (100, 500, 1000, 2000, 10**5)
    before = [_sized_options(n)["physics"]["stabilization"]["iterations"] for n in sizes]
    assert before == sorted(before, reverse=True) and before[0] == 300 and before[-1] == 10
    after = [_layout_iterations(n)[1] for n in sizes]
    assert after == sorted(after) and after[0] == 0 and after[-1] > 0
    assert _sized_options(2000, laid_out=100)["physics"]["stabilization"]["iterations"] == 300


def test_the_left_out_note_names_the_largest_entities_left_out(sample_graph):
    page = to_html(sample_graph, max_nodes=3)
    # ExxonMobil and Moscow (2 + 2) come next after the three kept; then the hostile label, escaped.
    assert "The largest left out: ExxonMobil; Moscow; &lt;img src=x onerror=alert(1)&gt;.</p>" in page


def test_the_page_scripts_are_package_data_inlined_once(page: str):
    from importlib import resources

    for name in ("sources.js", "page.js"):
        script = resources.files("kg").joinpath(f"viz_assets/{name}").read_text(encoding="utf-8")
        assert page.count(script) == 1 and "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_two_records_of_one_sentence_are_one_entry_with_both_rules(sample_graph):
    edge = sample_graph.edges["person:rex-tillerson", "country:russia", "said_about"]
    edge["evidence"].append(dict(edge["evidence"][0], method="learned", confidence=0.6))
    parsed = _Page(to_html(sample_graph))
    said = next(item for item in _dataset(parsed, "edges") if item["label"] == "said_about")
    ((_, _, confidence, methods),) = _data(parsed)["evidence"][said["id"]]
    assert (confidence, methods) == (0.8, "learned, speech_verb")
    assert "1 sentence\n" in said["title"]
