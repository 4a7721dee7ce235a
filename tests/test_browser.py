"""kg.viz in a real browser: the page in headless Chromium (Debian's ``chromium``), driven by Playwright.

Every request other than the page's own file is recorded and aborted, and each test checks that none was
attempted: the page must work with no network at all. One browser serves the whole module; each test opens
the page in a fresh context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from conftest import HOSTILE_ID, HOSTILE_SENTENCE, make_sample_graph
from playwright.sync_api import Browser, Page, sync_playwright

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


def _expected(G: nx.MultiDiGraph, *, types_off=(), relations_off=(), cooccurrence=False) -> tuple[int, int]:
    """The entities and relations the page should draw with these filters."""
    drawn = {node for node, kind in G.nodes(data="type") if kind not in types_off}
    edges = [
        attrs
        for source, target, attrs in G.edges(data=True)
        if source in drawn
        and target in drawn
        and (cooccurrence if attrs["kind"] == "cooccurrence" else attrs["relation"] not in relations_off)
    ]
    return len(drawn), len(edges)


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
        assert (state["nodes"], state["edges"]) == _expected(G, types_off={"Person"}) == (4, 2)
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
        assert " ".join(HOSTILE_SENTENCE.split()) in text  # with its "</script>", as text
        assert text.rstrip().endswith("Tillerson meets Putin in Moscow")

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
    G.graph["articles"]["exxon-backs-tillerson-5e6f7a8b"]["title"] = PWN_TITLE
    edge = G.edges[HOSTILE_ID, "place:moscow", "based_in"]
    edge["evidence"] = [dict(edge["evidence"][0], sentence=PWN_SENTENCE)]
    with opened(browser, _page_of(G, tmp_path)) as view:
        page = view.page
        # Make the page show every text: both tooltips, the search results, the names' list.
        positions = page.evaluate("kgView.network.getPositions()")
        hostile, moscow = positions[HOSTILE_ID], positions["place:moscow"]
        middle = {"x": (hostile["x"] + moscow["x"]) / 2, "y": (hostile["y"] + moscow["y"]) / 2}
        assert PWN_SENTENCE in view.tooltip_at(*view.screen_position(middle))
        view.move_away()
        text = view.tooltip_at(*view.screen_position(hostile))
        assert text.startswith(PWN_LABEL) and PWN_TITLE in text
        page.fill("#kg-search", "onerror")
        assert page.text_content("#kg-matches") == f"1 match: {PWN_LABEL}"
        page.check("#kg-cooccurrence")
        page.wait_for_timeout(300)

        flags = page.evaluate("[window.__pwned, window.__pwned2, window.__pwned3, window.__pwned4]")
        assert flags == [None, None, None, None]
        assert page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
        assert page.evaluate("document.scripts.length") == 2
        assert PWN_LABEL in page.evaluate("Array.from(document.querySelectorAll('#kg-names option'), o => o.value)")
        assert page.locator("h1").inner_text() == "News <graph>"
