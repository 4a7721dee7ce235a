"""Document-level learned relations: every pair of entities of an article, scored by the relation model.

Candidates are the ordered pairs of entities of the whole article (all the mentions of each, after resolution), not
only names in one sentence. A pronoun or "the company" that stands for an entity (:mod:`kg.extraction.coreference`)
counts as a mention of it: "Anna Weber is a politician. She was born in Munich." makes the second sentence one that
names both. Each pair is described by sparse features (:func:`document_features`): the types, how often and how
close the two are named, whether another entity of the same type is named nearer, the words near each entity's
mentions and how they are attached ("born in": :func:`_governor`), a person's titles, the entities' names, which
rules fired between them anywhere in the article (also with the types: :func:`_conjunctions`), and, for every
sentence that names both, the mention-level features of :func:`kg.extraction.mention_pairs.pair_features` for the
two mentions the parse joins most closely (the dependency path, the words between, the rules that fired on those two
names). :mod:`kg.models.relations` turns them into a calibrated probability per relation.

The model decides a relation between two entity types where it was trained on enough examples of it
(``DocumentRelationModel.decides``: born_in between a person and a place, not works_for between a person and a
country, which no gold data labels as kg does). There a rule's relation stays, at the higher of the rule's
confidence and the model's probability, and the model adds the relations the rules missed, with their evidence: each
sentence that names both (where a pronoun stands for one of them, with the sentence that names it too), else the
sentence naming the target and the source's sentence nearest to it. A rule's relation the model does not decide
(works_for a country), like those it was not trained for (interactions, attributions, co-occurrence, reports_from),
keeps the rule's confidence, and the model still scores that pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from kg import models
from kg.errors import ModelError
from kg.extraction import coreference, lexicon
from kg.extraction.entities import EntitySpan
from kg.extraction.mention_pairs import bucket, dependency_path, pair_features
from kg.extraction.relations import SIGNATURES, ArticleContext
from kg.model import Evidence, Relation

_KILLING_WORDS = lexicon.KILL_VERBS | lexicon.KILLER_NOUNS | lexicon.KILLING_NOUNS | {"gunman", "death", "die"}
_MAX_SHARED_SENTENCES = 4  # sentences naming both whose mention-level features are used
_MAX_NEAR_MENTIONS = 4  # mentions of an entity whose neighbouring words are used
_NEAR = 3  # words on each side of a mention
_PRONOUNS = {"he", "she", "his", "her", "him"}
_GOVERNING_POS = {"VERB", "NOUN", "AUX", "ADJ"}  # the word a mention's attachment is named by
_PASSED_DEPS = {"prep", "conj", "appos", "compound", "pobj"}  # links climbed on the way to it
_SKIPPED_POS = {"PUNCT", "DET", "SPACE", "CCONJ", "PROPN", "NUM", "SYM"}


@dataclass
class ArticleIndex:
    """Where each entity of an article is named or referred to: its span indices, their sentences, and the order of
    entities.

    ``ctx`` is the article's context with a span appended for each pronoun or nominal that stands for an entity
    (:mod:`kg.extraction.coreference`; role "reference", the antecedent's id), so that the sentence of "She was
    born in Munich" names the person "she" stands for; the first ``named`` spans are the names."""

    ctx: ArticleContext
    named: int = 0  # spans below this index are names, the others references
    antecedent: dict[int, int] = field(default_factory=dict)  # reference span -> the name span it stands for
    spans_of: dict[str, list[int]] = field(default_factory=dict)  # names first, then references
    sentence_of: list[int] = field(default_factory=list)
    near: dict[str, set[str]] = field(default_factory=dict)  # words near each entity's mentions
    near_pronoun: dict[str, set[str]] = field(default_factory=dict)  # the same, in sentences with "he"/"she"
    governors: dict[str, set[str]] = field(default_factory=dict)  # the words each entity's mentions depend on
    rank: dict[str, int] = field(default_factory=dict)  # 0 for the first entity named, 1 for the next, ...
    _distances: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def of(cls, ctx: ArticleContext, *, resolve_references: bool = True) -> ArticleIndex:
        found = coreference.references(ctx) if resolve_references else []
        extended = ArticleContext(
            ctx.article,
            ctx.doc,
            [*ctx.spans, *(EntitySpan(r.span, ctx.type_of(r.antecedent), "reference") for r in found)],
            [*ctx.ids, *(ctx.ids[r.antecedent] for r in found)],
            ctx.types,
            ctx.titles,
        )
        index = cls(extended, len(ctx.spans), {len(ctx.spans) + k: r.antecedent for k, r in enumerate(found)})
        starts = {sent.start: number for number, sent in enumerate(ctx.doc.sents)}
        for i, (entity, entity_id) in enumerate(zip(extended.spans, extended.ids, strict=True)):
            index.spans_of.setdefault(entity_id, []).append(i)
            index.sentence_of.append(starts[entity.span.sent.start])
            index.rank.setdefault(entity_id, len(index.rank))
        for entity_id, spans in index.spans_of.items():
            near, with_pronoun, governors = set(), set(), set()
            for i in spans[:_MAX_NEAR_MENTIONS]:
                span = extended.spans[i].span
                governors.add(_governor(span.root))
                sent = span.sent
                words = {
                    t.lemma_.lower()
                    for t in (*ctx.doc[max(span.start - _NEAR, sent.start) : span.start],
                              *ctx.doc[span.end : min(span.end + _NEAR, sent.end)])
                    if t.pos_ not in _SKIPPED_POS
                }  # fmt: skip
                near |= words
                if any(t.lower_ in _PRONOUNS for t in sent):
                    with_pronoun |= words
            index.near[entity_id], index.near_pronoun[entity_id] = near, with_pronoun
            index.governors[entity_id] = governors
        return index

    def names(self, entity_id: str) -> list[int]:
        """The span indices of the names of an entity (not the pronouns standing for it)."""
        return [i for i in self.spans_of[entity_id] if i < self.named]

    def sentences(self, entity_id: str, *, references: bool = False) -> set[int]:
        """The sentences naming an entity (``references``: or referring to it by a pronoun or "the company")."""
        spans = self.spans_of[entity_id] if references else self.names(entity_id)
        return {self.sentence_of[i] for i in spans}

    def type_of(self, entity_id: str) -> str:
        return self.ctx.type_of(self.spans_of[entity_id][0])

    def kind_of(self, entity_id: str) -> str:
        """The type, marked "-demonym" when the entity is only named by a nationality word ("Russian")."""
        spans = [self.ctx.spans[i] for i in self.names(entity_id)]
        demonym = all(entity.role == "demonym" for entity in spans)
        return f"{self.type_of(entity_id)}-demonym" if demonym else self.type_of(entity_id)

    def nearest_rank(self, a: str, b: str) -> int:
        """How many other entities of b's type are named closer to a (in sentences) than b is: 0 when b is the
        nearest of its type ("Munich" rather than "Germany", named three sentences away)."""
        mine, kind = self.distance(a, b), self.type_of(b)
        return sum(1 for other in self.spans_of if other not in (a, b) and self.type_of(other) == kind
                   and self.distance(a, other) < mine)  # fmt: skip

    def distance(self, a: str, b: str) -> int:
        """The fewest sentences between a name of a and a name of b (0: one sentence names both)."""
        if (a, b) not in self._distances:
            found = min(abs(x - y) for x in self.sentences(a) for y in self.sentences(b))
            self._distances[(a, b)] = self._distances[(b, a)] = found
        return self._distances[(a, b)]


def relations_for(source_type: str, target_type: str, relations: list[str]) -> list[str]:
    """The relations (of ``relations``) whose signature allows a source and a target of these types."""
    return [
        name for name in relations if source_type in SIGNATURES[name][1] and target_type in SIGNATURES[name][2]
    ]  # fmt: skip


def entity_pairs(index: ArticleIndex, relations: list[str]) -> Iterator[tuple[str, str, list[str]]]:
    """Ordered pairs of different entities of the article, with the relations their types allow (pairs that
    allow none are left out)."""
    ids = list(index.spans_of)
    for a in ids:
        for b in ids:
            if a != b:
                allowed = relations_for(index.type_of(a), index.type_of(b), relations)
                if allowed:
                    yield a, b, allowed


def document_features(
    index: ArticleIndex, a: str, b: str, by_pair: dict[tuple[int, int], set[str]], entity_rules: dict
) -> list[str]:
    """Sparse features of the ordered entity pair (a, b) over the whole article: a is the candidate subject."""
    ctx = index.ctx
    types = f"{index.kind_of(a)}>{index.kind_of(b)}"
    sentences_a, sentences_b = index.sentences(a), index.sentences(b)
    named_shared = sentences_a & sentences_b
    # sentences where a pronoun or "the company" stands for one of the two and the other is named or referred to
    shared = sorted(index.sentences(a, references=True) & index.sentences(b, references=True))
    referred = len(set(shared) - named_shared)
    distance = index.distance(a, b)
    references_a, references_b = (len(index.spans_of[e]) - len(index.names(e)) for e in (a, b))
    features = [
        f"types={types}",
        f"shared={bucket(len(named_shared))}|{types}",
        f"distance={bucket(distance)}|{types}",
        f"mentions_a={bucket(len(index.names(a)))}|{types}",
        f"mentions_b={bucket(len(index.names(b)))}|{types}",
        f"rank_a={bucket(index.rank[a])}|{types}",
        f"rank_b={bucket(index.rank[b])}|{types}",
        f"first_sentence={0 in sentences_a}{0 in sentences_b}|{types}",
        # a party or country named in another sentence is seldom b's when one of its type is nearer to a
        f"nearest_b={min(index.nearest_rank(a, b), 2)}|{shared != []}|{types}",
        f"nearest_a={min(index.nearest_rank(b, a), 2)}|{shared != []}|{types}",
        f"shared_referred={bucket(referred)}|{bool(named_shared)}|{types}",
        f"references_a={bucket(references_a)}|{types}",
        f"references_b={bucket(references_b)}|{types}",
    ]
    main_a = index.rank[a] == 0
    for word in index.near[b]:
        features += [f"near_b={word}|{types}", f"near_b_main={word}|{main_a}|{types}"]
    for word in index.near_pronoun[b]:
        features.append(f"near_b_pronoun={word}|{main_a}|{types}")
    for word in index.near[a]:
        features.append(f"near_a={word}|{types}")
    features += [f"gov_a={g}|{types}" for g in index.governors[a]]
    features += [f"gov_b={g}|{types}" for g in index.governors[b]]
    for side, entity_id in (("a", a), ("b", b)):
        titles = {word.lower() for title in ctx.titles.get(entity_id, ()) for word in title.split()}
        features += [f"title_{side}={word}|{types}" for word in sorted(titles)]
    for side, entity_id in (("a", a), ("b", b)):
        label = ctx.spans[index.names(entity_id)[0]].span
        features += [f"name_{side}={t.lower_}|{index.type_of(entity_id)}" for t in label if t.is_alpha]
    for name in sorted(entity_rules.get((a, b), ())):
        features.append(f"entity_rule={name}")
    for name in sorted(entity_rules.get((b, a), ())):
        features.append(f"entity_rule_reversed={name}")
    seen: set[str] = set()
    for sentence in shared[:_MAX_SHARED_SENTENCES]:
        first, second = closest_pair(index, a, b, sentence)
        seen |= set(pair_features(ctx, first, second, by_pair))
        if first >= index.named or second >= index.named:
            seen.add(f"referred={'a' if first >= index.named else ''}{'b' if second >= index.named else ''}")
    features += [f"m:{feature}" for feature in sorted(seen)]
    return features + _conjunctions(features, types, bucket(distance), main_a)


def _conjunctions(features: list[str], types: str, distance: str, main_a: bool) -> list[str]:
    """Conjunctions a linear model cannot form by itself: a rule that fired, with the entity types; how b's
    mentions are attached, with whether a is the article's first entity and with the distance; the dependency
    labels of both names together; a word near b with the distance."""
    deps_b = "|".join(f for f in features if f.startswith("m:dep_b="))
    found = []
    for feature in features:
        if feature.startswith(("entity_rule=", "entity_rule_reversed=", "m:rule=", "m:rule_reversed=")):
            found.append(f"{feature}|{types}")
        elif feature.startswith("gov_b="):
            found.append(f"{feature}|{main_a}|d{distance}")
        elif feature.startswith("m:dep_a="):
            found.append(f"{feature}|{deps_b}|{types}")
        elif feature.startswith("near_b="):
            found.append(f"{feature}|d{distance}")
    return found


def entity_rule_relations(ctx: ArticleContext, relations: list[Relation]) -> dict[tuple[str, str], set[str]]:
    """The relation names the rules found between each ordered pair of entities, anywhere in the article."""
    found: dict[tuple[str, str], set[str]] = {}
    for relation in relations:
        if relation.kind != "cooccurrence":
            found.setdefault((relation.source, relation.target), set()).add(relation.relation)
    return found


def load_relation_model():
    """The shipped document-level relation model (loaded once), or None when kg has no weights for it."""
    try:
        return models.load("relations")
    except ModelError:
        return None


def learned_relations(ctx: ArticleContext, rule_found: list[Relation]) -> list[Relation]:
    """The article's relations after the model: ``rule_found`` with the model's relations in place of the
    rules' where it decides (see the module docstring)."""
    model = load_relation_model()
    if model is None:
        return rule_found
    index = ArticleIndex.of(ctx)
    ctx = index.ctx  # with the pronouns and nominals that stand for entities
    decided = [
        r
        for r in rule_found
        if r.relation in model.relations and _decides(model, index, r.source, r.target, r.relation)
    ]
    kept = [r for r in rule_found if r not in decided]
    by_rule: dict[tuple[str, str, str], list[Relation]] = {}
    for relation in decided:
        by_rule.setdefault((relation.source, relation.target, relation.relation), []).append(relation)
    by_pair = _rule_relations_by_pair(ctx, rule_found)
    entity_rules = entity_rule_relations(ctx, rule_found)
    for a, b, allowed in entity_pairs(index, model.relations):
        allowed = [name for name in allowed if _decides(model, index, a, b, name)]
        if not allowed:
            continue
        features = document_features(index, a, b, by_pair, entity_rules)
        for name, probability in model.probabilities(features, relations=allowed).items():
            found = by_rule.pop((a, b, name), [])
            # a rule's relation stays, at the higher of the rule's confidence and the model's probability
            kept += [replace(r, confidence=round(max(probability, r.confidence), 4)) for r in found]
            if not found and probability >= model.floor and _plausible(ctx, index, a, b, name):
                kept += _model_relations(index, a, b, name, round(probability, 4))
    for found in by_rule.values():
        kept += found
    return _one_direction(kept, model.relations)


def closest_pair(index: ArticleIndex, a: str, b: str, sentence: int) -> tuple[int, int]:
    """The mentions of a and b in one sentence that the parse joins most closely (fewest dependency links, then
    fewest words apart; a name before a pronoun standing for the same entity on a tie): "Denis was chairman of
    Mobile Cohesion, a company he had co-founded" joins "he", not "Denis", to the company."""
    spans = index.ctx.spans
    pairs = [
        (i, j)
        for i in index.spans_of[a]
        if index.sentence_of[i] == sentence
        for j in index.spans_of[b]
        if index.sentence_of[j] == sentence
    ]

    def key(pair: tuple[int, int]) -> tuple[int, int, bool, int, int]:
        first, second = spans[pair[0]].span, spans[pair[1]].span
        gap = max(first.start, second.start) - min(first.end, second.end)
        references = pair[0] >= index.named or pair[1] >= index.named
        return _path_length(first.root, second.root), gap, references, pair[0], pair[1]

    return min(pairs, key=key)


def _path_length(a: Token, b: Token) -> int:
    """The number of dependency links between two words of one sentence."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    return 99 if common is None else up_a.index(common) + up_b.index(common)


def _decides(model, index: ArticleIndex, a: str, b: str, name: str) -> bool:
    return model.decides(name, index.type_of(a), index.type_of(b))


def _plausible(ctx: ArticleContext, index: ArticleIndex, a: str, b: str, name: str) -> bool:
    """A killing must be stated by a word of killing between the two names or on the path joining them; places
    named only side by side in a list ("Pennsylvania, Georgia, Florida") do not lie in one another."""
    shared = [
        (i, j) for i in index.spans_of[a] for j in index.spans_of[b] if index.sentence_of[i] == index.sentence_of[j]
    ]  # fmt: skip
    if name == "killed":
        return any(_killing_said_between(ctx, i, j) for i, j in shared)
    if name == "located_in" and shared:
        return not all(_coordinated(ctx.spans[i].span.root, ctx.spans[j].span.root) for i, j in shared)
    return True


def _coordinated(first: Token, second: Token) -> bool:
    """Whether two words are conjuncts of one coordination ("Pennsylvania, Georgia and Florida"), as the parse
    says: the same head of their chain of "conj" links."""

    def chain_head(token: Token) -> Token:
        while token.dep_ == "conj" and token.head is not token:
            token = token.head
        return token

    return (first.dep_ == "conj" or second.dep_ == "conj") and chain_head(first) == chain_head(second)


def _one_direction(relations: list[Relation], learned: list[str]) -> list[Relation]:
    """Of "A parent_of B" and "B parent_of A" (or a symmetric relation found both ways) only the likelier
    direction; on a tie, the one whose source id sorts first."""
    best: dict[tuple, tuple[float, bool, str]] = {}
    for r in relations:
        if r.relation in learned:
            key = (frozenset((r.source, r.target)), r.relation)
            best[key] = max(best.get(key, (0.0, False, "")), (r.confidence, r.source < r.target, r.source))
    return [
        r for r in relations
        if r.relation not in learned or best[(frozenset((r.source, r.target)), r.relation)][2] == r.source
    ]  # fmt: skip


def _model_relations(index: ArticleIndex, a: str, b: str, name: str, probability: float) -> list[Relation]:
    """The model's relation between two entities, once per sentence naming both (or where a pronoun stands for
    one of them: then also with the sentence that names it); when none does, once with the first sentence naming
    the target and once with the source's sentence nearest to it."""
    ctx = index.ctx
    shared = sorted(index.sentences(a, references=True) & index.sentences(b, references=True))
    found = []
    for i, j in (closest_pair(index, a, b, sentence) for sentence in shared):
        relation = ctx.relation(i, j, name, "document_model", ctx.spans[i].span.sent)
        if relation is None:
            continue
        found.append(replace(relation, confidence=probability))
        for k in (i, j):  # "She was born in Munich": and the sentence that names her
            if k in index.antecedent and index.sentence_of[index.antecedent[k]] != index.sentence_of[k]:
                named = index.antecedent[k]
                found.append(_evidence_of(index, relation, named, source=k == i, confidence=probability))
    if found:
        return found
    j = index.spans_of[b][0]
    i = min(index.names(a), key=lambda k: (abs(index.sentence_of[k] - index.sentence_of[j]), k))
    relation = ctx.relation(i, j, name, "document_model", ctx.spans[j].span.sent)
    if relation is None:
        return []
    return [_evidence_of(index, relation, k, source=k == i, confidence=probability) for k in (i, j)]


def _evidence_of(index: ArticleIndex, relation: Relation, k: int, *, source: bool, confidence: float) -> Relation:
    """The relation with, as evidence, the sentence of span ``k`` (the source's when ``source``, else the
    target's), that span marked in it."""
    ctx = index.ctx
    sentence, span = ctx.spans[k].span.sent, ctx.spans[k].offsets
    evidence = Evidence(
        ctx.article.id, sentence.text.strip(), sentence.start_char, sentence.end_char,
        span if source else None, None if source else span,
    )  # fmt: skip
    return replace(relation, evidence=evidence, confidence=confidence)


def _governor(token: Token) -> str:
    """How a mention is attached in its sentence: its dependency label, the preposition it is the object of, and
    the lemma of the nearest verb or noun above it ("born in Munich": "prep_in>bear", "She was born":
    "nsubjpass>bear")."""
    label, head = token.dep_, token.head
    if label == "pobj" and head is not token:
        label, head = f"prep_{head.lower_}", head.head
    while head.pos_ not in _GOVERNING_POS and head.head is not head and head.dep_ in _PASSED_DEPS:
        head = head.head
    return f"{label}>{head.lemma_.lower()}"


def _killing_said_between(ctx: ArticleContext, a: int, b: int) -> bool:
    """Whether a word of killing ("shot", "assassination", "killer", "gunman") stands between two names or on
    the dependency path joining them."""
    first, second = ctx.spans[a].span, ctx.spans[b].span
    left, right = (first, second) if first.start < second.start else (second, first)
    words = {t.lemma_.lower() for t in ctx.doc[left.end : right.start]}
    path = dependency_path(first.root, second.root)
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
