"""kg.stats and ``kg stats``: the counts of the hand-made sample graph, and its three output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import A1, A2

from kg import stats
from kg.cli import main
from kg.errors import KGError
from kg.graph import write_json


def test_totals_and_counts(sample_graph: nx.MultiDiGraph):
    summary = stats.summarize(sample_graph)
    assert (summary["articles"], summary["entities"], summary["relations"], summary["stated_relations"]) == (2, 6, 7, 6)
    assert summary["entities_by_type"] == {"Organisation": 2, "Person": 2, "Country": 1, "Place": 1}
    assert list(summary["entities_by_type"].values()) == sorted(summary["entities_by_type"].values(), reverse=True)
    assert summary["relations_by_relation"] == dict.fromkeys(
        ["based_in", "co_occurs", "leader_of", "located_in", "said_about", "support", "works_for"], 1
    )


def test_top_entities(sample_graph: nx.MultiDiGraph):
    summary = stats.summarize(sample_graph, top=3)
    assert [(e["label"], e["mentions"]) for e in summary["top_by_mentions"]] == [
        ("Rex Tillerson", 5),
        ("Vladimir Putin", 4),
        ("Russia", 3),
    ]
    # stated relations, in or out; co-occurrences do not count; ties go to the more mentioned
    assert [(e["id"], e["relations"]) for e in summary["top_by_relations"]] == [
        ("person:rex-tillerson", 3),
        ("country:russia", 3),
        ("organisation:exxonmobil", 2),
    ]


def test_per_article(sample_graph: nx.MultiDiGraph):
    per_article = stats.summarize(sample_graph)["per_article"]
    assert per_article == [
        {"id": A1, "title": "Tillerson meets Putin in Moscow", "entities": 4, "relations": 3, "sentences": 3},
        {"id": A2, "title": 'Exxon, a "backer" of <b>Tillerson</b>', "entities": 3, "relations": 3, "sentences": 3},
    ]


def test_top_must_be_positive(sample_graph: nx.MultiDiGraph):
    with pytest.raises(KGError, match="top must be at least 1"):
        stats.summarize(sample_graph, top=0)


def test_report_is_aligned_tables(sample_graph: nx.MultiDiGraph):
    text = stats.report(stats.summarize(sample_graph, top=2))
    parts = text.split("\n\n")
    assert parts[0] == "2 articles, 6 entities, 7 relations (6 stated, 1 co-occurrences)"
    assert parts[1] == (
        "type          entities\n"
        "------------  --------\n"
        "Organisation         2\n"
        "Person               2\n"
        "Country              1\n"
        "Place                1"
    )
    assert parts[3].splitlines()[2] == "Rex Tillerson   Person         5          3"
    assert len(parts) == 6


def test_csv_is_one_long_table(sample_graph: nx.MultiDiGraph):
    summary = stats.summarize(sample_graph)
    rows = list(csv.DictReader(io.StringIO(stats.to_csv(summary))))
    assert rows[0] == {"section": "total", "id": "articles", "label": "", "count": "2"}
    by_section = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert [row["id"] for row in by_section["top_by_mentions"]][:2] == ["person:rex-tillerson", "person:vladimir-putin"]
    assert {row["id"]: int(row["count"]) for row in by_section["article_entities"]} == {A1: 4, A2: 3}
    assert by_section["article_entities"][1]["label"] == 'Exxon, a "backer" of <b>Tillerson</b>'  # quoted, whole


@pytest.fixture
def graph_file(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> Path:
    path = tmp_path / "graph.json"
    write_json(sample_graph, path)
    return path


@pytest.mark.parametrize(
    ("output_format", "render"),
    [
        ("table", lambda summary: stats.report(summary) + "\n"),
        ("csv", stats.to_csv),
        ("json", lambda summary: json.dumps(summary, ensure_ascii=False, indent=1) + "\n"),
    ],
)
def test_kg_stats(graph_file: Path, sample_graph: nx.MultiDiGraph, output_format: str, render):
    result = CliRunner().invoke(main, ["stats", str(graph_file), "--format", output_format, "--top", "4"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(stats.summarize(sample_graph, top=4))


def test_kg_stats_json_reads_back(graph_file: Path):
    result = CliRunner().invoke(main, ["stats", str(graph_file), "--format", "json"])
    assert json.loads(result.stdout)["entities"] == 6


def test_kg_stats_of_a_file_that_is_no_graph(tmp_path: Path):
    path = tmp_path / "graph.json"
    path.write_text("not json")
    result = CliRunner().invoke(main, ["stats", str(path)])
    assert result.exit_code == 1
    assert "is not a graph.json written by kg build" in result.stderr
