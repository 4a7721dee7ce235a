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
