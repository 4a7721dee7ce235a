"""Make the README's screenshots of the HTML view in headless Chromium (Debian's chromium, via Playwright).

    # the 293 Wikinews articles with their URLs and dates, as JSONL from the folder's index.csv (about 3 minutes)
    .venv/bin/python docs/screenshots.py --jsonl /tmp/wikinews.jsonl
    .venv/bin/kg build /tmp/wikinews.jsonl --out /tmp/wk -q
    .venv/bin/python docs/screenshots.py /tmp/wk/graph.json

writes, at 1400x900, once each page's layout has settled:

- docs/seed-graph.png: the graph of data/syria-tillerson.txt with Rex Tillerson's panel open;
- docs/wikinews-graph.png: the Wikinews graph as it opens (the default max_nodes and confidence threshold);
- docs/wikinews-neighbourhood.png: the same page, the neighbourhood of one entity (1 step) with its panel.

Every request but the page's own is aborted. It prints how long each page took to become usable.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

import kg
from kg.graph import read_json

DOCS = Path(__file__).parent
WIKINEWS = DOCS.parent.parent / "shared/data/news/wikinews"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
NEIGHBOURHOOD_OF = "Boris Johnson"


def write_wikinews_jsonl(path: Path) -> None:
    """The Wikinews articles as JSONL records with the title, URL and date of the folder's index.csv."""
    with open(WIKINEWS / "index.csv", encoding="utf-8", newline="") as index, open(path, "w", encoding="utf-8") as out:
        for row in csv.DictReader(index):
            body = (WIKINEWS / row["file"]).read_text(encoding="utf-8").split("\n", 1)[1]  # the headline is "title"
            record = {"title": row["title"], "url": row["url"], "date": row["date"], "text": body}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    url = path.resolve().as_uri()
    page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.kgView && kgView.state().interactive", timeout=120_000, polling=50)
    usable = time.perf_counter() - start
    page.wait_for_function("kgView.state().stabilised", timeout=300_000, polling=200)
    return page, usable


def _entity(page, label: str) -> str:
    return page.evaluate("label => kgView.nodes.get({filter: n => n.label === label})[0].id", label)


def main(wikinews_json: Path) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        seed = Path(folder) / "seed.html"
        kg.write_html(kg.build(str(DOCS.parent / "data/syria-tillerson.txt")), seed, title="kg: syria-tillerson.txt")
        page, usable = _open(browser, seed)
        page.evaluate("id => kgView.select('entity', id)", _entity(page, "Rex Tillerson"))
        page.wait_for_timeout(500)
        page.screenshot(path=DOCS / "seed-graph.png")
        print(f"seed-graph.png: usable in {usable:.1f} s. {page.text_content('#kg-status')}")
        page.close()

        G = read_json(wikinews_json)
        wikinews = Path(folder) / "wikinews.html"
        kg.write_html(G, wikinews, title=f"kg: {len(G.graph['articles'])} Wikinews articles")
        page, usable = _open(browser, wikinews)
        page.wait_for_timeout(500)
        page.screenshot(path=DOCS / "wikinews-graph.png")
        print(f"wikinews-graph.png: usable in {usable:.1f} s. {page.text_content('#kg-status')}")
        entity = _entity(page, NEIGHBOURHOOD_OF)
        page.evaluate("id => { kgView.select('entity', id); kgView.neighbourhood(id, 1); }", entity)
        page.wait_for_timeout(800)  # the zoom is animated
        page.screenshot(path=DOCS / "wikinews-neighbourhood.png")
        print(f"wikinews-neighbourhood.png: {page.text_content('#kg-focus')} {page.text_content('#kg-status')}")
        page.close()
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", type=Path, nargs="?", help="graph.json of the Wikinews articles (kg build)")
    parser.add_argument("--jsonl", type=Path, help="only write the Wikinews articles as JSONL to this file")
    args = parser.parse_args()
    if args.jsonl:
        write_wikinews_jsonl(args.jsonl)
    elif args.graph:
        main(args.graph)
    else:
        parser.error("pass the graph.json of the Wikinews articles, or --jsonl FILE to write them")
