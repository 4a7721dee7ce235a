"""Entity spans and their types, one construction per case, with the real default model."""

from __future__ import annotations

import pytest

from kg.extraction.entities import entity_spans
from kg.nlp import load


def _spans(text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.type, e.role) for e in entity_spans(load()(text))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a possessive is not part of the name
        ("Bashar al-Assad's forces attacked the town.", ("Bashar al-Assad", "Person", "name")),
        # a leading article is not part of the name
        (
            "Officials of the Organization for the Prohibition of Chemical Weapons met.",
            ("Organization for the Prohibition of Chemical Weapons", "Organisation", "name"),
        ),
        # an unclosed parenthesis the model ran into is cut off
        (
            "On Tuesday, the World Health Organization (WHO) announced the name.",
            ("World Health Organization", "Organisation", "name"),
        ),
        # a country in the dataset is a Country, whatever spelling
        ("Tillerson met officials of the U.S. on Monday.", ("U.S.", "Country", "name")),
        # a nationality word stands for its country
        ("Russian President Vladimir Putin spoke.", ("Russian", "Country", "demonym")),
        # a capital that acts stands for its country
        ("Moscow has a responsibility to end the conflict.", ("Moscow", "Country", "capital")),
        # a capital as a location stays a place
        ("The leaders met in Moscow on Monday.", ("Moscow", "Place", "name")),
        # a name located inside another place is a place, even when the model says person
        ("The attack on Khan Sheikhun in Idlib province killed dozens.", ("Khan Sheikhun", "Place", "name")),
        # "Auckland, New Zealand", read by the model as one place, is a town and its country
        ("He was born in Auckland, New Zealand.", ("Auckland", "Place", "name")),
        ("He was born in Auckland, New Zealand.", ("New Zealand", "Country", "name")),
        # a verb the model ran into a name is cut off, before or after it
        (
            "Sam Kadet of the law firm of Skadden, Arps said Popeyes could act.",
            ("Skadden, Arps", "Organisation", "name"),
        ),
        ("Evaluating Juppe 's visit , Cetin said that it was fine .", ("Juppe", "Person", "name")),
        # a name the model broke after "of the" is joined again
        (
            "Callamard, a rapporteur for the Office of the UN High Commissioner for Human Rights, spoke.",
            ("Office of the UN", "Organisation", "name"),
        ),
    ],
)
def test_entity_span(sentence, expected):
    assert expected in _spans(sentence)


def test_text_in_a_script_without_capitals_gives_no_names():
    text = "She said: हाथ का अंगूठी बेचकर मैंने sanitiser लिया घर के लिए। Then Łukasz Nowak of Łódź spoke."
    assert [name for name, _, _ in _spans(text)] == ["Łukasz Nowak", "Łódź"]
    assert ("Дмитрий Кошелев", "Person", "name") in _spans("The journalist Дмитрий Кошелев said no.")


def test_portfolio_in_a_title_is_no_organisation():
    assert all(text != "State" for text, _, _ in _spans("U.S. Secretary of State Rex Tillerson arrived."))


def test_person_mention_extent_covers_president_but_the_name_does_not():
    text = "President Abraham Lincoln spoke."
    (person,) = [e for e in entity_spans(load()(text)) if e.type == "Person"]
    assert person.text == "Abraham Lincoln"
    assert text[slice(*person.offsets)] == "President Abraham Lincoln"
