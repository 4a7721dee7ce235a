"""Training the relation classifier: the command works on a tiny file, and the shipped weights score on CoNLL04's
dev split (read from ../shared/data/conll04/) as the README says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extraction.learned import RelationModel
from kg.training import relations as training

TINY = [
    (
        "Rex Tillerson works for Exxon in Texas .",
        [(0, 2, "Peop"), (4, 5, "Org"), (6, 7, "Loc")],
        [(0, 1, "Work_For"), (1, 2, "OrgBased_In")],
    ),
    (
        "Tim Cook , chief executive of Apple , lives in California .",
        [(0, 2, "Peop"), (6, 7, "Org"), (10, 11, "Loc")],
        [(0, 1, "Work_For"), (0, 2, "Live_In")],
    ),
    (
        "John Smith , a reporter for Reuters , lives in London .",
        [(0, 2, "Peop"), (6, 7, "Org"), (10, 11, "Loc")],
        [(0, 1, "Work_For"), (0, 2, "Live_In")],
    ),
    ("Mary Jones of Google spoke in Boston .", [(0, 2, "Peop"), (3, 4, "Org"), (6, 7, "Loc")], [(0, 1, "Work_For")]),
]


def _write_tiny(path: Path) -> Path:
    items = [
        {
            "tokens": text.split(),
            "entities": [{"start": s, "end": e, "type": t} for s, e, t in entities],
            "relations": [{"head": h, "tail": t, "type": kind} for h, t, kind in relations],
            "orig_id": i,
        }
        for i, (text, entities, relations) in enumerate(TINY)
    ]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def test_examples_label_pairs_with_the_gold_relation(tmp_path):
    features, labels = training.examples(_write_tiny(tmp_path / "tiny.json"))
    assert len(features) == len(labels) > 0
    assert labels.count("Work_For") >= 3 and "None" in labels
    assert all(any(f.startswith("types=") for f in row) for row in features)


def test_train_writes_a_model_that_loads(tmp_path):
    out = tmp_path / "model.json"
    summary = training.train(_write_tiny(tmp_path / "tiny.json"), out=out)
    data = json.loads(out.read_text(encoding="utf-8"))
    model = RelationModel(data["classes"], data["bias"], data["weights"], data["threshold"], data["precision"])
    assert set(model.precision) == set(model.classes) - {"None"}
    assert "Work_For" in model.classes and summary["examples"] == data["examples"]
    probabilities = model.probabilities(["types=Person>Organisation", "btw=work"])
    assert sum(probabilities) == pytest.approx(1.0)


def test_shipped_weights_score_on_dev_as_documented(dev_scores):
    # The behaviour of the shipped weights (README: strict relation F1 0.570 on dev; 0.388 before the recogniser
    # was adapted), with room for floating-point differences between machines; kg train relations is checked by
    # the run on a tiny file above, never by comparing weights.
    assert dev_scores["relations_strict"]["f1"] >= 0.55
