"""A graph at a glance: how many articles, entities of each type and relations of each kind, the most mentioned
and most related entities, and what each article contributed (``kg stats``).

:func:`summarize` returns plain data (the JSON of ``kg stats --format json``); :func:`report` writes it as text
tables and :func:`to_csv` as one long CSV table, so the command only picks one and prints it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import networkx as nx

from kg.errors import KGError
from kg.model import COOCCURRENCE

#: Entities listed in each top list by default.
DEFAULT_TOP = 10


def summarize(G: nx.MultiDiGraph, *, top: int = DEFAULT_TOP) -> dict[str, Any]:
    """The counts of a graph of :func:`kg.graph.build_graph`.

    Returns a dict of ``articles``, ``entities`` and ``relations`` (totals; ``stated_relations`` leaves out
    co-occurrences), ``entities_by_type`` and ``relations_by_relation`` (name -> count, largest first),
    ``top_by_mentions`` and ``top_by_relations`` (the ``top`` entities with the most mentions / stated relations,
    in or out, each ``{id, label, type, mentions, relations}``) and ``per_article`` (each article's ``id``,
    ``title``, ``entities`` named there, ``relations`` stated there and evidence ``sentences``).

    Raises
    ------
    KGError : if ``top`` is less than 1.

    >>> G = nx.MultiDiGraph(articles={"a": {"title": "A"}})
    >>> G.add_node("person:ada", label="Ada", type="Person", mentions=2, articles=["a"])
    >>> summarize(G)["entities_by_type"]
    {'Person': 1}
    """
    if top < 1:
        raise KGError(f"top must be at least 1, not {top}. Pass a positive number.")
    stated = [(u, v, attrs) for u, v, attrs in G.edges(data=True) if attrs.get("kind") != COOCCURRENCE]
    degree = Counter()
    for u, v, _ in stated:
        degree[u] += 1
        degree[v] += 1

    def entity(node: str) -> dict[str, Any]:
        attrs = G.nodes[node]
        return {
            "id": node,
            "label": attrs.get("label") or node,
            "type": attrs.get("type", ""),
            "mentions": attrs.get("mentions", 0),
            "relations": degree[node],
        }

    by_mentions = sorted(G.nodes, key=lambda n: (-G.nodes[n].get("mentions", 0), -degree[n], n))
    by_relations = sorted(G.nodes, key=lambda n: (-degree[n], -G.nodes[n].get("mentions", 0), n))
    return {
        "articles": len(G.graph.get("articles", {})),
        "entities": G.number_of_nodes(),
        "relations": G.number_of_edges(),
        "stated_relations": len(stated),
        "entities_by_type": _most_common(attrs.get("type", "") for _, attrs in G.nodes(data=True)),
        "relations_by_relation": _most_common(key for _, _, key in G.edges(keys=True)),
        "top_by_mentions": [entity(node) for node in by_mentions[:top]],
        "top_by_relations": [entity(node) for node in by_relations[:top] if degree[node]],
        "per_article": _per_article(G, stated),
    }


def _most_common(names: Any) -> dict[str, int]:
    counts = Counter(names)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _per_article(G: nx.MultiDiGraph, stated: list[tuple[str, str, dict]]) -> list[dict[str, Any]]:
    entities, relations, sentences = Counter(), Counter(), Counter()
    for _, attrs in G.nodes(data=True):
        entities.update(set(attrs.get("articles", [])))
    for _, _, attrs in stated:
        evidence = attrs.get("evidence", [])
        relations.update({item["article"] for item in evidence})
        sentences.update({(item["article"], item["start"]) for item in evidence})
    per_sentence = Counter(article for article, _ in sentences)
    records = G.graph.get("articles", {})
    return [
        {
            "id": article,
            "title": (records.get(article) or {}).get("title") or "",
            "entities": entities[article],
            "relations": relations[article],
            "sentences": per_sentence[article],
        }
        for article in sorted(records, key=lambda a: (-entities[a], a))
    ]


def report(stats: dict[str, Any]) -> str:
    """The summary as text: the totals, then one aligned table per part.

    >>> print(report(summarize(nx.MultiDiGraph())).splitlines()[0])
    0 articles, 0 entities, 0 relations (0 stated, 0 co-occurrences)
    """
    cooccurrences = stats["relations"] - stats["stated_relations"]
    parts = [
        f"{stats['articles']} articles, {stats['entities']} entities, {stats['relations']} relations "
        f"({stats['stated_relations']} stated, {cooccurrences} co-occurrences)",
        _aligned(["type", "entities"], stats["entities_by_type"].items()),
        _aligned(["relation", "edges"], stats["relations_by_relation"].items()),
    ]
    for key, heading in (("top_by_mentions", "most mentioned"), ("top_by_relations", "most stated relations")):
        rows = [(e["label"], e["type"], e["mentions"], e["relations"]) for e in stats[key]]
        parts.append(_aligned([heading, "type", "mentions", "relations"], rows))
    rows = [(a["id"], a["entities"], a["relations"], a["sentences"]) for a in stats["per_article"]]
    parts.append(_aligned(["article", "entities", "relations", "sentences"], rows))
    return "\n\n".join(parts)


def to_csv(stats: dict[str, Any]) -> str:
    """The summary as one CSV table of ``section,id,label,count``: a row per total, type, relation, top entity
    (``count`` = mentions, or stated relations) and article (entities, relations and sentences as three rows).

    >>> print(to_csv(summarize(nx.MultiDiGraph())).splitlines()[1])
    total,articles,,0
    """
    rows: list[tuple] = [("total", key, "", stats[key]) for key in ("articles", "entities", "relations")]
    rows.append(("total", "stated_relations", "", stats["stated_relations"]))
    rows += [("entities_by_type", name, "", count) for name, count in stats["entities_by_type"].items()]
    rows += [("relations_by_relation", name, "", count) for name, count in stats["relations_by_relation"].items()]
    rows += [("top_by_mentions", e["id"], e["label"], e["mentions"]) for e in stats["top_by_mentions"]]
    rows += [("top_by_relations", e["id"], e["label"], e["relations"]) for e in stats["top_by_relations"]]
    for what in ("entities", "relations", "sentences"):
        rows += [(f"article_{what}", a["id"], a["title"], a[what]) for a in stats["per_article"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "id", "label", "count"])
    writer.writerows(rows)
    return buffer.getvalue()


def _aligned(headers: list[str], rows: Any) -> str:
    """Rows under their headers; numbers aligned right, text left."""
    rows = [list(row) for row in rows]
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max([len(name), *(len(line[i]) for line in cells)]) for i, name in enumerate(headers)]
    numeric = [bool(rows) and all(isinstance(row[i], int | float) for row in rows) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        padded = (
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        )
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *(line(row) for row in cells)])
