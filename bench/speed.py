"""Throughput of kg against bare spaCy, measured in one run on the same texts.

Four measures, run interleaved for ``--repeat`` rounds (the best round of each is reported):

1. bare spaCy: a fresh ``spacy.load(model)`` (no kg component), ``nlp.pipe`` over all texts;
2. bare spaCy, NER only: the same pipeline with only ``tok2vec`` and ``ner`` enabled (for reference);
3. kg extraction: ``kg.pipeline.extract_results`` (parse, mentions, resolution, relations) over the articles;
4. kg build: ``kg.pipeline.build`` from the files (reading included) plus ``write_outputs``; the writing step
   is also timed alone.

The texts are read once with ``kg.ingest.read_articles`` before anything is timed, so measures 1-3 do not pay
for reading files. Models are loaded and run on one article first, so loading is not counted either.

    .venv/bin/python bench/speed.py [--articles PATH] [--model NAME] [--repeat N] [--batch-size N] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable

import spacy
from _common import WORDS, add_run_arguments, article_source

import kg.rdf  # noqa: F401  (write_outputs imports it lazily; here so it is not timed)
import kg.viz  # noqa: F401
from kg.ingest import read_articles
from kg.pipeline import build, extract_results, write_outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()

    source = article_source(parser, args)

    articles = list(read_articles([source]))
    if not articles:
        parser.error(f"no readable articles in {source}")
    texts = [article.text for article in articles]
    words = sum(len(text.split()) for text in texts)
    batch = args.batch_size

    # Warm-up: load every pipeline and run it once, so no measure pays for loading.
    bare = spacy.load(args.model)
    ner_only = [name for name in ("tok2vec", "ner") if name in bare.pipe_names]
    list(bare.pipe(texts[:1]))
    with bare.select_pipes(enable=ner_only):
        list(bare.pipe(texts[:1]))
    list(extract_results(articles[:1], model=args.model))

    def bare_spacy() -> None:
        for _ in bare.pipe(texts, batch_size=batch):
            pass

    def bare_ner() -> None:
        with bare.select_pipes(enable=ner_only):
            for _ in bare.pipe(texts, batch_size=batch):
                pass

    def kg_extraction() -> None:
        for _ in extract_results(articles, model=args.model, batch_size=batch):
            pass

    writing: list[float] = []

    def kg_build() -> None:
        G = build([source], model=args.model, batch_size=batch, on_skip=lambda skipped: None)
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            write_outputs(G, out)
            writing.append(time.perf_counter() - start)

    measures: dict[str, Callable[[], None]] = {
        "bare spaCy (all components)": bare_spacy,
        f"bare spaCy ({' + '.join(ner_only)} only)": bare_ner,
        "kg extraction": kg_extraction,
        "kg build + write (from files)": kg_build,
    }
    times: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(args.repeat):
        for name, run in measures.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)

    best = {name: min(seconds) for name, seconds in times.items()}
    best["  of which writing outputs"] = min(writing)
    base = best["bare spaCy (all components)"]
    report = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": f"{args.model} {bare.meta.get('version', '?')}",
        "pipeline": bare.pipe_names,
        "articles_path": str(source),
        "articles": len(articles),
        "words": words,
        "words_definition": WORDS,
        "cores": os.cpu_count(),
        "batch_size": batch,
        "rounds": args.repeat,
        "results": {
            name: {
                "seconds": round(seconds, 3),
                "words_per_second": round(words / seconds),
                "time_vs_bare_spacy": round(seconds / base, 2),
            }
            for name, seconds in best.items()
        },
    }
    report["ratios"] = {
        "extraction / bare spaCy (time)": report["results"]["kg extraction"]["time_vs_bare_spacy"],
        "full build / bare spaCy (time)": report["results"]["kg build + write (from files)"]["time_vs_bare_spacy"],
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


def print_table(report: dict) -> None:
    print(f"kg speed benchmark, {report['date']}")
    print(
        f"Python {report['python']}, spaCy {report['spacy']}, model {report['model']} "
        f"({', '.join(report['pipeline'])}), {report['cores']} cores"
    )
    print(f"{report['articles']} articles from {report['articles_path']}")
    print(f"{report['words']:,} words ({report['words_definition']})")
    print(
        f"batch size {report['batch_size']}, best of {report['rounds']} interleaved round(s); "
        f"words/s = words / seconds\n"
    )
    print(f"{'measure':<34}{'seconds':>9}{'words/s':>10}{'time vs bare spaCy':>21}")
    for name, row in report["results"].items():
        print(f"{name:<34}{row['seconds']:>9.2f}{row['words_per_second']:>10,}{row['time_vs_bare_spacy']:>20.2f}x")
    print()
    for name, ratio in report["ratios"].items():
        print(f"{name}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
