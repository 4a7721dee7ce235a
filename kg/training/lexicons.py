"""Deriving kg's event lexicons from the dictionaries of the event-data field (``kg train lexicons``).

Reads, from a copy of the Open Event Data Alliance's files (``../shared/data/event_lexicons``):

- ``CAMEO.2.0.txt``, PETRARCH2's verb dictionary (MIT): each verb and multi-word verb ("+MEET_WITH",
  "+CRACK_DOWN") with its CAMEO code (its own, else its block's), and the block patterns that are a bare
  preposition after the verb (``- * (ON) [020] # CALL``: "call on"), which give the phrasal verbs;
- ``CAMEO2PLOVER-2021.txt`` (CC BY-SA 4.0): CAMEO code -> PLOVER category (the longest listed prefix of the code);
- ``Phoenix.agents.txt`` (MIT): the one-word agents ("government", "troops", "police", "regime") of the state's
  sectors (government, military, police, legislature, intelligence) and of armed groups, which stand for their
  country or group.

and writes two tab-separated tables into ``kg/data`` (``plover_verbs.tsv``: words, PLOVER category, CAMEO code;
``plover_agents.tsv``: agent word, Phoenix sector code), each headed by the notices of the files it comes from.
The output is plain sorted text: the same files always give the same tables, byte for byte.

Where kg departs from the files (each documented in ``KG_CHOICES``): CAMEO's 02 APPEAL ("call on", "appeal to"),
which PLOVER drops, is REQUEST in kg (an appeal is a request made softly); a few verbs the dictionary lacks are
added with the code CAMEO gives their synonyms.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import InputError

DEFAULT_SOURCE = Path("../shared/data/event_lexicons")
DEFAULT_OUT = Path(__file__).parents[1] / "data"
VERBS_FILE = "plover_verbs.tsv"
AGENTS_FILE = "plover_agents.tsv"

#: the 16 PLOVER categories kg states (PLOVER 2021; its INVESTIGATE is part of ACCUSE there)
CATEGORIES = (
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION "
    "MOBILIZE COERCE ASSAULT"
).split()

#: CAMEO roots PLOVER drops that kg keeps, with the category kg gives them
KG_CATEGORY_OF_DROPPED_ROOTS = {"02": "REQUEST"}  # APPEAL ("call on", "urge"): a request made softly

#: Verbs missing from CAMEO.2.0.txt, with the CAMEO code of the dictionary's entry for their closest synonym
KG_CHOICES = {
    "urge": "020",  # as APPEAL / "call on"
    "reject": "120",  # REFUSE's block is coded only through its patterns ("reject the proposal": 120)
    "refuse": "120",
    "slam": "111",  # as CRITICIZE
    "sanction": "163",  # as "impose sanctions"
    "talk with": "040",  # as CONFER / "meet with"
    "talk to": "040",
    "speak with": "040",
    "work with": "060",  # as COOPERATE
    "side with": "050",  # as SUPPORT
    "stand with": "050",
}

#: Phoenix agent sectors that act for the country or group named with them: government, military, police,
#: legislature, intelligence, and the armed groups (rebels, insurgents: "ISIL fighters"); not JUD, whose words
#: are mostly lawyers and advocates, nor civilians, refugees or businesses
STATE_SECTORS = ("GOV", "MIL", "COP", "LEG", "SPY", "REB", "UAF")

#: Agent words kg adds: the group nouns of news that Phoenix.agents.txt lacks
KG_AGENTS = {
    "official": "GOV",
    "force": "MIL",
    "leadership": "GOV",
    "delegation": "GOV",
    "ministry": "GOV",
}

_NOTICE_PETRARCH = (
    "# Derived from PETRARCH2's dictionaries (github.com/openeventdata/petrarch2 @ 676801cd), "
    "Copyright (c) 2015 Open Event Data Alliance, MIT License"
)
_NOTICE_PLOVER = (
    "# and the CAMEO -> PLOVER table CAMEO2PLOVER-2021.txt (github.com/openeventdata/PLOVER @ 5e0c24fb), "
    "CC BY-SA 4.0: this table is shared under the same licence."
)

_CODE = re.compile(r"\[([^\]]*)\]")


def plover_table(path: Path) -> dict[str, str]:
    """CAMEO code -> PLOVER category, as listed in CAMEO2PLOVER-2021.txt."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d+):\s*([A-Z]+)", line)
        if match:
            table.setdefault(match.group(1), match.group(2))
    return table


def category_of(code: str, table: dict[str, str]) -> str | None:
    """The PLOVER category of a CAMEO code (that of its longest listed prefix), or None when PLOVER drops it."""
    for end in range(len(code), 1, -1):
        if code[:end] in table:
            category = table[code[:end]]
            return category if category in CATEGORIES else None
    return KG_CATEGORY_OF_DROPPED_ROOTS.get(code[:2])


def _primary_code(text: str) -> str | None:
    """The event code of a "[...]" field: the part before ":", or None for the null code "---"."""
    code = text.split(":")[0].strip()
    return code if code.isdigit() else None


def _verb_words(entry: str) -> str | None:
    """kg's key for a dictionary verb: "MEET" -> "meet", "+MEET_WITH" -> "meet with"; None for verbs whose
    extra words come first ("WIRE_+TAP"), which parsers do not split reliably."""
    if "_" in entry and not entry.startswith("+"):
        return None
    words = entry.lstrip("+").lower().split("_")
    return " ".join(w for w in words if w) or None


def verb_codes(path: Path) -> dict[str, str]:
    """Verb words -> CAMEO code from PETRARCH2's verb dictionary (the first entry of a word wins)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("####### VERB PATTERNS"))
    except StopIteration:
        raise InputError(f"{path} has no '####### VERB PATTERNS' section: is it PETRARCH2's CAMEO.2.0.txt?") from None
    codes: dict[str, str] = {}
    block_code: str | None = None
    block_verbs: list[str] = []
    for raw in lines[start + 1 :]:
        line = raw.split("#")[0].strip()
        if not line or line.startswith("~"):
            continue
        if line.startswith("---"):  # "---  MEET_PEOPLE   [040]  ---": a new block
            found = _CODE.search(line)
            block_code, block_verbs = (_primary_code(found.group(1)) if found else None), []
        elif line.startswith("-"):  # a pattern: only "verb (PREPOSITION)" is kept, as a phrasal verb
            match = re.fullmatch(r"-\s*\*\s*\(([A-Z]+)\)\s*\[([^\]]*)\]", line)
            code = _primary_code(match.group(2)) if match else None
            if match is None or code is None:
                continue
            comment = raw.partition("#")[2].split()
            named = comment[0].lower() if comment else ""  # the verb of the block the pattern was written for
            for verb in [named] if named in block_verbs else block_verbs:
                codes.setdefault(f"{verb} {match.group(1).lower()}", code)
        else:  # a verb: "MEET {MEETS MET MEETING} [040]"
            entry = line.split()[0]
            words = _verb_words(entry)
            if words is None:
                continue
            own = _CODE.search(line.split("}")[-1])
            code = _primary_code(own.group(1)) if own else block_code
            if " " not in words:
                block_verbs.append(words)
            if code is not None:
                codes.setdefault(words, code)
    return codes


def verb_table(source: Path) -> list[tuple[str, str, str]]:
    """(verb words, PLOVER category, CAMEO code) for every dictionary verb whose code PLOVER keeps, sorted."""
    table = plover_table(source / "CAMEO2PLOVER-2021.txt")
    codes = {**verb_codes(source / "CAMEO.2.0.txt")}
    for words, code in KG_CHOICES.items():
        codes.setdefault(words, code)
    rows = []
    for words, code in codes.items():
        category = category_of(code, table)
        if category is not None:
            rows.append((words, category.lower(), code))
    return sorted(rows)


def agent_table(source: Path) -> list[tuple[str, str]]:
    """(agent word, sector) for Phoenix's one-word agents of the state's sectors and their plurals, sorted."""
    path = source / "Phoenix.agents.txt"
    agents: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].strip()
        match = re.fullmatch(r"([A-Z][A-Z'-]*)\s*(\{([^}]*)\})?\s*\[~([A-Z]+)\]", line)
        if not match or match.group(4) not in STATE_SECTORS:
            continue
        word, plurals, sector = match.group(1).lower(), match.group(3), match.group(4)
        forms = [word] + ([p.lower() for p in plurals.split()] if plurals else [_plural(word)])
        for form in forms:
            agents.setdefault(form, sector)
    for word, sector in KG_AGENTS.items():
        for form in (word, _plural(word)):
            agents.setdefault(form, sector)
    return sorted(agents.items())


def _plural(word: str) -> str:
    """PETRARCH's regular plural: +S, Y -> IES, SS -> SSES."""
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith("ss") else "s")


def render(source: Path) -> dict[str, str]:
    """The text of each derived table, by file name."""
    if not (source / "CAMEO.2.0.txt").is_file():
        raise InputError(
            f"{source} has no CAMEO.2.0.txt: pass the folder of the event lexicons, e.g. ../shared/data/event_lexicons."
        )
    licence = "".join(f"# {line}".rstrip() + "\n" for line in (source / "LICENSE.petrarch2").read_text().splitlines())
    verbs = "\n".join(f"{w}\t{c}\t{code}" for w, c, code in verb_table(source))
    agents = "\n".join(f"{w}\t{s}" for w, s in agent_table(source))
    sectors = f"# Phoenix.agents.txt, sectors {' '.join(STATE_SECTORS)}\n"
    return {
        VERBS_FILE: f"{_NOTICE_PETRARCH}\n{_NOTICE_PLOVER}\n{licence}# words\tplover\tcameo\n{verbs}\n",
        AGENTS_FILE: f"{_NOTICE_PETRARCH}\n{licence}{sectors}# word\tsector\n{agents}\n",
    }


def write_tables(source: str | Path = DEFAULT_SOURCE, *, out: str | Path = DEFAULT_OUT) -> dict:
    """Write the derived tables into ``out``; a summary of what was written."""
    texts = render(Path(source))
    for name, text in texts.items():
        (Path(out) / name).write_text(text, encoding="utf-8")
    return {name: sum(not line.startswith("#") for line in text.splitlines()) for name, text in texts.items()}
