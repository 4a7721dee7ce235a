"""Named-entity spans of a parsed ``Doc`` -> typed mentions of the four kinds.

spaCy's labels are mapped to kg's types: PERSON -> Person; GPE, LOC, FAC -> Country when the name is a country
in the country dataset, else Place; ORG -> Organisation (or Country for "U.S." tagged as an organisation);
NORP nationality words ("Russian") -> a mention of their country. A capital that acts ("Moscow says",
"Washington and Moscow had differences") stands for its country; a capital as a location stays a place.
Names are cleaned of a leading "the", a trailing possessive, courtesy titles and verbs the model ran into them
("Skadden, Arps said"); a name the model broke after "of the" is joined again and "Auckland, New Zealand" is split
into the town and its country. Spans that are part of a job title ("State" in "Secretary of State"), scraping
debris or text in a script without capitals (a Hindi quote) are dropped. The article's usage then corrects the
recogniser (:mod:`kg.extraction.names`): an occupation before a name is a title ("Astronomer Anthony Boccaletti"),
a word before a weekday names a day ("Super Tuesday"), a name modifying a product noun is no entity and one
modifying an infrastructure noun a place ("the EastMed pipeline"), an Arabic organisation word makes an
organisation ("Hayat Tahrir al-Sham") and a capital after a first name is a surname ("Valeska Paris"); a name that
swallowed its neighbour is cut ("Twitter the Federal Aviation Administration", "MSNBC Cummings", "Associated Press
of bank"); prizes, events, works and names after a quantifier are no entities; a cited author is a person and a
structure ("... Bridge") a place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg import countries
from kg.extraction import lexicon, names, plover
from kg.model import Mention

#: spaCy NER label -> kg type, before the country, nationality and capital rules.
LABEL_TYPES = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "NORP": "Country",
}

_DEBRIS = re.compile(r"[\[\]{}<>=|]|\d{3,}")
#: Prefixes of a stance: "pro-Beijing legislator", "anti-Assad rebels" describe, they name nobody
_STANCE_PREFIXES = {"pro", "anti"}
_VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}
_AGENT_DEPS = {"nsubj", "nsubjpass", "poss"}
_LOCATIVE_PREPOSITIONS = {"in", "on", "at", "near", "from", "to", "into", "across", "outside", "around"}


@dataclass(frozen=True)
class EntitySpan:
    """A typed name in a Doc: the (cleaned) spaCy span, its kg type and how it names its entity."""

    span: Span
    type: str
    role: str = "name"  # "name", "demonym" (Russian -> Russia) or "capital" (Moscow -> Russia)
    name: str = ""  # the name when it is not the span's text ('Matiu "Matt" Ratana' is "Matiu Ratana")

    @property
    def text(self) -> str:
        return self.name or self.span.text

    @property
    def offsets(self) -> tuple[int, int]:
        """The mention's character extent: the name and a courtesy title or "President" right before it."""
        start = self.span.start
        if self.type == "Person":
            while start > self.span.sent.start and _is_mention_title(self.span.doc[start - 1]):
                start -= 1
        return self.span.doc[start].idx, self.span.end_char

    def to_mention(self, sentence: int) -> Mention:
        return Mention(self.text, self.type, *self.offsets, sentence, self.role)


def entity_spans(doc: Doc) -> list[EntitySpan]:
    """The typed entity spans of a parsed Doc, in text order.

    >>> from kg.nlp import load
    >>> [(e.text, e.type) for e in entity_spans(load()("Russian President Vladimir Putin met Tillerson."))]
    [('Russian', 'Country'), ('Vladimir Putin', 'Person'), ('Tillerson', 'Person')]
    """
    found = []
    ents = _rejoined(doc)
    labels = {e.start: "AWARD" if names.names_an_award_or_event(e) else e.label_ for e in ents}
    works = _work_names(ents)
    people = {e.text.casefold() for e in ents if e.label_ == "PERSON"}
    people |= {e[-1].lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1}  # surnames
    for ent in ents:
        if ent.label_ not in LABEL_TYPES:
            continue
        pieces = (piece for name in _split_coordination(ent) for piece in _split_neighbours(name, people, ents))
        for part in (place for piece in pieces for place in _split_places(piece)):
            span = _clean_span(part)
            if span is None or _is_debris(span) or _is_part_of_title(span) or _is_no_entity(span, labels, works):
                continue
            typed = _type_span(span, span.label_)
            if typed is not None and typed.type == "Person" and (name := names.without_nickname(span)) != span.text:
                typed = EntitySpan(typed.span, typed.type, typed.role, name)
            if typed is not None:
                found.append(typed)
            if typed is not None and typed.type == "Person" and (second := names.coauthor(span)) is not None:
                if not any(e.start <= second.start < e.end for e in ents):  # "Vandergrift and [Cross] 2017"
                    found.append(EntitySpan(Span(doc, second.start, second.end, label="PERSON"), "Person"))
    return _repeated(doc, _typed_by_usage(found))


def _is_no_entity(span: Span, labels: dict[int, str], works: set[str]) -> bool:
    """A day ("Super Tuesday"), a prize or an event ("Leroy P. Steele Prize"), part of one ("World Rapid and Blitz
    Championship"), members of a class ("different Grand Masters") or a work the article names ("Borat")."""
    return (
        names.names_a_day(span)
        or names.names_an_award_or_event(span)
        or names.shares_a_work_head(span, labels)
        or names.is_one_of_a_class(span)
        or (span.text.casefold() in works and countries.country_named(span.text) is None)
    )


def _work_names(ents: list[Span]) -> set[str]:
    """Names (casefolded) the recogniser reads as a work, event, product or law in the article more often than as
    a person, organisation or place, and the first word of a work's name of three words or more ("Borat" of
    "Borat Subsequent Moviefilm") unless it is part of a person's full name there."""
    votes: dict[str, int] = {}
    for ent in ents:
        key = ent.text.casefold()
        vote = 1 if ent.label_ in names.WORK_LABELS else -1 if ent.label_ in LABEL_TYPES else 0
        votes[key] = votes.get(key, 0) + vote
    works = {key for key, vote in votes.items() if vote > 0}
    in_people = {t.lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    for ent in ents:
        if ent.label_ in {"WORK_OF_ART", "PRODUCT"} and len(ent) >= 3 and ent[0].is_title and ent[0].is_alpha:
            if ent[0].lower_ not in in_people and votes.get(ent[0].lower_, 0) <= 0:
                works.add(ent[0].lower_)
    return works


def _split_neighbours(span: Span, people: set[str], ents: list[Span]) -> list[Span]:
    """A name that swallowed its neighbour is two: at a lowercase "the" inside it ("[on Twitter] [the Federal
    Aviation Administration]"), or before a person the article names ("[told MSNBC] [Cummings] was") when the
    part before is an acronym or a name of its own in the article."""
    doc = span.doc
    cut = names.inner_article(span)
    if cut is not None:
        left = Span(doc, span.start, cut, label=span.label_)
        right = Span(doc, cut + 1, span.end, label=span.label_)
        return [left, *_split_neighbours(right, people, ents)]
    if span.label_ == "PERSON" or len(span) < 2:
        return [span]
    texts = {e.text.casefold() for e in ents if e.start != span.start}
    for k in range(1, len(span)):
        head, tail = Span(doc, span.start, span.start + k, label=span.label_), span[k:]
        acronym = len(head) == 1 and head.text.isupper() and len(head.text) >= 2 and head.text.isalpha()
        if tail.text.casefold() in people and (acronym or head.text.casefold() in texts):
            return [head, Span(doc, tail.start, tail.end, label="PERSON")]
    return [span]


def _rejoined(doc: Doc) -> list[Span]:
    """The model's names, with a name it broke after "of the" joined again ("the Office of the" + "UN"), a
    first name and a capital read as two places joined into the person they name ("Valeska" + "Paris"), and a
    first name, a quoted nickname and a surname joined into one person ('Matiu "Matt" Ratana')."""
    joined: list[Span] = []
    starts = {ent.start: ent for ent in doc.ents}
    for ent in doc.ents:
        previous = joined[-1] if joined else None
        if previous is not None and previous.end + 1 == ent.start and ent.end + 1 in starts:
            if names.nickname_between(previous, starts[ent.end + 1]):
                continue  # the nickname read as a name of its own: the surname after it joins the first name
        if previous is not None and names.nickname_between(previous, ent):
            joined[-1] = Span(doc, previous.start, ent.end, label="PERSON")
        elif (
            previous is not None
            and previous.end == ent.start
            and previous.label_ == ent.label_ == "ORG"
            and doc[previous.end - 1].tag_ in {"DT", "IN"}
        ):
            joined[-1] = Span(doc, previous.start, ent.end, label=ent.label_)
        elif previous is not None and names.capital_as_surname(previous, ent):
            joined[-1] = Span(doc, previous.start, ent.end, label="PERSON")  # "Valeska Paris claims"
        else:
            joined.append(ent)
    return joined


def _split_coordination(span: Span) -> list[Span]:
    """ "the Global Coalition and the Government of Iraq", "the Coalition and Iraq" read as one name are two: an
    "and" followed by "the" or by a country's name joins two names. A country so named ("Trinidad and Tobago")
    stays one. Two people are two ("Carrano and Biewener", "Carrano & Biewener"), and so are two authors cited
    ("Makel & Plucker, 2014")."""
    for token in span:
        if token.lower_ not in {"and", "&"} or token.i in (span.start, span.end - 1):
            continue
        # "(Makel & Plucker, 2014)" read as an organisation: two authors cited
        label = "PERSON" if span.label_ == "ORG" and names.cited_as_author(span) else span.label_
        if countries.country_named(span.text) or token.lower_ == "&" and label != "PERSON":
            continue
        right = Span(span.doc, token.i + 1, span.end, label=label)
        people = label == "PERSON" and right[0].text[:1].isupper() and span.doc[token.i - 1].text[:1].isupper()
        named_after_the = right[0].lower_ == "the" and len(right) > 1 and right[1].is_title
        if people or named_after_the or countries.country_named(right.text):
            return [Span(span.doc, span.start, token.i, label=label), *_split_coordination(right)]
    return [span]


def _split_places(span: Span) -> list[Span]:
    """ "Auckland, New Zealand" read as one place is two: the town and the country it lies in. (A town and its
    state, "Lubbock, Texas", stays one name, as CoNLL04 mostly writes it.)"""
    commas = [t.i for t in span if t.text == ","]
    if span.label_ not in {"GPE", "LOC", "FAC"} or len(commas) != 1:
        return [span]
    town = Span(span.doc, span.start, commas[0], label=span.label_)
    country = Span(span.doc, commas[0] + 1, span.end, label=span.label_)
    if not len(town) or not countries.country_named(country.text):
        return [span]
    return [town, country]


def _clean_span(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    if end - start >= 3 and doc[start].lower_ in _STANCE_PREFIXES and doc[start + 1].text == "-":
        return None  # "pro-Beijing", "anti-Trump": a stance, an adjective, not a name
    while start < end and (
        doc[start].lower_ in {"the", "a", "an"}
        or doc[start].is_punct
        or doc[start].tag_ in _VERB_TAGS  # "Evaluating Juppe 's visit": the model ran a verb into the name
        or (span.label_ == "PERSON" and (_is_title_word(doc[start]) or _is_mention_title(doc[start])))
        # "Astronomer Anthony Boccaletti", "Nonpartisan Paul Tse": an occupation or affiliation as a title
        or (span.label_ == "PERSON" and names.is_descriptor(doc[start], rest=end - start - 1))
    ):
        start += 1
    # "World Health Organization (WHO": the model sometimes runs a name into an unclosed parenthesis
    opening = [t.i for t in doc[start:end] if t.text == "("]
    if opening and not any(t.text == ")" for t in doc[opening[0] : end]):
        end = opening[0]
    end -= names.et_al_tail(doc[start:end])  # "Gibbons et al"
    end -= names.lowercase_tail(doc[start:end])  # "Associated Press of bank" (robberies)
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].tag_ in _VERB_TAGS  # "Skadden, Arps said"
        or doc[end - 1].tag_ in {"DT", "IN", "CC", "TO"}  # "the Office of the" (UN ...)
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].lower_ in {"'s", "’s"}
    ):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


def _is_mention_title(token: Token) -> bool:
    return token.is_title and token.lower_ in lexicon.MENTION_TITLES


def _is_title_word(token: Token) -> bool:
    return token.lower_ in lexicon.TITLES or token.lower_ in lexicon.HONORIFICS


def _is_debris(span: Span) -> bool:
    """Scraping debris, or no letter with a case: the English model finds names by their capitals, and reads a
    quote in a script without them (Hindi, Chinese, Arabic) as noise ("लिया घर के")."""
    return bool(_DEBRIS.search(span.text)) or not any(ch.isupper() or ch.islower() for ch in span.text)


def _is_part_of_title(span: Span) -> bool:
    """ "State" in "Secretary of State": a portfolio after "<title> of" belongs to the title."""
    if span.label_ != "ORG" or len(span) > 2 or span.text.casefold() not in lexicon.PORTFOLIOS:
        return False
    before = span.doc[max(span.start - 2, 0) : span.start]
    return len(before) == 2 and before[1].lower_ == "of" and before[0].lower_ in lexicon.TITLES


def _type_span(span: Span, label: str) -> EntitySpan | None:
    if label == "ORG" and names.cited_as_author(span):
        return EntitySpan(span, "Person")  # "(Porte, 2012)"
    if label in {"ORG", "PERSON"} and names.names_a_facility(span):
        return EntitySpan(span, "Place")  # "the George Washington Bridge"
    if label == "NORP":
        country = countries.country_of_demonym(span.text)
        return EntitySpan(span, "Country", "demonym") if country else None
    if label == "PERSON":
        if names.organisation_word_before(span):  # "Hayat" + "Tahrir al-Sham"
            return EntitySpan(Span(span.doc, span.start - 1, span.end, label="ORG"), "Organisation")
        if names.is_arabic_organisation(span):
            return EntitySpan(span, "Organisation")
        return EntitySpan(span, "Place") if _person_used_as_place(span) else EntitySpan(span, "Person")
    if countries.country_named(span.text):
        return EntitySpan(span, "Country")
    if label == "ORG":
        return EntitySpan(span, "Organisation")
    if countries.country_of_capital(span.text) and _acts(span):
        return EntitySpan(span, "Country", "capital")
    return EntitySpan(span, "Place")


def _typed_by_usage(found: list[EntitySpan]) -> list[EntitySpan]:
    """A one-word name the recogniser took for a person, used in the article as the modifier of a product noun
    ("the Hubble telescope"), is no entity; of an infrastructure noun ("the EastMed pipeline"), a place: in
    all its mentions. Names that are part of a person's full name in the article keep their type."""
    parts = {
        t.lower_ for e in found if e.type == "Person" and len(e.span) > 1 for t in e.span if t.is_alpha
    }  # fmt: skip
    usage: dict[str, str] = {}
    for entity in found:
        key = entity.text.casefold()
        if entity.type != "Person" or len(entity.span) != 1 or key in parts:
            continue
        noun = names.modified_noun(entity.span)
        if noun in names.PRODUCT_NOUNS:
            usage[key] = "product"
        elif noun in names.FACILITY_NOUNS:
            usage.setdefault(key, "Place")
    if not usage:
        return found
    kept = []
    for entity in found:
        decided = usage.get(entity.text.casefold()) if entity.type == "Person" else None
        if decided == "product":
            continue
        kept.append(EntitySpan(entity.span, decided, entity.role) if decided else entity)
    return kept


#: kg type -> the spaCy label of a mention found by repetition (:func:`_repeated`).
_TYPE_LABELS = {"Person": "PERSON", "Organisation": "ORG", "Place": "GPE", "Country": "GPE"}
_PROPER_TAGS = {"NNP", "NNPS"}


def _repeated(doc: Doc, found: list[EntitySpan]) -> list[EntitySpan]:
    """A name the recogniser found once is a name wherever the article writes it again as a proper noun and the
    recogniser marked nothing there ("Socotra is ..." after "the island of Socotra"); it takes the type most of
    its found mentions have (so it never changes the vote of :func:`kg.resolve` on the entity's type). A
    repetition inside a longer run of capitalised proper nouns ("York" in "York Minster") is part of another name
    and is left alone."""
    votes: dict[tuple[str, ...], Counter[str]] = {}
    for entity in found:
        words = tuple(t.text for t in entity.span)
        if entity.role == "name" and not entity.name and len(entity.span.text) >= 3:
            if all(t.tag_ in _PROPER_TAGS for t in entity.span if t.is_alpha):
                votes.setdefault(words, Counter())[entity.type] += 1
    known = {words: counts.most_common(1)[0][0] for words, counts in votes.items()}
    if not known:
        return found
    taken = {i for span in [*doc.ents, *(e.span for e in found)] for i in range(span.start, span.end)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in known:
        by_first.setdefault(words[0], []).append(words)
    added = []
    for token in doc:
        for words in by_first.get(token.text, ()):
            start, end = token.i, token.i + len(words)
            if end > len(doc) or tuple(t.text for t in doc[start:end]) != words or taken & set(range(start, end)):
                continue  # another text, or the recogniser marked something there
            if not all(t.tag_ in _PROPER_TAGS for t in doc[start:end] if t.is_alpha):
                continue
            if any(0 <= i < len(doc) and doc[i].tag_ in _PROPER_TAGS and doc[i].is_title for i in (start - 1, end)):
                continue
            kind = known[words]
            added.append(EntitySpan(Span(doc, start, end, label=_TYPE_LABELS[kind]), kind))
            taken.update(range(start, end))
    return sorted([*found, *added], key=lambda e: e.span.start) if added else found


def _acts(span: Span) -> bool:
    """A name used as an actor: subject or possessor of a clause, or the one an interaction is aimed at
    ("Washington urges Moscow", "calls on Moscow"), directly or as a conjunct of one."""
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ in _AGENT_DEPS:
        return True
    head = token.head
    if token.dep_ == "dobj":
        return plover.verb_category(head.lemma_.lower()) is not None
    if token.dep_ == "pobj" and head.dep_ in {"prep", "prt"}:
        return plover.verb_category(f"{head.head.lemma_.lower()} {head.lower_}") is not None
    return False


def _person_used_as_place(span: Span) -> bool:
    """ "the attack on Khan Sheikhun in Idlib province": a name located inside another place is a place."""
    root = span.root
    if root.dep_ != "pobj" or root.head.lower_ not in _LOCATIVE_PREPOSITIONS:
        return False
    following = span.doc[span.end : span.end + 5]
    if not following or following[0].lower_ != "in":
        return False
    return any(t.ent_type_ in {"GPE", "LOC"} for t in following[1:])
