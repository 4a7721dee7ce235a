"""The CoNLL04 evaluator on tiny hand-made gold/prediction pairs with known scores."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.evaluation import conll04
from kg.evaluation.scores import score
from kg.model import Article, ArticleResult, Evidence, Mention, Relation


def test_score_counts_exact_matches_micro_and_per_type():
    gold = {(0, 0, 2, "Peop"), (0, 5, 6, "Loc"), (1, 0, 1, "Org")}
    predicted = {(0, 0, 2, "Peop"), (0, 5, 6, "Org"), (1, 0, 1, "Org"), (1, 3, 4, "Loc")}
    s = score(gold, predicted, type_of=lambda e: e[3])
    assert (s["tp"], s["fp"], s["fn"]) == (2, 2, 1)
    assert s["p"] == 0.5 and s["r"] == pytest.approx(0.6667, abs=1e-4) and s["f1"] == pytest.approx(0.5714, abs=1e-4)
    assert s["per_type"]["Peop"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert s["per_type"]["Loc"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}


def test_score_of_nothing_is_zero_not_an_error():
    assert score(set(), set(), type_of=lambda e: e)["f1"] == 0.0


SENTENCE = conll04.Sentence(
    tokens=["John", "Smith", ",", "chief", "of", "Acme", "Corp.", ",", "lives", "in", "Boston", "."],
    entities=[(0, 2, "Peop"), (5, 7, "Org"), (10, 11, "Loc")],
    relations=[(0, 1, "Work_For"), (0, 2, "Live_In")],
)


def _mention(text: str, kind: str) -> Mention:
    start = SENTENCE.text.index(text)
    return Mention(text, kind, start, start + len(text), 0)


def _relation(source: Mention, target: Mention, name: str) -> Relation:
    evidence = Evidence(
        "s0", SENTENCE.text, 0, len(SENTENCE.text), (source.start, source.end), (target.start, target.end)
    )
    return Relation("a", "b", name, "typed", evidence, "test", 0.9)


def test_predictions_are_aligned_to_gold_tokens_and_mapped():
    john, acme, boston = _mention("John Smith", "Person"), _mention("Acme", "Organisation"), _mention("Boston", "Place")
    result = ArticleResult(
        Article("s0", SENTENCE.text),
        [],
        [_relation(john, acme, "works_for"), _relation(john, boston, "lives_in"), _relation(john, acme, "consult")],
        [john, acme, boston],
    )
    entities, relations = conll04.predictions(SENTENCE, result)
    # "Acme" covers one of the two gold tokens "Acme Corp.": a wrong span
    assert entities == {(0, 2, "Peop"), (5, 6, "Org"), (10, 11, "Loc")}
    # interactions have no CoNLL04 type; works_for to an organisation is Work_For, lives_in is Live_In
    assert relations == {((0, 2, "Peop"), (5, 6, "Org"), "Work_For"), ((0, 2, "Peop"), (10, 11, "Loc"), "Live_In")}
    gold_entities, gold_relations = conll04.gold(SENTENCE)
    assert len(gold_entities & entities) == 2 and len(gold_relations & relations) == 1


def test_an_agency_reporting_from_a_place_is_orgbased_in_as_in_conll04():
    acme, boston = _mention("Acme Corp.", "Organisation"), _mention("Boston", "Place")
    result = ArticleResult(Article("s0", SENTENCE.text), [], [_relation(acme, boston, "reports_from")], [acme, boston])
    _, relations = conll04.predictions(SENTENCE, result)
    assert relations == {((5, 7, "Org"), (10, 11, "Loc"), "OrgBased_In")}


def test_a_nationality_word_is_other_as_in_conll04():
    mention = Mention("Russian", "Country", 0, 7, 0, role="demonym")
    sentence = conll04.Sentence(["Russian", "troops"], [(0, 1, "Other")], [])
    entities, _ = conll04.predictions(sentence, ArticleResult(Article("s", "Russian troops"), [], [], [mention]))
    assert entities == {(0, 1, "Other")}


def test_cli_scores_a_tiny_file(tmp_path):
    path = tmp_path / "tiny.json"
    tokens = ["Rex", "Tillerson", "lives", "in", "Texas", "."]
    item = {
        "tokens": tokens,
        "entities": [{"type": "Peop", "start": 0, "end": 2}, {"type": "Loc", "start": 4, "end": 5}],
        "relations": [{"type": "Live_In", "head": 0, "tail": 1}],
        "orig_id": 1,
    }
    path.write_text(json.dumps([item]), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "conll04", str(path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) >= {"entities", "relations_strict", "relations_boundaries"}
    for key in ("entities", "relations_strict", "relations_boundaries"):
        assert set(scores[key]) >= {"p", "r", "f1", "per_type"}
    assert scores["entities"]["f1"] == 1.0 and scores["relations_strict"]["f1"] == 1.0


def test_cli_says_what_is_wrong_with_a_bad_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"not": "a list"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "conll04", str(path)])
    assert result.exit_code == 1 and "SpERT" in result.output
