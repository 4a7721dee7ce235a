"""The commands that read the graph.json of ``kg build``: ``kg stats`` and ``kg export`` (registered on the ``kg``
group by :mod:`kg.cli`). Thin, like the rest of the CLI: one library call each, then print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.errors import KGError

if TYPE_CHECKING:
    import networkx as nx

#: The names of kg.export.EXPORTERS (a test checks the two agree): listed here so that --help needs no import.
EXPORT_FORMATS = ["gexf", "graphml", "csv"]


def table_format_option(help: str):
    """The ``--format table|csv|json`` option of the commands that print tables (kg query, kg stats)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help=help,
    )


def _read_graph(path: Path) -> nx.MultiDiGraph:
    from kg.graph import read_json

    try:
        return read_json(path)
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # not JSON, or JSON that is not node-link data
        raise click.ClickException(
            f"{path} is not a graph.json written by kg build ({error}). Pass the graph.json of kg build --out."
        ) from error


@click.command(short_help="Summarise a graph: counts, top entities, articles.")
@click.argument("graph_file", metavar="GRAPH.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@table_format_option("How to print the summary.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Entities in each top list.")
def stats(graph_file: Path, output_format: str, top: int) -> None:
    """Summarise the graph.json of kg build: articles, entities per type, relations per relation, the most
    mentioned entities and those with the most stated relations, and each article's counts."""
    import json

    from kg import stats as summary

    counts = summary.summarize(_read_graph(graph_file), top=top)
    if output_format == "json":
        click.echo(json.dumps(counts, ensure_ascii=False, indent=1))
    elif output_format == "csv":
        click.echo(summary.to_csv(counts), nl=False)
    else:
        click.echo(summary.report(counts))


@click.command(short_help="Export a graph for Gephi, yEd, Cytoscape or Neo4j.")
@click.argument("graph_file", metavar="GRAPH.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "export_format",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="gexf (Gephi), graphml (yEd, Cytoscape) or csv (a folder with Neo4j's nodes.csv and relationships.csv).",
)
@click.option(
    "-o",
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write (for csv: the folder, created if missing).",
)
def export(graph_file: Path, export_format: str, out_path: Path) -> None:
    """Write the graph.json of kg build as GEXF, GraphML or Neo4j bulk-import CSV, with flat attributes (label,
    type, mentions; relation, confidence, weight, the first evidence sentence) that those tools read."""
    from kg.export import export as export_graph

    G = _read_graph(graph_file)
    try:
        paths = export_graph(G, out_path, format=export_format)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{G.number_of_nodes()} entities, {G.number_of_edges()} relations")
    for path in paths:
        click.echo(f"wrote {path}")
