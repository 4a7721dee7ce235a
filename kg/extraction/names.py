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
- a capital directly after another name that modifies it is a surname ("Valeska Paris claims");
- a lowercase "the" inside a name, or lowercase words after its "of", belong to the text around it ("on Twitter the
  Federal Aviation Administration", "by Associated Press of bank robberies");
- prizes and events ("the Leroy P. Steele Prize"), names sharing their last word ("World Rapid and Blitz
  Championship") and names after a quantifier ("different Grand Masters") are not entities of kg's kinds;
- a name before a year of publication or "et al" is a cited author; one ending in a structure's noun a place;
- a quoted nickname between a first name and a surname is left out of the name ('Matiu "Matt" Ratana').
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
    """ "Valeska Paris claims": a one-word name directly before a capital that it modifies, read as a place (not as an
    organisation: "CNN Philippines") and not itself a known place, is a first name: the two are one person."""
    if first.end != second.start or len(first) != 1 or len(second) != 1 or first[-1].whitespace_ != " ":
        return False
    word = first[0]
    if first.label_ not in {"GPE", "LOC", "PERSON"} or not (word.is_alpha and word.is_title):
        return False
    if first.root.head.i != second.root.i or first.root.dep_ != "compound":
        return False
    if not countries.country_of_capital(second.text) or countries.country_named(second.text):
        return False
    return not (countries.country_named(first.text) or countries.country_of_capital(first.text)) and not (
        countries.country_of_demonym(first.text) or word.lower_ in lexicon.TITLES
    )


#: Last words of the names of prizes and of events, which are not entities of kg's kinds ("the Leroy P. Steele
#: Prize", "the Blitz Championship"); a name with one of them as its last word is left out.
AWARD_AND_EVENT_HEADS = frozenset(
    "prize prizes award awards medal medals trophy cup championship championships tournament olympics "
    "paralympics".split()
)
#: Labels of the recogniser for names that are not entities of kg's kinds: works, events, products, laws.
WORK_LABELS = frozenset({"WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})
#: Words before a name that make it one of a class ("different Grand Masters", "any Executive Branch official").
QUANTIFIERS = frozenset("any every each no different various several many other some few all both".split())
_SINGULAR_QUANTIFIERS = frozenset("any every each no".split())
#: Words that may end a name written in lower case ("Hezbollah al-Nujaba" aside, a name ends in a capital).
_NAME_PARTICLES = frozenset("de da di du del der den van von bin ibn al el la le".split())
#: Words that join two parts of one name: a lowercase "the" after them stays inside it ("Office of the UN").
_BRIDGES = frozenset("of for and & on at in to by from with against over under".split())
#: Tags of the words that join a lowercase tail to a name ("Associated Press of bank" robberies)
_JOINING_TAGS = frozenset({"IN", "DT", "CC", "TO"})


def names_an_award_or_event(span: Span) -> bool:
    """ "Leroy P. Steele Prize", "World Cup": a name whose last word is that of a prize or an event."""
    return span[-1].lower_ in AWARD_AND_EVENT_HEADS and span[-1].is_title


def shares_a_work_head(span: Span, labels: dict[int, str]) -> bool:
    """ "World Rapid" in "the World Rapid and Blitz Championship": a name followed by "and" and a work, event or
    prize (``labels``: the label of the name starting at each token) shares its last word: it is part of it."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].lower_ != "and" or span.root.dep_ not in {"compound", "amod", "nmod"}:
        return False
    label = labels.get(span.end + 1)
    return label is not None and (label in WORK_LABELS or label == "AWARD")


def is_one_of_a_class(span: Span) -> bool:
    """ "different Grand Masters", "any Executive Branch official": a name after a quantifier names members of a
    class, not one entity: a plural name, or one of two words or more modifying a noun. Countries are left."""
    doc = span.doc
    if span.start == 0 or span.label_ == "NORP" or countries.country_named(span.text):
        return False  # "many Russians" still speaks of Russia
    before = doc[span.start - 1]
    if not (before.is_lower and before.lower_ in QUANTIFIERS):
        return False
    following = doc[span.end] if span.end < len(doc) else None
    if following is not None and following.is_lower and following.tag_ in {"NN", "NNS"}:
        # "any Executive Branch official" (but "all United Nations members": the quantifier is the members')
        return len(span) >= 2 and span.root.head.i == following.i and before.lower_ in _SINGULAR_QUANTIFIERS
    last = span[-1].lower_
    plural = span[-1].tag_ in {"NNS", "NNPS"} or (last.endswith("s") and not last.endswith(("ss", "us", "is")))
    return plural and before.lower_ not in _SINGULAR_QUANTIFIERS and span[-1].is_title


def lowercase_tail(span: Span) -> int:
    """The number of lowercase words the recogniser ran onto the end of a name after a preposition ("Associated
    Press of bank" robberies): 0 when the name ends in a capitalised word or a name particle."""
    count = 0
    for token in reversed(span):
        joining = token.tag_ in _JOINING_TAGS
        if token.is_lower and token.is_alpha and token.lower_ not in _NAME_PARTICLES and not joining:
            count += 1
        else:
            break
    if count == 0 or count >= len(span):
        return 0
    return count if span[len(span) - count - 1].tag_ in _JOINING_TAGS else 0


def inner_article(span: Span) -> int | None:
    """Where a name that swallowed its neighbour starts again: the index (in the Doc) of a lowercase "the" inside
    the span not after a joining word, followed by two capitalised words at least ("Twitter the Federal Aviation
    Administration"); None for one name ("Office of the UN", "Alexander the Great")."""
    for token in span[1:-2]:
        if token.lower_ != "the" or not token.is_lower or span.doc[token.i - 1].lower_ in _BRIDGES:
            continue
        rest = span.doc[token.i + 1 : span.end]
        if len(rest) >= 2 and rest[0].is_title and not span.doc[token.i - 1].is_punct:
            return token.i
    return None


def nickname_between(first: Span, second: Span) -> bool:
    """'Matiu "Matt" Ratana': a person's first name, a quoted nickname and the surname, read as two or three
    names (the nickname alone or not)."""
    doc = first.doc
    if second.start - first.end != 3 or "PERSON" not in {first.label_, second.label_}:
        return False
    opening, nick, closing = doc[first.end : second.start]
    return opening.text in _QUOTES and closing.text in _QUOTES and nick.is_title and nick.is_alpha


_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})


def without_nickname(span: Span) -> str:
    """The name without a quoted nickname inside it ('Matiu "Matt" Ratana' -> "Matiu Ratana")."""
    marks = [t.i for t in span if t.text in _QUOTES]
    if len(marks) != 2 or marks[1] - marks[0] != 2:
        return span.text
    doc = span.doc
    return f"{doc[span.start : marks[0]].text} {doc[marks[1] + 1 : span.end].text}"


#: Last words of the names of buildings and structures: such a name is a place, whatever the recogniser says
#: ("the George Washington Bridge", "the Transbay Tube"). Churches, hotels and houses are left out: their names
#: are also those of the institution or the firm ("the Roman Catholic Church", CoNLL04's hotels).
FACILITY_HEADS = frozenset(
    "bridge tunnel tube airport stadium arena park square street avenue boulevard road highway expressway "
    "motorway canal dam cathedral castle tower museum".split()
)


def names_a_facility(span: Span) -> bool:
    """ "George Washington Bridge", "Cleveland Museum": a name of two words or more ending in a structure's noun."""
    return len(span) >= 2 and span[-1].is_title and span[-1].lower_ in FACILITY_HEADS


def cited_as_author(span: Span) -> bool:
    """ "(Porte, 2012)", "Chambers 2017", "Gibbons et al", "Vandergrift and Cross 2017": a name followed by a year
    of publication or "et al", or by a co-author and a year, is the author cited (a person, whatever the
    recogniser says)."""
    doc = span.doc
    after = doc[span.end : span.end + 3]
    words = [t.lower_ for t in after]
    if words[:2] in (["et", "al"], ["et", "al."]) or coauthor(span) is not None:
        return True
    # "(Chambers 2017)", "Polio and Gass 1997": after an opening bracket or another author
    opened = span.start > 0 and doc[span.start - 1].lower_ in {"(", ";", "and", "&"}
    if len(after) < 2 or not (after[0].text in {",", "("} or opened):
        return False
    year = after[0] if opened and after[0].text not in {",", "("} else after[1]
    return _is_year(year)


def coauthor(span: Span) -> Span | None:
    """ "Vandergrift and Cross 2017", "(Makel & Plucker, 2014": the one-word name of the second of two authors
    cited together, right after ``span`` (None when no year of publication follows the two)."""
    doc = span.doc
    after = doc[span.end : span.end + 4]
    if len(after) < 3 or after[0].lower_ not in {"and", "&"} or not (after[1].is_title and after[1].is_alpha):
        return None
    year = after[3] if after[2].text in {",", "("} and len(after) > 3 else after[2]
    return doc[after[1].i : after[1].i + 1] if _is_year(year) else None


def _is_year(token: Token) -> bool:
    return token.like_num and len(token.text) == 4 and token.text[:2] in {"18", "19", "20"}


def et_al_tail(span: Span) -> int:
    """The number of words of an "et al" (and its full stop) the recogniser ran onto a name ("Gibbons et al."),
    else 0."""
    words = [t.lower_ for t in span[-3:]]
    if len(span) > 3 and words == ["et", "al", "."]:
        return 3
    return 2 if len(span) > 2 and words[-2:] in (["et", "al"], ["et", "al."]) else 0
