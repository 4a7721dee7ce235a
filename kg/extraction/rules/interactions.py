"""Interactions, killings and membership stated by a verb ("Russia backs Assad", "Assad is backed by Russia")
or by a noun ("Trump's meeting with Putin", "Kennedy's assassin, Oswald")."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from spacy.tokens import Token

from kg.extraction import lexicon
from kg.extraction.context import ArticleContext
from kg.extraction.rules.syntax import children, is_attribution_source, negated, np_entities, pobjs
from kg.model import Relation


def _subjects(ctx: ArticleContext, verb: Token) -> tuple[list[int], str]:
    """The entities doing what a verb says, and the method that found them."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return np_entities(ctx, child), "verb"
        if child.dep_ == "agent":  # passive: "Assad was backed by Russia"
            return [e for p in pobjs(child) for e in np_entities(ctx, p)], "verb"
    if verb.dep_ == "relcl" and ctx.at(verb.head) is not None:  # "Russia, which backs Assad"
        return np_entities(ctx, verb.head), "verb"
    if verb.dep_ in {"xcomp", "conj"} and verb.head.pos_ in {"VERB", "AUX"}:
        head = verb.head
        if verb.dep_ == "xcomp":  # "Washington calls on Russia to work with the US": Russia works with the US
            objects = [
                p for c in head.children if c.dep_ in {"dobj", "prep"} for p in ([c] if c.dep_ == "dobj" else pobjs(c))
            ]
            for obj in objects:
                found = np_entities(ctx, obj)
                if found:
                    return found, "verb_inherited_subject"
        found, _ = _subjects(ctx, head)
        return found, "verb_inherited_subject"
    return [], "verb"


def _verb_relation(verb: Token, particle: str | None) -> str | None:
    lemma = verb.lemma_.lower()
    if particle and (lemma, particle) in lexicon.PHRASAL_VERBS:
        return lexicon.PHRASAL_VERBS[(lemma, particle)]
    if lemma in lexicon.KILL_VERBS:
        return "killed"
    if lemma in lexicon.MEMBERSHIP_VERBS:
        return "member_of"
    if lemma in lexicon.RESIDENCE_VERBS and particle == "in":
        return "lives_in"
    if particle is None or particle in {"with", "against"}:
        return lexicon.INTERACTION_VERBS.get(lemma)
    return None


def verb_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Interactions stated by a verb, with passives, conjunctions and prepositional objects:
    "Russia backs Assad", "Assad is backed by Russia and Iran", "Trump met with Putin", "X killed Y"."""
    for verb in ctx.doc:
        if verb.pos_ != "VERB" or negated(verb):
            continue
        agents, method = _subjects(ctx, verb)
        passive_subjects = [e for c in children(verb, "nsubjpass") for e in np_entities(ctx, c)]
        if not agents and not passive_subjects:
            continue
        objects: list[tuple[str | None, list[int]]] = []
        for child in verb.children:
            if child.dep_ == "dobj":
                objects.append((None, np_entities(ctx, child)))
            elif child.dep_ == "prep":
                objects.append((child.lower_, [e for p in pobjs(child) for e in np_entities(ctx, p)]))
            elif child.dep_ == "prt":  # "call on Russia" parsed with a particle
                for prep in children(verb, "prep"):
                    objects.append((child.lower_, [e for p in pobjs(prep) for e in np_entities(ctx, p)]))
        if passive_subjects:  # "Kennedy was killed by Oswald": the passive subject is the object
            objects.append((None, passive_subjects))
            if verb.lemma_.lower() in lexicon.RESIDENCE_VERBS:  # "X was born in Y"
                for particle, targets in objects:
                    if particle == "in":
                        for person in passive_subjects:
                            for target in targets:
                                yield ctx.relation(person, target, "lives_in", "verb", verb.sent, trigger=verb.text)
        for particle, targets in objects:
            name = _verb_relation(verb, particle)
            if name is None:
                continue
            for source in agents:
                for target in targets:
                    yield ctx.relation(source, target, name, method, verb.sent, trigger=verb.lemma_)


# --- interactions stated by a noun -------------------------------------------------------------------------


def _noun_agents(ctx: ArticleContext, noun: Token) -> tuple[list[int], str]:
    found = [e for c in noun.children if c.dep_ in {"poss", "compound", "nmod", "amod"} for e in np_entities(ctx, c)]
    for prep in children(noun, "prep"):
        if prep.lower_ == "by":  # "the attack by Russia on ..."
            found += [e for p in pobjs(prep) for e in np_entities(ctx, p)]
    if found:
        return found, "noun"
    head = noun.head
    if noun.dep_ == "appos" and ctx.at(head) is not None:  # "Russia, the main backer of Assad"
        return np_entities(ctx, head), "noun"
    if noun.dep_ in {"attr", "acomp"} and head.lemma_ in {"be", "become", "remain"}:
        subjects = [e for c in children(head, "nsubj") for e in np_entities(ctx, c)]
        if subjects:
            return subjects, "noun"
        return _left_group(ctx, head), "noun_left_subject"
    return [], "noun"


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


def noun_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Interactions stated by a noun: "Trump's meeting with Putin", "Russia is the main backer of Assad's regime",
    "the talks between A and B", "Kennedy's assassin, Oswald", "the assassination of Kennedy by Oswald"."""
    for noun in ctx.doc:
        if noun.pos_ not in {"NOUN", "PROPN"} or ctx.at(noun) is not None:
            continue
        word = noun.lower_
        if word in lexicon.KILLER_NOUNS:
            yield from _killer_relations(ctx, noun)
            continue
        name = "killed" if word in lexicon.KILLING_NOUNS else lexicon.INTERACTION_NOUNS.get(word)
        if name is None:
            continue
        agents, method = _noun_agents(ctx, noun)
        patients: list[int] = []
        between: list[int] = []
        for prep in children(noun, "prep"):
            objects = [e for p in pobjs(prep) for e in np_entities(ctx, p)]
            if prep.lower_ == "between":  # "talks between Russia and Turkey"
                between += objects
            elif prep.lower_ in {"with", "of", "on", "against", "to", "for", "in"}:
                patients += objects
        if name == "killed":  # "the assassination of Kennedy by Oswald": "by" is the killer, "of" the victim
            killers = [
                e for p in children(noun, "prep") if p.lower_ == "by" for q in pobjs(p) for e in np_entities(ctx, q)
            ]
            agents = killers or [e for e in agents if e not in patients]
        for source in agents:
            for target in patients:
                yield ctx.relation(source, target, name, method, noun.sent, trigger=noun.text)
        for source, target in combinations(dict.fromkeys(agents + between), 2):
            if source in between and target in between:
                yield ctx.relation(source, target, name, method, noun.sent, trigger=noun.text)


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
