"""Relations between the entities of one parsed article, each with the sentence that states it.

Each extraction method is a function ``(ctx) -> Iterator[Relation]`` in the ``EXTRACTORS`` table; the rules
read spaCy's dependency parse, and each branch names the construction it handles. Relation names, the kinds
they belong to and the entity types each may join are in ``SIGNATURES``; a candidate whose types do not fit is
dropped. Confidences are fixed per method (``CONFIDENCE``), from how often that rule was right on news text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations

from spacy.tokens import Doc, Span, Token

from kg import countries
from kg.extraction import lexicon
from kg.extraction.entities import EntitySpan
from kg.ids import entity_id
from kg.model import ATTRIBUTION, COOCCURRENCE, INTERACTION, TYPED, Article, Evidence, Relation

_ACTORS = {"Person", "Country", "Organisation"}
_ANY = {"Person", "Country", "Organisation", "Place"}
_DATELINE_ENDS = {"--", "-", "—", "–", ":", "_"}
_COPULAS = {"be", "become", "serve", "remain", "name", "appoint", "elect"}
_INTERACTIONS = ("meets", "supports", "opposes", "criticises", "cooperates", "urges")

#: relation -> (kind, allowed source types, allowed target types)
SIGNATURES: dict[str, tuple[str, set[str], set[str]]] = {
    "works_for": (TYPED, {"Person"}, {"Organisation", "Country"}),
    "leader_of": (TYPED, {"Person"}, {"Country", "Organisation", "Place"}),
    "located_in": (TYPED, {"Place"}, {"Place", "Country"}),
    "based_in": (TYPED, {"Organisation"}, {"Place", "Country"}),
    "reports_from": (TYPED, {"Organisation"}, {"Place", "Country"}),
    "lives_in": (TYPED, {"Person"}, {"Place", "Country"}),
    "nationality": (TYPED, {"Person"}, {"Country"}),
    "member_of": (TYPED, {"Person", "Country", "Organisation"}, {"Organisation"}),
    "killed": (TYPED, {"Person", "Organisation", "Country"}, {"Person"}),
    **{name: (INTERACTION, _ACTORS, _ACTORS) for name in _INTERACTIONS},
    "attacks": (INTERACTION, _ACTORS, _ANY),
    "said_about": (ATTRIBUTION, _ACTORS, _ANY),
    "co_occurs": (COOCCURRENCE, _ANY, _ANY),
}

#: method -> confidence of a relation it finds
CONFIDENCE = {
    "title": 0.9,
    "appositive": 0.85,
    "copula": 0.8,
    "person_of": 0.6,
    "comma_location": 0.8,
    "in_location": 0.7,
    "based_participle": 0.85,
    "dateline": 0.7,
    "appositive_place": 0.7,
    "headquarters": 0.8,
    "named_after_country": 0.7,
    "residence": 0.75,
    "verb": 0.75,
    "verb_inherited_subject": 0.6,
    "noun": 0.7,
    "noun_left_subject": 0.5,
    "attribution": 0.8,
    "attribution_pronoun": 0.6,
    "according_to": 0.8,
    "cooccurrence": 0.3,
    "learned": 0.5,  # replaced by the model's probability
    "enclosing_place": 0.6,  # confidence of the relation it extends, at most this
}

#: Relations that hold of a place's enclosing place too: living, being based or lying in "Miami, Florida" is
#: living, being based or lying in Florida.
CARRIED_TO_ENCLOSING_PLACE = {"lives_in", "based_in", "located_in"}


@dataclass
class ArticleContext:
    """A parsed article with its entity spans and the entity id of each span."""

    article: Article
    doc: Doc
    spans: list[EntitySpan]
    ids: list[str]
    types: dict[str, str] = field(default_factory=dict)  # entity id -> its type, where resolution decided it
    titles: dict[str, set[str]] = field(default_factory=dict)  # person entity id -> titles found
    _by_token: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, entity in enumerate(self.spans):
            for i in range(entity.span.start, entity.span.end):
                self._by_token[i] = index

    def at(self, token: Token) -> int | None:
        """The entity span covering a token, if any."""
        return self._by_token.get(token.i)

    def type_of(self, index: int) -> str:
        """The type of the entity a span names ("Trump" read once as an organisation is still a person)."""
        return self.types.get(self.ids[index], self.spans[index].type)

    def relation(
        self,
        source: int,
        target: int,
        name: str,
        method: str,
        sentence: Span,
        *,
        trigger: str | None = None,
        quote: str | None = None,
    ) -> Relation | None:
        """A relation between two spans, or None when the ids are the same or the types do not fit."""
        kind, sources, targets = SIGNATURES[name]
        source_id, target_id = self.ids[source], self.ids[target]
        if source_id == target_id or self.type_of(source) not in sources or self.type_of(target) not in targets:
            return None
        if kind == COOCCURRENCE and source_id > target_id:
            source_id, target_id = target_id, source_id
        source_span, target_span = self.spans[source].offsets, self.spans[target].offsets
        if kind == COOCCURRENCE and self.ids[source] != source_id:
            source_span, target_span = target_span, source_span
        evidence = Evidence(
            self.article.id, sentence.text.strip(), sentence.start_char, sentence.end_char, source_span, target_span
        )
        return Relation(source_id, target_id, name, kind, evidence, method, CONFIDENCE[method], trigger, quote)


def extract_relations(ctx: ArticleContext, *, methods: Iterable[str] | None = None) -> list[Relation]:
    """All relations of an article, one per source, target, relation and sentence (the most confident).

    ``methods`` picks extractors by name from ``EXTRACTORS`` (default: all).
    """
    names = list(EXTRACTORS) if methods is None else list(methods)
    unknown = [name for name in names if name not in EXTRACTORS]
    if unknown:
        raise ValueError(f"Unknown relation extractor(s) {unknown}; choose from {sorted(EXTRACTORS)}.")
    best: dict[tuple, Relation] = {}
    for name in names:
        for relation in EXTRACTORS[name](ctx):
            if relation is None:
                continue
            key = (
                relation.source,
                relation.target,
                relation.relation,
                relation.evidence.source_span,
                relation.evidence.target_span,
            )
            if key not in best or relation.confidence > best[key].confidence:
                best[key] = relation
    return sorted(best.values(), key=lambda r: (r.evidence.start, r.source, r.target, r.relation))


def enclosing_place_relations(ctx: ArticleContext, relations: list[Relation]) -> list[Relation]:
    """ "Andrew Hall of Miami, Fla.": a relation to a place named as "place, enclosing place" holds of the
    enclosing place too (for :data:`CARRIED_TO_ENCLOSING_PLACE`); these new relations, not already in ``relations``."""
    index_of = {entity.offsets: i for i, entity in enumerate(ctx.spans)}
    enclosing = {
        r.evidence.source_span: r.evidence.target_span for r in relations if r.method == "comma_location"
    }  # fmt: skip
    known = {(r.source, r.target, r.relation) for r in relations}
    found = []
    for relation in relations:
        place_span = enclosing.get(relation.evidence.target_span)
        if relation.relation not in CARRIED_TO_ENCLOSING_PLACE or place_span is None:
            continue
        source, place = index_of.get(relation.evidence.source_span), index_of.get(place_span)
        if source is None or place is None:
            continue
        carried = ctx.relation(source, place, relation.relation, "enclosing_place", ctx.spans[source].span.sent)
        if carried is not None and (carried.source, carried.target, carried.relation) not in known:
            known.add((carried.source, carried.target, carried.relation))
            found.append(replace(carried, confidence=min(relation.confidence, CONFIDENCE["enclosing_place"])))
    return found


# --- noun phrases -> entities ----------------------------------------------------------------------------


def _np_entities(ctx: ArticleContext, token: Token, *, follow_conj: bool = True) -> list[int]:
    """The entities a noun phrase headed by ``token`` refers to, with its conjuncts.

    An entity name refers to itself; a proxy noun ("Assad's regime", "the Assad regime", "Russian forces")
    refers to the entity that owns it.
    """
    found: list[int] = []
    index = ctx.at(token)
    if index is not None:
        found.append(index)
    elif token.lemma_.lower() in lexicon.PROXY_NOUNS:
        for child in token.children:
            if child.dep_ in {"poss", "compound", "nmod", "amod"} and ctx.at(child) is not None:
                found.append(ctx.at(child))
            elif child.dep_ == "prep" and child.lower_ == "of":
                found += [ctx.at(g) for g in child.children if g.dep_ == "pobj" and ctx.at(g) is not None]
    if follow_conj:
        for conj in _conjuncts(token):
            found += _np_entities(ctx, conj, follow_conj=False)
    return list(dict.fromkeys(found))


def _conjuncts(token: Token) -> list[Token]:
    """Conjuncts of a noun ("Russia and Iran"), also joined by "along with", "together with", "as well as"."""
    result = list(token.conjuncts)
    for child in token.children:
        if child.dep_ == "prep" and _is_coordinating_prep(child):
            result += [g for g in _last_of(child).children if g.dep_ == "pobj"]
    return result


def _is_coordinating_prep(prep: Token) -> bool:
    words = [prep.lower_] + [c.lower_ for c in prep.subtree if c.dep_ in {"prep", "advmod"} and c is not prep]
    return any(tuple(words[: len(p)]) == p for p in lexicon.COORDINATING_PREPOSITIONS)


def _last_of(prep: Token) -> Token:
    """The preposition that takes the object in a multi-word one ("along with": "with")."""
    for child in prep.children:
        if child.dep_ == "prep":
            return _last_of(child)
    return prep


def _children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _pobjs(prep: Token) -> list[Token]:
    return _children(_last_of(prep), "pobj")


def _negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


# --- typed relations: titles and positions ----------------------------------------------------------------


def _role_relation(words: list[Token], target_type: str) -> str | None:
    """The relation a role phrase ("U.S. Secretary of State", "chief executive") gives its holder."""
    lowered = {t.lower_ for t in words}
    leader = bool(lowered & lexicon.LEADER_TITLES) and not lowered & {"deputy", "vice", "vice-president"}
    if target_type == "Organisation":
        return "leader_of" if leader else "works_for"
    if target_type == "Country":
        if leader:
            return "leader_of"
        # "U.S. Secretary of State": serves the state; "United States basketball player": is American
        return "works_for" if _is_official(lowered) else "nationality"
    if target_type == "Place":
        return "leader_of" if leader else "lives_in"
    return None


def _is_official(words: set[str]) -> bool:
    """Titles that mean serving a state: a "Russian diplomat" works for Russia, a "Russian scientist" is Russian."""
    return bool(
        words
        & (
            lexicon.WORK_TITLES
            - {
                "correspondent",
                "reporter",
                "journalist",
                "editor",
                "analyst",
                "economist",
                "researcher",
                "scientist",
                "professor",
                "lecturer",
                "lawyer",
                "attorney",
                "coach",
                "player",
                "striker",
                "goalkeeper",
                "worker",
                "employee",
                "staff",
                "member",
            }
        )
    )


def _role_relations(ctx: ArticleContext, person: int, phrase: list[Token], method: str, sentence: Span):
    """Relations from a role phrase attached to a person, and the title it gives them."""
    # another person's title is theirs: "the brother of U.S. President John F. Kennedy"
    others = [ctx.spans[i].span for i in {ctx.at(t) for t in phrase} - {None, person} if ctx.type_of(i) == "Person"]
    theirs = {t.i for span in others for t in (*_title_before(ctx, span), *span)}
    phrase = [t for t in phrase if t.i not in theirs]
    targets = sorted({ctx.at(t) for t in phrase if ctx.at(t) is not None and ctx.at(t) != person})
    title_words = [t for t in phrase if t.lower_ in lexicon.TITLES]
    if title_words:
        title = _title_text(ctx, phrase)
        if title:
            ctx.titles.setdefault(ctx.ids[person], set()).add(title)
    for target in targets:
        target_type = ctx.type_of(target)
        name = _role_relation(phrase, target_type)
        if name is None or (not title_words and method != "title" and not _names_nationality(ctx, target)):
            continue
        if name == "leader_of" and _qualifies_other_noun(ctx, target):
            name = "works_for"  # "the head of the UK's counter terror police" leads the police, not the UK
        elif name == "leader_of" and _encloses_another(ctx, target, targets):
            name = "lives_in"  # "the mayor of South Bend, Indiana" leads South Bend and lives in Indiana
        trigger = " ".join(t.text for t in title_words) or None
        yield ctx.relation(person, target, name, method, sentence, trigger=trigger)


def _encloses_another(ctx: ArticleContext, target: int, targets: list[int]) -> bool:
    """Whether a place is named as the enclosing place of another target: "South Bend, Indiana"."""
    start = ctx.spans[target].span.start
    doc = ctx.doc
    return start >= 2 and doc[start - 1].text == "," and ctx.at(doc[start - 2]) in set(targets) - {target}


def _qualifies_other_noun(ctx: ArticleContext, target: int) -> bool:
    """Whether a name only qualifies a noun that is neither a title nor a name ("the UK's police")."""
    root = ctx.spans[target].span.root
    noun = root.head
    return (
        root.dep_ in {"poss", "compound", "amod", "nmod"}
        and noun.pos_ in {"NOUN", "PROPN"}
        and ctx.at(noun) is None
        and noun.lower_ not in lexicon.TITLES
    )


def _phrase(head: Token) -> list[Token]:
    """The words of a noun phrase without its clauses: in "a member of the Warren Commission that investigated
    President Kennedy's assassination", "President" is no title of the member."""
    clauses = {t.i for c in head.children if c.dep_ in {"relcl", "acl", "advcl"} for t in c.subtree}
    return [t for t in head.subtree if t.i not in clauses]


def _names_nationality(ctx: ArticleContext, target: int) -> bool:
    """A country that qualifies a role without a title ("a Russian scientist", "a U.S. citizen", "a strategist in
    Israel"), not one the role is about ("a critic of Russia")."""
    root = ctx.spans[target].span.root
    # the role noun itself, not a noun after a preposition ("a conduit for Russian disinformation")
    modifies_role = root.dep_ in {"amod", "compound", "nmod", "poss"} and root.head.dep_ != "pobj"
    return ctx.type_of(target) == "Country" and (modifies_role or (root.dep_ == "pobj" and root.head.lower_ == "in"))


def _title_text(ctx: ArticleContext, phrase: list[Token]) -> str:
    """The title as written, without articles, possessives or the punctuation around it."""
    words = [t for t in phrase if t.dep_ not in {"det", "case", "punct"} and t.tag_ != "POS"]
    while words and (
        words[0].lower_ in {"former", "then"}
        or ctx.at(words[0]) is not None
        and ctx.type_of(ctx.at(words[0])) == "Person"
    ):
        words = words[1:]
    if not words:
        return ""
    return ctx.doc[words[0].i : words[-1].i + 1].text.strip(" ,")


def _title_before(ctx: ArticleContext, span: Span) -> list[Token]:
    """The words right before a name that belong to its noun phrase, back to another person, a verb, a comma or
    a conjunction: in "US President Donald Trump and Turkish President Recep Tayyip Erdoğan", Erdoğan's title is
    "Turkish President" only."""
    in_phrase = {t.i for t in span.root.subtree}
    words: list[Token] = []
    for token in reversed(span.doc[span.sent.start : span.start]):
        other = ctx.at(token)
        if (
            token.i not in in_phrase
            or token.pos_ in {"VERB", "AUX", "CCONJ"}
            or token.text in {",", ";", ":", "(", ")"}
            or (other is not None and ctx.type_of(other) == "Person")
        ):
            break
        words.append(token)
    return words[::-1]


def title_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Titles and roles: "U.S. Secretary of State Rex Tillerson", "X, chief executive of Y", "X is Y's leader"."""
    for person, entity in enumerate(ctx.spans):
        if entity.type != "Person":
            continue
        span, root = entity.span, entity.span.root
        sentence = span.sent
        # a title written before the name: "Russian President Vladimir Putin", "Apple's chief executive Tim Cook"
        before = _title_before(ctx, span)
        if before:
            yield from _role_relations(ctx, person, before, "title", sentence)
        # an apposition after the name: "Rex Tillerson, the U.S. Secretary of State,"
        # (read as one phrase: the parser may split "former vice-president of Namibia" into three appositions)
        appositions = [appos for appos in _children(root, "appos") if ctx.at(appos) is None]
        if appositions:
            phrase = sorted({t for appos in appositions for t in _phrase(appos)}, key=lambda t: t.i)
            yield from _role_relations(ctx, person, phrase, "appositive", sentence)
        for appos in appositions:
            yield from _origin_relations(ctx, person, appos, sentence)
        # the name in apposition to a title: "the U.S. Secretary of State, Rex Tillerson"
        if root.dep_ == "appos" and ctx.at(root.head) is None and root.head.lower_ in lexicon.TITLES:
            phrase = [t for t in root.head.subtree if not span.start <= t.i < span.end and t.i < span.start]
            yield from _role_relations(ctx, person, phrase, "appositive", sentence)
        # a copula or naming verb: "X is the president of Y", "X was named chief executive of Y", also in a
        # relative clause: "X, who is a major in the Marine Corps"
        verbs = [root.head] if root.dep_ in {"nsubj", "nsubjpass"} else []
        verbs += [v for v in _children(root, "relcl") if any(c.lower_ == "who" for c in _children(v, "nsubj"))]
        for verb in verbs:
            if verb.lemma_ in _COPULAS:
                yield from _copula_relations(ctx, person, verb, sentence)
        # "Senator Ted Cruz of Texas", "John Smith of Reuters"
        for prep in _children(root, "prep"):
            if prep.lower_ in {"of", "from"}:
                for pobj in _pobjs(prep):
                    target = ctx.at(pobj)
                    if target is not None:
                        name = "works_for" if ctx.type_of(target) == "Organisation" else "lives_in"
                        yield ctx.relation(person, target, name, "person_of", sentence, trigger=prep.lower_)


def _copula_relations(ctx: ArticleContext, person: int, verb: Token, sentence: Span) -> Iterator[Relation | None]:
    """Roles a copula or naming verb gives its subject: its complement, or what follows "as"."""
    for complement in _children(verb, "attr", "oprd", "acomp", "dobj"):
        yield from _role_relations(ctx, person, _phrase(complement), "copula", sentence)
    for prep in _children(verb, "prep"):
        if prep.lower_ == "as":
            for pobj in _pobjs(prep):
                yield from _role_relations(ctx, person, _phrase(pobj), "copula", sentence)


def _origin_relations(ctx: ArticleContext, person: int, noun: Token, sentence: Span) -> Iterator[Relation | None]:
    """ "Derwinski, a Republican from Chicago", "Thomas, a native of Chisholm": where an apposition says a
    person comes from."""
    for prep in _children(noun, "prep"):
        if prep.lower_ == "from" or (prep.lower_ == "of" and noun.lemma_.lower() in {"native", "resident"}):
            for pobj in _pobjs(prep):
                target = ctx.at(pobj)
                if target is not None and ctx.type_of(target) in {"Place", "Country"}:
                    yield ctx.relation(person, target, "lives_in", "appositive", sentence, trigger=prep.lower_)


# --- typed relations: places and organisations ------------------------------------------------------------


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
            if ctx.spans[target].span.start == after_comma and not _in_enumeration(ctx, index, target):
                yield ctx.relation(index, target, name, "comma_location", entity.span.sent, trigger=",")
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
        for prep in _children(token, "prep"):
            if prep.lower_ in {"in", "at"}:
                places += [ctx.at(p) for p in _pobjs(prep) if ctx.at(p) is not None]
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
        owners += [p for prep in _children(token, "prep") if prep.lower_ == "of" for p in _pobjs(prep)]
        places = [p for prep in _children(token, "prep") if prep.lower_ in {"in", "at"} for p in _pobjs(prep)]
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
    nouns = [noun for noun in _children(root, "appos") if ctx.at(noun) is None]
    if root.dep_ == "appos" and ctx.at(root.head) is None:
        nouns.append(root.head)
    for noun in nouns:
        place_noun = noun.lemma_.lower() in lexicon.PLACE_NOUNS
        for prep in _children(noun, "prep"):
            if prep.lower_ == "in" or (prep.lower_ == "of" and place_noun):
                yield from (ctx.at(p) for p in _pobjs(prep) if ctx.at(p) is not None)
        if place_noun:  # "Bosnia's capital"
            yield from (ctx.at(c) for c in _children(noun, "poss") if ctx.at(c) is not None)
        if ctx.type_of(index) == "Organisation" and noun.lemma_.lower() in lexicon.ORGANISATION_NOUNS:
            yield from (ctx.at(c) for c in _children(noun, "compound", "nmod", "amod") if ctx.at(c) is not None)


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


def _in_enumeration(ctx: ArticleContext, first: int, second: int) -> bool:
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
    before = ctx.spans[first].span.start
    return before >= 2 and doc[before - 1].text == "," and ctx.at(doc[before - 2]) is not None


def _listed_after(ctx: ArticleContext, name: int, following: int) -> bool:
    """Whether a name after ``name`` and a comma continues a list rather than saying where ``name`` lies: one
    of the same type, or a place after a country ("Pennsylvania, Georgia, Florida": no place contains a country;
    "Miami, Florida, United States" places Florida)."""
    kinds = (ctx.type_of(name), ctx.type_of(following))
    return kinds[0] == kinds[1] or kinds == ("Country", "Place")


# --- interactions, killings, membership and residence stated by verbs --------------------------------------


def _subjects(ctx: ArticleContext, verb: Token) -> tuple[list[int], str]:
    """The entities doing what a verb says, and the method that found them."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return _np_entities(ctx, child), "verb"
        if child.dep_ == "agent":  # passive: "Assad was backed by Russia"
            return [e for p in _pobjs(child) for e in _np_entities(ctx, p)], "verb"
    if verb.dep_ == "relcl" and ctx.at(verb.head) is not None:  # "Russia, which backs Assad"
        return _np_entities(ctx, verb.head), "verb"
    if verb.dep_ in {"xcomp", "conj"} and verb.head.pos_ in {"VERB", "AUX"}:
        head = verb.head
        if verb.dep_ == "xcomp":  # "Washington calls on Russia to work with the US": Russia works with the US
            objects = [
                p for c in head.children if c.dep_ in {"dobj", "prep"} for p in ([c] if c.dep_ == "dobj" else _pobjs(c))
            ]
            for obj in objects:
                found = _np_entities(ctx, obj)
                if found:
                    return found, "verb_inherited_subject"
        found, _ = _subjects(ctx, head)
        return found, "verb_inherited_subject"
    return [], "verb"


def residence_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Where a person lives or was born, said without "X lives in Y": "Rolling Fork, where Muddy Waters was
    born", "the Chicago-born actor Bill Murray", "Sohn's New Jersey home", "South Carolina, Jesse Jackson's home
    state", "Beaumont, Richardson's hometown"."""
    for token in ctx.doc:
        people: list[int] = []
        places: list[Token] = []
        if token.lemma_.lower() in lexicon.RESIDENCE_VERBS and token.dep_ == "relcl":
            if any(c.lower_ == "where" for c in token.children):
                people = [e for c in _children(token, "nsubj", "nsubjpass") for e in _np_entities(ctx, c)]
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
            people = [ctx.at(c) for c in _children(token, "poss") if ctx.at(c) is not None]
            places = [c for c in token.children if c.dep_ in {"compound", "nmod"}]
            places += [p for prep in _children(token, "prep") if prep.lower_ in {"of", "in"} for p in _pobjs(prep)]
            if token.dep_ == "appos":
                places.append(token.head)
            if token.dep_ == "attr":
                places += _children(token.head, "nsubj")
        for person in people:
            for place in (ctx.at(t) for t in places if ctx.at(t) is not None):
                yield ctx.relation(person, place, "lives_in", "residence", token.sent, trigger=token.text)


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
        if verb.pos_ != "VERB" or _negated(verb):
            continue
        agents, method = _subjects(ctx, verb)
        passive_subjects = [e for c in _children(verb, "nsubjpass") for e in _np_entities(ctx, c)]
        if not agents and not passive_subjects:
            continue
        objects: list[tuple[str | None, list[int]]] = []
        for child in verb.children:
            if child.dep_ == "dobj":
                objects.append((None, _np_entities(ctx, child)))
            elif child.dep_ == "prep":
                objects.append((child.lower_, [e for p in _pobjs(child) for e in _np_entities(ctx, p)]))
            elif child.dep_ == "prt":  # "call on Russia" parsed with a particle
                for prep in _children(verb, "prep"):
                    objects.append((child.lower_, [e for p in _pobjs(prep) for e in _np_entities(ctx, p)]))
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
    found = [e for c in noun.children if c.dep_ in {"poss", "compound", "nmod", "amod"} for e in _np_entities(ctx, c)]
    for prep in _children(noun, "prep"):
        if prep.lower_ == "by":  # "the attack by Russia on ..."
            found += [e for p in _pobjs(prep) for e in _np_entities(ctx, p)]
    if found:
        return found, "noun"
    head = noun.head
    if noun.dep_ == "appos" and ctx.at(head) is not None:  # "Russia, the main backer of Assad"
        return _np_entities(ctx, head), "noun"
    if noun.dep_ in {"attr", "acomp"} and head.lemma_ in {"be", "become", "remain"}:
        subjects = [e for c in _children(head, "nsubj") for e in _np_entities(ctx, c)]
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
            if _is_attribution_source(ctx.spans[index].span.root):
                break
            group.append(index)
            i = ctx.spans[index].span.start - 1
        elif token.text == "," or token.lower_ in {"and", "along", "with", "together", "as", "well"}:
            i -= 1
        else:
            break
    return list(dict.fromkeys(group))


def _is_attribution_source(token: Token) -> bool:
    """The X of "according to X", which says who reports, not who acts."""
    return token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according"


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
        for prep in _children(noun, "prep"):
            objects = [e for p in _pobjs(prep) for e in _np_entities(ctx, p)]
            if prep.lower_ == "between":  # "talks between Russia and Turkey"
                between += objects
            elif prep.lower_ in {"with", "of", "on", "against", "to", "for", "in"}:
                patients += objects
        if name == "killed":  # "the assassination of Kennedy by Oswald": "by" is the killer, "of" the victim
            killers = [
                e for p in _children(noun, "prep") if p.lower_ == "by" for q in _pobjs(p) for e in _np_entities(ctx, q)
            ]
            agents = killers or [e for e in agents if e not in patients]
        for source in agents:
            for target in patients:
                yield ctx.relation(source, target, name, method, noun.sent, trigger=noun.text)
        for source, target in combinations(dict.fromkeys(agents + between), 2):
            if source in between and target in between:
                yield ctx.relation(source, target, name, method, noun.sent, trigger=noun.text)


def _killer_relations(ctx: ArticleContext, noun: Token) -> Iterator[Relation | None]:
    victims = [e for c in noun.children if c.dep_ == "poss" for e in _np_entities(ctx, c)]
    victims += [e for p in _children(noun, "prep") if p.lower_ == "of" for q in _pobjs(p) for e in _np_entities(ctx, q)]
    killers: list[int] = []
    if ctx.at(noun.head) is not None and noun.dep_ == "appos":  # "Oswald, the killer of Kennedy"
        killers = _np_entities(ctx, noun.head)
    killers += [e for c in _children(noun, "appos") for e in _np_entities(ctx, c)]  # "Kennedy's assassin, Oswald"
    if noun.dep_ == "attr":  # "Oswald was Kennedy's killer"
        killers += [e for c in _children(noun.head, "nsubj") for e in _np_entities(ctx, c)]
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


# --- attributions ------------------------------------------------------------------------------------------


def _last_person_before(ctx: ArticleContext, position: int) -> int | None:
    people = [i for i, e in enumerate(ctx.spans) if e.type == "Person" and e.span.end <= position]
    return people[-1] if people else None


#: "wrote on Twitter", "said in a statement", "told reporters at a briefing": the medium or setting, not the topic
_SETTING_PREPOSITIONS = {"on", "in", "at", "via", "to"}


def attribution_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Who said what about whom: "X said ...", "“...,” X said", "He added: ...", "according to X, ..."."""
    for token in ctx.doc:
        sentence = token.sent
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            speakers = [e for c in token.children if c.lower_ == "to" for p in _pobjs(c) for e in _np_entities(ctx, p)]
            said = [t for t in sentence if t not in set(token.subtree)]
            yield from _said_about(ctx, speakers, said, sentence, "according_to")
            continue
        if token.pos_ != "VERB" or token.lemma_.lower() not in lexicon.SAY_VERBS or _negated(token):
            continue
        subjects = _children(token, "nsubj")
        if not subjects:
            continue
        subject = subjects[0]
        speakers, method = _np_entities(ctx, subject), "attribution"
        if not speakers and subject.lower_ in {"he", "she"}:
            last = _last_person_before(ctx, token.idx)
            speakers, method = ([last], "attribution_pronoun") if last is not None else ([], method)
        complements = _children(token, "ccomp", "xcomp", "parataxis")
        if complements:
            said = [t for c in complements for t in c.subtree]
        else:  # "He added: “...”": what follows the verb in the sentence, but not where or to whom it was said
            setting = {t for p in _children(token, "prep") if p.lower_ in _SETTING_PREPOSITIONS for t in p.subtree}
            said = [t for t in sentence if t.i > token.i and t not in setting]
        said_set = set(said) - set(subject.subtree)
        yield from _said_about(ctx, speakers, sorted(said_set, key=lambda t: t.i), sentence, method)


def _said_about(ctx: ArticleContext, speakers: list[int], said: list[Token], sentence: Span, method: str):
    if not speakers or not said:
        return
    quote = ctx.doc[said[0].i : said[-1].i + 1].text.strip(' ,:“”"')
    mentioned = list(dict.fromkeys(ctx.at(t) for t in said if ctx.at(t) is not None))
    for speaker in speakers:
        for target in mentioned:
            yield ctx.relation(speaker, target, "said_about", method, sentence, quote=quote[:500])


# --- co-occurrence -----------------------------------------------------------------------------------------


def cooccurrence_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Every pair of different entities named in one sentence: a weak link, kept as its own relation type."""
    by_sentence: dict[int, list[int]] = {}
    for index, entity in enumerate(ctx.spans):
        by_sentence.setdefault(entity.span.sent.start, []).append(index)
    for indices in by_sentence.values():
        unique = list({ctx.ids[i]: i for i in indices}.values())
        for a, b in combinations(unique, 2):
            yield ctx.relation(a, b, "co_occurs", "cooccurrence", ctx.spans[a].span.sent)


EXTRACTORS: dict[str, Callable[[ArticleContext], Iterator[Relation | None]]] = {
    "titles": title_relations,
    "locations": location_relations,
    "appositive_places": appositive_place_relations,
    "seats": seat_relations,
    "named_after_country": named_after_country_relations,
    "datelines": dateline_relations,
    "verbs": verb_relations,
    "residences": residence_relations,
    "nouns": noun_relations,
    "attributions": attribution_relations,
    "cooccurrence": cooccurrence_relations,
}
