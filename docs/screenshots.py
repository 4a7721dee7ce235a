"""Make the README's screenshots of the HTML view, and time how long each page takes to lay out.

    .venv/bin/kg build ../shared/data/news/wikinews/articles --out /tmp/wk -q     # about a minute
    .venv/bin/python docs/screenshots.py /tmp/wk/graph.json

writes docs/seed-graph.png (the graph of data/syria-tillerson.txt) and docs/wikinews-graph.png (the graph
given, cut to the default max_nodes) from headless Chromium at 1400x900, once the layout has stabilised, and
prints the seconds from opening each page to the end of its layout. Needs Playwright and Debian's chromium.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import kg
from kg.graph import read_json

DOCS = Path(__file__).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _only(url: str):
    """A route handler that lets the page's own file through and aborts every other request."""
    return lambda route: route.continue_() if route.request.url == url else route.abort()


def main(wikinews_json: str) -> None:
    from playwright.sync_api import sync_playwright

    pages = [
        ("seed-graph.png", kg.build(str(DOCS.parent / "data/syria-tillerson.txt")), "kg: syria-tillerson.txt"),
        ("wikinews-graph.png", read_json(wikinews_json), "kg: 293 Wikinews articles"),
    ]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, G, title in pages:
            html = Path(folder) / "graph.html"
            kg.write_html(G, html, title=title)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            url = html.as_uri()
            page.route("**/*", _only(url))
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_function("window.kgView && kgView.state().stabilised", timeout=120_000, polling=50)
            seconds = time.perf_counter() - start
            page.wait_for_timeout(500)  # the last frame
            page.screenshot(path=DOCS / name)
            status = page.text_content("#kg-status")
            print(f"{name}: {G.number_of_nodes()} entities, laid out in {seconds:.1f} s. {status}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
