"""GUM (Georgetown University Multilayer corpus): named mentions, their types and their identity, against kg.

GUM's 65 documents (``../shared/data/gum/*.conllu``) are split once, before any error was looked at: every third
document in name order (the 1st, 4th, 7th, ...) is kept for measuring, 22 documents spread over the four genres.
Training (``kg train entities``) reads only the other 43; ``kg evaluate gum`` scores the measuring part.

Each document is CoNLL-U whose MISC column marks every mention of every entity (``Entity=``, fields
GRP-etype-infstat-salience-centering-minspan-link-identity). A mention's head is its token whose syntactic head lies
outside it; a mention is *named* when that head is a proper noun (PROPN). The gold set is the named mentions of
persons, organizations and places, scored against kg's Person, Organisation and Place or Country (``GOLD_TYPES``).
A kg mention finds a gold mention when it covers the gold head token and lies inside the gold mention ("head
match"); pairs are one to one. GUM annotates every mention, so a kg mention that finds none (or finds an event,
a work, a language...) is a false positive; kg's demonym mentions ("Czech composer": a mention of Czechia) are not
names and are left out of the predicted set. Type accuracy is the share of found mentions whose kg entity has a
type of the gold type. Identity is scored with B-cubed over the found gold mentions: the gold cluster is the
Wikipedia identity when the entity has one, else its coreference group; kg's is its entity id within the document,
and across documents the id after the merge of all documents (same id, then :func:`kg.resolve.consolidate`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from kg.errors import InputError
from kg.evaluation.documents import collection_ids
from kg.evaluation.scores import Counts, b_cubed
from kg.ids import article_id
from kg.model import Article, ArticleResult
from kg.nlp import DEFAULT_MODEL

#: The measuring documents (file stems), every third in name order; never trained or tuned on.
MEASURING = (
    "GUM_academic_art GUM_academic_economics GUM_academic_epistemic GUM_academic_huh GUM_academic_lighting "
    "GUM_academic_salinity GUM_bio_bernoulli GUM_bio_dvorak GUM_bio_fillmore GUM_bio_gordon GUM_bio_holt "
    "GUM_bio_marbles GUM_bio_padalecki GUM_court_equality GUM_court_loan GUM_court_prince GUM_voyage_chatham "
    "GUM_voyage_cuba GUM_voyage_isfahan GUM_voyage_oakland GUM_voyage_sydfynske GUM_voyage_vavau"
).split()
#: GUM entity type -> the kg types scored against it.
GOLD_TYPES = {"person": ("Person",), "organization": ("Organisation",), "place": ("Place", "Country")}
PARTS = ("measuring", "train", "all")

_MARK = re.compile(r"\(([^()]+)\)|\(([^()]+)|(\d+)\)")


@dataclass(frozen=True)
class GoldMention:
    """A mention of an entity: character offsets in the document's text, those of its head token, its GUM type,
    whether it is named (head PROPN), its coreference group and its Wikipedia identity ("" when it has none)."""

    start: int
    end: int
    head: tuple[int, int]
    type: str
    named: bool
    group: str
    identity: str = ""

    @property
    def entity(self) -> str:
        """The real-world entity: its identity, else its group (which is local to its document)."""
        return self.identity or f"#{self.group}"


@dataclass(frozen=True)
class Document:
    """One GUM document: its text (paragraphs separated by a blank line), its title and all its mentions."""

    id: str
    text: str
    title: str
    mentions: list[GoldMention]

    def article(self) -> Article:
        return Article(id=article_id(self.text, self.title), text=self.text, title=self.title, source_id=self.id)

    def named(self) -> list[GoldMention]:
        """The gold set: named mentions of persons, organizations and places, one per head token."""
        by_head: dict[tuple[int, int], GoldMention] = {}
        for mention in self.mentions:
            if mention.named and mention.type in GOLD_TYPES:
                kept = by_head.get(mention.head)
                # nested mentions on one head ("Durham University" in a longer one): the outer one
                if kept is None or mention.end - mention.start > kept.end - kept.start:
                    by_head[mention.head] = mention
        return sorted(by_head.values(), key=lambda m: (m.start, m.end))


def document_files(folder: Path, part: str = "measuring") -> list[Path]:
    """GUM's ``.conllu`` files in ``folder``: the measuring part, the training part (``"train"``) or ``"all"``."""
    files = sorted(Path(folder).glob("GUM_*.conllu"))
    if part == "all":
        return files
    if part not in ("measuring", "train"):
        raise ValueError(f"part must be 'measuring', 'train' or 'all', not {part!r}")
    return [path for path in files if (path.stem in MEASURING) == (part == "measuring")]


def read_document(path: str | Path) -> Document:
    """Read one GUM CoNLL-U file: the text as ``# text`` lines joined (one space within a paragraph, a blank line
    between paragraphs) and every ``Entity=`` mention with character offsets into it."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Cannot read {path} as a GUM CoNLL-U file: {error}") from error
    doc_id, text, title = path.stem, "", ""
    mentions: list[GoldMention] = []
    heading = False
    sentence: list[list[str]] = []
    sentence_text, base = "", 0
    new_paragraph = True

    def finish() -> None:
        nonlocal sentence
        if not sentence_text:
            return
        try:
            mentions.extend(_sentence_mentions(sentence, sentence_text, base, doc_id))
        except (IndexError, ValueError) as error:
            raise InputError(f"{path}: malformed sentence at offset {base}: {error}") from error
        sentence = []

    for line in lines:
        if line.startswith("# newdoc id ="):
            doc_id = line.split("=", 1)[1].strip()
        elif line.startswith("# newpar"):
            if line.startswith("# newpar_block") or line.strip() == "# newpar":
                new_paragraph = True
                heading = line.startswith("# newpar_block = head")
        elif line.startswith("# text ="):
            sentence_text = line.split("=", 1)[1].strip()
            if text:
                text += "\n\n" if new_paragraph else " "
            elif heading:  # a document that opens with a heading: its headline
                title = sentence_text
            base = len(text)
            text += sentence_text
            new_paragraph = False
        elif line and not line.startswith("#"):
            sentence.append(line.split("\t"))
        elif not line:
            finish()
            sentence_text = ""
    finish()
    if not text:
        raise InputError(f"{path} has no '# text =' lines: is it a GUM CoNLL-U file?")
    return Document(doc_id, text, title, mentions)


def _sentence_mentions(rows: list[list[str]], text: str, base: int, doc_id: str) -> list[GoldMention]:
    """The mentions of one sentence: tokens placed in its text, ``Entity=`` brackets matched per group."""
    words = [row for row in rows if row[0].isdigit()]
    multiword = {int(row[0].split("-")[0]): row for row in rows if "-" in row[0]}
    spans: list[tuple[int, int]] = []
    position = 0
    outer: tuple[int, int, int] | None = None  # a multiword token ("workforce's"): first char, end char, last word
    for row in words:
        number = int(row[0])
        if number in multiword:
            low, high = (int(n) for n in multiword[number][0].split("-"))
            start = _find(text, multiword[number][1], position)
            outer = (start, start + len(multiword[number][1]), high)
        if outer is not None:
            start = _find(text, row[1], position, required=False)
            inside = start is not None and start + len(row[1]) <= outer[1]
            spans.append((start, start + len(row[1])) if inside else outer[:2])
            position = spans[-1][1] if inside else position
            if number == outer[2]:
                position, outer = outer[1], None
            continue
        start = _find(text, row[1], position)
        spans.append((start, start + len(row[1])))
        position = start + len(row[1])
    heads = [int(row[6]) if row[6].isdigit() else 0 for row in words]
    return [
        _mention(start, end, fields, words, heads, spans, base, doc_id)
        for start, end, fields in mention_words([row[9] for row in words])
    ]


def mention_words(misc: Sequence[str]) -> list[tuple[int, int, list[str]]]:
    """(first word, end word exclusive, fields) of every mention in one sentence, from its words' MISC column
    (GUM's ``Entity=`` brackets, matched per group; fields GRP-etype-infstat-...), in the order they close.

    >>> mention_words(["Entity=(1-person-new", "Entity=1)", "_"])
    [(0, 2, ['1', 'person', 'new'])]
    """
    found: list[tuple[int, int, list[str]]] = []
    open_marks: dict[str, list[tuple[int, list[str]]]] = {}
    for index, field in enumerate(misc):
        entity = next((part[7:] for part in field.split("|") if part.startswith("Entity=")), "")
        for match in _MARK.finditer(entity):
            whole, opening, closing = match.groups()
            if whole or opening:
                fields = (whole or opening).split("-")
                open_marks.setdefault(fields[0], []).append((index, fields))
            group = fields[0] if whole else closing
            if (whole or closing) and open_marks.get(group):
                start, fields = open_marks[group].pop()
                found.append((start, index + 1, fields))
    return found


def _find(text: str, form: str, position: int, *, required: bool = True) -> int | None:
    """Where ``form`` starts in ``text`` at ``position`` or after spaces only."""
    found = text.find(form, position)
    if found >= 0 and not text[position:found].strip():
        return found
    if required:
        raise ValueError(f"token {form!r} is not where the sentence text has {text[position : position + 20]!r}")
    return None


def _mention(
    start: int, end: int, fields: list[str], words: list[list[str]], heads: list[int], spans: list, base: int, doc: str
) -> GoldMention:
    inside = range(start + 1, end + 1)  # CoNLL-U word numbers
    head = next((i - 1 for i in inside if heads[i - 1] not in inside), start)
    identity = unquote(fields[7]) if len(fields) > 7 else ""
    return GoldMention(
        start=base + spans[start][0],
        end=base + spans[end - 1][1],
        head=(base + spans[head][0], base + spans[head][1]),
        type=fields[1],
        named=words[head][3] == "PROPN",
        group=f"{doc}#{fields[0]}",
        identity=identity,
    )


def read_documents(folder: str | Path, *, part: str = "measuring") -> list[Document]:
    """Read the documents of one part of GUM in ``folder``."""
    if part not in PARTS:
        raise InputError(f"Unknown GUM part {part!r}: choose one of {', '.join(PARTS)}.")
    paths = document_files(Path(folder), part)
    if not paths:
        raise InputError(f"No GUM documents (GUM_*.conllu) in {folder}: pass the GUM folder, e.g. ../shared/data/gum.")
    return [read_document(path) for path in paths]


def stock_model() -> str:
    """The path of the default spaCy pipeline as installed, which :func:`kg.nlp.load` runs as it is (without the
    recogniser kg adapts): the baseline row of the table."""
    import spacy.util

    package = spacy.util.get_package_path(DEFAULT_MODEL)
    folders = sorted(path.parent for path in package.glob("*/config.cfg"))
    return str(folders[0] if folders else package)


def evaluate(folder: str | Path, *, part: str = "measuring", model: str = DEFAULT_MODEL, baseline: bool = True) -> dict:
    """Scores of kg (and, with ``baseline``, of the stock spaCy model) on one part of GUM in ``folder``.

    Returns ``documents``, ``gold`` (named mentions per type) and ``rows``: model name -> ``mentions`` (micro
    ``p``/``r``/``f1`` with counts, head match), ``recall_per_type``, ``type_accuracy`` (over found mentions),
    ``identity_within`` and ``identity_across`` (B-cubed).

    >>> evaluate("../shared/data/gum")["rows"]["kg"]["mentions"]["r"]  # doctest: +SKIP
    """
    from kg.pipeline import extract_results

    documents = read_documents(folder, part=part)
    models = {"kg": model} | ({"stock spaCy": stock_model()} if baseline else {})
    rows = {}
    for name, pipeline in models.items():
        results = list(extract_results((document.article() for document in documents), model=pipeline))
        rows[name] = score_results(documents, results)
    gold = Counter(m.type for document in documents for m in document.named())
    return {"documents": len(documents), "part": part, "gold": dict(sorted(gold.items())), "rows": rows}


def score_results(documents: Sequence[Document], results: Sequence[ArticleResult]) -> dict:
    """The scores of one model for extraction results already at hand, one per document, in order."""
    if len(documents) != len(results):
        raise ValueError(f"{len(documents)} documents but {len(results)} extraction results")
    detection = Counts()
    found_per_type: Counter[str] = Counter()
    gold_per_type: Counter[str] = Counter()
    typed_right = 0
    within_gold: dict[tuple, str] = {}
    within_kg: dict[tuple, str] = {}
    across_gold: dict[tuple, str] = {}
    across_kg: dict[tuple, str] = {}
    for number, (document, found) in enumerate(zip(documents, collection_ids(results), strict=True)):
        gold = document.named()
        predicted = [f for f in found if f.mention.role != "demonym"]
        pairs = align(gold, [(f.mention.start, f.mention.end) for f in predicted])
        detection.tp += len(pairs)
        detection.fp += len(predicted) - len(pairs)
        detection.fn += len(gold) - len(pairs)
        gold_per_type.update(m.type for m in gold)
        for g_index, k_index in pairs:
            g, k = gold[g_index], predicted[k_index]
            found_per_type[g.type] += 1
            typed_right += k.type in GOLD_TYPES[g.type]
            key = (number, g_index)
            within_gold[key], within_kg[key] = f"{number}:{g.entity}", f"{number}:{k.local}"
            across_gold[key], across_kg[key] = g.entity, k.merged
    return {
        "mentions": detection.to_dict(),
        "recall_per_type": {
            name: round(found_per_type[name] / gold_per_type[name], 4) if gold_per_type[name] else 0.0
            for name in GOLD_TYPES
        },
        "type_accuracy": round(typed_right / detection.tp, 4) if detection.tp else 0.0,
        "identity_within": b_cubed(within_gold, within_kg),
        "identity_across": {**b_cubed(across_gold, across_kg), "gold_entities": len(set(across_gold.values()))},
    }


def align(gold: Sequence[GoldMention], predicted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs by head match: the predicted span covers the gold head token
    and lies inside the gold mention; the closest in length first.

    >>> gold = [GoldMention(0, 14, (8, 14), "person", True, "d#1")]
    >>> align(gold, [(8, 14), (0, 3)])
    [(0, 0)]
    """
    candidates = []
    for g_index, g in enumerate(gold):
        for k_index, (start, end) in enumerate(predicted):
            if g.start <= start <= g.head[0] and g.head[1] <= end <= g.end:
                candidates.append(((g.end - g.start) - (end - start), g_index, k_index))
    pairs, paired_gold, paired_found = [], set(), set()
    for _, g_index, k_index in sorted(candidates):
        if g_index not in paired_gold and k_index not in paired_found:
            paired_gold.add(g_index)
            paired_found.add(k_index)
            pairs.append((g_index, k_index))
    return sorted(pairs)


def report(scores: dict) -> str:
    """The scores as a text table: one row per model."""
    gold = ", ".join(f"{name} {count}" for name, count in scores["gold"].items())
    header = (
        f"  {'model':<13}{'R':>7}{'P':>7}{'F1':>7}{'type':>7}{'B3 doc':>8}{'B3 all':>8}"
        f"{'R per':>8}{'R org':>7}{'R place':>8}"
    )
    lines = [
        f"GUM, {scores['part']} part: {scores['documents']} documents; gold: named mentions (head PROPN): {gold}",
        "named-mention recall/precision (head match), type accuracy over found mentions, identity B-cubed F1",
        header,
    ]
    for name, row in scores["rows"].items():
        m, per_type = row["mentions"], row["recall_per_type"]
        lines.append(
            f"  {name:<13}{m['r']:>7.3f}{m['p']:>7.3f}{m['f1']:>7.3f}{row['type_accuracy']:>7.3f}"
            f"{row['identity_within']['f1']:>8.3f}{row['identity_across']['f1']:>8.3f}"
            f"{per_type['person']:>8.3f}{per_type['organization']:>7.3f}{per_type['place']:>8.3f}"
        )
    return "\n".join(lines)
