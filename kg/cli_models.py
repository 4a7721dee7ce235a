"""The ``kg evaluate`` and ``kg train`` command groups (registered on the ``kg`` group by :mod:`kg.cli`): scores on
public gold data, and the training of the models kg ships. Thin, like the rest of the CLI: one library call each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from kg.errors import KGError
from kg.nlp import DEFAULT_MODEL

#: The options every evaluate command takes.
_json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
_evaluated_model_option = click.option(
    "--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline to evaluate."
)


@click.group(short_help="Score the extraction on public gold data.")
def evaluate() -> None:
    """Score kg's extraction on public gold data."""


@evaluate.command("conll04", short_help="Entity and relation scores on CoNLL04.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_json_option
@_evaluated_model_option
@click.option("--threshold", default=0.0, show_default=True, help="Score only relations with at least this confidence.")
def evaluate_conll04(path: Path, as_json: bool, model: str, threshold: float) -> None:
    """Entity and relation scores on a CoNLL04 file in SpERT's JSON format (e.g. conll04_dev.json)."""
    _run_evaluation("conll04", path, model=model, threshold=threshold, as_json=as_json)


@evaluate.command("docred", short_help="Document-level relation scores on Re-DocRED.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--part",
    type=click.Choice(["measure", "train", "all"]),
    default="measure",
    show_default=True,
    help="Which documents to score: the measuring part (i % 5 < 2, 200 of Re-DocRED dev), the training part, or all.",
)
@click.option("--threshold", default=0.0, show_default=True, help="Score only relations with at least this confidence.")
@_json_option
@_evaluated_model_option
def evaluate_docred(path: Path, part: str, threshold: float, as_json: bool, model: str) -> None:
    """Document-level relation scores on a DocRED / Re-DocRED JSON file (e.g. redocred/dev_revised.json),
    with the co-occurrence baseline beside them."""
    _run_evaluation("docred", path, part=part, model=model, threshold=threshold, as_json=as_json)


@evaluate.command("knowledgenet", short_help="Relation scores on a KnowledgeNet fold.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--fold", default=4, show_default=True, type=click.IntRange(1, 4), help="The fold to score.")
@click.option("--threshold", default=0.0, show_default=True, help="Score only relations with at least this confidence.")
@_json_option
@_evaluated_model_option
def evaluate_knowledgenet(path: Path, fold: int, threshold: float, as_json: bool, model: str) -> None:
    """Relation scores per KnowledgeNet property on one fold of knowledgenet_train_folds1-4.jsonl (kg's shipped
    model is trained on folds 1-3: score fold 4)."""
    _run_evaluation("knowledgenet", path, fold=fold, model=model, threshold=threshold, as_json=as_json)


@evaluate.command("re3d", short_help="Interaction and typed-relation scores on re3d.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--part",
    type=click.Choice(["measuring", "calibration", "all"]),
    default="measuring",
    show_default=True,
    help="Which documents: the measuring part (never tuned on), the calibration part, or all.",
)
@_json_option
@_evaluated_model_option
def evaluate_re3d(folder: Path, part: str, as_json: bool, model: str) -> None:
    """Interaction and typed-relation scores on re3d (FOLDER holds its source folders, e.g. ../shared/data/re3d)."""
    _run_evaluation("re3d", folder, part=part, model=model, as_json=as_json)


@evaluate.command("meantime", short_help="Mention and identity scores on MEANTIME.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_json_option
@_evaluated_model_option
def evaluate_meantime(folder: Path, as_json: bool, model: str) -> None:
    """Entity mention and cross-document identity scores on MEANTIME English (FOLDER holds its
    intra_cross-doc_annotation folder, e.g. meantime_newsreader_english_oct15)."""
    _run_evaluation("meantime", folder, model=model, as_json=as_json)


@evaluate.command("gum", short_help="Named-mention, type and identity scores on GUM.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--part",
    type=click.Choice(["measuring", "train", "all"]),
    default="measuring",
    show_default=True,
    help="Which documents: the measuring part (never trained or tuned on), the training part, or all.",
)
@_json_option
@_evaluated_model_option
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Also score the stock spaCy model (without kg's recogniser) in the same table.",
)
def evaluate_gum(folder: Path, part: str, as_json: bool, model: str, baseline: bool) -> None:
    """Named-mention recall and precision (head match), type accuracy and identity B-cubed (within and across
    documents) on GUM (FOLDER holds its GUM_*.conllu files, e.g. ../shared/data/gum)."""
    _run_evaluation("gum", folder, part=part, model=model, baseline=baseline, as_json=as_json)


def _run_evaluation(name: str, *args: object, as_json: bool, **options: object) -> None:
    """Run ``kg.evaluation.NAME.evaluate(*args, **options)`` and print its report (or its JSON)."""
    import importlib
    import json

    evaluation = importlib.import_module(f"kg.evaluation.{name}")
    try:
        scores = evaluation.evaluate(*args, **options)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(scores, indent=1, sort_keys=True) if as_json else evaluation.report(scores))


@click.group(short_help="Train the models kg ships.")
def train() -> None:
    """Train the models kg ships (needs the train extra: pip install -e '.[train]')."""


@train.command("relations", short_help="Train the document-level relation model.")
@click.argument("data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("../shared/data"))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the model to (default: kg/data/models/relations inside the package).",
)
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline whose output it learns from.")
def train_relations(data: Path, out: Path | None, model: str) -> None:
    """Fit the document-level relation model on the gold data under DATA (default ../shared/data):
    KnowledgeNet folds 1-3, the training part of Re-DocRED dev and CoNLL04 train. About 10 minutes on two cores.

    Run it after `kg train entities`: it learns from the entities the recogniser finds."""
    from kg.training import relations

    out = out or relations.DEFAULT_OUT
    _run_training(lambda: relations.train(data, out=out, model=model), out)


@train.command("entities", short_help="Adapt the named-entity recogniser (spaCy md) to gold names.")
@click.argument("data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("../shared/data"))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the recogniser to (default: kg/data/models/entities inside the package).",
)
@click.option("--epochs", default=None, type=click.IntRange(min=1), help="Passes over the data (default 5).")
def train_entities(data: Path, out: Path | None, epochs: int | None) -> None:
    """Adapt spaCy md's named-entity recogniser on the gold data under DATA (default ../shared/data): GUM's
    training documents, CrossNER politics train + dev and CoNLL04 train, replaying Wikinews sentences labelled by
    the original recogniser. About 10 minutes on two cores.

    Run `kg train relations` after it: the relation model learns from the entities the recogniser finds."""
    from kg.training import entities

    def progress(epoch: int, loss: float) -> None:
        click.echo(f"epoch {epoch}: loss {loss:.1f}", err=True)

    out = out or entities.DEFAULT_OUT
    _run_training(lambda: entities.train(data, out=out, epochs=epochs or entities.EPOCHS, on_epoch=progress), out)


@train.command("lexicons", short_help="Derive the PLOVER verb and agent tables.")
@click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default="../shared/data/event_lexicons"
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write plover_verbs.tsv and plover_agents.tsv to (default: kg/data inside the package).",
)
def train_lexicons(folder: Path, out: Path | None) -> None:
    """Derive kg's verb -> PLOVER and agent tables from PETRARCH2's CAMEO.2.0.txt, CAMEO2PLOVER-2021.txt and
    Phoenix.agents.txt (FOLDER, default ../shared/data/event_lexicons). Needs no extra; takes a second."""
    from kg.training import lexicons

    out = out or lexicons.DEFAULT_OUT
    _run_training(lambda: lexicons.write_tables(folder, out=out), out)


@train.command("interactions", short_help="Calibrate interaction confidences on re3d.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default="../shared/data/re3d")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the confidence model (default: kg/data/models/interactions/model.json in the package).",
)
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline whose output it calibrates.")
@click.option(
    "--with-judgements",
    is_flag=True,
    help="Also count as right the interactions judged right on reading (judged_calibration.tsv); the shipped "
    "model is fitted without them.",
)
def train_interactions(folder: Path, out: Path | None, model: str, with_judgements: bool) -> None:
    """Calibrate each interaction rule's confidence on re3d's calibration part (FOLDER, default ../shared/data/re3d);
    the measuring part, scored by `kg evaluate re3d`, is never read. Takes about a minute."""
    from kg.training import interactions

    out = out or interactions.DEFAULT_OUT
    _run_training(lambda: interactions.train(folder, out=out, model=model, with_judgements=with_judgements), out)


def _run_training(train_model: Callable[[], dict], out: Path) -> None:
    """Run a training command's work, print its summary and where the weights went."""
    import json

    try:
        summary = train_model()
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(summary, indent=1, sort_keys=True))
    click.echo(f"wrote {out}")
