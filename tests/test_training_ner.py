"""Adapting the recogniser: the gold labels are mapped as documented, the command works on tiny data (a smoke run
of one epoch), the default model loads the shipped recogniser, and the shipped recogniser scores on CoNLL04 dev
(../shared/data) as the README says."""

from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest
import spacy

from kg import nlp as kg_nlp
from kg.training import ner


@pytest.fixture(scope="module")
def base():
    return spacy.load(kg_nlp.DEFAULT_MODEL)


def _write_conll(path: Path, items: list[tuple[str, list[tuple[int, int, str]]]]) -> Path:
    data = [
        {
            "tokens": text.split(),
            "entities": [{"start": s, "end": e, "type": t} for s, e, t in entities],
            "relations": [],
            "orig_id": i,
        }
        for i, (text, entities) in enumerate(items)
    ]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _tags(example) -> list[str]:
    return example.get_aligned_ner()


def test_gold_labels_are_mapped_to_the_models_labels(tmp_path, base):
    path = _write_conll(
        tmp_path / "gold.json",
        [
            ("Rex Tillerson met officials in Paris on Monday .", [(0, 2, "Peop"), (5, 6, "Loc")]),
            ("The Zorblat Company hired Smith .", [(1, 3, "Org")]),
        ],
    )
    first, second = ner.gold_examples(path, base)
    tags = _tags(first)
    assert tags[:2] == ["B-PERSON", "L-PERSON"]
    assert tags[5] == "U-GPE"
    # Monday: not a CoNLL04 name, but a date for the original model; kept as it found it
    assert tags[7] == "U-DATE" and tags[2] == "O"
    tags = _tags(second)
    assert tags[1:3] == ["B-ORG", "L-ORG"]
    # Smith: a person the gold does not mark; left unknown rather than taught as "not a name"
    assert tags[4] in {"-", None, "O"}
    found = {ent.text: ent.label_ for ent in base("The Zorblat Company hired Smith .").ents}
    if found.get("Smith") == "PERSON":
        assert tags[4] in {"-", None}


def test_tag_writes_biluo():
    tags = ["O"] * 5
    ner._tag(tags, 0, 1, "GPE")
    ner._tag(tags, 1, 4, "ORG")
    assert tags == ["U-GPE", "B-ORG", "I-ORG", "L-ORG", "O"]
    ner._tag(tags, 3, 5, None)
    assert tags[3:] == ["-", "-"]


def test_train_on_tiny_data_writes_a_recogniser_that_loads(tmp_path):
    gold = _write_conll(
        tmp_path / "gold.json",
        [("Ann Lee works for Acme Corp in Boston .", [(0, 2, "Peop"), (4, 6, "Org"), (7, 8, "Loc")])] * 4,
    )
    news = tmp_path / "news.txt"
    # the first sentence runs from the headline into the body, over a paragraph break: not replayed
    news.write_text("Storm hits coast\n\nA storm hit Florida. Officials in Miami said schools would close on Monday.\n")
    out = tmp_path / "ner"
    epochs = []
    summary = ner.train(gold, [news], out=out, epochs=1, on_epoch=lambda epoch, loss: epochs.append(epoch))
    assert epochs == [1] and summary["gold_sentences"] == 4 and summary["rehearsal_sentences"] == 1
    assert json.loads((out / "training.json").read_text())["epochs"] == 1
    pipeline = spacy.load(kg_nlp.DEFAULT_MODEL)
    pipeline.get_pipe("ner").from_disk(out, exclude=["vocab"])
    assert set(pipeline.get_pipe("ner").labels) >= {"PERSON", "ORG", "GPE"}
    found = {ent.label_ for ent in pipeline("Ann Lee works for Acme Corp in Boston .").ents}
    assert found & {"PERSON", "ORG", "GPE"}, found


def test_train_needs_rehearsal_sentences(tmp_path):
    gold = _write_conll(tmp_path / "gold.json", [("Ann Lee works for Acme .", [(0, 2, "Peop"), (4, 5, "Org")])])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ner.InputError, match="rehearsal"):
        ner.train(gold, [empty], out=tmp_path / "ner", epochs=1)


def test_default_model_loads_the_shipped_recogniser(base):
    assert (kg_nlp.ADAPTED_NER / "model").is_file()
    adapted = kg_nlp.load(kg_nlp.DEFAULT_MODEL)
    shipped = spacy.load(kg_nlp.DEFAULT_MODEL)
    shipped.get_pipe("ner").from_disk(kg_nlp.ADAPTED_NER, exclude=["vocab"])
    weights = {
        name: _weights(pipeline) for name, pipeline in (("adapted", adapted), ("shipped", shipped), ("base", base))
    }
    assert weights["adapted"].keys() == weights["shipped"].keys()
    assert all(numpy.array_equal(weights["adapted"][key], weights["shipped"][key]) for key in weights["shipped"])
    assert not all(numpy.array_equal(weights["base"][key], weights["shipped"][key]) for key in weights["shipped"])


def _weights(pipeline) -> dict:
    """The recogniser's parameters by (layer number, layer name, parameter name)."""
    model = pipeline.get_pipe("ner").model
    return {
        (i, node.name, name): numpy.asarray(node.get_param(name))
        for i, node in enumerate(model.walk())
        for name in node.param_names
        if node.has_param(name)
    }


def test_shipped_models_score_on_dev_as_documented(dev_scores):
    # The behaviour of the shipped weights, with room for floating-point differences between machines and BLAS
    # thread counts (a few hundredths of a point at most): the README's 0.745 entity F1 on dev, well above the
    # 0.690 of spaCy's recogniser as it comes. kg train ner is checked by the smoke run above, never by
    # comparing weights or losses.
    assert dev_scores["entities"]["f1"] >= 0.73
