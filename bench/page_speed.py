"""How fast graph.html becomes usable in headless Chromium, for pages of a few sizes cut from one graph.

    .venv/bin/kg build ../shared/data/news/wikinews/articles --out /tmp/wk -q    # 293 articles, ~3,800 entities
    .venv/bin/python bench/page_speed.py /tmp/wk/graph.json                       # pages of 500 and 2,000 entities
    .venv/bin/python bench/page_speed.py /tmp/wk/graph.json --max-nodes 1000 --repeat 3

For each size, the page is written with ``kg.viz.write_html(G, max_nodes=N)`` and opened in Debian's chromium
(headless, --no-sandbox --disable-gpu, 1400x900, every request but the page's own aborted). Measured, best of
``--repeat`` fresh pages:

- usable: from ``page.goto`` (wait_until="commit") until ``kgView.state().interactive`` is true, which the page
  sets when it has drawn the graph: from then on it answers clicks, the search and the filters;
- settled: until ``kgView.state().stabilised``, when the layout is done and the physics stopped (a large graph
  settles on screen after it is drawn; a small one is drawn settled, so both times are the same);
- panel: in the page, ``performance.now()`` around ``kgView.select("entity", id)`` of the most mentioned entity
  (its side panel with all its relations and sentences is built);
- filter: around a change of the confidence slider (every entity and relation is tested again);
- neighbourhood: around ``kgView.neighbourhood(id, 2)`` then back to the whole graph.

It prints seconds (and milliseconds in the page); it asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kg.graph import read_json
from kg.viz import write_html

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

_IN_PAGE = """() => {
  const biggest = kgView.nodes.get({filter: n => !n.hidden}).sort((a, b) => b.value - a.value)[0].id;
  const time = step => { const start = performance.now(); step(); return performance.now() - start; };
  const slider = document.getElementById("kg-confidence");
  const before = kgView.state();  // what the page draws as it opens
  return {
    panel: time(() => kgView.select("entity", biggest)),
    filter: time(() => { slider.value = "0.8"; slider.dispatchEvent(new Event("input")); }),
    neighbourhood: time(() => { kgView.neighbourhood(biggest, 2); kgView.wholeGraph(); }),
    state: before,
  };
}"""


def _measure(browser, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    url = path.resolve().as_uri()
    page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.kgView && kgView.state().interactive", timeout=120_000, polling=20)
    usable = time.perf_counter() - start
    page.wait_for_function("kgView.state().stabilised", timeout=120_000, polling=20)
    settled = time.perf_counter() - start
    found = page.evaluate(_IN_PAGE)
    page.close()
    return {"usable": usable, "settled": settled, **found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", type=Path, help="a graph.json written by kg build")
    parser.add_argument("--max-nodes", type=int, nargs="+", default=[500, 2000], help="page sizes (default: 500 2000)")
    parser.add_argument("--repeat", type=int, default=1, help="fresh pages per size; the best is kept (default: 1)")
    args = parser.parse_args()
    if not args.graph.is_file():
        parser.error(f"no graph at {args.graph}: run kg build first (see the docstring)")
    from playwright.sync_api import sync_playwright

    G = read_json(args.graph)
    print(f"{args.graph}: {G.number_of_nodes()} entities, {G.number_of_edges()} relations")
    header = (
        "entities  drawn  relations drawn  page MB  write s  usable s  settled s  panel ms  filter ms  neighbourhood ms"
    )
    print(header)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for max_nodes in args.max_nodes:
            path = Path(folder) / f"graph-{max_nodes}.html"
            start = time.perf_counter()
            write_html(G, path, max_nodes=max_nodes)
            written = time.perf_counter() - start
            runs = [_measure(browser, path) for _ in range(args.repeat)]
            keys = ("usable", "settled", "panel", "filter", "neighbourhood")
            best = {key: min(run[key] for run in runs) for key in keys}
            state = runs[0]["state"]
            print(
                f"{state['totalNodes']:>8}  {state['nodes']:>5}  {state['totalEdges']:>9} {state['edges']:>5}"
                f"  {path.stat().st_size / 1e6:>7.1f}  {written:>7.1f}  {best['usable']:>8.2f}  {best['settled']:>9.2f}"
                f"  {best['panel']:>8.0f}"
                f"  {best['filter']:>9.0f}  {best['neighbourhood']:>16.0f}"
            )
        browser.close()


if __name__ == "__main__":
    main()
