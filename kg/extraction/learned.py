"""A learned relation classifier for pairs of names in a sentence, next to the rules.

Each ordered pair of names in a sentence is described by sparse features (their types, last words and the words
they depend on, the words and names between them, the dependency path joining them, and which rules fired on
them) and scored by a multinomial logistic regression trained on the CoNLL04 training split (``kg train
relations``, see ``kg.training.relations``). The weights ship in ``kg/data/relation_model.json``; scoring is a sum
of weights, in plain Python. A learned relation is kept only where no rule found a typed relation between the
same two names: rules state what the text says, the model adds what they miss; a killing it finds must be said
by a word of killing between the two names or on the path joining them. Its confidence is the model's
probability, capped at the precision its class had in cross-validation on such pairs (the probabilities of a
logistic regression run high).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import permutations

from spacy.tokens import Token

from kg.extraction import lexicon
from kg.extraction.entities import EntitySpan
from kg.extraction.relations import SIGNATURES, ArticleContext
from kg.model import TYPED, Relation

#: CoNLL04 relation -> kg relation the model's class stands for
CLASS_RELATIONS = {
    "Work_For": "works_for",
    "Live_In": "lives_in",
    "Located_In": "located_in",
    "OrgBased_In": "based_in",
    "Kill": "killed",
}
NO_RELATION = "None"
MODEL_FILE = "relation_model.json"
_KILLING_WORDS = lexicon.KILL_VERBS | lexicon.KILLER_NOUNS | lexicon.KILLING_NOUNS | {"gunman", "death", "die"}
_MAX_BETWEEN = 12  # tokens between two names beyond which only coarse features are used


@dataclass(frozen=True)
class RelationModel:
    classes: list[str]
    bias: list[float]
    weights: dict[str, list[float]]
    threshold: float
    precision: dict[str, float]  # per class, cross-validated on the pairs the model is used for

    def probabilities(self, features: list[str]) -> list[float]:
        scores = list(self.bias)
        for feature in features:
            for k, weight in enumerate(self.weights.get(feature, ())):
                scores[k] += weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]


@lru_cache(maxsize=1)
def load_model() -> RelationModel | None:
    """The shipped model, or None when the package has none (then only the rules run)."""
    path = resources.files("kg") / "data" / MODEL_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return RelationModel(data["classes"], data["bias"], data["weights"], data["threshold"], data["precision"])


def candidate_pairs(ctx: ArticleContext) -> Iterator[tuple[int, int]]:
    """Ordered pairs of different entities named in one sentence."""
    by_sentence: dict[int, list[int]] = {}
    for index, entity in enumerate(ctx.spans):
        by_sentence.setdefault(entity.span.sent.start, []).append(index)
    for indices in by_sentence.values():
        for a, b in permutations(indices, 2):
            if ctx.ids[a] != ctx.ids[b]:
                yield a, b


def pair_features(ctx: ArticleContext, a: int, b: int, rule_relations: dict[tuple[int, int], set[str]]) -> list[str]:
    """Sparse features of the ordered pair (a, b): a is the candidate subject, b the object."""
    first, second = ctx.spans[a], ctx.spans[b]
    doc = ctx.doc
    types = f"{_kind(first)}>{_kind(second)}"
    a_first = first.span.start < second.span.start
    left, right = (first.span, second.span) if a_first else (second.span, first.span)
    between = doc[left.end : right.start]
    features = [f"types={types}", f"order={'ab' if a_first else 'ba'}|{types}", f"gap={_bucket(len(between))}"]
    if len(between) <= _MAX_BETWEEN:
        words = [_word(t) for t in between]
        features += [f"btw={w}" for w in set(words)]
        features += [f"btw_t={w}|{types}" for w in set(words)]
        if len(between) <= 4:
            features.append(f"btw_seq={' '.join(words)}|{'ab' if a_first else 'ba'}")
    before = doc[max(left.start - 2, left.sent.start) : left.start]
    features += [f"before={_word(t)}" for t in before]
    if right.end < right.sent.end:
        features.append(f"after={_word(doc[right.end])}")
    path = _dependency_path(first.span.root, second.span.root)
    if path is not None:
        features.append(f"path={path[0]}")
        features.append(f"path_t={path[0]}|{types}")
        features += [f"path_word={w}" for w in path[1]]
    for name in sorted(rule_relations.get((a, b), ())):
        features.append(f"rule={name}")
    for name in sorted(rule_relations.get((b, a), ())):
        features.append(f"rule_reversed={name}")
    names_between = sum(1 for e in ctx.spans if e.span.start >= left.end and e.span.end <= right.start)
    features.append(f"names_between={min(names_between, 3)}|{types}")
    for span, side in ((first.span, "a"), (second.span, "b")):
        titled = any(t.lower_ in lexicon.TITLES for t in doc[max(span.start - 3, 0) : span.start])
        features.append(f"titled_{side}={titled}")
        # the name's last word ("University", "Corp.", "U.S.") and length, and what it depends on
        features += [f"last_{side}={span[-1].lower_}", f"length_{side}={min(len(span), 4)}"]
        features += [f"dep_{side}={span.root.dep_}", f"head_{side}={span.root.head.lemma_.lower()}|{span.root.dep_}"]
    return features


def _kind(entity: EntitySpan) -> str:
    return f"{entity.type}-demonym" if entity.role == "demonym" else entity.type


def _word(token: Token) -> str:
    if token.like_num:
        return "<num>"
    return token.lemma_.lower() if token.pos_ not in {"PROPN"} else f"<{token.ent_type_ or 'propn'}>"


def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 12):
        if n <= limit:
            return str(limit)
    return "far"


def _dependency_path(a: Token, b: Token) -> tuple[str, list[str]] | None:
    """The dependency labels from a up to the lowest common ancestor and down to b, and the words on the way."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return None
    rise = up_a[: up_a.index(common)]
    fall = up_b[: up_b.index(common)]
    if len(rise) + len(fall) > 6:
        return f"long{len(rise) + len(fall)}", []
    labels = [f"{t.dep_}^" for t in rise] + [f"{common.pos_}"] + [f"v{t.dep_}" for t in reversed(fall)]
    words = [t.lemma_.lower() for t in (*rise[1:], common, *fall[1:]) if t.pos_ in {"VERB", "NOUN", "ADP", "AUX"}]
    return " ".join(labels), words


def has_typed_rule(features: list[str]) -> bool:
    """Whether a rule found a typed relation between the pair, from its features: then the model is not used."""
    typed = {name for name, (kind, _, _) in SIGNATURES.items() if kind == TYPED}
    return any(f.partition("=")[0] in {"rule", "rule_reversed"} and f.partition("=")[2] in typed for f in features)


def learned_relations(ctx: ArticleContext, rule_found: list[Relation]) -> Iterator[Relation]:
    """Relations the model finds between names the rules left unrelated."""
    model = load_model()
    if model is None:
        return
    by_pair = _rule_relations_by_pair(ctx, rule_found)
    typed = {name for name, (kind, _, _) in SIGNATURES.items() if kind == TYPED}
    related = {frozenset(pair) for pair, names in by_pair.items() if names & typed}
    predicted: dict[tuple[int, int], tuple[str, float]] = {}
    for a, b in candidate_pairs(ctx):
        if frozenset((a, b)) in related:
            continue
        probabilities = model.probabilities(pair_features(ctx, a, b, by_pair))
        best = max(range(len(model.classes)), key=probabilities.__getitem__)
        if model.classes[best] != NO_RELATION and probabilities[best] >= model.threshold:
            predicted[(a, b)] = (model.classes[best], probabilities[best])
    for (a, b), (label, probability) in predicted.items():
        reverse = predicted.get((b, a))
        if reverse is not None and reverse[0] == label and (reverse[1], b) > (probability, a):
            continue  # "A killed B" and "B killed A": only the likelier direction
        if label == "Kill" and not _killing_said_between(ctx, a, b):
            continue  # "X was the brother of Y, who had been assassinated": a killing, but not by X
        relation = ctx.relation(a, b, CLASS_RELATIONS[label], "learned", ctx.spans[a].span.sent)
        if relation is not None:
            # the probability, but never above how often this class was right in cross-validation
            yield replace(relation, confidence=round(min(probability, model.precision[label]), 4))


def _killing_said_between(ctx: ArticleContext, a: int, b: int) -> bool:
    """Whether a word of killing ("shot", "assassination", "killer", "gunman") stands between two names or on
    the dependency path joining them."""
    first, second = ctx.spans[a].span, ctx.spans[b].span
    left, right = (first, second) if first.start < second.start else (second, first)
    words = {t.lemma_.lower() for t in ctx.doc[left.end : right.start]}
    path = _dependency_path(first.root, second.root)
    words |= set(path[1]) if path is not None else set()
    return bool(words & _KILLING_WORDS)


def _rule_relations_by_pair(ctx: ArticleContext, relations: list[Relation]) -> dict[tuple[int, int], set[str]]:
    """The relation names the rules found for each ordered pair of spans (matched by the names' offsets)."""
    index_of = {entity.offsets: i for i, entity in enumerate(ctx.spans)}
    found: dict[tuple[int, int], set[str]] = {}
    for relation in relations:
        a = index_of.get(relation.evidence.source_span)
        b = index_of.get(relation.evidence.target_span)
        if a is not None and b is not None and relation.kind != "cooccurrence":
            found.setdefault((a, b), set()).add(relation.relation)
    return found
