"""MEANTIME English (Minard et al. 2016): entity mentions and their identity across 120 Wikinews articles.

The corpus stores tokens only, in CAT XML. Each document is detokenised into an article (the headline, sentence 0,
and the dateline, sentence 1, each a paragraph of their own; punctuation and clitics attached to the word before)
with a character offset per token, and run through the same extraction as ``kg build``; kg's mentions are aligned
back to the gold tokens by character offsets, each typed as the entity kg resolves it to (the type of its node).

Gold mentions are the ENTITY_MENTIONs of PER, ORG and LOC entities, scored against kg's Person, Organisation and
Place or Country (``GOLD_TYPES``). Products, financial entities and mixed entities (PRO, FIN, MIX) have no kg type
and are left out of the gold set: a kg mention on them counts as a false positive. MEANTIME marks whole noun
phrases ("the US carmaker General Motors") and pronouns, so detection is scored twice: strictly (same tokens, same
type) and by head (a compatible type and the predicted tokens inside the gold ones ending on the same token;
MEANTIME gives no head for most mentions, so the last token stands in for it). The gold is exhaustive only in the
headline, dateline and first four sentences (sentences 0-5); later sentences carry mentions of the entities chosen
for cross-document annotation only, so detection is scored on ``ANNOTATED_SENTENCES`` alone.

Identity is scored with B-cubed over the gold mentions kg found (head matches, all sentences): the gold cluster of
a mention is its cross-document ``instance_id``, kg's is the id of its entity after the merge of all articles
(same id, then :func:`kg.resolve.consolidate`), as in ``kg build``. Two baselines over the same mentions give the
number a scale: every mention on its own, and mentions grouped by their lowercased text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.evaluation.documents import collection_ids
from kg.evaluation.scores import Counts, b_cubed, format_table
from kg.ids import article_id
from kg.model import Article, ArticleResult
from kg.nlp import DEFAULT_MODEL

#: MEANTIME entity type -> the kg types scored against it.
GOLD_TYPES = {"PER": ("Person",), "ORG": ("Organisation",), "LOC": ("Place", "Country")}
#: kg type -> MEANTIME entity type.
KG_TYPES = {kg_type: gold_type for gold_type, kg_types in GOLD_TYPES.items() for kg_type in kg_types}
#: The sentences whose entity mentions are all annotated: headline, dateline and the first four of the body.
ANNOTATED_SENTENCES = range(6)
#: The folder of the corpus that has cross-document identity.
CROSS_DOC_FOLDER = "intra_cross-doc_annotation"

_RENDERED = {"``": '"', "''": '"', "`": "'"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", "%", ")", "]", "}", "''", "”", "’", "'", "..."}
_NO_SPACE_AFTER = {"(", "[", "{", "``", "“", "`", "$", "#", "£", "€", "¥"}
_CLITIC = re.compile(r"'(s|re|ve|ll|d|m)|n't", re.IGNORECASE)
_SPLIT_APOSTROPHE = re.compile(r"[A-Za-z]'")


@dataclass(frozen=True)
class GoldMention:
    """An ENTITY_MENTION: its tokens (document token indices, end exclusive), entity type and cross-document entity.

    ``entity`` is the ``instance_id``, or ``"<doc_id>#<m_id>"`` for an entity annotated in its document only.
    """

    id: str
    start: int
    end: int
    type: str  # PER, ORG, LOC, PRO, FIN or MIX
    entity: str
    syntactic_type: str = ""


@dataclass(frozen=True)
class Document:
    """One MEANTIME document, detokenised: ``spans[i]`` are the character offsets of token ``i`` in ``text``."""

    id: str
    url: str
    path: str
    tokens: list[str]
    sentences: list[int]  # the sentence number of each token
    text: str
    spans: list[tuple[int, int]]
    mentions: list[GoldMention]

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0]

    def article(self) -> Article:
        return Article(
            id=article_id(self.text, self.title),
            text=self.text,
            title=self.title,
            url=self.url or None,
            source=self.path,
            source_id=self.id,
        )

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The tokens a character span overlaps (end exclusive), or None if it overlaps none."""
        covered = [i for i, (s, e) in enumerate(self.spans) if s < end and e > start]
        return (covered[0], covered[-1] + 1) if covered else None


def detokenise(tokens: Sequence[str], sentences: Sequence[int]) -> tuple[str, list[tuple[int, int]]]:
    """Running text from tokens, and the character offsets of each token in it.

    Sentences 0 (headline) and 1 (dateline) end a paragraph; punctuation and clitics attach to the word before,
    opening brackets, quotes and currency signs to the word after; PTB quotes become plain ones.

    >>> text, spans = detokenise(["Boeing", "'s", "$", "40", "bid", ",", "``", "no", "''"], [0, 0, 1, 1, 2, 2, 2, 2, 2])
    >>> text.splitlines()
    ["Boeing's", '', '$40', '', 'bid, "no"']
    >>> text[slice(*spans[1])], text[slice(*spans[7])]
    ("'s", 'no')
    """
    parts: list[str] = []
    spans = []
    position = 0
    for index, token in enumerate(tokens):
        if index:
            previous = tokens[index - 1]
            if sentences[index] != sentences[index - 1] and sentences[index - 1] < 2:
                gap = "\n\n"
            elif token in _NO_SPACE_BEFORE or _CLITIC.fullmatch(token) or previous in _NO_SPACE_AFTER:
                gap = ""
            elif previous.endswith("$") or _SPLIT_APOSTROPHE.fullmatch(previous):  # "US$ 40", "O' Leary", "I' m"
                gap = ""
            else:
                gap = " "
            parts.append(gap)
            position += len(gap)
        rendered = _RENDERED.get(token, token)
        parts.append(rendered)
        spans.append((position, position + len(rendered)))
        position += len(rendered)
    return "".join(parts), spans


def read_document(path: str | Path) -> Document:
    """Read one CAT XML file of MEANTIME: tokens, entity mentions and the entities they refer to."""
    try:
        root = ET.parse(path).getroot()
        doc_id = root.get("doc_id") or Path(path).stem
        token_elements = root.findall("token")
        index = {element.get("t_id"): i for i, element in enumerate(token_elements)}
        tokens = [element.text or "" for element in token_elements]
        sentences = [int(element.get("sentence", "0")) for element in token_elements]
        markables = root.find("Markables")
        relations = root.find("Relations")
        entities = {e.get("m_id"): e for e in (markables.findall("ENTITY") if markables is not None else [])}
        refers: dict[str, list[str]] = {}
        for relation in relations.findall("REFERS_TO") if relations is not None else []:
            target = relation.find("target")
            if target is None or target.get("m_id") not in entities:
                continue
            for source in relation.findall("source"):
                refers.setdefault(source.get("m_id"), []).append(target.get("m_id"))
        mentions = []
        for element in markables.findall("ENTITY_MENTION") if markables is not None else []:
            anchors = [index[a.get("t_id")] for a in element.findall("token_anchor")]
            targets = refers.get(element.get("m_id"), [])
            if not anchors or not targets:  # an empty mark, or a mention that refers to no entity
                continue
            # a mention with two entities (2 in the corpus): the cross-document one
            entity = min((entities[t] for t in targets), key=lambda e: e.get("instance_id") is None)
            mentions.append(
                GoldMention(
                    id=element.get("m_id"),
                    # 10 mentions skip a token ("Mobile , Alabama"): they are taken whole
                    start=min(anchors),
                    end=max(anchors) + 1,
                    type=entity.get("ent_type", ""),
                    entity=entity.get("instance_id") or f"{doc_id}#{entity.get('m_id')}",
                    syntactic_type=element.get("syntactic_type") or "",
                )
            )
    except (OSError, ET.ParseError, KeyError, ValueError) as error:
        raise InputError(f"Cannot read {path} as a MEANTIME CAT XML document: {error}") from error
    text, spans = detokenise(tokens, sentences)
    return Document(doc_id, root.get("url", ""), str(path), tokens, sentences, text, spans, mentions)


def find_documents(folder: str | Path) -> list[Path]:
    """The XML files of the cross-document annotation under ``folder`` (the corpus, its release folder, or the
    ``intra_cross-doc_annotation`` folder itself), sorted."""
    folder = Path(folder)
    if folder.name == CROSS_DOC_FOLDER:
        roots = [folder]
    else:
        roots = sorted(path for path in folder.rglob(CROSS_DOC_FOLDER) if path.is_dir())
    paths = sorted(path for root in roots[:1] for path in root.rglob("*.xml"))
    if not paths:
        raise InputError(
            f"No MEANTIME documents in {folder}: expected XML files under a {CROSS_DOC_FOLDER} folder. Pass the "
            f"MEANTIME folder (e.g. meantime_newsreader_english_oct15 or the folder that holds it)."
        )
    return paths


def read_documents(folder: str | Path) -> list[Document]:
    """Read every document of the cross-document annotation under ``folder``."""
    return [read_document(path) for path in find_documents(folder)]


@dataclass(frozen=True)
class _Found:
    """A kg mention in gold tokens, with its MEANTIME type, its text and the id of its entity across articles."""

    start: int
    end: int
    type: str
    text: str
    entity: str


def evaluate(folder: str | Path, *, model: str = DEFAULT_MODEL) -> dict:
    """Scores of kg on the MEANTIME documents under ``folder``.

    Returns ``mentions_strict`` and ``mentions_head`` (micro ``p``, ``r``, ``f1`` with counts, and ``per_type``),
    ``identity`` (B-cubed ``p``, ``r``, ``f1`` over the gold mentions kg found, with counts), ``baselines`` (the
    same for two trivial clusterings), ``documents`` and ``left_out`` (gold mentions of types kg does not have).

    >>> scores = evaluate("data/meantime")  # doctest: +SKIP
    >>> scores["identity"]["f1"]  # doctest: +SKIP
    """
    from kg.pipeline import extract_results

    documents = read_documents(folder)
    results = extract_results((document.article() for document in documents), model=model)
    return score_results(documents, list(results))


def score_results(documents: Sequence[Document], results: Sequence[ArticleResult]) -> dict:
    """The scores of :func:`evaluate` for extraction results already at hand, one per document, in order."""
    found = _found_mentions(documents, results)
    golds = [[m for m in document.mentions if m.type in GOLD_TYPES] for document in documents]
    region = [
        (
            [m for m in gold if document.sentences[m.start] in ANNOTATED_SENTENCES],
            [m for m in kg if document.sentences[m.start] in ANNOTATED_SENTENCES],
        )
        for document, gold, kg in zip(documents, golds, found, strict=True)
    ]
    gold_clusters: dict[tuple[int, str], str] = {}
    kg_clusters: dict[tuple[int, str], str] = {}
    texts: dict[tuple[int, str], str] = {}
    for number, (gold, kg) in enumerate(zip(golds, found, strict=True)):
        for g, k in _align(gold, kg, head=True):
            key = (number, g.id)
            gold_clusters[key], kg_clusters[key], texts[key] = g.entity, k.entity, " ".join(k.text.split()).lower()
    all_gold = sum(len(gold) for gold in golds)
    left_out = Counter(m.type for document in documents for m in document.mentions if m.type not in GOLD_TYPES)
    return {
        "documents": len(documents),
        "left_out": dict(sorted(left_out.items())),
        "mentions_strict": _detection(region, head=False),
        "mentions_head": _detection(region, head=True),
        "identity": {
            **b_cubed(gold_clusters, kg_clusters),
            "gold_mentions": all_gold,
            "not_found": all_gold - len(gold_clusters),
            "gold_entities": len(set(gold_clusters.values())),
            "kg_clusters": len(set(kg_clusters.values())),
        },
        "baselines": {
            "singletons": b_cubed(gold_clusters, {key: key for key in gold_clusters}),
            "lowercase_text": b_cubed(gold_clusters, texts),
        },
    }


def _found_mentions(documents: Sequence[Document], results: Sequence[ArticleResult]) -> list[list[_Found]]:
    """kg's mentions of each document in gold tokens, each with its entity id after the merge of all articles."""
    if len(documents) != len(results):
        raise ValueError(f"{len(documents)} documents but {len(results)} extraction results")
    found = []
    for document, mentions in zip(documents, collection_ids(results), strict=True):
        in_tokens = []
        for item in mentions:
            span = document.token_span(item.mention.start, item.mention.end)
            if span is not None:
                in_tokens.append(_Found(*span, KG_TYPES[item.type], item.mention.text, item.merged))
        found.append(in_tokens)
    return found


def _align(gold: Sequence[GoldMention], found: Sequence[_Found], *, head: bool) -> list[tuple[GoldMention, _Found]]:
    """One-to-one pairs of gold and kg mentions of the same type: same tokens or, with ``head``, kg's tokens inside
    the gold ones and ending on the same token. Exact pairs are taken first, then the closest in length."""
    candidates = []
    for g_index, g in enumerate(gold):
        for k_index, k in enumerate(found):
            if k.type != g.type:
                continue
            exact = (k.start, k.end) == (g.start, g.end)
            if exact or (head and g.start <= k.start and k.end == g.end):
                candidates.append(((g.end - g.start) - (k.end - k.start), g_index, k_index))
    pairs, paired_gold, paired_found = [], set(), set()
    for _, g_index, k_index in sorted(candidates):
        if g_index not in paired_gold and k_index not in paired_found:
            paired_gold.add(g_index)
            paired_found.add(k_index)
            pairs.append((gold[g_index], found[k_index]))
    return pairs


def _detection(region: Iterable[tuple[list[GoldMention], list[_Found]]], *, head: bool) -> dict:
    """Micro and per-type counts of the aligned mentions, in the shape of :func:`kg.evaluation.scores.score`."""
    tp: Counter[str] = Counter()
    gold_count: Counter[str] = Counter()
    found_count: Counter[str] = Counter()
    for gold, found in region:
        tp.update(g.type for g, _ in _align(gold, found, head=head))
        gold_count.update(g.type for g in gold)
        found_count.update(k.type for k in found)
    per_type = {
        name: Counts(tp[name], found_count[name] - tp[name], gold_count[name] - tp[name]) for name in GOLD_TYPES
    }
    total = Counts(*(sum(getattr(counts, field) for counts in per_type.values()) for field in ("tp", "fp", "fn")))
    return {**total.to_dict(), "per_type": {name: per_type[name].to_dict() for name in sorted(per_type)}}


def report(scores: dict) -> str:
    """The scores as text tables."""
    left_out = ", ".join(f"{name} {count}" for name, count in scores["left_out"].items()) or "none"
    identity = scores["identity"]
    rows = [("kg", identity), *scores["baselines"].items()]
    lines = [f"  {'clustering':<16}{'P':>8}{'R':>8}{'F1':>8}"]
    lines += [f"  {name:<16}{row['p']:>8.3f}{row['r']:>8.3f}{row['f1']:>8.3f}" for name, row in rows]
    return "\n\n".join(
        [
            f"MEANTIME: {scores['documents']} documents; gold types PER = Person, ORG = Organisation, "
            f"LOC = Place or Country\nleft out of the gold (no kg type): {left_out} mentions",
            format_table(
                f"entity mentions, strict (same tokens + type), sentences {_sentences()}", scores["mentions_strict"]
            ),
            format_table(
                f"entity mentions, head (inside the gold span, same last token + type), sentences {_sentences()}",
                scores["mentions_head"],
            ),
            f"cross-document identity, B-cubed over the {identity['items']} of {identity['gold_mentions']} gold "
            f"mentions kg found (head match, all sentences; {identity['not_found']} not found)\n"
            f"  {identity['gold_entities']} gold entities, {identity['kg_clusters']} kg clusters\n" + "\n".join(lines),
        ]
    )


def _sentences() -> str:
    return f"{ANNOTATED_SENTENCES.start}-{ANNOTATED_SENTENCES.stop - 1} (exhaustively annotated)"
