"""The graph for other tools: GEXF for Gephi, GraphML for yEd and Cytoscape, CSV for Neo4j's bulk import
(``kg export``).

Those tools read flat attributes only (a string, a number, a boolean per key), so every format writes the graph
of :func:`to_flat_graph`: a node has ``label``, ``type``, ``mentions``, ``articles`` (a count), ``aliases`` and
``titles`` (joined with "; "); an edge has ``label`` and ``relation`` (the relation's name), ``kind``,
``confidence``, ``weight`` (the number of evidence records, as in the graph), ``sentences`` (how many distinct
sentences state it), ``triggers`` (joined) and ``evidence`` (its first sentence). The full evidence stays in
``graph.json`` and the RDF.

One function per format behind :data:`EXPORTERS`; :func:`export` picks one by name.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from kg.cache import write_atomically
from kg.errors import OutputError
from kg.graph import evidence_by_sentence
from kg.viz import TYPE_STYLES

log = logging.getLogger(__name__)

#: The files of the Neo4j CSV export, inside its folder.
NEO4J_NODES = "nodes.csv"
NEO4J_RELATIONSHIPS = "relationships.csv"

#: Neo4j's array delimiter (neo4j-admin's default ``--array-delimiter``); it cannot be escaped inside a value.
_ARRAY_DELIMITER = ";"


def to_flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose nodes and edges have only flat attributes (see the module docstring); each edge's key
    and ``id`` is ``source|relation|target``, unique in the graph.

    >>> G = nx.MultiDiGraph(); G.add_node("person:ada", label="Ada", type="Person", aliases=["A.", "Lovelace"])
    >>> to_flat_graph(G).nodes["person:ada"]["aliases"]
    'A.; Lovelace'
    """
    H = nx.MultiDiGraph()
    for node, attrs in G.nodes(data=True):
        H.add_node(node, **_flat_node(node, attrs))
    for source, target, key, attrs in G.edges(keys=True, data=True):
        relation = attrs.get("relation", key)
        edge_id = f"{source}|{relation}|{target}"
        H.add_edge(source, target, key=edge_id, id=edge_id, **_flat_edge(relation, attrs))
    return H


def _flat_node(node: str, attrs: dict) -> dict:
    flat = {
        "label": attrs.get("label") or node,
        "type": attrs.get("type", ""),
        "mentions": int(attrs.get("mentions", 0)),
        "articles": len(attrs.get("articles", [])),
        "aliases": "; ".join(attrs.get("aliases", [])),
        "titles": "; ".join(attrs.get("titles", [])),
    }
    if attrs.get("country_code"):
        flat["country_code"] = attrs["country_code"]
    return flat


def _flat_edge(relation: str, attrs: dict) -> dict:
    evidence = attrs.get("evidence", [])
    return {
        "label": relation,
        "relation": relation,
        "kind": attrs.get("kind", ""),
        "confidence": float(attrs.get("confidence", 0.0)),
        "weight": int(attrs.get("weight", len(evidence))),
        "sentences": len(evidence_by_sentence(evidence)),
        "triggers": "; ".join(attrs.get("triggers", [])),
        "evidence": " ".join(evidence[0]["sentence"].split()) if evidence else "",
    }


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """Write GEXF 1.2 for Gephi: the flat attributes, and each node coloured by type and sized by mentions
    (GEXF's ``viz`` elements, which Gephi draws as they are).

    >>> import tempfile, os
    >>> G = nx.MultiDiGraph(); G.add_node("person:ada", label="Ada", type="Person", mentions=1)
    >>> path = os.path.join(tempfile.mkdtemp(), "kg.gexf"); _ = write_gexf(G, path)
    >>> nx.read_gexf(path).nodes["person:ada"]["type"]
    'Person'
    """
    H = to_flat_graph(G)
    for _, attrs in H.nodes(data=True):
        colour = TYPE_STYLES.get(attrs["type"], ("#9c9c9c",))[0]
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        attrs["viz"] = {"color": {"r": red, "g": green, "b": blue, "a": 1.0}, "size": 5.0 + attrs["mentions"]}
    return [_written(Path(path), lambda target: nx.write_gexf(H, target, version="1.2draft"))]


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """Write GraphML for yEd, Cytoscape and other GraphML readers, with typed keys for the flat attributes.

    >>> import tempfile, os
    >>> G = nx.MultiDiGraph(); G.add_node("person:ada", label="Ada", type="Person", mentions=1)
    >>> path = os.path.join(tempfile.mkdtemp(), "kg.graphml"); _ = write_graphml(G, path)
    >>> nx.read_graphml(path).nodes["person:ada"]["mentions"]
    1
    """
    H = to_flat_graph(G)
    for _, _, attrs in H.edges(data=True):
        del attrs["id"]  # the edge's key is written as its GraphML id
    return [_written(Path(path), lambda target: nx.write_graphml(H, target))]


#: The header of nodes.csv: Neo4j's ``name:type`` fields (``:ID`` is the node's id, ``:LABEL`` its labels).
NODE_HEADER = [
    "id:ID",
    "label",
    "type",
    "mentions:int",
    "articles:int",
    "aliases:string[]",
    "titles:string[]",
    "country_code",
    ":LABEL",
]
#: The header of relationships.csv (``:TYPE`` is the relation's name in Neo4j's UPPER_CASE).
RELATIONSHIP_HEADER = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "relation",
    "kind",
    "confidence:float",
    "weight:int",
    "sentences:int",
    "triggers:string[]",
    "evidence",
]


def write_neo4j_csv(G: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """Write the folder ``path`` (created if missing) with ``nodes.csv`` and ``relationships.csv`` in the layout of
    ``neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv``.

    Each node has the labels ``Entity`` and its type (``Entity;Person``); each relationship the type of its
    relation in upper case (``WORKS_FOR``, ``CO_OCCURS``). Aliases, titles and triggers are arrays (``string[]``,
    split at ";"; a ";" inside a name becomes ","), the other values plain. Returns the two paths.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp(); G = nx.MultiDiGraph(); G.add_node("person:ada", label="Ada", type="Person")
    >>> [path.name for path in write_neo4j_csv(G, folder)]
    ['nodes.csv', 'relationships.csv']
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; the CSV export is a folder of two files. Pass a folder for -o.")
    folder.mkdir(parents=True, exist_ok=True)
    H = to_flat_graph(G)
    nodes = [
        [
            node,
            attrs["label"],
            attrs["type"],
            attrs["mentions"],
            attrs["articles"],
            _array(G.nodes[node].get("aliases", [])),
            _array(G.nodes[node].get("titles", [])),
            attrs.get("country_code", ""),
            _array(["Entity", attrs["type"]] if attrs["type"] else ["Entity"]),
        ]
        for node, attrs in sorted(H.nodes(data=True))
    ]
    relationships = [
        [
            source,
            target,
            attrs["relation"].upper(),
            attrs["relation"],
            attrs["kind"],
            attrs["confidence"],
            attrs["weight"],
            attrs["sentences"],
            _array(G.edges[source, target, attrs["relation"]].get("triggers", [])),
            attrs["evidence"],
        ]
        for source, target, attrs in sorted(H.edges(data=True), key=lambda edge: edge[2]["id"])
    ]
    return [
        _written(folder / NEO4J_NODES, lambda target: _write_csv(target, NODE_HEADER, nodes)),
        _written(folder / NEO4J_RELATIONSHIPS, lambda target: _write_csv(target, RELATIONSHIP_HEADER, relationships)),
    ]


def _array(values: list[str]) -> str:
    return _ARRAY_DELIMITER.join(value.replace(_ARRAY_DELIMITER, ",") for value in values)


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)  # RFC 4180: "" inside quotes, which neo4j-admin reads by default
        writer.writerow(header)
        writer.writerows(rows)


def _written(path: Path, write: Callable[[Path], None]) -> Path:
    try:
        write_atomically(path, write)
    except OSError as error:
        raise OutputError(f"Cannot write {str(path)!r}: {error.strerror or error}. Check the folder exists.") from error
    log.info("wrote %s", path)
    return path


#: Export formats by name -> the function that writes ``(G, path)`` and returns the paths it wrote.
EXPORTERS: dict[str, Callable[[nx.MultiDiGraph, str | Path], list[Path]]] = {
    "gexf": write_gexf,
    "graphml": write_graphml,
    "csv": write_neo4j_csv,
}


def export(G: nx.MultiDiGraph, path: str | Path, *, format: str) -> list[Path]:
    """Write ``G`` in the format named ``format`` (one of :data:`EXPORTERS`) to ``path``; the paths written.

    Raises
    ------
    OutputError : if the format is unknown or the files cannot be written.

    >>> export(nx.MultiDiGraph(), "g.xyz", format="xyz")
    Traceback (most recent call last):
    ...
    kg.errors.OutputError: Unknown export format 'xyz'. Use one of: csv, gexf, graphml.
    """
    exporter = EXPORTERS.get(format)
    if exporter is None:
        raise OutputError(f"Unknown export format {format!r}. Use one of: {', '.join(sorted(EXPORTERS))}.")
    return exporter(G, path)
