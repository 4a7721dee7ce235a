"""The senses of a PLOVER verb that state no event between actors: the result of a contest ("Caloundra defeated
Wynnum 24-12", "Biden led Trump in the polls"), leadership ("Trudeau heads the Liberal Party"), a journey to a
place ("came to America"). Read by :mod:`kg.extraction.rules.interactions` before it states an interaction.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extraction import lexicon, plover
from kg.extraction.rules.syntax import children, pobjs

#: Nouns of a contest: a verb of force or lead "in the polls", "in the final", "by 12 points" is a result, no event
CONTEST_NOUNS = frozenset(
    """poll polls polling survey election elections race primary primaries vote votes ballot match game final
    semifinal semi-final quarterfinal quarter-final tournament championship league cup round season playoff
    playoffs series derby point points goal goals seat seats run runs wicket wickets set sets""".split()
)
#: Nouns of a fight the co-subjects wage on each other: "Armenia and Azerbaijan fought a war" makes them opponents
MUTUAL_CONFLICT_NOUNS = frozenset("war wars battle battles fight fights clash clashes duel conflict skirmish".split())
#: CAMEO 190 verbs of prevailing ("defeat", "beat", "overtake"): between two people a contest, never an accusation
PREVAIL_VERBS = frozenset("defeat beat best overcome overtake master surmount overshadow dominate match".split())
#: Prepositions of a journey: "came to America", "headed for Moscow" (CAMEO 04x by the phrase) is travel, not a
#: consultation with a country; "visited Russia" (the verb alone) and "talked to Russia" stay
_JOURNEY_PREPOSITIONS = frozenset({"to", "for", "from", "into"})
#: Verbs the derived table gives a category only through their CAMEO block (the dictionary lists them in longer
#: patterns), whose plain sense states no event between two actors: departure ("left the UK", "leaving the EU",
#: CONSULT 040), attending an event ("attend the General Assembly", 042), ruling or serving ("ruled Zimbabwe",
#: "serve as chairmen", "awarded the Intelligence Star", COOPERATE 060), mourning and studying (ACCUSE 110, 090),
#: seeking a thing ("sought a more federal European Union", AGREE 030; "sought to meet" is still an intent).
#: Found wrong in every case read in the first half (by file name) of the shared Wikinews articles.
NO_EVENT_VERBS = frozenset("leave depart quit exit attend rule serve award mourn study seek".split())
_SCORE = re.compile(r"^\d{1,3}\s*[-\u2013]\s*\d{1,3}$")


def is_contest(verb: Token) -> bool:
    """A verb stating the result of a contest, not an event between actors: a score in its clause ("defeated
    Wynnum 24-12") or a contest noun in its prepositions and modifiers ("led Trump in the polls", "beat X by 12
    points", "won the final against")."""
    if any(_SCORE.match(t.text) for t in verb.subtree):
        return True
    for child in children(verb, "prep", "npadvmod", "dobj", "advcl"):
        words = [child, *pobjs(child)] if child.dep_ == "prep" else [child]
        if any(w.lemma_.lower() in CONTEST_NOUNS or w.lower_ in CONTEST_NOUNS for w in words):
            return True
    return False


def states_no_event(verb: Token) -> bool:
    """A verb of :data:`NO_EVENT_VERBS`: "left the UK", "ruled Zimbabwe", "mourn Leonov's passing"."""
    return verb.lemma_.lower() in NO_EVENT_VERBS


def leads(verb: Token) -> bool:
    """A verb whose doer is a leader title ("lead": "leader", "head", "chair", "govern": "governor"): with a
    direct object it states leadership ("heads the Liberal Party"), which is a typed relation, not an event."""
    lemma = verb.lemma_.lower()
    return bool(children(verb, "dobj")) and any(
        w in lexicon.LEADER_TITLES for w in (lemma, lemma + "er", lemma + "or", lemma + "man")
    )


def is_journey(verb: Token, preposition: str | None, code: str, words: str) -> bool:
    """A consultation read from "verb + to/for/from/into" whose verb alone is no consultation: a journey ("came
    to America", "headed for Moscow"); to a country or a place it meets no one."""
    if preposition not in _JOURNEY_PREPOSITIONS or not code.startswith("04") or not words.endswith(preposition):
        return False
    alone = plover.verb_category(verb.lemma_.lower())
    return alone is None or alone[0] != "consult"


def is_journey_verb(verb: Token) -> bool:
    """A verb of going, by the derived table: one whose phrase with "to" / "for" / "from" is a visit (CAMEO 04x:
    "come to", "head for", "return from") or that is one alone ("arrive")."""
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB":
        return False
    alone = plover.verb_category(lemma)
    return (alone is not None and alone[1] == "040") or any(
        (found := plover.verb_category(f"{lemma} {p}")) is not None and found[1].startswith("04")
        for p in _JOURNEY_PREPOSITIONS
    )
