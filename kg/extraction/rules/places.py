"""Typed relations of places and organisations: "Hamburg, Germany", "the Moscow-based agency", "Lowman, a town
in Idaho", headquarters, datelines, and where people live or were born."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg import countries
from kg.extraction import lexicon
from kg.extraction.context import ArticleContext
from kg.extraction.rules.syntax import children, np_entities, pobjs
from kg.ids import entity_id
from kg.model import Relation

_DATELINE_ENDS = {"--", "-", "—", "–", ":", "_"}


def location_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Places inside places and organisations in places: "Hamburg, Germany", "Khan Sheikhun in Idlib province",
    "the Moscow-based agency", "a company headquartered in Oslo"."""
    doc = ctx.doc
    for index, entity in enumerate(ctx.spans):
        if entity.type not in {"Place", "Organisation"}:
            continue
        name = "located_in" if entity.type == "Place" else "based_in"
        end = entity.span.end
        # "Hamburg, Germany": a comma, then a country or place, that is not an enumeration (places only: after
        # an organisation a comma more often ends a phrase, "According to Anadolu Agency, Russia ...")
        # "Mohammadia, south-east Algeria": a direction may come between
        after_comma = end + 1
        while after_comma < len(doc) and (
            doc[after_comma].lower_ in lexicon.DIRECTIONS or doc[after_comma].text == "-"
        ):
            after_comma += 1
        if (
            entity.type == "Place"
            and after_comma < len(doc)
            and doc[end].text == ","
            and ctx.at(doc[after_comma]) is not None
        ):
            target = ctx.at(doc[after_comma])
            if ctx.spans[target].span.start == after_comma and not in_enumeration(ctx, index, target):
                yield ctx.relation(index, target, name, "comma_location", entity.span.sent, trigger=",")
                # "Montreal, Quebec, Canada": Montreal lies in every place of the chain
                for enclosing in _comma_chain(ctx, target):
                    yield ctx.relation(index, enclosing, name, "comma_location", entity.span.sent, trigger=",")
        # "Khan Sheikhun in opposition-controlled Idlib province": "in" and a place a few modifiers later
        if end < len(doc) and doc[end].lower_ == "in":
            for token in doc[end + 1 : end + 6]:
                target = ctx.at(token)
                if target is not None:
                    if ctx.spans[target].role != "demonym":  # "IZVESTIYA in Russian" is a language
                        yield ctx.relation(index, target, name, "in_location", entity.span.sent, trigger="in")
                    break
                hyphenated = token.text == "-" or doc[token.i - 1].text == "-"  # "opposition-controlled"
                # "in the southeastern part of Rwanda"
                part_of = token.lower_ == "of" and doc[token.i - 1].lower_ in lexicon.PART_NOUNS
                if token.pos_ in {"VERB", "AUX", "PUNCT", "ADP", "CCONJ"} and not hyphenated and not part_of:
                    break
    # "the Moscow-based agency", "Acme, headquartered in Oslo"
    for token in doc:
        if token.lemma_.lower() not in lexicon.BASED_VERBS:
            continue
        owner = token.head if token.dep_ in {"amod", "acl", "compound"} else None
        org = ctx.at(owner) if owner is not None else None
        places = [ctx.at(t) for t in token.lefts if ctx.at(t) is not None]
        for prep in children(token, "prep"):
            if prep.lower_ in {"in", "at"}:
                places += [ctx.at(p) for p in pobjs(prep) if ctx.at(p) is not None]
        if org is not None:
            for place in places:
                yield ctx.relation(org, place, "based_in", "based_participle", token.sent, trigger=token.text)


def appositive_place_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Places and organisations placed by an apposition: "Lowman, a town in Idaho", "Sarajevo, the capital of
    Bosnia", "Acme, a Boston company"."""
    for index, entity in enumerate(ctx.spans):
        if entity.type in {"Place", "Organisation"}:
            name = "located_in" if entity.type == "Place" else "based_in"
            for target in _appositive_places(ctx, index):
                yield ctx.relation(index, target, name, "appositive_place", entity.span.sent)


def seat_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Organisations placed by their seat: "at NRC headquarters in Rockville", "Acme's head office in Oslo",
    "the headquarters of Acme in Oslo"."""
    for token in ctx.doc:
        if token.lemma_.lower() not in lexicon.SEAT_NOUNS and token.lower_ not in lexicon.SEAT_NOUNS:
            continue
        owners = [c for c in token.children if c.dep_ in {"compound", "poss"}]
        owners += [p for prep in children(token, "prep") if prep.lower_ == "of" for p in pobjs(prep)]
        places = [p for prep in children(token, "prep") if prep.lower_ in {"in", "at"} for p in pobjs(prep)]
        for org in (ctx.at(t) for t in owners if ctx.at(t) is not None):
            for place in (ctx.at(t) for t in places if ctx.at(t) is not None):
                yield ctx.relation(org, place, "based_in", "headquarters", token.sent, trigger=token.text)


def named_after_country_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """ "the Haitian Parliament", "the Russian Defence Ministry": an organisation named after its country is
    based there, where the sentence names that country too."""
    for index, entity in enumerate(ctx.spans):
        country = countries.country_of_demonym(entity.span[0].text) if entity.type == "Organisation" else None
        if country is None:
            continue
        country_id = entity_id("Country", country.name)
        for target, other in enumerate(ctx.spans):
            if ctx.ids[target] == country_id and other.span.sent.start == entity.span.sent.start:
                yield ctx.relation(index, target, "based_in", "named_after_country", entity.span.sent)


def _appositive_places(ctx: ArticleContext, index: int) -> Iterator[int]:
    """The places an apposition puts a place or organisation in: "Lowman, a town in Idaho", "Sarajevo, the
    capital of Bosnia", "Bosnia's capital, Sarajevo", and for organisations "Acme, a Boston company"."""
    root = ctx.spans[index].span.root
    nouns = [noun for noun in children(root, "appos") if ctx.at(noun) is None]
    if root.dep_ == "appos" and ctx.at(root.head) is None:
        nouns.append(root.head)
    for noun in nouns:
        place_noun = noun.lemma_.lower() in lexicon.PLACE_NOUNS
        for prep in children(noun, "prep"):
            if prep.lower_ == "in" or (prep.lower_ == "of" and place_noun):
                yield from (ctx.at(p) for p in pobjs(prep) if ctx.at(p) is not None)
        if place_noun:  # "Bosnia's capital"
            yield from (ctx.at(c) for c in children(noun, "poss") if ctx.at(c) is not None)
        if ctx.type_of(index) == "Organisation" and noun.lemma_.lower() in lexicon.ORGANISATION_NOUNS:
            yield from (ctx.at(c) for c in children(noun, "compound", "nmod", "amod") if ctx.at(c) is not None)


def dateline_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """ "BANGKOK, Thailand (AP) --", "Sofia, February 15 (BTA) --": the agency named in parentheses after the
    place (and date) a story opens with reports from that place. Only places, commas and dates may come before
    the parenthesis on its line (an editor's mark in parentheses, "(Text)", may open it), and nothing but a dash
    or a colon after it."""
    doc = ctx.doc
    for index, entity in enumerate(ctx.spans):
        span = entity.span
        if entity.type != "Organisation" or span.start < 2 or doc[span.start - 1].text != "(":
            continue
        if span.end >= len(doc) or doc[span.end].text != ")":
            continue
        after = doc[span.end + 1] if span.end + 1 < len(doc) else None
        if after is not None and "\n" not in after.text and after.text not in _DATELINE_ENDS:
            continue
        places = _dateline_places(ctx, span.start - 1)
        for place in places:
            yield ctx.relation(index, place, "reports_from", "dateline", span.sent)


def _dateline_places(ctx: ArticleContext, parenthesis: int) -> list[int]:
    """The places of a dateline that ends just before ``parenthesis``, or [] when what precedes it on its line
    is not a dateline."""
    doc = ctx.doc
    start = parenthesis
    while start > 0 and "\n" not in doc[start - 1].text:
        start -= 1
    if doc[start].text == "(":  # "(Text) Sofia, February 15 (BTA)": an editor's mark in parentheses
        close = next((t.i for t in doc[start:parenthesis] if t.text == ")"), None)
        if close is None or any(ctx.at(t) is not None for t in doc[start:close]):
            return []
        start = close + 1
    places: list[int] = []
    for token in doc[start:parenthesis]:
        index = ctx.at(token)
        if index is not None and ctx.type_of(index) in {"Place", "Country"}:
            if index not in places:
                places.append(index)
        elif not (token.text == "," or token.like_num or token.ent_type_ in {"DATE", "TIME"} or _is_month(token)):
            return []
    return places


def _is_month(token: Token) -> bool:
    return token.lower_.rstrip(".") in lexicon.MONTHS


def in_enumeration(ctx: ArticleContext, first: int, second: int) -> bool:
    """ "France, Germany and Italy" lists; "Hamburg, Germany" places. Countries side by side are a list too."""
    doc = ctx.doc
    if ctx.type_of(first) == "Country" or ctx.type_of(first) == ctx.type_of(second) == "Organisation":
        return True
    after = ctx.spans[second].span.end
    if after < len(doc) and doc[after].lower_ in {"and", "or"}:
        return True
    if after + 2 < len(doc) and doc[after].text == "," and doc[after + 1].lower_ in {"and", "or"}:
        following = ctx.at(doc[after + 2])  # "Colorado, Louisiana, and New Jersey", not "Fort Worth, Texas, and has"
        if following is not None:
            return _listed_after(ctx, second, following)
    elif after + 1 < len(doc) and doc[after].text == "," and ctx.at(doc[after + 1]) is not None:
        return _listed_after(ctx, second, ctx.at(doc[after + 1]))
    # "X, Hamburg, Germany": a list when X and Hamburg are one ("Paris, Hamburg, Germany"), not when X lies in
    # Hamburg ("Montreal, Quebec, Canada")
    before = ctx.spans[first].span.start
    previous = ctx.at(doc[before - 2]) if before >= 2 and doc[before - 1].text == "," else None
    return previous is not None and in_enumeration(ctx, previous, first)


def _comma_chain(ctx: ArticleContext, place: int) -> Iterator[int]:
    """The places after ``place`` in a comma chain that places it: Canada in "Quebec, Canada"."""
    doc = ctx.doc
    while True:
        end = ctx.spans[place].span.end
        following = ctx.at(doc[end + 1]) if end + 1 < len(doc) and doc[end].text == "," else None
        if following is None or ctx.spans[following].span.start != end + 1 or in_enumeration(ctx, place, following):
            return
        if ctx.type_of(following) not in {"Place", "Country"}:
            return
        yield following
        place = following


def _listed_after(ctx: ArticleContext, name: int, following: int) -> bool:
    """Whether a name after ``name`` and a comma continues a list rather than saying where ``name`` lies: one
    of the same type, or a place after a country ("Pennsylvania, Georgia, Florida": no place contains a country;
    "Miami, Florida, United States" places Florida)."""
    kinds = (ctx.type_of(name), ctx.type_of(following))
    return kinds[0] == kinds[1] or kinds == ("Country", "Place")


def residence_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Where a person lives or was born, said without "X lives in Y": "Rolling Fork, where Muddy Waters was
    born", "the Chicago-born actor Bill Murray", "Sohn's New Jersey home", "South Carolina, Jesse Jackson's home
    state", "Beaumont, Richardson's hometown"."""
    for token in ctx.doc:
        people: list[int] = []
        places: list[Token] = []
        if token.lemma_.lower() in lexicon.RESIDENCE_VERBS and token.dep_ == "relcl":
            if any(c.lower_ == "where" for c in token.children):
                people = [e for c in children(token, "nsubj", "nsubjpass") for e in np_entities(ctx, c)]
                places = [token.head]
        elif token.lower_ == "born" and token.dep_ in {"amod", "acl"}:
            noun = token.head
            if ctx.at(noun) is None and noun.dep_ == "compound":  # "the Chicago-born actor Bill Murray"
                noun = noun.head
            person = ctx.at(noun)
            people = [person] if person is not None else []
            places = [c for c in token.children if c.dep_ in {"npadvmod", "compound", "nmod"}]
        elif token.lemma_.lower() in lexicon.HOME_NOUNS or any(
            c.lower_ == "home" and c.dep_ == "compound" for c in token.children
        ):
            people = [ctx.at(c) for c in children(token, "poss") if ctx.at(c) is not None]
            places = [c for c in token.children if c.dep_ in {"compound", "nmod"}]
            places += [p for prep in children(token, "prep") if prep.lower_ in {"of", "in"} for p in pobjs(prep)]
            if token.dep_ == "appos":
                places.append(token.head)
            if token.dep_ == "attr":
                places += children(token.head, "nsubj")
        for person in people:
            for place in (ctx.at(t) for t in places if ctx.at(t) is not None):
                yield ctx.relation(person, place, "lives_in", "residence", token.sent, trigger=token.text)
