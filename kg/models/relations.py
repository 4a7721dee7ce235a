"""The document-level relation model: one calibrated linear scorer per relation over sparse pair features.

For an ordered pair of entities of an article, :mod:`kg.extraction.learned` lists sparse features (their types,
whether and how often one sentence names both, the dependency path and words between co-occurring names, the
words near each entity's mentions, which rules fired, the entities' names and mention counts). Each relation has a
binary logistic regression over them (trained by ``kg train relations``, :mod:`kg.training.relations`, on
KnowledgeNet folds 1-3, the training part of Re-DocRED dev and CoNLL04 train); its score is mapped to a calibrated
probability by a monotone step function fitted on held-out predictions (isotonic regression). Runtime is plain
Python: a sum of weights and a table lookup.

Files in ``kg/data/models/relations/``: ``weights.json`` (relations, biases, feature -> {relation index: weight},
calibration steps) and ``meta.json`` (how it was made).
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from kg.errors import ModelError
from kg.models import read_meta, write_meta

WEIGHTS_FILE = "weights.json"


@dataclass
class Calibration:
    """A monotone map from a raw score to a probability: ``probabilities[k]`` for scores from ``thresholds[k]``
    up to the next threshold (scores below the first get ``probabilities[0]``)."""

    thresholds: list[float]
    probabilities: list[float]

    def __call__(self, score: float) -> float:
        if not self.thresholds:
            return 1.0 / (1.0 + math.exp(-score))
        k = max(bisect.bisect_right(self.thresholds, score) - 1, 0)
        return self.probabilities[k]


@dataclass
class DocumentRelationModel:
    """Calibrated relation probabilities for entity pairs described by sparse features.

    >>> model = DocumentRelationModel(["spouse"], [-2.0], {"married": {0: 4.0}}, {})
    >>> round(model.probabilities(["married"])["spouse"], 3)
    0.881
    """

    NAME: ClassVar[str] = "relations"
    relations: list[str]
    bias: list[float]
    weights: dict[str, dict[int, float]]
    calibration: dict[str, Calibration]
    floor: float = 0.2  # relations below this calibrated probability are not kept in the graph
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, features: Iterable[str]) -> list[float]:
        """The raw score (log-odds before calibration) of each relation."""
        scores = list(self.bias)
        for feature in set(features):
            for k, weight in self.weights.get(feature, {}).items():
                scores[k] += weight
        return scores

    def probabilities(self, features: Iterable[str], *, relations: Iterable[str] | None = None) -> dict[str, float]:
        """Calibrated probability of each relation (or of those named in ``relations``)."""
        scores = self.scores(features)
        wanted = set(self.relations) if relations is None else set(relations)
        return {
            name: self._calibrate(name, scores[k]) for k, name in enumerate(self.relations) if name in wanted
        }  # fmt: skip

    def decides(self, relation: str, source_type: str, target_type: str) -> bool:
        """Whether the model was trained on enough examples of a relation between these entity types to decide it
        (``meta["supported"]``: relation -> ["Person>Place", ...]); where it was not, the rules decide."""
        return f"{source_type}>{target_type}" in self.meta.get("supported", {}).get(relation, ())

    def _calibrate(self, relation: str, score: float) -> float:
        calibration = self.calibration.get(relation)
        return calibration(score) if calibration is not None else 1.0 / (1.0 + math.exp(-score))

    @classmethod
    def from_disk(cls, path: Path) -> DocumentRelationModel:
        file = Path(path) / WEIGHTS_FILE
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            weights = {name: {int(k): w for k, w in row.items()} for name, row in data["weights"].items()}
            calibration = {name: Calibration(*steps) for name, steps in data["calibration"].items()}
            return cls(data["relations"], data["bias"], weights, calibration, data["floor"], read_meta(Path(path)))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(
                f"Cannot read the relation model in {file}: {error}. Retrain it with `kg train relations`."
            ) from error

    def to_disk(self, path: Path) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        data = {
            "relations": self.relations,
            "bias": [round(b, 5) for b in self.bias],
            "floor": self.floor,
            "calibration": {
                name: [[round(t, 5) for t in c.thresholds], [round(p, 5) for p in c.probabilities]]
                for name, c in sorted(self.calibration.items())
            },
            "weights": {
                name: {str(k): round(w, 5) for k, w in sorted(row.items())}
                for name, row in sorted(self.weights.items())
            },
        }
        (Path(path) / WEIGHTS_FILE).write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        write_meta(Path(path), self.meta)
