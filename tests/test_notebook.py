"""kg.notebook: kg.show's inline view, kg.to_dataframes, how an extraction result draws itself, and dir(kg).
(tests/test_notebooks.py runs the notebooks themselves.)"""

from __future__ import annotations

import html
import subprocess
import sys

import networkx as nx
import pytest
from conftest import HOSTILE_ID, HOSTILE_LABEL, HOSTILE_SENTENCE, TWICE_NAMED, add_twice_named_evidence

import kg
from kg import notebook
from kg.graph import add_relation
from kg.model import Article, ArticleResult, Entity, Evidence, Mention, Relation


def test_show_puts_the_page_in_an_iframe(sample_graph: nx.MultiDiGraph):
    view = kg.show(sample_graph, title="tour")
    markup = view._repr_html_()
    assert markup.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "<script" not in markup and HOSTILE_LABEL not in markup  # the page is escaped into the attribute
    srcdoc = markup.split('srcdoc="', 1)[1].split('" style=', 1)[0]
    assert html.unescape(srcdoc) == view.html  # the page, whole
    assert f"height: {view.height}px" in markup


def test_the_view_is_tall_enough_for_the_sidebar(sample_graph: nx.MultiDiGraph):
    assert kg.show(nx.MultiDiGraph()).height == 600  # an empty graph: the least height
    assert kg.show(sample_graph).height == 340 + 23 * (4 + 7 + 2)
    for number in range(30):  # thirty more relations, one line of the sidebar each
        add_relation(sample_graph, "person:rex-tillerson", "country:russia", f"relation_{number}", "typed", [])
    lines = 4 + 7 + 30 + 2  # entity types, relations, the co-occurrence box (two lines)
    assert kg.show(sample_graph).height == 340 + 23 * lines
    assert kg.show(sample_graph, height=400).height == 400


def test_to_dataframes(sample_graph: nx.MultiDiGraph):
    entities, relations, evidence = kg.to_dataframes(sample_graph)
    assert list(entities.columns) == notebook.ENTITY_COLUMNS
    assert entities.id.tolist()[:2] == ["person:rex-tillerson", "person:vladimir-putin"]  # most mentioned first
    tillerson = entities.set_index("id").loc["person:rex-tillerson"]
    assert (tillerson.label, tillerson.mentions, tillerson.articles) == ("Rex Tillerson", 5, 2)
    assert entities.set_index("id").loc[HOSTILE_ID, "label"] == HOSTILE_LABEL
    assert list(relations.columns) == notebook.RELATION_COLUMNS
    assert len(relations) == sample_graph.number_of_edges()
    works = relations[relations.relation == "works_for"].iloc[0]
    assert (works.source_label, works.target_label, works.confidence) == ("Rex Tillerson", "ExxonMobil", 0.9)
    assert list(evidence.columns) == notebook.EVIDENCE_COLUMNS
    assert len(evidence) == sum(len(attrs["evidence"]) for _, _, attrs in sample_graph.edges(data=True))
    assert HOSTILE_SENTENCE in evidence.sentence.tolist()


def test_evidence_has_one_row_per_sentence(sample_graph: nx.MultiDiGraph):
    add_twice_named_evidence(sample_graph)  # three records of one sentence: the tour printed such a one three times
    evidence = kg.to_dataframes(sample_graph).evidence
    rows = evidence[evidence.sentence == TWICE_NAMED]
    assert len(rows) == 1
    assert (rows.iloc[0].methods, rows.iloc[0].confidence) == ("learned, speech_verb", 0.8)


def result() -> ArticleResult:
    text = "Rex Tillerson met <b>Putin</b> in Moscow."
    article = Article(id="a", text=text)
    mentions = [
        Mention("Rex Tillerson", "Person", 0, 13, 0),
        Mention("Putin", "Person", 21, 26, 0),
        Mention("Moscow", "Place", 34, 40, 0),
    ]
    entities = [
        Entity("person:rex-tillerson", "Rex Tillerson", "Person"),
        Entity("person:vladimir-putin", "Vladimir Putin", "Person"),
        Entity("place:moscow", "Moscow", "Place"),
    ]
    evidence = Evidence("a", text, 0, len(text))
    relations = [
        Relation(
            "person:rex-tillerson", "person:vladimir-putin", "co_occurs", "cooccurrence", evidence, "sentence", 0.3
        ),
        Relation("person:rex-tillerson", "person:vladimir-putin", "consult", "interaction", evidence, "verb", 0.8),
    ]
    return ArticleResult(article, entities, relations, mentions)


def test_an_extraction_result_shows_its_names_and_relations():
    markup = result()._repr_html_()
    assert markup.count("<mark") == 3  # displaCy marks each name
    assert "Person" in markup and "Place" in markup
    assert "<b>Putin</b>" not in markup and "&lt;b&gt;" in markup  # the text is text, never markup
    rows = markup.split("<table>", 1)[1].split("</tr>")
    assert "<td>Rex Tillerson</td><td>consult</td><td>Vladimir Putin</td>" in rows[1]  # stated first, with labels
    assert "co_occurs" in rows[2]
    assert "2 relations (1 stated)" in markup


def test_overlapping_mentions_are_drawn_once():
    overlapping = result()
    overlapping.mentions.append(Mention("Tillerson", "Person", 4, 13, 0))
    assert overlapping._repr_html_().count("<mark") == 3


def test_dir_lists_the_public_api():
    names = dir(kg)
    assert {"build", "extract", "show", "to_dataframes", "to_rdf", "write_html"} <= set(names)
    assert not {"Any", "TYPE_CHECKING", "annotations"} & set(names)
    fresh = subprocess.run(
        [sys.executable, "-c", "import kg; print(' '.join(dir(kg)))"], capture_output=True, text=True, check=True
    )
    assert fresh.stdout.split() == sorted(kg.__all__)  # before anything is loaded: the API, all of it


def test_to_dataframes_says_how_to_get_pandas(monkeypatch: pytest.MonkeyPatch, sample_graph: nx.MultiDiGraph):
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(kg.errors.KGError, match=r"pip install 'kg\[notebook\]'"):
        kg.to_dataframes(sample_graph)
