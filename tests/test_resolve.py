"""kg.resolve: mentions -> entities within an article, and joins across articles. Hand-made mentions, no spaCy."""

from __future__ import annotations

import pytest

from kg.ids import entity_id
from kg.model import Entity, Mention
from kg.resolve import acronym_of, consolidate, name_tokens, resolve_article

ARTICLE = "tillerson-on-syria-1a2b3c4d"


def mentions(text: str, names: list[tuple[str, str]]) -> list[Mention]:
    """Mentions of ``names`` (name, type), found in ``text`` in this order; sentences end with ". "."""
    found = []
    position = 0
    for name, entity_type in names:
        start = text.index(name, position)
        end = start + len(name)
        found.append(Mention(name, entity_type, start, end, text[:start].count(". ")))
        position = end
    return found


def resolve(text: str, names: list[tuple[str, str]]) -> tuple[dict[str, Entity], list[str]]:
    entities, ids = resolve_article(mentions(text, names), ARTICLE)
    return {entity.id: entity for entity in entities}, ids


P, C, ORG, L = "Person", "Country", "Organisation", "Place"


# --- one entity per construction --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        pytest.param(
            "Rex Tillerson spoke. Later Tillerson left.",
            [("Rex Tillerson", P), ("Tillerson", P)],
            ["person:rex-tillerson"] * 2,
            id="surname after the full name",
        ),
        pytest.param(
            "Tillerson spoke. Rex Tillerson is the Secretary of State.",
            [("Tillerson", P), ("Rex Tillerson", P)],
            ["person:rex-tillerson"] * 2,
            id="surname before the full name",
        ),
        pytest.param(
            "Bashar al-Assad spoke. The al-Assad regime fought.",
            [("Bashar al-Assad", P), ("al-Assad", P)],
            ["person:bashar-al-assad"] * 2,
            id="hyphenated final part",
        ),
        pytest.param(
            "Bashar al-Assad spoke. Assad forces fought.",
            [("Bashar al-Assad", P), ("Assad", P)],
            ["person:bashar-al-assad"] * 2,
            id="last word of a hyphenated surname",
        ),
        pytest.param(
            "Bashar al-Assad spoke. Then Bashar Assad left.",
            [("Bashar al-Assad", P), ("Bashar Assad", P)],
            ["person:bashar-al-assad"] * 2,
            id="name without the middle part",
        ),
        pytest.param(
            "Donald Trump met Melania Trump. Trump said so.",
            [("Donald Trump", P), ("Melania Trump", P), ("Trump", P)],
            ["person:donald-trump", "person:melania-trump", "person:melania-trump"],
            id="shared surname joins the one named last before it",
        ),
        pytest.param(
            "Melania Trump met Donald Trump. Trump said so.",
            [("Melania Trump", P), ("Donald Trump", P), ("Trump", P)],
            ["person:melania-trump", "person:donald-trump", "person:donald-trump"],
            id="shared surname, other order",
        ),
        pytest.param(
            "Vladimir Putin met Rex Tillerson. Putin and Tillerson spoke.",
            [("Vladimir Putin", P), ("Rex Tillerson", P), ("Putin", P), ("Tillerson", P)],
            ["person:vladimir-putin", "person:rex-tillerson", "person:vladimir-putin", "person:rex-tillerson"],
            id="two surnames each join their own full name",
        ),
        pytest.param(
            "Donald Trump spoke. Trump left.",
            [("Donald Trump", P), ("Trump", ORG)],
            ["person:donald-trump"] * 2,
            id="surname mis-tagged as an organisation joins the person",
        ),
        pytest.param(
            "The United Nations met. The UN envoy spoke.",
            [("United Nations", ORG), ("UN", ORG)],
            ["organisation:united-nations"] * 2,
            id="acronym joins its long form",
        ),
        pytest.param(
            "The U.N. envoy spoke. The United Nations met.",
            [("U.N.", ORG), ("United Nations", ORG)],
            ["organisation:united-nations"] * 2,
            id="dotted acronym before its long form",
        ),
        pytest.param(
            "The UN envoy spoke.",
            [("UN", ORG)],
            ["organisation:un"],
            id="acronym alone stays itself",
        ),
        pytest.param(
            "The Organization for the Prohibition of Chemical Weapons found sarin. The OPCW said so.",
            [("Organization for the Prohibition of Chemical Weapons", ORG), ("OPCW", ORG)],
            ["organisation:organization-for-the-prohibition-of-chemical-weapons"] * 2,
            id="acronym skipping small words",
        ),
        pytest.param(
            "Lincoln spoke. Lincoln is a city. Lincoln left.",
            [("Lincoln", P), ("Lincoln", L), ("Lincoln", P)],
            ["person:lincoln"] * 3,
            id="majority type: Person twice, Place once",
        ),
        pytest.param(
            "Lincoln is a city. Lincoln spoke. Lincoln is cold.",
            [("Lincoln", L), ("Lincoln", P), ("Lincoln", L)],
            ["place:lincoln"] * 3,
            id="majority type: Place twice, Person once",
        ),
        pytest.param(
            "Lincoln spoke. Lincoln is a city.",
            [("Lincoln", L), ("Lincoln", P)],
            ["person:lincoln"] * 2,
            id="a tie prefers Person",
        ),
        pytest.param(
            "Fighting in Idlib went on.",
            [("Idlib", C)],
            ["place:idlib"],
            id="a 'Country' the dataset does not know is a Place",
        ),
    ],
)
def test_resolve_article_joins(text: str, names: list[tuple[str, str]], expected: list[str]):
    entities, ids = resolve(text, names)
    assert ids == expected
    assert sorted(entities) == sorted(set(expected))


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        ("The U.S. said so.", "U.S."),
        ("The US said so.", "US"),
        ("The U.S is ready.", "U.S"),
        ("The United States said so.", "United States"),
        ("America said so.", "America"),
    ],
)
def test_country_variant_joins_the_country(text: str, variant: str):
    entities, ids = resolve(text, [(variant, C)])
    assert ids == ["country:united-states"]
    country = entities["country:united-states"]
    assert (country.label, country.type, country.country_code) == ("United States", "Country", "US")
    assert variant in country.aliases


def test_country_variants_in_one_article_are_one_entity():
    text = "The U.S. and US and U.S and United States and America."
    names = [(name, C) for name in ["U.S.", "US", "U.S", "United States", "America"]]
    entities, ids = resolve(text, names)
    assert set(ids) == {"country:united-states"}
    assert entities["country:united-states"].aliases == {"U.S.", "US", "U.S", "United States", "America"}
    assert entities["country:united-states"].mentions == 5


@pytest.mark.parametrize(
    ("text", "names", "aliases"),
    [
        pytest.param("Russian President Putin spoke.", [("Russian", C)], set(), id="demonym"),
        pytest.param("Moscow says no.", [("Moscow", C)], set(), id="capital"),
        pytest.param(
            "Russia spoke. Russian troops and Moscow agreed.",
            [("Russia", C), ("Russian", C), ("Moscow", C)],
            {"Russia"},
            id="demonym and capital beside the name",
        ),
    ],
)
def test_demonym_and_capital_join_the_country_but_are_not_aliases(
    text: str, names: list[tuple[str, str]], aliases: set[str]
):
    entities, ids = resolve(text, names)
    assert set(ids) == {"country:russia"}
    russia = entities["country:russia"]
    assert (russia.label, russia.country_code) == ("Russia", "RU")
    assert russia.aliases == aliases


def test_mention_counts_and_article_ids():
    text = "Rex Tillerson met Putin. Tillerson said Russia must act. Tillerson left."
    names = [("Rex Tillerson", P), ("Putin", P), ("Tillerson", P), ("Russia", C), ("Tillerson", P)]
    entities, ids = resolve(text, names)
    assert ids == ["person:rex-tillerson", "person:putin", "person:rex-tillerson", "country:russia",
                   "person:rex-tillerson"]  # fmt: skip
    assert {key: entity.mentions for key, entity in entities.items()} == {
        "person:rex-tillerson": 3,
        "person:putin": 1,
        "country:russia": 1,
    }
    assert all(entity.articles == {ARTICLE} for entity in entities.values())
    assert entities["person:rex-tillerson"].aliases == {"Rex Tillerson", "Tillerson"}


def test_ids_are_deterministic_and_entities_sorted():
    text = "Vladimir Putin met Rex Tillerson in Moscow. The UN and the United Nations. Putin spoke."
    names = [("Vladimir Putin", P), ("Rex Tillerson", P), ("Moscow", L), ("UN", ORG), ("United Nations", ORG),
             ("Putin", P)]  # fmt: skip
    first, first_ids = resolve_article(mentions(text, names), ARTICLE)
    second, second_ids = resolve_article(mentions(text, names), ARTICLE)
    assert first == second
    assert first_ids == second_ids
    assert [entity.id for entity in first] == sorted(entity.id for entity in first)
    assert all(entity.id == entity_id(entity.type, entity.label) for entity in first)


def test_no_mentions():
    assert resolve_article([], ARTICLE) == ([], [])


# --- helpers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "tokens"),
    [("Bashar al-Assad", ("bashar", "al", "assad")), ("Rex  Tillerson", ("rex", "tillerson")), ("Putin", ("putin",))],
)
def test_name_tokens(name: str, tokens: tuple[str, ...]):
    assert name_tokens(name) == tokens


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("United Nations", "UN"),
        ("Organization for the Prohibition of Chemical Weapons", "OPCW"),
        ("North Atlantic Treaty Organization", "NATO"),
        ("Islamic State of Iraq and the Levant", "ISIL"),
    ],
)
def test_acronym_of(name: str, acronym: str):
    assert acronym_of(name) == acronym


# --- consolidate: across articles -------------------------------------------------------------------------


def entity(entity_type: str, label: str, mentions: int = 1) -> Entity:
    return Entity(id=entity_id(entity_type, label), label=label, type=entity_type, mentions=mentions)


@pytest.mark.parametrize(
    ("entities", "joins"),
    [
        pytest.param(
            [entity(P, "Tillerson"), entity(P, "Rex Tillerson")],
            {"person:tillerson": "person:rex-tillerson"},
            id="lone surname joins the unique full name",
        ),
        pytest.param(
            [entity(P, "Assad"), entity(P, "Bashar al-Assad")],
            {"person:assad": "person:bashar-al-assad"},
            id="lone last word of a hyphenated surname",
        ),
        pytest.param(
            [entity(P, "Trump"), entity(P, "Donald Trump"), entity(P, "Melania Trump")],
            {},
            id="ambiguous surname does not join",
        ),
        pytest.param(
            [entity(P, "Trump"), entity(P, "Donald Trump", 2), entity(P, "Melania Trump")],
            {},
            id="ambiguous surname, one full name named twice as often, does not join",
        ),
        pytest.param(
            [entity(P, "Trump"), entity(P, "Donald Trump", 3), entity(P, "Melania Trump")],
            {"person:trump": "person:donald-trump"},
            id="surname joins the full name named more than twice as often as the others",
        ),
        pytest.param(
            [entity(ORG, "UN"), entity(ORG, "United Nations", 3), entity(ORG, "Union of Nations")],
            {"organisation:un": "organisation:united-nations"},
            id="acronym joins the dominant long form",
        ),
        pytest.param([entity(P, "Tillerson")], {}, id="surname without a full name"),
        pytest.param(
            [entity(ORG, "UN"), entity(ORG, "United Nations")],
            {"organisation:un": "organisation:united-nations"},
            id="acronym joins its long form",
        ),
        pytest.param(
            [entity(ORG, "OPCW"), entity(ORG, "Organization for the Prohibition of Chemical Weapons")],
            {"organisation:opcw": "organisation:organization-for-the-prohibition-of-chemical-weapons"},
            id="acronym skipping small words",
        ),
        pytest.param([entity(ORG, "UN")], {}, id="acronym alone"),
        pytest.param(
            [entity(P, "Jordan"), entity(C, "Jordan"), entity(L, "Jordan River")],
            {},
            id="other types never join a person",
        ),
        pytest.param(
            [entity(L, "Washington"), entity(P, "George Washington")],
            {},
            id="a place does not join a person",
        ),
    ],
)
def test_consolidate(entities: list[Entity], joins: dict[str, str]):
    assert consolidate(entities) == joins
    assert consolidate(reversed(entities)) == joins


def test_consolidate_joins_a_lone_multi_part_surname():
    joins = consolidate([entity(P, "al-Assad"), entity(P, "Bashar al-Assad")])
    assert joins == {"person:al-assad": "person:bashar-al-assad"}


def test_consolidate_joins_the_one_candidate_whatever_its_mention_count():
    joins = consolidate([entity(P, "Tillerson", 0), entity(P, "Rex Tillerson", 0)])
    assert joins == {"person:tillerson": "person:rex-tillerson"}


def test_consolidate_of_resolved_articles():
    first, _ = resolve_article(mentions("Rex Tillerson met the UN.", [("Rex Tillerson", P), ("UN", ORG)]), "a1")
    second, _ = resolve_article(
        mentions("Tillerson praised the United Nations.", [("Tillerson", P), ("United Nations", ORG)]), "a2"
    )
    assert consolidate([*first, *second]) == {
        "person:tillerson": "person:rex-tillerson",
        "organisation:un": "organisation:united-nations",
    }


# --- typing by the whole article, and the joins of issue 13 ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        pytest.param(
            "Amy Klobuchar won. Klobuchar said so.",
            [("Amy Klobuchar", P), ("Klobuchar", L)],
            ["person:amy-klobuchar"] * 2,
            id="a surname typed as a place after the full name is the person",
        ),
        pytest.param(
            "Daniel Montalvo was held. Police said Montalvo fled. Montalvo denied it.",
            [("Daniel Montalvo", P), ("Montalvo", L), ("Montalvo", L)],
            ["person:daniel-montalvo"] * 3,
            id="a surname typed as a place twice, the full name once",
        ),
        pytest.param(
            "Michael Bloomberg spent. Bloomberg won in Samoa.",
            [("Michael Bloomberg", P), ("Bloomberg", L), ("Samoa", C)],
            ["person:michael-bloomberg", "person:michael-bloomberg", "country:samoa"],
            id="Bloomberg is no place when the article names Michael Bloomberg",
        ),
        pytest.param(
            "Amy Klobuchar won. Amy thanked them.",
            [("Amy Klobuchar", P), ("Amy", L)],
            ["person:amy-klobuchar", "person:amy"],
            id="a first name typed as a place after the full name is a person",
        ),
        pytest.param(
            "Lockheed Martin won. Lockheed said so.",
            [("Lockheed Martin", P), ("Lockheed", ORG)],
            ["person:lockheed-martin", "organisation:lockheed"],
            id="an organisation named like a first name keeps its type",
        ),
        pytest.param(
            "Michael Jordan met Jordan officials.",
            [("Michael Jordan", P), ("Jordan", C)],
            ["person:michael-jordan", "country:jordan"],
            id="a country stays a country",
        ),
        pytest.param(
            "George Washington spoke. Washington said no.",
            [("George Washington", P), ("Washington", L)],
            ["person:george-washington", "place:washington"],
            id="a capital keeps its type",
        ),
        pytest.param(
            "Ban Ki-moon spoke. The Moon rose.",
            [("Ban Ki-moon", P), ("Moon", L)],
            ["person:ban-ki-moon", "place:moon"],
            id="part of a hyphenated name is no surname",
        ),
        pytest.param(
            "Hayat Tahrir al-Sham rules. Tahrir al-Sham fighters attacked.",
            [("Hayat Tahrir al-Sham", ORG), ("Tahrir al-Sham", ORG)],
            ["organisation:hayat-tahrir-al-sham"] * 2,
            id="an organisation named without its first word",
        ),
        pytest.param(
            "The House of Representatives voted. The House passed it.",
            [("House of Representatives", ORG), ("House", ORG)],
            ["organisation:house-of-representatives"] * 2,
            id="short form before 'of' joins the full name",
        ),
        pytest.param(
            "The United States House of Representatives voted. The House of Representatives and the House agreed.",
            [("United States House of Representatives", ORG), ("House of Representatives", ORG), ("House", ORG)],
            ["organisation:united-states-house-of-representatives"] * 3,
            id="three forms of one house",
        ),
        pytest.param(
            "The U.S. Senate voted. The Senate passed it.",
            [("U.S. Senate", ORG), ("Senate", ORG)],
            ["organisation:u-s-senate"] * 2,
            id="the name without its country joins the full name",
        ),
        pytest.param(
            "The House of Commons and the House of Lords met. The House rose.",
            [("House of Commons", ORG), ("House of Lords", ORG), ("House", ORG)],
            ["organisation:house-of-commons", "organisation:house-of-lords", "organisation:house"],
            id="a short form of two full names stays itself",
        ),
        pytest.param(
            "Hamza bin Laden spoke. Hamza bin Ladin died.",
            [("Hamza bin Laden", P), ("Hamza bin Ladin", P)],
            ["person:hamza-bin-laden"] * 2,
            id="two spellings of a name join",
        ),
        pytest.param(
            "Kristin Wilkins spoke. Kristen Wilkins said. Kristen Wilkins left.",
            [("Kristin Wilkins", P), ("Kristen Wilkins", P), ("Kristen Wilkins", P)],
            ["person:kristen-wilkins"] * 3,
            id="the spelling used more often wins",
        ),
        pytest.param(
            "Kristin Wilkins met Robert Wilkins.",
            [("Kristin Wilkins", P), ("Robert Wilkins", P)],
            ["person:kristin-wilkins", "person:robert-wilkins"],
            id="two first names are two people",
        ),
        pytest.param(
            "Kennedy Space Center is near Titusville. KSC said so in Florida.",
            [("Kennedy Space Center", L), ("KSC", ORG), ("Florida", L)],
            ["place:kennedy-space-center", "place:kennedy-space-center", "place:florida"],
            id="an acronym joins a long form typed as a place",
        ),
        pytest.param(
            "The New People's Party (NPP) won. The NPP said so.",
            [("New People's Party", ORG), ("NPP", L), ("NPP", L)],
            ["organisation:new-people-s-party"] * 3,
            id="an acronym typed as a place joins its long form, whose type the name decides",
        ),
        pytest.param(
            "Gazprom is in Moscow. Gazprom said so. Gazprom left.",
            [("Gazprom", L), ("Gazprom", ORG), ("Gazprom", ORG)],
            ["organisation:gazprom"] * 3,
            id="a name typed place and organisation is one node",
        ),
        pytest.param(
            "Theodorus of Tabennese was a monk. Tabennese lies on the Nile.",
            [("Theodorus of Tabennese", P), ("Tabennese", L)],
            ["person:theodorus-of-tabennese", "place:tabennese"],
            id="the place of an epithet after of is no surname",
        ),
        pytest.param(
            "He taught at Tsinghua University. At Tsinghua he began a survey.",
            [("Tsinghua University", ORG), ("Tsinghua", P)],
            ["organisation:tsinghua-university"] * 2,
            id="a short form of an organisation without its generic last word joins it, whatever its type",
        ),
        pytest.param(
            "He studied at Harvard University. Harvard gave him a chair.",
            [("Harvard University", ORG), ("Harvard", ORG)],
            ["organisation:harvard-university"] * 2,
            id="a university's short form joins it",
        ),
    ],
)
def test_issue_13_resolution(text: str, names: list[tuple[str, str]], expected: list[str]):
    entities, ids = resolve(text, names)
    assert ids == expected
    assert sorted(entities) == sorted(set(expected))


@pytest.mark.parametrize(
    ("entities", "joins"),
    [
        pytest.param(
            [entity(ORG, "Senate"), entity(ORG, "U.S. Senate")],
            {"organisation:senate": "organisation:u-s-senate"},
            id="a short form joins the full name across articles",
        ),
        pytest.param(
            [entity(ORG, "Wikinews"), entity(ORG, "French Wikinews")],
            {},
            id="across articles a nationality word makes another organisation",
        ),
        pytest.param(
            [
                entity(ORG, "House"),
                entity(ORG, "House of Representatives"),
                entity(ORG, "United States House of Representatives"),
            ],
            {
                "organisation:house": "organisation:united-states-house-of-representatives",
                "organisation:house-of-representatives": "organisation:united-states-house-of-representatives",
            },
            id="the fullest name",
        ),  # fmt: skip
        pytest.param(
            [entity(P, "Hamza bin Ladin"), entity(P, "Hamza bin Laden", 3)],
            {"person:hamza-bin-ladin": "person:hamza-bin-laden"},
            id="a spelling of a long name joins the one named more often",
        ),
        pytest.param(
            [entity(P, "Dana Smith"), entity(P, "Dina Smith", 3)],
            {},
            id="a spelling of a two-word name without a title in common stays apart",
        ),
        pytest.param(
            [entity(L, "Kennedy Space Center", 2), entity(ORG, "Kennedy Space Center"), entity(ORG, "KSC")],
            {
                "organisation:kennedy-space-center": "place:kennedy-space-center",
                "organisation:ksc": "place:kennedy-space-center",
            },
            id="a place and an organisation of one name, and its acronym",
        ),
        pytest.param(
            [entity(L, "NPP"), entity(ORG, "New People's Party")],
            {"place:npp": "organisation:new-people-s-party"},
            id="an acronym typed as a place joins its long form",
        ),
    ],
)
def test_consolidate_issue_13(entities: list[Entity], joins: dict[str, str]):
    assert consolidate(entities) == joins
    assert consolidate(reversed(entities)) == joins


def test_a_joined_place_and_organisation_is_one_node_of_the_joined_type():
    from kg.graph import build_graph
    from kg.model import Article, ArticleResult

    first, _ = resolve_article(mentions("Gazprom is big.", [("Gazprom", L)]), "a1")
    second, _ = resolve_article(mentions("Gazprom said. Gazprom left.", [("Gazprom", ORG), ("Gazprom", ORG)]), "a2")
    graph = build_graph(
        [ArticleResult(Article(id="a1", text="Gazprom is big."), first, []),
         ArticleResult(Article(id="a2", text="Gazprom said. Gazprom left."), second, [])]
    )  # fmt: skip
    assert [(node, data["type"]) for node, data in graph.nodes(data=True)] == [("organisation:gazprom", "Organisation")]
