"""Fitting the confidence model of interactions on re3d's calibration part (``kg train interactions``).

The examples are actor pairs of the calibration documents (:func:`kg.evaluation.re3d.part_of`): every
interaction the verb and noun rules state (of a category with a re3d class, not negated), and every other pair of
actors of one sentence with a verb or event noun of the PLOVER table on the dependency path between them (the
detector's candidates, :func:`kg.extraction.rules.interaction_pairs.candidates`). Each has the
:func:`~kg.extraction.rules.interaction_pairs.pair_features` (rule or ``pair_model``, category and quad, the
trigger on the path, path length, the actors' dependencies and types, agent word, negation, a verb of saying on
the path) and is right when a gold relation of its class joins the same two names
(:func:`kg.evaluation.re3d._matches`), or, with ``with_judgements``, when ``judged_calibration.tsv`` says so.
Added to them (unless ``wikinews`` is None): the interactions the rules state in the first half, by sorted file
name, of the shared Wikinews articles, right as judged by hand in ``judged_wikinews.tsv`` (news text, which re3d's
non-exhaustive gold under-rates; the second half is kept for the judged sample of the README), with the detector's
candidates judged there (a sample: see the file's comments); and (unless ``crossner`` is None) the interactions the
rules state in CrossNER's politics sentences, judged by hand in ``judged_crossner.tsv`` (more judged rule
interactions than the news gives).

A logistic regression (L2; its ``C`` chosen from :data:`CS` by log loss in grouped 5-fold cross-validation, the
documents as groups) gives the probability that a pair is right. Its out-of-fold probabilities set the two
floors written with the weights: ``floor``, below which a rule's interaction is dropped (the lowest threshold at
which the kept rule interactions are right at least :data:`KEEP_PRECISION` of the time), and ``detect_floor``,
which a candidate pair needs to become an interaction (the lowest at which the detected pairs are right at least
:data:`DETECT_PRECISION` of the time, with at least :data:`MIN_DETECTED` of them; else the detector is off).
The weights are plain numbers (``kg/data/models/interactions/model.json``, with the cross-validated scores and
reliability table) read at runtime without scikit-learn. The measuring part is never read here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.evaluation import re3d
from kg.extraction import plover
from kg.extraction.rules import interaction_pairs as pairs
from kg.model import INTERACTION, Article
from kg.nlp import DEFAULT_MODEL

DEFAULT_SOURCE = Path("../shared/data/re3d")
DEFAULT_OUT = plover.MODEL_FILE
#: hand judgements of calibration-part interactions that re3d's gold lacks (re3d's annotation is not exhaustive)
JUDGED_FILE = plover.MODEL_FILE.parent / "judged_calibration.tsv"
#: hand judgements of the interactions kg states in the first half (by sorted file name) of the shared Wikinews
#: articles: news examples, read on the articles never used for the judged sample of the README
WIKINEWS_FILE = plover.MODEL_FILE.parent / "judged_wikinews.tsv"
DEFAULT_WIKINEWS = Path("../shared/data/news/wikinews/articles")
#: hand judgements of the interactions the rules state in CrossNER's politics sentences (train and dev): more
#: judged rule interactions (Wikipedia politics) than the news gives
CROSSNER_FILE = plover.MODEL_FILE.parent / "judged_crossner.tsv"
DEFAULT_CROSSNER = Path("../shared/data/crossner_politics")
#: the inverse strengths of the L2 penalty tried (scikit-learn's ``C``)
CS = (0.03, 0.1, 0.3, 1.0)
#: default ``C`` of :func:`fit`
C = 0.3
FOLDS = 5
KEEP_PRECISION = 0.5
DETECT_PRECISION = 0.7
MIN_DETECTED = 5
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))

Example = tuple[dict[str, float], bool, str, str]  # features, right, document, "rule" or "pair"


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
) -> list[Example]:
    """The actor pairs of one part of re3d with their features and whether they are right."""
    from kg.extraction import article_context
    from kg.nlp import parse

    judgements = judgements or {}
    documents = re3d.read_documents(folder, part=part)
    articles = [Article(id=f"re3d-{d.id.lower()}", text=d.text, title="", source=d.id) for d in documents]
    found: list[Example] = []
    for document, (article, doc) in zip(documents, parse(articles, model=model), strict=True):
        ctx, _, _ = article_context(article, doc)
        stated = pairs.rule_relations(ctx)

        def right(relation, document=document) -> bool:
            source, target = relation.evidence.source_span, relation.evidence.target_span
            key = (document.id, f"{source[0]}-{source[1]}", f"{target[0]}-{target[1]}", relation.relation)
            return any(re3d._matches(relation, g) for g in document.relations) or judgements.get(key, False)

        for relation in stated:
            if relation.kind != INTERACTION or relation.negated or relation.relation not in re3d.RELATION_TYPES:
                continue
            values = pairs.relation_pair_features(ctx, relation)
            if values is not None:
                found.append((values, right(relation), document.id, "rule"))
        for source, target, category, words, denied in pairs.candidates(ctx, pairs.stated_pairs(ctx, stated)):
            if denied or category not in re3d.RELATION_TYPES:
                continue
            relation = ctx.relation(source, target, category, "verb", ctx.spans[source].span.sent, trigger=words)
            if relation is None:
                continue
            values = pairs.pair_features(ctx, source, target, method=pairs.PAIR, category=category, trigger=words)
            found.append((values, right(relation), document.id, "pair"))
    return found


def wikinews_examples(
    folder: str | Path = DEFAULT_WIKINEWS, *, path: str | Path = WIKINEWS_FILE, model: str = DEFAULT_MODEL
) -> list[Example]:
    """The interactions the rules state in the judged Wikinews articles, right as judged in :data:`WIKINEWS_FILE`
    (an interaction no longer stated, or not judged, is left out)."""
    from kg.extraction import article_context
    from kg.ingest import read_articles
    from kg.nlp import parse

    judgements = judged(path)
    wanted = {key[0] for key in judgements}
    articles = [a for a in read_articles(folder) if getattr(a, "id", None) in wanted]
    if not articles:
        raise ValueError(f"None of the articles judged in {path} is in {folder}; pass the shared Wikinews folder, "
                         f"e.g. {DEFAULT_WIKINEWS}.")  # fmt: skip
    found: list[Example] = []
    for article, doc in parse(articles, model=model):
        ctx, _, _ = article_context(article, doc)
        stated = pairs.rule_relations(ctx)
        for relation in stated:
            if relation.kind != INTERACTION:
                continue
            source, target = relation.evidence.source_span, relation.evidence.target_span
            key = (article.id, f"{source[0]}-{source[1]}", f"{target[0]}-{target[1]}", relation.relation)
            values = pairs.relation_pair_features(ctx, relation)
            if key in judgements and values is not None:
                found.append((values, judgements[key], article.id, "rule"))
        # the detector's candidates judged by hand (a sample of them: see the comments in the file)
        for source, target, category, words, denied in pairs.candidates(ctx, pairs.stated_pairs(ctx, stated)):
            (a, b), (c, d) = ctx.spans[source].offsets, ctx.spans[target].offsets
            key = (article.id, f"{a}-{b}", f"{c}-{d}", category)
            if key in judgements:
                values = pairs.pair_features(
                    ctx, source, target, method=pairs.PAIR, category=category, trigger=words, denied=denied
                )
                found.append((values, judgements[key], article.id, "pair"))
    return found


def _joined(words: list[str]) -> str:
    """A tokenised sentence as text: tokens joined by spaces, none before closing punctuation or a clitic."""
    text = " ".join(words)
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d)\b", r"\1", text)
    return text.replace(" - ", "-").replace('" ', '"')


def crossner_articles(folder: str | Path = DEFAULT_CROSSNER) -> list[Article]:
    """CrossNER's politics sentences (``train.txt``, ``dev.txt``) as one-sentence articles ``crossner-train-0``..."""
    from kg.training.entities import read_crossner

    return [
        Article(id=f"crossner-{split}-{i}", text=_joined(sentence.words), title="")
        for split in ("train", "dev")
        for i, sentence in enumerate(read_crossner(Path(folder) / f"{split}.txt"))
    ]


def crossner_examples(
    folder: str | Path = DEFAULT_CROSSNER, *, path: str | Path = CROSSNER_FILE, model: str = DEFAULT_MODEL
) -> list[Example]:
    """The interactions the rules state in CrossNER's politics sentences, right as judged in :data:`CROSSNER_FILE`."""
    from kg.extraction import article_context
    from kg.nlp import parse

    judgements = judged(path)
    articles = [a for a in crossner_articles(folder) if a.id in {key[0] for key in judgements}]
    found: list[Example] = []
    for article, doc in parse(articles, model=model):
        ctx, _, _ = article_context(article, doc)
        for relation in pairs.rule_relations(ctx):
            source, target = relation.evidence.source_span, relation.evidence.target_span
            key = (article.id, f"{source[0]}-{source[1]}", f"{target[0]}-{target[1]}", relation.relation)
            values = pairs.relation_pair_features(ctx, relation) if relation.kind == INTERACTION else None
            if key in judgements and values is not None:
                found.append((values, judgements[key], article.id, "rule"))
    return found


def fit(found: list[tuple[dict[str, float], bool]] | list[Example], *, c: float = C) -> dict:
    """The logistic regression's intercept and weights per feature name, as plain numbers."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [example[1] for example in found]
    if len(set(labels)) < 2:
        raise ValueError(f"Cannot fit interaction confidences on {len(found)} examples of one outcome; "
                         "pass a re3d folder with both right and wrong interactions.")  # fmt: skip
    vectorizer = DictVectorizer(sparse=False)
    X = vectorizer.fit_transform([example[0] for example in found])
    regression = LogisticRegression(C=c, max_iter=2000).fit(X, labels)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.feature_names_, regression.coef_[0], strict=True)}
    return {"intercept": round(float(regression.intercept_[0]), 4), "weights": weights}


def out_of_fold(found: list[Example], *, c: float) -> list[float]:
    """Each example's probability from a model fitted without its document's fold (grouped by document)."""
    from sklearn.model_selection import GroupKFold

    probabilities = [0.0] * len(found)
    groups = [example[2] for example in found]
    for train, test in GroupKFold(n_splits=FOLDS).split(found, groups=groups):
        fitted = fit([found[i] for i in train], c=c)
        for i in test:
            probabilities[i] = plover.probability(fitted, found[i][0])
    return probabilities


def _log_loss(probabilities: list[float], labels: list[bool]) -> float:
    from sklearn.metrics import log_loss

    return float(log_loss(labels, probabilities, labels=[False, True]))


def _auc(probabilities: list[float], labels: list[bool]) -> float:
    """The area under the ROC curve (a tie counts half); NaN when all are right or all wrong."""
    from sklearn.metrics import roc_auc_score

    if len(set(labels)) < 2:
        return float("nan")
    return float(roc_auc_score(labels, probabilities))


def _lowest(probabilities: list[float], labels: list[bool], *, precision: float, at_least: int) -> float | None:
    """The lowest threshold of :data:`THRESHOLDS` at which those above are right at least ``precision`` of the
    time and number at least ``at_least``."""
    for threshold in THRESHOLDS:
        above = [ok for p, ok in zip(probabilities, labels, strict=True) if p >= threshold]
        if len(above) >= at_least and sum(above) / len(above) >= precision:
            return threshold
    return None


def _at(probabilities: list[float], labels: list[bool], threshold: float) -> dict:
    above = [ok for p, ok in zip(probabilities, labels, strict=True) if p >= threshold]
    return {"n": len(above), "right": sum(above), "precision": round(sum(above) / len(above), 4) if above else None}


def _columns(rows: list[tuple[float, bool]]) -> tuple[list[float], list[bool]]:
    return [p for p, _ in rows], [ok for _, ok in rows]


def cross_validate(found: list[Example]) -> dict:
    """The chosen ``C``, the floors and the out-of-fold scores (log loss, AUC, reliability, counts at the floors)."""
    labels = [example[1] for example in found]
    losses = {c: _log_loss(out_of_fold(found, c=c), labels) for c in CS}
    c = min(CS, key=lambda value: (round(losses[value], 4), value))
    probabilities = out_of_fold(found, c=c)
    rules = _columns([(p, e[1]) for p, e in zip(probabilities, found, strict=True) if e[3] == "rule"])
    candidates = _columns([(p, e[1]) for p, e in zip(probabilities, found, strict=True) if e[3] == "pair"])
    floor = _lowest(*rules, precision=KEEP_PRECISION, at_least=1) if rules[0] else None
    floor = floor if floor is not None else THRESHOLDS[0]
    detect = _lowest(*candidates, precision=DETECT_PRECISION, at_least=MIN_DETECTED) if candidates[0] else None
    return {
        "C": c,
        "log_loss_by_C": {str(k): round(v, 4) for k, v in losses.items()},
        "floor": floor,
        "detect_floor": detect if detect is not None else 1.01,
        "cv": {
            "folds": FOLDS,
            "log_loss": round(losses[c], 4),
            "auc": round(_auc(probabilities, labels), 4),
            "auc_rules": round(_auc(*rules), 4) if rules[0] else None,
            "auc_pairs": round(_auc(*candidates), 4) if candidates[0] else None,
            "reliability": re3d.reliability(zip(probabilities, labels, strict=True)),
            "rules_all": _at(*rules, 0.0),
            "rules_above_floor": _at(*rules, floor),
            "pairs_all": _at(*candidates, 0.0),
            "pairs_above_detect_floor": _at(*candidates, detect) if detect is not None else None,
        },
    }


def train(
    folder: str | Path = DEFAULT_SOURCE,
    *,
    out: str | Path = DEFAULT_OUT,
    model: str = DEFAULT_MODEL,
    with_judgements: bool = False,
    wikinews: str | Path | None = DEFAULT_WIKINEWS,
    crossner: str | Path | None = DEFAULT_CROSSNER,
) -> dict:
    """Fit on re3d's calibration part and write the model; a summary of what was counted.

    Right means re3d's gold has it; ``with_judgements`` also counts those judged right on reading in
    :data:`JUDGED_FILE`."""
    found = examples(folder, model=model, judgements=judged() if with_judgements else None)
    news = wikinews_examples(wikinews, model=model) if wikinews is not None else []
    politics = crossner_examples(crossner, model=model) if crossner is not None else []
    found += news + politics
    chosen = cross_validate(found)
    fitted = fit(found, c=chosen["C"])
    summary = {
        "interactions": sum(e[3] == "rule" for e in found),
        "right": sum(e[1] for e in found if e[3] == "rule"),
        "pairs": sum(e[3] == "pair" for e in found),
        "pairs_right": sum(e[1] for e in found if e[3] == "pair"),
        "wikinews_interactions": sum(e[3] == "rule" for e in news),
        "wikinews_right": sum(e[1] for e in news if e[3] == "rule"),
        "wikinews_pairs": sum(e[3] == "pair" for e in news),
        "wikinews_pairs_right": sum(e[1] for e in news if e[3] == "pair"),
        "crossner_interactions": len(politics),
        "crossner_right": sum(e[1] for e in politics),
        "features": len(fitted["weights"]),
    }
    record = {
        "command": "kg train interactions ../shared/data/re3d" + (" --with-judgements" if with_judgements else ""),
        "trained_on": "re3d, calibration part (first hex digit of sha256(document id) 8-f), actor pairs; right: "
        "re3d's gold"
        + (f" or judged right on reading in {JUDGED_FILE.name}" if with_judgements else "")
        + (f"; Wikinews first half, judged in {WIKINEWS_FILE.name}" if wikinews is not None else "")
        + (f"; CrossNER politics, judged in {CROSSNER_FILE.name}" if crossner is not None else ""),
        "model": "logistic regression, L2, C chosen by grouped 5-fold CV log loss, over "
        "kg.extraction.rules.interaction_pairs.pair_features",
        "spacy_model": model,
        **summary,
        **chosen,
        **fitted,
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return summary
