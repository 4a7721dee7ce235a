"""The context every relation rule reads: a parsed article, its entity spans and their ids, and the table of
relation signatures (which kinds and entity types each relation joins) and rule confidences."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extraction.entities import EntitySpan
from kg.extraction.plover import CATEGORIES as PLOVER_CATEGORIES
from kg.model import ATTRIBUTION, COOCCURRENCE, INTERACTION, TYPED, Article, Evidence, Relation

_ACTORS = {"Person", "Country", "Organisation"}
_ANY = {"Person", "Country", "Organisation", "Place"}
#: PLOVER categories whose target may be a place ("shelled Aleppo", "occupied Crimea"); the others join actors.
_AT_PLACES = ("assault", "coerce", "mobilize")


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
    **{name: (INTERACTION, _ACTORS, _ANY if name in _AT_PLACES else _ACTORS) for name in PLOVER_CATEGORIES},
    "said_about": (ATTRIBUTION, _ACTORS, _ANY),
    "co_occurs": (COOCCURRENCE, _ANY, _ANY),
    **{
        name: (TYPED, types_from, types_to)
        for name, (types_from, types_to) in {
            # family, education and company relations: found by the document-level model (kg.models.relations)
            "spouse": ({"Person"}, {"Person"}),
            "parent_of": ({"Person"}, {"Person"}),
            "sibling_of": ({"Person"}, {"Person"}),
            "educated_at": ({"Person"}, {"Organisation"}),
            "founded_by": ({"Organisation"}, {"Person", "Organisation", "Country"}),
            "subsidiary_of": ({"Organisation"}, {"Organisation"}),
            "born_in": ({"Person"}, {"Place", "Country"}),
        }.items()
    },
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
    # interactions: the default of a method; calibrated per method and category in INTERACTION_CONFIDENCE_FILE
    "verb": 0.75,
    "verb_inherited_subject": 0.6,
    "verb_pronoun_subject": 0.5,
    "verb_reciprocal": 0.6,
    "verb_joint": 0.5,  # co-subjects of one act ("X and Y attacked Z"): cooperate
    "noun": 0.7,
    "noun_left_subject": 0.5,
    "noun_light_verb": 0.6,
    "attribution": 0.8,
    "attribution_pronoun": 0.6,
    "according_to": 0.8,
    "cooccurrence": 0.3,
    "document_model": 0.5,  # replaced by the document-level model's calibrated probability
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
        negated: bool = False,
        groups: tuple[str | None, str | None] = (None, None),
    ) -> Relation | None:
        """A relation between two spans, or None when the ids are the same or the types do not fit.

        ``negated``: the text says it did not happen; ``groups``: the agent words through which the source and
        the target act ("Russian forces": "forces"), if any."""
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
        confidence = CONFIDENCE[method]  # an interaction's is replaced by plover.confidence's model
        return Relation(
            source_id, target_id, name, kind, evidence, method, confidence, trigger, quote, negated, *groups
        )
