"""Pronoun and nominal coreference for relation candidates, one construction per case, parsed by the real model."""

from __future__ import annotations

import pytest

from kg.extraction import article_context
from kg.extraction.coreference import first_name_genders, references
from kg.model import Article
from kg.nlp import load
from kg.training.genders import genders


def _references(text: str) -> list[tuple[str, str]]:
    ctx, _, _ = article_context(Article(id="a", text=text), load()(text))
    return [(r.span.text, ctx.spans[r.antecedent].text) for r in references(ctx)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "she" in the next sentence: the person named before
        ("Anna Weber is a German politician. She was born in Munich.", ("She", "Anna Weber")),
        # a possessive pronoun in the same sentence
        ("Tim Cook spoke in London about his company.", ("his", "Tim Cook")),
        # the first name tells "she" from "he": not the last person, the last woman
        ("Angela Merkel met Tim Cook in Berlin. She said the talks went well.", ("She", "Angela Merkel")),
        ("Tim Cook met Angela Merkel in Berlin. She said the talks went well.", ("She", "Angela Merkel")),
        # a courtesy title tells the gender where the first name is not known
        ("Mrs. Okafor met Mr. Adeyemi in Lagos. He said the talks went well.", ("He", "Adeyemi")),
        # of two people, the one named as the subject
        ("Anna Weber met Karla Brandt in Vienna. She was born in Munich.", ("She", "Anna Weber")),
        # "the company" for the last organisation
        ("Acme Corp. reported earnings on Monday. The company is based in Dallas.", ("The company", "Acme Corp.")),
        # "its" for the last organisation
        ("Acme Corp. reported earnings on Monday. Its headquarters are in Dallas.", ("Its", "Acme Corp.")),
    ],
)
def test_construction(text, expected):
    assert expected in _references(text)


@pytest.mark.parametrize(
    "text",
    [
        # an expletive "it" stands for nothing
        "It is expected that Google will grow.",
        # a pronoun before any name has no antecedent
        "She said that Anna Weber had left.",
        # a person named four sentences back is too far
        "Anna Weber left. The weather was bad. The roads were icy. The trains stopped. She was born in Munich.",
        # "the group of" is a quantity, not the organisation
        "Acme Corp. reported earnings. The group of investors sold shares.",
    ],
)
def test_no_reference(text):
    assert not _references(text)


def test_agreement_with_an_earlier_pronoun():
    # "he" stood for Jordan Blake, whose first name tells nothing, so "she" is not him
    found = _references("Jordan Blake met Robin Hale. He said it went well. Later she left Paris.")
    assert ("He", "Jordan Blake") in found and ("she", "Jordan Blake") not in found


def test_the_shipped_gender_table_is_what_the_derivation_keeps():
    assert genders({"anna": [35, 10**6, 0.975, 3], "jean": [31, 10**6, 0.477, 3], "bo": [1, 5, 0.0, 3]}) == {
        "anna": "f"
    }
    table = first_name_genders()
    assert table["anna"] == "female" and table["karl"] == "male" and "jean" not in table
