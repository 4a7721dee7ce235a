"""Country names, demonyms and capitals from the maintained ``countryinfo`` dataset.

Used to tell a country from any other place, to join the many ways a country is written ("U.S.", "US",
"United States", "America") and to link nationality words ("Russian") and capitals used as actors
("Moscow says") to their country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Everyday names that the dataset lacks (or that are ISO codes, which are otherwise not taken as names). Each
#: maps to an ISO 3166-1 alpha-2 code found in the dataset.
COLLOQUIAL_NAMES = {"America": "US", "Britain": "GB", "Holland": "NL", "the States": "US", "US": "US", "USA": "US"}


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str  # the canonical label
    capitals: tuple[str, ...]
    demonym: str


def normalise(name: str) -> str:
    """The lookup key of a name: no leading "the", no dots or commas, no possessive, case-folded.

    >>> normalise("the U.S.")
    'us'
    """
    name = re.sub(r"[’']s$", "", name.strip())
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    name = name.replace(".", "").replace(",", "")
    return " ".join(name.split()).casefold()


def _precedence(data: dict) -> tuple:
    """Main entries first (those listing their own code: Myanmar before its second entry Burma), then the most
    populous, so where countries share a demonym or capital ("American") the best-known one keeps it."""
    code = (data.get("ISO") or {}).get("alpha2")
    return (code not in (data.get("altSpellings") or []), -(data.get("population") or 0), data["name"])


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Country], dict[str, Country], dict[str, Country]]:
    from countryinfo import all_countries

    by_name: dict[str, Country] = {}
    by_demonym: dict[str, Country] = {}
    by_capital: dict[str, Country] = {}
    by_code: dict[str, Country] = {}
    infos = sorted((info.info() for info in all_countries()), key=_precedence)
    for data in infos:
        codes = data.get("ISO") or {}
        code = codes.get("alpha2")
        if not code or not data.get("name"):
            continue
        capitals = data.get("capital") or []
        capitals = [capitals] if isinstance(capitals, str) else list(capitals)
        capital_names = set()
        for capital in capitals:
            capital_names.add(capital)
            # "Washington D.C." is "Washington" in the news
            capital_names.add(re.sub(r",?\s+D\.?\s?C\.?$", "", capital))
        if code in by_code and not data.get("altSpellings"):
            continue  # a part listed under its state's code (Wales under GB) stays a place
        # a second entry for a code (Burma beside Myanmar) is another name of the first
        country = by_code.setdefault(
            code, Country(code, data["name"], tuple(sorted(capital_names)), data.get("demonym") or "")
        )
        iso_codes = {codes.get("alpha2"), codes.get("alpha3")}
        for name in [data["name"], *(data.get("altSpellings") or [])]:
            # ISO codes are not names in running text: "GM" is General Motors, not the Gambia ("US" and
            # "USA" come back through COLLOQUIAL_NAMES); the dataset also has empty alternative spellings
            if normalise(name) and name not in iso_codes:
                by_name.setdefault(normalise(name), country)
        if country.demonym:
            by_demonym.setdefault(country.demonym.casefold(), country)
        for capital in capital_names:
            by_capital.setdefault(normalise(capital), country)
    for name, code in COLLOQUIAL_NAMES.items():
        if code in by_code:
            by_name.setdefault(normalise(name), by_code[code])
    return by_name, by_demonym, by_capital


def country_named(name: str) -> Country | None:
    """The country a name stands for, or None.

    >>> country_named("U.S.").name
    'United States'
    """
    key = normalise(name)
    return _tables()[0].get(key) if key else None


def country_of_demonym(word: str) -> Country | None:
    """The country of a nationality word ("Russian", "Americans"), or None.

    >>> country_of_demonym("Russian").name
    'Russia'
    """
    table = _tables()[1]
    key = word.strip().casefold()
    return table.get(key) or (table.get(key[:-1]) if key.endswith("s") else None)


def country_of_capital(name: str) -> Country | None:
    """The country whose capital this is ("Moscow" -> Russia), or None.

    >>> country_of_capital("Washington").name
    'United States'
    """
    return _tables()[2].get(normalise(name))
