"""Precision, recall and F1 over sets of gold and predicted items, micro-averaged and per type."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_dict(self) -> dict:
        return {
            "p": round(self.p, 4),
            "r": round(self.r, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def score(gold: Iterable[Hashable], predicted: Iterable[Hashable], *, type_of: Callable[[Hashable], str]) -> dict:
    """Micro-averaged and per-type scores of exact matches between two sets of items.

    >>> s = score({("a", "X"), ("b", "Y")}, {("a", "X"), ("c", "Y")}, type_of=lambda item: item[1])
    >>> s["p"], s["r"], s["per_type"]["X"]["f1"]
    (0.5, 0.5, 1.0)
    """
    gold, predicted = set(gold), set(predicted)
    total = Counts()
    per_type: dict[str, Counts] = {}
    for item in gold | predicted:
        counts = per_type.setdefault(type_of(item), Counts())
        for bucket in (total, counts):
            if item in gold and item in predicted:
                bucket.tp += 1
            elif item in predicted:
                bucket.fp += 1
            else:
                bucket.fn += 1
    return {**total.to_dict(), "per_type": {name: per_type[name].to_dict() for name in sorted(per_type)}}


def format_table(title: str, scores: dict) -> str:
    """Scores as a small text table: one row for the micro average, one per type."""
    lines = [f"{title}", f"  {'type':<14}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}"]
    rows = [("micro", scores), *scores["per_type"].items()]
    for name, row in rows:
        lines.append(
            f"  {name:<14}{row['p']:>8.3f}{row['r']:>8.3f}{row['f1']:>8.3f}"
            f"{row['tp'] + row['fn']:>7}{row['tp'] + row['fp']:>7}"
        )
    return "\n".join(lines)


def b_cubed(gold: dict[Hashable, Hashable], predicted: dict[Hashable, Hashable]) -> dict:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998) of a clustering against gold clusters.

    Both map each item to its cluster and must cover the same items. An item's precision is the share of its
    predicted cluster that is in its gold cluster, its recall the share of its gold cluster that is in its predicted
    cluster; both are averaged over the items. Bagga & Baldwin's example, two gold clusters merged:

    >>> gold = {i: "A" for i in "12345"} | {i: "B" for i in "67"} | {i: "C" for i in "89abc"}
    >>> b_cubed(gold, {i: "A" for i in "12345"} | {i: "B" for i in "6789abc"})
    {'p': 0.7619, 'r': 1.0, 'f1': 0.8649, 'items': 12}

    Raises ``ValueError`` when the two do not cover the same items.
    """
    if gold.keys() != predicted.keys():
        only_gold, only_predicted = len(gold.keys() - predicted.keys()), len(predicted.keys() - gold.keys())
        raise ValueError(
            f"b_cubed needs the same items in gold and predicted: {only_gold} only in gold, "
            f"{only_predicted} only in predicted"
        )
    from collections import Counter

    gold_sizes, predicted_sizes = Counter(gold.values()), Counter(predicted.values())
    shared = Counter((gold[item], predicted[item]) for item in gold)
    p = sum(shared[gold[i], predicted[i]] / predicted_sizes[predicted[i]] for i in gold) / len(gold) if gold else 0.0
    r = sum(shared[gold[i], predicted[i]] / gold_sizes[gold[i]] for i in gold) / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), "items": len(gold)}
