"""The KnowledgeNet evaluator: passages, gold entities grouped by URI or text, properties mapped through the
vocabulary, and predictions counted only for the properties annotated in a passage."""

from __future__ import annotations

import json

from kg.evaluation import knowledgenet

PASSAGE = {
    "fold": 4,
    "documentId": "7",
    "passageStart": 0,
    "passageEnd": 60,
    "passageText": "Tim Cook is the chief executive of Apple. Cook lives in Palo Alto.",
    "annotatedProperties": ["CEO", "PLACE_OF_RESIDENCE", "DATE_OF_BIRTH"],
    "facts": [
        {"property": "CEO", "subjectStart": 35, "subjectEnd": 40, "subjectText": "Apple", "subjectUri": None,
         "objectStart": 0, "objectEnd": 8, "objectText": "Tim Cook", "objectUri": "Q1"},
        {"property": "PLACE_OF_RESIDENCE", "subjectStart": 42, "subjectEnd": 46, "subjectText": "Cook",
         "subjectUri": "Q1", "objectStart": 56, "objectEnd": 65, "objectText": "Palo Alto", "objectUri": None},
    ],
}  # fmt: skip


def _write(tmp_path, folds=(4,)):
    path = tmp_path / "kn.jsonl"
    path.write_text("\n".join(json.dumps(PASSAGE | {"fold": fold}) for fold in folds) + "\n", encoding="utf-8")
    return path


def test_mentions_of_one_uri_are_one_entity(tmp_path):
    (doc,) = knowledgenet.read_documents(_write(tmp_path), folds={4})
    assert len(doc.entities) == 3  # Apple, Tim Cook / Cook (Q1), Palo Alto
    assert doc.facts == {(0, 1, "P169"), (1, 2, "P551")}
    assert doc.annotated == {"P169", "P551"}  # the date property has no kg relation


def test_only_the_folds_asked_for_are_read(tmp_path):
    assert knowledgenet.read_documents(_write(tmp_path, folds=(1, 4)), folds={1, 2, 3})[0].meta["fold"] == 1


def test_a_kg_relation_counts_only_for_annotated_properties():
    assert knowledgenet.knowledgenet_labels("leader_of", "p", "o", frozenset({"P169"})) == [("o", "p", "CEO")]
    assert knowledgenet.knowledgenet_labels("leader_of", "p", "o", frozenset({"P551"})) == []
    assert [label[2] for label in knowledgenet.knowledgenet_labels("member_of", 0, 1, frozenset({"P108", "P102"}))] == [
        "EMPLOYEE_OR_MEMBER_OF", "POLITICAL_AFFILIATION",
    ]  # fmt: skip


def test_the_evaluator_runs_over_a_fold(tmp_path):
    scores = knowledgenet.evaluate(_write(tmp_path), fold=4)
    assert scores["passages"] == 1 and scores["relations"]["tp"] + scores["relations"]["fn"] == 2
    assert "KnowledgeNet fold 4" in knowledgenet.report(scores)
