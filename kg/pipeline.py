"""The one place that knows the order of the stages:
articles -> parsed docs -> mentions, entities, relations -> graph -> JSON / RDF / HTML files.

With a store (:func:`update`, :func:`remove`) the stages run incrementally: each article's result is cached in the
store folder as soon as it is extracted (:mod:`kg.cache`), articles already cached are not parsed again, and the
graph of every cached article is loaded into the store at the end.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg import cache
from kg import graph as graph_io
from kg.errors import InputError, OutputError, os_error_reason
from kg.extraction import extract_article
from kg.ids import article_id
from kg.ingest import Skipped, read_articles
from kg.model import Article, ArticleResult
from kg.nlp import DEFAULT_MODEL, parse

if TYPE_CHECKING:
    from kg.store import Loaded, Store

log = logging.getLogger("kg.pipeline")

#: The files ``kg build`` writes by default, by name.
OUTPUT_FILES = ("graph.json", "graph.ttl", "graph.html")


#: The ``scheduler`` value that asks for a Dask LocalCluster of ``workers`` processes.
LOCAL_CLUSTER = "local"


def extract_results(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = 32,
    n_process: int = 1,
    workers: int = 1,
    scheduler: str | None = None,
) -> Iterator[ArticleResult]:
    """Parse and extract each article, in input order (the parsed Doc is dropped after extraction).

    ``workers`` > 1 runs parsing and extraction in a pool of processes; ``scheduler`` (an address, or "local")
    runs them on a Dask cluster (``kg.distributed``). ``n_process`` is spaCy's own multiprocessing.
    """
    if scheduler is not None:
        from kg.distributed import extract_on_dask

        address = None if scheduler == LOCAL_CLUSTER else scheduler
        return extract_on_dask(articles, scheduler=address, workers=workers, model=model, batch_size=batch_size)
    if workers > 1:
        from kg.distributed import extract_in_processes

        return extract_in_processes(articles, model=model, workers=workers, batch_size=batch_size)
    return _extract_here(articles, model=model, batch_size=batch_size, n_process=n_process)


def _extract_here(
    articles: Iterable[Article], *, model: str, batch_size: int, n_process: int
) -> Iterator[ArticleResult]:
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
    workers: int = 1,
    scheduler: str | None = None,
) -> nx.MultiDiGraph:
    """Read articles from files, folders or "-" (stdin) and build their knowledge graph.

    ``on_skip`` is called with each input that could not be used, ``on_article`` after each article is done.

    Raises
    ------
    InputError : if the sources hold no article at all (every input was skipped): a build of nothing is never
        the graph anyone wanted.

    >>> G = build("data/syria-tillerson.txt")  # doctest: +SKIP
    >>> G.nodes["person:rex-tillerson"]["titles"]  # doctest: +SKIP
    ['U.S. Secretary of State']
    """
    articles = _at_least_one(read_articles(sources, on_skip=on_skip), sources)
    results = extract_results(
        articles, model=model, batch_size=batch_size, n_process=n_process, workers=workers, scheduler=scheduler
    )
    if on_article is not None:
        results = _notify(results, on_article)
    return graph_io.build_graph(results)


def _at_least_one(articles: Iterator[Article], sources: Iterable[str | Path] | str | Path) -> Iterator[Article]:
    """The articles, or an InputError (before anything else is done) when there are none."""
    first = next(articles, None)
    if first is None:
        raise _no_article(sources)
    return itertools.chain([first], articles)


def _no_article(sources: Iterable[str | Path] | str | Path) -> InputError:
    names = [str(sources)] if isinstance(sources, str | Path) else [str(source) for source in sources]
    return InputError(
        f"No article in {', '.join(names) or 'no sources'}: every input was skipped or holds no text, so nothing was "
        "written and earlier outputs are left as they are. Check the paths and the messages about each input."
    )


@dataclass(frozen=True)
class Update:
    """What :func:`update` or :func:`remove` did to a store.

    ``graph`` is the graph of every article the store's cache holds (the whole collection, not only this run's
    sources); ``new`` the ids of the articles extracted in this run; ``unchanged`` those read in this run that
    were cached already and not parsed again; ``replaced`` the earlier versions of edited sources, and
    ``removed`` the articles named to :func:`remove`, both taken out of the cache and the store; ``loaded`` what
    the store load did.
    """

    graph: nx.MultiDiGraph
    new: tuple[str, ...]
    unchanged: tuple[str, ...]
    replaced: tuple[str, ...]
    removed: tuple[str, ...]
    loaded: Loaded


def update(
    sources: Iterable[str | Path] | str | Path,
    store_path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    base: str | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_article: Callable[[Article], None] | None = None,
    batch_size: int = 32,
    n_process: int = 1,
    workers: int = 1,
    scheduler: str | None = None,
) -> Update:
    """Add the articles of ``sources`` to the store in the folder ``store_path``, extracting only those it has not
    seen, and load the graph of the whole collection into it.

    The store is the accumulated collection: every article ever added (until :func:`remove`) is in the graph,
    whichever sources a run reads. An article is known by its id, a hash of its text: one whose id is cached is
    not parsed again. A source (a file, or a record of a JSONL/CSV/JSON file) that now holds other text replaces
    the article it held before, which leaves the cache and the store. A file deleted from a folder does not take
    its article out: use :func:`remove`.

    Interruptions lose nothing: each article's result is saved as soon as it is extracted, so an interrupted run
    is taken up where it stopped by the next one; the store is written only at the end, in one short step (see
    :mod:`kg.store`). ``on_article`` is called for each article read, parsed or found in the cache; ``on_skip``
    with each input that could not be used (default: a warning on the ``kg.ingest`` logger).

    Raises
    ------
    InputError : if the sources hold no article at all (every input was skipped); the store is left as it was.
    StoreError : if the store cannot be opened (e.g. it is open in another process) or written.
    CacheError : if the store's cache holds results of another model, or a cache file cannot be read or written.

    >>> done = update("data/", "store")  # doctest: +SKIP
    >>> len(done.new), len(done.unchanged), done.graph.number_of_nodes()  # doctest: +SKIP
    (8, 0, 144)
    """
    from kg import store

    store_path = Path(store_path)
    with store.open(store_path) as opened:  # holds the store's lock, and so the cache's, for the whole run
        results = cache.open(store_path / cache.FOLDER, model=model)
        fingerprint = extraction_fingerprint()
        outdated = set(results.ids()) if results.extraction != fingerprint else set()
        if not outdated:
            results.extraction = fingerprint  # an interrupted run leaves results on record as this version's
        else:
            log.warning(
                "The store's %d cached articles were extracted by another version of kg; they are extracted again.",
                len(outdated),
            )
        holds: dict[str, str | None] = {}  # source key -> the id of the article it holds now (None: a duplicate)
        troubled: set[str] = set()  # files with a record that could not be read: maybe not read to their end
        unchanged: list[str] = []
        report = on_skip if on_skip is not None else _log_skip

        def skipped(item: Skipped) -> None:
            key = cache.source_key(item.source)
            if key is not None and item.reason.startswith("duplicate"):  # no article of its own any more
                holds[key] = None
            elif key is not None:
                troubled.add(cache.source_file(key))
            report(item)

        def uncached(articles: Iterable[Article]) -> Iterator[Article]:
            for article in articles:
                key = cache.source_key(article.source)
                if key is not None:
                    holds[key] = article.id
                if article.id in results and article.id not in outdated:
                    unchanged.append(article.id)
                    if key is not None and results.sources.get(key) != article.id:
                        results.relocate(article)  # the same text read from another record or file
                    if on_article is not None:
                        on_article(article)
                    continue
                outdated.discard(article.id)
                yield article
            for article_id in sorted(outdated):  # cached, outdated and in no source read in this run
                yield results.get(article_id).article

        new: list[str] = []
        articles = uncached(read_articles(sources, on_skip=skipped))
        first = next(articles, None)  # the model is loaded only when there is something to parse
        if first is None and not unchanged:
            raise _no_article(sources)
        articles = iter(()) if first is None else itertools.chain([first], articles)
        for result in extract_results(
            articles, model=model, batch_size=batch_size, n_process=n_process, workers=workers, scheduler=scheduler
        ):
            results.put(result)  # kept at once: a run interrupted after this does not parse it again
            new.append(result.article.id)
            if on_article is not None:
                on_article(result.article)
        whole_files = {cache.source_file(key) for key in holds} - troubled
        results.extraction = fingerprint  # every cached result is now this version's
        replaced = results.assign(holds, whole_files=whole_files)
        G, loaded = _reload(opened, results, base=base)
    return Update(G, tuple(new), tuple(unchanged), tuple(replaced), (), loaded)


@functools.cache
def extraction_fingerprint() -> str:
    """A hash of kg's own code and shipped data (models, lexicons): the store's cache keeps it beside its results,
    and a build with another version of kg extracts the cached articles again instead of serving stale ones."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def remove(article_ids: Iterable[str], store_path: str | Path, *, base: str | None = None) -> Update:
    """Take articles out of the store in the folder ``store_path``, with everything only they supported.

    Entities named only in these articles, relations stated only there, their evidence and the articles' own
    resources leave the store; what other articles also support stays, with their counts. The graph of the
    remaining articles is rebuilt from the cache (no model is loaded) and loaded into the store.

    Raises
    ------
    StoreError : if an id is neither cached nor in the store (nothing is changed then), or the store cannot be
        opened or written.

    >>> remove(["trump-meets-putin-751f5ed0"], "store").loaded  # doctest: +SKIP
    Loaded(added=0, removed=212, total=12445)
    """
    from kg import store

    store_path = Path(store_path)
    ids = list(dict.fromkeys(article_ids))
    if not (store_path / "CURRENT").is_file() and not (store_path / cache.FOLDER).is_dir():
        raise store.StoreError(f"No store at {store_path}. Create one with: kg build SOURCES --store {store_path}")
    with store.open(store_path) as opened:
        results = cache.open(store_path / cache.FOLDER)
        known = set(results.ids()) | results.removed | set(opened.articles(**_base(base)))
        unknown = [article for article in ids if article not in known]
        if unknown:
            raise store.StoreError(
                f"No article {', '.join(map(repr, unknown))} in the store {store_path}. Article ids are the file "
                f"names in {store_path / cache.FOLDER} (without .json), or list them with: kg query {store_path} "
                "'SELECT ?a ?title WHERE { ?a a schema:NewsArticle ; schema:headline ?title }'"
            )
        results.remove(ids)
        G, loaded = _reload(opened, results, base=base)
    return Update(G, (), (), (), tuple(ids), loaded)


def _reload(opened: Store, results: cache.Cache, *, base: str | None) -> tuple[nx.MultiDiGraph, Loaded]:
    """The graph of every cached article, loaded into the store with the removals the cache has pending.

    The graph of each load is recorded in the cache folder (``cache.LOADED``, with the base), and the next load
    writes only what differs from it (``Store.load(previous=...)``), or nothing when nothing does. The record is
    deleted before the store is written and written again after, so a load that was interrupted leaves none,
    and the next load is a whole one, which repairs the store. So is a load into a store that does not hold the
    articles of the record (its data lost or restored from an older backup while ``articles/`` remained).
    """
    from kg import rdf
    from kg.store import Loaded

    G = graph_io.build_graph(results.results())
    pending = sorted(results.removed)
    iri = base or rdf.DEFAULT_BASE
    record = results.folder / cache.LOADED
    data = graph_io.to_json_data(G)
    saved = _read_record(record, base=iri)
    if saved is not None and set(opened.articles(base=iri)) != set(saved.get("graph", {}).get("articles", {})):
        log.warning(
            "the store %s does not hold the articles it was last loaded with; loading all %d again",
            opened.path,
            len(G.graph["articles"]),
        )
        saved = None
    if saved == data and not pending:
        return G, Loaded(added=0, removed=0, total=opened.count())
    previous = None if saved is None else nx.node_link_graph(saved, directed=True, multigraph=True, edges="edges")
    record.unlink(missing_ok=True)
    loaded = opened.load(G, base=iri, removed_articles=pending, previous=previous)
    text = json.dumps({"base": iri, "graph": data}, ensure_ascii=False)
    cache.write_atomically(record, lambda path: path.write_text(text, encoding="utf-8"))
    results.applied(pending)
    return G, loaded


def _read_record(path: Path, *, base: str) -> dict | None:
    """The node-link data of the graph the store was last loaded with under ``base``, or None."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # none yet, or unreadable: the next load is a whole one
    if not isinstance(saved, dict) or saved.get("base") != base:
        return None
    return saved.get("graph")


def _base(base: str | None) -> dict[str, str]:
    return {} if base is None else {"base": base}


def _log_skip(item: Skipped) -> None:
    logging.getLogger("kg.ingest").warning("skipped %s: %s", item.source, item.reason)


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

    The files are replaced together or not at all: each is written to a temporary file first, and only when
    all are complete are they renamed over the old ones, so a failure in one (a full disk, a text RDF cannot
    hold) or an interrupted run leaves every earlier output as it was and no half-written file.

    Raises
    ------
    OutputError : if a file cannot be written (the message says why and how to fix it).
    """
    from kg import rdf, viz

    rdf_format = rdf.format_name(rdf_format)
    if rdf_format not in rdf.FORMATS:
        raise OutputError(f"Unknown RDF format {rdf_format!r}; choose one of {', '.join(sorted(rdf.FORMATS))}.")
    out = Path(out_dir)
    rdf_options = {} if base is None else {"base": base}
    writers = {
        "graph.json": lambda path: graph_io.write_json(G, path),
        "graph" + rdf.FORMATS[rdf_format]: lambda path: rdf.write_rdf(G, path, format=rdf_format, **rdf_options),
        "graph.html": lambda path: viz.write_html(G, path, max_nodes=max_nodes or viz.DEFAULT_MAX_NODES),
    }
    written: dict[Path, Path] = {}  # target -> its complete temporary file
    target = out
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, write in writers.items():
            target = out / name
            cache.remove_leftovers(target)
            written[target] = cache.write_temporary(target, write)
        for target, temporary in written.items():
            temporary.replace(target)
    except BaseException as error:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(
                f"Cannot write {target}: {os_error_reason(error)}. The earlier outputs in {out} are left as they were."
            ) from error
        raise
    return list(written)
