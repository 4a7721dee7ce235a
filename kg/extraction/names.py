"""How a name is written and used in its article, read after recognition: what the recogniser's span holds besides
the name, and what the article's other mentions and the words around a name say about its type.

Each function takes the spans of one parsed article (or one span) and returns a decision; :mod:`kg.extraction.
entities` applies them. The rules are general English and news constructions:

- an occupation or affiliation before a name is a title, not part of the name ("Astronomer Anthony Boccaletti",
  "Scientologist Tom Cruise", "Nonpartisan Paul Tse");
- a word before a weekday names a day, not a place ("Super Tuesday");
- a name used as the modifier of a product noun is not an entity of kg's kinds ("the Hubble telescope"), of an
  infrastructure noun a facility, hence a place ("the EastMed pipeline");
- a name opened by an Arabic organisation word is an organisation ("Hayat Tahrir al-Sham", "Jaish al-Islam");
- a capital directly after another name that modifies it is a surname ("Valeska Paris claims").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg import countries
from kg.extraction import lexicon

#: Occupations and roles written before a name as a title ("Actor Tom Hanks"); the titles of
#: :data:`kg.extraction.lexicon.TITLES` are handled there.
OCCUPATIONS = frozenset(
    """actor actress singer rapper songwriter musician composer conductor pianist drummer guitarist writer author
    novelist poet playwright screenwriter filmmaker producer designer photographer artist painter sculptor
    architect engineer scientist astronomer astronaut physicist chemist biologist mathematician historian
    philosopher economist scholar student teacher doctor nurse surgeon physician psychiatrist psychologist pastor
    priest bishop cardinal imam rabbi cleric monk businessman businesswoman tycoon magnate billionaire
    millionaire entrepreneur investor banker philanthropist activist campaigner blogger youtuber broadcaster
    presenter host anchor comedian chef model footballer cricketer golfer boxer wrestler skier swimmer cyclist
    sprinter runner driver pilot sailor climber athlete candidate nominee challenger incumbent hopeful veteran
    farmer rancher lawmaker politician councillor councilor alderman assemblyman assemblywoman""".split()
)
#: Political affiliations written before a name ("Republican Mitt Romney", "Nonpartisan Paul Tse").
AFFILIATIONS = frozenset(
    """republican democrat democratic conservative liberal libertarian nonpartisan non-partisan independent
    socialist communist labour unionist nationalist progressive green tory whig""".split()
)
#: Endings of words that name an occupation or a follower, rarely a given name ("Scientologist",
#: "Astronomer", "Physician", "Libertarian").
_AGENT_ENDINGS = ("ist", "ologer", "nomer", "grapher", "ician", "arian", "preneur", "ionaire", "naut")

#: Arabic words that open the name of an organisation: body, front, movement, army, party, brigades, ...
ARABIC_ORGANISATION_WORDS = frozenset(
    "hayat hay'at jabhat harakat jaish jamaat jama'at ansar hizb kataib liwa tahrir tanzim majlis ahrar faylaq "
    "saraya asaib".split()
)

WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
#: Nouns of infrastructure: a name modifying one names a facility ("the EastMed pipeline").
FACILITY_NOUNS = frozenset(
    "pipeline pipelines bridge dam tunnel canal airport railway highway motorway reactor refinery oilfield".split()
)
#: Nouns of products that a name before them usually names ("the Hubble telescope", "the TikTok app"). Works
#: ("a Picasso painting", "the Dvořák symphony") and goods ("the Tesla car") are left out: the name before them is
#: mostly their maker, a person or a company.
PRODUCT_NOUNS = frozenset(
    "vaccine app software aircraft jet missile rocket satellite spacecraft telescope probe rover drone console".split()
)

_LOCATIVE = {"in", "at", "near", "from", "to", "into", "across", "outside", "around"}


def is_descriptor(token: Token, *, rest: int) -> bool:
    """Whether the first word of a person's span is a title rather than a name: an occupation, a political
    affiliation or a word of an occupation's shape, or a nationality word, with ``rest`` words of name after it
    (two at least for all but the occupations, so that "Hunter Biden" or "Christian Bale" keep their first name).

    >>> from spacy.lang.en import English
    >>> is_descriptor(English()("Scientologist Tom Cruise")[0], rest=2)
    True
    """
    if not token.is_title or rest < 1:
        return False
    word = token.lower_
    if word in OCCUPATIONS:
        return True
    if rest < 2:
        return False
    return (
        word in AFFILIATIONS
        or (len(word) >= 6 and word.endswith(_AGENT_ENDINGS))
        or countries.country_of_demonym(token.text) is not None
    )


def names_a_day(span: Span) -> bool:
    """ "Super" in "Super Tuesday": a one-word name directly before a capitalised weekday names the day with it
    (an event), unless it is the place of a locative preposition ("said in Houston Tuesday") or a country."""
    doc = span.doc
    if len(span) != 1 or span.end >= len(doc):
        return False
    following = doc[span.end]
    if following.lower_ not in WEEKDAYS or not following.is_title or span[-1].whitespace_ != " ":
        return False
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE:
        return False
    return countries.country_named(span.text) is None and countries.country_of_capital(span.text) is None


def modified_noun(span: Span) -> str | None:
    """The common noun a name directly modifies ("pipeline" in "the EastMed pipeline"), or None."""
    doc = span.doc
    if span.end >= len(doc):
        return None
    following = doc[span.end]
    if following.tag_ in {"NN", "NNS"} and following.is_lower and span.root.head.i == following.i:
        return following.lemma_.lower()
    return None


def is_arabic_organisation(span: Span) -> bool:
    """ "Tahrir al-Sham", "Jaish al-Islam": a name opened by an Arabic organisation word."""
    first = span[0].lower_.split("-")[0]
    return first in ARABIC_ORGANISATION_WORDS


def organisation_word_before(span: Span) -> bool:
    """ "Hayat" in "Hayat Tahrir al-Sham": an Arabic organisation word right before the span, in its name."""
    if span.start == 0:
        return False
    before = span.doc[span.start - 1]
    inside = range(span.start, span.end)
    return before.is_title and before.lower_ in ARABIC_ORGANISATION_WORDS and before.head.i in inside


def capital_as_surname(first: Span, second: Span) -> bool:
    """ "Valeska Paris claims": a one-word name directly before a capital or country that it modifies, and not
    itself a place of the country data, is a first name: the two are one person."""
    if first.end != second.start or len(first) != 1 or len(second) != 1 or first[-1].whitespace_ != " ":
        return False
    if first.root.head.i != second.root.i or first.root.dep_ != "compound":
        return False
    if not (countries.country_of_capital(second.text) or countries.country_named(second.text)):
        return False
    return not (countries.country_named(first.text) or countries.country_of_capital(first.text)) and not (
        countries.country_of_demonym(first.text) or first[0].lower_ in lexicon.TITLES
    )
