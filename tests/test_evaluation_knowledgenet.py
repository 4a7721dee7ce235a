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


def test_a_gold_entity_only_a_pronoun_names_aligns_through_the_pronoun_kg_resolved():
    doc = knowledgenet.documents.GoldDocument("d", "", [[(0, 5, 0)], [(10, 12, 0)], [(20, 25, 0)]], [""] * 3, set())
    # "he" (10-12) stands for kg's entity "a" (its evidence marks it); a gold entity a name overlaps is not taken
    assert knowledgenet.reference_alignment([(0, 5)], [((10, 12), "a"), ((0, 2), "b")], doc) == {"a": {1}}


def test_a_fact_stated_about_he_counts_for_the_person_he_stands_for(tmp_path):
    passage = {
        "fold": 4, "documentId": "8", "passageStart": 0, "passageEnd": 90,
        "passageText": "Anna Weber is a German politician. She was born in Munich.",
        "annotatedProperties": ["PLACE_OF_BIRTH"],
        "facts": [{"property": "PLACE_OF_BIRTH", "subjectStart": 35, "subjectEnd": 38, "subjectText": "She",
                   "subjectUri": None, "objectStart": 51, "objectEnd": 57, "objectText": "Munich", "objectUri": None}],
    }  # fmt: skip
    path = tmp_path / "kn.jsonl"
    path.write_text(json.dumps(passage) + "\n", encoding="utf-8")
    scores = knowledgenet.evaluate(path, fold=4)
    assert scores["reachable_by_names"] == 0 and scores["reachable"] == 1
    assert scores["relations"]["tp"] == 1
