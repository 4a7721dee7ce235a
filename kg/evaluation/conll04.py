"""CoNLL04 (Roth & Yih 2004) in SpERT's JSON format: entities and relations of news sentences.

Each sentence's tokens are joined with spaces and run through the same extraction as ``kg build``; predicted
names are aligned back to the gold tokens by character offsets. Types and relations are mapped to the
dataset's (``ENTITY_TYPES``, ``RELATION_TYPES``) and scored strictly: an entity counts when its span and type are
right; a relation counts when both spans, both types and its type are right ("boundaries" mode drops the
entity types). Gold "Other" entities (dates, amounts, works) are kept in the gold set: kg never predicts them,
except nationality words, which the dataset also types "Other".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.evaluation.scores import format_table, score
from kg.model import Article, ArticleResult, Mention
from kg.nlp import DEFAULT_MODEL

#: kg entity type -> CoNLL04 type (a nationality word, "Russian", is "Other" in CoNLL04)
ENTITY_TYPES = {"Person": "Peop", "Country": "Loc", "Place": "Loc", "Organisation": "Org"}

#: (kg relation, CoNLL04 type of the target) -> CoNLL04 relation
RELATION_TYPES = {
    ("works_for", "Org"): "Work_For",
    ("leader_of", "Org"): "Work_For",
    ("member_of", "Org"): "Work_For",
    ("works_for", "Loc"): "Live_In",
    ("leader_of", "Loc"): "Live_In",
    ("lives_in", "Loc"): "Live_In",
    ("nationality", "Loc"): "Live_In",
    ("located_in", "Loc"): "Located_In",
    ("based_in", "Loc"): "OrgBased_In",
    ("reports_from", "Loc"): "OrgBased_In",
    ("killed", "Peop"): "Kill",
}


@dataclass(frozen=True)
class Sentence:
    tokens: list[str]
    entities: list[tuple[int, int, str]]  # token start, token end (exclusive), type
    relations: list[tuple[int, int, str]]  # head entity index, tail entity index, type

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def token_starts(self) -> list[int]:
        starts, position = [], 0
        for token in self.tokens:
            starts.append(position)
            position += len(token) + 1
        return starts


def read_sentences(path: str | Path) -> list[Sentence]:
    """Read a SpERT-format CoNLL04 file (a JSON list of {tokens, entities, relations})."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [
            Sentence(
                item["tokens"],
                [(e["start"], e["end"], e["type"]) for e in item["entities"]],
                [(r["head"], r["tail"], r["type"]) for r in item["relations"]],
            )
            for item in data
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"Cannot read {path} as CoNLL04 in SpERT's JSON format (a list of objects with tokens, entities and "
            f"relations): {error}"
        ) from error


def _token_span(start: int, end: int, starts: list[int], tokens: list[str]) -> tuple[int, int] | None:
    """The gold tokens a character span covers (any overlap), or None if it covers none."""
    covered = [i for i, s in enumerate(starts) if s < end and s + len(tokens[i]) > start]
    return (covered[0], covered[-1] + 1) if covered else None


def _mention_type(mention: Mention) -> str:
    return "Other" if mention.role == "demonym" else ENTITY_TYPES[mention.type]


def predictions(sentence: Sentence, result: ArticleResult, *, threshold: float = 0.0) -> tuple[set, set]:
    """The predicted entities ``(start, end, type)`` and relations ``((hs, he, ht), (ts, te, tt), type)`` of one
    sentence, in gold token offsets (relations with a confidence of at least ``threshold``)."""
    starts = sentence.token_starts()
    by_offsets: dict[tuple[int, int], tuple[int, int, str]] = {}
    entities = set()
    for mention in result.mentions:
        span = _token_span(mention.start, mention.end, starts, sentence.tokens)
        if span is not None:
            entity = (*span, _mention_type(mention))
            entities.add(entity)
            by_offsets[(mention.start, mention.end)] = entity
    relations = set()
    for relation in result.relations:
        if relation.confidence < threshold:
            continue
        evidence = relation.evidence
        head = by_offsets.get(evidence.source_span or (-1, -1))
        tail = by_offsets.get(evidence.target_span or (-1, -1))
        if head is None or tail is None:
            continue
        name = RELATION_TYPES.get((relation.relation, tail[2]))
        if name is not None:
            relations.add((head, tail, name))
    return entities, relations


def gold(sentence: Sentence) -> tuple[set, set]:
    entities = [(start, end, kind) for start, end, kind in sentence.entities]
    relations = {(entities[h], entities[t], kind) for h, t, kind in sentence.relations}
    return set(entities), relations


def evaluate(
    path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    threshold: float = 0.0,
    on_sentence: Callable[[], None] | None = None,
) -> dict:
    """Scores of kg's extraction on a CoNLL04 file: ``entities``, ``relations_strict``, ``relations_boundaries``
    (relations with a confidence of at least ``threshold``).

    Each holds micro ``p``, ``r``, ``f1`` (with counts) and ``per_type``.
    """
    from kg.pipeline import extract_results

    sentences = read_sentences(path)
    articles = (Article(id=f"s{i}", text=s.text, source=f"{path}:{i}") for i, s in enumerate(sentences))
    gold_entities, gold_relations, found_entities, found_relations = set(), set(), set(), set()
    for index, result in enumerate(extract_results(articles, model=model)):
        entities, relations = gold(sentences[index])
        gold_entities |= {(index, *e) for e in entities}
        gold_relations |= {(index, *r) for r in relations}
        entities, relations = predictions(sentences[index], result, threshold=threshold)
        found_entities |= {(index, *e) for e in entities}
        found_relations |= {(index, *r) for r in relations}
        if on_sentence is not None:
            on_sentence()
    return {
        "sentences": len(sentences),
        "threshold": threshold,
        "entities": score(gold_entities, found_entities, type_of=lambda e: e[3]),
        "relations_strict": score(gold_relations, found_relations, type_of=lambda r: r[3]),
        "relations_boundaries": score(
            _without_types(gold_relations), _without_types(found_relations), type_of=lambda r: r[3]
        ),
    }


def _without_types(relations: set) -> Iterator[tuple]:
    return {(i, head[:2], tail[:2], kind) for i, head, tail, kind in relations}


def report(scores: dict) -> str:
    """The scores as text tables."""
    return "\n\n".join(
        [
            f"CoNLL04: {scores['sentences']} sentences, relations with confidence >= {scores.get('threshold', 0.0)}",
            format_table("entities (strict: span + type)", scores["entities"]),
            format_table("relations, strict (spans + entity types + relation type)", scores["relations_strict"]),
            format_table("relations, boundaries (spans + relation type)", scores["relations_boundaries"]),
        ]
    )
