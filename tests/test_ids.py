"""kg.ids: slugs (accents, punctuation, non-Latin text, length), stable article ids and entity ids."""

from __future__ import annotations

import re

import pytest

from kg.ids import article_id, content_hash, entity_id, slugify

# --- slugify ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Rex Tillerson", "rex-tillerson"),  # words joined by "-", lowercased
        ("Bashar al-Assad", "bashar-al-assad"),  # a hyphen inside a name stays one separator
        ("Zürich, Schweiz", "zurich-schweiz"),  # accents folded, punctuation becomes a separator
        ("São Paulo", "sao-paulo"),  # tilde folded
        ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan"),  # breve folded
        ("U.S. Secretary of State", "u-s-secretary-of-state"),  # dots separate
        ("  --Al-Qaeda!!  ", "al-qaeda"),  # leading and trailing punctuation dropped
        ("G20 summit", "g20-summit"),  # digits kept
        ("AT&T   Inc.", "at-t-inc"),  # runs of non-alphanumerics become one "-"
    ],
)
def test_slugify(text: str, slug: str):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Lech Wałęsa", "lech-walesa"),
        ("Lars Løkke Rasmussen", "lars-lokke-rasmussen"),
        ("Ærø", "aero"),
        ("Đorđe Vučić", "dorde-vucic"),
        ("Straße", "strasse"),
    ],
)
def test_slugify_folds_letters_without_a_decomposition(text: str, slug: str):
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["Владимир Путин", "北京", "بشار الأسد", "", "!!!"])
def test_slugify_falls_back_to_a_hash_when_nothing_latin_is_left(text: str):
    assert slugify(text) == "x" + content_hash(text)[:10]


def test_slugify_hash_fallback_tells_names_apart():
    assert slugify("Владимир Путин") != slugify("Дмитрий Медведев")


@pytest.mark.parametrize(
    ("text", "max_length", "slug"),
    [
        ("word " * 30, 60, "word-word-word-word-word-word-word-word-word-word-word-word"),  # cut, no trailing "-"
        ("abcd efgh", 5, "abcd"),  # the cut lands on a separator, which is dropped
        ("abcd efgh", 6, "abcd-e"),
        ("abcdefghij", 3, "abc"),
    ],
)
def test_slugify_max_length(text: str, max_length: int, slug: str):
    result = slugify(text, max_length=max_length)
    assert result == slug
    assert len(result) <= max_length


# --- article_id -------------------------------------------------------------------------------------------

ID_FORMAT = re.compile(r"^[a-z0-9-]+-[0-9a-f]{8}$")


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("Body text", "Trump meets Putin", "trump-meets-putin-751f5ed0"),  # slug of the headline, hash of the text
        ("Body text", "", "article-751f5ed0"),  # no headline
        ("Body text", "   ", "article-751f5ed0"),  # a blank headline is no headline
    ],
)
def test_article_id(text: str, title: str, expected: str):
    assert article_id(text, title) == expected
    assert ID_FORMAT.match(expected)


def test_article_id_is_stable():
    text = "Rex Tillerson said Russia has a special responsibility."
    assert article_id(text, "Tillerson on Syria") == article_id(text, "Tillerson on Syria")
    assert article_id(text, "Tillerson on Syria") == f"tillerson-on-syria-{content_hash(text)[:8]}"


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Tillerson met Lavrov.", "Tillerson met Putin."),
        ("Tillerson met Lavrov.", "Tillerson met Lavrov. "),  # one character more is other content
    ],
)
def test_article_id_depends_on_the_content(text: str, other: str):
    assert article_id(text, "Same headline") != article_id(other, "Same headline")


def test_article_id_headline_slug_is_at_most_48_characters():
    head = article_id("Body", "A very long headline " * 10).rsplit("-", 1)[0]
    assert 0 < len(head) <= 48


# --- entity_id --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_type", "label", "expected"),
    [
        ("Person", "Rex Tillerson", "person:rex-tillerson"),
        ("Person", "Bashar al-Assad", "person:bashar-al-assad"),
        ("Country", "United States", "country:united-states"),
        ("Organisation", "Organization for the Prohibition of Chemical Weapons",
         "organisation:organization-for-the-prohibition-of-chemical-weapons"),
        ("Place", "Khan Sheikhun", "place:khan-sheikhun"),
        ("Place", "Zürich", "place:zurich"),
    ],
)  # fmt: skip
def test_entity_id(entity_type: str, label: str, expected: str):
    assert entity_id(entity_type, label) == expected


def test_entity_id_type_prefix_keeps_same_names_apart():
    assert entity_id("Person", "Jordan") != entity_id("Country", "Jordan")
