"""kg.store: the embedded Oxigraph store (load, re-load, growing builds, queries, safe bindings), ``kg query``,
and ``kg push`` to a real Oxigraph server and to small local HTTP servers that fail in known ways."""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import HOSTILE_SENTENCE
from test_graph import first_article, second_article, third_article

from kg import remote, store
from kg.cli import main
from kg.graph import build_graph
from kg.rdf import entity_iri, write_rdf

KG = "http://example.org/kg/"
TILLERSON = str(entity_iri("person:rex-tillerson"))

PEOPLE = """
SELECT ?name WHERE { ?person a schema:Person ; rdfs:label ?name } ORDER BY ?name
"""
EVIDENCE = """
SELECT ?subject ?sentence WHERE {
    ?statement rdf:subject ?subject ; rdf:predicate kgv:said_about ; kgv:evidence/kgv:sentence ?sentence .
}
"""
RELATIONS = """
SELECT ?entity ?subject ?relation ?object WHERE {
    ?statement a rdf:Statement ; rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object .
    { ?statement rdf:subject ?entity } UNION { ?statement rdf:object ?entity }
} ORDER BY ?relation
"""
EXPECTED_RELATIONS = [
    {"subject": "person/rex-tillerson", "relation": "said_about", "object": "country/russia"},
    {"subject": "organisation/exxonmobil", "relation": "support", "object": "person/rex-tillerson"},
    {"subject": "person/rex-tillerson", "relation": "works_for", "object": "organisation/exxonmobil"},
]


def short(rows: list[dict]) -> list[dict]:
    """Rows without ?entity and with the base and vocabulary IRIs cut off, to compare with EXPECTED_RELATIONS."""
    kgv = store.PREFIXES["kgv"]
    return [
        {key: value.removeprefix(f"{KG}entity/").removeprefix(kgv) for key, value in row.items() if key != "entity"}
        for row in rows
    ]


@pytest.fixture
def loaded(sample_graph: nx.MultiDiGraph) -> Iterator[store.Store]:
    with store.open() as opened:
        opened.load(sample_graph)
        yield opened


# --- the embedded store -----------------------------------------------------------------------------------


def test_all_people(loaded: store.Store):
    assert loaded.query(PEOPLE) == [{"name": "Rex Tillerson"}, {"name": "Vladimir Putin"}]


def test_evidence_sentences_of_one_relation(loaded: store.Store):
    rows = loaded.query(EVIDENCE, bindings={"subject": ox.NamedNode(TILLERSON)})
    assert rows == [{"subject": TILLERSON, "sentence": HOSTILE_SENTENCE}]  # quotes, backslashes, newline intact


def test_relations_of_one_entity_leave_out_cooccurrence(loaded: store.Store):
    rows = loaded.query(RELATIONS, bindings={"entity": ox.NamedNode(TILLERSON)})
    assert rows.columns == ["entity", "subject", "relation", "object"]
    assert short(rows) == EXPECTED_RELATIONS


def test_values_are_python_values(loaded: store.Store):
    rows = loaded.query(
        """SELECT ?weight ?confidence ?trigger WHERE {
            ?statement rdf:predicate kgv:located_in ; kgv:weight ?weight ; kgv:confidence ?confidence .
            OPTIONAL { ?statement kgv:trigger ?trigger }
        }"""
    )
    assert rows == [{"weight": 1, "confidence": 0.9, "trigger": None}]
    assert loaded.query("ASK { ?p a schema:Person }") == [{"boolean": True}]


def test_loading_again_changes_nothing(loaded: store.Store, sample_graph: nx.MultiDiGraph):
    count = loaded.count()
    assert count > 100
    assert loaded.load(sample_graph) == store.Loaded(added=0, removed=0, total=count)


def test_the_store_persists_with_one_writer_or_many_readers(tmp_path: Path, sample_graph: nx.MultiDiGraph):
    path = tmp_path / "store"
    loaded = store.load_graph(path, sample_graph)
    assert loaded.added == loaded.total > 100
    with store.open(path) as opened:
        assert opened.count() == loaded.total
        with pytest.raises(store.StoreError, match="open in another process"):
            store.open(path)
    with pytest.raises(store.StoreError, match="is closed"):
        opened.count()
    with store.open(path, read_only=True) as reader, store.open(path, read_only=True) as another:
        assert reader.query(PEOPLE) == another.query(PEOPLE) == [{"name": "Rex Tillerson"}, {"name": "Vladimir Putin"}]
        with pytest.raises(store.StoreError, match="read-only"):
            reader.load(sample_graph)


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path):
    (tmp_path / "graph.ttl").write_text("")
    with pytest.raises(store.StoreError, match="not an Oxigraph store"):
        store.open(tmp_path)
    with pytest.raises(store.StoreError, match="No store at"):
        store.open(tmp_path / "missing", read_only=True)


def test_bad_queries_say_what_is_wrong(loaded: store.Store):
    with pytest.raises(store.StoreError, match="not valid SPARQL"):
        loaded.query("SELECT ?x WHERE { ?x")
    with pytest.raises(store.StoreError, match="must appear in the SELECT"):
        loaded.query("SELECT ?x WHERE { ?x rdfs:label ?label }", bindings={"label": "Moscow"})
    with pytest.raises(store.StoreError, match="Cannot bind"):
        loaded.query("SELECT * WHERE { ?x rdfs:label ?label }", bindings={"label": object()})


# --- growing builds -----------------------------------------------------------------------------------------


def quads(opened: store.Store) -> set:
    return set(opened.oxigraph)


def test_a_then_a_and_b_is_the_same_as_a_and_b_at_once():
    """The second article alone names "Tillerson", who joins "Rex Tillerson" once the first is built too."""
    with store.open() as growing, store.open() as at_once:
        growing.load(build_graph([second_article()]))
        assert growing.query("ASK { ?p rdfs:label 'Tillerson' }") == [{"boolean": True}]
        growing.load(build_graph([first_article(), second_article(), third_article()]))
        at_once.load(build_graph([first_article(), second_article(), third_article()]))
        assert quads(growing) == quads(at_once)
        single_valued = """
            SELECT ?resource ?property (COUNT(?value) AS ?n) WHERE {
                VALUES ?property { rdfs:label kgv:mentionCount kgv:weight kgv:confidence kgv:kind }
                ?resource ?property ?value
            } GROUP BY ?resource ?property HAVING (COUNT(?value) > 1)
        """
        assert growing.query(single_valued) == []
        assert growing.query("ASK { ?p rdfs:label 'Tillerson' }") == [{"boolean": False}]
        counts = "SELECT ?n WHERE { ?russia rdfs:label 'Russia' ; kgv:mentionCount ?n }"
        assert growing.query(counts) == [{"n": 3}]


def test_a_build_of_other_articles_adds_them():
    with store.open() as opened:
        opened.load(build_graph([first_article()]))
        opened.load(build_graph([third_article()]))
        headlines = opened.query(
            "SELECT ?title WHERE { ?a a schema:NewsArticle ; schema:headline ?title } ORDER BY ?title"
        )
        assert [row["title"] for row in headlines] == ["Putin in hamburg", "Tillerson on syria"]
        assert opened.query("ASK { ?r kgv:visits ?hamburg . ?t kgv:said_about ?russia }") == [{"boolean": True}]


@pytest.mark.parametrize("gone", [0, 1, 2])
def test_removing_an_article_leaves_what_a_build_without_it_gives(gone: int):
    """Lavrov and Hamburg are named in one article each; Tillerson, Putin and Russia in several."""
    articles = [first_article(), second_article(), third_article()]
    kept = [result for number, result in enumerate(articles) if number != gone]
    removed = articles[gone].article.id
    with store.open() as growing, store.open() as clean:
        growing.load(build_graph(articles))
        loaded = growing.load(build_graph(kept), removed_articles=[removed])
        clean.load(build_graph(kept))
        assert quads(growing) == quads(clean)
        assert loaded.removed > 0 and loaded.total == clean.count()
        assert growing.articles() == sorted(result.article.id for result in kept)
        assert not any(removed in str(term) for quad in growing.oxigraph for term in quad)


@pytest.mark.parametrize(
    ("before", "after"),
    [([0], [0, 1, 2]), ([0, 1, 2], [0, 2]), ([1], [0, 1]), ([0, 1, 2], [1]), ([2], [0, 1])],
    ids=["two-added", "one-removed", "a-surname-joins-a-full-name", "two-removed", "all-replaced"],
)
def test_a_load_given_the_previous_graph_writes_only_what_differs(before: list[int], after: list[int]):
    articles = [first_article(), second_article(), third_article()]
    G = build_graph([articles[number] for number in before])
    H = build_graph([articles[number] for number in after])
    gone = [articles[number].article.id for number in before if number not in after]
    with store.open() as diffed, store.open() as whole:
        diffed.load(G)
        loaded = diffed.load(H, previous=G, removed_articles=gone)
        whole.load(H)
        assert quads(diffed) == quads(whole)
        assert loaded.total == whole.count()
        assert diffed.load(H, previous=H) == store.Loaded(added=0, removed=0, total=whole.count())


def test_removing_an_article_the_load_has_keeps_it():
    G = build_graph([first_article()])
    with store.open() as opened:
        total = opened.load(G).total
        assert opened.load(G, removed_articles=[first_article().article.id, "unknown-00000000"]).total == total


def test_removing_an_article_keeps_what_an_earlier_load_of_other_articles_holds():
    """A store filled by loads of separate articles: removing one keeps what only the others describe (Putin, named
    in both, took the description of the last load, from the third article only, and goes with it)."""
    with store.open() as opened, store.open() as clean:
        opened.load(build_graph([first_article()]))
        opened.load(build_graph([third_article()]))
        opened.load(build_graph([]), removed_articles=[third_article().article.id])
        clean.load(build_graph([first_article()]))
        assert quads(opened) - quads(clean) == set()
        assert opened.query("ASK { ?tillerson rdfs:label 'Rex Tillerson' ; schema:subjectOf ?a }") == [
            {"boolean": True}
        ]
        assert opened.query("ASK { ?hamburg rdfs:label 'Hamburg' }") == [{"boolean": False}]


def test_ctrl_c_waits_for_a_store_write_to_end():
    G = build_graph([first_article()])
    with store.open() as opened:
        real = opened._store

        class Interrupted:  # a store whose write is interrupted by Ctrl-C half-way
            def __getattr__(self, name: str):
                return getattr(real, name)

            def extend(self, quads):
                signal.raise_signal(signal.SIGINT)
                real.extend(quads)

        opened._store = Interrupted()
        with pytest.raises(KeyboardInterrupt):
            opened.load(G)
        opened._store = real
        assert opened.load(G).added == 0  # the write was whole


def test_a_store_folder_may_hold_kg_build_s_cache(tmp_path: Path, sample_graph: nx.MultiDiGraph):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "index.json").write_text("{}")
    total = store.load_graph(tmp_path, sample_graph).total
    with store.open(tmp_path, read_only=True) as opened:
        assert opened.count() == total


def test_quads_keep_their_graphs_and_a_named_graph_is_replaced(tmp_path: Path):
    path = tmp_path / "data.nq"
    path.write_text(
        f'<{KG}a> <{KG}p> "default" .\n<{KG}a> <{KG}p> "old" <{KG}g> .\n<{KG}b> <{KG}p> "gone" <{KG}g> .\n',
        encoding="utf-8",
    )
    with store.open() as opened:
        assert opened.load_file(path).total == 3
        assert opened.load_file(path) == store.Loaded(added=0, removed=0, total=3)
        path.write_text(f'<{KG}c> <{KG}p> "new" <{KG}g> .\n', encoding="utf-8")
        opened.load_file(path)
        everything = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"
        assert opened.query(everything) == [{"o": "default"}, {"o": "new"}]
        assert opened.query(everything, union_default_graph=False) == [{"o": "default"}]


# --- hostile text -------------------------------------------------------------------------------------------

HOSTILE = 'Acme "Corp" } ; DROP ALL ; <x> \\ #\nnext line'


def test_a_hostile_label_round_trips_and_binds_as_a_value():
    G = nx.MultiDiGraph()
    G.add_node("organisation:acme", label=HOSTILE, type="Organisation", aliases=[], mentions=1)
    with store.open() as opened:
        total = opened.load(G).total
        labels = opened.query("SELECT ?label WHERE { ?org a schema:Organization ; rdfs:label ?label }")
        assert labels == [{"label": HOSTILE}]
        found = opened.query("SELECT * WHERE { ?org rdfs:label ?label }", bindings={"label": HOSTILE})
        assert found == [{"label": HOSTILE, "org": f"{KG}entity/organisation/acme"}]
        injection = '" } } ; DELETE WHERE { ?s ?p ?o } #'
        assert opened.query("SELECT * WHERE { ?org rdfs:label ?label }", bindings={"label": injection}) == []
        assert opened.count() == total


# --- kg query -----------------------------------------------------------------------------------------------


@pytest.fixture
def store_dir(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> Path:
    path = tmp_path / "store"
    store.load_graph(path, sample_graph)
    return path


PEOPLE_IRIS = "SELECT ?person ?name WHERE { ?person a schema:Person ; rdfs:label ?name } ORDER BY ?name"


def test_kg_query_prints_a_table_with_short_iris(store_dir: Path):
    result = CliRunner().invoke(main, ["query", str(store_dir), PEOPLE_IRIS])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "person                 name\n"
        "---------------------  --------------\n"
        "person:rex-tillerson   Rex Tillerson\n"
        "person:vladimir-putin  Vladimir Putin\n"
        "(2 rows)\n"
    )


def test_kg_query_prints_full_iris_when_asked(store_dir: Path):
    result = CliRunner().invoke(main, ["query", str(store_dir), PEOPLE_IRIS, "--full-iris"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "person                                              name\n"
        "--------------------------------------------------  --------------\n"
        "http://example.org/kg/entity/person/rex-tillerson   Rex Tillerson\n"
        "http://example.org/kg/entity/person/vladimir-putin  Vladimir Putin\n"
        "(2 rows)\n"
    )


def test_query_shortens_with_the_query_s_own_prefixes_and_reads_kg_s(loaded: store.Store):
    rows = loaded.query(
        "PREFIX me: <http://example.org/kg/entity/person/rex-> "
        "SELECT ?p ?employer WHERE { person:rex-tillerson ?p ?employer . ?employer a schema:Organization }",
        compact_iris=True,
    )
    assert rows == [{"p": "kgv:works_for", "employer": "organisation:exxonmobil"}]
    query = "PREFIX me: <http://example.org/kg/entity/person/rex-> SELECT ?who WHERE { ?who kgv:works_for ?org }"
    assert loaded.query(query, compact_iris=True) == [{"who": "me:tillerson"}]  # the longest namespace
    # an IRI whose rest is no local name ("a/b") stays whole; literals are never shortened
    rows = loaded.query(
        "SELECT ?iri ?text WHERE { BIND(IRI(CONCAT(STR(kgv:), 'a/b')) AS ?iri) BIND('kgv:x' AS ?text) }",
        compact_iris=True,
    )
    assert rows == [{"iri": f"{store.PREFIXES['kgv']}a/b", "text": "kgv:x"}]


def test_select_star_keeps_the_order_of_the_query(loaded: store.Store):
    rows = loaded.query("SELECT * WHERE { ?who kgv:works_for ?employer . ?employer rdfs:label ?name }")
    assert rows.columns == ["who", "employer", "name"]
    assert list(rows[0]) == ["who", "employer", "name"]
    assert loaded.query("SELECT ?name ?who WHERE { ?who rdfs:label ?name } LIMIT 1").columns == ["name", "who"]


def test_an_unknown_prefix_is_named_with_the_built_in_ones(loaded: store.Store):
    with pytest.raises(store.StoreError) as raised:
        loaded.query("SELECT ?x WHERE { ?x wdt:P31 'wdt:nothing' ; <http://a/b:c> ?y }")
    message = str(raised.value)
    assert message.startswith("The query uses the prefix wdt: without declaring it.")
    assert "PREFIX wdt: <http://www.wikidata.org/prop/direct/>" in message
    assert "rdf:, rdfs:" in message and "kgv:" in message and "person:" in message
    assert "\\u{" not in message  # not the parser's list of Unicode ranges
    declared = "PREFIX wdt: <http://www.wikidata.org/prop/direct/> SELECT ?x WHERE { ?x wdt:P31 ?y }"
    assert loaded.query(declared) == []


def test_kg_query_table_shows_newlines_escaped(store_dir: Path):
    result = CliRunner().invoke(main, ["query", str(store_dir), "-"], input=EVIDENCE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2] == "person:rex-tillerson  " + HOSTILE_SENTENCE.replace("\\", "\\\\").replace("\n", "\\n")
    assert lines[3:] == ["(1 row)"]


@pytest.mark.parametrize(
    ("output_format", "expected"),
    [
        ("csv", "name\nRex Tillerson\nVladimir Putin\n"),
        ("json", '[\n {\n  "name": "Rex Tillerson"\n },\n {\n  "name": "Vladimir Putin"\n }\n]\n'),
    ],
)
def test_kg_query_csv_and_json(store_dir: Path, output_format: str, expected: str):
    result = CliRunner().invoke(main, ["query", str(store_dir), PEOPLE, "--format", output_format])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_kg_query_errors_are_clean(store_dir: Path, tmp_path: Path):
    missing = CliRunner().invoke(main, ["query", str(tmp_path / "nowhere"), PEOPLE])
    assert missing.exit_code == 1
    assert "No store at" in missing.stderr and "kg build SOURCES --store" in missing.stderr
    broken = CliRunner().invoke(main, ["query", str(store_dir), "SELECT ?x WHERE {"])
    assert broken.exit_code == 1
    assert "not valid SPARQL" in broken.stderr


def test_kg_push_offers_the_formats_of_the_library():
    options = {option.name: option for option in main.commands["push"].params}
    assert list(options["rdf_format"].type.choices) == sorted(store.FORMATS)


@pytest.mark.parametrize(
    ("alias", "name"), [("ttl", "turtle"), ("TTL", "turtle"), ("jsonld", "json-ld"), ("nq", "nquads")]
)
def test_formats_are_taken_by_their_aliases(tmp_path: Path, sample_graph: nx.MultiDiGraph, alias: str, name: str):
    path = tmp_path / "graph.data"  # a suffix that names no format: only --format can
    write_rdf(sample_graph, path, format=alias)
    with store.open() as by_alias, store.open() as by_name:
        by_alias.load_file(path, format=alias)
        by_name.load_file(path, format=name)
        assert by_alias.count() > 0 and set(by_alias.oxigraph) == set(by_name.oxigraph)
    result = CliRunner().invoke(main, ["push", str(path), "--endpoint", "ftp://nowhere", "--format", alias])
    assert "Invalid value for '--format'" not in result.output  # taken; the endpoint is what is refused
    assert "not an http(s) URL" in result.stderr


def test_the_vocabulary_loads_beside_the_data(sample_graph: nx.MultiDiGraph):
    names = "SELECT ?name WHERE { kgv:works_for a rdf:Property ; rdfs:label ?name }"
    with store.open() as opened:
        opened.load(sample_graph)
        assert opened.query(names) == []
        first = opened.load_vocabulary()
        assert first.added > 0 and opened.load_vocabulary().added == 0  # loading it again changes nothing
        assert opened.query(names) == [{"name": "works for"}]
        opened.load(sample_graph)  # a later load of the graph leaves it
        assert opened.query(names) == [{"name": "works for"}]


# --- kg push to a real Oxigraph server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve`` (from the oxigraph package of the test extra) on a free local port; its base URL."""
    with serve(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@contextmanager
def serve(location: Path, *options: str, port: int | None = None) -> Iterator[str]:
    """Run ``oxigraph serve --location LOCATION OPTIONS`` on 127.0.0.1 (a free port unless given) until the block
    ends, then stop it by its PID; yields its base URL."""
    binary = Path(sys.executable).parent / "oxigraph"
    assert binary.exists(), "the oxigraph server binary is missing: pip install -e '.[test]'"
    port = port or free_port()
    log = (location.parent / f"{location.name}.log").open("w+b")
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"oxigraph serve exited: {log.seek(0) or log.read().decode()}"
            try:
                with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "oxigraph serve did not answer within 30 s"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def sparql(server: str, query: str) -> list[dict]:
    """Run a query on the server's SPARQL endpoint over HTTP; rows of plain values."""
    prologue = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in store.PREFIXES.items())
    request = urllib.request.Request(
        f"{server}/query",
        data=(prologue + query).encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        results = json.load(response)
    return [{name: cell["value"] for name, cell in row.items()} for row in results["results"]["bindings"]]


def test_push_to_oxigraph_then_query_it(oxigraph_server: str, sample_graph: nx.MultiDiGraph, tmp_path: Path):
    path = tmp_path / "graph.ttl"
    write_rdf(sample_graph, path, format="turtle")
    for _ in range(2):  # pushing twice adds nothing: triples are a set
        result = CliRunner().invoke(main, ["push", str(path), "--endpoint", f"{oxigraph_server}/store"])
        assert result.exit_code == 0, result.output
        assert (
            result.stdout
            == f"pushed {path} ({path.stat().st_size} bytes) to {oxigraph_server}/store?default: HTTP 204\n"
        )
    with store.open() as local:
        local.load(sample_graph)
        assert sparql(oxigraph_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": str(local.count())}]
    assert sparql(oxigraph_server, PEOPLE) == [{"name": "Rex Tillerson"}, {"name": "Vladimir Putin"}]
    tillerson = f"VALUES ?subject {{ <{TILLERSON}> }}"
    expected = [{"subject": TILLERSON, "sentence": HOSTILE_SENTENCE}]
    assert sparql(oxigraph_server, EVIDENCE + tillerson) == expected
    tillerson = f"VALUES ?entity {{ <{TILLERSON}> }}"
    assert short(sparql(oxigraph_server, RELATIONS + tillerson)) == EXPECTED_RELATIONS


def test_push_to_a_named_graph_of_oxigraph(oxigraph_server: str, sample_graph: nx.MultiDiGraph, tmp_path: Path):
    path = tmp_path / "graph.nt"
    write_rdf(sample_graph, path, format="nt")
    graph = "http://example.org/graphs/run 1"  # a space: only a valid IRI once it is percent-encoded
    result = CliRunner().invoke(main, ["push", str(path), "--endpoint", f"{oxigraph_server}/store", "--graph", graph])
    assert result.exit_code == 1
    assert "not an absolute IRI" in result.stderr
    graph = "http://example.org/graphs/run-1?x=1&y=2"
    result = CliRunner().invoke(main, ["push", str(path), "--endpoint", f"{oxigraph_server}/store", "--graph", graph])
    assert result.exit_code == 0, result.output
    assert f"?graph={urllib.parse.quote(graph, safe='')}:" in result.stdout
    people = f"SELECT ?name WHERE {{ GRAPH <{graph}> {{ ?p a schema:Person ; rdfs:label ?name }} }} ORDER BY ?name"
    assert sparql(oxigraph_server, people) == [{"name": "Rex Tillerson"}, {"name": "Vladimir Putin"}]


GRAPH_EVIDENCE = """
SELECT ?subject ?sentence ?g WHERE {
    ?statement rdf:subject ?subject ; rdf:predicate kgv:said_about .
    GRAPH ?g { ?statement kgv:evidence/kgv:sentence ?sentence }
} ORDER BY ?sentence
"""


def test_a_pushed_trig_answers_over_http_as_the_store_does(
    tmp_path: Path, sample_graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
):
    path = tmp_path / "graph.trig"
    write_rdf(sample_graph, path, format="trig")
    with serve(tmp_path / "server", "--union-default-graph") as server, store.open() as local:
        result = CliRunner().invoke(main, ["push", str(path), "--endpoint", f"{server}/store", "--vocabulary"])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[1].startswith("pushed kg's vocabulary (")
        local.load(sample_graph)
        local.load_vocabulary()
        names = "SELECT ?name WHERE { ?st rdf:predicate/rdfs:label ?name } ORDER BY ?name"
        for query in (PEOPLE, EVIDENCE, GRAPH_EVIDENCE, RELATIONS, names):
            here = [{key: str(value) for key, value in row.items()} for row in local.query(query)]
            assert here == sparql(server, query), query
        assert sparql(server, GRAPH_EVIDENCE) != []  # the named graphs came through


def readme_session(section: str) -> list[tuple[str, str]]:
    """The commands of the README section's console blocks (``$ `` lines, with their continuation lines and
    here-documents) and the output printed under each."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", body, flags=re.DOTALL):
        lines = block.splitlines()
        while lines:
            command = [lines.pop(0).removeprefix("$ ")]
            if "<<'EOF'" in command[0]:
                while command[-1] != "EOF":
                    command.append(lines.pop(0))
            else:
                while not _complete(" ".join(command)):
                    command.append(lines.pop(0))
            output = []
            while lines and not lines[0].startswith("$ "):
                output.append(lines.pop(0))
            steps.append(("\n".join(command), "".join(line + "\n" for line in output)))
    return steps


def _complete(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:  # an open quote: the command goes on on the next line
        return False
    return True


def test_the_readme_store_session_prints_what_the_readme_says(tmp_path: Path):
    """Every command of README's "In a triple store", run in a shell from a folder holding data/, with the
    oxigraph server it starts run by the test on a free port of 127.0.0.1 instead."""
    assert shutil.which("curl"), "the README's HTTP example runs curl: install it (apt-get install curl)"
    (tmp_path / "data").symlink_to(Path(__file__).resolve().parents[1] / "data")
    bin_dir = str(Path(sys.executable).parent) + "/"
    steps = readme_session("In a triple store")
    assert [command.split()[0] for command, _ in steps].count(".venv/bin/oxigraph") == 1
    with contextlib.ExitStack() as stack:
        address = "localhost:7878"
        for command, expected in steps:
            if command.startswith(".venv/bin/oxigraph serve"):
                arguments = shlex.split(command.removesuffix("&"))
                location = tmp_path / arguments[arguments.index("--location") + 1]
                options = [a for a in arguments[2:] if a.startswith("--") and a not in ("--location", "--bind")]
                server = stack.enter_context(serve(location, *options))
                new_address = server.removeprefix("http://")
                continue
            if "localhost:7878" in command:
                command = command.replace(address, new_address)
                expected = expected.replace(address, new_address)
            done = subprocess.run(
                command.replace(".venv/bin/", bin_dir),
                shell=True,
                executable="/bin/bash",
                cwd=tmp_path,
                capture_output=True,
                timeout=300,
            )
            printed = (done.stdout + done.stderr).decode("utf-8").replace("\r\n", "\n")
            assert printed == expected, command


# --- kg push errors -----------------------------------------------------------------------------------------


@contextmanager
def http_server(respond: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[tuple[str, list]]:
    """A local HTTP server in a thread; ``respond(handler)`` answers each POST. Yields its URL and the requests."""
    requests: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            try:
                respond(self)
            except OSError:  # the client gave up (a timeout test)
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def answer(status: int, text: str = "", **headers: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        data = text.encode()
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    return respond


@pytest.fixture
def ttl(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> Path:
    path = tmp_path / "graph.ttl"
    write_rdf(sample_graph, path, format="turtle")
    return path


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off waits of kg.remote.push, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(remote, "_sleep", recorded.append)
    return recorded


def push(*args: str) -> object:
    return CliRunner().invoke(main, ["push", *args])


def test_push_to_a_closed_port_says_connection_refused(ttl: Path, waits: list[float]):
    result = push(str(ttl), "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--retries", "1")
    assert result.exit_code == 1
    assert "connection refused" in result.stderr and "(tried 2 times)" in result.stderr
    assert "Is the server running" in result.stderr
    assert waits == [0.5]


def test_push_to_a_failing_server_says_the_status_after_retries(ttl: Path, waits: list[float]):
    with http_server(answer(500, "disk full")) as (url, requests):
        result = push(str(ttl), "--endpoint", url, "--retries", "3")
    assert result.exit_code == 1
    assert "HTTP 500 Internal Server Error on each of 4 attempts: disk full." in result.stderr
    assert "check its log" in result.stderr
    assert len(requests) == 4
    assert waits == [0.5, 1.0, 2.0]  # exponential back-off
    assert requests[0]["path"] == "/store?default"
    assert requests[0]["headers"]["Content-Type"] == "text/turtle; charset=utf-8"
    assert requests[0]["body"] == ttl.read_bytes()


def test_push_to_a_slow_server_says_timed_out(ttl: Path, waits: list[float]):
    def slow(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(0.6)
        answer(204)(handler)

    with http_server(slow) as (url, requests):
        result = push(str(ttl), "--endpoint", url, "--timeout", "0.1", "--retries", "1")
    assert result.exit_code == 1
    assert "timed out, no answer within 0.1 s (tried 2 times)" in result.stderr
    assert "--timeout" in result.stderr
    assert len(requests) == 2


def test_push_recovers_when_a_retry_succeeds(ttl: Path, waits: list[float]):
    statuses = iter([503, 204])

    def flaky(handler: http.server.BaseHTTPRequestHandler) -> None:
        answer(next(statuses))(handler)

    with http_server(flaky) as (url, requests):
        result = push(str(ttl), "--endpoint", url)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": HTTP 204 after 2 attempts\n")


@pytest.mark.parametrize(
    ("respond", "message"),
    [
        (answer(401, "who are you?"), "HTTP 401 Unauthorized: who are you?. The endpoint needs credentials"),
        (answer(404), "HTTP 404 Not Found. Check --endpoint: Oxigraph's is http://HOST:7878/store"),
        (answer(307, Location="https://elsewhere/store"), "The endpoint redirects to https://elsewhere/store: pass"),
    ],
)
def test_push_client_errors_are_not_retried_and_say_how_to_fix(ttl: Path, waits: list[float], respond, message: str):
    with http_server(respond) as (url, requests):
        result = push(str(ttl), "--endpoint", url)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(requests) == 1 and waits == []


@pytest.mark.parametrize(
    ("options", "header"),
    [
        (["--user", "kg", "--password", "s3cret"], "Basic a2c6czNjcmV0"),
        (["--token", "t0ken"], "Bearer t0ken"),
    ],
)
def test_push_sends_credentials_and_the_format(tmp_path: Path, options: list[str], header: str):
    path = tmp_path / "graph.nq"
    path.write_text(f'<{KG}a> <{KG}p> "x" <{KG}g> .\n', encoding="utf-8")
    with http_server(answer(204)) as (url, requests):
        result = push(str(path), "--endpoint", url, *options)
    assert result.exit_code == 0, result.output
    assert requests[0]["headers"]["Authorization"] == header
    assert requests[0]["headers"]["Content-Type"] == "application/n-quads; charset=utf-8"
    assert requests[0]["path"] == "/store"  # a dataset names its own graphs


def test_push_refuses_what_it_cannot_send(tmp_path: Path):
    unknown = tmp_path / "graph.txt"
    unknown.write_text("")
    result = push(str(unknown), "--endpoint", "http://127.0.0.1:1/store")
    assert result.exit_code == 1 and "pass --format" in result.stderr
    result = push(str(unknown), "--endpoint", "localhost:7878", "--format", "turtle")
    assert result.exit_code == 1 and "not an http(s) URL" in result.stderr
    result = push(str(unknown), "--endpoint", "http://127.0.0.1:1/store", "--format", "nquads", "--graph", KG)
    assert result.exit_code == 1 and "leave out --graph" in result.stderr
    result = push(str(unknown), "--endpoint", "http://127.0.0.1:1/store", "--format", "nt", "--password", "p")
    assert result.exit_code == 1 and "pass --user too" in result.stderr


# --- a store read beside a writer -----------------------------------------------------------------------------

HOLD = """
import sys, time
from kg import remote, store
opened = store.open(sys.argv[1], read_only=sys.argv[2] == "read")
print("open", flush=True)
time.sleep(120)
"""


@contextmanager
def held(path: Path, mode: str) -> Iterator[None]:
    """Another process (a notebook, a running build) that holds the store open to "read" or "write"."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path), mode], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "open\n"
        yield
    finally:
        process.kill()
        process.wait()


def test_a_store_is_not_read_while_another_process_writes_it(tmp_path: Path, sample_graph: nx.MultiDiGraph):
    # Oxigraph's read-only mode does not follow a writer: a reader opened beside a build grew to all memory.
    path = tmp_path / "store"
    store.load_graph(path, sample_graph)
    with held(path, "write"):
        with pytest.raises(store.StoreError, match="being written by another process.*could take all memory"):
            store.open(path, read_only=True)
        result = CliRunner().invoke(main, ["query", str(path), PEOPLE])
        assert result.exit_code == 1 and "Error: The store" in result.stderr and "Traceback" not in result.output
    with store.open(path, read_only=True) as reader:  # the writer is gone: reading works again
        assert len(reader.query(PEOPLE)) == 2


def test_a_store_is_not_written_while_another_process_reads_it(tmp_path: Path, sample_graph: nx.MultiDiGraph):
    path = tmp_path / "store"
    store.load_graph(path, sample_graph)
    with held(path, "read"):
        with pytest.raises(store.StoreError, match="open in another process.*cannot be written while"):
            store.open(path)
        with store.open(path, read_only=True) as another_reader:  # readers share
            assert len(another_reader.query(PEOPLE)) == 2
    store.load_graph(path, sample_graph)


def test_a_push_that_waits_says_so_before_each_retry(ttl: Path, waits: list[float]):
    def silent(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(0.6)

    with http_server(silent) as (url, requests):
        result = push(str(ttl), "--endpoint", url, "--timeout", "0.1", "--retries", "2")
    assert result.exit_code == 1
    host = urllib.parse.urlsplit(url).netloc
    assert result.stderr.startswith(
        f"{host}: no answer within 0.1 s (attempt 1 of 3); trying again in 0.5 s\n"
        f"{host}: no answer within 0.1 s (attempt 2 of 3); trying again in 1 s\n"
    )
