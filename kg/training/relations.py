"""Training the learned relation classifier (``kg train relations``) from CoNLL04's training split.

The examples are made by the same extraction ``kg build`` runs: every ordered pair of names the pipeline finds
in a sentence, labelled with the gold relation when both names match gold entities exactly (else "None"). A
multinomial logistic regression (scikit-learn, an extra needed for training only) is fitted on their features;
the probability threshold is the one that maximises F1 in 5-fold cross-validation on the same training split.
The weights are written as JSON, sorted and rounded, so the same data gives the same file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from kg.errors import KGError
from kg.evaluation import conll04
from kg.extraction import article_context
from kg.extraction.learned import (
    MODEL_FILE,
    NO_RELATION,
    _rule_relations_by_pair,
    candidate_pairs,
    has_typed_rule,
    pair_features,
)
from kg.extraction.relations import extract_relations
from kg.model import Article
from kg.nlp import DEFAULT_MODEL, parse

DEFAULT_OUT = Path(__file__).parents[1] / "data" / MODEL_FILE
REGULARISATION = 0.5  # inverse strength C of the L2 penalty
SEED = 0


def examples(path: str | Path, *, model: str = DEFAULT_MODEL) -> tuple[list[list[str]], list[str]]:
    """Features and labels of every candidate pair in a CoNLL04 file."""
    sentences = conll04.read_sentences(path)
    articles = [Article(id=f"s{i}", text=s.text) for i, s in enumerate(sentences)]
    features, labels = [], []
    for index, (article, doc) in enumerate(parse(articles, model=model)):
        sentence = sentences[index]
        starts = sentence.token_starts()
        gold = {(sentence.entities[h][:2], sentence.entities[t][:2]): kind for h, t, kind in sentence.relations}
        ctx, _, _ = article_context(article, doc)
        by_pair = _rule_relations_by_pair(ctx, extract_relations(ctx))
        spans = [conll04._token_span(*entity.offsets, starts, sentence.tokens) for entity in ctx.spans]
        for a, b in candidate_pairs(ctx):
            features.append(pair_features(ctx, a, b, by_pair))
            labels.append(gold.get((spans[a], spans[b]), NO_RELATION))
    return features, labels


def train(path: str | Path, *, out: str | Path = DEFAULT_OUT, model: str = DEFAULT_MODEL) -> dict:
    """Fit the classifier on a CoNLL04 file and write its weights; returns a summary of the training."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
    except ImportError as error:
        raise KGError("Training needs scikit-learn: pip install -e '.[train]'") from error

    features, labels = examples(path, model=model)
    vectorizer = DictVectorizer()
    X = vectorizer.fit_transform([dict.fromkeys(f, 1) for f in features])
    classifier = LogisticRegression(C=REGULARISATION, max_iter=2000, class_weight=None)
    smallest_class = min(Counter(labels).values())
    folds = StratifiedKFold(n_splits=max(2, min(5, smallest_class)), shuffle=True, random_state=SEED)
    probabilities = cross_val_predict(classifier, X, labels, cv=folds, method="predict_proba")
    classifier.fit(X, labels)
    classes = [str(c) for c in classifier.classes_]
    threshold, cv_f1 = _best_threshold(probabilities, labels, classes)
    unruled = [not has_typed_rule(row) for row in features]
    precision = _class_precision(
        probabilities[unruled], [label for label, keep in zip(labels, unruled, strict=True) if keep], classes, threshold
    )
    names = vectorizer.get_feature_names_out()
    weights = {}
    for column, name in enumerate(names):
        row = [round(float(w), 4) for w in classifier.coef_[:, column]]
        if any(abs(w) >= 1e-4 for w in row):
            weights[str(name)] = row
    data = {
        "trained_on": Path(path).name,
        "examples": len(labels),
        "positives": sum(label != NO_RELATION for label in labels),
        "cross_validated_f1": round(cv_f1, 4),
        "classes": classes,
        "bias": [round(float(b), 4) for b in classifier.intercept_],
        "threshold": threshold,
        "precision": precision,
        "weights": dict(sorted(weights.items())),
    }
    Path(out).write_text(json.dumps(data, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return {key: value for key, value in data.items() if key != "weights"} | {"features": len(weights)}


def _best_threshold(probabilities, labels: list[str], classes: list[str]) -> tuple[float, float]:
    """The probability threshold (in steps of 0.05) that gives the best pair-level F1 over the relation classes."""
    best = (0.5, 0.0)
    gold_positive = sum(label != NO_RELATION for label in labels)
    for step in range(4, 19):
        threshold = step / 20
        tp = fp = 0
        for row, label in zip(probabilities, labels, strict=True):
            k = int(row.argmax())
            if classes[k] == NO_RELATION or row[k] < threshold:
                continue
            if classes[k] == label:
                tp += 1
            else:
                fp += 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / gold_positive if gold_positive else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[1]:
            best = (threshold, f1)
    return best


def _class_precision(probabilities, labels: list[str], classes: list[str], threshold: float) -> dict[str, float]:
    """How often each relation class was right when predicted (cross-validated), on the given pairs."""
    right = dict.fromkeys(classes, 0)
    said = dict.fromkeys(classes, 0)
    for row, label in zip(probabilities, labels, strict=True):
        k = int(row.argmax())
        if classes[k] == NO_RELATION or row[k] < threshold:
            continue
        said[classes[k]] += 1
        right[classes[k]] += classes[k] == label
    return {c: round(right[c] / said[c], 4) if said[c] else 0.0 for c in classes if c != NO_RELATION}
