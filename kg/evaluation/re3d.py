"""re3d (Dstl's Relationship and Entity Extraction Evaluation Dataset): directed relations between the actors of
conflict and diplomacy text, scored against kg's interactions and typed relations.

Each document's text is run, as it is, through the same extraction as ``kg build`` (so kg's character offsets
are the dataset's). A gold relation is matched by a kg relation of a mapped type whose two names overlap the gold
source and target spans, in either order (re3d's direction for CommWith and AlliesOf is arbitrary, and the
other types are scored the same way for one rule). Only gold relations with confidence >= 0.5 count.

The mapping, re3d type -> the kg relations that state it (``RELATION_TYPES``):

===============  =========================================================================================
CommWith         consult (met, spoke, talked with; visits)
AlliesOf, Likes  agree, support, cooperate, aid (one class, "AlliesOf/Likes": re3d itself mixes them)
Dislikes         accuse, reject, protest, sanction, threaten (verbal conflict)
FightingAgainst  assault, coerce, mobilize (material conflict)
InChargeOf       leader_of (typed)
BelongsTo        member_of, works_for (typed)
===============  =========================================================================================

kg's request, concede and retreat have no re3d counterpart: they are left out of both precision and recall.
re3d's CoLocated, HasAttrOf, IsSynonymOf and Apart are not relations between actors and are not scored.

**Split.** The documents are split once, by a fixed rule, into a calibration part (used to set kg's interaction
confidences, :mod:`kg.training.interactions`) and a measuring part (never looked at while writing rules): a
document is in the measuring part when the first hexadecimal digit of the SHA-256 of its ``_id`` is 0-7
(:func:`part_of`). ``kg evaluate re3d DIR`` scores the measuring part unless told otherwise.

Scores, per re3d class and micro-averaged: precision over kg's mapped relations in the documents, recall over
the gold relations, and recall over the gold relations whose two spans both overlap a name kg found (what the
rules can do given the recogniser); ``interactions_any_class`` counts an interaction right when a gold
interaction of any class joins the same two names (re3d's classes and PLOVER's cut events differently: "signed
an agreement" is CommWith in re3d, SUPPORT in PLOVER). Last, a reliability table of kg's interaction
confidences: per bin, how many, their mean confidence, the share that was right.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import InputError
from kg.evaluation.scores import Counts, format_table
from kg.model import INTERACTION, Article, ArticleResult, Relation
from kg.nlp import DEFAULT_MODEL

#: re3d relation type -> the class it is scored as
GOLD_CLASSES = {
    "CommWith": "CommWith",
    "AlliesOf": "AlliesOf/Likes",
    "Likes": "AlliesOf/Likes",
    "Dislikes": "Dislikes",
    "FightingAgainst": "FightingAgainst",
    "InChargeOf": "InChargeOf",
    "BelongsTo": "BelongsTo",
}

#: kg relation -> the re3d class it is scored as
RELATION_TYPES = {
    "consult": "CommWith",
    **dict.fromkeys(("agree", "support", "cooperate", "aid"), "AlliesOf/Likes"),
    **dict.fromkeys(("accuse", "reject", "protest", "sanction", "threaten"), "Dislikes"),
    **dict.fromkeys(("assault", "coerce", "mobilize"), "FightingAgainst"),
    "leader_of": "InChargeOf",
    "member_of": "BelongsTo",
    "works_for": "BelongsTo",
}

#: the classes kg's interactions are scored as (the others are typed relations)
INTERACTION_CLASSES = ("CommWith", "AlliesOf/Likes", "Dislikes", "FightingAgainst")

PARTS = ("calibration", "measuring", "all")

Span = tuple[int, int]


@dataclass(frozen=True)
class GoldRelation:
    document: str
    source: Span
    target: Span
    type: str  # the class in GOLD_CLASSES
    trigger: str


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    text: str
    relations: tuple[GoldRelation, ...]


def part_of(document_id: str) -> str:
    """The part a document belongs to: "measuring" when the first hex digit of sha256(id) is 0-7, else
    "calibration".

    >>> part_of("09FF200CBB76594D688F8EB565717543")
    'calibration'
    """
    digit = hashlib.sha256(document_id.encode("utf-8")).hexdigest()[0]
    return "measuring" if digit in "01234567" else "calibration"


def _json_lines(path: Path) -> list[dict]:
    """One mongoexport object per line (some files start with a byte-order mark)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def read_documents(folder: str | Path, *, part: str = "all") -> list[Document]:
    """The documents of a re3d copy (a folder of source folders, each with documents.json and relations.json),
    with their gold relations of the types in ``GOLD_CLASSES``, in a fixed order."""
    if part not in PARTS:
        raise ValueError(f"Unknown re3d part {part!r}; choose from {list(PARTS)}.")
    sources = sorted(p.parent for p in Path(folder).glob("*/documents.json"))
    if not sources:
        raise InputError(
            f"{folder} holds no re3d source folder (a folder with documents.json, entities.json and relations.json); "
            "pass the re3d folder itself, e.g. ../shared/data/re3d."
        )
    documents = []
    try:
        for source in sources:
            relations: dict[str, list[GoldRelation]] = {}
            for item in _json_lines(source / "relations.json"):
                if item["type"] in GOLD_CLASSES and float(item.get("confidence", 1)) >= 0.5:
                    relations.setdefault(item["documentId"], []).append(
                        GoldRelation(
                            item["documentId"],
                            (item["sourceBegin"], item["sourceEnd"]),
                            (item["targetBegin"], item["targetEnd"]),
                            GOLD_CLASSES[item["type"]],
                            item.get("value", ""),
                        )
                    )
            for item in _json_lines(source / "documents.json"):
                if part == "all" or part_of(item["_id"]) == part:
                    gold = tuple(
                        sorted(set(relations.get(item["_id"], [])), key=lambda r: (r.source, r.target, r.type))
                    )
                    documents.append(Document(item["_id"], item.get("title", ""), item["text"], gold))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"Cannot read {folder} as re3d (mongoexport JSON lines): {error}") from error
    return sorted(documents, key=lambda d: d.id)


def _overlaps(a: Span | None, b: Span) -> bool:
    return a is not None and a[0] < b[1] and b[0] < a[1]


def _matches(relation: Relation, gold: GoldRelation) -> bool:
    source, target = relation.evidence.source_span, relation.evidence.target_span
    return RELATION_TYPES.get(relation.relation) == gold.type and (
        (_overlaps(source, gold.source) and _overlaps(target, gold.target))
        or (_overlaps(source, gold.target) and _overlaps(target, gold.source))
    )


def score_document(document: Document, result: ArticleResult) -> dict[str, dict[str, Counts]]:
    """Counts per class for one document: ``found`` (precision and recall) and ``found_actors`` (recall where kg
    found a name overlapping both gold spans)."""
    predicted = [r for r in result.relations if r.relation in RELATION_TYPES and not getattr(r, "negated", False)]
    names = [(m.start, m.end) for m in result.mentions]
    found: dict[str, Counts] = {}
    found_actors: dict[str, Counts] = {}
    for gold in document.relations:
        hit = any(_matches(r, gold) for r in predicted)
        counts = found.setdefault(gold.type, Counts())
        counts.tp += hit
        counts.fn += not hit
        if any(_overlaps(n, gold.source) for n in names) and any(_overlaps(n, gold.target) for n in names):
            counts = found_actors.setdefault(gold.type, Counts())
            counts.tp += hit
            counts.fn += not hit
    any_class = Counts()
    interactions = [r for r in predicted if RELATION_TYPES[r.relation] in INTERACTION_CLASSES]
    for relation in interactions:
        right = any(
            _matches(relation, replace(g, type=RELATION_TYPES[relation.relation]))
            for g in document.relations
            if g.type in INTERACTION_CLASSES
        )
        any_class.tp += right
        any_class.fp += not right
    outcomes = []
    for relation in predicted:
        right = any(_matches(relation, gold) for gold in document.relations)
        if not right:
            found.setdefault(RELATION_TYPES[relation.relation], Counts()).fp += 1
        if relation.kind == INTERACTION:
            outcomes.append((relation.confidence, right))
    return {"found": found, "found_actors": found_actors, "outcomes": outcomes, "any_class": any_class}


#: upper bounds of the confidence bins of the reliability table
BINS = (0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


def reliability(outcomes: Iterable[tuple[float, bool]]) -> list[dict]:
    """Per confidence bin: how many interactions, their mean confidence and the share that was right.

    >>> reliability([(0.3, True), (0.35, False), (0.9, True)])[0]
    {'bin': '0.2-0.4', 'n': 2, 'confidence': 0.325, 'precision': 0.5}
    """
    rows = []
    low = 0.0
    outcomes = list(outcomes)
    for high in BINS:
        inside = [(c, ok) for c, ok in outcomes if low <= c < high or (high == BINS[-1] and c == high)]
        if inside:
            rows.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "n": len(inside),
                    "confidence": round(sum(c for c, _ in inside) / len(inside), 4),
                    "precision": round(sum(ok for _, ok in inside) / len(inside), 4),
                }
            )
        low = high
    return rows


def _merge(total: dict[str, Counts], counts: dict[str, Counts]) -> None:
    for name, c in counts.items():
        into = total.setdefault(name, Counts())
        into.tp, into.fp, into.fn = into.tp + c.tp, into.fp + c.fp, into.fn + c.fn


def _table(counts: dict[str, Counts], names: Iterable[str]) -> dict:
    names = [n for n in names if n in counts]
    micro = Counts(*(sum(getattr(counts[n], f) for n in names) for f in ("tp", "fp", "fn")))
    return {**micro.to_dict(), "per_type": {n: counts[n].to_dict() for n in names}}


def extract(documents: list[Document], *, model: str = DEFAULT_MODEL) -> Iterable[tuple[Document, ArticleResult]]:
    """Each document with kg's extraction of its text (offsets are the document's)."""
    from kg.pipeline import extract_results

    articles = (Article(id=f"re3d-{d.id.lower()}", text=d.text, title="", source=d.id) for d in documents)
    return zip(documents, extract_results(articles, model=model), strict=True)


def evaluate(
    folder: str | Path,
    *,
    part: str = "measuring",
    model: str = DEFAULT_MODEL,
    on_document: Callable[[], None] | None = None,
) -> dict:
    """Scores of kg on one part of re3d: ``interactions`` and ``typed`` (P/R/F1 per class), and the same two
    restricted to gold relations whose actors kg found (``*_found_actors``, where only recall is meaningful)."""
    documents = read_documents(folder, part=part)
    found: dict[str, Counts] = {}
    found_actors: dict[str, Counts] = {}
    outcomes: list[tuple[float, bool]] = []
    any_class = Counts()
    for document, result in extract(documents, model=model):
        counts = score_document(document, result)
        _merge(found, counts["found"])
        _merge(found_actors, counts["found_actors"])
        outcomes += counts["outcomes"]
        any_class.tp += counts["any_class"].tp
        any_class.fp += counts["any_class"].fp
        if on_document is not None:
            on_document()
    typed = [name for name in GOLD_CLASSES.values() if name not in INTERACTION_CLASSES]
    return {
        "part": part,
        "documents": len(documents),
        "gold_relations": sum(len(d.relations) for d in documents),
        "interactions": _table(found, INTERACTION_CLASSES),
        "interactions_found_actors": _table(found_actors, INTERACTION_CLASSES),
        "typed": _table(found, dict.fromkeys(typed)),
        "typed_found_actors": _table(found_actors, dict.fromkeys(typed)),
        "interactions_any_class": {"p": round(any_class.p, 4), "tp": any_class.tp, "fp": any_class.fp},
        "reliability": reliability(outcomes),
    }


def report(scores: dict) -> str:
    """The scores as text tables."""
    head = f"re3d, {scores['part']} part: {scores['documents']} documents, {scores['gold_relations']} gold relations"
    return "\n\n".join(
        [
            head,
            format_table("interactions", scores["interactions"]),
            format_table("interactions, gold where kg found both actors (recall)", scores["interactions_found_actors"]),
            "interactions right for a gold interaction of any class: precision "
            f"{scores['interactions_any_class']['p']:.3f} ({scores['interactions_any_class']['tp']} of "
            f"{scores['interactions_any_class']['tp'] + scores['interactions_any_class']['fp']})",
            format_table("typed relations", scores["typed"]),
            format_table("typed, gold where kg found both actors (recall)", scores["typed_found_actors"]),
            "\n".join(
                ["interaction reliability (confidence bin: n, mean confidence, precision)"]
                + [
                    f"  {r['bin']}: {r['n']:>4} {r['confidence']:>7.3f} {r['precision']:>7.3f}"
                    for r in scores["reliability"]
                ]
            ),
        ]
    )
