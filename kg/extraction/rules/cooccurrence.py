"""Co-occurrence: every pair of different entities named in one sentence, a weak link of its own kind."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from kg.extraction.context import ArticleContext
from kg.model import Relation


def cooccurrence_relations(ctx: ArticleContext) -> Iterator[Relation | None]:
    """Every pair of different entities named in one sentence: a weak link, kept as its own relation type."""
    by_sentence: dict[int, list[int]] = {}
    for index, entity in enumerate(ctx.spans):
        by_sentence.setdefault(entity.span.sent.start, []).append(index)
    for indices in by_sentence.values():
        unique = list({ctx.ids[i]: i for i in indices}.values())
        for a, b in combinations(unique, 2):
            yield ctx.relation(a, b, "co_occurs", "cooccurrence", ctx.spans[a].span.sent)
