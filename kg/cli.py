"""The ``kg`` command: a thin click layer over the library. Each command parses its options, makes one library
call and prints; progress bars and messages live here, never in the library."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli_graph import table_format_option
from kg.errors import KGError, os_error_reason
from kg.ingest import Skipped
from kg.nlp import DEFAULT_MODEL

if TYPE_CHECKING:
    import networkx as nx

    from kg.pipeline import Update
    from kg.store import Loaded

#: Exit status of ``kg build`` when outputs were written but some inputs were skipped.
EXIT_SKIPPED = 3


class _FormatChoice(click.Choice):
    """A choice of RDF formats that also takes their common aliases (ttl, jsonld, nq, ...; kg.rdf.FORMAT_ALIASES)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from kg.rdf import format_name

        return super().convert(format_name(value) if isinstance(value, str) else value, param, ctx)


_ALIASES_HELP = "Aliases such as ttl, jsonld, nq and rdf are accepted."

#: The RDF formats of the graph file (kg.rdf.FORMATS; tests check the two lists agree), shared by build and remove.
_rdf_format_option = click.option(
    "--format",
    "rdf_format",
    type=_FormatChoice(["json-ld", "longturtle", "n3", "nquads", "nt", "trig", "turtle", "xml"]),
    default="turtle",
    show_default=True,
    help="RDF format of the graph file (TriG and N-Quads keep each article's evidence in a named graph). "
    + _ALIASES_HELP,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Turn news articles into a knowledge graph of people, countries, organisations and places."""


@main.command(short_help="Build the graph of articles: JSON, RDF and an HTML view.")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for graph.json, graph.ttl and graph.html.",
)
@click.option(
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    help="spaCy pipeline: an installed package name or a path to a pipeline folder.",
)
@click.option("--base", default=None, help="Base IRI for the RDF resources (default http://example.org/kg/).")
@click.option(
    "--max-nodes", type=click.IntRange(min=1), default=500, show_default=True, help="Most nodes drawn in graph.html."
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=32, show_default=True, help="Articles per spaCy batch."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@_rdf_format_option
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes that parse and extract articles (with --scheduler local: the local cluster's workers).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Extract on a Dask cluster: its scheduler (tcp://HOST:8786), or 'local' for a local cluster of --workers "
    "processes. Needs: pip install 'kg[dask]'.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the collection in the Oxigraph store in this folder (created if missing; query it with kg query): "
    "only articles it does not hold yet are extracted, and the outputs hold every article of the store.",
)
@click.option(
    "--vocabulary",
    is_flag=True,
    help="With --store: also load kg's vocabulary (kg/data/vocab.ttl: the names of the relations and classes).",
)
def build(
    sources: tuple[str, ...],
    out_dir: Path,
    model: str,
    base: str | None,
    max_nodes: int,
    batch_size: int,
    quiet: bool,
    rdf_format: str,
    workers: int,
    scheduler: str | None,
    store_dir: Path | None,
    vocabulary: bool,
) -> None:
    """Build the graph of SOURCES: files, folders (recursive) or - for standard input.

    Plain text (first line = headline), JSONL/JSON, CSV and HTML pages are read. Inputs that cannot be used are
    listed on standard error; the exit status is then 3 (outputs are still written), 0 when all were used. When no
    input gives an article, nothing is written (the outputs and the store stay as they were) and the status is 1.

    With --store the store is the collection: articles it holds already are not parsed again, an edited file
    replaces its earlier version, and the graph and outputs hold every article of the store (kg remove takes
    articles out). An interrupted build is taken up where it stopped by the next one.
    """
    from tqdm import tqdm

    from kg.pipeline import build as build_graph
    from kg.pipeline import update

    if vocabulary and store_dir is None:
        raise click.UsageError("--vocabulary loads the vocabulary into the store: pass --store DIR too.")
    skipped: list[Skipped] = []

    def report(item: Skipped) -> None:
        skipped.append(item)
        tqdm.write(f"skipped {item.source}: {item.reason}", file=sys.stderr)

    with (
        tqdm(
            unit=" articles",
            disable=quiet,
            file=sys.stderr,
            dynamic_ncols=True,
            desc="extracting",
            total=_count_files(sources),
        ) as bar,
        _logging_above(bar),
    ):
        options = dict(
            model=model,
            on_skip=report,
            on_article=lambda _: bar.update(),
            batch_size=batch_size,
            workers=workers,
            scheduler=scheduler,
        )
        try:
            if store_dir is None:
                G = build_graph(list(sources), **options)
            else:
                done = update(list(sources), store_dir, base=base, **options)
                G = done.graph
        except KGError as error:
            raise click.ClickException(str(error)) from error
        except OSError as error:  # e.g. a full disk under a library that does not say which file
            raise click.ClickException(f"kg build stopped: {os_error_reason(error)}.") from error
    if store_dir is not None:
        click.echo(_counted(done))
    _write_and_report(G, out_dir, base=base, max_nodes=max_nodes, rdf_format=rdf_format)
    if store_dir is not None:
        click.echo(_loaded(store_dir, done.loaded))
    if vocabulary:
        _load_vocabulary(store_dir)
    problems = [item for item in skipped if not item.reason.startswith("duplicate")]
    if problems:
        click.echo(f"{len(problems)} input(s) skipped; see the messages above.", err=True)
        sys.exit(EXIT_SKIPPED)


@contextlib.contextmanager
def _logging_above(bar: Any) -> Iterator[None]:
    """While the progress bar runs, kg's log messages (a text split in parts, a store repaired) are printed above
    it, as the "skipped" lines are, not through it."""
    import logging

    from tqdm import tqdm

    class AboveTheBar(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            tqdm.write(self.format(record), file=sys.stderr)

    handler = AboveTheBar(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("kg")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _write_and_report(G: nx.MultiDiGraph, out_dir: Path, **options: Any) -> None:
    from kg.pipeline import write_outputs

    try:
        paths = write_outputs(G, out_dir, **options)
    except (KGError, OSError) as error:
        raise click.ClickException(f"Cannot write the outputs to {out_dir}: {error}") from error
    click.echo(_summary(G))
    for path in paths:
        click.echo(f"wrote {path}")
    max_nodes = options["max_nodes"]
    if G.number_of_nodes() > max_nodes:
        click.echo(
            f"graph.html holds the {max_nodes} of {G.number_of_nodes()} entities with the most relations and "
            "mentions and names the largest it leaves out; a larger --max-nodes holds more"
        )


def _summary(G: nx.MultiDiGraph) -> str:
    """'293 articles, 3810 entities, 10129 relations (2230 stated with confidence >= 0.5)'."""
    from kg.graph import DEFAULT_THRESHOLD, stated_relations

    return (
        f"{len(G.graph['articles'])} articles, {G.number_of_nodes()} entities, {G.number_of_edges()} relations "
        f"({len(stated_relations(G))} stated with confidence >= {DEFAULT_THRESHOLD})"
    )


def _load_vocabulary(store_dir: Path) -> None:
    from kg import store

    try:
        with store.open(store_dir) as opened:
            loaded = opened.load_vocabulary()
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"loaded kg's vocabulary: {loaded.added} triples added, {loaded.removed} removed, {loaded.total} in all")


def _counted(done: Update) -> str:
    """'3 new articles, 290 already in the store' and what was replaced."""
    parts = [_plural(len(done.new), "new article"), f"{len(done.unchanged)} already in the store"]
    if done.replaced:
        parts.append(f"{_plural(len(done.replaced), 'earlier version')} replaced")
    return ", ".join(parts)


def _loaded(store_dir: Path, loaded: Loaded) -> str:
    return f"loaded {store_dir}: {loaded.added} triples added, {loaded.removed} removed, {loaded.total} in all"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _count_files(sources: tuple[str, ...]) -> int | None:
    """How many articles to expect, when every source is a file of one article (for the progress bar)."""
    from kg.ingest import count_single_article_files

    return count_single_article_files(sources)


@main.command(short_help="Run a SPARQL query on a store made by kg build --store.")
@click.argument("store_dir", metavar="STORE", type=click.Path(file_okay=False, path_type=Path))
@click.argument("sparql")
@table_format_option("How to print the results.")
@click.option("--full-iris", is_flag=True, help="Print IRIs in full, not as prefix:name.")
@click.option("--base", default=None, help="Base IRI of the store's RDF resources (as given to kg build).")
def query(store_dir: Path, sparql: str, output_format: str, full_iris: bool, base: str | None) -> None:
    """Run a SPARQL query on the store in the folder STORE (made by kg build --store); - reads it from stdin.

    The prefixes rdf, rdfs, xsd, owl, skos, prov, schema and kgv need no declaration, nor do those of kg's own
    IRIs (person, country, organisation, place, article, graph, ...), and IRIs are printed with them
    (person:rex-tillerson, kgv:works_for) unless --full-iris is given:

    \b
        kg query store 'SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }'
    """
    from kg import store

    if sparql == "-":
        sparql = sys.stdin.read()
    options = {} if base is None else {"base": base}
    try:
        with store.open(store_dir, read_only=True) as opened:
            rows = opened.query(sparql, compact_iris=not full_iris, **options)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    if output_format == "json":
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif output_format == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(rows.columns)
        writer.writerows([["" if row[name] is None else row[name] for name in rows.columns] for row in rows])
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(_table(rows.columns, rows))


def _table(columns: list[str], rows: list[dict]) -> str:
    """Rows as aligned text columns under their names, newlines shown as \\n, and a row count."""
    cells = [[_cell(row[name]) for name in columns] for row in rows]
    widths = [max([len(name), *(len(line[i]) for line in cells)]) for i, name in enumerate(columns)]
    lines = [columns, ["-" * width for width in widths], *cells]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines]
    text.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


@main.command(short_help="Send an RDF file to a SPARQL Graph Store endpoint.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://localhost:7878/store.")
@click.option("--graph", default=None, help="IRI of the named graph to add to (default: the default graph).")
@click.option(
    "--format",
    "rdf_format",
    type=_FormatChoice(["json-ld", "n3", "nquads", "nt", "trig", "turtle", "xml"]),
    default=None,
    help="RDF format of FILE (default: from its suffix). " + _ALIASES_HELP,
)
@click.option(
    "--vocabulary",
    is_flag=True,
    help="Also send kg's vocabulary (kg/data/vocab.ttl: the names of the relations and classes) to the default graph.",
)
@click.option("--user", default=None, help="User name for HTTP Basic authentication.")
@click.option("--password", default=None, envvar="KG_PASSWORD", help="Password for --user (or KG_PASSWORD).")
@click.option("--token", default=None, envvar="KG_TOKEN", help="Bearer token (or KG_TOKEN).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for the server.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Tries again after a refused connection, a timeout or HTTP 408/429/5xx, waiting longer each time.",
)
def push(
    file: Path,
    endpoint: str,
    graph: str | None,
    rdf_format: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    timeout: float,
    retries: int,
    vocabulary: bool,
) -> None:
    """Send the RDF FILE (turtle, nt, nquads, trig, json-ld, xml) to a SPARQL 1.1 Graph Store Protocol endpoint.

    Triples are added to --graph or to the default graph; N-Quads and TriG files keep their own graphs. To query
    the server as kg query reads a store, push the TriG of kg build --format trig (each article's evidence in its
    graph) to a server whose default graph is the union of all (oxigraph serve --union-default-graph).
    """
    from kg import rdf, remote

    files = [(file, rdf_format, graph)] + ([(rdf.VOCABULARY_FILE, "turtle", None)] if vocabulary else [])
    for path, path_format, graph_name in files:
        try:
            pushed = remote.push(
                path,
                endpoint,
                graph=graph_name,
                format=path_format,
                user=user,
                password=password,
                token=token,
                timeout=timeout,
                retries=retries,
                on_retry=lambda message: click.echo(message, err=True),
            )
        except KGError as error:
            raise click.ClickException(str(error)) from error
        tries = f" after {pushed.attempts} attempts" if pushed.attempts > 1 else ""
        name = "kg's vocabulary" if path == rdf.VOCABULARY_FILE else str(path)
        click.echo(f"pushed {name} ({pushed.size} bytes) to {pushed.url}: HTTP {pushed.status}{tries}")


@main.command(short_help="Check an RDF file against kg's SHACL shapes.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "rdf_format",
    default=None,
    help="RDF format of the file (turtle, nt, nquads, trig, xml, json-ld, longturtle, n3, or an alias such as "
    "ttl); by default guessed from its suffix.",
)
def validate(path: Path, rdf_format: str | None) -> None:
    """Check an RDF file written by kg against kg's SHACL shapes and vocabulary.

    Prints a report; the exit status is 0 when the file conforms, 1 when it does not or cannot be read.
    """
    from kg.validate import validate_file

    try:
        report = validate_file(path, format=rdf_format)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(str(report))
    if not report.conforms:
        sys.exit(1)


@main.command(short_help="Take articles out of a store.")
@click.argument("article_ids", metavar="ARTICLE_ID...", nargs=-1, required=True)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The store folder made by kg build --store.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write graph.json, the RDF and graph.html of the remaining articles to this folder.",
)
@click.option("--base", default=None, help="Base IRI of the store's RDF resources (as given to kg build).")
@click.option(
    "--max-nodes", type=click.IntRange(min=1), default=500, show_default=True, help="Most nodes drawn in graph.html."
)
@_rdf_format_option
def remove(
    article_ids: tuple[str, ...],
    store_dir: Path,
    out_dir: Path | None,
    base: str | None,
    max_nodes: int,
    rdf_format: str,
) -> None:
    """Take articles out of the store, with everything only they supported (entities named only there, relations
    stated only there, their evidence).

    ARTICLE_ID is an id as in the store's articles folder, e.g. trump-meets-putin-751f5ed0. A file still in a
    folder you build from comes back with the next kg build: delete or move it too.
    """
    from kg.pipeline import remove as remove_articles

    try:
        done = remove_articles(article_ids, store_dir, base=base)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"removed {_plural(len(done.removed), 'article')}; {len(done.graph.graph['articles'])} left")
    if out_dir is not None:
        _write_and_report(done.graph, out_dir, base=base, max_nodes=max_nodes, rdf_format=rdf_format)
    click.echo(_loaded(store_dir, done.loaded))


def _add_graph_commands() -> None:
    from kg.cli_graph import export, stats  # kept apart to keep this file short
    from kg.cli_models import evaluate, train

    for command in (evaluate, train, export, stats):
        main.add_command(command)


_add_graph_commands()
