"""Relations between the entities of one parsed article, each with the sentence that states it.

Each extraction method is a function ``(ctx) -> Iterator[Relation]`` in the ``EXTRACTORS`` table; the rules, in
:mod:`kg.extraction.rules` (one module per family), read spaCy's dependency parse, and each branch names the
construction it handles. Relation names, the kinds they belong to and the entity types each may join are in
``SIGNATURES`` (:mod:`kg.extraction.context`); a candidate whose types do not fit is dropped. Confidences are
fixed per method (``CONFIDENCE``), from how often that rule was right on news text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from kg.extraction.context import CARRIED_TO_ENCLOSING_PLACE, CONFIDENCE, SIGNATURES, ArticleContext
from kg.extraction.rules.attributions import attribution_relations
from kg.extraction.rules.cooccurrence import cooccurrence_relations
from kg.extraction.rules.interaction_nouns import noun_relations
from kg.extraction.rules.interaction_pairs import detected_relations
from kg.extraction.rules.interactions import verb_relations
from kg.extraction.rules.places import (
    appositive_place_relations,
    dateline_relations,
    location_relations,
    named_after_country_relations,
    residence_relations,
    seat_relations,
)
from kg.extraction.rules.roles import title_relations
from kg.model import Relation

__all__ = ["CONFIDENCE", "EXTRACTORS", "SIGNATURES", "ArticleContext", "enclosing_place_relations", "extract_relations"]


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
    "interaction_pairs": detected_relations,
    "attributions": attribution_relations,
    "cooccurrence": cooccurrence_relations,
}


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
