"""Broken and hostile input (issue 7): every bad input is reported once with its file and reason while the good
articles of the same run are used, and the exit status says so; very long articles are processed in bounded
memory; names and sentences made of RDF, SPARQL and HTML syntax break none of the outputs, nor the store's
queries; a failing push leaves the local outputs whole.

The bad-input cases run through the library (``read_articles``) and through ``kg build`` (click's CliRunner), with
the real model on a one-sentence good article. The 50 MB case runs ``kg build`` in a child process, with a small
pipeline saved to tmp_path (tokenizer, sentencizer and entity ruler), so that its peak memory can be measured.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner
from conftest import A1, _evidence, make_sample_graph

from kg import store
from kg.cli import EXIT_SKIPPED, main
from kg.graph import add_relation, read_json
from kg.ingest import MAX_ARTICLE_CHARS, Skipped, read_articles
from kg.model import Article
from kg.nlp import CHUNK_CHARS, load, parse
from kg.pipeline import OUTPUT_FILES, build, extract_results
from kg.rdf import DATASET_FORMATS, FORMATS, entity_iri, to_quads, write_rdf
from kg.viz import to_html

GOOD = "U.S. Secretary of State Rex Tillerson met Russian Foreign Minister Sergey Lavrov in Moscow on Wednesday."
GOOD_TITLE = "Tillerson in Moscow"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def good_article(folder: Path) -> Path:
    path = folder / "good.txt"
    path.write_text(f"{GOOD_TITLE}\n{GOOD}\n", encoding="utf-8")
    return path


def skip_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped ")]


# --- bad input: one case each, through the library and through kg build -----------------------------------

PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 512 /Filter /FlateDecode >>\nstream\n"
    + bytes(range(1, 256)) * 2
    + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def _write(name: str, data: bytes) -> Callable[[Path], tuple[Path, str]]:
    def make(folder: Path) -> tuple[Path, str]:
        path = folder / name
        path.write_bytes(data)
        return path, str(path)

    return make


def _in_folder(name: str, make_entry: Callable[[Path], None]) -> Callable[[Path], tuple[Path, str]]:
    """The case passes a folder that holds the bad entry; the entry is what is reported."""

    def make(folder: Path) -> tuple[Path, str]:
        inner = folder / "news"
        inner.mkdir()
        make_entry(inner / name)
        return inner, str(inner / name)

    return make


def _named(make_entry: Callable[[Path], str | None], name: str = "bad.txt") -> Callable[[Path], tuple[Path, str]]:
    def make(folder: Path) -> tuple[Path, str]:
        path = folder / name
        path = Path(make_entry(path) or path)
        return path, str(path)

    return make


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))  # the file stays after the socket is closed


def _through_a_file(path: Path) -> str:
    path.write_text(GOOD)
    return str(path / "a.txt")


def _loop(path: Path) -> None:
    os.symlink(path.name + "-2", path)
    os.symlink(path.name, str(path) + "-2")


CSV_WITHOUT_TEXT = b"headline,author\nTillerson in Moscow,Someone\n"
HTML_WITHOUT_ARTICLE = (
    b"<html><head><title>News app</title><script src='/app.js'></script></head>"
    b"<body><div id='root'></div><noscript></noscript></body></html>"
)
# Written as UTF-8 (it has a valid "\xc3\xa9"), with one byte that is not.
INVALID_UTF8 = "Café owner says\nThe café in Zürich stays open".encode() + b"\xff" + b" until March."

# Unreadable paths, as root too: permission bits do not stop root, so each case is one that the kernel refuses
# to anyone (a dangling or looping link, a socket, a name too long, a read error) or that would block the run
# (a named pipe met in a folder).
BAD_INPUTS = {
    "empty file": (_write("empty.txt", b""), "empty file"),
    "blank file": (_write("blank.txt", b" \n\t\n\xc2\xa0\n"), "no text after cleaning"),
    "PDF named on the command line": (_write("report.pdf", PDF), "binary file (PDF document)"),
    "PNG named on the command line": (_write("photo.png", PNG), "binary file (PNG image)"),
    "PDF saved as .txt in a folder": (
        _in_folder("scan.txt", lambda path: path.write_bytes(PDF)),
        "binary file (PDF document)",
    ),
    "binary bytes without a signature": (_write("blob.txt", bytes(range(1, 256)) * 8), "binary file"),
    "invalid UTF-8": (
        _write("zurich.txt", INVALID_UTF8),
        "not valid UTF-8: byte 0xFF after 'The café in Zürich stays open'; save the file as UTF-8 and run again",
    ),
    "CSV without a text column": (
        _write("news.csv", CSV_WITHOUT_TEXT),
        "no text column (looked for text, body, content, article; the columns are headline, author)",
    ),
    "HTML without an article": (_write("app.html", HTML_WITHOUT_ARTICLE), "no article text found in the HTML page"),
    "missing path": (_named(lambda path: None, "missing.txt"), "no such file or directory"),
    "broken symbolic link": (
        _named(lambda path: os.symlink("nowhere.txt", path)),
        "broken symbolic link (to 'nowhere.txt', which does not exist)",
    ),
    "symbolic link loop": (_named(_loop), "too many levels of symbolic links"),
    "socket": (_named(_socket, "feed.sock"), "a socket, not a file"),
    "named pipe in a folder": (
        _in_folder("pipe.txt", lambda path: os.mkfifo(path)),
        "a named pipe, not a file (name it on the command line to read from it)",
    ),
    "file name too long": (_named(lambda path: None, "n" * 300 + ".txt"), "file name too long"),
    "path through a file": (_named(_through_a_file), "not a directory"),
    "read error (/proc/self/mem)": (lambda folder: (Path("/proc/self/mem"), "/proc/self/mem"), "input/output error"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_reported_once_and_the_good_article_is_still_used(tmp_path: Path, runner: CliRunner, case: str):
    make, reason = BAD_INPUTS[case]
    source, reported = make(tmp_path)
    good = good_article(tmp_path)

    skipped: list[Skipped] = []
    articles = list(read_articles([source, good], on_skip=skipped.append))
    assert skipped == [Skipped(reported, reason)]
    assert [article.title for article in articles] == [GOOD_TITLE]

    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(source), str(good), "--out", str(out), "-q"])
    assert result.exit_code == EXIT_SKIPPED == 3, result.output
    assert skip_lines(result.stderr) == [f"skipped {reported}: {reason}"]
    assert result.stderr.endswith("1 input(s) skipped; see the messages above.\n")
    assert result.stdout.startswith("1 articles, ")
    G = read_json(out / "graph.json")
    assert [record["title"] for record in G.graph["articles"].values()] == [GOOD_TITLE]
    assert "person:rex-tillerson" in G
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUT_FILES)


def test_every_bad_input_in_one_run_is_reported_once(tmp_path: Path, runner: CliRunner):
    sources, expected = [], []
    for number, (make, reason) in enumerate(BAD_INPUTS.values()):
        folder = tmp_path / str(number)
        folder.mkdir()
        source, reported = make(folder)
        sources.append(str(source))
        expected.append(f"skipped {reported}: {reason}")
    good = good_article(tmp_path)
    result = runner.invoke(main, ["build", *sources, str(good), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert skip_lines(result.stderr) == expected
    assert result.stderr.endswith(f"{len(BAD_INPUTS)} input(s) skipped; see the messages above.\n")
    assert result.stdout.startswith("1 articles, ")


def test_a_run_without_problems_exits_0_and_a_duplicate_is_not_a_problem(tmp_path: Path, runner: CliRunner):
    good = good_article(tmp_path)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(good.read_bytes())
    result = runner.invoke(main, ["build", str(good), str(copy), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    [line] = skip_lines(result.stderr)
    assert line.startswith(f"skipped {copy}: duplicate of article tillerson-in-moscow-")


def test_jsonl_broken_lines_are_each_reported_and_the_good_lines_used(tmp_path: Path, runner: CliRunner):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"title": "Café in Zürich", "text": "The café in Zürich stays open."}, ensure_ascii=False).encode(),
        b'{"title": "Broken", "text": "no closing brace"',
        b"[1, 2]",
        json.dumps({"id": "r4", "title": "Headline only"}).encode(),
        b"[" * 100_000,
        b'{"text": ' + b"1" * 5000 + b"}",
        b'{"title": "Bad byte", "text": "bad \xff byte"}',
        b'{"title": "Half a pair", "text": "lone \\ud83d half"}',
        b"",
        json.dumps({"title": GOOD_TITLE, "text": GOOD}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected = [
        Skipped(f"{path}:2", "invalid JSON on line 2: Expecting ',' delimiter (column 47)"),
        Skipped(f"{path}:3", "not a JSON object: [1, 2]"),
        Skipped(f"{path}:4", "no text in the record (id r4): looked for text, body, content, article"),
        Skipped(f"{path}:5", "invalid JSON on line 5: nested too deeply"),
        Skipped(
            f"{path}:6",
            "invalid JSON on line 6: exceeds the limit (4300 digits) for integer string conversion: "
            "value has 5000 digits",
        ),
        Skipped(f"{path}:7", "not valid UTF-8: byte 0xFF after 'bad '; save the file as UTF-8 and run again"),
        Skipped(
            f"{path}:8",
            "a lone surrogate U+D83D after 'lone ' (half of a UTF-16 pair, not a character); "
            "fix the \\u escape in the input",
        ),
    ]

    skipped: list[Skipped] = []
    articles = list(read_articles(path, on_skip=skipped.append))
    assert skipped == expected
    assert [(a.title, a.source) for a in articles] == [("Café in Zürich", f"{path}:1"), (GOOD_TITLE, f"{path}:10")]

    result = runner.invoke(main, ["build", str(path), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == EXIT_SKIPPED
    assert skip_lines(result.stderr) == [f"skipped {item.source}: {item.reason}" for item in expected]
    assert result.stdout.startswith("2 articles, ")


# --- very long articles -------------------------------------------------------------------------------------

NEWS = [
    "U.S. Secretary of State Rex Tillerson met Russian Foreign Minister Sergey Lavrov in Moscow on Wednesday.",
    "Russian President Vladimir Putin said Russia would respond to new sanctions.",
    "The talks in Moscow lasted more than two hours, officials said.",
    "Tillerson said Washington and Moscow had unresolved differences over Syria.",
]


def long_text(size: int) -> str:
    """News paragraphs, each with its own number (so no two parts of the text are duplicates), up to ``size``."""
    paragraphs, length, number = [], 0, 0
    while length < size:
        paragraph = f"Report {number}. " + " ".join(NEWS[(number + k) % len(NEWS)] for k in range(len(NEWS)))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
        number += 1
    return "\n\n".join(paragraphs)


def test_a_long_article_is_parsed_in_pieces_with_the_offsets_of_the_whole_text():
    text = "Long read\n\n" + long_text(3 * CHUNK_CHARS)
    article = Article(id="long", text=text, title="Long read")
    [(parsed, doc)] = parse([article])
    whole = load()(text)

    assert parsed is article
    assert doc.text == text  # so the Doc's offsets are offsets into Article.text
    assert [s.start_char for s in doc.sents] == [s.start_char for s in whole.sents]
    # The same names as in one Doc of the whole text, but for a rare one at the start of a piece (the network sees
    # a few words on either side, and a piece starts with no words before it).
    pieces = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
    at_once = {(e.start_char, e.end_char, e.label_) for e in whole.ents}
    assert len(pieces ^ at_once) <= len(at_once) // 100
    [result] = extract_results([article])
    assert len(result.relations) > 100
    for relation in result.relations:
        evidence = relation.evidence
        assert text[evidence.start : evidence.end].strip() == evidence.sentence
        for start, end in filter(None, (evidence.source_span, evidence.target_span)):
            assert text[start:end] in evidence.sentence


FILLER = [
    "The talks lasted more than two hours, officials said.",
    "Both sides agreed to meet again before the end of the year.",
    "Neither delegation took questions from reporters after the meeting.",
    "Analysts said the differences over sanctions remained wide.",
]


def sparse_news(size: int, *, every: int) -> tuple[str, int]:
    """News paragraphs up to ``size`` characters, one in ``every`` naming Rex Tillerson; and how many do."""
    paragraphs, length, named = [], 0, 0
    while length < size:
        number = len(paragraphs)
        paragraph = f"Report {number}. " + " ".join(FILLER[(number + k) % len(FILLER)] for k in range(len(FILLER)))
        if number % every == 0:
            paragraph += " Rex Tillerson flew back from Moscow."
            named += 1
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs), named


def _stub_pipeline(folder: Path) -> Path:
    """A pipeline with the components kg needs, fast enough for 50 MB: rules instead of the trained models."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", name="parser")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Rex Tillerson"}, {"label": "GPE", "pattern": "Moscow"}])
    nlp.to_disk(folder)
    return folder


# The child's own peak memory (kB), written to a file when kg build exits. VmHWM is the peak of the child's own
# address space; ru_maxrss is not: Linux carries it across fork and exec, so it would count this test process's
# memory (the loaded models) as the child's.
_MEASURED_BUILD = """
import re, sys
from kg.cli import main
try:
    main(sys.argv[2:], prog_name="kg")
finally:
    with open("/proc/self/status") as status, open(sys.argv[1], "w") as out:
        out.write(re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1))
"""


def test_a_50_mb_article_is_split_into_parts_and_built_in_bounded_memory(tmp_path: Path):
    path = tmp_path / "huge.txt"
    text, named = sparse_news(50 * 2**20, every=100)
    path.write_text(f"A very long article\n\n{text}\n", encoding="utf-8")
    size = path.stat().st_size
    assert size > 50 * 2**20
    parts = -(-(size - 1) // MAX_ARTICLE_CHARS)  # at least this many
    model = _stub_pipeline(tmp_path / "model")
    peak_file = tmp_path / "peak"

    result = subprocess.run(
        [sys.executable, "-c", _MEASURED_BUILD, str(peak_file), "build", str(path), "--out", str(tmp_path / "out"),
         "--model", str(model), "-q"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-2000:]
    n_articles = int(re.match(r"(\d+) articles, ", result.stdout).group(1))
    assert parts <= n_articles <= parts + 2
    assert "characters, split into" in result.stderr
    G = read_json(tmp_path / "out" / "graph.json")
    titles = [record["title"] for record in G.graph["articles"].values()]
    assert f"A very long article (part 1 of {n_articles})" in titles
    assert {record["source"] for record in G.graph["articles"].values()} == {
        f"{path} (part {number})" for number in range(1, n_articles + 1)
    }
    assert G.nodes["person:rex-tillerson"]["mentions"] == named
    # One Doc of the whole text would take over 5 GB; parts of 1,000,000 characters keep the peak near 0.6 GB
    # (the text itself and its cleaning take about half of that).
    peak_mb = int(peak_file.read_text()) / 1024
    assert peak_mb < 1000, f"peak memory {peak_mb:.0f} MB"


# --- injection: RDF, HTML and SPARQL syntax in names and sentences --------------------------------------------

TURTLE_BREAK = '"> ; kgv:x "y'
SPARQL_BREAK = "} DROP ALL {"
HOSTILE_TEXTS = [
    TURTLE_BREAK,
    SPARQL_BREAK,
    '""" ; <http://evil.example/> """',
    "''' \\' \\\" \\u0022 \\n",
    "line one\nline two\r\n\ttabbed",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)> & &amp; &lt;",
    "@prefix x: <http://evil.example/> . x:a x:b x:c .",
    '_:b0 <http://evil.example/p> "o" <http://evil.example/g> .',
    'INSERT DATA { <http://evil.example/s> <http://evil.example/p> "o" }',
    "#comment ?var $var {} () [] ^^xsd:string @en",
    "\u2028\u2029\u0085 \ufeff zero\u200bwidth",
]


def hostile_graph() -> nx.MultiDiGraph:
    """The sample graph, plus entities, articles and relations whose ids, names, sentences and URLs are syntax."""
    G = make_sample_graph()
    G.graph["articles"]['a"> <b'] = {
        "title": TURTLE_BREAK,
        "url": "https://example.com/a>b",  # not an IRI: written as a string
        "date": SPARQL_BREAK,
        "source": "news/<x>.txt",
    }
    ids = [f"person:{text}" for text in HOSTILE_TEXTS[:3]] + [f"{SPARQL_BREAK}:{TURTLE_BREAK}", "thing"]
    for number, node in enumerate(ids):
        text = HOSTILE_TEXTS[number]
        G.add_node(node, label=text, type="Person", aliases=HOSTILE_TEXTS, titles=[SPARQL_BREAK], mentions=number,
                   articles=['a"> <b', A1])  # fmt: skip
    for number, (source, target) in enumerate(zip(ids, ids[1:], strict=False)):
        sentences = [_evidence('a"> <b', text, 10 * k, "rule", 0.5, trigger=text, quote=text)
                     for k, text in enumerate(HOSTILE_TEXTS)]  # fmt: skip
        add_relation(G, source, target, HOSTILE_TEXTS[number], "interaction", sentences)
    add_relation(G, ids[0], ids[-1], "co_occurs", "cooccurrence", [_evidence(A1, SPARQL_BREAK, 0, "rule", 0.3)])
    return G


def oxigraph_quads(path: Path, format: str) -> set:
    """The file read back by Oxigraph, as (subject, predicate, object, graph or None) tuples."""
    names = {"longturtle": "TURTLE", "n3": "N3", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
             "turtle": "TURTLE", "xml": "RDF_XML", "json-ld": "JSON_LD"}  # fmt: skip
    quads = pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, names[format]))
    return {(q.subject, q.predicate, q.object, _graph(q)) for q in quads}


def expected_quads(G: nx.MultiDiGraph, format: str) -> set:
    keep = format in DATASET_FORMATS
    return {(q.subject, q.predicate, q.object, _graph(q) if keep else None) for q in to_quads(G)}


def _graph(quad: pyoxigraph.Quad) -> pyoxigraph.NamedNode | None:
    return None if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name


def assert_rdf_round_trips(G: nx.MultiDiGraph, folder: Path, formats: list[str] | None = None) -> None:
    for format in formats or sorted(FORMATS):
        path = folder / f"graph{FORMATS[format]}"
        write_rdf(G, path, format=format)
        assert oxigraph_quads(path, format) == expected_quads(G, format), format


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_hostile_names_and_sentences_round_trip_in_every_rdf_format(tmp_path: Path, format: str):
    G = hostile_graph()
    assert_rdf_round_trips(G, tmp_path, [format])
    labels = {str(q.object.value) for q in to_quads(G) if q.predicate.value.endswith("#label")}
    assert set(HOSTILE_TEXTS[:5]) <= labels
    for q in to_quads(G):  # every IRI is one that Oxigraph takes, and none is the attacker's
        for term in (q.subject, q.predicate, q.object):
            if isinstance(term, pyoxigraph.NamedNode):
                assert term.value.isascii() and not term.value.startswith("http://evil.example")


def page_parts(page: str) -> tuple[str, list]:
    """The page without its inlined vis-network script, and the nodes of its data script."""
    own = page.split("</head>", 1)[1]
    nodes = json.loads(re.search(r"var nodes = new vis\.DataSet\((.*?)\);\n", own).group(1))
    return own, nodes


def test_hostile_texts_stay_text_in_the_html_page():
    G = hostile_graph()
    page = to_html(G)
    empty = to_html(nx.MultiDiGraph())
    body, nodes = page_parts(page)

    assert page.count("<script") == empty.count("<script")  # the vis-network library's and the page's own
    assert page.count("</script") == empty.count("</script")
    assert body.count("<script") == body.count("</script") == 1  # the data and behaviour script
    for raw in ("<img", "<script>alert", "</script><script>", "\u2028", "\u2029"):
        assert raw not in body
    assert {node["label"] for node in nodes} >= set(HOSTILE_TEXTS[:3])  # the data is intact once parsed
    assert 'value="&quot;&gt; ; kgv:x &quot;y"' in body  # a relation's checkbox, as escaped text


def test_a_hostile_value_bound_in_a_query_neither_errs_nor_matches_wrongly():
    G = hostile_graph()
    query = "SELECT ?entity ?label WHERE { ?entity rdfs:label ?label }"
    with store.open() as opened:
        opened.load(G)
        before = opened.count()
        for text in HOSTILE_TEXTS[:3]:
            rows = opened.query(query, bindings={"label": text})
            assert [row["label"] for row in rows] == [text]
        node = f"{SPARQL_BREAK}:{TURTLE_BREAK}"
        [row] = opened.query(query, bindings={"entity": pyoxigraph.NamedNode(str(entity_iri(node)))})
        assert row["label"] == HOSTILE_TEXTS[3]
        for text in ['" } ; DROP ALL ; INSERT DATA { <a> <b> "c" } #', "?entity", "*", "\\", 'Rex Tillerson" || "']:
            assert opened.query(query, bindings={"label": text}) == []
        assert opened.query("SELECT * WHERE { ?s ?p ?o }", bindings={"o": SPARQL_BREAK})  # literal, not syntax
        assert opened.count() == before


HOSTILE_ARTICLE = f"""Putin {TURTLE_BREAK} meets Tillerson

U.S. Secretary of State Rex Tillerson met Russian President Vladimir Putin in Moscow, saying "{SPARQL_BREAK} \
<script>alert(1)</script>" was "not a policy" \\ at all.
Putin said Russia would respond to NATO @prefix x: <http://evil.example/> . x:a x:b x:c .
"""


def test_a_hostile_article_goes_through_the_real_extraction_to_every_output(tmp_path: Path, runner: CliRunner):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    G = build(path)
    assert {"person:rex-tillerson", "person:vladimir-putin", "country:russia"} <= set(G)
    sentences = {item["sentence"] for _, _, attrs in G.edges(data=True) for item in attrs["evidence"]}
    assert any(SPARQL_BREAK in sentence and "<script>" in sentence for sentence in sentences)
    assert [record["title"] for record in G.graph["articles"].values()] == [f"Putin {TURTLE_BREAK} meets Tillerson"]

    assert_rdf_round_trips(G, tmp_path)
    body, _ = page_parts(to_html(G))
    assert "<script>alert" not in body
    with store.open() as opened:
        opened.load(G)
        [sentence] = [s for s in sentences if SPARQL_BREAK in s]
        rows = opened.query("SELECT ?ev ?s WHERE { ?ev kgv:sentence ?s }", bindings={"s": sentence})
        assert rows and all(row["s"] == sentence for row in rows)

    result = runner.invoke(main, ["build", str(path), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert oxigraph_quads(tmp_path / "out" / "graph.ttl", "turtle") == expected_quads(G, "turtle")


# --- remote endpoint errors ---------------------------------------------------------------------------------


def test_a_failing_push_says_why_and_leaves_the_outputs_whole(tmp_path: Path, runner: CliRunner):
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", str(good_article(tmp_path)), "--out", str(out), "-q"])
    assert built.exit_code == 0, built.output
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    endpoint = "http://127.0.0.1:1/store"
    pushed = runner.invoke(main, ["push", str(out / "graph.ttl"), "--endpoint", endpoint, "--retries", "0"])

    assert pushed.exit_code == 1
    assert pushed.stdout == ""
    assert pushed.stderr == (
        f"Error: Cannot push {out / 'graph.ttl'} to {endpoint}?default: connection refused by 127.0.0.1:1 "
        "(tried 1 time). Is the server running and listening there? Start it (e.g. oxigraph serve --location DIR) "
        "or fix --endpoint.\n"
    )
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert sorted(before) == sorted(OUTPUT_FILES)
