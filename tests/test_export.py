"""kg.export and ``kg export``: GEXF and GraphML read back with networkx, the Neo4j CSV read back with csv and
checked against neo4j-admin's header rules, and the flat attributes those tools need."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import HOSTILE_ID, HOSTILE_LABEL, HOSTILE_SENTENCE, add_twice_named_evidence

from kg import export
from kg.cli import main
from kg.cli_graph import EXPORT_FORMATS
from kg.graph import write_json

FLAT_TYPES = (str, int, float, bool)


def first_sentence(G: nx.MultiDiGraph, source: str, target: str, relation: str) -> str:
    return " ".join(G.edges[source, target, relation]["evidence"][0]["sentence"].split())


def assert_same_graph(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    """H, read back from an export, has G's nodes and edges with their flat attributes."""
    assert set(H.nodes) == set(G.nodes)
    for node, attrs in G.nodes(data=True):
        read = H.nodes[node]
        assert read["label"] == attrs["label"]
        assert read["type"] == attrs["type"]
        assert read["mentions"] == attrs["mentions"]
        assert read["articles"] == len(attrs["articles"])
        assert read["aliases"] == "; ".join(attrs["aliases"])
    expected = {(u, v, k) for u, v, k in G.edges(keys=True)}
    read_edges = {(u, v, attrs["relation"]): attrs for u, v, attrs in H.edges(data=True)}
    assert set(read_edges) == expected and H.number_of_edges() == G.number_of_edges()
    for (u, v, relation), attrs in read_edges.items():
        edge = G.edges[u, v, relation]
        assert attrs["label"] == relation
        assert attrs["kind"] == edge["kind"]
        assert attrs["confidence"] == pytest.approx(edge["confidence"])
        assert attrs["weight"] == edge["weight"]
        assert attrs["evidence"] == first_sentence(G, u, v, relation)


def test_the_flat_graph_has_only_flat_values(sample_graph: nx.MultiDiGraph):
    H = export.to_flat_graph(sample_graph)
    values = [v for _, attrs in H.nodes(data=True) for v in attrs.values()]
    values += [v for _, _, attrs in H.edges(data=True) for v in attrs.values()]
    assert values and all(isinstance(value, FLAT_TYPES) for value in values)
    edge = H.edges[
        "person:rex-tillerson", "person:vladimir-putin", "person:rex-tillerson|co_occurs|person:vladimir-putin"
    ]
    assert (edge["weight"], edge["sentences"]) == (2, 2)


def test_gexf_round_trip(sample_graph: nx.MultiDiGraph, tmp_path: Path):
    path = tmp_path / "graph.gexf"
    assert export.export(sample_graph, path, format="gexf") == [path]
    H = nx.read_gexf(path)
    assert_same_graph(sample_graph, H)
    assert H.nodes[HOSTILE_ID]["label"] == HOSTILE_LABEL  # text, escaped in the XML, comes back as it was
    assert H.nodes["person:rex-tillerson"]["viz"]["color"] == {"r": 78, "g": 121, "b": 167, "a": 1.0}
    # Gephi types the columns from the declarations: numbers must be declared as numbers
    namespace = {"g": "http://www.gexf.net/1.2draft"}
    declared = {
        (element.get("title"), element.get("type"))
        for element in ET.parse(path).getroot().iterfind(".//g:attributes/g:attribute", namespace)
    }
    assert {("mentions", "long"), ("confidence", "double"), ("relation", "string")} <= declared


def test_graphml_round_trip(sample_graph: nx.MultiDiGraph, tmp_path: Path):
    path = tmp_path / "graph.graphml"
    export.export(sample_graph, path, format="graphml")
    H = nx.read_graphml(path, force_multigraph=True)  # GraphML marks a graph as directed, not as a multigraph
    assert_same_graph(sample_graph, H)
    root = ET.parse(path).getroot()
    elements = list(root.iterfind("{http://graphml.graphdrawing.org/xmlns}key"))
    keys = {(element.get("attr.name"), element.get("for"), element.get("attr.type")) for element in elements}
    assert {("mentions", "node", "long"), ("confidence", "edge", "double"), ("label", "edge", "string")} <= keys
    assert len({element.get("id") for element in elements}) == len(elements)  # XML ids: one per key
    edge_ids = [edge.get("id") for edge in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert "person:rex-tillerson|works_for|organisation:exxonmobil" in edge_ids


# neo4j-admin's header fields: name:type, where the type is an id/label/type column or a value type, [] for arrays
_HEADER_FIELD = re.compile(
    r"^(?P<name>[A-Za-z_][\w]*)?"
    r"(?::(?P<type>ID|START_ID|END_ID|TYPE|LABEL|IGNORE|int|long|float|double|boolean|byte|short|char|string)"
    r"(?P<array>\[\])?)?$"
)
_PARSE = {"int": int, "long": int, "float": float, "double": float, "string": str, None: str}


def read_neo4j(path: Path) -> list[dict]:
    """Rows of a Neo4j import CSV with values converted as its header says (arrays split at ';')."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        fields = [_HEADER_FIELD.match(field) for field in header]
        assert all(fields), f"not a Neo4j header field: {[h for h, f in zip(header, fields, strict=True) if not f]}"
        rows = []
        for line in reader:
            assert len(line) == len(header)
            row = {}
            for field, cell in zip(fields, line, strict=True):
                kind, key = field["type"], field["name"] or f":{field['type']}"
                if kind in ("ID", "START_ID", "END_ID", "TYPE"):
                    row[key if kind == "ID" else f":{kind}"] = cell
                elif kind == "LABEL" or field["array"]:
                    row[key] = [_PARSE[kind if kind != "LABEL" else None](part) for part in cell.split(";") if part]
                else:
                    row[key] = _PARSE[kind](cell) if cell else None
            rows.append(row)
    return rows


def test_neo4j_csv_round_trip(sample_graph: nx.MultiDiGraph, tmp_path: Path):
    folder = tmp_path / "neo4j"
    paths = export.export(sample_graph, folder, format="csv")
    assert paths == [folder / "nodes.csv", folder / "relationships.csv"]
    header = (folder / "nodes.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [field for field in header if field.endswith(":ID")] == ["id:ID"] and ":LABEL" in header
    nodes = {row["id"]: row for row in read_neo4j(folder / "nodes.csv")}
    assert set(nodes) == set(sample_graph.nodes)
    for node, attrs in sample_graph.nodes(data=True):
        assert nodes[node]["label"] == attrs["label"]
        assert nodes[node]["mentions"] == attrs["mentions"]
        assert nodes[node]["aliases"] == attrs["aliases"]
        assert nodes[node][":LABEL"] == ["Entity", attrs["type"]]
    relationships = read_neo4j(folder / "relationships.csv")
    assert len(relationships) == sample_graph.number_of_edges()
    for row in relationships:
        assert row[":START_ID"] in nodes and row[":END_ID"] in nodes  # every end is a node's :ID
        assert re.fullmatch(r"[A-Z_]+", row[":TYPE"]) and row[":TYPE"] == row["relation"].upper()
        edge = sample_graph.edges[row[":START_ID"], row[":END_ID"], row["relation"]]
        assert row["confidence"] == pytest.approx(edge["confidence"])
        assert row["weight"] == edge["weight"]
        assert row["triggers"] == edge["triggers"]
    said = next(row for row in relationships if row["relation"] == "said_about")
    assert said["evidence"] == " ".join(HOSTILE_SENTENCE.split())  # quotes and commas survive csv quoting


def test_a_semicolon_in_a_name_does_not_split_its_array(sample_graph: nx.MultiDiGraph, tmp_path: Path):
    sample_graph.nodes["country:russia"]["aliases"] = ["Russia; the Federation"]
    export.write_neo4j_csv(sample_graph, tmp_path)
    nodes = {row["id"]: row for row in read_neo4j(tmp_path / "nodes.csv")}
    assert nodes["country:russia"]["aliases"] == ["Russia, the Federation"]


def test_one_sentence_named_twice_counts_once(sample_graph: nx.MultiDiGraph):
    add_twice_named_evidence(sample_graph)  # three records of one sentence: the cause of repeated sentences
    H = export.to_flat_graph(sample_graph)
    edge = H.edges["person:vladimir-putin", "country:russia", "person:vladimir-putin|said_about|country:russia"]
    assert (edge["weight"], edge["sentences"]) == (3, 1)


def test_an_unknown_format_lists_the_valid_ones(sample_graph: nx.MultiDiGraph, tmp_path: Path):
    with pytest.raises(export.OutputError, match=r"Unknown export format 'dot'\. Use one of: csv, gexf, graphml\."):
        export.export(sample_graph, tmp_path / "g.dot", format="dot")


def test_the_cli_offers_the_formats_of_the_library():
    assert sorted(EXPORT_FORMATS) == sorted(export.EXPORTERS)


@pytest.mark.parametrize("name", ["gexf", "graphml", "csv"])
def test_kg_export(sample_graph: nx.MultiDiGraph, tmp_path: Path, name: str):
    graph = tmp_path / "graph.json"
    write_json(sample_graph, graph)
    out = tmp_path / ("neo4j" if name == "csv" else f"graph.{name}")
    result = CliRunner().invoke(main, ["export", str(graph), "--format", name, "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = [out / "nodes.csv", out / "relationships.csv"] if name == "csv" else [out]
    assert result.stdout == "6 entities, 7 relations\n" + "".join(f"wrote {path}\n" for path in written)
    assert all(path.stat().st_size > 0 for path in written)


def test_kg_export_errors_say_what_to_do(sample_graph: nx.MultiDiGraph, tmp_path: Path):
    graph = tmp_path / "graph.json"
    write_json(sample_graph, graph)
    afile = tmp_path / "taken"
    afile.write_text("")
    result = CliRunner().invoke(main, ["export", str(graph), "--format", "csv", "-o", str(afile)])
    assert result.exit_code == 1 and "Pass a folder for -o" in result.stderr
    not_a_graph = tmp_path / "list.json"
    not_a_graph.write_text("[1, 2]")
    result = CliRunner().invoke(main, ["export", str(not_a_graph), "--format", "gexf", "-o", str(tmp_path / "g")])
    assert result.exit_code == 1 and "is not a graph.json written by kg build" in result.stderr
