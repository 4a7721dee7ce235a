"""Training the document-level relation model (``kg train relations``) from open gold data in ``../shared/data``.

Training data (never a measuring split): KnowledgeNet folds 1-3, the training part of Re-DocRED dev
(documents ``i % 5 >= 2``, :mod:`kg.evaluation.docred`) and CoNLL04 train. Each text is run through the same
extraction as ``kg build``; every ordered pair of kg entities whose types fit a relation is an example, labelled
by aligning the entities to the gold ones (:mod:`kg.evaluation.documents`; a gold entity that only a pronoun
names is the entity kg resolves the pronoun to, :func:`kg.evaluation.knowledgenet.reference_alignment`). A pair
counts as a negative for a relation only where that relation was annotated: Re-DocRED annotates all its
properties, a KnowledgeNet passage those listed with it, CoNLL04 its five relations.

One binary logistic regression per relation (scikit-learn, the ``train`` extra) is fitted on the features of
:func:`kg.extraction.learned.document_features`, its L2 strength picked per relation from ``REGULARISATION`` by
the average precision of its out-of-fold scores (5 folds grouped by document). Calibration: those out-of-fold
scores are mapped to probabilities by isotonic regression per relation; the final weights are fitted on all the
training data. The floor (below it a model relation is not kept) is the one of ``FLOORS`` at which the pooled
out-of-fold predictions kept have the best F1; the display threshold is the lowest probability at which the
out-of-fold predictions above it are 85% right. Weights and the record of how they were made go to
``kg/data/models/relations/``.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.evaluation import conll04, docred, documents, knowledgenet
from kg.extraction import article_context
from kg.extraction.learned import (
    ArticleIndex,
    _rule_relations_by_pair,
    document_features,
    entity_pairs,
    entity_rule_relations,
)
from kg.extraction.relations import extract_relations
from kg.model import Article
from kg.models import SHIPPED
from kg.models.relations import Calibration, DocumentRelationModel
from kg.nlp import DEFAULT_MODEL, parse

logger = logging.getLogger(__name__)

DEFAULT_DATA = Path("../shared/data")
DEFAULT_OUT = SHIPPED / "relations"
#: the kg relations the model learns, each from the data sets that annotate it
RELATIONS = (
    "works_for", "leader_of", "member_of", "nationality", "lives_in", "born_in", "located_in", "based_in",
    "spouse", "parent_of", "sibling_of", "educated_at", "founded_by", "subsidiary_of", "killed",
)  # fmt: skip
CONLL04_RELATIONS = {
    "Work_For": "works_for",
    "Live_In": "lives_in",
    "Located_In": "located_in",
    "OrgBased_In": "based_in",
    "Kill": "killed",
}
CONLL04_TYPES = {"Peop": "PER", "Org": "ORG", "Loc": "LOC", "Other": ""}
#: inverse strengths C of the L2 penalty tried for each relation; the one whose grouped out-of-fold scores rank
#: best (average precision) is kept
REGULARISATION = (0.05, 0.1, 0.25, 1.0)
MIN_FEATURE_COUNT = 2  # features seen in fewer examples are dropped
MIN_SUPPORT = 20  # positives a pair of entity types needs before the model decides a relation between such types
FOLDS = 5
#: the floors tried: relations below the floor's calibrated probability are not kept in the graph; the one whose
#: pooled out-of-fold predictions above it have the best F1 is kept
FLOORS = (0.2, 0.25, 0.3, 0.35, 0.4)
TARGET_PRECISION = 0.85
SEED = 0
#: features that say which corpus an example comes from; with a copy of each prior feature per corpus they absorb
#: the priors of Wikipedia leads (Re-DocRED: entities across sentences are often related) and of passages chosen
#: for their facts (KnowledgeNet), and are absent at run time (news, like CoNLL04)
CORPUS = "corpus="
#: the features that carry a corpus's prior (types, counts, distances), copied per corpus; word features are shared
_PRIOR_FEATURES = (
    "types=",
    "shared=",
    "distance=",
    "mentions_a=",
    "mentions_b=",
    "rank_a=",
    "rank_b=",
    "first_sentence=",
)


@dataclass
class Source:
    """A training text with its gold facts in kg relations and the relations annotated in it."""

    document: documents.GoldDocument
    facts: set[tuple[int, int, str]]
    annotated: set[str]
    group: str  # examples of one group stay in one cross-validation fold
    corpus: str | None = None  # a corpus whose own prior is learned apart (None: news, the prior kg runs with)


def sources(data: Path) -> Iterator[Source]:
    """The training texts of the three data sets under ``data`` (a ``../shared/data`` folder)."""
    path = data / "redocred" / "dev_revised.json"
    properties = {prop for doc in docred.read_documents(path) for _, _, prop in doc.facts}
    mapped = documents.relation_properties()
    annotated = {name for name in RELATIONS if name in mapped and (mapped[name][0] | mapped[name][1]) & properties}
    for doc in docred.read_documents(path, part="train"):
        yield Source(doc, documents.kg_facts(doc), annotated, doc.id, "redocred")
    path = data / "knowledgenet" / "knowledgenet_train_folds1-4.jsonl"
    for doc in knowledgenet.read_documents(path, folds={1, 2, 3}):
        probe = documents.GoldDocument("", "", [[], []], ["", ""], {(0, 1, prop) for prop in doc.annotated})
        relations = {name for _, _, name in documents.kg_facts(probe)}
        yield Source(doc, documents.kg_facts(doc), relations, f"knowledgenet-{doc.meta['document']}", "knowledgenet")
    for index, sentence in enumerate(conll04.read_sentences(data / "conll04" / "conll04_train.json")):
        starts = sentence.token_starts()
        entities = [[(starts[s], starts[e - 1] + len(sentence.tokens[e - 1]), 0)] for s, e, _ in sentence.entities]
        types = [CONLL04_TYPES[kind] for _, _, kind in sentence.entities]
        facts = {(h, t, CONLL04_RELATIONS[kind]) for h, t, kind in sentence.relations}
        doc = documents.GoldDocument(f"conll04-{index}", sentence.text, entities, types, set())
        yield Source(doc, facts, set(CONLL04_RELATIONS.values()), doc.id)


def examples(
    items: list[Source], *, model: str = DEFAULT_MODEL, on_text: Callable[[], None] | None = None
) -> Iterator[tuple[list[str], dict[str, int], str]]:
    """For every candidate pair: its features, its label per relation it may have (1 or 0; relations not annotated
    in its text are absent) and its group."""
    articles = (Article(id=item.document.id, text=item.document.text) for item in items)
    for item, (article, doc) in zip(items, parse(articles, model=model), strict=True):
        ctx, _, _ = article_context(article, doc)
        rules = extract_relations(ctx)
        by_pair, entity_rules = _rule_relations_by_pair(ctx, rules), entity_rule_relations(ctx, rules)
        index = ArticleIndex.of(ctx)
        names = [span.offsets for span in ctx.spans]
        alignment = documents.align(names, ctx.ids, item.document)
        # a gold entity only a pronoun names ("he", unlinked in KnowledgeNet) is the entity the pronoun stands for
        referred = [(index.ctx.spans[i].offsets, index.ctx.ids[i]) for i in range(index.named, len(index.ctx.spans))]
        extra = knowledgenet.reference_alignment(names, referred, item.document)
        symmetric = documents.symmetric_relations()
        for a, b, allowed in entity_pairs(index, list(RELATIONS)):
            heads = ({alignment[a]} if a in alignment else set()) | extra.get(a, set())
            tails = ({alignment[b]} if b in alignment else set()) | extra.get(b, set())
            labels = {}
            for name in allowed:
                if name not in item.annotated:
                    continue
                labels[name] = int(
                    any(
                        (head, tail, name) in item.facts or (name in symmetric and (tail, head, name) in item.facts)
                        for head in heads
                        for tail in tails
                    )
                )
            if labels:
                features = document_features(index, a, b, by_pair, entity_rules)
                if item.corpus is not None:
                    features += [f"{CORPUS}{item.corpus}"]
                    features += [f"{CORPUS}{item.corpus}|{f}" for f in features if f.startswith(_PRIOR_FEATURES)]
                yield features, labels, item.group
        if on_text is not None:
            on_text()


def train(
    data: str | Path = DEFAULT_DATA,
    *,
    out: str | Path = DEFAULT_OUT,
    model: str = DEFAULT_MODEL,
    on_text: Callable[[], None] | None = None,
) -> dict:
    """Fit, calibrate and write the relation model; returns a summary (also written to ``meta.json``)."""
    try:
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.isotonic import IsotonicRegression
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import average_precision_score
        from sklearn.model_selection import GroupKFold
    except ImportError as error:
        raise KGError("Training needs scikit-learn: pip install -e '.[train]'") from error

    data = Path(data)
    started = time.monotonic()
    items = list(sources(data))
    rows = list(examples(items, model=model, on_text=on_text))
    counts = Counter(feature for features, _, _ in rows for feature in set(features))
    vectorizer = DictVectorizer()
    X = vectorizer.fit_transform(
        [{f: 1 for f in features if counts[f] >= MIN_FEATURE_COUNT} for features, _, _ in rows]
    ).tocsr()
    groups = np.array([group for _, _, group in rows])
    names = vectorizer.get_feature_names_out()
    corpus_columns = np.array([i for i, name in enumerate(names) if name.startswith(CORPUS)], dtype=int)
    bias, weights, calibration, report = [], {}, {}, {}
    pooled = []  # (calibrated out-of-fold probability, label) of every relation, for the display threshold
    trained: list[str] = []
    for relation in RELATIONS:
        picked = np.array([i for i, (_, labels, _) in enumerate(rows) if relation in labels])
        y = np.array([rows[i][1][relation] for i in picked])
        if y.sum() < FOLDS or len(y) - y.sum() < FOLDS:
            logger.warning("relation %s left out: %d positive of %d examples in %s", relation, y.sum(), len(y), data)
            continue
        trained.append(relation)
        k = len(trained) - 1
        X_r = X[picked]
        folds = list(GroupKFold(n_splits=FOLDS).split(X_r, y, groups[picked]))
        tried = {}
        for strength in REGULARISATION:
            out_of_fold = _out_of_fold(LogisticRegression, strength, X_r, y, folds, corpus_columns)
            tried[strength] = (float(average_precision_score(y, out_of_fold)), out_of_fold)
        strength = max(REGULARISATION, key=lambda c: (tried[c][0], -c))
        out_of_fold = tried[strength][1]
        isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(out_of_fold, y)
        calibration[relation] = Calibration(
            [float(t) for t in isotonic.X_thresholds_], [float(p) for p in isotonic.y_thresholds_]
        )
        calibrated = isotonic.predict(out_of_fold)
        corpora = [group.split("-")[0] for group in groups[picked]]
        pooled += list(zip(calibrated, y, corpora, strict=True))
        report[relation] = {
            "examples": int(len(y)),
            "positives": int(y.sum()),
            "C": strength,
            "average_precision": {str(c): round(ap, 4) for c, (ap, _) in tried.items()},
            **_cv_scores(calibrated, y, 0.5),
        }
        classifier = _classifier(LogisticRegression, strength).fit(X_r, y)
        bias.append(float(classifier.intercept_[0]))
        for column in np.flatnonzero(np.abs(classifier.coef_[0]) >= 1e-3):
            if names[column].startswith(CORPUS):
                continue
            weights.setdefault(str(names[column]), {})[k] = float(classifier.coef_[0][column])
        logger.info("relation %s: %s", relation, report[relation])
    threshold = _display_threshold([(p, label) for p, label, _ in pooled])
    floor, by_floor = _floor([(p, label) for p, label, _ in pooled])
    by_corpus = _corpus_calibration(pooled, floor)
    support: Counter = Counter()
    for features, labels, _ in rows:
        types = features[0].removeprefix("types=").replace("-demonym", "")
        support.update((name, types) for name, label in labels.items() if label)
    supported = {
        name: sorted(types for (relation, types), n in support.items() if relation == name and n >= MIN_SUPPORT)
        for name in trained
    }
    meta = {
        "name": "relations",
        "command": "kg train relations ../shared/data",
        "trained_on": _data_record(data),
        "texts": len(items),
        "examples": len(rows),
        "features": len(weights),
        "regularisation": {"tried": list(REGULARISATION), "chosen_by": "grouped out-of-fold average precision"},
        "seed": SEED,
        "floor": floor,
        "f1_by_floor": by_floor,
        "display_threshold": threshold,
        "out_of_fold_by_corpus": by_corpus,
        "supported": supported,
        "cross_validated": report,
        "minutes": round((time.monotonic() - started) / 60, 1),
    }
    component = DocumentRelationModel(trained, bias, weights, calibration, floor, meta)
    component.to_disk(Path(out))
    return meta


def _without(X, columns):
    """A copy of a sparse matrix with some columns set to zero."""
    X = X.tocsc(copy=True)
    for column in columns:
        X.data[X.indptr[column] : X.indptr[column + 1]] = 0.0
    return X.tocsr()


def _classifier(LogisticRegression, strength: float):
    return LogisticRegression(C=strength, solver="liblinear", max_iter=1000, random_state=SEED)


def _out_of_fold(LogisticRegression, strength: float, X, y, folds, corpus_columns):
    """Each example's score by the classifier fitted on the folds without it, scored as kg runs: without the
    corpus features, so that the calibration is that of run time."""
    import numpy as np

    out_of_fold = np.zeros(len(y))
    for train_rows, held_rows in folds:
        if len(set(y[train_rows])) < 2:  # a fold without positives: the held-out pairs get the lowest score
            out_of_fold[held_rows] = -10.0
            continue
        classifier = _classifier(LogisticRegression, strength).fit(X[train_rows], y[train_rows])
        out_of_fold[held_rows] = classifier.decision_function(_without(X[held_rows], corpus_columns))
    return out_of_fold


def _cv_scores(probabilities, y, threshold: float) -> dict:
    said = probabilities >= threshold
    tp = int((said & (y == 1)).sum())
    p = tp / said.sum() if said.sum() else 0.0
    r = tp / y.sum() if y.sum() else 0.0
    return {
        "p": round(float(p), 4),
        "r": round(float(r), 4),
        "f1": round(float(2 * p * r / (p + r)), 4) if p + r else 0.0,
    }


def _display_threshold(pooled: list[tuple[float, int]]) -> float:
    """The lowest probability (in steps of 0.05) at which the predictions above it are 85% right."""
    for step in range(4, 20):
        threshold = step / 20
        above = [label for probability, label in pooled if probability >= threshold]
        if above and sum(above) / len(above) >= TARGET_PRECISION:
            return threshold
    return 1.0


def _floor(pooled: list[tuple[float, int]]) -> tuple[float, dict[str, float]]:
    """Of ``FLOORS``, the one at which the out-of-fold predictions kept (probability >= it) have the best F1 against
    every positive, with the F1 of each."""
    positives = sum(label for _, label in pooled)
    found = {}
    for floor in FLOORS:
        kept = [label for probability, label in pooled if probability >= floor]
        p, r = (sum(kept) / len(kept) if kept else 0.0), (sum(kept) / positives if positives else 0.0)
        found[floor] = 2 * p * r / (p + r) if p + r else 0.0
    best = max(FLOORS, key=lambda floor: (round(found[floor], 4), -floor))
    return best, {str(floor): round(f1, 4) for floor, f1 in found.items()}


def _corpus_calibration(pooled: list[tuple[float, int, str]], floor: float) -> dict:
    """Per corpus, how honest the pooled calibration is on its out-of-fold predictions of probability >= the
    floor: their ECE (10 bins), the share right at or above a few thresholds, and the lowest threshold (in steps of
    0.05) at which that corpus's predictions above it are 85% right."""
    from kg.evaluation.documents import reliability

    report = {}
    for corpus in sorted({name for _, _, name in pooled}):
        mine = [(p, label) for p, label, name in pooled if name == corpus and p >= floor]
        predicted = {(k,): p for k, (p, _) in enumerate(mine)}
        right = {(k,) for k, (_, label) in enumerate(mine) if label}
        above = {}
        for threshold in (0.5, 0.65, 0.85):
            kept = [label for p, label in mine if p >= threshold]
            above[str(threshold)] = {"n": len(kept), "p": round(sum(kept) / len(kept), 4) if kept else 0.0}
        report[corpus] = {
            "predictions": len(mine),
            "ece": reliability(predicted, right)["ece"],
            "above": above,
            "threshold_for_85": _display_threshold(mine),
        }
    return report


def _data_record(data: Path) -> dict:
    """Which files the model was trained from, with their sha256 (so a run can be checked against another)."""
    files = [
        ("redocred/dev_revised.json", "documents i % 5 >= 2 (300 of 500)"),
        ("knowledgenet/knowledgenet_train_folds1-4.jsonl", "folds 1-3"),
        ("conll04/conll04_train.json", "all"),
    ]
    return {
        name: {"part": part, "sha256": hashlib.sha256((data / name).read_bytes()).hexdigest()} for name, part in files
    }
