"""Extraction: a parsed article -> its entities and relations (the only stage besides ``kg.nlp`` that reads
spaCy objects). ``extract_article`` is the one entry point used by both ``kg build`` and ``kg evaluate``."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extraction.entities import entity_spans
from kg.extraction.relations import ArticleContext, extract_relations
from kg.model import Article, ArticleResult
from kg.resolve import resolve_article


def extract_article(article: Article, doc: Doc) -> ArticleResult:
    """Entities (resolved within the article) and relations of one parsed article."""
    spans = entity_spans(doc)
    sentence_starts = {sent.start: number for number, sent in enumerate(doc.sents)}
    mentions = [entity.to_mention(sentence_starts[entity.span.sent.start]) for entity in spans]
    entities, ids = resolve_article(mentions, article.id)
    ctx = ArticleContext(article, doc, spans, ids)
    relations = extract_relations(ctx)
    for entity in entities:
        entity.titles |= ctx.titles.get(entity.id, set())
    return ArticleResult(article, entities, relations, mentions)
