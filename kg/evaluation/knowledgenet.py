"""KnowledgeNet (Mesquita et al. 2019): facts of biographical and company passages, annotated exhaustively for
the properties listed with each passage.

Each passage is run through the same extraction as ``kg build``; kg's entities are aligned to the gold subjects
and objects by mention overlap (:mod:`kg.evaluation.documents`; the gold mentions of one entity are grouped by
their Wikidata URI, else by their text). A KnowledgeNet property stands for one or two Wikidata properties
(:data:`PROPERTIES`), which map to kg relations through the vocabulary. Scores are per KnowledgeNet property: a
kg relation counts for a passage only when a property it maps to was annotated there (else nobody knows whether
it is right). Subjects and objects that are pronouns ("He ... CEO of ...") stay in the gold set. kg resolves
pronouns and "the company" for its relations (:mod:`kg.extraction.coreference`) and marks the pronoun in the
evidence; a gold entity that only a pronoun names (KnowledgeNet links "he" to no name in about half of its
facts) is aligned to the kg entity whose evidence marks that pronoun, when no kg name overlaps it
(:func:`reference_alignment`). The report gives recall's ceiling with names alone and with the pronouns. The
date properties (DATE_OF_BIRTH, DATE_OF_DEATH, DATE_FOUNDED) have no kg relation and are left out.

Folds: the shipped model is trained on folds 1-3; fold 4 is the measuring fold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.errors import InputError
from kg.evaluation import documents
from kg.evaluation.scores import format_table, score
from kg.model import TYPED, Article, ArticleResult
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


def referred_spans(result: ArticleResult) -> list[tuple[tuple[int, int], str]]:
    """The spans the evidence of kg's learned relations marks for an entity that are none of kg's names: the
    pronouns and nominals standing for it, as ``((start, end), entity id)``."""
    names = {(m.start, m.end) for m in result.mentions}
    found: dict[tuple[int, int], str] = {}
    for relation in result.relations:
        if relation.method != "document_model":
            continue
        for span, entity_id in ((relation.evidence.source_span, relation.source),
                                (relation.evidence.target_span, relation.target)):  # fmt: skip
            if span is not None and tuple(span) not in names:
                found.setdefault(tuple(span), entity_id)
    return sorted(found.items())


def reference_alignment(
    names: Sequence[tuple[int, int]], referred: Sequence[tuple[tuple[int, int], str]], document: documents.GoldDocument
) -> dict[str, set[int]]:
    """kg entity id -> the gold entities that only a pronoun standing for it overlaps (none of kg's ``names``
    does): "he" in "Prior to joining Anaeko, he ...", which KnowledgeNet leaves unlinked to the name.

    >>> doc = documents.GoldDocument("d", "", [[(0, 5, 0)], [(10, 12, 0)]], ["", ""], set())
    >>> reference_alignment([(0, 5)], [((10, 12), "a"), ((0, 2), "b")], doc)
    {'a': {1}}
    """
    spans = [(start, end, index) for index, mentions in enumerate(document.entities) for start, end, _ in mentions]
    claimed = {index for start, end in names for s, e, index in spans if s < end and start < e}
    found: dict[str, set[int]] = {}
    for (start, end), entity_id in referred:
        for s, e, index in spans:
            if s < end and start < e and index not in claimed:
                found.setdefault(entity_id, set()).add(index)
    return found


def evaluate(
    path: str | Path,
    *,
    fold: int = 4,
    model: str = DEFAULT_MODEL,
    threshold: float = 0.0,
    references: bool = True,
    on_document: Callable[[], None] | None = None,
) -> dict:
    """Scores per KnowledgeNet property of kg's typed relations on the passages of one fold (``references``:
    align pronoun-only gold entities through the pronouns kg resolved, :func:`reference_alignment`)."""
    from kg.pipeline import extract_results

    passages = read_documents(path, folds={fold})
    articles = (Article(id=doc.id, text=doc.text, source=f"{path}:{doc.id}") for doc in passages)
    name_of = {wikidata[0]: name for name, wikidata in PROPERTIES.items()}
    gold, found = set(), {}
    within_reach = by_names = 0
    mapped = documents.relation_properties()
    for doc, result in zip(passages, extract_results(articles, model=model), strict=True):
        gold |= {(doc.id, head, tail, name_of[prop]) for head, tail, prop in doc.facts}
        ids = documents.result_ids(result)
        names = [(m.start, m.end) for m in result.mentions]
        alignment = documents.align(names, ids, doc)
        extra = reference_alignment(names, referred_spans(result), doc) if references else {}
        by_names += documents.reachable(doc, alignment, doc.facts)
        reached = set(alignment.values()) | {index for indices in extra.values() for index in indices}
        within_reach += sum(1 for head, tail, _ in doc.facts if head in reached and tail in reached)
        for relation in result.relations:
            if relation.kind != TYPED or relation.relation not in mapped or relation.confidence < threshold:
                continue
            candidates = []
            for head in [alignment.get(relation.source, relation.source), *sorted(extra.get(relation.source, ()))]:
                for tail in [alignment.get(relation.target, relation.target), *sorted(extra.get(relation.target, ()))]:
                    candidates += knowledgenet_labels(relation.relation, head, tail, doc.annotated)
                    if relation.relation in documents.symmetric_relations():
                        candidates += knowledgenet_labels(relation.relation, tail, head, doc.annotated)
            right = [label for label in candidates if (doc.id, *label) in gold]
            for label in right or candidates[:1]:
                fact = (doc.id, *label)
                found[fact] = max(found.get(fact, 0.0), relation.confidence)
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
        "reachable_by_names": by_names,
    }


def report(scores: dict) -> str:
    """The scores as a text table."""
    return "\n\n".join(
        [
            f"KnowledgeNet fold {scores['fold']}: {scores['passages']} passages, relations with confidence >= "
            f"{scores['threshold']}",
            format_table("facts per KnowledgeNet property (subject, object, property)", scores["relations"]),
            f"gold facts whose subject and object kg finds (recall's ceiling): {scores['reachable']} of "
            f"{scores['relations']['tp'] + scores['relations']['fn']}, by names alone "
            f"{scores.get('reachable_by_names', scores['reachable'])}",
            documents.format_confidence(scores),
        ]
    )
