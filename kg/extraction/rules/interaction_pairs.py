"""Interactions at the level of actor pairs: the features the confidence model reads of two actors of one
sentence (the dependency path between them, the PLOVER trigger on it, the rule that stated an event between them,
their types, agent words, negation), and the learned pair detector.

Every interaction the rules state gets the model's probability (:func:`rescored`); the rules' interactions below
:data:`FLOOR` are dropped. The detector (:func:`pair_relations`) reads every pair of actors of a sentence that no
rule joined and that has a verb or event noun of the PLOVER table on the dependency path between them ("Kerry
held a phone call with Lavrov"): it becomes an interaction of that word's category when the model's probability
reaches :data:`DETECT_FLOOR`. Both numbers come with the model (``model.json``, written by ``kg train
interactions``: chosen on out-of-fold probabilities of re3d's calibration part).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations

from spacy.tokens import Token

from kg.extraction import lexicon, plover
from kg.extraction.context import ArticleContext
from kg.extraction.rules.interaction_senses import NO_EVENT_VERBS
from kg.extraction.rules.syntax import negated
from kg.model import INTERACTION, Relation

#: the rules' method for a pair no rule joined (a candidate of the detector)
PAIR = "pair_model"
_SUBJECTISH = frozenset({"nsubj", "poss", "csubj"})
_NEGATIONS = frozenset({"not", "n't", "never", "no"})


def _chain(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def path(a: Token, b: Token) -> tuple[list[Token], list[Token]]:
    """The dependency path from ``a`` up to the lowest common head and down to ``b``: (a's side with the head, b's
    side without it), both without ``a`` and ``b``; empty sides when they are in different sentences."""
    up_a, up_b = _chain(a), _chain(b)
    on_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in on_b:
            return up_a[1 : n + 1], list(reversed(up_b[1 : on_b[token.i]]))
    return [], []


def trigger_of(tokens: list[Token]) -> tuple[Token, str, str] | None:
    """The first word on a path the PLOVER table gives a category: (token, category, the words that matched),
    a verb with its particle ("call on") or alone, or an event noun ("talks", "attack")."""
    for token in tokens:
        lemma = token.lemma_.lower()
        if lemma in NO_EVENT_VERBS:
            continue
        candidates = []
        if token.pos_ in {"VERB", "AUX"} or token.tag_.startswith("VB"):
            particles = [c.lower_ for c in token.children if c.dep_ == "prt"]
            preps = [c.lower_ for c in token.children if c.dep_ == "prep"]
            candidates = [f"{lemma} {p}" for p in particles + preps] + [lemma]
        elif token.lower_ in lexicon.INTERACTION_NOUNS:
            candidates = [lexicon.INTERACTION_NOUNS[token.lower_]]
        for words in candidates:
            found = plover.verb_category(words)
            if found is not None:
                return token, found[0], words
    return None


#: dependencies of a word the trigger acts on: its object, a predicate complement, a passive's subject
_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd", "nsubjpass"})
#: dependencies of a name that modifies another noun ("United States Senator", "a Russian official"): the noun acts
_MODIFIERS = frozenset({"compound", "amod", "nmod"})
#: prepositions of a place where something happens ("died in California", "banned in Turkey")
_AT_PREPOSITIONS = frozenset({"in", "at", "from", "to", "near"})


def _conjunct_head(token: Token) -> Token:
    """The first of conjoined or apposed names ("China, India and Oman": "China")."""
    while token.dep_ in {"conj", "appos"} and token.head.i != token.i:
        token = token.head
    return token


def _governs(trigger: Token, token: Token) -> bool:
    """The trigger governs the name, directly or through a preposition ("met with X", "attacked by X")."""
    return token.head.i == trigger.i or (token.head.dep_ in {"prep", "agent"} and token.head.head.i == trigger.i)


def _roles(trigger: Token, a: Token, b: Token) -> dict[str, float]:
    """Whether the two names fill the trigger's roles: the doer its subject (or a possessor, or a passive's "by"),
    the other its object (or a prepositional object, or a passive's subject), or the other the doer of a passive."""
    a, b = _conjunct_head(a), _conjunct_head(b)
    return {
        "source_subject": float(_governs(trigger, a) and (a.dep_ in {"nsubj", "poss"} or _by_agent(a))),
        "target_object": float(
            _governs(trigger, b) and (b.dep_ in _OBJECTS or (b.dep_ == "pobj" and b.head.dep_ == "prep"))
        ),
        "target_agent": float(_by_agent(b) and b.head.head.i == trigger.i),
    }


def _by_agent(token: Token) -> bool:
    return token.dep_ == "pobj" and token.head.dep_ == "agent"


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def pair_features(
    ctx: ArticleContext, source: int, target: int, *, method: str, category: str, trigger: str | None,
    grouped: bool = False, denied: bool = False,
) -> dict[str, float]:  # fmt: skip
    """What the confidence model reads of one pair of actors and the event stated (or proposed) between them."""
    a, b = ctx.spans[source].span, ctx.spans[target].span
    side_a, side_b = path(a.root, b.root)
    between = side_a + side_b
    found = trigger_of(between)
    values = {
        f"method={method}": 1.0,
        f"quad={plover.QUADS.get(category, category)}": 1.0,
        f"source={ctx.type_of(source)}": 1.0,
        f"target={ctx.type_of(target)}": 1.0,
        f"path_length={_bucket(len(between), (1, 2, 3, 5))}": 1.0,
        "grouped": float(grouped),
        "phrase": float(bool(trigger) and " " in (trigger or "")),
        "negated": float(denied),
        "say_on_path": float(any(t.lemma_.lower() in lexicon.SAY_VERBS for t in between)),
        "source_modifier": float(a.root.dep_ in _MODIFIERS),
        "target_modifier": float(b.root.dep_ in _MODIFIERS),
        "target_place_pobj": float(
            ctx.type_of(target) in {"Place", "Country"}
            and b.root.dep_ == "pobj"
            and b.root.head.lower_ in _AT_PREPOSITIONS
        ),
    }
    # the verb's lemma: its sense, learned per word ("according to", "died in" state no event between two names)
    word = trigger or (found[2] if found is not None else None)
    if word:
        values[f"trigger={word.split()[0]}"] = 1.0
    if found is not None:
        token, path_category, _ = found
        values["path_trigger"] = 1.0
        values[f"path_quad={plover.QUADS.get(path_category, path_category)}"] = 1.0
        values["path_trigger_agrees"] = float(path_category == category)
        values["path_trigger_is_head"] = float(bool(side_a) and token.i == side_a[-1].i)
        values.update(_roles(token, a.root, b.root))
    else:
        values["path_trigger"] = 0.0
    return values


def _index(ctx: ArticleContext) -> dict[tuple[int, int], int]:
    return {entity.offsets: i for i, entity in enumerate(ctx.spans)}


def relation_pair_features(ctx: ArticleContext, relation: Relation, index: dict | None = None) -> dict | None:
    """The :func:`pair_features` of an interaction a rule states, or None when its names are not spans here."""
    index = _index(ctx) if index is None else index
    source, target = index.get(relation.evidence.source_span), index.get(relation.evidence.target_span)
    if source is None or target is None:
        return None
    return pair_features(
        ctx, source, target, method=relation.method, category=relation.relation, trigger=relation.trigger,
        grouped=bool(relation.source_group or relation.target_group), denied=relation.negated,
    )  # fmt: skip


def floors() -> tuple[float, float]:
    """(the floor below which a rule's interaction is dropped, the probability the detector needs)."""
    model = plover.model() or {}
    return float(model.get("floor", 0.0)), float(model.get("detect_floor", 1.01))


def rescored(ctx: ArticleContext, relations: Iterator[Relation | None]) -> Iterator[Relation | None]:
    """Each interaction with the model's probability; those below the floor are dropped."""
    index = _index(ctx)
    floor, _ = floors()
    for relation in relations:
        if relation is None or relation.kind != INTERACTION:
            yield relation
            continue
        values = relation_pair_features(ctx, relation, index)
        probability = plover.confidence(values) if values is not None else None
        if probability is None:
            yield relation
        elif probability >= floor:
            yield replace(relation, confidence=probability)


def _acts(token: Token) -> bool:
    """A name on the doer's side: a subject, a possessor, or the object of a passive's "by"."""
    return token.dep_ in _SUBJECTISH or (token.dep_ == "pobj" and token.head.dep_ == "agent")


def candidates(ctx: ArticleContext, stated: set[frozenset[int]]) -> Iterator[tuple[int, int, str, str, bool]]:
    """(source, target, category, trigger words, negated) of each pair of actors of a sentence that no rule joined
    (``stated``: pairs of span indices) with a PLOVER word on the path between them; the source is the one on
    the doer's side of the word (subject, possessor, a passive's "by"), else the first."""
    by_sentence: dict[int, list[int]] = {}
    for i, entity in enumerate(ctx.spans):
        by_sentence.setdefault(entity.span.sent.start, []).append(i)
    for members in by_sentence.values():
        for first, second in combinations(members, 2):
            if ctx.ids[first] == ctx.ids[second] or frozenset((first, second)) in stated:
                continue
            a, b = ctx.spans[first].span.root, ctx.spans[second].span.root
            side_a, side_b = path(a, b)
            found = trigger_of(side_a + side_b)
            if found is None:
                continue
            token, category, words = found
            source, target = first, second
            if (_acts(b) and not _acts(a)) or (a.dep_ == "nsubjpass" and not _acts(b) and b.dep_ != "nsubjpass"):
                source, target = second, first
            denied = negated(token) or any(c.lower_ in _NEGATIONS for c in token.children if c.dep_ == "advmod")
            yield source, target, category, words, denied


def pair_relations(ctx: ArticleContext, stated: set[frozenset[int]]) -> Iterator[Relation | None]:
    """The detector's interactions: candidates whose probability reaches the detector's floor."""
    _, detect = floors()
    if detect > 1.0:
        return
    for source, target, category, words, denied in candidates(ctx, stated):
        values = pair_features(ctx, source, target, method=PAIR, category=category, trigger=words, denied=denied)
        probability = plover.confidence(values)
        if probability is None or probability < detect:
            continue
        relation = ctx.relation(
            source, target, category, "verb", ctx.spans[source].span.sent, trigger=words, negated=denied
        )
        yield None if relation is None else replace(relation, method=PAIR, confidence=probability)


def rule_relations(ctx: ArticleContext) -> list[Relation]:
    """What the verb and noun rules state, before the model scores it (one per key, as ``extract_relations``)."""
    from kg.extraction.rules.interaction_nouns import _noun_relations
    from kg.extraction.rules.interactions import _verb_relations

    found: dict[tuple, Relation] = {}
    for relation in [*_verb_relations(ctx), *_noun_relations(ctx)]:
        if relation is not None:
            key = (relation.source, relation.target, relation.relation, relation.evidence.source_span,
                   relation.evidence.target_span)  # fmt: skip
            found.setdefault(key, relation)
    return list(found.values())


def stated_pairs(ctx: ArticleContext, relations: list[Relation]) -> set[frozenset[int]]:
    """The pairs of span indices some rule joined (by any relation)."""
    index = _index(ctx)
    return {
        frozenset((index[r.evidence.source_span], index[r.evidence.target_span]))
        for r in relations
        if r.evidence.source_span in index and r.evidence.target_span in index
    }


def detected_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """The extractor of the pair detector (``EXTRACTORS["interaction_pairs"]``): interactions between actors no
    verb or noun rule joined."""
    _, detect = floors()
    if detect > 1.0:
        return iter(())
    return pair_relations(ctx, stated_pairs(ctx, rule_relations(ctx)))
