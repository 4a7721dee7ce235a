"""kg.countries: the names, demonyms and capitals of countries, from the countryinfo dataset."""

from __future__ import annotations

import pytest

from kg.countries import country_named, country_of_capital, country_of_demonym, normalise

# --- country_named ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "label"),
    [
        ("United States", "US", "United States"),  # the dataset's name
        ("the United States", "US", "United States"),  # leading "the"
        ("U.S.", "US", "United States"),  # dots
        ("U.S", "US", "United States"),  # dots, the last one lost to the sentence end
        ("US", "US", "United States"),  # an alternative spelling
        ("USA", "US", "United States"),
        ("America", "US", "United States"),  # a colloquial name the dataset lacks
        ("the States", "US", "United States"),
        ("United Kingdom", "GB", "United Kingdom"),
        ("UK", "GB", "United Kingdom"),
        ("Britain", "GB", "United Kingdom"),
        ("Myanmar", "MM", "Myanmar"),
        ("Burma", "MM", "Myanmar"),  # a second dataset entry for a code is another name of the first
        ("Russia", "RU", "Russia"),
        ("Russia's", "RU", "Russia"),  # possessive
        ("RUSSIA", "RU", "Russia"),  # case
        ("Syria", "SY", "Syria"),
        ("Georgia", "GE", "Georgia"),  # a country, though also a US state
    ],
)
def test_country_named(name: str, code: str, label: str):
    country = country_named(name)
    assert country is not None
    assert (country.code, country.name) == (code, label)


def test_variants_are_one_country():
    assert len({country_named(name) for name in ["U.S.", "US", "U.S", "United States", "America"]}) == 1
    assert country_named("Burma") == country_named("Myanmar")


@pytest.mark.parametrize(
    "name",
    [
        "Hamburg",  # a city
        "Idlib",  # a province
        "Wales",  # a part listed under its state's code stays a place
        "Russian",  # a demonym is not a name of the country
        "Moscow",  # nor is a capital
    ],
)
def test_not_a_country_name(name: str):
    assert country_named(name) is None


@pytest.mark.parametrize("name", ["", "   ", "."])
def test_a_name_that_normalises_to_nothing_is_no_country(name: str):
    assert country_named(name) is None


@pytest.mark.parametrize(("name", "key"), [("the U.S.", "us"), ("  The  United   States ", "united states"),
                                           ("Russia’s", "russia"), ("Britain's", "britain")])  # fmt: skip
def test_normalise(name: str, key: str):
    assert normalise(name) == key


# --- country_of_demonym -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Russian", "RU"),
        ("Russians", "RU"),  # plural
        ("russian", "RU"),  # case
        ("Syrian", "SY"),
        ("Syrians", "SY"),
        ("British", "GB"),
        ("French", "FR"),  # shared with overseas departments: France first
        ("Chinese", "CN"),  # shared with Hong Kong and Macau
    ],
)
def test_country_of_demonym(word: str, code: str):
    country = country_of_demonym(word)
    assert country is not None
    assert country.code == code


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("American", "US"),
        ("Americans", "US"),
        ("Indian", "IN"),
        ("Indians", "IN"),
    ],
)
def test_country_of_shared_demonym_is_the_main_country(word: str, code: str):
    country = country_of_demonym(word)
    assert country is not None
    assert country.code == code


@pytest.mark.parametrize("word", ["Moscow", "Russia", "Hamburger", "s", ""])
def test_not_a_demonym(word: str):
    assert country_of_demonym(word) is None


# --- country_of_capital -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Washington", "US"),  # "Washington D.C." in the dataset, "Washington" in the news
        ("Washington D.C.", "US"),
        ("Moscow", "RU"),
        ("Damascus", "SY"),
        ("London", "GB"),
    ],
)
def test_country_of_capital(name: str, code: str):
    country = country_of_capital(name)
    assert country is not None
    assert country.code == code


def test_country_of_capital_with_comma():
    country = country_of_capital("Washington, D.C.")
    assert country is not None
    assert country.code == "US"


@pytest.mark.parametrize("name", ["Hamburg", "Idlib", "Cardiff", "Russia"])
def test_not_a_capital(name: str):
    assert country_of_capital(name) is None
