"""The PLOVER event lexicons kg ships (derived by ``kg train lexicons`` from PETRARCH2's dictionaries and the
CAMEO -> PLOVER table; see :mod:`kg.training.lexicons`), loaded once.

``verb_category("meet with")`` is ``("consult", "040")``; ``agent_sector("troops")`` is ``"MIL"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.model import Relation

DATA = Path(__file__).parents[1] / "data"
VERBS_FILE = DATA / "plover_verbs.tsv"
AGENTS_FILE = DATA / "plover_agents.tsv"

#: The 16 PLOVER categories, lower case: kg's interaction relations.
CATEGORIES = (
    "agree",
    "consult",
    "support",
    "concede",
    "cooperate",
    "aid",
    "retreat",
    "request",
    "accuse",
    "reject",
    "threaten",
    "protest",
    "sanction",
    "mobilize",
    "coerce",
    "assault",
)


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@cache
def verbs() -> dict[str, tuple[str, str]]:
    """Verb words ("meet", "meet with", "crack down") -> (PLOVER category, CAMEO code)."""
    return {words: (category, code) for words, category, code in _rows(VERBS_FILE)}


@cache
def agents() -> dict[str, str]:
    """Agent words ("government", "troops", "regime") -> Phoenix sector code ("GOV", "MIL", ...)."""
    return dict(_rows(AGENTS_FILE))


def verb_category(words: str) -> tuple[str, str] | None:
    """The PLOVER category and CAMEO code of a verb or phrasal verb, lower case, or None.

    >>> verb_category("meet with")
    ('consult', '040')
    """
    return verbs().get(words)


def agent_sector(word: str) -> str | None:
    """The Phoenix sector of an agent word, lower case ("troops": "MIL"), or None."""
    return agents().get(word)


#: The confidence model of interactions (``kg train interactions``): weights of a logistic regression over
#: :func:`features`, fitted on re3d's calibration part; plain numbers, read without scikit-learn.
MODEL_FILE = DATA / "models" / "interactions" / "model.json"

#: PLOVER's four quads (verbal / material, cooperation / conflict): the category's feature, coarser than 16 classes
QUADS = {
    **dict.fromkeys(("agree", "consult", "support", "concede", "request"), "verbal_cooperation"),
    **dict.fromkeys(("cooperate", "aid", "retreat"), "material_cooperation"),
    **dict.fromkeys(("accuse", "reject", "threaten", "protest"), "verbal_conflict"),
    **dict.fromkeys(("sanction", "mobilize", "coerce", "assault"), "material_conflict"),
}


def features(
    *,
    method: str,
    category: str,
    source_type: str,
    target_type: str,
    grouped: bool,
    trigger: str | None,
    distance: int,
) -> dict[str, float]:
    """The features the confidence model reads of one interaction: its rule, its PLOVER quad, the types of its
    two actors, whether one acts through an agent word ("Russian forces"), whether the trigger is a phrase ("meet
    with"), and the characters between the two names (over 100, at most 2).

    >>> features(method="verb", category="consult", source_type="Person", target_type="Person", grouped=False,
    ...          trigger="meet with", distance=12)["quad=verbal_cooperation"]
    1.0
    """
    return {
        f"method={method}": 1.0,
        f"quad={QUADS.get(category, category)}": 1.0,
        f"source={source_type}": 1.0,
        f"target={target_type}": 1.0,
        "grouped": float(grouped),
        "phrase": float(bool(trigger) and " " in trigger),
        "distance": min(distance, 200) / 100,
    }


def relation_features(relation: Relation, types: Mapping[str, str]) -> dict[str, float]:
    """The :func:`features` of an interaction kg states; ``types`` gives each entity id its type."""
    source, target = relation.evidence.source_span, relation.evidence.target_span
    distance = max(source[0], target[0]) - min(source[1], target[1]) if source and target else 0
    return features(
        method=relation.method,
        category=relation.relation,
        source_type=types.get(relation.source, ""),
        target_type=types.get(relation.target, ""),
        grouped=bool(relation.source_group or relation.target_group),
        trigger=relation.trigger,
        distance=max(distance, 0),
    )


@cache
def _model() -> dict | None:
    import json

    return json.loads(MODEL_FILE.read_text(encoding="utf-8")) if MODEL_FILE.is_file() else None


def confidence(values: dict[str, float]) -> float | None:
    """The model's probability that an interaction with these :func:`features` is right (None without a model)."""
    import math

    model = _model()
    if model is None:
        return None
    score = model["intercept"] + sum(model["weights"].get(name, 0.0) * value for name, value in values.items())
    return round(1.0 / (1.0 + math.exp(-score)), 4)
