"""Calibrating the confidence of each interaction rule on re3d's calibration part (``kg train interactions``).

Every interaction kg states in the calibration documents (:func:`kg.evaluation.re3d.part_of`), of a category that
has a re3d class, is counted right when a gold relation of its class joins the same two names
(:func:`kg.evaluation.re3d.score_document`'s matching). The confidence of a rule (its method) is its smoothed
precision, the share of right ones with ``PRIOR_WEIGHT`` pseudo-counts at the precision of all rules together;
a (method, category) pair seen at least ``MIN_SEEN`` times gets its own, smoothed towards its method's. The
table is written as sorted text (``kg/data/interaction_confidence.tsv``), read by
:func:`kg.extraction.context.interaction_confidence`. The measuring part is never read here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kg.evaluation import re3d
from kg.extraction.context import INTERACTION_CONFIDENCE_FILE
from kg.model import INTERACTION
from kg.nlp import DEFAULT_MODEL

DEFAULT_SOURCE = Path("../shared/data/re3d")
DEFAULT_OUT = INTERACTION_CONFIDENCE_FILE
PRIOR_WEIGHT = 4.0
MIN_SEEN = 3


def outcomes(
    folder: str | Path, *, part: str = "calibration", model: str = DEFAULT_MODEL
) -> list[tuple[str, str, bool]]:
    """(method, category, right) of every scorable interaction kg states in one part of re3d."""
    found = []
    for document, result in re3d.extract(re3d.read_documents(folder, part=part), model=model):
        for relation in result.relations:
            if relation.kind != INTERACTION or relation.negated or relation.relation not in re3d.RELATION_TYPES:
                continue
            right = any(re3d._matches(relation, gold) for gold in document.relations)
            found.append((relation.method, relation.relation, right))
    return found


def _smoothed(right: int, seen: int, prior: float) -> float:
    return round((right + PRIOR_WEIGHT * prior) / (seen + PRIOR_WEIGHT), 2)


def calibrate(found: list[tuple[str, str, bool]]) -> dict[tuple[str, str], float]:
    """(method, category or "*") -> smoothed precision."""
    overall = sum(right for *_, right in found) / len(found) if found else 0.5
    seen, right = Counter(), Counter()
    for method, category, ok in found:
        for key in ((method, "*"), (method, category)):
            seen[key] += 1
            right[key] += ok
    table = {}
    for method, category in sorted(seen):
        if category == "*":
            table[(method, "*")] = _smoothed(right[(method, "*")], seen[(method, "*")], overall)
    for (method, category), count in sorted(seen.items()):
        if category != "*" and count >= MIN_SEEN:
            table[(method, category)] = _smoothed(right[(method, category)], count, table[(method, "*")])
    return table


def train(folder: str | Path = DEFAULT_SOURCE, *, out: str | Path = DEFAULT_OUT, model: str = DEFAULT_MODEL) -> dict:
    """Calibrate on re3d's calibration part and write the table; a summary of what was counted."""
    found = outcomes(folder, model=model)
    table = calibrate(found)
    seen = Counter((m, c) for m, c, _ in found)
    right = Counter((m, c) for m, c, ok in found if ok)
    lines = [
        "# Interaction confidence per rule (method) and PLOVER category: smoothed precision on re3d's calibration",
        f"# part (kg train interactions; prior weight {PRIOR_WEIGHT}, own value from {MIN_SEEN} seen).",
        "# method\tcategory\tconfidence\tright\tseen",
    ]
    for (method, category), value in sorted(table.items()):
        counted = [k for k in seen if k[0] == method and category in ("*", k[1])]
        lines.append(
            f"{method}\t{category}\t{value}\t{sum(right[k] for k in counted)}\t{sum(seen[k] for k in counted)}"
        )
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"interactions": len(found), "right": sum(ok for *_, ok in found), "rows": len(table)}
