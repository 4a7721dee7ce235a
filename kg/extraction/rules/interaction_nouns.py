"""Interactions and killings stated by a noun: "Trump's meeting with Putin", "talks between Iran and the EU",
"Russia's attack on Ukraine", "held talks with", "the main backer of Assad", "Kennedy's assassin, Oswald".

A noun takes the PLOVER category of the verb it names (``lexicon.INTERACTION_NOUNS``: "meeting" is "meet",
CONSULT), from the same derived table as the verbs.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from spacy.tokens import Token

from kg.extraction import lexicon, plover
from kg.extraction.context import ArticleContext
from kg.extraction.rules.interaction_pairs import rescored
from kg.extraction.rules.interaction_senses import is_journey_verb
from kg.extraction.rules.interactions import (
    CONFLICT,
    Actors,
    actors,
    is_negated,
    subjects,
)
from kg.extraction.rules.syntax import children, is_attribution_source, np_entities, pobjs
from kg.model import Relation

_CONFLICT_PREPS = frozenset({"on", "against", "upon"})


def _noun_agents(ctx: ArticleContext, noun: Token, name: str) -> tuple[Actors, str]:
    found: list[int] = []
    group = None
    for child in children(noun, "poss", "compound", "nmod", "amod"):
        entities, child_group = actors(ctx, child)
        found += entities
        group = group or child_group
    for prep in children(noun, "prep"):
        if prep.lower_ in {"by", "from"}:  # "the attack by Russia on ...", "support from Turkey"
            for p in pobjs(prep):
                entities, child_group = actors(ctx, p)
                found += entities
                group = group or child_group
    if found:
        return (found, group), "noun"
    head = noun.head
    if noun.dep_ == "appos" and ctx.at(head) is not None:  # "Russia, the main backer of Assad"
        return actors(ctx, head), "noun"
    if noun.dep_ in {"attr", "acomp"} and head.lemma_ in {"be", "become", "remain"}:
        if plover.QUADS.get(name) == "verbal_conflict":
            return ([], None), "noun"  # "ISIL is a threat to Iraqis": a description, no threat made

        stated = [actors(ctx, c) for c in children(head, "nsubj")]
        if any(entities for entities, _ in stated):
            return ([e for f, _ in stated for e in f], next((g for _, g in stated if g), None)), "noun"
        return (_left_group(ctx, head), None), "noun_left_subject"
    if noun.dep_ == "dobj" and head.lemma_.lower() in lexicon.LIGHT_VERBS:  # "Trump held talks with Putin"
        inherited, _ = subjects(ctx, head)  # with the subjects a verb inherits ("agreed to hold talks")
        return inherited, "noun_light_verb"
    verb = _clause_verb(noun)
    if verb is not None:
        # "the EU is united in its condemnation of", "conducted strikes in support of the government of Iraq": the
        # event is the clause subject's own, in either voice
        stated = [actors(ctx, c) for c in children(verb, "nsubjpass")]
        if any(entities for entities, _ in stated):
            return ([e for f, _ in stated for e in f], next((g for _, g in stated if g), None)), "noun_light_verb"
        inherited, _ = subjects(ctx, verb)
        return inherited, "noun_light_verb"
    return ([], None), "noun"


def _clause_verb(noun: Token) -> Token | None:
    """The verb whose subject does what a noun names: the noun is owned by "its" / "their", is the object of a
    verb's "in" ("in support of", "in cooperation with"), or of "claimed responsibility for"."""
    if any(c.lower_ in {"its", "their"} for c in children(noun, "poss")):
        head = noun.head
        while head.pos_ not in {"VERB", "AUX"} and head.dep_ != "ROOT" and head.head.i != head.i:
            head = head.head
        return head if head.pos_ in {"VERB", "AUX"} else None
    prep = noun.head
    if noun.dep_ == "pobj" and prep.lower_ == "in" and prep.head.pos_ in {"VERB", "AUX"}:
        return prep.head
    if noun.dep_ == "pobj" and prep.lower_ == "for" and is_journey_verb(prep.head):
        return prep.head  # "Obama headed to Moscow for talks with Putin": the traveller's talks
    if noun.dep_ == "pobj" and prep.lower_ == "for" and prep.head.lemma_.lower() == "responsibility":
        # "the Taliban claimed responsibility for the attack on the Afghan army": the claimant did it
        return prep.head.head if prep.head.head.pos_ == "VERB" else None
    return None


def _left_group(ctx: ArticleContext, verb: Token) -> list[int]:
    """The entities just before a verb whose subject the parser lost: "Russia, along with Iran, is ..."."""
    group: list[int] = []
    i = verb.i - 1
    while i >= verb.sent.start:
        token = ctx.doc[i]
        index = ctx.at(token)
        if index is not None:
            if is_attribution_source(ctx.spans[index].span.root):
                break
            group.append(index)
            i = ctx.spans[index].span.start - 1
        elif token.text == "," or token.lower_ in {"and", "along", "with", "together", "as", "well"}:
            i -= 1
        else:
            break
    return list(dict.fromkeys(group))


def _is_noun(token: Token) -> bool:
    """A noun, or an event noun the tagger took for a verb where it stands as one ("U.S. airstrikes against")."""
    if token.pos_ in {"NOUN", "PROPN"}:
        return True
    return token.lower_ in lexicon.INTERACTION_NOUNS and token.dep_ in {"pobj", "dobj", "nsubj", "nsubjpass", "attr"}


def noun_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Interactions stated by a noun: "Trump's meeting with Putin", "Russia is the main backer of Assad's regime",
    "the talks between A and B", "Kennedy's assassin, Oswald", "the assassination of Kennedy by Oswald"; each
    interaction with its calibrated confidence."""
    return rescored(ctx, _noun_relations(ctx))


def _noun_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    for noun in ctx.doc:
        word = noun.lower_
        if ctx.at(noun) is not None or not _is_noun(noun):
            continue
        if word in lexicon.KILLER_NOUNS:
            yield from _killer_relations(ctx, noun)
            continue
        if word in lexicon.KILLING_NOUNS:
            name = "killed"
        else:
            category = plover.verb_category(lexicon.INTERACTION_NOUNS.get(word, ""))
            if category is None:
                continue
            name = category[0]
        (agents, group), method = _noun_agents(ctx, noun, name)
        patients: list[int] = []
        target_group = None
        between: list[int] = []
        # "the agreement reached yesterday between A and B": the "between" of the participle on the noun
        preps = children(noun, "prep") + [p for c in children(noun, "acl") for p in children(c, "prep")]
        for prep in preps:
            if prep.head.i != noun.i and prep.lower_ != "between":
                continue
            # the aim of a conflict may be what an actor owns ("attacks on ISIL targets", "of Assad's policies")
            found = [_aimed_at(ctx, p, name) for p in pobjs(prep)]
            objects = [e for f, _ in found for e in f]
            if prep.lower_ == "between":  # "talks between Russia and Turkey"
                between += objects
            elif prep.lower_ in {"with", "of", "to", "for"} or (prep.lower_ in _CONFLICT_PREPS and name in CONFLICT):
                patients += objects  # "an attack on", "talks with"; not "talks on Syria", "a partner on Instagram"
                target_group = target_group or next((g for _, g in found if g), None)
        if name == "killed":  # "the assassination of Kennedy by Oswald": "by" is the killer, "of" the victim
            killers = [
                e for p in children(noun, "prep") if p.lower_ == "by" for q in pobjs(p) for e in np_entities(ctx, q)
            ]
            agents = killers or [e for e in agents if e not in patients]
        denied = method == "noun_light_verb" and is_negated(noun.head)  # "could not reach an agreement"
        for source in agents:
            for target in patients:
                groups = (group, target_group)
                yield ctx.relation(
                    source, target, name, method, noun.sent, trigger=noun.text, negated=denied, groups=groups
                )
        for source, target in combinations(dict.fromkeys(agents + between), 2):
            if source in between and target in between:
                yield ctx.relation(source, target, name, method, noun.sent, trigger=noun.text)
            elif method == "noun_light_verb" and not patients and not between:
                # "the United States and Iraq signed an agreement": the subjects do it together
                yield ctx.relation(
                    source, target, name, method, noun.sent, trigger=noun.text, negated=denied, groups=(group, group)
                )


def _aimed_at(ctx: ArticleContext, token: Token, name: str) -> Actors:
    """The actors a noun's prepositional object names; for a conflict also the owner of what it names."""
    found = actors(ctx, token)
    return found if found[0] or name not in CONFLICT else actors(ctx, token, owned=True)


def _killer_relations(ctx: ArticleContext, noun: Token) -> Iterator[Relation | None]:
    victims = [e for c in noun.children if c.dep_ == "poss" for e in np_entities(ctx, c)]
    victims += [e for p in children(noun, "prep") if p.lower_ == "of" for q in pobjs(p) for e in np_entities(ctx, q)]
    killers: list[int] = []
    if ctx.at(noun.head) is not None and noun.dep_ == "appos":  # "Oswald, the killer of Kennedy"
        killers = np_entities(ctx, noun.head)
    killers += [e for c in children(noun, "appos") for e in np_entities(ctx, c)]  # "Kennedy's assassin, Oswald"
    if noun.dep_ == "attr":  # "Oswald was Kennedy's killer"
        killers += [e for c in children(noun.head, "nsubj") for e in np_entities(ctx, c)]
    doc = ctx.doc
    if not killers and noun.i + 2 < len(doc) and doc[noun.i + 1].text == ",":  # parsed without the apposition
        follower = ctx.at(doc[noun.i + 2])
        if follower is not None and ctx.spans[follower].span.start == noun.i + 2:
            killers.append(follower)
    if noun.dep_ == "compound" and noun.i > 0:  # "King assassin James Earl Ray": victim, noun, killer as a title
        killer, victim = ctx.at(noun.head), ctx.at(doc[noun.i - 1])
        if killer is not None and victim is not None:
            killers.append(killer)
            victims.append(victim)
    for killer in killers:
        for victim in victims:
            yield ctx.relation(killer, victim, "killed", "noun", noun.sent, trigger=noun.text)
