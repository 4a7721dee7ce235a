"""The confidence model of interactions: a logistic regression fitted with scikit-learn, read back as plain numbers."""

from __future__ import annotations

import json

import pytest

from kg.extraction import plover
from kg.training import interactions


def _example(method: str, category: str) -> dict[str, float]:
    return {f"method={method}": 1.0, f"quad={plover.QUADS[category]}": 1.0, "path_trigger": 1.0}


def test_the_fitted_weights_give_scikit_learns_probabilities_without_it(monkeypatch):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    found = [(_example("verb", "assault"), True)] * 6 + [(_example("verb", "assault"), False)] * 2
    found += [(_example("noun", "consult"), False)] * 5 + [(_example("noun", "consult"), True)]
    model = interactions.fit(found)
    monkeypatch.setattr(plover, "model", lambda: model)
    vectorizer = DictVectorizer(sparse=False)
    X = vectorizer.fit_transform([values for values, _ in found])
    expected = LogisticRegression(C=interactions.C, max_iter=1000).fit(X, [ok for _, ok in found]).predict_proba(X)
    for (values, _), (_, p) in zip(found, expected, strict=True):
        assert plover.confidence(values) == pytest.approx(p, abs=1e-3)
    # the rule and category right more often get the higher probability
    assert plover.confidence(_example("verb", "assault")) > 0.5 > plover.confidence(_example("noun", "consult"))


def test_one_outcome_only_is_an_error_that_says_what_to_pass():
    with pytest.raises(ValueError, match="both right and wrong"):
        interactions.fit([(_example("verb", "assault"), True)] * 3)


def test_kg_train_interactions_writes_a_model_from_the_calibration_part(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path / "model.json"
    result = CliRunner().invoke(main, ["train", "interactions", "../shared/data/re3d", "--out", str(out)])
    assert result.exit_code == 0, result.output
    model = json.loads(out.read_text())
    assert "calibration part" in model["trained_on"] and 0 < model["right"] < model["interactions"]
    assert "method=verb" in model["weights"] and isinstance(model["intercept"], float)
    # the floors and the cross-validated scores they were chosen from come with the weights
    assert 0.0 < model["floor"] < 1.0 and model["detect_floor"] > model["floor"]
    assert model["C"] in interactions.CS and model["cv"]["reliability"]


@pytest.mark.parametrize(
    ("probabilities", "labels", "expected"),
    [
        ([0.9, 0.8, 0.3, 0.2], [True, True, False, False], 1.0),  # right above wrong
        ([0.9, 0.8, 0.3, 0.2], [False, False, True, True], 0.0),  # wrong above right
        ([0.5, 0.5], [True, False], 0.5),  # a tie
    ],
)
def test_the_area_under_the_curve_counts_right_above_wrong(probabilities, labels, expected):
    assert interactions._auc(probabilities, labels) == pytest.approx(expected)


def test_the_floor_is_the_lowest_threshold_with_the_precision_asked():
    probabilities = [0.9, 0.8, 0.6, 0.4, 0.3, 0.1]
    labels = [True, True, True, False, False, False]
    assert interactions._lowest(probabilities, labels, precision=0.7, at_least=2) == pytest.approx(0.35)
    assert interactions._lowest(probabilities, labels, precision=0.7, at_least=5) is None


def test_the_hand_judgements_name_calibration_documents_only():
    from kg.evaluation import re3d

    judged = interactions.judged()
    assert judged and all(re3d.part_of(document) == "calibration" for document, *_ in judged)
    assert set(judged.values()) == {True, False}


def test_the_judged_wikinews_articles_are_in_the_first_half_only():
    """The README's judged sample is drawn from the second half (by sorted file name): no training example there."""
    from pathlib import Path

    from kg.ingest import read_articles

    folder = Path("../shared/data/news/wikinews/articles")
    files = sorted(p.name for p in folder.iterdir())
    first = set(files[: len(files) // 2])
    in_first = {a.id: Path(a.source).name in first for a in read_articles(folder) if hasattr(a, "id")}
    judged = interactions.judged(interactions.WIKINEWS_FILE)
    assert judged and all(in_first[article] for article, *_ in judged)
    assert set(judged.values()) == {True, False}
