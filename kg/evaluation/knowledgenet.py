"""KnowledgeNet (Mesquita et al. 2019): facts of biographical and company passages, annotated exhaustively for
the properties listed with each passage.

Each passage is run through the same extraction as ``kg build``; kg's entities are aligned to the gold subjects
and objects by mention overlap (:mod:`kg.evaluation.documents`; the gold mentions of one entity are grouped by
their Wikidata URI, else by their text). A KnowledgeNet property stands for one or two Wikidata properties
(:data:`PROPERTIES`), which map to kg relations through the vocabulary. Scores are per KnowledgeNet property: a
kg relation counts for a passage only when a property it maps to was annotated there (else nobody knows whether
it is right). Subjects and objects that are pronouns ("He ... CEO of ...") stay in the gold set: kg does not
resolve pronouns, so those facts are misses. The date properties (DATE_OF_BIRTH, DATE_OF_DEATH, DATE_FOUNDED)
have no kg relation and are left out.

Folds: the shipped model is trained on folds 1-3; fold 4 is the measuring fold.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError
from kg.evaluation import documents
from kg.evaluation.scores import format_table, score
from kg.model import Article
from kg.nlp import DEFAULT_MODEL

#: KnowledgeNet property -> the Wikidata properties it stands for (subject to object), first the main one
PROPERTIES = {
    "EMPLOYEE_OR_MEMBER_OF": ("P108", "P463"),
    "PLACE_OF_RESIDENCE": ("P551",),
    "SPOUSE": ("P26",),
    "PLACE_OF_BIRTH": ("P19",),
    "EDUCATED_AT": ("P69",),
    "HEADQUARTERS": ("P159",),
    "CHILD_OF": ("P22", "P25"),
    "FOUNDED_BY": ("P112",),
    "CEO": ("P169",),
    "NATIONALITY": ("P27",),
    "POLITICAL_AFFILIATION": ("P102",),
    "SUBSIDIARY_OF": ("P749",),
}


def read_documents(path: str | Path, *, folds: set[int]) -> list[documents.GoldDocument]:
    """The passages of the given folds, facts labelled with each property's main Wikidata property."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
        return [_document(index, item) for index, item in enumerate(items) if item["fold"] in folds]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"Cannot read {path} as KnowledgeNet JSON lines (passageText, annotatedProperties, facts, fold): {error}"
        ) from error


def _document(index: int, item: dict) -> documents.GoldDocument:
    keys: dict[str, int] = {}
    entities: list[list[tuple[int, int, int]]] = []
    facts = set()
    for fact in item["facts"]:
        if fact["property"] not in PROPERTIES:
            continue
        ends = []
        for side in ("subject", "object"):
            start, end = fact[f"{side}Start"], fact[f"{side}End"]
            key = fact.get(f"{side}Uri") or fact[f"{side}Text"].strip().lower()
            if key not in keys:
                keys[key] = len(entities)
                entities.append([])
            if (start, end, 0) not in entities[keys[key]]:
                entities[keys[key]].append((start, end, 0))
            ends.append(keys[key])
        facts.add((ends[0], ends[1], PROPERTIES[fact["property"]][0]))
    annotated = frozenset(PROPERTIES[name][0] for name in item["annotatedProperties"] if name in PROPERTIES)
    return documents.GoldDocument(
        f"knowledgenet-{index}",
        item["passageText"],
        entities,
        [""] * len(entities),
        facts,
        annotated=annotated,
        meta={"fold": item["fold"], "document": item["documentId"]},
    )


def knowledgenet_labels(relation: str, head, tail, annotated: frozenset[str]) -> list[tuple]:
    """The KnowledgeNet facts ``(head, tail, property)`` a kg relation could stand for in a passage annotated
    with ``annotated`` (main Wikidata properties), in :data:`PROPERTIES` order.

    >>> knowledgenet_labels("leader_of", "p", "o", frozenset({"P169"}))
    [('o', 'p', 'CEO')]
    """
    direct, inverse = documents.relation_properties().get(relation, (frozenset(), frozenset()))
    labels = []
    for name, wikidata in PROPERTIES.items():
        if wikidata[0] not in annotated:
            continue
        if set(wikidata) & direct:
            labels.append((head, tail, name))
        elif set(wikidata) & inverse:
            labels.append((tail, head, name))
    return labels


def evaluate(
    path: str | Path,
    *,
    fold: int = 4,
    model: str = DEFAULT_MODEL,
    threshold: float = 0.0,
    on_document: Callable[[], None] | None = None,
) -> dict:
    """Scores per KnowledgeNet property of kg's typed relations on the passages of one fold."""
    from kg.pipeline import extract_results

    passages = read_documents(path, folds={fold})
    articles = (Article(id=doc.id, text=doc.text, source=f"{path}:{doc.id}") for doc in passages)
    name_of = {wikidata[0]: name for name, wikidata in PROPERTIES.items()}
    gold, found = set(), {}
    within_reach = 0
    for doc, result in zip(passages, extract_results(articles, model=model), strict=True):
        gold |= {(doc.id, head, tail, name_of[prop]) for head, tail, prop in doc.facts}
        ids = documents.result_ids(result)
        alignment = documents.align([(m.start, m.end) for m in result.mentions], ids, doc)
        within_reach += documents.reachable(doc, alignment, doc.facts)
        predicted = documents.predicted_facts(result, alignment, threshold=threshold)
        for (head, tail, relation), confidence in predicted.items():
            if relation in documents.symmetric_relations():
                candidates = knowledgenet_labels(relation, head, tail, doc.annotated)
                candidates += knowledgenet_labels(relation, tail, head, doc.annotated)
            else:
                candidates = knowledgenet_labels(relation, head, tail, doc.annotated)
            right = [label for label in candidates if (doc.id, *label) in gold]
            if right or candidates:
                fact = (doc.id, *(right or candidates)[0])
                found[fact] = max(found.get(fact, 0.0), confidence)
        if on_document is not None:
            on_document()
    return {
        "passages": len(passages),
        "fold": fold,
        "threshold": threshold,
        "relations": score(gold, found, type_of=lambda fact: fact[3]),
        "reliability": documents.reliability(found, gold),
        "curve": documents.threshold_curve(found, gold),
        "reachable": within_reach,
    }


def report(scores: dict) -> str:
    """The scores as a text table."""
    return "\n\n".join(
        [
            f"KnowledgeNet fold {scores['fold']}: {scores['passages']} passages, relations with confidence >= "
            f"{scores['threshold']}",
            format_table("facts per KnowledgeNet property (subject, object, property)", scores["relations"]),
            f"gold facts whose subject and object kg finds (recall's ceiling; pronouns are not resolved): "
            f"{scores['reachable']} of {scores['relations']['tp'] + scores['relations']['fn']}",
            documents.format_confidence(scores),
        ]
    )
