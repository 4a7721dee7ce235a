"""Shared fixtures: a small hand-made graph in the schema of ``kg.graph`` (see its module docstring), a large one,
and a measure of memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import networkx as nx
import pytest

from kg.graph import add_relation

A1 = "tillerson-meets-putin-1a2b3c4d"
A2 = "exxon-backs-tillerson-5e6f7a8b"

#: A label that is HTML if anything renders it as such.
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "organisation:img-src-x-onerror-alert-1"
#: An evidence sentence that ends a <script> element if pasted raw, with quotes, backslashes and a newline.
HOSTILE_SENTENCE = "Tillerson said \"Russia must choose\" </script> at C:\\news\\ and 'left'\nearly."


def _evidence(article: str, sentence: str, start: int, method: str, confidence: float, **extra: str) -> dict:
    record = {
        "article": article,
        "sentence": sentence,
        "start": start,
        "end": start + len(sentence),
        "method": method,
        "confidence": confidence,
    }
    record.update(extra)
    return record


def _add_edge(G: nx.MultiDiGraph, source: str, target: str, relation: str, kind: str, evidence: list[dict]) -> None:
    add_relation(G, source, target, relation, kind, evidence)


@pytest.fixture
def sample_graph() -> nx.MultiDiGraph:
    """A fresh copy of :func:`make_sample_graph` for each test (tests may change it)."""
    return make_sample_graph()


def make_sample_graph() -> nx.MultiDiGraph:
    """Six entities of the four types; typed, interaction, attribution and co-occurrence edges."""
    G = nx.MultiDiGraph()
    G.graph["articles"] = {
        A1: {
            "title": "Tillerson meets Putin in Moscow",
            "url": "https://example.com/news/1",
            "date": "2017-04-12",
            "source": "news/1.txt",
        },
        A2: {
            "title": 'Exxon, a "backer" of <b>Tillerson</b>',
            "url": "https://example.com/news/2?id=2&lang=en",
            "date": "April 13, 2017",
            "source": "news/2.txt",
        },
    }
    G.add_node(
        "country:russia",
        label="Russia",
        type="Country",
        aliases=["Russian Federation"],
        titles=[],
        mentions=3,
        articles=[A1],
        country_code="RU",
    )
    G.add_node(
        "organisation:exxonmobil",
        label="ExxonMobil",
        type="Organisation",
        aliases=["Exxon"],
        titles=[],
        mentions=2,
        articles=[A2],
    )
    G.add_node(
        HOSTILE_ID,
        label=HOSTILE_LABEL,
        type="Organisation",
        aliases=['"onerror" \\ Corp'],
        titles=[],
        mentions=1,
        articles=[A2],
    )
    G.add_node(
        "person:rex-tillerson",
        label="Rex Tillerson",
        type="Person",
        aliases=["Tillerson"],
        titles=["U.S. Secretary of State"],
        mentions=5,
        articles=[A1, A2],
    )
    G.add_node(
        "person:vladimir-putin",
        label="Vladimir Putin",
        type="Person",
        aliases=["Putin"],
        titles=["President"],
        mentions=4,
        articles=[A1],
    )
    G.add_node("place:moscow", label="Moscow", type="Place", aliases=[], titles=[], mentions=2, articles=[A1])

    meets = "Rex Tillerson met President Vladimir Putin in Moscow."
    _add_edge(
        G,
        "organisation:exxonmobil",
        "person:rex-tillerson",
        "support",
        "interaction",
        [
            _evidence(
                A2,
                "ExxonMobil, a backer of Rex Tillerson, said nothing.",
                0,
                "noun_event",
                0.7,
                trigger="backer",
            ),
        ],
    )
    _add_edge(
        G,
        HOSTILE_ID,
        "place:moscow",
        "based_in",
        "typed",
        [
            _evidence(A2, f"{HOSTILE_LABEL} is based in Moscow.", 60, "prep_in", 0.7),
        ],
    )
    _add_edge(
        G,
        "person:rex-tillerson",
        "country:russia",
        "said_about",
        "attribution",
        [
            _evidence(A1, HOSTILE_SENTENCE, 120, "speech_verb", 0.8, trigger="said", quote="Russia must choose"),
        ],
    )
    _add_edge(
        G,
        "person:rex-tillerson",
        "organisation:exxonmobil",
        "works_for",
        "typed",
        [
            _evidence(
                A2,
                "Rex Tillerson, the former chief of ExxonMobil, spoke.",
                200,
                "appos_title",
                0.9,
                trigger="chief",
            ),
        ],
    )
    _add_edge(
        G,
        "person:rex-tillerson",
        "person:vladimir-putin",
        "co_occurs",
        "cooccurrence",
        [
            _evidence(A1, meets, 0, "sentence_cooccurrence", 0.3),
            _evidence(A2, "Tillerson has known Putin for years.", 300, "sentence_cooccurrence", 0.3),
        ],
    )
    _add_edge(
        G,
        "person:vladimir-putin",
        "country:russia",
        "leader_of",
        "typed",
        [
            _evidence(A1, meets, 0, "title_of_country", 0.85, trigger="President"),
        ],
    )
    _add_edge(
        G,
        "place:moscow",
        "country:russia",
        "located_in",
        "typed",
        [
            _evidence(A1, "Moscow, the capital of Russia, was cold.", 400, "appos_capital", 0.9),
        ],
    )
    return G


#: A sentence that names Russia twice: an edge keeps one evidence record per pair of names, so two records of it.
TWICE_NAMED = "Putin said Russia, and only Russia, decides."


def add_twice_named_evidence(G: nx.MultiDiGraph) -> None:
    """Add Putin said_about Russia from :data:`TWICE_NAMED`: three records of one sentence (Russia's two
    occurrences by one rule, and the first again by the learned classifier), as repeated sentences come about."""
    records = [
        _evidence(A1, TWICE_NAMED, 500, method, confidence, target_span=list(span))
        for span, method, confidence in (
            ((511, 517), "speech_verb", 0.8),
            ((528, 534), "speech_verb", 0.8),
            ((511, 517), "learned", 0.5),
        )
    ]
    add_relation(G, "person:vladimir-putin", "country:russia", "said_about", "attribution", records)


def make_dense_graph(edges: int, evidence_per_edge: int) -> nx.MultiDiGraph:
    """A graph with much evidence: ``edges`` relations between people and 50 countries (every other one a
    co-occurrence), each with ``evidence_per_edge`` sentences spread over 10 articles."""
    G = nx.MultiDiGraph()
    articles = [f"story-{number}" for number in range(10)]
    G.graph["articles"] = {article: {"title": f"Story {article}"} for article in articles}
    for number in range(edges):
        source, target = f"person:p{number}", f"country:c{number % 50}"
        for node, kind in ((source, "Person"), (target, "Country")):
            G.add_node(node, label=node, type=kind, aliases=[], titles=[], mentions=1, articles=articles[:1])
        relation, kind = ("consult", "interaction") if number % 2 else ("co_occurs", "cooccurrence")
        if kind == "cooccurrence":
            source, target = target, source  # co-occurrences are stored with source < target
        evidence = [
            _evidence(articles[k % 10], f"Sentence {k} of edge {number}.", 100 * k, "verb", 0.5, trigger="met")
            for k in range(evidence_per_edge)
        ]
        add_relation(G, source, target, relation, kind, evidence)
    return G


def peak_memory(step: Callable[[], object]) -> int:
    """The peak of the memory Python allocated while ``step`` ran, in bytes (tracemalloc)."""
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="session")
def dev_scores() -> dict:
    """kg's scores on CoNLL04 dev (../shared/data/conll04/conll04_dev.json) with the shipped models."""
    from pathlib import Path

    from kg.evaluation import conll04

    dev = Path(__file__).resolve().parents[2] / "shared" / "data" / "conll04" / "conll04_dev.json"
    assert dev.is_file(), f"CoNLL04 dev split missing: expected {dev} (shared/ beside the repository)"
    return conll04.evaluate(dev)
