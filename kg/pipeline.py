"""The one place that knows the order of the stages:
articles -> parsed docs -> mentions, entities, relations -> graph -> JSON / RDF / HTML files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import networkx as nx

from kg import graph as graph_io
from kg.errors import OutputError
from kg.extraction import extract_article
from kg.ids import article_id
from kg.ingest import Skipped, read_articles
from kg.model import Article, ArticleResult
from kg.nlp import DEFAULT_MODEL, parse

#: The files ``kg build`` writes by default, by name.
OUTPUT_FILES = ("graph.json", "graph.ttl", "graph.html")


def extract_results(
    articles: Iterable[Article], *, model: str = DEFAULT_MODEL, batch_size: int = 32, n_process: int = 1
) -> Iterator[ArticleResult]:
    """Parse and extract each article, one at a time (the parsed Doc is dropped after extraction)."""
    for article, doc in parse(articles, model=model, batch_size=batch_size, n_process=n_process):
        yield extract_article(article, doc)


def build(
    sources: Iterable[str | Path] | str | Path,
    *,
    model: str = DEFAULT_MODEL,
    on_skip: Callable[[Skipped], None] | None = None,
    on_article: Callable[[Article], None] | None = None,
    batch_size: int = 32,
    n_process: int = 1,
) -> nx.MultiDiGraph:
    """Read articles from files, folders or "-" (stdin) and build their knowledge graph.

    ``on_skip`` is called with each input that could not be used, ``on_article`` after each article is done.

    >>> G = build("data/syria-tillerson.txt")  # doctest: +SKIP
    >>> G.nodes["person:rex-tillerson"]["titles"]  # doctest: +SKIP
    ['U.S. Secretary of State']
    """
    articles = read_articles(sources, on_skip=on_skip)
    results = extract_results(articles, model=model, batch_size=batch_size, n_process=n_process)
    if on_article is not None:
        results = _notify(results, on_article)
    return graph_io.build_graph(results)


def _notify(results: Iterator[ArticleResult], callback: Callable[[Article], None]) -> Iterator[ArticleResult]:
    for result in results:
        callback(result.article)
        yield result


def extract(text: str, *, title: str = "", model: str = DEFAULT_MODEL) -> ArticleResult:
    """Entities and relations of one text (the headline, if given, is analysed too).

    >>> result = extract("Russian President Vladimir Putin met Rex Tillerson in Moscow.")
    >>> [e.label for e in result.entities if e.type == "Person"]
    ['Rex Tillerson', 'Vladimir Putin']
    """
    full = f"{title}\n\n{text}" if title else text
    article = Article(id=article_id(full, title), text=full, title=title, source="<text>")
    return next(extract_results([article], model=model))


def write_outputs(
    G: nx.MultiDiGraph,
    out_dir: str | Path,
    *,
    base: str | None = None,
    max_nodes: int | None = None,
    rdf_format: str = "turtle",
) -> list[Path]:
    """Write ``graph.json``, the RDF (``graph.ttl`` by default, ``graph`` + the format's extension otherwise)
    and ``graph.html`` into ``out_dir``; returns their paths.

    Each file is written to a temporary file first and then renamed, so an interrupted run never leaves a
    half-written output behind.
    """
    from kg import rdf, viz

    if rdf_format not in rdf.FORMATS:
        raise OutputError(f"Unknown RDF format {rdf_format!r}; choose one of {', '.join(sorted(rdf.FORMATS))}.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rdf_options = {} if base is None else {"base": base}
    writers = {
        "graph.json": lambda path: graph_io.write_json(G, path),
        "graph" + rdf.FORMATS[rdf_format]: lambda path: rdf.write_rdf(G, path, format=rdf_format, **rdf_options),
        "graph.html": lambda path: viz.write_html(G, path, max_nodes=max_nodes or viz.DEFAULT_MAX_NODES),
    }
    written = []
    for name, write in writers.items():
        target = out / name
        _write_atomically(target, write)
        written.append(target)
    return written


def _write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)  # mkstemp makes the file private; outputs are ordinary files
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
