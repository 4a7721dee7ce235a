"""kg.viz in a real browser: the page in headless Chromium (Debian's ``chromium``), driven by Playwright.

Every request other than the page's own file is recorded and aborted, and each test checks that none was
attempted: the page must work with no network at all. One browser serves the whole module; each test opens
the page in a fresh context.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from conftest import A1, HOSTILE_ID, HOSTILE_SENTENCE, _evidence, make_sample_graph
from playwright.sync_api import Browser, Page, sync_playwright

from kg.dates import parse_date
from kg.graph import DEFAULT_THRESHOLD, add_relation
from kg.viz import write_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TILLERSON, PUTIN, RUSSIA = "person:rex-tillerson", "person:vladimir-putin", "country:russia"

#: Payloads that set a flag on ``window`` if the page ever runs them.
PWN_LABEL = '<img src=x onerror="window.__pwned=1">'
PWN_SENTENCE = "</script><script>window.__pwned2=1</script>"
PWN_TITLE = "<script>window.__pwned3=1</script><svg onload=window.__pwned4=1>"
PWN_URL = "javascript:window.__pwned5=1"
PWN_DATE = "<img src=x onerror=window.__pwned6=1>"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}. Install it with `apt-get install chromium` "
            "(Debian/Ubuntu package; do not use `playwright install`).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class View:
    """An open page and what it did: the requests it made, its errors and its dialogs."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def state(self) -> dict:
        return self.page.evaluate("kgView.state()")

    def tooltip_at(self, x: float, y: float) -> str:
        """The text of vis' tooltip after the mouse rests at (x, y), in CSS pixels of the page."""
        self.page.mouse.move(x - 20, y - 20)
        self.page.mouse.move(x, y, steps=5)
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5000)
        # Text only: innerText turns the newlines into <br> and makes no other element.
        assert tooltip.evaluate("element => [...element.querySelectorAll('*')].every(e => e.tagName === 'BR')")
        return tooltip.inner_text()

    def move_away(self) -> None:
        """Rest the mouse on an empty corner of the canvas, so that vis hides the tooltip."""
        box = self.page.locator("#network").bounding_box()
        self.page.mouse.move(box["x"] + 3, box["y"] + 3, steps=5)
        self.page.locator("div.vis-tooltip").wait_for(state="hidden", timeout=5000)

    def screen_position(self, canvas_point: dict) -> tuple[float, float]:
        box = self.page.locator("#network").bounding_box()
        point = self.page.evaluate("p => kgView.network.canvasToDOM(p)", canvas_point)
        return box["x"] + point["x"], box["y"] + point["y"]


@contextmanager
def opened(browser: Browser, path: Path) -> Iterator[View]:
    """The page at ``path``, laid out; on leaving, no request but the page's own was made and no error shown."""
    context = browser.new_context(viewport={"width": 1200, "height": 800}, service_workers="block")
    page = context.new_page()
    view = View(page, path.resolve().as_uri())
    page.on("request", lambda request: view.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and view.errors.append(message.text))
    page.on("pageerror", lambda error: view.errors.append(str(error)))
    page.on("dialog", lambda dialog: (view.dialogs.append(dialog.message), dialog.dismiss()))
    context.route("**/*", lambda route: route.continue_() if route.request.url == view.url else route.abort())
    try:
        page.goto(view.url)
        page.wait_for_function("window.kgView && kgView.state().stabilised", timeout=20000)
        yield view
        assert view.requests == [view.url]
        assert view.errors == []
        assert view.dialogs == []
    finally:
        context.close()


def _page_of(G: nx.MultiDiGraph, tmp_path: Path) -> Path:
    path = tmp_path / "graph.html"
    write_html(G, path, title="News <graph>")
    return path


def _expected(
    G: nx.MultiDiGraph,
    *,
    types_off=(),
    relations_off=(),
    cooccurrence=False,
    threshold=DEFAULT_THRESHOLD,
    dates: tuple[str, str] | None = None,
    unrelated=False,
) -> tuple[int, int]:
    """The entities and relations the page should draw with these filters: the relations that pass them, and the
    entities of a ticked type that have one (all entities of a ticked type, with ``unrelated``)."""
    typed = {node for node, kind in G.nodes(data="type") if kind not in types_off}
    articles = G.graph["articles"]

    def in_dates(attrs: dict) -> bool:
        days = [parse_date(articles[item["article"]]["date"]) for item in attrs["evidence"]]
        return dates is None or any(dates[0] <= day <= dates[1] for day in days)

    edges = [
        (source, target)
        for source, target, attrs in G.edges(data=True)
        if source in typed
        and target in typed
        and (
            cooccurrence
            if attrs["kind"] == "cooccurrence"
            else attrs["relation"] not in relations_off and attrs["confidence"] >= threshold
        )
        and in_dates(attrs)
    ]
    related = {node for edge in edges for node in edge}
    return len(typed if unrelated else typed & related), len(edges)


@pytest.fixture
def sample_page(tmp_path: Path) -> Path:
    return _page_of(make_sample_graph(), tmp_path)


def test_the_guard_sees_and_blocks_any_request(browser: Browser, tmp_path: Path):
    # The check that the real page makes no request is only worth something if a request would be seen.
    path = tmp_path / "leaky.html"
    path.write_text(
        '<img src="https://example.com/x.png"><script>window.kgView = {state: () => ({stabilised: true})};'
        'fetch("http://example.org/y").catch(() => {});</script>',
        encoding="utf-8",
    )
    with pytest.raises(AssertionError), opened(browser, path) as view:
        view.page.wait_for_timeout(200)
    assert "https://example.com/x.png" in view.requests and "http://example.org/y" in view.requests


def test_the_page_renders_offline_with_every_entity_and_stated_relation(browser: Browser, sample_page: Path):
    G = make_sample_graph()
    with opened(browser, sample_page) as view:
        canvas = view.page.locator("#network canvas")
        assert canvas.count() == 1
        box = canvas.bounding_box()
        assert box["width"] > 600 and box["height"] > 400
        state = view.state()
        assert (state["nodes"], state["edges"]) == _expected(G) == (6, 6)  # the co-occurrence is hidden
        assert (state["totalNodes"], state["totalEdges"]) == (G.number_of_nodes(), G.number_of_edges())
        assert state["cooccurrence"] is False and all(state["types"].values()) and all(state["relations"].values())
        assert view.page.text_content("#kg-status") == "Showing 6 of 6 entities and 6 of 7 relations."
        assert view.page.title() == "News <graph>"
        # vis-network drew the nodes where it says they are: inside the canvas.
        positions = view.page.evaluate("kgView.network.getPositions()")
        assert set(positions) == set(G.nodes)
        for point in positions.values():
            x, y = view.screen_position(point)
            assert box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]


def test_the_cooccurrence_checkbox_shows_and_hides_them(browser: Browser, sample_page: Path):
    G = make_sample_graph()
    with opened(browser, sample_page) as view:
        view.page.check("#kg-cooccurrence")
        assert view.state()["edges"] == _expected(G, cooccurrence=True)[1] == G.number_of_edges()
        view.page.uncheck("#kg-cooccurrence")
        assert view.state()["edges"] == _expected(G)[1]


def test_type_and_relation_filters_change_what_is_drawn(browser: Browser, sample_page: Path):
    G = make_sample_graph()
    with opened(browser, sample_page) as view:
        person = view.page.locator("input.kg-type[value=Person]")
        person.uncheck()
        state = view.state()
        # ExxonMobil's relations are all with Tillerson: without him it has none in view, so it is not drawn.
        assert (state["nodes"], state["edges"]) == _expected(G, types_off={"Person"}) == (3, 2)
        assert state["types"]["Person"] is False
        drawn = view.page.evaluate("kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
        assert TILLERSON not in drawn and PUTIN not in drawn

        view.page.check("#kg-cooccurrence")  # a co-occurrence between two hidden people stays hidden
        assert view.state()["edges"] == _expected(G, types_off={"Person"}, cooccurrence=True)[1] == 2
        view.page.uncheck("#kg-cooccurrence")

        person.check()
        view.page.locator("input.kg-relation[value=said_about]").uncheck()
        view.page.locator("input.kg-relation[value=located_in]").uncheck()
        state = view.state()
        assert (state["nodes"], state["edges"]) == _expected(G, relations_off={"said_about", "located_in"})
        assert state["relations"]["said_about"] is False and state["relations"]["works_for"] is True
        assert view.page.text_content("#kg-status") == "Showing 6 of 6 entities and 4 of 7 relations."


def test_search_selects_and_zooms_to_the_matches_and_dims_the_rest(browser: Browser, sample_page: Path):
    with opened(browser, sample_page) as view:
        where = view.page.evaluate("kgView.network.getViewPosition()")
        view.page.fill("#kg-search", "putin")
        state = view.state()
        assert state["matches"] == state["selected"] == [PUTIN]
        # Putin and Russia (leader_of) keep their colours; the other four entities are dimmed.
        assert state["dimmedNodes"] == 4 and state["nodes"] == 6
        assert view.page.text_content("#kg-matches") == "1 match: Vladimir Putin"
        view.page.wait_for_timeout(500)  # the zoom is animated
        assert view.page.evaluate("kgView.network.getViewPosition()") != where

        view.page.fill("#kg-search", "russian fed")  # an alias
        assert view.state()["selected"] == [RUSSIA]

        view.page.fill("#kg-search", "zzz")
        state = view.state()
        assert state["matches"] == [] and state["dimmedNodes"] == 6
        assert view.page.text_content("#kg-matches") == "No entity matches."

        view.page.fill("#kg-search", "")
        state = view.state()
        assert state["selected"] == [] and state["dimmedNodes"] == 0 and view.page.text_content("#kg-matches") == ""

        # Entities hidden by a filter are not found.
        view.page.locator("input.kg-type[value=Person]").uncheck()
        view.page.fill("#kg-search", "putin")
        assert view.state()["matches"] == []


def test_hovering_shows_a_tooltip_with_the_evidence_sentence_as_text(browser: Browser, sample_page: Path):
    with opened(browser, sample_page) as view:
        positions = view.page.evaluate("kgView.network.getPositions()")
        source, target = positions[TILLERSON], positions[RUSSIA]
        middle = {"x": (source["x"] + target["x"]) / 2, "y": (source["y"] + target["y"]) / 2}
        assert (
            view.page.evaluate("p => kgView.network.getEdgeAt(kgView.network.canvasToDOM(p))", middle)
            == f"{TILLERSON}|said_about|{RUSSIA}"
        )
        text = view.tooltip_at(*view.screen_position(middle))
        assert "Rex Tillerson said_about Russia" in text and "confidence 0.80" in text
        assert text.rstrip().endswith("Click for the sentences and their articles.")

        view.move_away()
        text = view.tooltip_at(*view.screen_position(positions[TILLERSON]))
        for line in (
            "Person",
            "Also: Tillerson",
            "Titles: U.S. Secretary of State",
            'Exxon, a "backer" of <b>Tillerson</b>',
        ):
            assert line in text


def test_hostile_texts_do_not_run_script(browser: Browser, tmp_path: Path):
    G = make_sample_graph()
    G.nodes[HOSTILE_ID]["label"] = PWN_LABEL
    G.nodes[HOSTILE_ID]["aliases"] = [PWN_TITLE]
    G.graph["articles"]["exxon-backs-tillerson-5e6f7a8b"].update(title=PWN_TITLE, url=PWN_URL, date=PWN_DATE)
    edge = G.edges[HOSTILE_ID, "place:moscow", "based_in"]
    edge["evidence"] = [dict(edge["evidence"][0], sentence=PWN_SENTENCE)]
    with opened(browser, _page_of(G, tmp_path)) as view:
        page = view.page
        # Make the page show every text: both tooltips, the search results, the names' list.
        positions = page.evaluate("kgView.network.getPositions()")
        hostile, moscow = positions[HOSTILE_ID], positions["place:moscow"]
        middle = {"x": (hostile["x"] + moscow["x"]) / 2, "y": (hostile["y"] + moscow["y"]) / 2}
        assert "based_in" in view.tooltip_at(*view.screen_position(middle))
        view.move_away()
        text = view.tooltip_at(*view.screen_position(hostile))
        assert text.startswith(PWN_LABEL) and PWN_TITLE in text
        page.fill("#kg-search", "onerror")
        assert page.text_content("#kg-matches") == f"1 match: {PWN_LABEL}"
        page.check("#kg-cooccurrence")
        page.check("#kg-unrelated")
        # The panels of the entity and of its relation, with the hostile title, sentence and link.
        page.evaluate("id => kgView.select('entity', id)", HOSTILE_ID)
        text = _panel_text(view)
        assert PWN_LABEL in text and PWN_TITLE in text and PWN_SENTENCE in text
        assert page.eval_on_selector_all("#kg-panel a", "links => links.map(a => a.protocol)") == []  # javascript:
        page.evaluate("id => kgView.select('relation', id)", f"{HOSTILE_ID}|based_in|place:moscow")
        assert PWN_SENTENCE in page.locator("#kg-panel q").all_inner_texts()
        page.locator("#kg-panel h2 button", has_text=PWN_LABEL).click()
        page.locator("#kg-panel button.kg-near-2").click()
        page.click("#kg-back")
        csv_text = page.evaluate("kgView.csv()")
        rows = list(csv.DictReader(io.StringIO(csv_text)))
        based_in = next(row for row in rows if row["relation"] == "based_in")
        assert (based_in["source"], based_in["sentence"], based_in["url"]) == (PWN_LABEL, PWN_SENTENCE, "")
        page.wait_for_timeout(300)

        flags = page.evaluate(
            "[window.__pwned, window.__pwned2, window.__pwned3, window.__pwned4, window.__pwned5, window.__pwned6]"
        )
        assert flags == [None, None, None, None, None, None]
        assert page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
        assert page.evaluate("document.scripts.length") == 2
        assert PWN_LABEL in page.evaluate("Array.from(document.querySelectorAll('#kg-names option'), o => o.value)")
        assert page.locator("h1").inner_text() == "News <graph>"


# --- the explorer: panel, neighbourhood, default view, filters, exports ----------------------------------------


def _click(view: View, canvas_point: dict) -> None:
    """A real mouse click at a point of the graph (canvas coordinates), as a user would."""
    view.page.mouse.click(*view.screen_position(canvas_point))


def _panel_text(view: View) -> str:
    panel = view.page.locator("#kg-panel")
    panel.wait_for(state="visible", timeout=5000)
    return panel.inner_text()


def _drawn(view: View) -> set[str]:
    return set(view.page.evaluate("kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))


def test_clicking_an_entity_shows_its_relations_evidence_and_linked_articles(browser: Browser, sample_page: Path):
    with opened(browser, sample_page) as view:
        assert view.page.locator("#kg-panel").is_hidden()
        _click(view, view.page.evaluate("kgView.network.getPositions()")[TILLERSON])
        text = _panel_text(view)
        assert view.state()["panel"] == {"kind": "entity", "id": TILLERSON}
        for line in ("Rex Tillerson", "Person", "Also: Tillerson", "Titles: U.S. Secretary of State", "Mentions: 5"):
            assert line in text
        groups = view.page.locator("#kg-panel h4").all_inner_texts()
        assert groups == ["said_about", "support", "works_for"]  # its stated relations, by name
        sentences = view.page.locator("#kg-panel q").all_inner_texts()
        assert " ".join(HOSTILE_SENTENCE.split()) in sentences
        assert "Rex Tillerson, the former chief of ExxonMobil, spoke." in sentences
        links = view.page.eval_on_selector_all("#kg-panel a", "links => links.map(a => [a.textContent, a.href])")
        assert ["Tillerson meets Putin in Moscow", "https://example.com/news/1"] in links
        assert ['Exxon, a "backer" of <b>Tillerson</b>', "https://example.com/news/2?id=2&lang=en"] in links
        assert "2017-04-12" in text and "April 13, 2017" not in text and "2017-04-13" in text
        # The text can be selected and copied.
        quote = view.page.locator("#kg-panel q", has_text="former chief")
        quote.click(click_count=3)
        assert "the former chief of ExxonMobil" in view.page.evaluate("String(window.getSelection())")


def test_a_relation_panel_shows_every_sentence_of_the_relation(browser: Browser, tmp_path: Path):
    G = make_sample_graph()
    edge = G.edges[TILLERSON, RUSSIA, "said_about"]
    edge["evidence"] = [dict(edge["evidence"][0], start=i, sentence=f"Tillerson said thing {i}.") for i in range(7)]
    with opened(browser, _page_of(G, tmp_path)) as view:
        positions = view.page.evaluate("kgView.network.getPositions()")
        source, target = positions[TILLERSON], positions[RUSSIA]
        middle = {"x": (source["x"] + target["x"]) / 2, "y": (source["y"] + target["y"]) / 2}
        _click(view, middle)
        text = _panel_text(view)
        assert view.state()["panel"] == {"kind": "relation", "id": f"{TILLERSON}|said_about|{RUSSIA}"}
        assert "Rex Tillerson said_about Russia" in text and "7 sentences" in text
        assert view.page.locator("#kg-panel q").all_inner_texts() == [f"Tillerson said thing {i}." for i in range(7)]
        # The entity names in the panel open their own panels.
        view.page.locator("#kg-panel h2 button", has_text="Russia").click()
        assert view.state()["panel"] == {"kind": "entity", "id": RUSSIA}


def _with_unrelated(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The sample graph and three entities with no stated relation above the threshold: one with only a
    co-occurrence, one with only a weak relation, one alone."""
    for node, kind in (("person:nobody", "Person"), ("person:weak", "Person"), ("place:nowhere", "Place")):
        G.add_node(node, label=node.split(":")[1].title(), type=kind, aliases=[], titles=[], mentions=1, articles=[])
    sentence = "Nobody and Weak were in Moscow."
    add_relation(
        G, "person:nobody", "place:moscow", "co_occurs", "cooccurrence", [_evidence(A1, sentence, 0, "cooc", 0.3)]
    )
    add_relation(G, "person:weak", "place:moscow", "lives_in", "typed", [_evidence(A1, sentence, 0, "prep_in", 0.2)])
    return G


def test_entities_without_a_stated_relation_are_drawn_only_when_asked(browser: Browser, tmp_path: Path):
    G = _with_unrelated(make_sample_graph())
    with opened(browser, _page_of(G, tmp_path)) as view:
        state = view.state()
        assert (state["nodes"], state["edges"]) == _expected(G) == (6, 6)
        assert state["unrelated"] == 3 and "person:nobody" not in _drawn(view)
        toggle = view.page.locator("label", has_text="entities without a relation").inner_text()
        assert toggle.strip() == "Show the 3 entities without a relation in view"
        view.page.check("#kg-unrelated")
        state = view.state()
        assert (state["nodes"], state["edges"]) == _expected(G, unrelated=True) == (9, 6)
        # Those without any stated relation are lined up under the laid-out graph, not on top of it.
        positions = view.page.evaluate("kgView.network.getPositions()")
        lowest = max(positions[node]["y"] for node in [*make_sample_graph(), "person:weak"])
        assert all(positions[node]["y"] > lowest for node in ("person:nobody", "place:nowhere"))
        view.page.uncheck("#kg-unrelated")
        view.page.check("#kg-cooccurrence")  # a co-occurrence in view is a relation in view
        state = view.state()
        assert (state["nodes"], state["edges"]) == _expected(G, cooccurrence=True) == (7, 8)


def test_the_neighbourhood_view_hides_the_rest_and_comes_back(browser: Browser, sample_page: Path):
    with opened(browser, sample_page) as view:
        view.page.evaluate("id => kgView.select('entity', id)", "place:moscow")
        view.page.locator("#kg-panel button.kg-near-1").click()
        assert _drawn(view) == {"place:moscow", HOSTILE_ID, RUSSIA}
        assert view.state()["edges"] == 2 and view.state()["focus"] == {"centre": "place:moscow", "steps": 1}
        assert view.page.locator("#kg-back").is_visible()
        assert view.page.text_content("#kg-focus") == "Showing the entities 1 step from Moscow."
        view.page.locator("#kg-panel button.kg-near-2").click()
        assert _drawn(view) == {"place:moscow", HOSTILE_ID, RUSSIA, TILLERSON, PUTIN}
        assert view.state()["edges"] == 4  # based_in, located_in, said_about, leader_of
        view.page.click("#kg-back")
        state = view.state()
        assert (state["nodes"], state["edges"], state["focus"]) == (6, 6, None)
        assert view.page.locator("#kg-back").is_hidden()


def test_the_date_filter_hides_relations_outside_the_range(browser: Browser, sample_page: Path):
    G = make_sample_graph()
    with opened(browser, sample_page) as view:
        assert view.state()["dates"] == ["2017-04-12", "2017-04-13"]
        view.page.fill("#kg-date-from", "2017-04-13")
        state = view.state()
        # Only the relations stated in the article of 13 April: support, based_in, works_for.
        assert (state["nodes"], state["edges"]) == _expected(G, dates=("2017-04-13", "2017-04-13")) == (4, 3)
        assert PUTIN not in _drawn(view)
        view.page.fill("#kg-date-to", "2017-04-12")  # an empty range
        assert (view.state()["nodes"], view.state()["edges"]) == (0, 0)
        view.page.fill("#kg-date-from", "2017-04-12")
        assert (view.state()["nodes"], view.state()["edges"]) == _expected(G, dates=("2017-04-12", "2017-04-12"))


def test_the_confidence_control_hides_relations_below_it(browser: Browser, sample_page: Path):
    G = make_sample_graph()
    with opened(browser, sample_page) as view:
        assert view.state()["threshold"] == DEFAULT_THRESHOLD
        slider = view.page.locator("#kg-confidence")
        slider.focus()
        for _ in range(round((0.85 - DEFAULT_THRESHOLD) / 0.05)):  # up to 0.85 in steps of 0.05
            view.page.keyboard.press("ArrowRight")
        assert view.page.text_content("#kg-confidence-value") == "0.85"
        state = view.state()
        assert (state["nodes"], state["edges"]) == _expected(G, threshold=0.85) == (5, 3)
        assert HOSTILE_ID not in _drawn(view)


def _download(view: View, selector: str):
    with view.page.expect_download(timeout=10000) as info:
        view.page.click(selector)
    return info.value


def test_the_view_exports_as_png_and_its_relations_as_csv(browser: Browser, sample_page: Path, tmp_path: Path):
    with opened(browser, sample_page) as view:
        png = _download(view, "#kg-export-png")
        assert png.suggested_filename == "graph.png"
        png.save_as(tmp_path / "graph.png")
        data = (tmp_path / "graph.png").read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000

        view.page.fill("#kg-date-from", "2017-04-13")  # the view: support, based_in, works_for
        exported = _download(view, "#kg-export-csv")
        assert exported.suggested_filename == "relations.csv"
        exported.save_as(tmp_path / "relations.csv")
        with open(tmp_path / "relations.csv", encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert sorted(row["relation"] for row in rows) == ["based_in", "support", "works_for"]
        based_in = next(row for row in rows if row["relation"] == "based_in")
        assert based_in["source"] == "<img src=x onerror=alert(1)>" and based_in["target"] == "Moscow"
        assert based_in["sentence"] == "<img src=x onerror=alert(1)> is based in Moscow."
        assert based_in["url"] == "https://example.com/news/2?id=2&lang=en" and based_in["date"] == "2017-04-13"
        assert based_in["article"] == 'Exxon, a "backer" of <b>Tillerson</b>'
        assert float(based_in["confidence"]) == 0.7

        # The panel's export: the relations of the entity shown.
        view.page.evaluate("id => kgView.select('entity', id)", "place:moscow")
        exported = _download(view, "#kg-panel button.kg-panel-csv")
        exported.save_as(tmp_path / "moscow.csv")
        with open(tmp_path / "moscow.csv", encoding="utf-8-sig", newline="") as handle:
            assert [row["relation"] for row in csv.DictReader(handle)] == ["based_in"]  # in view: 13 April only


def test_dimmed_labels_shrink_and_relation_names_show_for_the_selection(browser: Browser, sample_page: Path):
    with opened(browser, sample_page) as view:
        size = "ids => ids.map(id => kgView.network.body.nodes[id].options.font.size)"
        moscow, russia = view.page.evaluate(size, ["place:moscow", RUSSIA])
        view.page.fill("#kg-search", "putin")
        dimmed, near = view.page.evaluate(size, ["place:moscow", RUSSIA])
        assert dimmed < moscow and dimmed < 10  # dimmed: small, whatever the entity's size
        assert near == russia  # a neighbour of the match keeps its size
        view.page.fill("#kg-search", "")
        assert view.page.evaluate(size, ["place:moscow", RUSSIA]) == [moscow, russia]

        edge_size = "id => kgView.network.body.edges[id].options.font.size"
        edge = f"{TILLERSON}|works_for|organisation:exxonmobil"
        plain = view.page.evaluate(edge_size, edge)
        view.page.evaluate("kgView.network.moveTo({scale: 0.3})")
        view.page.evaluate("id => kgView.select('entity', id)", TILLERSON)
        assert view.page.evaluate(edge_size, edge) > plain  # readable on screen at this zoom
        view.page.evaluate("id => kgView.select('entity', id)", "place:moscow")
        assert view.page.evaluate(edge_size, edge) == plain


def test_names_of_small_entities_and_relations_are_drawn_only_zoomed_in(browser: Browser, sample_page: Path):
    visible = """([scale, node, edge]) => {
        kgView.network.moveTo({scale: scale});
        kgView.network.redraw();
        return [kgView.network.body.nodes[node].labelModule.visible(),
                kgView.network.body.edges[edge].labelModule.visible()];
    }"""
    edge = f"{HOSTILE_ID}|based_in|place:moscow"
    with opened(browser, sample_page) as view:
        assert view.page.evaluate(visible, [0.3, "place:moscow", edge]) == [False, False]
        assert view.page.evaluate(visible, [0.3, TILLERSON, edge]) == [True, False]  # the most mentioned
        assert view.page.evaluate(visible, [1.5, "place:moscow", edge]) == [True, True]
