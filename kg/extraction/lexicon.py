"""The words the extraction rules look for: titles, government portfolios, and the verbs and nouns that state
relations, each mapped to kg's relation names. All vocabulary sits here so rules stay readable and the set can
be changed in one place.

Interactions (kind ``interaction``) are PLOVER event categories, found through the verb table kg derives from
PETRARCH2's dictionaries (:mod:`kg.extraction.plover`); this module holds the few words the rules read besides
that table: the nouns that name an event (mapped to the verb they nominalise, whose category they take), the
verbs whose object does what they ask (control), the light verbs of "held talks with", and kg's old interaction
names with the PLOVER category each became (``MIGRATED_INTERACTIONS``).
"""

from __future__ import annotations

#: Titles that make their holder the leader of the country, place or organisation named with them.
LEADER_TITLES = frozenset(
    """president prime premier chancellor king queen emperor empress monarch sultan emir shah leader dictator
    governor mayor chairman chairwoman chairperson chair ceo head founder pope ayatollah taoiseach
    secretary-general""".split()
)

#: Titles that make their holder work for the organisation or country named with them.
WORK_TITLES = frozenset(
    """secretary minister ambassador envoy spokesman spokeswoman spokesperson official officer diplomat senator
    congressman congresswoman representative lawmaker legislator deputy adviser advisor aide director manager
    executive employee staff worker commander general admiral colonel captain lieutenant sergeant soldier chief
    correspondent reporter journalist editor analyst economist researcher scientist professor lecturer
    lawyer attorney prosecutor judge justice coach player striker goalkeeper member agent negotiator inspector
    commissioner administrator president-elect vice-president vice treasurer auditor consul""".split()
)

TITLES = LEADER_TITLES | WORK_TITLES

#: Courtesy titles stripped from the start of a person's name.
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady prof prof. rev rev. st. saint".split())

#: Titles that belong to the extent of a person's mention ("President Kennedy", "Mr. Smith"), as in the ACE and
#: CoNLL04 annotation: the mention's offsets cover them, the entity's name never includes them.
MENTION_TITLES = frozenset("mr mr. mrs mrs. ms ms. miss rev rev. lord lady sir dame president".split())

#: Government portfolios: in "Secretary of State", "State" is part of the title, not an organisation.
PORTFOLIOS = frozenset(
    """state defense defence justice health education energy interior treasury commerce labor labour
    agriculture transportation transport finance trade housing veterans foreign affairs home homeland security
    environment culture war navy""".split()
)

#: Verb + particle or preposition -> typed relation ("work for", "work at"); interactions are in the PLOVER table.
PHRASAL_VERBS = {
    ("work", "for"): "works_for",
    ("work", "at"): "works_for",
}

#: kg's interaction names before PLOVER -> the PLOVER category each became (README, "Interactions").
MIGRATED_INTERACTIONS = {
    "meets": "consult",
    "supports": "support",
    "opposes": "reject",
    "criticises": "accuse",
    "attacks": "assault",
    "cooperates": "cooperate",
    "urges": "request",
}

#: Nouns that name an event -> the verb (a key of the PLOVER verb table) whose category they take
#: ("Trump's meeting with Putin", "the main backer of Assad", "Russia's attack on Ukraine").
INTERACTION_NOUNS = {
    **dict.fromkeys("meeting meetings summit encounter".split(), "meet"),
    **dict.fromkeys("talks negotiations".split(), "talk with"),
    **dict.fromkeys("visit visits".split(), "visit"),
    **dict.fromkeys("backer backers backing patron sponsor".split(), "back"),
    **dict.fromkeys("supporter supporters support".split(), "support"),
    **dict.fromkeys("ally allies alliance".split(), "ally"),
    **dict.fromkeys("opponent opponents opposition".split(), "oppose"),
    **dict.fromkeys("sanction sanctions".split(), "sanction"),
    "criticism": "criticise",
    "condemnation": "condemn",
    **dict.fromkeys("accusation accusations".split(), "accuse"),
    **dict.fromkeys("attack attacks offensive assault".split(), "attack"),
    **dict.fromkeys("fight fighting war battle".split(), "fight"),
    **dict.fromkeys("strike strikes airstrike airstrikes".split(), "strike"),
    **dict.fromkeys("invasion invasions".split(), "invade"),
    **dict.fromkeys("raid raids".split(), "raid"),
    **dict.fromkeys("bombing bombings bombardment".split(), "bomb"),
    "crackdown": "crack down",
    **dict.fromkeys("threat threats".split(), "threaten"),
    "cooperation": "cooperate",
    **dict.fromkeys("partnership partner partners".split(), "work with"),
    **dict.fromkeys("agreement deal".split(), "agree"),
    "aid": "aid",
    "help": "help",
    "protest": "protest",
}

#: Verbs whose object is the subject of the verb after them ("urged Iran to talk", "called on Russia to work"):
#: object control. After any other verb the subject does both ("agreed to cooperate", "traveled to meet with").
OBJECT_CONTROL_VERBS = frozenset("urge press call ask persuade encourage force invite order tell push".split())

#: Verbs that hold the event their object names, with their subject as its actor ("held talks with Putin").
LIGHT_VERBS = frozenset(
    "hold have attend launch conduct carry sign reach impose host stage begin join wage lead continue".split()
)

#: Prepositions after which a verb's own category applies to the object ("met with", "fought against").
INTERACTION_PREPOSITIONS = frozenset("with against on upon".split())

#: Verbs whose subject killed their object.
KILL_VERBS = frozenset("kill murder assassinate slay execute behead shoot stab strangle poison".split())
#: Nouns naming a killer ("Kennedy's assassin"), or a killing ("the assassination of Kennedy by Oswald").
KILLER_NOUNS = frozenset("killer assassin murderer".split())
KILLING_NOUNS = frozenset("killing murder assassination slaying execution shooting".split())

#: Verbs of saying: the subject is the speaker, the clausal complement is what was said.
SAY_VERBS = frozenset(
    """say tell add state announce claim declare insist warn deny report write note explain argue confirm
    reveal suggest stress acknowledge admit allege assert contend predict promise reply respond testify
    tweet""".split()
)

#: Verbs and phrases that place a person somewhere ("lives in", "was born in").
RESIDENCE_VERBS = frozenset("live reside bear grow raise settle stay".split())
#: Verbs after which the subject is a member of the object ("joined NATO").
MEMBERSHIP_VERBS = frozenset("join".split())
#: Nouns for where a person lives or comes from ("Richardson's hometown").
HOME_NOUNS = frozenset("home hometown birthplace".split())
#: Verbs (participles) placing an organisation ("based in", "headquartered in").
BASED_VERBS = frozenset("base headquarter locate".split())

#: Nouns for a place that lies in another ("Sarajevo, the capital of Bosnia", "Bosnia's capital, Sarajevo").
PLACE_NOUNS = frozenset(
    """capital city town village suburb district county province region state port island neighbourhood
    neighborhood area municipality""".split()
)
#: Words that place a place in part of another ("Mohammadia, south-east Algeria", "in central Idaho").
DIRECTIONS = frozenset(
    """north south east west northern southern eastern western central northeast northwest southeast southwest
    north-east north-west south-east south-west northeastern northwestern southeastern southwestern upstate
    downstate""".split()
)
#: Nouns for the part of a place ("in the southeastern part of Rwanda", "in the north of Syria").
PART_NOUNS = frozenset("part parts region area outskirts north south east west centre center heart".split())
#: Nouns for an organisation, placed by a name before them ("Vyasna, a Belarusian human rights centre").
ORGANISATION_NOUNS = frozenset(
    """company firm group organisation organization party band agency bank university college school newspaper
    broadcaster network centre center institute charity club team carrier airline maker manufacturer producer
    retailer chain publisher union association foundation ministry department""".split()
)
#: Nouns for the seat of an organisation ("at NRC headquarters in Rockville", "Apple's head office in Cupertino").
SEAT_NOUNS = frozenset("headquarters office offices base".split())

#: Nouns that stand for the entity they belong to ("Assad's regime", "Russian forces", "the Trump administration"),
#: in every rule; interactions also read Phoenix's agent words (:func:`kg.extraction.plover.agent_sector`).
PROXY_NOUNS = frozenset(
    """regime government administration forces troops army military navy authorities officials leadership
    cabinet ministry embassy delegation side camp""".split()
)

#: Prepositions and phrases that join a second entity to a subject as "and" does ("Russia, along with Iran").
COORDINATING_PREPOSITIONS = frozenset({("along", "with"), ("together", "with"), ("as", "well", "as")})

#: Month names and their abbreviations, as datelines write them ("Sofia, February 15", "Knin, 12 Feb").
MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
