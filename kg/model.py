"""The plain data that flows between the stages: articles, mentions, entities and relations.

Nothing here does I/O or touches spaCy, so every later stage (graph, RDF, HTML) can be built and tested from
these dataclasses alone. Character offsets always refer to ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The four entity types of the graph.
ENTITY_TYPES = ("Person", "Country", "Organisation", "Place")

#: Relation kinds: how a relation was stated. Co-occurrence is never mixed with the others.
TYPED = "typed"  # a fixed relation between the kinds (works_for, leader_of, located_in, ...)
INTERACTION = "interaction"  # an event between two entities, a PLOVER category (consult, support, assault, ...)
ATTRIBUTION = "attribution"  # a speaker and the entities in what they said
COOCCURRENCE = "cooccurrence"  # two entities named in the same sentence
RELATION_KINDS = (TYPED, INTERACTION, ATTRIBUTION, COOCCURRENCE)


@dataclass(frozen=True)
class Article:
    """One news article.

    ``text`` is everything that is analysed: the headline first (when there is one), then the body.
    ``id`` is stable: it is derived from the content, so the same article always gets the same id.
    """

    id: str
    text: str
    title: str = ""
    url: str | None = None
    date: str | None = None
    source: str | None = None  # where it was read from: a path, "path:line" or "<stdin>"
    source_id: str | None = None  # the id the input gave the article (JSON/CSV "id" field), if any


@dataclass(frozen=True)
class Mention:
    """A name in an article's text, typed with one of ``ENTITY_TYPES``."""

    text: str
    type: str
    start: int  # character offsets into Article.text
    end: int
    sentence: int  # index of the sentence in the article
    role: str = "name"  # "name", or for a country "demonym" ("Russian") or "capital" ("Moscow says")


@dataclass
class Entity:
    """A real-world entity: one node of the graph.

    ``id`` is deterministic (``type:slug-of-label``), so the same entity gets the same id in every run and
    in every article, which is how articles merge.
    """

    id: str
    label: str
    type: str
    aliases: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)  # e.g. "U.S. Secretary of State"
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    country_code: str | None = None  # ISO 3166-1 alpha-2 for countries


@dataclass(frozen=True)
class Evidence:
    """Where a relation is stated: the article, the sentence and its character offsets in the article, and the
    offsets of the two names it joins (None for a relation not tied to two names in the text)."""

    article: str
    sentence: str
    start: int
    end: int
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Relation:
    """A directed relation between two entity ids, with the sentence that states it.

    ``trigger`` is the word that states it (the verb or noun, e.g. "meeting", or a title such as "President");
    ``method`` names the rule that found it. Co-occurrence relations are stored with ``source < target``.
    """

    source: str
    target: str
    relation: str
    kind: str
    evidence: Evidence
    method: str
    confidence: float
    trigger: str | None = None
    quote: str | None = None  # for attributions: what was said
    negated: bool = False  # for interactions: the text says it did not happen ("did not meet")
    source_group: str | None = None  # the agent word the source acts through ("Russian forces": "forces")
    target_group: str | None = None


@dataclass
class ArticleResult:
    """What extraction found in one article."""

    article: Article
    entities: list[Entity]
    relations: list[Relation]
    mentions: list[Mention] = field(default_factory=list)

    def _repr_html_(self) -> str:
        """How notebooks show it: the text with its names highlighted and its relations (kg.notebook)."""
        from kg.notebook import result_html  # spaCy's displaCy draws the text; not needed until a notebook asks

        return result_html(self)
