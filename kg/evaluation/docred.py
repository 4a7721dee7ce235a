"""DocRED / Re-DocRED (Tan et al. 2022): document-level relations of Wikipedia lead sections, labelled with
Wikidata properties.

Each document's sentences are joined (tokens by spaces, sentences by a space) and run through the same
extraction as ``kg build``; kg's own recogniser finds the names, which are aligned to the gold entities by
mention overlap (:mod:`kg.evaluation.documents`). Gold properties are mapped to kg relations through the
vocabulary; facts whose property no kg relation declares are left out of the gold set. Reported: P/R/F1 per kg
relation and micro, recall of the facts one sentence states (intra) and of those that span sentences (cross), and
beside it the co-occurrence baseline: every two kg entities named in one sentence, given the relation most often
true for their types on the training part.

The split of ``dev_revised.json`` (500 documents) is fixed, decided before any error was looked at: document
``i`` (0-based, file order) is in the **measuring part** when ``i % 5 < 2`` (200 documents) and in the
**training part** otherwise (300 documents). Nothing is tuned or written from the measuring part.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError
from kg.evaluation import documents
from kg.evaluation.scores import Counts, format_table, score
from kg.model import Article
from kg.nlp import DEFAULT_MODEL

PARTS = ("measure", "train", "all")


def in_part(index: int, part: str) -> bool:
    """Whether document ``index`` of dev_revised.json belongs to a part ("measure", "train" or "all").

    >>> [i for i in range(10) if in_part(i, "measure")]
    [0, 1, 5, 6]
    """
    if part not in PARTS:
        raise ValueError(f"Unknown part {part!r}; choose from {PARTS}.")
    return part == "all" or (index % 5 < 2) == (part == "measure")


def read_documents(path: str | Path, *, part: str = "all") -> list[documents.GoldDocument]:
    """The documents of a DocRED-format file (a JSON list of {title, sents, vertexSet, labels}) in one part."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [_document(index, item) for index, item in enumerate(data) if in_part(index, part)]
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        raise InputError(
            f"Cannot read {path} as DocRED JSON (a list of documents with title, sents, vertexSet and labels): {error}"
        ) from error


def _document(index: int, item: dict) -> documents.GoldDocument:
    pieces, starts = [], []  # starts[s][k]: character offset of token k of sentence s
    position = 0
    for sentence in item["sents"]:
        token_starts = []
        for token in sentence:
            token_starts.append(position)
            pieces.append(token)
            position += len(token) + 1
        starts.append(token_starts)
    text = " ".join(pieces)
    entities, types = [], []
    for vertex in item["vertexSet"]:
        mentions = []
        for mention in vertex:
            sentence, (first, last) = mention["sent_id"], mention["pos"]
            start = starts[sentence][first]
            end = starts[sentence][last - 1] + len(item["sents"][sentence][last - 1])
            mentions.append((start, end, sentence))
        entities.append(mentions)
        types.append(vertex[0]["type"])
    facts = {(label["h"], label["t"], label["r"]) for label in item.get("labels", [])}
    return documents.GoldDocument(f"docred-{index}", text, entities, types, facts, meta={"title": item["title"]})


def evaluate(
    path: str | Path,
    *,
    part: str = "measure",
    model: str = DEFAULT_MODEL,
    threshold: float = 0.0,
    on_document: Callable[[], None] | None = None,
) -> dict:
    """Scores of kg's typed relations on one part of a DocRED-format file, with the co-occurrence baseline (its
    relation for each pair of types taken from the training part, or from all documents when ``part="all"``).

    Returns ``relations`` (micro and ``per_type``), ``intra`` / ``cross`` recall counts, ``baseline`` and the
    number of documents.
    """
    from kg.pipeline import extract_results

    every = read_documents(path, part="all")
    measured = {doc.id for doc in read_documents(path, part=part)}
    prior_from = measured if part == "all" else {doc.id for doc in read_documents(path, part="train")}
    articles = (Article(id=doc.id, text=doc.text, title=doc.meta["title"], source=f"{path}:{doc.id}") for doc in every)
    gold, found, baseline_pairs, prior_examples = set(), {}, [], []
    intra, cross = Counts(), Counts()
    within_reach = 0
    for doc, result in zip(every, extract_results(articles, model=model), strict=True):
        if doc.id not in measured and doc.id not in prior_from:
            continue
        ids = documents.result_ids(result)
        alignment = documents.align([(m.start, m.end) for m in result.mentions], ids, doc)
        facts = documents.kg_facts(doc)
        types = documents.entity_types(result)
        pairs = documents.cooccurrence_pairs(result, ids)
        by_pair = {}
        for head, tail, relation in facts:
            by_pair.setdefault((head, tail), relation)
        if doc.id in prior_from:
            for a, b in pairs:
                gold_pair = (alignment.get(a), alignment.get(b))
                prior_examples.append((types[a], types[b], by_pair.get(gold_pair)))
        if doc.id not in measured:
            continue
        predicted = documents.predicted_facts(result, alignment, threshold=threshold)
        gold |= {(doc.id, *fact) for fact in facts}
        within_reach += documents.reachable(doc, alignment, facts)
        found |= {(doc.id, *fact): confidence for fact, confidence in predicted.items()}
        for head, tail, relation in facts:
            counts = intra if documents.cooccurring(doc, head, tail) else cross
            if (head, tail, relation) in predicted:
                counts.tp += 1
            else:
                counts.fn += 1
        baseline_pairs.append((doc.id, pairs, alignment, types))
        if on_document is not None:
            on_document()
    prior = documents.type_prior(prior_examples)
    baseline = set()
    for doc_id, pairs, alignment, types in baseline_pairs:
        for a, b in pairs:
            relation = prior.get((types[a], types[b]))
            if relation is not None:
                fact = documents._canonical((alignment.get(a, a), alignment.get(b, b), relation))
                baseline.add((doc_id, *fact))
    return {
        "documents": len(measured),
        "part": part,
        "threshold": threshold,
        "relations": score(gold, found, type_of=lambda fact: fact[3]),
        "intra": intra.to_dict(),
        "cross": cross.to_dict(),
        "baseline": score(gold, baseline, type_of=lambda fact: fact[3]),
        "reliability": documents.reliability(found, gold),
        "curve": documents.threshold_curve(found, gold),
        "reachable": within_reach,
        "baseline_prior": {f"{a}>{b}": relation for (a, b), relation in sorted(prior.items())},
    }


def report(scores: dict) -> str:
    """The scores as text tables: kg, then the co-occurrence baseline, with intra- and cross-sentence recall."""
    intra, cross = scores["intra"], scores["cross"]
    return "\n\n".join(
        [
            f"Re-DocRED/DocRED: {scores['documents']} documents (part {scores['part']}), relations with confidence "
            f">= {scores['threshold']}",
            format_table("kg relations (mapped through kg/data/vocab.ttl)", scores["relations"]),
            f"recall of facts stated in one sentence (intra): {intra['r']:.3f} of {intra['tp'] + intra['fn']}\n"
            f"recall of facts across sentences (cross):       {cross['r']:.3f} of {cross['tp'] + cross['fn']}",
            f"gold facts whose two entities kg finds (recall's ceiling): {scores['reachable']} of "
            f"{scores['relations']['tp'] + scores['relations']['fn']}",
            documents.format_confidence(scores),
            format_table(
                "co-occurrence baseline (two names in one sentence + the likeliest relation for their types)",
                scores["baseline"],
            ),
        ]
    )
