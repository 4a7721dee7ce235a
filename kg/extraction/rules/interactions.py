"""Interactions stated by a verb, as PLOVER events ("Russia backs Assad": support, "was attacked by": assault,
"cracked down on": coerce), and the killings, memberships and residences a verb states.

A verb's category comes from the table kg derives from PETRARCH2's CAMEO dictionary (:mod:`kg.extraction.plover`):
first the verb with its particle and preposition ("crack down on", "meet with", "call on"), then the verb alone
when its object is direct or follows "with", "against", "on". Actors are entity names, or the agent words of
Phoenix ("Russian forces", "the Iranian government", "the Assad regime") for the entity they belong to; the agent
word is kept on the relation (``source_group``, ``target_group``).

Negation: "Russia did not attack Ukraine" is an assault with ``negated``. A refusal is an act of its own:
"Iran refused to meet the envoy" is REJECT (CAMEO 125, "reject proposal to meet"), not a negated CONSULT, as
PLOVER codes it; the meeting it refuses is not stated.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from spacy.tokens import Token

from kg.extraction import lexicon, plover
from kg.extraction.context import ArticleContext
from kg.extraction.rules.interaction_pairs import rescored
from kg.extraction.rules.interaction_senses import (
    MUTUAL_CONFLICT_NOUNS,
    PREVAIL_VERBS,
    is_contest,
    is_journey,
    leads,
    states_no_event,
)
from kg.extraction.rules.syntax import children, conjuncts, last_person_before, negated, pobjs
from kg.model import Relation

#: CAMEO codes of events that two actors do together: "Trump and Putin met", "the two countries should cooperate"
_RECIPROCAL_CODES = ("04", "050", "057", "06")

#: PLOVER's material categories: actors named together as the subject of one of them act together ("the UK and
#: the Government of Iraq have supported Iraqi forces", "Russia and Iran attacked Syria"): they COOPERATE
_JOINT = frozenset("support aid cooperate assault coerce mobilize".split())
#: Of those, the ones done for someone: their co-subjects act together only when that someone is an actor
_JOINT_FOR = frozenset("support aid cooperate".split())

#: Nouns of an undertaking whose infinitive says what its owner does ("U.S. efforts to help Iraq", "the operation
#: to eliminate ISIL"); the event nouns of ``lexicon.INTERACTION_NOUNS`` too ("the fight to free Mosul")
_UNDERTAKINGS = frozenset("effort efforts campaign campaigns operation operations mission missions work drive".split())

#: The one-word agents of Phoenix's civilian and people sectors (CVL, PPL in Phoenix.agents.txt: PEOPLE,
#: CIVILIAN, CITIZEN, POPULATION, RESIDENT), which kg's derived table (state sectors only) leaves out: "the people
#: of Syria", "Syrian civilians" are their country's
_CIVILIAN_AGENTS = frozenset("people civilians civilian citizens citizen population residents resident".split())

Actors = tuple[list[int], str | None]  # entity spans, and the agent word they act through

#: PLOVER's conflict categories (its verbal and material conflict quads): only their events are aimed "against"
#: or "on" someone; "supported Hadi against the Houthis" supports Hadi, not the Houthis
CONFLICT = frozenset("accuse reject threaten protest sanction mobilize coerce assault".split())
_CONFLICT_PREPOSITIONS = frozenset({"against", "on", "upon"})
#: Material conflicts that take something from someone: "seized the hospital from ISIL", "captured X from Y"
_TAKING = frozenset({"coerce", "assault"})


def actors(ctx: ArticleContext, token: Token, *, owned: bool = False) -> Actors:
    """The entities a noun phrase names, with conjuncts on both levels ("Hungarian and Romanian officials"), and
    the agent word they act through, if any ("Russian forces": Russia, "forces").

    An agent word, a title or an event noun stands for the entity named in it ("Iraqi security forces",
    "al-Qaida fighters", "the Iraqi foreign minister", "condemned ISIL's attacks") or after its "of" ("the
    governments of the region", "the Minister of Foreign Affairs of Iraq"); a title also for the person in
    apposition to it ("the Minister ..., Ibrahim al-Jaafari"). With ``owned``, any noun stands for the actor it
    belongs to: the aim of a conflict ("hit two al-Qaida vehicles", "condemned Assad's policies")."""
    found: list[int] = []
    group = None
    # "The UK, the wider Global Coalition and the Government of Iraq": a list the parser read as an apposition
    listed = [t for a in children(token, "appos") if a.conjuncts for t in (a, *a.conjuncts)]
    for head in [token, *conjuncts(token), *listed]:
        if ctx.at(head) is not None:
            found.append(ctx.at(head))
            continue
        if head.pos_ not in {"NOUN", "PROPN"}:
            continue
        word = head.lower_
        if not (owned or _is_agent(head) or word in lexicon.TITLES or word in lexicon.INTERACTION_NOUNS):
            continue  # "Pierluisi's confirmation" is no actor
        owners = [e for c in children(head, "poss", "compound", "nmod", "amod") for e in _with_conjuncts(ctx, c)]
        if not owners and word in lexicon.TITLES:  # "the Minister of Foreign Affairs of Iraq, Ibrahim al-Jaafari"
            owners = [ctx.at(c) for c in children(head, "appos") if ctx.at(c) is not None] + _of_owners(ctx, head)
        elif not owners and not owned:
            owners = _of_owners(ctx, head)
        if owners:
            found += owners
            group = group or word
    return list(dict.fromkeys(found)), group


def _of_owners(ctx: ArticleContext, head: Token) -> list[int]:
    """The actors after a noun's "of", through nested ones ("the Minister of Foreign Affairs of Iraq")."""
    found = []
    for prep in children(head, "prep"):
        if prep.lower_ == "of":
            for obj in pobjs(prep):
                found += actors(ctx, obj)[0] or _of_owners(ctx, obj)
    return found


def _is_agent(token: Token) -> bool:
    return (
        token.lemma_.lower() in lexicon.PROXY_NOUNS
        or plover.agent_sector(token.lower_) is not None
        or token.lower_ in _CIVILIAN_AGENTS
    )


def _with_conjuncts(ctx: ArticleContext, token: Token) -> list[int]:
    return [ctx.at(t) for t in [token, *token.conjuncts] if ctx.at(t) is not None]


def subjects(ctx: ArticleContext, verb: Token) -> tuple[Actors, str]:
    """The actors doing what a verb says, and the method that found them."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            if verb.dep_ == "relcl" and child.lower_ in {"which", "that", "who"}:
                break  # "ISIL's attacks, which targeted civilians": the head of the relative clause acts
            if child.lower_ in {"he", "she"}:
                last = _antecedent(ctx, child)
                return ([last] if last is not None else [], None), "verb_pronoun_subject"
            if child.lower_ == "they" or any(c.lower_ == "their" for c in children(child, "poss")):
                if ctx.at(child) is None and verb.dep_ in {"ccomp", "xcomp", "advcl", "conj"}:
                    break  # "X and Y agreed that their countries should cooperate": the subject of the head verb
            return actors(ctx, child), "verb"
        if child.dep_ == "agent":  # passive: "Assad was backed by Russia"
            found = [actors(ctx, p) for p in pobjs(child)]
            return ([e for f, _ in found for e in f], next((g for _, g in found if g), None)), "verb"
    if children(verb, "nsubjpass", "auxpass"):
        # "Ghadiya was killed in a 2008 raid by US Special Operations": the doer of the event it happened in;
        # "Armenia claimed 790 soldiers had been killed": by whom, the text does not say
        return _event_doers(ctx, verb), "verb"
    if verb.dep_ == "relcl":  # "Russia, which backs Assad"; "ISIL's attacks, which targeted civilians": ISIL
        found = actors(ctx, verb.head)
        if found[0]:
            return found, "verb"
    head = verb.head
    if verb.dep_ == "acl" and (head.lower_ in _UNDERTAKINGS or head.lower_ in lexicon.INTERACTION_NOUNS):
        return (_undertaker(ctx, head), None), "verb_inherited_subject"
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        # "remains committed to carrying out attacks", "after meeting with Putin, Trump said": the clause's subject
        above = head.head.head if head.head.dep_ == "acomp" else head.head
        if above.pos_ in {"VERB", "AUX"}:  # "are committed to defeating ISIL": the passive subject too
            return _passive_subject(ctx, above) or subjects(ctx, above)[0], "verb_inherited_subject"
    if verb.dep_ == "conj" and not children(verb, "auxpass") and head.pos_ in {"VERB", "AUX"}:
        # "X are committed to defeating ISIL and have supported Iraqi forces", "Iran was criticised by Israel and
        # has supported Hezbollah": the passive subject is the active conjunct's subject
        found = _passive_subject(ctx, head, agent_too=True)
        if found:
            return found, "verb_inherited_subject"
    if verb.dep_ in {"xcomp", "conj", "advcl", "ccomp"} and head.pos_ in {"VERB", "AUX"} and head.i != verb.i:
        if verb.dep_ == "xcomp" and _object_controls(head):
            # "Washington calls on Russia to work with the US", "urged Iran to talk": the object acts
            for obj in children(head, "dobj") + [p for c in children(head, "prep", "prt") for p in pobjs(c)]:
                found = actors(ctx, obj)
                if found[0]:
                    return found, "verb_inherited_subject"
        found, _ = subjects(ctx, head)  # "agreed to cooperate", "traveled to Florida to meet with Devocht"
        return found, "verb_inherited_subject"
    return ([], None), "verb"


def _event_doers(ctx: ArticleContext, verb: Token) -> Actors:
    """Who did what a passive verb says when it happened "in" a conflict event: the event's "by" ("killed in a
    raid by US forces") or its owner ("killed in a US airstrike")."""
    for prep in children(verb, "prep"):
        if prep.lower_ not in {"in", "during"}:
            continue
        for noun in pobjs(prep):
            event = lexicon.INTERACTION_NOUNS.get(noun.lower_)
            found = plover.verb_category(event) if event else None
            if found is None or found[0] not in CONFLICT:
                continue
            doers = [actors(ctx, p) for by in children(noun, "prep", "agent") if by.lower_ == "by" for p in pobjs(by)]
            doers = doers or [actors(ctx, noun)]
            entities = [e for f, _ in doers for e in f]
            if entities:
                return entities, next((g for _, g in doers if g), None)
    return [], None


def _passive_subject(ctx: ArticleContext, verb: Token, *, agent_too: bool = False) -> Actors | None:
    """The actors of a passive verb's subject (unless ``agent_too``, only when no agent says who acted), or None."""
    if children(verb, "agent") and not agent_too:
        return None
    found = [actors(ctx, c) for c in children(verb, "nsubjpass")]
    if not any(entities for entities, _ in found):
        return None
    return [e for f, _ in found for e in f], next((g for _, g in found if g), None)


def _undertaker(ctx: ArticleContext, noun: Token) -> list[int]:
    """Who undertakes what a noun of undertaking names: its owner ("U.S. efforts to help", "its campaign to"),
    the name it is in apposition to ("Operation Inherent Resolve, the operation to eliminate ISIL"), or the
    subject of the clause it is the "in" of ("in the campaign to defeat ISIL, the SDF have begun ...")."""
    owners = [e for c in children(noun, "poss", "compound", "nmod", "amod") for e in actors(ctx, c)[0]]
    if owners:
        return owners
    if noun.dep_ == "appos" and ctx.at(noun.head) is not None:
        return actors(ctx, noun.head)[0]
    clause = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "in" else None
    if clause is not None and clause.dep_ == "advmod":  # "elsewhere in the campaign to defeat ISIL, the SDF ..."
        clause = clause.head
    if any(c.lower_ in {"its", "their"} for c in children(noun, "poss")):
        clause = noun.head
        while clause.pos_ not in {"VERB", "AUX"} and clause.head.i != clause.i:
            clause = clause.head
    if clause is not None and clause.pos_ in {"VERB", "AUX"}:
        return subjects(ctx, clause)[0][0]
    return []


def _object_controls(verb: Token) -> bool:
    """A verb whose object does what its complement says: "urged Iran to talk" (``lexicon.OBJECT_CONTROL_VERBS``),
    and a verb of aid or support with an object ("helped Iraq to defeat ISIL", "assisting the Iraqi government
    to destroy ISIL", by the PLOVER table)."""
    if verb.lemma_.lower() in lexicon.OBJECT_CONTROL_VERBS:
        return True
    category = _category(verb, None, None)
    return category is not None and category[0] in {"aid", "support", "cooperate"} and bool(children(verb, "dobj"))


def _antecedent(ctx: ArticleContext, pronoun: Token) -> int | None:
    """Who "he" or "she" is: the last person named as a subject before it, else the last person named."""
    subjects = [
        i
        for i, e in enumerate(ctx.spans)
        if ctx.type_of(i) == "Person" and e.span.end <= pronoun.i and e.span.root.dep_ in {"nsubj", "nsubjpass"}
    ]
    return subjects[-1] if subjects else last_person_before(ctx, pronoun.idx)


def _category(verb: Token, particle: str | None, preposition: str | None) -> tuple[str, str, str] | None:
    """(PLOVER category, CAMEO code, the words that matched) of a verb with its particle and preposition."""
    lemma = verb.lemma_.lower()
    candidates = []
    if particle:
        candidates += [f"{lemma} {particle} {preposition}", f"{lemma} {particle}"] if preposition else []
        candidates += [f"{lemma} {particle}"] if preposition is None else []
    if preposition:
        candidates.append(f"{lemma} {preposition}")
    if preposition is None or preposition in lexicon.INTERACTION_PREPOSITIONS:
        if not particle or particle in lexicon.INTERACTION_PREPOSITIONS:
            candidates.append(lemma)
    for words in candidates:
        found = plover.verb_category(words)
        # the verb alone before "against" / "on" only when it is a conflict ("fought against"; not "supported
        # Hadi against the Houthis"); a phrase the table lists is what it says ("call on", "crack down on")
        if found is not None and (words != lemma or preposition not in _CONFLICT_PREPOSITIONS or found[0] in CONFLICT):
            return (*found, words)
    return None


Object = tuple[str | None, str | None, Actors, Token]  # particle, preposition, actors, the object's head


def _objects(ctx: ArticleContext, verb: Token) -> list[Object]:
    """(particle, preposition, actors, head) of each object of a verb: direct, prepositional, or the passive
    subject."""
    particles = [c.lower_ for c in children(verb, "prt")]
    particle = particles[0] if particles else None
    found: list[Object] = []
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass"}:  # "Kennedy was killed by Oswald": the passive subject is the object
            if children(verb, "oprd", "ccomp"):
                continue  # "called Trump a national embarrassment": a small clause, not an object of the event
            found.append((particle, None, actors(ctx, child), child))
        elif child.dep_ == "prep":
            for obj in pobjs(child):
                found.append((particle, child.lower_, actors(ctx, obj), obj))
        elif child.dep_ == "prt" and any(c.dep_ == "pobj" for c in child.children):  # "call on Russia" as a particle
            for obj in children(child, "pobj"):
                found.append((None, child.lower_, actors(ctx, obj), obj))
    return found


def verb_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Interactions stated by a verb, with passives, conjunctions, prepositional and phrasal objects, control
    and purpose: "Russia backs Assad", "Assad is backed by Russia and Iran", "Trump met with Putin", "called on
    Russia to", "agreed to cooperate", "traveled to Florida to meet with Devocht"; and "X killed Y"; each
    interaction with its calibrated confidence."""
    return rescored(ctx, _verb_relations(ctx))


def _verb_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    for verb in ctx.doc:
        if verb.pos_ != "VERB":
            continue
        head = verb.head
        if verb.dep_ == "xcomp" and _refuses(head):
            continue  # "refused to meet": the refusal is the event (see _refusals)
        if verb.dep_ == "xcomp" and head.lemma_.lower() in lexicon.OBJECT_CONTROL_VERBS and _has_object(head):
            continue  # "urged Iran to talk with Israel", "asks Zelensky to investigate": asked for, not done
        if verb.lemma_.lower() in lexicon.MEMBERSHIP_VERBS:
            yield from _typed(ctx, verb, subjects(ctx, verb)[0][0], _objects(ctx, verb), [], "verb")
            continue  # "joined NATO", "joined the coalition": membership, not an event
        if is_contest(verb) or states_no_event(verb):
            continue  # "Caloundra defeated Wynnum 24-12", "Biden led Trump in the polls": a result, no event
        (agents, agent_group), method = subjects(ctx, verb)
        objects = _objects(ctx, verb)
        if not agents and not objects:
            continue
        denied = is_negated(verb) or (verb.dep_ == "xcomp" and is_negated(head))
        passive_subjects = [e for c in children(verb, "nsubjpass") for e in actors(ctx, c)[0]]
        yield from _typed(ctx, verb, agents, objects, passive_subjects, method)
        if _refuses(verb):
            yield from _refusals(ctx, verb, agents, agent_group, method)
        found_object = False
        acted: str | None = None  # the category of the verb with any object, an actor or not
        acted_on_actor = False  # whether an object of the verb's category is an actor ("attacked Syria")
        mutual = any(o.lemma_.lower() in MUTUAL_CONFLICT_NOUNS for o in children(verb, "dobj"))  # "fought a war"
        for particle, preposition, (targets, target_group), obj in objects:
            category = _category(verb, particle, preposition)
            if category is None and preposition == "from" and children(verb, "dobj"):
                alone = _category(verb, particle, None)  # "seized the hospital from ISIL fighters": taken from them
                category = alone if alone is not None and alone[0] in _TAKING else None
            if category is None:
                continue
            name, code, words = category
            if not targets and name in CONFLICT:  # "hit two al-Qaida vehicles", "condemns Assad's policies"
                targets, target_group = actors(ctx, obj, owned=True)
            acted = acted or name
            if not targets:
                continue
            acted_on_actor = True
            if preposition is None and leads(verb):
                continue  # "Trudeau heads the Liberal Party", "leads the coalition": leadership, not cooperation
            if is_journey(verb, preposition, code, words):
                targets = [t for t in targets if ctx.type_of(t) not in {"Country", "Place"}]  # "came to America"
            found_object = True
            if name == "assault" and any(p.lower_ in {"for", "as"} for p in children(verb, "prep")):
                name = "accuse"  # "attacked Biden for accumulating wealth", "blasted Biden as a career politician"
            intended = _intent(verb)
            if intended:  # "Widodo was planning to visit Wiranto": PLOVER's AGREE (CAMEO 03, intent to ...)
                name, words = "agree", f"{intended} to {words}"
            for source in agents:
                for target in targets:
                    stated = _verbal(ctx, verb, name, source, target)
                    if stated is None:
                        continue
                    yield ctx.relation(
                        source,
                        target,
                        stated,
                        method,
                        verb.sent,
                        trigger=words,
                        negated=denied,
                        groups=(agent_group, target_group),
                    )
        # co-subjects of one act on a third actor act together; of a conflict, also on no actor ("committed to
        # defeating terrorism"), unless it is a war they wage on each other; endorsing a policy together is no act
        joint = acted_on_actor or (acted not in _JOINT_FOR and not mutual)
        if acted in _JOINT and joint and not denied:
            for source, target in combinations(agents, 2):  # "X and Y attacked Z": X and Y act together
                yield ctx.relation(
                    source, target, "cooperate", "verb_joint", verb.sent, trigger=verb.lemma_.lower(),
                    groups=(agent_group, agent_group),
                )  # fmt: skip
        category = _category(verb, None, None)
        if _is_reciprocal(verb, category) and not found_object:
            for source, target in combinations(agents, 2):  # "Trump and Putin met", "should cooperate"
                yield ctx.relation(
                    source,
                    target,
                    category[0],
                    "verb_reciprocal",
                    verb.sent,
                    trigger=category[2],
                    negated=denied,
                    groups=(agent_group, agent_group),
                )


def _intent(verb: Token) -> str | None:
    """The verb of intent an event is the complement of ("plans to visit", "promised to help"), if any."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i:
        return None
    category = _category(head, None, None)
    return head.lemma_.lower() if category is not None and category[1].startswith("03") else None


def _verbal(ctx: ArticleContext, verb: Token, name: str, source: int, target: int) -> str | None:
    """An assault of one named person on another is verbal in news ("Trump attacked Biden"): ACCUSE; PLOVER's
    ASSAULT is physical, and a person's physical attack on a named person is stated as a killing or an injury.
    One person prevailing over another ("Biden defeated Trump") is a contest: no event (None)."""
    if name == "assault" and ctx.type_of(source) == ctx.type_of(target) == "Person":
        return None if verb.lemma_.lower() in PREVAIL_VERBS else "accuse"
    return name


def _has_object(verb: Token) -> bool:
    return bool(children(verb, "dobj")) or any(pobjs(c) for c in children(verb, "prep", "prt"))


def _is_reciprocal(verb: Token, category: tuple[str, str, str] | None) -> bool:
    """ "Trump and Putin met", "their countries should cooperate": a consultation or cooperation whose
    conjoined subjects do it together; not in a passive ("was joined by A and B") nor when a clause says what
    was done ("A and B agreed that vaccines work")."""
    if category is None or not category[1].startswith(_RECIPROCAL_CODES):
        return False
    return not children(verb, "agent", "nsubjpass", "ccomp", "xcomp", "oprd", "dobj")


def is_negated(verb: Token) -> bool:
    """ "did not attack", "can never unite", "neither A nor B would provide": the text says it did not (or will
    not) happen."""
    if negated(verb) or any(c.lower_ == "never" for c in children(verb, "advmod", "neg")):
        return True
    return any(c.lower_ == "neither" for s in children(verb, "nsubj") for c in s.children)


def _refuses(verb: Token) -> bool:
    category = _category(verb, None, None)
    return verb.pos_ == "VERB" and category is not None and category[0] == "reject"


def _refusals(
    ctx: ArticleContext, verb: Token, agents: list[int], group: str | None, method: str
) -> Iterator[Relation | None]:
    """ "Iran refused to meet the envoy": REJECT, aimed at the objects of the refused verb."""
    for refused in children(verb, "xcomp"):
        for particle, preposition, (targets, target_group), _ in _objects(ctx, refused):
            if _category(refused, particle, preposition) is None:
                continue
            for source in agents:
                for target in targets:
                    trigger = f"{verb.lemma_.lower()} to {refused.lemma_.lower()}"
                    yield ctx.relation(
                        source, target, "reject", method, verb.sent, trigger=trigger, groups=(group, target_group)
                    )


def _typed(
    ctx: ArticleContext,
    verb: Token,
    agents: list[int],
    objects: list[Object],
    passive_subjects: list[int],
    method: str,
) -> Iterator[Relation | None]:
    """The typed relations a verb states: "X killed Y", "X joined NATO", "X lives in Y", "was born in Y"."""
    if negated(verb):
        return
    lemma = verb.lemma_.lower()
    for _, preposition, (targets, _), _ in objects:
        name = None
        if preposition and (lemma, preposition) in lexicon.PHRASAL_VERBS:
            name = lexicon.PHRASAL_VERBS[(lemma, preposition)]
        elif preposition is None and lemma in lexicon.KILL_VERBS:
            name = "killed"
        elif preposition is None and lemma in lexicon.MEMBERSHIP_VERBS:
            name = "member_of"
        elif preposition == "in" and lemma in lexicon.RESIDENCE_VERBS:
            name = "lives_in"
            if passive_subjects:  # "X was born in Y"
                for person in passive_subjects:
                    for target in targets:
                        yield ctx.relation(person, target, "lives_in", "verb", verb.sent, trigger=verb.text)
        if name is None:
            continue
        for source in agents:
            for target in targets:
                yield ctx.relation(source, target, name, method, verb.sent, trigger=verb.lemma_)
