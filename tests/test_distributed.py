"""kg.distributed: the process pool, a real Dask cluster (a scheduler and two workers started with the ``dask``
commands of the virtual environment) and a LocalCluster all give the graph of a single-process run."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from kg.distributed import extract_in_processes, extract_on_dask
from kg.errors import KGError, ModelError
from kg.graph import build_graph, to_json_data
from kg.ingest import read_articles
from kg.model import Article
from kg.nlp import load
from kg.pipeline import extract_results
from kg.rdf import to_rdf

REPO = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).parent / "dask"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    found = list(read_articles(REPO / "data"))
    assert len(found) == 8
    return found


@pytest.fixture(scope="module")
def single(articles: list[Article]) -> nx.MultiDiGraph:
    """The graph of a single-process run (which also loads the model here, so forked workers share it)."""
    return build_graph(extract_results(articles))


def _json(G: nx.MultiDiGraph) -> str:
    return json.dumps(to_json_data(G), sort_keys=True, ensure_ascii=False)


def assert_same_graph(G: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    assert sorted(G.nodes(data=True)) == sorted(expected.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    assert G.graph == expected.graph
    assert set(to_rdf(G)) == set(to_rdf(expected))


def test_process_pool_gives_the_single_process_graph(articles: list[Article], single: nx.MultiDiGraph) -> None:
    results = list(extract_in_processes(articles, workers=2, chunk_size=3))
    assert [result.article for result in results] == articles  # input order, the caller's own articles
    assert _json(build_graph(results)) == _json(single)


def test_process_pool_reads_the_input_as_the_workers_need_it(articles: list[Article]) -> None:
    pulled = []

    def stream() -> Iterator[Article]:
        for article in articles:
            pulled.append(article.id)
            yield article

    results = extract_in_processes(stream(), workers=2, chunk_size=1)
    assert pulled == []  # nothing runs before the first result is asked for
    first = next(results)
    assert first.article == articles[0]
    assert len(pulled) == 4  # two chunks in flight per worker, not the whole input
    assert [result.article for result in results] == articles[1:]


def test_process_pool_raises_the_workers_model_error(articles: list[Article]) -> None:
    with pytest.raises(ModelError, match="no-such-pipeline"):
        list(extract_in_processes(articles[:1], model="no-such-pipeline", workers=1))


@pytest.mark.parametrize("option", ["workers", "batch_size", "chunk_size"])
def test_counts_below_one_are_refused_at_once(articles: list[Article], option: str) -> None:
    for extract in (extract_in_processes, extract_on_dask):
        with pytest.raises(ValueError, match=f"{option} must be at least 1, not 0"):
            extract(articles, **{option: 0})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(command: list[str], log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        # A session of its own, so a process that does not stop can be killed with the processes it started.
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a real ``dask scheduler`` on 127.0.0.1 with two ``dask worker`` processes connected."""
    from dask.distributed import Client

    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    processes = [
        _start(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"]
            + ["--dashboard-address", "127.0.0.1:0"],  # its HTTP health routes: any free port, not 8787
            logs / "scheduler.log",
        )
    ]
    try:
        for n in range(2):
            worker = [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"]
            processes.append(_start([*worker, "--host", "127.0.0.1"], logs / f"worker-{n}.log"))
        with Client(address, timeout=30) as client:
            try:
                client.wait_for_workers(2, timeout=60)
            except TimeoutError:
                pytest.fail("the two Dask workers did not connect:\n" + _logs(logs))
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


def _logs(folder: Path) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}" for log in sorted(folder.iterdir()))


def test_dask_cluster_gives_the_single_process_graph(
    articles: list[Article], single: nx.MultiDiGraph, dask_scheduler: str
) -> None:
    from dask.distributed import Client

    results = list(extract_on_dask(articles, scheduler=dask_scheduler, chunk_size=2))
    assert [result.article for result in results] == articles
    assert_same_graph(build_graph(results), single)
    with Client(dask_scheduler) as client:
        # Both workers ran tasks and each loaded the pipeline once (a lambda: cloudpickle sends it by value).
        assert list(client.run(lambda: load.cache_info().currsize).values()) == [1, 1]


def test_local_cluster_gives_the_single_process_graph(articles: list[Article], single: nx.MultiDiGraph) -> None:
    results = list(extract_on_dask(articles, workers=2, chunk_size=2))
    assert _json(build_graph(results)) == _json(single)


def test_unreachable_scheduler_says_how_to_start_one(articles: list[Article]) -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(KGError, match="Cannot connect to the Dask scheduler at 'tcp://127.0.0.1:.*dask scheduler"):
            next(extract_on_dask(articles, scheduler=f"tcp://127.0.0.1:{_free_port()}"))


def test_workers_do_not_outlive_a_build_killed_with_sigkill(tmp_path: Path):
    import psutil

    folder = tmp_path / "news"
    folder.mkdir()
    text = (REPO / "data" / "syria-tillerson.txt").read_text(encoding="utf-8")
    for number in range(200):
        (folder / f"copy-{number:03d}.txt").write_text(f"{text}\nThis is copy number {number}.\n", encoding="utf-8")
    kg = Path(sys.executable).parent / "kg"
    build = subprocess.Popen(
        [str(kg), "build", str(folder), "--out", str(tmp_path / "out"), "-q", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(build.pid)
    deadline = time.monotonic() + 120
    while len(workers := parent.children(recursive=True)) < 2:
        assert build.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.05)
    build.kill()  # SIGKILL: the pool gets no chance to stop its workers
    build.wait()
    _, alive = psutil.wait_procs(workers, timeout=30)
    for orphan in alive:
        orphan.kill()
    assert alive == [], f"{len(alive)} worker(s) outlived the killed build"
