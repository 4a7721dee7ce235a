"""Entities and relations of many articles -> one ``networkx.MultiDiGraph``; node-link JSON in and out.

The graph is plain NetworkX, the one structure the RDF export, the HTML view and notebooks all read:

- node id: the entity id (``person:rex-tillerson``); attributes ``label``, ``type``, ``aliases`` (sorted list),
  ``titles`` (sorted list), ``mentions`` (int), ``articles`` (sorted list of article ids) and, for countries,
  ``country_code``.
- edge key: the relation name (one edge per source, target and relation); attributes ``relation``, ``kind``
  (typed / interaction / attribution / cooccurrence), ``evidence`` (list of dicts with ``article``, ``sentence``,
  ``start``, ``end``, ``method``, ``confidence`` and, when known, ``trigger``, ``quote`` and the offsets of the
  two names, ``source_span`` and ``target_span``), ``weight`` (number
  of pieces of evidence), ``confidence`` (the best piece of evidence of each article, combined across articles as
  1 - prod(1 - c)) and ``triggers`` (sorted list).
- ``G.graph["articles"]``: article id -> ``{"title", "url", "date", "source", "source_id"}``.

Everything is sorted before it is added, so the same input gives the same graph and the same files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import networkx as nx

from kg.model import COOCCURRENCE, ArticleResult, Entity, Relation
from kg.resolve import consolidate

#: The confidence a stated relation needs to be drawn when the HTML view opens (its slider starts here) and to be
#: counted in ``kg build``'s summary: the display threshold the relation model chose on out-of-fold scores of its
#: training data (``kg/data/models/relations/meta.json``). Measured precision above it is in the README ("Quality,
#: measured"); change it here only.
DEFAULT_THRESHOLD = 0.7


def build_graph(results: Iterable[ArticleResult]) -> nx.MultiDiGraph:
    """Merge the entities and relations of many articles into one graph.

    Entities with the same id are one node; relations with the same source, target and name are one edge whose
    evidence lists every sentence that states it.

    >>> G = build_graph([])
    >>> G.number_of_nodes()
    0
    """
    entities: dict[str, Entity] = {}
    relations: dict[tuple[str, str, str], list[Relation]] = {}
    articles: dict[str, dict] = {}
    for result in results:
        article = result.article
        articles[article.id] = {
            "title": article.title,
            "url": article.url,
            "date": article.date,
            "source": article.source,
            "source_id": article.source_id,
        }
        for entity in result.entities:
            merge_entity(entities, entity)
        for relation in result.relations:
            relations.setdefault((relation.source, relation.target, edge_key(relation)), []).append(relation)
    joins = consolidate(entities.values())
    if joins:
        entities, relations = _apply_joins(joins, entities, relations)
    return _assemble(entities, relations, articles)


def _apply_joins(
    joins: dict[str, str],
    entities: dict[str, Entity],
    relations: dict[tuple[str, str, str], list[Relation]],
) -> tuple[dict[str, Entity], dict[tuple[str, str, str], list[Relation]]]:
    """Move the entities and relations of joined ids onto the entity they join; drop self-loops it makes."""
    merged: dict[str, Entity] = {}
    for entity_id in sorted(entities):
        entity = entities[entity_id]
        target = joins.get(entity_id, entity_id)
        if target != entity_id:
            joined = entities[target]  # its type too: a place and an organisation of one name join as one
            entity = replace(
                entity, id=target, label=joined.label, type=joined.type, aliases=entity.aliases | {entity.label}
            )
        merge_entity(merged, entity)
    moved: dict[tuple[str, str, str], list[Relation]] = {}
    for found in relations.values():
        for relation in found:
            source, target = (
                joins.get(relation.source, relation.source),
                joins.get(relation.target, relation.target),
            )
            if source == target:
                continue
            if relation.kind == COOCCURRENCE and source > target:
                source, target = target, source
            relation = replace(relation, source=source, target=target)
            moved.setdefault((source, target, edge_key(relation)), []).append(relation)
    return merged, moved


def merge_entity(entities: dict[str, Entity], entity: Entity) -> None:
    """Add an article's entity to ``entities`` (id -> entity), merging it with the one of the same id."""
    known = entities.get(entity.id)
    if known is None:
        entities[entity.id] = replace(
            entity, aliases=set(entity.aliases), titles=set(entity.titles), articles=set(entity.articles)
        )
        return
    if entity.label != known.label:  # "Bashar al-Assad" and "Bashar Al-Assad": the same id, either label
        known.aliases |= {known.label, entity.label}
        known.label = min(known.label, entity.label)  # the same whichever article comes first
    known.aliases |= entity.aliases
    known.titles |= entity.titles
    known.mentions += entity.mentions
    known.articles |= entity.articles


def _assemble(
    entities: dict[str, Entity],
    relations: dict[tuple[str, str, str], list[Relation]],
    articles: dict[str, dict],
) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.graph["articles"] = {key: articles[key] for key in sorted(articles)}
    for entity_id in sorted(entities):
        entity = entities[entity_id]
        attrs = {
            "label": entity.label,
            "type": entity.type,
            "aliases": sorted(entity.aliases - {entity.label}),
            "titles": sorted(entity.titles),
            "mentions": entity.mentions,
            "articles": sorted(entity.articles),
        }
        if entity.country_code:
            attrs["country_code"] = entity.country_code
        G.add_node(entity_id, **attrs)
    for source, target, name in sorted(relations):
        found = relations[(source, target, name)]
        evidence = sorted(
            (_evidence_record(r) for r in found),
            key=lambda e: (e["article"], e["start"], json.dumps(e, sort_keys=True)),  # a total order
        )
        add_relation(G, source, target, found[0].relation, found[0].kind, _unique(evidence), negated=found[0].negated)
    return G


def edge_key(relation: Relation) -> str:
    """The key of a relation's edge: its name, or "not_" + its name for an event the text says did not happen
    (kept apart, so that "did not attack" never adds to the confidence of an attack)."""
    return f"not_{relation.relation}" if relation.negated else relation.relation


def add_relation(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    relation: str,
    kind: str,
    evidence: list[dict],
    *,
    negated: bool = False,
) -> None:
    """Add the edge of one relation with its evidence records; weight and confidence follow from the evidence.

    The confidence is that of the best piece of evidence of each article, combined across articles as
    1 - prod(1 - c): another article is one more independent chance that the relation holds, but the sentences of
    one article are not (one decision of the relation model often yields several, each sentence naming both), and
    adding them up would show a 0.5 relation at 0.75. A negated relation gets the key "not_" + its name and
    ``negated=True``.

    >>> G = nx.MultiDiGraph()
    >>> add_relation(G, "a", "b", "works_for", "typed", [{"article": "x", "confidence": 0.5}] * 2)
    >>> add_relation(G, "a", "c", "works_for", "typed", [{"article": a, "confidence": 0.5} for a in "xy"])
    >>> G.edges["a", "b", "works_for"]["confidence"], G.edges["a", "c", "works_for"]["confidence"]
    (0.5, 0.75)
    """
    best: dict[object, float] = {}
    for item in evidence:
        article = item.get("article")
        best[article] = max(best.get(article, 0.0), item["confidence"])
    disbelief = 1.0
    for confidence in best.values():
        disbelief *= 1.0 - confidence
    attrs = {"negated": True} if negated else {}
    G.add_edge(
        source,
        target,
        key=f"not_{relation}" if negated else relation,
        relation=relation,
        kind=kind,
        evidence=evidence,
        weight=len(evidence),
        confidence=round(1.0 - disbelief, 4),
        triggers=sorted({item["trigger"] for item in evidence if item.get("trigger")}),
        **attrs,
    )


def _evidence_record(relation: Relation) -> dict:
    record = {
        "article": relation.evidence.article,
        "sentence": relation.evidence.sentence,
        "start": relation.evidence.start,
        "end": relation.evidence.end,
        "method": relation.method,
        "confidence": relation.confidence,
    }
    if relation.evidence.source_span is not None:
        record["source_span"] = list(relation.evidence.source_span)
    if relation.evidence.target_span is not None:
        record["target_span"] = list(relation.evidence.target_span)
    if relation.trigger:
        record["trigger"] = relation.trigger
    if relation.quote:
        record["quote"] = relation.quote
    if relation.negated:
        record["negated"] = True
    if relation.source_group:
        record["source_group"] = relation.source_group
    if relation.target_group:
        record["target_group"] = relation.target_group
    return record


def _unique(records: list[dict]) -> list[dict]:
    seen: set[str] = set()
    unique = []
    for record in records:
        key = json.dumps(record, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(record)
    return unique


def stated_relations(G: nx.MultiDiGraph, *, threshold: float = DEFAULT_THRESHOLD) -> list[tuple[str, str, str]]:
    """The ``(source, target, relation)`` of the stated relations (not co-occurrences) of confidence ``threshold``
    or more: the relations the HTML view draws when it opens.

    >>> G = nx.MultiDiGraph()
    >>> add_relation(G, "person:a", "country:b", "leader_of", "typed", [{"confidence": 0.9}])
    >>> add_relation(G, "person:a", "country:b", "co_occurs", COOCCURRENCE, [{"confidence": 0.9}])
    >>> stated_relations(G)
    [('person:a', 'country:b', 'leader_of')]
    """
    return sorted(
        (source, target, key)
        for source, target, key, attrs in G.edges(keys=True, data=True)
        if attrs.get("kind") != COOCCURRENCE and attrs.get("confidence", 0.0) >= threshold
    )


def evidence_by_sentence(evidence: Iterable[dict]) -> dict[tuple[str, int, int], list[dict]]:
    """An edge's evidence records by the sentence they come from (article, start, end), in their order.

    An edge has one record per pair of name occurrences and rule ("Trump ... Trump's meeting with Putin" gives
    two records of one sentence): this is the evidence as sentences (kg.notebook, kg.export).
    """
    grouped: dict[tuple[str, int, int], list[dict]] = {}
    for item in evidence:
        grouped.setdefault((item["article"], item["start"], item["end"]), []).append(item)
    return grouped


def to_json_data(G: nx.MultiDiGraph) -> dict:
    """The graph as NetworkX node-link data (``edges="edges"``), ready for ``json.dump``."""
    return nx.node_link_data(G, edges="edges")


def read_json(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_json`.

    >>> import tempfile, os
    >>> G = nx.MultiDiGraph(); G.add_node("person:a", label="A")
    >>> path = os.path.join(tempfile.mkdtemp(), "g.json"); write_json(G, path)
    >>> read_json(path).nodes["person:a"]["label"]
    'A'
    """
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def write_json(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the graph as node-link JSON (sorted keys, so the same graph gives the same bytes), piece by piece as
    it is encoded, so the whole text is never in memory."""
    # A lone surrogate (in a Python str, but not a character) cannot be written as UTF-8: "backslashreplace" writes
    # it as the JSON escape \udxxx, which is how JSON keeps it.
    with open(path, "w", encoding="utf-8", errors="backslashreplace") as handle:
        json.dump(to_json_data(G), handle, ensure_ascii=False, sort_keys=True, indent=1)
        handle.write("\n")
