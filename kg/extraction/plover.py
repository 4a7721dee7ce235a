"""The PLOVER event lexicons kg ships (derived by ``kg train lexicons`` from PETRARCH2's dictionaries and the
CAMEO -> PLOVER table; see :mod:`kg.training.lexicons`), loaded once.

``verb_category("meet with")`` is ``("consult", "040")``; ``agent_sector("troops")`` is ``"MIL"``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
#: :func:`kg.extraction.rules.interaction_pairs.pair_features`, fitted on re3d's calibration part; plain numbers,
#: read without scikit-learn, with the floors it was chosen with.
MODEL_FILE = DATA / "models" / "interactions" / "model.json"

#: PLOVER's four quads (verbal / material, cooperation / conflict): the category's feature, coarser than 16 classes
QUADS = {
    **dict.fromkeys(("agree", "consult", "support", "concede", "request"), "verbal_cooperation"),
    **dict.fromkeys(("cooperate", "aid", "retreat"), "material_cooperation"),
    **dict.fromkeys(("accuse", "reject", "threaten", "protest"), "verbal_conflict"),
    **dict.fromkeys(("sanction", "mobilize", "coerce", "assault"), "material_conflict"),
}


@cache
def model() -> dict | None:
    """The confidence model as written by ``kg train interactions`` (None when it is missing), read once."""
    import json

    return json.loads(MODEL_FILE.read_text(encoding="utf-8")) if MODEL_FILE.is_file() else None


def probability(fitted: dict, values: dict[str, float]) -> float:
    """The probability a logistic model (``intercept`` and ``weights`` per feature name) gives these features."""
    import math

    score = fitted["intercept"] + sum(fitted["weights"].get(name, 0.0) * value for name, value in values.items())
    return 1.0 / (1.0 + math.exp(-score))


def confidence(values: dict[str, float]) -> float | None:
    """The shipped model's probability that an interaction with these features is right (None without a model)."""
    fitted = model()
    return None if fitted is None else round(probability(fitted, values), 4)
