"""Extraction: a parsed article -> its entities and relations (the only stage besides ``kg.nlp`` that reads
spaCy objects). ``extract_article`` is the one entry point used by both ``kg build`` and ``kg evaluate``."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extraction.entities import entity_spans
from kg.extraction.learned import learned_relations
from kg.extraction.relations import ArticleContext, enclosing_place_relations, extract_relations
from kg.model import Article, ArticleResult, Entity, Mention
from kg.resolve import resolve_article


def article_context(article: Article, doc: Doc) -> tuple[ArticleContext, list[Entity], list[Mention]]:
    """The entity spans of a parsed article, resolved to entities: what every relation extractor reads."""
    spans = entity_spans(doc)
    sentence_starts = {sent.start: number for number, sent in enumerate(doc.sents)}
    mentions = [entity.to_mention(sentence_starts[entity.span.sent.start]) for entity in spans]
    entities, ids = resolve_article(mentions, article.id)
    types = {entity.id: entity.type for entity in entities}
    return ArticleContext(article, doc, spans, ids, types), entities, mentions


def extract_article(article: Article, doc: Doc) -> ArticleResult:
    """Entities (resolved within the article) and relations of one parsed article: the rules' relations, re-scored
    and completed by the document-level model (``kg.extraction.learned``), then those carried to an enclosing
    place ("of Miami, Fla.")."""
    ctx, entities, mentions = article_context(article, doc)
    relations = learned_relations(ctx, extract_relations(ctx))
    relations += enclosing_place_relations(ctx, relations)
    for entity in entities:
        entity.titles |= ctx.titles.get(entity.id, set())
    return ArticleResult(article, entities, relations, mentions)
