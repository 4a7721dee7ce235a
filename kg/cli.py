"""The ``kg`` command: a thin click layer over the library. Each command parses its options, makes one library
call and prints; progress bars and messages live here, never in the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.errors import KGError
from kg.ingest import Skipped
from kg.nlp import DEFAULT_MODEL

#: Exit status of ``kg build`` when outputs were written but some inputs were skipped.
EXIT_SKIPPED = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Turn news articles into a knowledge graph of people, countries, organisations and places."""


@main.command()
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
@click.option("--max-nodes", default=500, show_default=True, help="Most nodes drawn in graph.html.")
@click.option("--batch-size", default=32, show_default=True, help="Articles per spaCy batch.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(
    sources: tuple[str, ...],
    out_dir: Path,
    model: str,
    base: str | None,
    max_nodes: int,
    batch_size: int,
    quiet: bool,
) -> None:
    """Build the graph of SOURCES: files, folders (recursive) or - for standard input.

    Plain text (first line = headline), JSONL/JSON, CSV and HTML pages are read. Inputs that cannot be used are
    listed on standard error; the exit status is then 3 (outputs are still written), 0 when all were used.
    """
    from tqdm import tqdm

    from kg.pipeline import build as build_graph
    from kg.pipeline import write_outputs

    skipped: list[Skipped] = []

    def report(item: Skipped) -> None:
        skipped.append(item)
        tqdm.write(f"skipped {item.source}: {item.reason}", file=sys.stderr)

    with tqdm(
        unit=" articles",
        disable=quiet,
        file=sys.stderr,
        dynamic_ncols=True,
        desc="extracting",
        total=_count_files(sources),
    ) as bar:
        try:
            G = build_graph(
                list(sources),
                model=model,
                on_skip=report,
                on_article=lambda _: bar.update(),
                batch_size=batch_size,
            )
        except KGError as error:
            raise click.ClickException(str(error)) from error
    try:
        paths = write_outputs(G, out_dir, base=base, max_nodes=max_nodes)
    except (KGError, OSError) as error:
        raise click.ClickException(f"Cannot write the outputs to {out_dir}: {error}") from error
    click.echo(f"{len(G.graph['articles'])} articles, {G.number_of_nodes()} entities, {G.number_of_edges()} relations")
    for path in paths:
        click.echo(f"wrote {path}")
    problems = [item for item in skipped if not item.reason.startswith("duplicate")]
    if problems:
        click.echo(f"{len(problems)} input(s) skipped; see the messages above.", err=True)
        sys.exit(EXIT_SKIPPED)


def _count_files(sources: tuple[str, ...]) -> int | None:
    """How many articles to expect, when every source is a file of one article (for the progress bar)."""
    from kg.ingest import count_single_article_files

    return count_single_article_files(sources)


@main.group()
def evaluate() -> None:
    """Score kg's extraction on public gold data."""


@evaluate.command("conll04")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline to evaluate.")
def evaluate_conll04(path: Path, as_json: bool, model: str) -> None:
    """Entity and relation scores on a CoNLL04 file in SpERT's JSON format (e.g. conll04_dev.json)."""
    import json

    from kg.evaluation import conll04

    try:
        scores = conll04.evaluate(path, model=model)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(scores, indent=1, sort_keys=True) if as_json else conll04.report(scores))


@main.group()
def train() -> None:
    """Train the models kg ships (needs the train extra: pip install -e '.[train]')."""


@train.command("relations")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the weights (default: the model file inside the kg package).",
)
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline whose output it learns from.")
def train_relations(path: Path, out: Path | None, model: str) -> None:
    """Fit the relation classifier on a CoNLL04 training file (e.g. ../shared/data/conll04/conll04_train.json)."""
    import json

    from kg import training

    try:
        summary = training.train(path, out=out or training.DEFAULT_OUT, model=model)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(summary, indent=1, sort_keys=True))
    click.echo(f"wrote {out or training.DEFAULT_OUT}")


@evaluate.command("meantime")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline to evaluate.")
def evaluate_meantime(folder: Path, as_json: bool, model: str) -> None:
    """Entity mention and cross-document identity scores on MEANTIME English (FOLDER holds its
    intra_cross-doc_annotation folder, e.g. meantime_newsreader_english_oct15)."""
    import json

    from kg.evaluation import meantime

    try:
        scores = meantime.evaluate(folder, model=model)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(scores, indent=1, sort_keys=True) if as_json else meantime.report(scores))
