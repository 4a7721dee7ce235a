"""Extraction in worker processes: a process pool on this machine, or the workers of a Dask cluster.

Each worker runs all of extraction, spaCy and kg's rules, on a chunk of articles at a time, and loads the
pipeline once (``kg.nlp.load`` caches it in the process). Only the plain dataclasses found in an article go back to
the caller, which re-attaches its own ``Article``; the spaCy ``Doc`` never leaves the worker. Chunks are sent as the
input is read, at most two per worker in flight, and their results are yielded in input order, so the stream has
bounded memory and ``kg.graph.build_graph`` over it gives exactly the graph of a single-process run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Protocol

from kg.errors import KGError
from kg.extraction import extract_article
from kg.model import Article, ArticleResult, Entity, Mention, Relation
from kg.nlp import DEFAULT_MODEL, load, parse

#: Articles per task. Small chunks keep the workers busy to the end of a run and bound a worker's memory (spaCy
#: holds about 10 kB per token of the batch it is parsing); a task costs well under a millisecond to send.
CHUNK_SIZE = 8
#: Chunks in flight per worker: one running, one queued, so a worker never waits for the next chunk.
CHUNKS_PER_WORKER = 2

log = logging.getLogger("kg.distributed")

# What a worker sends back for one article: its ArticleResult without the Article (the caller has it).
_Found = tuple[list[Entity], list[Relation], list[Mention]]


class _Future(Protocol):
    def result(self) -> list[_Found]: ...


def extract_in_processes(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    workers: int = 2,
    batch_size: int = 32,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[ArticleResult]:
    """Parse and extract articles in ``workers`` processes of this machine, yielding results in input order.

    Parameters
    ----------
    articles
        Any iterable of articles; it is read as the workers need chunks, never all at once.
    model
        The spaCy pipeline (a package name or a path), loaded once per process.
    workers
        Worker processes (at least 1). The calling process only sends chunks and merges what comes back.
    batch_size
        Texts per ``nlp.pipe`` batch inside a worker.
    chunk_size
        Articles per task sent to a worker, parsed in ``nlp.pipe`` batches of at most ``batch_size``. At most
        ``2 * workers`` chunks are in flight.

    Returns
    -------
    An iterator of ``ArticleResult``, the same, in the same order, as ``kg.pipeline.extract_results`` gives.

    Raises
    ------
    ValueError
        If ``workers``, ``batch_size`` or ``chunk_size`` is less than 1.
    ModelError
        If ``model`` cannot be loaded (raised when the first result is asked for). The pipeline is loaded here
        first: where processes are forked (Linux), the workers share it instead of loading their own.

    >>> from kg.ingest import read_articles
    >>> results = extract_in_processes(read_articles("data"), workers=2)  # doctest: +SKIP
    >>> [entity.label for entity in next(results).entities if entity.type == "Person"]  # doctest: +SKIP
    ['Bashar al-Assad', 'Donald Trump', 'Rex Tillerson', 'Vladimir Putin']
    """
    _check_sizes(workers=workers, batch_size=batch_size, chunk_size=chunk_size)
    return _extract_in_pool(articles, model=model, workers=workers, batch_size=batch_size, chunk_size=chunk_size)


def _extract_in_pool(
    articles: Iterable[Article], *, model: str, workers: int, batch_size: int, chunk_size: int
) -> Iterator[ArticleResult]:
    load(model)  # a bad model fails here rather than in each worker; forked workers share the loaded pipeline
    pool = ProcessPoolExecutor(max_workers=workers, initializer=watch_parent, initargs=(os.getpid(), _in_main_thread()))
    try:
        yield from _in_order(
            _chunks(articles, chunk_size),
            lambda chunk: pool.submit(extract_chunk, chunk, model=model, batch_size=batch_size),
            window=CHUNKS_PER_WORKER * workers,
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: prctl(2) option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1
#: How often a worker checks that the process that started it is alive, where prctl is not there.
_PARENT_CHECK_SECONDS = 1.0


def watch_parent(parent: int, from_main_thread: bool = True) -> None:
    """End this worker process when ``parent``, the process that started it, dies, even by SIGKILL (which leaves
    it no time to stop its pool): a worker blocked on the pool's pipe would otherwise live on, holding its memory.

    On Linux the kernel kills it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``; only for a worker started from the main
    thread, as the kernel sends the signal when the starting thread ends); otherwise a daemon thread checks every
    second whether it has been handed to another parent.
    """
    armed = False
    libc_name = ctypes.util.find_library("c")
    if from_main_thread and libc_name:
        try:
            armed = ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):  # no prctl: not Linux
            armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


def extract_on_dask(
    articles: Iterable[Article],
    *,
    scheduler: str | None = None,
    workers: int = 2,
    model: str = DEFAULT_MODEL,
    batch_size: int = 32,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[ArticleResult]:
    """Parse and extract articles on a Dask distributed cluster, yielding results in input order.

    Each chunk of articles is one task; a worker loads the pipeline on its first task and keeps it. The workers
    of a remote cluster need kg and the model installed, the same versions as here.

    Parameters
    ----------
    articles
        Any iterable of articles; it is read as chunks are sent, never all at once.
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``), or None to start a ``LocalCluster`` of
        ``workers`` single-threaded worker processes on 127.0.0.1 (no dashboard), closed at the end.
    workers
        Worker processes of the local cluster. With a scheduler, the cluster's own threads count instead
        (this is the fallback if it has none yet).
    model, batch_size, chunk_size
        As for :func:`extract_in_processes`; at most two chunks per worker thread are in flight.

    Returns
    -------
    An iterator of ``ArticleResult``, the same, in the same order, as ``kg.pipeline.extract_results`` gives.

    Raises
    ------
    KGError
        If dask.distributed is not installed, or the scheduler cannot be reached.
    ModelError
        If a worker cannot load ``model``.

    >>> from kg.graph import build_graph
    >>> from kg.ingest import read_articles
    >>> G = build_graph(extract_on_dask(read_articles("data"), scheduler="tcp://127.0.0.1:8786"))  # doctest: +SKIP
    """
    _check_sizes(workers=workers, batch_size=batch_size, chunk_size=chunk_size)
    return _extract_on_cluster(
        articles, scheduler=scheduler, workers=workers, model=model, batch_size=batch_size, chunk_size=chunk_size
    )


def _extract_on_cluster(
    articles: Iterable[Article], *, scheduler: str | None, workers: int, model: str, batch_size: int, chunk_size: int
) -> Iterator[ArticleResult]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:
        raise KGError(
            f"Running on Dask needs dask.distributed, which cannot be imported ({error}). Install it with: "
            f"pip install 'kg[dask]'"
        ) from error

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # The scheduler serves its health routes over HTTP even without a dashboard: on any free port, not
            # on 8787, which another cluster may hold.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler)
        except OSError as error:
            raise KGError(
                f"Cannot connect to the Dask scheduler at {scheduler!r}: {error}. Start one with "
                f"'dask scheduler' and pass the address it prints (tcp://HOST:8786), or pass no scheduler to "
                f"run a local cluster."
            ) from error
    try:
        threads = sum(client.nthreads().values()) or workers
        log.info("extracting on %s with %d worker thread(s)", client.scheduler.address, threads)
        yield from _in_order(
            _chunks(articles, chunk_size),
            lambda chunk: client.submit(extract_chunk, chunk, model=model, batch_size=batch_size, pure=False),
            window=CHUNKS_PER_WORKER * threads,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def extract_chunk(articles: list[Article], *, model: str, batch_size: int) -> list[_Found]:
    """What a worker runs: parse and extract a chunk of articles; per article, its entities, relations and
    mentions (the ``ArticleResult`` without the ``Article``, which the caller already has)."""
    return [
        (result.entities, result.relations, result.mentions)
        for result in (
            extract_article(article, doc) for article, doc in parse(articles, model=model, batch_size=batch_size)
        )
    ]


def _in_order(
    chunks: Iterable[list[Article]], submit: Callable[[list[Article]], _Future], *, window: int
) -> Iterator[ArticleResult]:
    """Submit chunks, never more than ``window`` unfinished, and yield their results in submission order."""
    pending: deque[tuple[list[Article], _Future]] = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        if len(pending) >= window:
            yield from _results(*pending.popleft())
    while pending:
        yield from _results(*pending.popleft())


def _results(chunk: list[Article], future: _Future) -> Iterator[ArticleResult]:
    found = future.result()
    for article, (entities, relations, mentions) in zip(chunk, found, strict=True):
        yield ArticleResult(article, entities, relations, mentions)


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _check_sizes(*, workers: int, batch_size: int, chunk_size: int) -> None:
    for name, value in (("workers", workers), ("batch_size", batch_size), ("chunk_size", chunk_size)):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value!r}.")
