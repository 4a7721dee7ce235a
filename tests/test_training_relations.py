"""Training the document-level relation model: a smoke run on a tiny copy of the three data sets, the labels of
the examples, and the record the shipped model keeps of the data it was made from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kg.models import SHIPPED, load
from kg.models.relations import DocumentRelationModel
from kg.training import relations as training

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

DOCRED = {
    "title": "Anna Weber",
    "sents": [
        ["Anna", "Weber", "is", "a", "German", "politician", "born", "in", "Munich", "."],
        ["She", "is", "married", "to", "Karl", "Weber", ",", "a", "lawyer", "."],
    ],
    "vertexSet": [
        [{"name": "Anna Weber", "pos": [0, 2], "sent_id": 0, "type": "PER"}],
        [{"name": "German", "pos": [4, 5], "sent_id": 0, "type": "LOC"}],
        [{"name": "Munich", "pos": [8, 9], "sent_id": 0, "type": "LOC"}],
        [{"name": "Karl Weber", "pos": [4, 6], "sent_id": 1, "type": "PER"}],
    ],
    "labels": [{"h": 0, "t": 2, "r": "P19", "evidence": [0]}, {"h": 3, "t": 0, "r": "P26", "evidence": [1]}],
}
PASSAGE = {
    "documentId": "7",
    "passageText": "Tim Cook is the chief executive of Apple.",
    "annotatedProperties": ["CEO"],
    "facts": [
        {"property": "CEO", "subjectStart": 35, "subjectEnd": 40, "subjectText": "Apple", "subjectUri": None,
         "objectStart": 0, "objectEnd": 8, "objectText": "Tim Cook", "objectUri": None},
    ],
}  # fmt: skip
SENTENCE = {
    "tokens": "John Smith , a reporter for Reuters , lives in London .".split(),
    "entities": [{"start": 0, "end": 2, "type": "Peop"}, {"start": 6, "end": 7, "type": "Org"},
                 {"start": 10, "end": 11, "type": "Loc"}],
    "relations": [{"head": 0, "tail": 1, "type": "Work_For"}, {"head": 0, "tail": 2, "type": "Live_In"}],
}  # fmt: skip


def _tiny_data(folder: Path) -> Path:
    (folder / "redocred").mkdir(parents=True)
    (folder / "knowledgenet").mkdir()
    (folder / "conll04").mkdir()
    (folder / "redocred" / "dev_revised.json").write_text(json.dumps([DOCRED] * 20), encoding="utf-8")
    passages = [PASSAGE | {"fold": 1 + i % 3, "documentId": str(i)} for i in range(12)]
    (folder / "knowledgenet" / "knowledgenet_train_folds1-4.jsonl").write_text(
        "".join(json.dumps(p) + "\n" for p in passages), encoding="utf-8"
    )
    (folder / "conll04" / "conll04_train.json").write_text(json.dumps([SENTENCE] * 10), encoding="utf-8")
    return folder


def test_sources_take_only_the_training_parts(tmp_path):
    items = list(training.sources(_tiny_data(tmp_path)))
    kinds = [item.document.id.split("-")[0] for item in items]
    assert kinds.count("docred") == 12  # documents i % 5 >= 2 of 20
    assert kinds.count("knowledgenet") == 12 and kinds.count("conll04") == 10
    passage = next(item for item in items if item.document.id.startswith("knowledgenet"))
    assert passage.annotated == {"leader_of"} and passage.facts == {(1, 0, "leader_of")}


def test_examples_are_labelled_only_for_annotated_relations(tmp_path):
    items = [item for item in training.sources(_tiny_data(tmp_path)) if item.document.id.startswith("knowledgenet")]
    rows = list(training.examples(items[:1]))
    labelled = {name for _, labels, _ in rows for name in labels}
    assert labelled == {"leader_of"}
    assert any(labels == {"leader_of": 1} for _, labels, _ in rows)


def test_training_writes_a_calibrated_model_that_loads(tmp_path):
    out = tmp_path / "model"
    meta = training.train(_tiny_data(tmp_path / "data"), out=out)
    model = DocumentRelationModel.from_disk(out)
    assert "born_in" in model.relations and meta["examples"] > 0
    assert model.meta["trained_on"]["knowledgenet/knowledgenet_train_folds1-4.jsonl"]["part"] == "folds 1-3"
    for calibration in model.calibration.values():
        assert calibration.probabilities == sorted(calibration.probabilities)  # isotonic: never decreasing
    assert not any(name.startswith(training.CORPUS) for name in model.weights)


def test_the_shipped_model_records_the_shared_data_it_was_trained_on():
    model = load("relations")
    assert (SHIPPED / "relations" / "weights.json").stat().st_size < 40_000_000
    for name, record in model.meta["trained_on"].items():
        path = SHARED / name
        assert path.is_file(), f"shared data missing: expected {path} (shared/ beside the repo)"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"], name
    assert 0.0 < model.meta["display_threshold"] < 1.0 and model.floor <= model.meta["display_threshold"]


@pytest.mark.parametrize(
    ("features", "relation"),
    [
        # the feature names kg.extraction.mention_pairs.pair_features writes for "A married B" / "A was born in B"
        (["types=Person>Person", "m:btw=marry", "m:btw_t=marry|Person>Person", "m:path_word=marry"], "spouse"),
        (["types=Person>Place", "m:btw=bear", "m:btw_t=bear|Person>Place", "m:path_word=bear", "m:btw=in"], "born_in"),
    ],
)
def test_the_shipped_model_scores_clear_evidence_higher_than_none(features, relation):
    model = load("relations")
    assert model.probabilities(features)[relation] > model.probabilities([features[0]])[relation]


def test_the_model_round_trips_through_disk(tmp_path):
    from kg.models.relations import Calibration

    model = DocumentRelationModel(
        ["spouse", "born_in"],
        [-2.0, -1.0],
        {"married": {0: 4.0}, "born": {1: 3.0}},
        {"spouse": Calibration([-3.0, 0.0, 2.0], [0.1, 0.4, 0.9])},
        0.2,
        {"supported": {"spouse": ["Person>Person"]}},
    )
    model.to_disk(tmp_path)
    again = DocumentRelationModel.from_disk(tmp_path)
    assert again.probabilities(["married", "born"]) == model.probabilities(["married", "born"])
    assert again.decides("spouse", "Person", "Person") and not again.decides("born_in", "Person", "Place")
    assert again.probabilities(["married"])["spouse"] == 0.9  # a score of 2.0 is at the last step


def test_shipped_model_scores_on_conll04_dev_as_documented(dev_scores):
    # The behaviour of the shipped weights with the shipped recogniser on CoNLL04 dev (README, "Quality,
    # measured"), with room for floating-point differences between machines; training is checked by the smoke run
    # above, never by comparing weights.
    assert dev_scores["relations_strict"]["f1"] >= 0.50
