"""RDF writing speed: rdflib's serializers against kg's fast path (pyoxigraph), on one synthetic graph, in one run.

The graph has the shape of ``kg.graph.build_graph``'s output: ``--nodes`` entities of the four types (labels,
aliases, titles, mention counts, articles) and ``--edges`` relations (half co-occurrences, the rest typed,
interaction and attribution relations), each with one or two pieces of evidence; with the defaults it gives about
a million triples. It is made with a fixed seed, so every run measures the same graph.

Measures, each run ``--repeat`` times (the best is kept), writing into a temporary folder:

1. rdflib: ``kg.rdf.to_rdf(G)`` then ``Graph.serialize(format=...)`` to a file, for Turtle and N-Triples (the way
   kg wrote RDF before the fast path);
2. kg: ``kg.rdf.write_rdf(G, path, format=...)`` for every format pyoxigraph writes (Turtle, N-Triples, N-Quads,
   TriG, RDF/XML, JSON-LD): the triples are made in Python, block by block (each block sorted), and streamed to
   pyoxigraph's serializer.

Triples/s is the number of triples of ``to_rdf(G)`` divided by the seconds of the whole step (making the triples
included), so the two paths are compared on the same work.

    .venv/bin/python bench/rdf_speed.py [--nodes N] [--edges N] [--repeat N] [--skip-rdflib] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pyoxigraph
import rdflib

from kg.graph import add_relation
from kg.model import ENTITY_TYPES
from kg.rdf import FORMATS, to_rdf, write_rdf

FAST_FORMATS = ("turtle", "nt", "nquads", "trig", "xml", "json-ld")
RDFLIB_FORMATS = ("turtle", "nt")
TYPED = ("works_for", "leader_of", "located_in", "based_in", "lives_in", "nationality", "member_of")
INTERACTIONS = ("consult", "support", "reject", "accuse", "cooperate", "request", "assault")
WORDS = "the minister said on monday that talks with officials in the capital would continue next week".split()


def synthetic_graph(nodes: int, edges: int, *, seed: int = 0) -> nx.MultiDiGraph:
    """A graph in the schema of ``kg.graph`` (see its docstring) with the given numbers of nodes and edges."""
    rng = random.Random(seed)
    articles = [f"article-{i:06d}" for i in range(max(1, nodes // 20))]
    G = nx.MultiDiGraph()
    G.graph["articles"] = {
        a: {"title": f"Headline {a}", "url": f"https://news.example.com/{a}", "date": "2017-04-12", "source": a}
        for a in articles
    }
    ids = []
    for i in range(nodes):
        kind = ENTITY_TYPES[i % len(ENTITY_TYPES)]
        node = f"{kind.lower()}:entity-{i:06d}"
        ids.append(node)
        attrs = {
            "label": f"Entity {i}",
            "type": kind,
            "aliases": [f"E{i}"] if i % 2 else [],
            "titles": ["Minister"] if kind == "Person" and i % 3 == 0 else [],
            "mentions": rng.randint(1, 20),
            "articles": sorted(rng.sample(articles, min(len(articles), rng.randint(1, 2)))),
        }
        if kind == "Country":
            attrs["country_code"] = "X" + chr(ord("A") + i % 26)
        G.add_node(node, **attrs)
    added = 0
    while added < edges:
        source, target = rng.sample(ids, 2)
        roll = rng.random()
        if roll < 0.5:
            relation, kind, source, target = "co_occurs", "cooccurrence", min(source, target), max(source, target)
        elif roll < 0.8:
            relation, kind = rng.choice(TYPED), "typed"
        elif roll < 0.9:
            relation, kind = rng.choice(INTERACTIONS), "interaction"
        else:
            relation, kind = "said_about", "attribution"
        if G.has_edge(source, target, key=relation):
            continue
        evidence = []
        for _ in range(rng.choice((1, 1, 2))):
            start = rng.randrange(0, 5000)
            sentence = " ".join(rng.choices(WORDS, k=rng.randint(8, 20))).capitalize() + "."
            item = {
                "article": rng.choice(articles),
                "sentence": sentence,
                "start": start,
                "end": start + len(sentence),
                "method": "cooccurrence" if kind == "cooccurrence" else "verb",
                "confidence": 0.3 if kind == "cooccurrence" else 0.75,
            }
            if kind != "cooccurrence":
                item.update(trigger="said", source_span=[start, start + 5], target_span=[start + 10, start + 15])
            if kind == "attribution":
                item["quote"] = sentence[:40]
            evidence.append(item)
        add_relation(G, source, target, relation, kind, evidence)
        added += 1
    return G


def write_sorted_with_rdflib(G: nx.MultiDiGraph, path: Path) -> None:
    """Turtle the way kg wrote it before the fast path: rdflib's serializer over a sorted copy of the triples."""
    R = to_rdf(G)
    ordered = rdflib.Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in R.namespaces():
        ordered.bind(prefix, namespace)
    for triple in sorted(R, key=lambda t: tuple(term.n3() for term in t)):
        ordered.add(triple)
    ordered.serialize(path, format="turtle", encoding="utf-8")


def best_of(repeat: int, step: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=50_000, help="entities (default: %(default)s)")
    parser.add_argument("--edges", type=int, default=35_000, help="relations (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measure; the best is kept (default: 1)")
    parser.add_argument("--skip-rdflib", action="store_true", help="measure the fast path only")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    G = synthetic_graph(args.nodes, args.edges)
    triples = len(to_rdf(G))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_rdflib:
            for format in RDFLIB_FORMATS:
                path = Path(folder) / f"rdflib{FORMATS[format]}"
                seconds = best_of(
                    args.repeat, lambda f=format, p=path: to_rdf(G).serialize(p, format=f, encoding="utf-8")
                )
                rows.append({"path": "rdflib", "format": format, "seconds": seconds, "bytes": path.stat().st_size})
            path = Path(folder) / "before.ttl"
            seconds = best_of(args.repeat, lambda: write_sorted_with_rdflib(G, path))
            rows.append({"path": "kg before", "format": "turtle", "seconds": seconds, "bytes": path.stat().st_size})
        for format in FAST_FORMATS:
            path = Path(folder) / f"kg{FORMATS[format]}"
            seconds = best_of(args.repeat, lambda f=format, p=path: write_rdf(G, p, format=f))
            rows.append({"path": "kg fast path", "format": format, "seconds": seconds, "bytes": path.stat().st_size})
    for row in rows:
        row["triples_per_second"] = round(triples / row["seconds"])
    before = next((r["seconds"] for r in rows if r["path"] == "kg before"), None)

    result = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "rdflib": rdflib.__version__,
        "pyoxigraph": pyoxigraph.__version__,
        "cores": os.cpu_count(),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "triples": triples,
        "repeat": args.repeat,
        "rows": rows,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"kg RDF writing benchmark, {result['date']}")
    print(
        f"Python {result['python']}, rdflib {result['rdflib']}, pyoxigraph {result['pyoxigraph']}, "
        f"{result['cores']} cores"
    )
    print(f"synthetic graph: {result['nodes']:,} nodes, {result['edges']:,} edges, {triples:,} triples (to_rdf)")
    print(f"best of {args.repeat} run(s); triples/s = triples / seconds of the whole write (triples made included)")
    print()
    print(f"{'path':<14}{'format':<10}{'seconds':>10}{'triples/s':>12}{'MB':>9}{'speed vs kg before':>21}")
    for row in rows:
        ratio = f"{before / row['seconds']:.1f}x" if before else "-"
        print(
            f"{row['path']:<14}{row['format']:<10}{row['seconds']:>10.2f}{row['triples_per_second']:>12,}"
            f"{row['bytes'] / 1e6:>9.1f}{ratio:>21}"
        )


if __name__ == "__main__":
    main()
