"""Interactions as PLOVER events, one construction per case, on small sentences parsed by the real default model;
then each sentence the issue quotes, the agent words, negation and refusals."""

from __future__ import annotations

import pytest

from kg.extraction import lexicon, plover
from kg.extraction.context import SIGNATURES
from kg.model import INTERACTION
from kg.pipeline import extract


def _interactions(text: str, *, negated: bool = False) -> set[tuple[str, str, str]]:
    result = extract(text)
    labels = {e.id: e.label for e in result.entities}
    return {
        (labels[r.source], r.relation, labels[r.target])
        for r in result.relations
        if r.kind == INTERACTION and r.negated == negated
    }


def _relations(text: str) -> set[tuple[str, str, str]]:
    result = extract(text)
    labels = {e.id: e.label for e in result.entities}
    return {(labels[r.source], r.relation, labels[r.target]) for r in result.relations if not r.negated}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # subject-verb-object
        ("Iran threatened Israel.", ("Iran", "threaten", "Israel")),
        # a passive with its agent
        ("Assad was attacked by Russia.", ("Russia", "assault", "Assad")),
        # conjunctions on both sides
        ("Russia and Iran attacked Syria and Turkey.", ("Iran", "assault", "Turkey")),
        ("Russia and Iran attacked Syria and Turkey.", ("Russia", "assault", "Syria")),
        # a conjoined passive agent
        ("Ukraine was attacked by Russia and Belarus.", ("Belarus", "assault", "Ukraine")),
        # prepositional and phrasal objects
        ("Donald Trump met with Vladimir Putin.", ("Donald Trump", "consult", "Vladimir Putin")),
        ("The United States called on Russia to stop.", ("United States", "request", "Russia")),
        ("China cracked down on Tibet.", ("China", "coerce", "Tibet")),
        # control: the subject does what it agreed to; the object does what it is urged to
        ("Iran agreed to cooperate with Iraq.", ("Iran", "support", "Iraq")),
        ("Barack Obama urged Iran to negotiate with Israel.", ("Barack Obama", "request", "Iran")),
        # purpose: "traveled to X to meet with Y"
        (
            "Daniel Montalvo traveled to Florida to meet with Paul Devocht.",
            ("Daniel Montalvo", "consult", "Paul Devocht"),
        ),
        # two actors doing together what the verb says
        ("Donald Trump and Vladimir Putin met in Helsinki.", ("Donald Trump", "consult", "Vladimir Putin")),
        # nominal events with their arguments
        ("The talks between Iran and the European Union ended.", ("Iran", "consult", "European Union")),
        ("Russia's attack on Ukraine was condemned.", ("Russia", "assault", "Ukraine")),
        ("Donald Trump held a meeting with Vladimir Putin.", ("Donald Trump", "consult", "Vladimir Putin")),
        # the actor after resolution: "he" is the last person named as a subject
        ("Barack Obama met Angela Merkel in Berlin. He criticised Putin.", ("Barack Obama", "accuse", "Putin")),
    ],
)
def test_construction(sentence, expected):
    assert expected in _interactions(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the aim of a conflict is the actor owning what is hit or condemned
        ("A U.S. strike hit two al-Qaida vehicles.", ("United States", "assault", "al-Qaida")),
        # "its" on an event noun: the clause's subject, in either voice
        ("The EU is united in its condemnation of Assad's brutal policies.", ("EU", "accuse", "Assad")),
        # "in support of": the event of the clause's subject
        (
            "British forces conducted strikes in support of the government of Iraq.",
            ("United Kingdom", "support", "Iraq"),
        ),
        # a gerund after a preposition takes the clause's subject ("committed to carrying out")
        (
            "Al-Qaida remains committed to carrying out attacks against the United States.",
            ("Al-Qaida", "assault", "United States"),
        ),
        (
            "After meeting with Vladimir Putin, Donald Trump said he trusted him.",
            ("Donald Trump", "consult", "Vladimir Putin"),
        ),
        # "claimed responsibility for" an event: the claimant did it
        (
            "The Taliban claimed responsibility for the attack on the Afghan army.",
            ("Taliban", "assault", "Afghanistan"),
        ),
        # a noun of undertaking with its infinitive: the owner, or the subject of the clause it is the "in" of
        ("The ceremony underscores U.S. efforts to help Iraq.", ("United States", "aid", "Iraq")),
        (
            "In the campaign to defeat ISIL, the Syrian Democratic Forces have begun a new phase.",
            ("Syrian Democratic Forces", "assault", "ISIL"),
        ),
        # the people or civilians of a country act for it (Phoenix's civilian sector)
        ("The United States stands with the people of Syria.", ("United States", "support", "Syria")),
        # "for" an event after a verb of going: the traveller's event
        ("Barack Obama headed to Moscow for talks with Vladimir Putin.", ("Barack Obama", "consult", "Vladimir Putin")),
        # "between" on the participle of an event noun
        (
            "I welcome the agreement reached yesterday between Iraq and the Kurdistan Regional Government.",
            ("Iraq", "support", "Kurdistan Regional Government"),
        ),
        # a relative clause on an event noun: the noun's owner acts
        ("The United States condemned ISIL's attacks, which targeted Syrian civilians.", ("ISIL", "assault", "Syria")),
        # a title acts for its country and for the person in apposition to it
        (
            "Julie Bishop met with the Minister of Foreign Affairs of Iraq, Ibrahim al-Jaafari.",
            ("Julie Bishop", "consult", "Iraq"),
        ),
        (
            "Julie Bishop met with the Minister of Foreign Affairs of Iraq, Ibrahim al-Jaafari.",
            ("Julie Bishop", "consult", "Ibrahim al-Jaafari"),
        ),
        # the object of a verb of aid does what it is helped to do
        ("The United States helped Iraq to defeat ISIL.", ("Iraq", "assault", "ISIL")),
        # a list the parser read as an apposition ("The UK, the Coalition and Iraq ..."), and the active conjunct
        # of a passive verb takes its subject
        (
            "The UK, the Global Coalition and the Government of Iraq are committed to defeating terrorism.",
            ("Global Coalition", "cooperate", "Government of Iraq"),
        ),
        ("Iran was criticised by Israel and has supported Hezbollah.", ("Iran", "support", "Hezbollah")),
        # co-subjects of a material event act together
        ("Russia and Iran attacked Syria.", ("Russia", "cooperate", "Iran")),
        # a passive that happened in a conflict event: the event's "by" did it, or its owner
        ("Bin Laden was killed in a 2011 raid by the United States.", ("United States", "assault", "Bin Laden")),
        ("Qasem Soleimani was killed in a United States airstrike.", ("United States", "assault", "Qasem Soleimani")),
        # what is taken "from" someone: a material conflict with them
        ("Syrian troops seized the airport from ISIL fighters.", ("Syria", "coerce", "ISIL")),
    ],
)
def test_construction_read_for_re3d(sentence, expected):
    assert expected in _interactions(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Caloundra defeated Wynnum 24-12 on Saturday.",  # a score
        "Joe Biden led Donald Trump in the polls.",  # a contest noun
        "Joe Biden defeated Donald Trump.",  # one person prevailing over another
        "Justin Trudeau heads the Liberal Party.",  # leadership, a typed relation
        "Maria Lopez came to America in 1990.",  # a journey to a country
        "Iran is a threat to Israel.",  # a description, no threat made
    ],
)
def test_a_verb_of_the_lexicon_in_a_sense_that_is_no_event(sentence):
    assert not _interactions(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Armenia and Azerbaijan fought a war over Nagorno-Karabakh in 1994.",  # a war waged on each other
        "Brock Pierce and Brian Carroll endorsed charter schools.",  # endorsing a policy together is no act
    ],
)
def test_co_subjects_that_do_not_act_together(sentence):
    assert not [r for r in _interactions(sentence) if r[1] == "cooperate"]


def test_interactions_carry_the_confidence_models_probability():
    from kg.extraction import article_context
    from kg.extraction.rules import interaction_pairs
    from kg.model import Article
    from kg.nlp import parse

    text = "Donald Trump met with Vladimir Putin."
    result = extract(text)
    (meeting,) = [r for r in result.relations if r.relation == "consult"]
    ((article, doc),) = parse([Article(id="a", text=text)])
    ctx, _, _ = article_context(article, doc)
    values = interaction_pairs.relation_pair_features(ctx, meeting)
    assert values is not None and values["method=verb"] == 1.0 and values["path_trigger_is_head"] == 1.0
    assert meeting.confidence == plover.confidence(values)


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Donald Trump met with Vladimir Putin.", "meet with"),  # the verb with its preposition
        ("Russia held talks with Turkey.", "talk with"),  # an event noun on the path
    ],
)
def test_the_trigger_on_the_dependency_path_between_two_actors(sentence, trigger):
    from kg.extraction import article_context
    from kg.extraction.rules import interaction_pairs
    from kg.model import Article
    from kg.nlp import parse

    ((article, doc),) = parse([Article(id="a", text=sentence)])
    ctx, _, _ = article_context(article, doc)
    first, second = ctx.spans[0].span.root, ctx.spans[1].span.root
    up, down = interaction_pairs.path(first, second)
    found = interaction_pairs.trigger_of(up + down)
    assert found is not None and found[2] == trigger


def test_a_reported_event_gives_the_attribution_and_the_event():
    found = _relations("Angela Merkel said Russia had attacked Ukraine.")
    assert ("Russia", "assault", "Ukraine") in found
    assert ("Angela Merkel", "said_about", "Russia") in found


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Daniel Montalvo traveled to Florida to meet with Paul Devocht.",
            ("Daniel Montalvo", "consult", "Paul Devocht"),
        ),
        (
            "Mario Lugli, Anna Beghe and John Rathbun were helping Daniel Montalvo.",
            ("Anna Beghe", "aid", "Daniel Montalvo"),
        ),
        (
            "Mario Lugli, Anna Beghe and John Rathbun were helping Daniel Montalvo.",
            ("John Rathbun", "aid", "Daniel Montalvo"),
        ),
        ("The UN and US have both criticised Malaysia.", ("UN", "accuse", "Malaysia")),
        ("The UN and US have both criticised Malaysia.", ("United States", "accuse", "Malaysia")),
        # "urge the governments of the region": the governments act for their countries
        ("Ban Ki-moon will urge the governments of Syria and Iraq to act.", ("Ban Ki-moon", "request", "Syria")),
        ("Ban Ki-moon will urge the governments of Syria and Iraq to act.", ("Ban Ki-moon", "request", "Iraq")),
        # "their countries should cooperate": the two countries of the officials, together (CAMEO 050, SUPPORT)
        (
            "Senior Hungarian and Romanian officials agreed on Wednesday that their countries should cooperate.",
            ("Hungary", "support", "Romania"),
        ),
    ],
)
def test_sentences_quoted_in_the_issue(sentence, expected):
    assert expected in _interactions(sentence)


def test_agent_words_act_for_their_country_and_are_kept_on_the_relation():
    result = extract("Russian forces attacked Ukrainian troops. The Iranian government accused the Assad regime.")
    labels = {e.id: e.label for e in result.entities}
    found = {(labels[r.source], r.relation, labels[r.target]): r for r in result.relations if r.kind == INTERACTION}
    assault = found[("Russia", "assault", "Ukraine")]
    assert (assault.source_group, assault.target_group) == ("forces", "troops")
    accusation = found[("Iran", "accuse", "Assad")]
    assert (accusation.source_group, accusation.target_group) == ("government", "regime")


def test_a_negated_event_is_kept_as_negated():
    assert ("Russia", "assault", "Ukraine") in _interactions("Russia did not attack Ukraine.", negated=True)
    assert ("Russia", "assault", "Ukraine") not in _interactions("Russia did not attack Ukraine.")


def test_an_event_asked_for_is_not_stated():
    found = _interactions("Barack Obama urged Iran to negotiate with Israel.")
    assert ("Barack Obama", "request", "Iran") in found
    assert not {r for r in found if r[0] == "Iran"}


def test_joining_is_membership_and_a_passive_list_does_nothing_together():
    found = _relations("Montenegro joined NATO.")
    assert ("Montenegro", "member_of", "NATO") in found and ("Montenegro", "consult", "NATO") not in found
    found = _interactions("The coalition was joined by Australia, Bahrain and the United Kingdom.")
    assert ("Bahrain", "consult", "United Kingdom") not in found


@pytest.mark.parametrize(
    ("sentence", "expected", "unexpected"),
    [
        # a cooperation "against" someone is not aimed at them
        (
            "In 2015, Saudi Arabia started supporting the government of Abdrabbuh Mansur Hadi against the Houthis.",
            ("Saudi Arabia", "support", "Abdrabbuh Mansur Hadi"),
            ("Saudi Arabia", "support", "Houthis"),
        ),
        # "talks on Syria" are about Syria, not with it
        (
            "The talks on Syria between Iran and Turkey ended.",
            ("Iran", "consult", "Turkey"),
            ("Iran", "consult", "Syria"),
        ),
        # an attack "for" or "as" something is verbal: an accusation
        ("Donald Trump blasted Joe Biden as a career politician.", ("Donald Trump", "accuse", "Joe Biden"), None),
    ],
)
def test_the_preposition_says_what_an_event_is_aimed_at(sentence, expected, unexpected):
    found = _interactions(sentence)
    assert expected in found and unexpected not in found


def test_a_passive_without_its_agent_has_no_actor_and_a_negated_light_verb_negates_its_noun():
    assert not _interactions("As of September 30, Armenia claimed 790 Azerbaijani soldiers had been killed.")
    sentence = "President Donald Trump and the Congress could not reach an agreement about the budget."
    assert ("Donald Trump", "support", "Congress") in _interactions(sentence, negated=True)
    assert ("Donald Trump", "support", "Congress") not in _interactions(sentence)


def test_an_intended_event_is_agree_and_a_persons_attack_on_a_person_is_verbal():
    found = _interactions("Barack Obama was planning to visit Angela Merkel in Berlin.")
    assert ("Barack Obama", "agree", "Angela Merkel") in found
    assert ("Barack Obama", "consult", "Angela Merkel") not in found
    found = _interactions("Joe Biden attacked Donald Trump on taxes.")
    assert ("Joe Biden", "accuse", "Donald Trump") in found and ("Joe Biden", "assault", "Donald Trump") not in found


def test_a_refusal_is_reject_not_the_event_refused():
    found = _interactions("Iran refused to meet the United States.")
    assert ("Iran", "reject", "United States") in found
    assert ("Iran", "consult", "United States") not in found


def test_every_interaction_noun_names_a_verb_of_the_derived_table():
    missing = {noun: verb for noun, verb in lexicon.INTERACTION_NOUNS.items() if plover.verb_category(verb) is None}
    assert not missing


def test_every_plover_category_is_an_interaction_relation_and_old_names_migrate_to_one():
    assert {name for name, (kind, *_) in SIGNATURES.items() if kind == INTERACTION} == set(plover.CATEGORIES)
    assert set(lexicon.MIGRATED_INTERACTIONS.values()) <= set(plover.CATEGORIES)


def test_a_negated_event_is_an_edge_of_its_own_described_but_not_asserted_in_rdf():
    import rdflib

    from kg.graph import build_graph
    from kg.rdf import KGV, to_rdf

    G = build_graph([extract("Russia attacked Ukraine on Monday. Russia did not attack Ukraine on Tuesday.")])
    (russia,) = [n for n, d in G.nodes(data=True) if d["label"] == "Russia"]
    (ukraine,) = [n for n, d in G.nodes(data=True) if d["label"] == "Ukraine"]
    assert G.edges[russia, ukraine, "assault"]["weight"] == 1
    negated = G.edges[russia, ukraine, "not_assault"]
    assert negated["relation"] == "assault" and negated["negated"] and negated["evidence"][0]["negated"]
    R = to_rdf(build_graph([extract("Russia did not attack Ukraine.")]))
    assert not list(R.triples((None, KGV.assault, None)))
    (statement,) = R.subjects(rdflib.RDF.predicate, KGV.assault)
    assert R.value(statement, KGV.negated).toPython() is True


def test_the_group_words_reach_the_evidence_and_the_cache():
    from kg.cache import from_json, to_json
    from kg.graph import build_graph

    result = extract("Russian forces attacked Ukrainian troops.")
    assert from_json(to_json(result)).relations == result.relations
    G = build_graph([result])
    evidence = [e for *_, d in G.edges(data=True) if d["relation"] == "assault" for e in d["evidence"]]
    assert (evidence[0]["source_group"], evidence[0]["target_group"]) == ("forces", "troops")


@pytest.mark.parametrize(
    "sentence",
    [
        "Boris Johnson wants to leave the European Union.",  # departure: no consultation
        "Robert Mugabe ruled Zimbabwe for 37 years.",  # ruling: leadership, no cooperation
        "NASA mourned Alexei Leonov.",  # mourning: no accusation
        "Jacques Chirac sought a more federal European Union.",  # seeking a thing: no intent to cooperate
    ],
)
def test_block_coded_verbs_that_state_no_event(sentence):
    assert not _interactions(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russia attacked Ukraine.", ("Russia", "Ukraine", "assault")),  # subject side first
        ("Ukraine was attacked by Russia.", ("Russia", "Ukraine", "assault")),  # the agent is on the subject side
    ],
)
def test_the_pair_detector_proposes_the_trigger_between_two_actors(sentence, expected):
    from kg.extraction import article_context
    from kg.extraction.rules import interaction_pairs
    from kg.model import Article
    from kg.nlp import parse

    ((article, doc),) = parse([Article(id="a", text=sentence)])
    ctx, _, _ = article_context(article, doc)
    found = {
        (ctx.spans[s].text, ctx.spans[t].text, category)
        for s, t, category, _, _ in interaction_pairs.candidates(ctx, stated=set())
    }
    assert found == {expected}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # subject and object of the trigger
        ("Russia attacked Ukraine.", {"source_subject": 1.0, "target_object": 1.0, "target_agent": 0.0}),
        # the object of a preposition of the trigger
        ("Donald Trump met with Vladimir Putin.", {"source_subject": 1.0, "target_object": 1.0}),
        # a passive read in the order of the text: the second name is the doer ("by")
        ("Ukraine was attacked by Russia.", {"source_subject": 0.0, "target_object": 0.0, "target_agent": 1.0}),
        # a name that modifies the noun which acts, and a place where it happened: neither fills a role
        ("A United States Senator criticized Iran in Paris.", {"source_subject": 0.0, "source_modifier": 1.0}),
    ],
)
def test_the_features_say_which_roles_of_the_trigger_the_two_names_fill(sentence, expected):
    from kg.extraction import article_context
    from kg.extraction.rules import interaction_pairs
    from kg.model import Article
    from kg.nlp import parse

    ((article, doc),) = parse([Article(id="a", text=sentence)])
    ctx, _, _ = article_context(article, doc)
    up, down = interaction_pairs.path(ctx.spans[0].span.root, ctx.spans[1].span.root)
    found = interaction_pairs.trigger_of(up + down)
    assert found is not None
    values = interaction_pairs.pair_features(ctx, 0, 1, method="verb", category=found[1], trigger=found[2])
    assert {name: values[name] for name in expected} == expected


def test_a_place_where_it_happened_is_no_target_of_the_act():
    from kg.extraction import article_context
    from kg.extraction.rules import interaction_pairs
    from kg.model import Article
    from kg.nlp import parse

    ((article, doc),) = parse([Article(id="a", text="The PKK is banned in Turkey.")])
    ctx, _, _ = article_context(article, doc)
    values = interaction_pairs.pair_features(ctx, 0, 1, method="pair_model", category="coerce", trigger="ban")
    assert values["target_place_pobj"] == 1.0


def test_the_judged_wikinews_rows_name_articles_of_the_first_half_only():
    import os

    from kg.ingest import read_articles
    from kg.training import interactions

    folder = interactions.DEFAULT_WIKINEWS
    names = sorted(os.listdir(folder))
    first = {a.id for a in read_articles([folder / n for n in names[: len(names) // 2]])}
    judged = interactions.judged(interactions.WIKINEWS_FILE)
    assert judged and {article for article, *_ in judged} <= first
    assert set(judged.values()) == {True, False}
