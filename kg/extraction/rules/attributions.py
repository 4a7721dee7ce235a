"""Attributions: who said what about whom ("X said ...", "He added: ...", "according to X, ...")."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.extraction import lexicon
from kg.extraction.context import ArticleContext
from kg.extraction.rules.syntax import children, last_person_before, negated, np_entities, pobjs
from kg.model import Relation

#: "wrote on Twitter", "said in a statement", "told reporters at a briefing": the medium or setting, not the topic
_SETTING_PREPOSITIONS = {"on", "in", "at", "via", "to"}


def attribution_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Who said what about whom: "X said ...", "“...,” X said", "He added: ...", "according to X, ..."."""
    for token in ctx.doc:
        sentence = token.sent
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            speakers = [e for c in token.children if c.lower_ == "to" for p in pobjs(c) for e in np_entities(ctx, p)]
            said = [t for t in sentence if t not in set(token.subtree)]
            yield from _said_about(ctx, speakers, said, sentence, "according_to")
            continue
        if token.pos_ != "VERB" or token.lemma_.lower() not in lexicon.SAY_VERBS or negated(token):
            continue
        subjects = children(token, "nsubj")
        if not subjects:
            continue
        subject = subjects[0]
        speakers, method = np_entities(ctx, subject), "attribution"
        if not speakers and subject.lower_ in {"he", "she"}:
            last = last_person_before(ctx, token.idx)
            speakers, method = ([last], "attribution_pronoun") if last is not None else ([], method)
        complements = children(token, "ccomp", "xcomp", "parataxis")
        if complements:
            said = [t for c in complements for t in c.subtree]
        else:  # "He added: “...”": what follows the verb in the sentence, but not where or to whom it was said
            setting = {t for p in children(token, "prep") if p.lower_ in _SETTING_PREPOSITIONS for t in p.subtree}
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
