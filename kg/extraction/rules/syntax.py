"""Reading the parse: the entities a noun phrase refers to, conjuncts, prepositional objects, negation.

Shared by every rule family in :mod:`kg.extraction.rules`."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extraction import lexicon
from kg.extraction.context import ArticleContext


def np_entities(ctx: ArticleContext, token: Token, *, follow_conj: bool = True) -> list[int]:
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
        for conj in conjuncts(token):
            found += np_entities(ctx, conj, follow_conj=False)
    return list(dict.fromkeys(found))


def conjuncts(token: Token) -> list[Token]:
    """Conjuncts of a noun ("Russia and Iran"), also joined by "along with", "together with", "as well as"."""
    result = list(token.conjuncts)
    for child in token.children:
        if child.dep_ == "prep" and is_coordinating_prep(child):
            result += [g for g in last_of(child).children if g.dep_ == "pobj"]
    return result


def is_coordinating_prep(prep: Token) -> bool:
    words = [prep.lower_] + [c.lower_ for c in prep.subtree if c.dep_ in {"prep", "advmod"} and c is not prep]
    return any(tuple(words[: len(p)]) == p for p in lexicon.COORDINATING_PREPOSITIONS)


def last_of(prep: Token) -> Token:
    """The preposition that takes the object in a multi-word one ("along with": "with")."""
    for child in prep.children:
        if child.dep_ == "prep":
            return last_of(child)
    return prep


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def pobjs(prep: Token) -> list[Token]:
    return children(last_of(prep), "pobj")


def negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def is_attribution_source(token: Token) -> bool:
    """The X of "according to X", which says who reports, not who acts."""
    return token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according"


def last_person_before(ctx: ArticleContext, position: int) -> int | None:
    """The last person named before a character offset: who "he" or "she" refers to."""
    people = [i for i, e in enumerate(ctx.spans) if e.type == "Person" and e.span.end_char <= position]
    return people[-1] if people else None
