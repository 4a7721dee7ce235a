"""The Re-DocRED evaluator: reading DocRED JSON into character offsets, the fixed split, the mapping of Wikidata
properties through the vocabulary, the alignment of kg's entities, and a run over a tiny file."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli import main
from kg.evaluation import docred, documents

DOC = {
    "title": "Anna Weber",
    "sents": [
        ["Anna", "Weber", "is", "a", "German", "politician", "born", "in", "Munich", "."],
        ["She", "is", "married", "to", "Karl", "Weber", ",", "a", "lawyer", "in", "Berlin", "."],
    ],
    "vertexSet": [
        [{"name": "Anna Weber", "pos": [0, 2], "sent_id": 0, "type": "PER"}],
        [{"name": "German", "pos": [4, 5], "sent_id": 0, "type": "LOC"}],
        [{"name": "Munich", "pos": [8, 9], "sent_id": 0, "type": "LOC"}],
        [{"name": "Karl Weber", "pos": [4, 6], "sent_id": 1, "type": "PER"}],
        [{"name": "Berlin", "pos": [10, 11], "sent_id": 1, "type": "LOC"}],
    ],
    "labels": [
        {"h": 0, "t": 1, "r": "P27", "evidence": [0]},
        {"h": 0, "t": 2, "r": "P19", "evidence": [0]},
        {"h": 3, "t": 0, "r": "P26", "evidence": [1]},
        {"h": 4, "t": 1, "r": "P17", "evidence": [1]},
        {"h": 0, "t": 4, "r": "P1412", "evidence": [1]},  # a property no kg relation declares
    ],
}


def test_documents_get_character_offsets_of_their_mentions(tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps([DOC]), encoding="utf-8")
    (doc,) = docred.read_documents(path)
    assert [doc.text[s:e] for s, e, _ in (m[0] for m in doc.entities)] == [
        "Anna Weber", "German", "Munich", "Karl Weber", "Berlin",
    ]  # fmt: skip
    assert doc.entities[3][0][2] == 1


def test_the_split_is_fixed_by_document_index():
    measure = [i for i in range(500) if docred.in_part(i, "measure")]
    train = [i for i in range(500) if docred.in_part(i, "train")]
    assert len(measure) == 200 and len(train) == 300 and not set(measure) & set(train)


def test_properties_map_through_the_vocabulary_by_type_and_direction():
    doc = documents.GoldDocument("d", "", [[(0, 1, 0)]] * 5, ["PER", "LOC", "LOC", "PER", "LOC"], set())
    facts = {(h, t, r["r"]) for h, t, r in ((label["h"], label["t"], label) for label in DOC["labels"])}
    doc = documents.GoldDocument("d", "", doc.entities, doc.types, facts)
    assert documents.kg_facts(doc) == {
        (0, 1, "nationality"), (0, 2, "born_in"), (0, 3, "spouse"), (4, 1, "located_in"),
    }  # fmt: skip


def test_a_property_two_relations_share_goes_by_the_gold_types():
    doc = documents.GoldDocument("d", "", [[(0, 1, 0)], [(2, 3, 0)]], ["ORG", "LOC"], {(0, 1, "P17")})
    assert documents.kg_facts(doc) == {(0, 1, "based_in")}


def test_the_evaluator_scores_kg_and_the_baseline_on_a_tiny_file(tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps([DOC, DOC]), encoding="utf-8")  # documents 0 and 1, both in the measuring part
    scores = docred.evaluate(path, part="all")
    assert scores["documents"] == 2
    relations = scores["relations"]
    assert relations["tp"] + relations["fn"] == 8  # four mapped facts in each copy
    assert scores["intra"]["tp"] + scores["intra"]["fn"] == 4 and scores["cross"]["tp"] + scores["cross"]["fn"] == 4
    assert "baseline" in scores and 0.0 <= scores["reliability"]["ece"] <= 1.0


def test_cli_prints_the_table(tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps([DOC]), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "docred", str(path), "--part", "measure"])
    assert result.exit_code == 0, result.output
    assert "co-occurrence baseline" in result.output and "cross" in result.output
