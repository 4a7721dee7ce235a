"""Document-level gold data (Re-DocRED, KnowledgeNet) against kg's extraction: the shared part of their evaluators.

A :class:`GoldDocument` is a text with gold entities (each a list of character spans) and gold facts between them,
labelled with Wikidata properties. The properties are mapped to kg relations through the vocabulary
(``kgv:wikidataProperty`` / ``kgv:wikidataInverseProperty`` in ``kg/data/vocab.ttl``: the one mapping, which users
can rely on too). kg's entities are aligned to gold entities by mention overlap: a kg entity stands for the gold
entity most of its mentions overlap. A predicted relation is right when its two entities are aligned to the two
gold entities of a gold fact with the same relation (either way round for a symmetric relation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extraction.context import SIGNATURES
from kg.model import TYPED, ArticleResult, Entity, Mention

_WD = "http://www.wikidata.org/entity/"

#: gold entity types of Re-DocRED / KnowledgeNet -> the kg types they may stand for
GOLD_TYPES = {
    "PER": {"Person"},
    "ORG": {"Organisation"},
    "LOC": {"Place", "Country"},
}


@dataclass(frozen=True)
class GoldDocument:
    """A text with its gold entities and facts.

    ``entities[i]`` is the list of ``(start, end, sentence)`` mentions of gold entity ``i``; ``types[i]`` its
    gold type (a key of :data:`GOLD_TYPES`, or "" when unknown); ``facts`` holds ``(head, tail, property)``
    with a Wikidata property id ("P131"). ``annotated`` lists the properties annotated in this document
    (None: all of them), so that a prediction of another property is neither right nor wrong.
    """

    id: str
    text: str
    entities: list[list[tuple[int, int, int]]]
    types: list[str]
    facts: set[tuple[int, int, str]]
    annotated: frozenset[str] | None = None
    meta: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def relation_properties() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """kg relation -> (Wikidata properties that state it, those that state it from the other side), read from
    the vocabulary.

    >>> "P108" in relation_properties()["works_for"][0]
    True
    """
    import rdflib

    from kg.rdf import KGV, VOCABULARY_FILE

    vocabulary = rdflib.Graph().parse(VOCABULARY_FILE, format="turtle")
    found = {}
    for name in SIGNATURES:
        subject = KGV[name]
        direct = {str(o).removeprefix(_WD) for o in vocabulary.objects(subject, KGV.wikidataProperty)}
        inverse = {str(o).removeprefix(_WD) for o in vocabulary.objects(subject, KGV.wikidataInverseProperty)}
        if direct or inverse:
            found[name] = (frozenset(direct), frozenset(inverse))
    return found


@lru_cache(maxsize=1)
def symmetric_relations() -> frozenset[str]:
    """The relations the vocabulary declares ``owl:SymmetricProperty`` (spouse, sibling_of, ...)."""
    import rdflib
    from rdflib.namespace import OWL, RDF

    from kg.rdf import KGV, VOCABULARY_FILE

    vocabulary = rdflib.Graph().parse(VOCABULARY_FILE, format="turtle")
    return frozenset(
        name for name in SIGNATURES if (KGV[name], RDF.type, OWL.SymmetricProperty) in vocabulary
    )  # fmt: skip


def kg_facts(document: GoldDocument) -> set[tuple[int, int, str]]:
    """The gold facts as kg relations ``(head, tail, relation)``: each property mapped through the vocabulary,
    turned round for an inverse property; a property two relations share goes to the one whose entity types fit
    the gold types (P17 country: located_in for a place, based_in for an organisation). Unmapped facts are left out.

    >>> doc = GoldDocument("d", "", [[(0, 1, 0)], [(2, 3, 0)]], ["LOC", "LOC"], {(1, 0, "P150")})
    >>> kg_facts(doc)
    {(0, 1, 'located_in')}
    """
    found = set()
    for head, tail, prop in document.facts:
        for name, (direct, inverse) in relation_properties().items():
            if prop in direct:
                fact = (head, tail, name)
            elif prop in inverse:
                fact = (tail, head, name)
            else:
                continue
            if _types_fit(name, document.types[fact[0]], document.types[fact[1]]):
                found.add(_canonical(fact))
                break
    return found


def _types_fit(relation: str, head_type: str, tail_type: str) -> bool:
    _, sources, targets = SIGNATURES[relation]
    fits_head = not head_type or bool(GOLD_TYPES.get(head_type, set()) & sources)
    fits_tail = not tail_type or bool(GOLD_TYPES.get(tail_type, set()) & targets)
    return fits_head and fits_tail


def _canonical(fact: tuple) -> tuple:
    head, tail, relation = fact
    if relation in symmetric_relations() and str(tail) < str(head):
        return (tail, head, relation)
    return fact


def align(offsets: Sequence[tuple[int, int]], ids: Sequence[str], document: GoldDocument) -> dict[str, int]:
    """kg entity id -> the gold entity most of its mentions overlap (entities that overlap none are left out).

    >>> doc = GoldDocument("d", "", [[(0, 5, 0)], [(10, 15, 0)]], ["", ""], set())
    >>> align([(0, 5), (11, 15), (20, 25)], ["a", "b", "c"], doc)
    {'a': 0, 'b': 1}
    """
    votes: dict[str, Counter] = {}
    spans = [(start, end, index) for index, mentions in enumerate(document.entities) for start, end, _ in mentions]
    for (start, end), entity_id in zip(offsets, ids, strict=True):
        for gold_start, gold_end, index in spans:
            if gold_start < end and start < gold_end:
                votes.setdefault(entity_id, Counter())[index] += 1
    return {entity_id: counter.most_common(1)[0][0] for entity_id, counter in votes.items()}


def result_ids(result: ArticleResult) -> list[str]:
    """The entity id of each of a result's mentions (resolution is deterministic, so this repeats extraction's)."""
    from kg.resolve import resolve_article

    return resolve_article(result.mentions, result.article.id)[1]


@dataclass(frozen=True)
class FoundMention:
    """A kg mention with the id of its entity in its article (``local``), the id after the merge of all
    articles (``merged``: same id, then :func:`kg.resolve.consolidate`, as in ``kg build``) and that entity's type."""

    mention: Mention
    local: str
    merged: str
    type: str


def collection_ids(results: Sequence[ArticleResult]) -> list[list[FoundMention]]:
    """Each result's mentions, in order, with the entity they belong to in their article and in the collection.

    A mention is typed as its entity: a lone "Jobs" tagged as an organisation but resolved to a person is a person.
    """
    from kg.graph import merge_entity
    from kg.resolve import consolidate

    merged: dict[str, Entity] = {}
    ids = []
    for result in results:
        ids.append(result_ids(result))
        for entity in result.entities:
            merge_entity(merged, entity)  # the merge of kg.graph.build_graph, before consolidate
    joins = consolidate(merged.values())
    return [
        [
            FoundMention(
                mention, entity_id, joins.get(entity_id, entity_id), merged[joins.get(entity_id, entity_id)].type
            )
            for mention, entity_id in zip(result.mentions, entity_ids, strict=True)
        ]
        for result, entity_ids in zip(results, ids, strict=True)
    ]


def predicted_facts(
    result: ArticleResult, alignment: dict[str, int], *, threshold: float = 0.0, relations: Iterable[str] | None = None
) -> dict[tuple, float]:
    """The typed relations of a result in gold terms: ``(head, tail, relation)`` -> best confidence, with an
    unaligned entity kept as its kg id (so that it counts as a false positive)."""
    allowed = set(relation_properties()) if relations is None else set(relations)
    found: dict[tuple, float] = {}
    for relation in result.relations:
        if relation.kind != TYPED or relation.relation not in allowed or relation.confidence < threshold:
            continue
        fact = _canonical(
            (alignment.get(relation.source, relation.source), alignment.get(relation.target, relation.target),
             relation.relation)
        )  # fmt: skip
        found[fact] = max(found.get(fact, 0.0), relation.confidence)
    return found


def cooccurring(document: GoldDocument, head: int, tail: int) -> bool:
    """Whether one sentence names both gold entities (the fact can be read from one sentence)."""
    sentences = {sentence for _, _, sentence in document.entities[head]}
    return any(sentence in sentences for _, _, sentence in document.entities[tail])


def cooccurrence_pairs(result: ArticleResult, ids: Sequence[str]) -> set[tuple[str, str]]:
    """Ordered pairs of different kg entities named in one sentence (both orders)."""
    by_sentence: dict[int, set[str]] = {}
    for mention, entity_id in zip(result.mentions, ids, strict=True):
        by_sentence.setdefault(mention.sentence, set()).add(entity_id)
    return {(a, b) for names in by_sentence.values() for a in names for b in names if a != b}


def entity_types(result: ArticleResult) -> dict[str, str]:
    return {entity.id: entity.type for entity in result.entities}


def type_prior(examples: Iterable[tuple[str, str, str | None]]) -> dict[tuple[str, str], str]:
    """The most frequent relation for each ordered pair of entity types, from ``(type, type, relation or None)``
    of co-occurring pairs; a pair of types whose commonest outcome is no relation gets none."""
    counts: dict[tuple[str, str], Counter] = {}
    for head_type, tail_type, relation in examples:
        counts.setdefault((head_type, tail_type), Counter())[relation] += 1
    prior = {}
    for types, counter in counts.items():
        related = Counter({name: n for name, n in counter.items() if name is not None})
        if related:
            prior[types] = related.most_common(1)[0][0]
    return prior


def reliability(predicted: dict[tuple, float], gold: set[tuple], *, bins: int = 10) -> dict:
    """How often predictions of each confidence were right: one row per confidence bin (``low``, ``high``,
    ``n``, mean ``confidence``, ``right`` share), and the expected calibration error (ECE), the mean gap between
    confidence and share right weighted by the bin's size.

    >>> table = reliability({("a",): 0.9, ("b",): 0.9, ("c",): 0.3}, {("a",), ("b",)})
    >>> table["ece"], [row["n"] for row in table["rows"]]
    (0.1667, [1, 2])
    """
    rows = []
    total, gap = len(predicted), 0.0
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        inside = [(c, fact in gold) for fact, c in predicted.items() if low <= c < high or (k == bins - 1 and c == 1)]
        if not inside:
            continue
        confidence = sum(c for c, _ in inside) / len(inside)
        right = sum(ok for _, ok in inside) / len(inside)
        gap += len(inside) * abs(confidence - right)
        rows.append(
            {"low": low, "high": high, "n": len(inside), "confidence": round(confidence, 4), "right": round(right, 4)}
        )
    return {"rows": rows, "ece": round(gap / total, 4) if total else 0.0}


def format_reliability(table: dict) -> str:
    """A reliability table as text."""
    lines = [f"  {'confidence':<12}{'n':>6}{'mean':>8}{'right':>8}"]
    for row in table["rows"]:
        lines.append(
            f"  {row['low']:.1f}-{row['high']:.1f}    {row['n']:>6}{row['confidence']:>8.3f}{row['right']:>8.3f}"
        )
    lines.append(f"  ECE {table['ece']:.3f}")
    return "\n".join(lines)


def threshold_curve(predicted: dict[tuple, float], gold: set[tuple], *, steps: Iterable[float] = ()) -> list[dict]:
    """Micro P/R/F1 of the predictions at or above each confidence threshold (default 0.2, 0.25, ..., 0.95).

    >>> [row["p"] for row in threshold_curve({("a",): 0.9, ("b",): 0.3}, {("a",)}, steps=[0.2, 0.5])]
    [0.5, 1.0]
    """
    rows = []
    for threshold in list(steps) or [k / 20 for k in range(4, 20)]:
        kept = {fact for fact, confidence in predicted.items() if confidence >= threshold}
        tp = len(kept & gold)
        p = tp / len(kept) if kept else 0.0
        r = tp / len(gold) if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"threshold": threshold, "p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), "n": len(kept)})
    return rows


def format_curve(rows: list[dict]) -> str:
    """A threshold curve as text."""
    lines = [f"  {'threshold':<11}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}"]
    lines += [f"  {r['threshold']:<11.2f}{r['p']:>7.3f}{r['r']:>7.3f}{r['f1']:>7.3f}{r['n']:>7}" for r in rows]
    return "\n".join(lines)


def reachable(document: GoldDocument, alignment: dict[str, int], facts: Iterable[tuple]) -> int:
    """How many gold facts have both entities found by kg (aligned to one of its entities): recall's ceiling."""
    found = set(alignment.values())
    return sum(1 for head, tail, _ in facts if head in found and tail in found)


def format_confidence(scores: dict) -> str:
    """The threshold curve and the reliability table of an evaluator's scores, as text."""
    return (
        "micro scores at each confidence threshold\n" + format_curve(scores["curve"]) + "\n\n"
        "reliability of the confidences (share right per confidence bin)\n" + format_reliability(scores["reliability"])
    )
