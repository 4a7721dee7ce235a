"""Relation rules, grouped by family: one module each for roles, places, interactions, attributions and
co-occurrence, over the parse helpers in :mod:`kg.extraction.rules.syntax`. Each rule is a function
``(ctx) -> Iterator[Relation | None]``, registered by name in :data:`kg.extraction.relations.EXTRACTORS`, and
each branch names the construction it handles."""
