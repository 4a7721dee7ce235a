"""Scaling kg on one machine: 1 against N worker processes, against bare spaCy, and peak memory at two sizes.

Throughput (the texts read once, models loaded before anything is timed; interleaved ``--repeat`` rounds, the
best round of each measure kept):

- bare spaCy: a fresh ``spacy.load(model)`` (no kg component), ``nlp.pipe(texts, n_process=P)`` for P = 1, N;
- kg with spaCy's processes: ``kg.pipeline.extract_results(articles, n_process=P)``; spaCy parses in P
  processes and sends the Docs back, kg's extraction runs in the calling process;
- kg with a process pool: ``kg.distributed.extract_in_processes(articles, workers=P)``; each worker parses and
  extracts, only the results come back;
- kg on Dask: ``kg.distributed.extract_on_dask(articles, workers=N)`` on a ``LocalCluster`` (started and
  stopped inside the measure);
- kg build + write: the articles read from the files, the graph built and ``write_outputs`` run, in one process
  (``kg.pipeline.build``) and with the process pool (``build_graph(extract_in_processes(read_articles(...)))``).

Memory: for each ``--sizes`` count, the articles are repeated until there are that many, each copy made unique by
a last line "Copy N." (so deduplication keeps it), and written to a temporary folder. A fresh Python process runs
``kg.pipeline.build`` and ``write_outputs`` on the folder and reports its peak RSS (``VmHWM``) after loading the
model, after building and after writing, with the size of the graph and the peak RSS of its worker processes
(``ru_maxrss`` of ``RUSAGE_CHILDREN``), if any.

    .venv/bin/python bench/scale.py [--articles PATH] [--model NAME] [--workers N] [--repeat N]
        [--batch-size N] [--sizes 300 3000] [--skip-throughput] [--skip-memory] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from _common import WORDS, add_run_arguments, article_source

import kg.rdf  # noqa: F401  (write_outputs imports it lazily; here so it is not timed)
import kg.viz  # noqa: F401
from kg.distributed import CHUNK_SIZE, extract_in_processes, extract_on_dask
from kg.graph import build_graph
from kg.ingest import read_articles
from kg.nlp import load
from kg.pipeline import build, extract_results, write_outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_arguments(parser)
    parser.add_argument("--workers", type=int, default=2, help="processes to compare with 1 (default: 2)")
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=CHUNK_SIZE,
        help="articles per task of the process pool and Dask (default: %(default)s)",
    )
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[300, 3000], help="article counts for peak memory (default: 300 3000)"
    )
    parser.add_argument(
        "--memory-workers", type=int, default=1, help="build with the process pool in the memory runs (default: 1)"
    )
    parser.add_argument("--skip-throughput", action="store_true", help="measure memory only")
    parser.add_argument("--skip-memory", action="store_true", help="measure throughput only")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--memory-child", default=None, help=argparse.SUPPRESS)  # the fresh process of one size
    args = parser.parse_args()

    if args.memory_child is not None:
        memory_child(
            Path(args.memory_child),
            model=args.model,
            batch_size=args.batch_size,
            workers=args.memory_workers,
            chunk_size=args.chunk_size,
        )
        return
    source = article_source(parser, args)
    if args.workers < 2:
        parser.error("--workers must be at least 2")

    report: dict = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": args.model,
        "cores": os.cpu_count(),
        "articles_path": str(source),
        "batch_size": args.batch_size,
        "chunk_size": args.chunk_size,
        "workers": args.workers,
        "rounds": args.repeat,
        "words_definition": WORDS,
    }
    if not args.skip_throughput:
        report["load_average_before"] = round(os.getloadavg()[0], 2)  # other work on the machine skews speed-ups
        report["throughput"] = throughput(source, args)
        report["load_average_after"] = round(os.getloadavg()[0], 2)
    if not args.skip_memory:
        report["memory"] = memory(source, args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)


def throughput(source: Path, args: argparse.Namespace) -> dict:
    articles = list(read_articles([source]))
    if not articles:
        sys.exit(f"no readable articles in {source}")
    texts = [article.text for article in articles]
    words = sum(len(text.split()) for text in texts)
    batch, chunk, n = args.batch_size, args.chunk_size, args.workers

    # Warm-up: both pipelines loaded and run once. Worker processes are started inside each measure (forked, so
    # they share the loaded pipelines; the Dask workers are spawned and load theirs).
    bare = spacy.load(args.model)
    list(bare.pipe(texts[:1]))
    list(extract_results(articles[:1], model=args.model))

    def bare_spacy(processes: int) -> Callable[[], None]:
        def run() -> None:
            for _ in bare.pipe(texts, batch_size=batch, n_process=processes):
                pass

        return run

    def spacy_processes(processes: int) -> Callable[[], None]:
        def run() -> None:
            for _ in extract_results(articles, model=args.model, batch_size=batch, n_process=processes):
                pass

        return run

    def process_pool(workers: int) -> Callable[[], None]:
        def run() -> None:
            for _ in extract_in_processes(
                articles, model=args.model, workers=workers, batch_size=batch, chunk_size=chunk
            ):
                pass

        return run

    def dask_local() -> None:
        for _ in extract_on_dask(articles, workers=n, model=args.model, batch_size=batch, chunk_size=chunk):
            pass

    def build_write(workers: int) -> Callable[[], None]:
        def run() -> None:
            if workers == 1:
                G = build([source], model=args.model, batch_size=batch, on_skip=lambda skipped: None)
            else:
                found = read_articles([source], on_skip=lambda skipped: None)
                results = extract_in_processes(
                    found, model=args.model, workers=workers, batch_size=batch, chunk_size=chunk
                )
                G = build_graph(results)
            with tempfile.TemporaryDirectory() as out:
                write_outputs(G, out)

        return run

    measures: dict[str, tuple[int, Callable[[], None]]] = {
        "bare spaCy, 1 process": (1, bare_spacy(1)),
        f"bare spaCy, n_process={n}": (n, bare_spacy(n)),
        "kg extraction, 1 process": (1, spacy_processes(1)),
        f"kg extraction, spaCy n_process={n}": (n, spacy_processes(n)),
        "kg extraction, pool of 1 worker": (1, process_pool(1)),
        f"kg extraction, pool of {n} workers": (n, process_pool(n)),
        f"kg extraction, Dask LocalCluster of {n}": (n, dask_local),
        "kg build + write, 1 process": (1, build_write(1)),
        f"kg build + write, pool of {n} workers": (n, build_write(n)),
    }
    times: dict[str, list[float]] = {name: [] for name in measures}
    cpu: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(args.repeat):
        for name, (_, run) in measures.items():
            start, start_cpu = time.perf_counter(), _cpu_seconds()
            run()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(_cpu_seconds() - start_cpu)
    best = {name: min(seconds) for name, seconds in times.items()}
    bare_time = {1: best["bare spaCy, 1 process"], n: best[f"bare spaCy, n_process={n}"]}
    results = {
        name: {
            "processes": processes,
            "seconds": round(best[name], 3),
            "words_per_second": round(words / best[name]),
            "of_bare_spacy_same_processes": round(bare_time[processes] / best[name], 3),
            "cpu_seconds": round(min(cpu[name]), 1),
        }
        for name, (processes, _) in measures.items()
    }

    def speedup(one: str, many: str) -> float:
        return round(best[one] / best[many], 3)

    return {
        "articles": len(articles),
        "words": words,
        "results": results,
        "speedups": {
            f"bare spaCy: n_process={n} / 1": speedup("bare spaCy, 1 process", f"bare spaCy, n_process={n}"),
            f"kg, spaCy n_process={n} / 1 process": speedup(
                "kg extraction, 1 process", f"kg extraction, spaCy n_process={n}"
            ),
            f"kg, pool of {n} / 1 process": speedup("kg extraction, 1 process", f"kg extraction, pool of {n} workers"),
            f"kg, pool of {n} / pool of 1": speedup(
                "kg extraction, pool of 1 worker", f"kg extraction, pool of {n} workers"
            ),
            f"kg, Dask LocalCluster of {n} / 1 process": speedup(
                "kg extraction, 1 process", f"kg extraction, Dask LocalCluster of {n}"
            ),
            f"kg build + write, pool of {n} / 1 process": speedup(
                "kg build + write, 1 process", f"kg build + write, pool of {n} workers"
            ),
        },
    }


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes, once joined)."""
    for child in multiprocessing.active_children():  # spaCy's workers may still be exiting: wait, count them
        child.join(timeout=30)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def memory(source: Path, args: argparse.Namespace) -> dict:
    """Peak RSS of a fresh process building and writing the graph of each size."""
    originals = list(read_articles([source]))
    runs = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            write_copies(originals, size, Path(folder))
            command = [
                sys.executable,
                __file__,
                "--memory-child",
                folder,
                "--model",
                args.model,
                "--batch-size",
                str(args.batch_size),
                "--chunk-size",
                str(args.chunk_size),
                "--memory-workers",
                str(args.memory_workers),
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(f"the memory run of {size} articles failed:\n{done.stderr}")
            runs[str(size)] = json.loads(done.stdout)
    return {"workers": args.memory_workers, "runs": runs}


def write_copies(originals: list, size: int, folder: Path) -> None:
    """``size`` article files: the originals, then copies of them with a last line "Copy N." each."""
    for i in range(size):
        article = originals[i % len(originals)]
        copy = i // len(originals)
        text = article.text if copy == 0 else f"{article.text}\n\nCopy {copy}."
        (folder / f"{copy:03d}-{i % len(originals):05d}.txt").write_text(text + "\n", encoding="utf-8")


def memory_child(folder: Path, *, model: str, batch_size: int, workers: int, chunk_size: int) -> None:
    """Build and write the graph of ``folder``; print peak RSS in MB at each step and the graph's size."""
    load(model)
    peaks = {"model loaded": _peak_mb()}
    start = time.perf_counter()
    if workers == 1:
        G = build([folder], model=model, batch_size=batch_size)
    else:
        results = extract_in_processes(
            read_articles([folder]), model=model, workers=workers, batch_size=batch_size, chunk_size=chunk_size
        )
        G = build_graph(results)
    built = time.perf_counter() - start
    peaks["graph built"] = _peak_mb()
    current_after_build = _current_mb()
    with tempfile.TemporaryDirectory() as out:
        paths = write_outputs(G, out)
        sizes = {path.name: path.stat().st_size for path in paths}
    peaks["outputs written"] = _peak_mb()
    print(
        json.dumps(
            {
                "articles": len(G.graph["articles"]),
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
                "evidence": sum(len(data["evidence"]) for _, _, data in G.edges(data=True)),
                "output_bytes": sizes,
                "build_seconds": round(built, 1),
                "seconds": round(time.perf_counter() - start, 1),
                "peak_rss_mb": peaks,
                "rss_after_build_mb": current_after_build,
                "workers_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            }
        )
    )


def _peak_mb() -> float:
    """Peak RSS of this process so far: VmHWM, not ru_maxrss, which after exec keeps the peak of the process that
    started this one (the benchmark's own, with two pipelines loaded)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)  # kB
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # not Linux: KiB, or bytes on macOS


def _current_mb() -> float:
    with open("/proc/self/statm") as statm:
        return round(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def print_report(report: dict) -> None:
    print(f"kg scaling benchmark, {report['date']}")
    print(f"Python {report['python']}, spaCy {report['spacy']}, model {report['model']}, {report['cores']} cores")
    print(f"articles from {report['articles_path']}")
    print(
        f"batch size {report['batch_size']}, {report['chunk_size']} articles per pool/Dask task, "
        f"best of {report['rounds']} interleaved round(s)"
    )
    if "throughput" in report:
        t = report["throughput"]
        print(f"\n{t['articles']} articles, {t['words']:,} words ({report['words_definition']})")
        print(
            f"1-minute load average {report['load_average_before']} before the measures (other work on the "
            f"{report['cores']} cores), {report['load_average_after']} after\n"
        )
        print(f"{'measure':<40}{'procs':>6}{'seconds':>9}{'words/s':>10}{'of bare spaCy':>15}{'CPU s':>8}")
        for name, row in t["results"].items():
            print(
                f"{name:<40}{row['processes']:>6}{row['seconds']:>9.2f}{row['words_per_second']:>10,}"
                f"{row['of_bare_spacy_same_processes']:>14.0%}{row['cpu_seconds']:>9.1f}"
            )
        print("\n'of bare spaCy' = words/s divided by bare spaCy's words/s with the same number of processes")
        print("CPU s = CPU time of the benchmark and its worker processes (the least over the rounds)")
        print("speed-ups (time of the first / time of the second):")
        for name, ratio in t["speedups"].items():
            print(f"  {name}: {ratio:.2f}x")
    if "memory" in report:
        m = report["memory"]
        how = "kg.pipeline.build" if m["workers"] == 1 else f"build_graph(extract_in_processes(workers={m['workers']}))"
        print(f"\npeak RSS of a fresh process running {how} + write_outputs (MB):\n")
        print(
            f"{'articles':>8}{'nodes':>8}{'edges':>8}{'evidence':>10}{'json MB':>9}{'seconds':>9}"
            f"{'model':>8}{'built':>8}{'written':>9}{'workers':>9}"
        )
        for run in m["runs"].values():
            peaks = run["peak_rss_mb"]
            print(
                f"{run['articles']:>8,}{run['nodes']:>8,}{run['edges']:>8,}{run['evidence']:>10,}"
                f"{run['output_bytes']['graph.json'] / 2**20:>9.1f}{run['seconds']:>9.1f}"
                f"{peaks['model loaded']:>8.0f}{peaks['graph built']:>8.0f}{peaks['outputs written']:>9.0f}"
                f"{run['workers_peak_rss_mb']:>9.0f}"
            )
        print("\nmodel / built / written: peak RSS after loading the model, building the graph, writing the outputs;")
        print("workers: the largest peak RSS of a worker process (0 in one process)")


if __name__ == "__main__":
    main()
