"""Property-based tests (hypothesis): random text, random Unicode (control characters and lone surrogates
included) and random graphs through ingest -> extraction -> graph -> RDF, JSON and HTML. Nothing crashes; what
cannot be written fails with kg's own error; every round trip that the format allows is exact.

What the formats allow: RDF cannot hold a lone surrogate (it is not a Unicode character), so every RDF format
refuses a graph with one in a text with an ``OutputError``, while node-link JSON keeps it as a ``\\ud800``
escape and the HTML page as a JavaScript escape; RDF/XML cannot hold most control characters either
(``OutputError``). ``read_articles`` refuses a record with a lone surrogate, so a graph kg builds never has one.

Examples are bounded (``max_examples``) so the file runs in well under a minute.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import expected_quads, oxigraph_quads, page_parts

from kg.errors import InputError, OutputError
from kg.graph import add_relation, read_json, to_json_data, write_json
from kg.ingest import Skipped, clean_text, read_articles
from kg.model import ENTITY_TYPES, RELATION_KINDS
from kg.pipeline import build
from kg.rdf import FORMATS, to_quads, write_rdf
from kg.viz import to_html, write_html

#: Any code point: letters, marks, control and format characters, private use, unassigned, lone surrogates.
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=40)
#: What a UTF-8 file or a JSON string from a well-behaved source can hold: any character but a surrogate.
CHAR = st.characters()
SURROGATE = re.compile("[\ud800-\udfff]")
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SUFFIXES = ["", ".txt", ".jsonl", ".json", ".csv", ".tsv", ".html"]

#: Examples per test; KG_FUZZ_EXAMPLES=2000 searches longer (about two minutes).
EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "30"))
FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz", numbered=True)


# --- ingest -----------------------------------------------------------------------------------------------


@settings(max_examples=10 * EXAMPLES, deadline=None, database=None)
@given(ANY_TEXT)
def test_clean_text_takes_any_str_and_is_idempotent(text: str):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "\n\n\n" not in cleaned and "\r" not in cleaned
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]", cleaned)
    assert all(line == line.strip() for line in cleaned.split("\n"))


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_give_articles_or_a_reason(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str):
    path = fresh(tmp_path_factory) / f"input{suffix}"
    path.write_bytes(data)
    skipped: list[Skipped] = []
    articles = list(read_articles(path, on_skip=skipped.append))
    assert articles or skipped
    assert all(item.reason and item.source.startswith(str(path)) for item in skipped)
    for article in articles:
        assert article.text and not SURROGATE.search(article.text + article.title)
        assert clean_text(article.text) == article.text


@FAST
@given(title=ANY_TEXT, body=ANY_TEXT)
def test_any_text_in_a_record_is_its_cleaned_self_or_refused_with_the_reason(
    tmp_path_factory: pytest.TempPathFactory, title: str, body: str
):
    path = fresh(tmp_path_factory) / "news.jsonl"
    path.write_text(json.dumps({"title": title, "text": body}) + "\n", encoding="ascii")  # surrogates as \u escapes
    skipped: list[Skipped] = []
    articles = list(read_articles(path, on_skip=skipped.append))

    clean_title, clean_body = " ".join(clean_text(title).split()), clean_text(body)
    if not body.strip():
        assert skipped == [Skipped(f"{path}:1", "no text in the record: looked for text, body, content, article")]
    elif SURROGATE.search(title + body):
        assert articles == []
        [item] = skipped
        assert item.source == f"{path}:1"
        assert "lone surrogate" in item.reason or item.reason.startswith("not valid UTF-8: byte 0x")
    elif not clean_body:
        assert skipped == [Skipped(f"{path}:1", "no text after cleaning")]
    else:
        [article] = articles
        assert article.title == clean_title
        assert article.text == (f"{clean_title}\n\n{clean_body}" if clean_title else clean_body)


@FAST
@given(text=ANY_TEXT)
def test_any_text_file_gives_its_article_or_one_reason(tmp_path_factory: pytest.TempPathFactory, text: str):
    path = fresh(tmp_path_factory) / "story.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # a lone surrogate becomes bytes that are not UTF-8
    skipped: list[Skipped] = []
    articles = list(read_articles(path, on_skip=skipped.append))
    assert len(articles) + len(skipped) == 1
    if SURROGATE.search(text):
        assert articles == []
        assert skipped[0].reason.startswith(("not valid UTF-8: byte 0x", "binary file"))
    for article in articles:
        assert clean_text(article.text) == article.text and article.text.endswith(article.text.split("\n\n")[-1])


# --- ingest -> extraction -> graph -> RDF, JSON, HTML -----------------------------------------------------

WORDS = [
    "Rex Tillerson", "Vladimir Putin", "Moscow", "Russia", "the United Nations", "U.S.", "President", "met", "said",
    "backed", "in", "of", ".", ",", '"', "\n", "\n\n", '"> ; kgv:x "y', "} DROP ALL {", "</script>", "<b>", "\\",
]  # fmt: skip
SENTENCES = st.lists(st.one_of(st.sampled_from(WORDS), st.text(CHAR, max_size=8)), max_size=30).map(" ".join)


def assert_outputs_round_trip(G: nx.MultiDiGraph, folder: Path, formats: list[str]) -> None:
    for format in formats:
        path = folder / f"graph{FORMATS[format]}"
        write_rdf(G, path, format=format)
        assert oxigraph_quads(path, format) == expected_quads(G, format), format
    write_json(G, folder / "graph.json")
    assert to_json_data(read_json(folder / "graph.json")) == to_json_data(G)
    body, _ = page_parts(to_html(G))
    assert body.count("<script") == 1
    write_html(G, folder / "graph.html")


@FAST
@given(title=SENTENCES, body=SENTENCES)
def test_random_news_goes_through_extraction_to_every_output(
    tmp_path_factory: pytest.TempPathFactory, title: str, body: str
):
    folder = fresh(tmp_path_factory)
    path = folder / "news.jsonl"
    path.write_text(json.dumps({"title": title, "text": body}) + "\n", encoding="utf-8")
    [article] = list(read_articles(path, on_skip=lambda item: None)) or [None]
    if article is None:  # a build of nothing is refused, never an empty graph over earlier outputs
        with pytest.raises(InputError, match="No article in"):
            build(path, on_skip=lambda item: None)
        return
    G = build(path, on_skip=lambda item: None)
    for _, _, attrs in G.edges(data=True):
        for item in attrs["evidence"]:
            assert article.text[item["start"] : item["end"]].strip() == item["sentence"]
    assert_outputs_round_trip(G, folder, ["turtle", "nt", "nquads"])


@st.composite
def graphs(draw: st.DrawFn, text: st.SearchStrategy[str] = ANY_TEXT) -> nx.MultiDiGraph:
    """Small graphs in kg's schema whose ids, names, sentences and metadata are any text."""
    maybe = st.none() | text
    G = nx.MultiDiGraph()
    articles = draw(st.lists(text, min_size=1, max_size=3, unique=True))
    G.graph["articles"] = {
        article: {
            "title": draw(text),
            "url": draw(maybe | st.sampled_from(["https://example.com/a?b=c&d", "http://[x", "https://a/%zz"])),
            "date": draw(maybe | st.just("2017-04-12")),
            "source": draw(maybe),
            "source_id": draw(maybe),
        }
        for article in articles
    }
    nodes = draw(st.lists(text, min_size=1, max_size=4, unique=True))
    for node in nodes:
        G.add_node(
            node,
            label=draw(text),
            type=draw(st.sampled_from([*ENTITY_TYPES, "Other"])),
            aliases=sorted(draw(st.sets(text, max_size=3))),
            titles=sorted(draw(st.sets(text, max_size=2))),
            mentions=draw(st.integers(0, 10**6)),
            articles=draw(st.lists(st.sampled_from(articles), max_size=2, unique=True)),
            **({"country_code": draw(text)} if draw(st.booleans()) else {}),
        )
    for _ in range(draw(st.integers(0, 3))):
        evidence = []
        for _ in range(draw(st.integers(1, 2))):
            start = draw(st.integers(0, 10**5))
            item = {
                "article": draw(st.sampled_from(articles)),
                "sentence": draw(text),
                "start": start,
                "end": start + draw(st.integers(0, 500)),
                "method": draw(text),
                "confidence": draw(st.floats(0, 1)),
            }
            for key in ("trigger", "quote"):
                if draw(st.booleans()):
                    item[key] = draw(text)
            if draw(st.booleans()):
                item["source_span"], item["target_span"] = [start, start + 1], [start + 2, start + 3]
            evidence.append(item)
        relation = draw(st.sampled_from(["works_for", "co_occurs"]) | text)
        source, target = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        add_relation(G, source, target, relation, draw(st.sampled_from(RELATION_KINDS)), evidence)
    return G


@FAST
@given(G=graphs())
def test_random_graphs_round_trip_or_fail_with_the_reason(tmp_path_factory: pytest.TempPathFactory, G):
    folder = fresh(tmp_path_factory)
    try:
        quads = to_quads(G)
    except OutputError as error:  # a lone surrogate in a text: no RDF format can hold it
        assert "lone surrogate" in str(error)
        for format in FORMATS:
            with pytest.raises(OutputError, match="lone surrogate|RDF/XML cannot hold"):
                write_rdf(G, folder / "graph", format=format)
        formats = []
    else:
        literals = [q.object.value for q in quads if isinstance(q.object, pyoxigraph.Literal)]
        formats = sorted(FORMATS)
        if any(NOT_IN_XML.search(text) for text in literals):
            with pytest.raises(OutputError, match="RDF/XML cannot hold the character"):
                write_rdf(G, folder / "graph.rdf", format="xml")
            formats.remove("xml")
    assert_outputs_round_trip(G, folder, formats)  # and JSON and HTML whatever the texts
