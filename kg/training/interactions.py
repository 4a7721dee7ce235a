"""Fitting the confidence model of interactions on re3d's calibration part (``kg train interactions``).

Every interaction kg states in the calibration documents (:func:`kg.evaluation.re3d.part_of`), of a category that
has a re3d class and not negated, is one example: its :func:`kg.extraction.plover.features` (rule, PLOVER quad,
actor types, agent word, phrase trigger, distance between the names), right when a gold relation of its class
joins the same two names (:func:`kg.evaluation.re3d.score_document`'s matching) or when it is judged right on
reading in ``judged_calibration.tsv`` (re3d's annotation is not exhaustive: "the UK stands by Iraq" has no gold
relation; the confidence is meant as the precision a reader sees). A logistic regression with a
strong L2 penalty (``C``: few examples, so the probabilities stay near the share of right ones unless a feature
earns its weight) gives each interaction the probability that it is right; its weights are written as plain
numbers (``kg/data/models/interactions/model.json``, with a record of how it was made) and read at runtime by
:func:`kg.extraction.plover.confidence`, without scikit-learn. The measuring part is never read here.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.evaluation import re3d
from kg.extraction import plover
from kg.model import INTERACTION
from kg.nlp import DEFAULT_MODEL

DEFAULT_SOURCE = Path("../shared/data/re3d")
DEFAULT_OUT = plover.MODEL_FILE
#: hand judgements of calibration-part interactions that re3d's gold lacks (re3d's annotation is not exhaustive)
JUDGED_FILE = plover.MODEL_FILE.parent / "judged_calibration.tsv"
#: inverse strength of the L2 penalty (scikit-learn's ``C``)
C = 0.5


def judged(path: str | Path = JUDGED_FILE) -> dict[tuple[str, str, str, str], bool]:
    """(document, "start-end" of the source, of the target, relation) -> judged right on reading."""
    rows = [line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines()]
    return {tuple(row[:4]): row[4] == "1" for row in rows if len(row) >= 5 and not row[0].startswith("#")}


def examples(
    folder: str | Path,
    *,
    part: str = "calibration",
    model: str = DEFAULT_MODEL,
    judgements: dict[tuple[str, str, str, str], bool] | None = None,
) -> list[tuple[dict[str, float], bool]]:
    """(features, right) of every scorable interaction kg states in one part of re3d: right when re3d's gold has
    it, or when ``judgements`` (document, source span, target span, relation) say it is right on reading."""
    judgements = judgements or {}
    found = []
    for document, result in re3d.extract(re3d.read_documents(folder, part=part), model=model):
        types = {e.id: e.type for e in result.entities}
        for relation in result.relations:
            if relation.kind != INTERACTION or relation.negated or relation.relation not in re3d.RELATION_TYPES:
                continue
            source, target = relation.evidence.source_span, relation.evidence.target_span
            values = plover.relation_features(relation, types)
            key = (document.id, f"{source[0]}-{source[1]}", f"{target[0]}-{target[1]}", relation.relation)
            gold = any(re3d._matches(relation, g) for g in document.relations)
            found.append((values, gold or judgements.get(key, False)))
    return found


def fit(found: list[tuple[dict[str, float], bool]], *, c: float = C) -> dict:
    """The logistic regression's intercept and weights per feature name, as plain numbers."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [ok for _, ok in found]
    if len(set(labels)) < 2:
        raise ValueError(f"Cannot fit interaction confidences on {len(found)} examples of one outcome; "
                         "pass a re3d folder with both right and wrong interactions.")  # fmt: skip
    vectorizer = DictVectorizer(sparse=False)
    X = vectorizer.fit_transform([values for values, _ in found])
    regression = LogisticRegression(C=c, max_iter=1000).fit(X, labels)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.feature_names_, regression.coef_[0], strict=True)}
    return {"intercept": round(float(regression.intercept_[0]), 4), "weights": weights}


def train(
    folder: str | Path = DEFAULT_SOURCE,
    *,
    out: str | Path = DEFAULT_OUT,
    model: str = DEFAULT_MODEL,
    with_judgements: bool = False,
) -> dict:
    """Fit on re3d's calibration part and write the model; a summary of what was counted.

    Right means re3d's gold has it; ``with_judgements`` also counts those judged right on reading in
    :data:`JUDGED_FILE`. The shipped model is fitted without them: with them its confidences came out too high on
    both measuring sets (re3d's measuring part and a fresh Wikinews draw judged by hand, see the README)."""
    found = examples(folder, model=model, judgements=judged() if with_judgements else None)
    fitted = fit(found)
    summary = {"interactions": len(found), "right": sum(ok for _, ok in found), "features": len(fitted["weights"])}
    record = {
        "command": "kg train interactions ../shared/data/re3d" + (" --with-judgements" if with_judgements else ""),
        "trained_on": "re3d, calibration part (first hex digit of sha256(document id) 8-f); right: re3d's gold"
        + (f" or judged right on reading in {JUDGED_FILE.name}" if with_judgements else ""),
        "model": f"logistic regression, L2, C={C}, over kg.extraction.plover.features",
        "spacy_model": model,
        **summary,
        **fitted,
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return summary
