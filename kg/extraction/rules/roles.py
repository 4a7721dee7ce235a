"""Typed relations from titles and positions: "U.S. Secretary of State Rex Tillerson", "X, chief executive of
Y", "X is the president of Y", "Senator Ted Cruz of Texas"."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.extraction import lexicon
from kg.extraction.context import ArticleContext
from kg.extraction.rules.syntax import children, pobjs
from kg.model import Relation

_COPULAS = {"be", "become", "serve", "remain", "name", "appoint", "elect"}


#: roles that name a team's staff: "Panama coach Hernan Dario Gomez" coaches Panama's team, whatever his nationality
_TEAM_STAFF = {"coach", "manager", "trainer", "boss"}
#: roles in a band: "Duran Duran keyboardist Nick Rhodes" plays in a band, whose name may look like a place
_BAND_ROLES = {"keyboardist", "guitarist", "bassist", "drummer", "singer", "vocalist", "frontman", "frontwoman"}


def _role_relation(words: list[Token], target_type: str) -> str | None:
    """The relation a role phrase ("U.S. Secretary of State", "chief executive") gives its holder."""
    lowered = {t.lower_ for t in words}
    leader = bool(lowered & lexicon.LEADER_TITLES) and not lowered & {"deputy", "vice", "vice-president"}
    if target_type == "Organisation":
        return "leader_of" if leader else "works_for"
    if lowered & _BAND_ROLES:
        return None
    if target_type == "Country":
        if leader:
            return "leader_of"
        if lowered & _TEAM_STAFF:
            return None
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
        if _stance_word(ctx, target):
            continue  # "the pro-Beijing legislator": a stance, not where the legislator lives or serves
        name = _role_relation(phrase, target_type)
        if name is None or (not title_words and method != "title" and not _names_nationality(ctx, target)):
            continue
        if name == "leader_of" and _qualifies_other_noun(ctx, target):
            name = "works_for"  # "the head of the UK's counter terror police" leads the police, not the UK
        elif name == "leader_of" and _encloses_another(ctx, target, targets):
            name = "lives_in"  # "the mayor of South Bend, Indiana" leads South Bend and lives in Indiana
        trigger = " ".join(t.text for t in title_words) or None
        yield ctx.relation(person, target, name, method, sentence, trigger=trigger)


def _stance_word(ctx: ArticleContext, target: int) -> bool:
    """Whether a name is part of a stance word: "pro-Beijing", "anti-American"."""
    start = ctx.spans[target].span.start
    doc = ctx.doc
    hyphenated = start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in {"pro", "anti"}
    return hyphenated or (start >= 1 and doc[start - 1].lower_ in {"pro-", "anti-"})


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
        appositions = [appos for appos in children(root, "appos") if ctx.at(appos) is None]
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
        verbs += [v for v in children(root, "relcl") if any(c.lower_ == "who" for c in children(v, "nsubj"))]
        for verb in verbs:
            if verb.lemma_ in _COPULAS:
                yield from _copula_relations(ctx, person, verb, sentence)
        # "Senator Ted Cruz of Texas", "John Smith of Reuters"
        for prep in children(root, "prep"):
            if prep.lower_ in {"of", "from"}:
                for pobj in pobjs(prep):
                    target = ctx.at(pobj)
                    if target is not None:
                        name = "works_for" if ctx.type_of(target) == "Organisation" else "lives_in"
                        yield ctx.relation(person, target, name, "person_of", sentence, trigger=prep.lower_)


def _copula_relations(ctx: ArticleContext, person: int, verb: Token, sentence: Span) -> Iterator[Relation | None]:
    """Roles a copula or naming verb gives its subject: its complement, or what follows "as"."""
    for complement in children(verb, "attr", "oprd", "acomp", "dobj"):
        yield from _role_relations(ctx, person, _phrase(complement), "copula", sentence)
    for prep in children(verb, "prep"):
        if prep.lower_ == "as":
            for pobj in pobjs(prep):
                yield from _role_relations(ctx, person, _phrase(pobj), "copula", sentence)


def _origin_relations(ctx: ArticleContext, person: int, noun: Token, sentence: Span) -> Iterator[Relation | None]:
    """ "Derwinski, a Republican from Chicago", "Thomas, a native of Chisholm": where an apposition says a
    person comes from."""
    for prep in children(noun, "prep"):
        if prep.lower_ == "from" or (prep.lower_ == "of" and noun.lemma_.lower() in {"native", "resident"}):
            for pobj in pobjs(prep):
                target = ctx.at(pobj)
                if target is not None and ctx.type_of(target) in {"Place", "Country"}:
                    yield ctx.relation(person, target, "lives_in", "appositive", sentence, trigger=prep.lower_)
