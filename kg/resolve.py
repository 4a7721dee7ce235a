"""Mentions -> canonical entities: one entity per real-world thing, with a deterministic id.

Within an article, a surname or first name takes the type of the full name it belongs to ("Klobuchar" after "Amy
Klobuchar" is a person, whatever the recogniser said) and joins it ("Tillerson" -> "Rex Tillerson", "Assad" ->
"Bashar al-Assad"); two spellings of one name join ("Kristin" / "Kristen Wilkins"); an acronym joins its long form
when both occur ("UN" / "United Nations", "KSC" / "Kennedy Space Center"), a short form of an organisation its
full name ("the House" / "House of Representatives", "Senate" / "U.S. Senate"), and every spelling of a country
joins the country of the dataset ("U.S.", "US", "America" -> "United States"). A name, or a group of names
joined so, tagged with different types takes the type it has most often. Across articles, entities with the
same id are the same node; :func:`consolidate` then joins a lone surname, acronym or short form to the one full
name it can only mean, a place and an organisation of the same name, and spelling variants of a long name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from kg import countries
from kg.ids import entity_id
from kg.model import Entity, Mention

_NAME_SPLIT = re.compile(r"[\s\-‐–]+")
_ACRONYM_STOPWORDS = frozenset("of the for and on in de du la le des del da di at to".split())
_TYPE_PREFERENCE = {"Person": 0, "Organisation": 1, "Place": 2, "Country": 3}


def resolve_article(mentions: Sequence[Mention], article_id: str) -> tuple[list[Entity], list[str]]:
    """Group an article's mentions into entities.

    Returns the entities (sorted by id) and, for each mention in order, the id of its entity.

    >>> ms = [Mention("Rex Tillerson", "Person", 0, 13, 0), Mention("Tillerson", "Person", 20, 29, 1)]
    >>> entities, ids = resolve_article(ms, "a1")
    >>> [e.label for e in entities], ids
    (['Rex Tillerson'], ['person:rex-tillerson', 'person:rex-tillerson'])
    """
    mentions = _partial_names_as_people(mentions)
    voted = _vote_types(mentions)
    kinds: list[str] = []
    labels: list[str] = [""] * len(mentions)
    codes: dict[int, str] = {}
    for index, mention in enumerate(mentions):
        mention_type = voted[_key(mention.text)] if mention.type != "Country" else "Country"
        if mention_type == "Country":
            country = _country(mention.text)
            if country is None:  # a demonym or capital that the dataset does not know after all
                mention_type = "Place"
            else:
                labels[index], codes[index] = country.name, country.code
        kinds.append(mention_type)
    people = [i for i, kind in enumerate(kinds) if kind == "Person"]
    for index in people:
        labels[index] = mentions[index].text
    _join_person_names(mentions, people, labels)
    _join_spelling_variants(people, labels)
    others = [i for i, kind in enumerate(kinds) if kind in ("Organisation", "Place")]
    for index in others:
        labels[index] = mentions[index].text
    _join_organisation_forms(others, kinds, labels)
    _vote_group_types(others, kinds, labels, [m.text for m in mentions])

    entities: dict[str, Entity] = {}
    ids = []
    for index, mention in enumerate(mentions):
        mention_type, label = kinds[index], labels[index]
        key = entity_id(mention_type, label)
        entity = entities.setdefault(key, Entity(id=key, label=label, type=mention_type, country_code=codes.get(index)))
        entity.mentions += 1
        entity.articles.add(article_id)
        if _is_name(mention, mention_type):
            entity.aliases.add(mention.text)
        ids.append(key)
    return [entities[key] for key in sorted(entities)], ids


def _partial_names_as_people(mentions: Sequence[Mention]) -> list[Mention]:
    """A name that is the end of a person's name in the same article (a surname) is that person when tagged as an
    organisation; tagged as a place after the full name, so is its end or its first word ("Klobuchar" or "Amy"
    after "Amy Klobuchar"). Countries and capitals keep their type ("Jordan" after "Michael Jordan"); a company
    named like a person's first name keeps it ("Lockheed" after "Lockheed Martin" read as a person). The place of
    an epithet is no surname ("Tabennese" of "Theodorus of Tabennese"); a one-word "person" that is an organisation's
    name without its generic last word is that organisation ("Tsinghua" after "Tsinghua University")."""
    people = [(m.start, name_tokens(m.text)) for m in mentions if m.type == "Person" and len(name_tokens(m.text)) > 1]
    endings = {
        tokens[-k:] for _, tokens in people for k in range(1, len(tokens)) if not _after_of(tokens, len(tokens) - k)
    }
    first_named: dict[tuple[str, ...], int] = {}  # whole words only: "Moon" is no part of "Ban Ki-moon"
    for start, words in ((m.start, tuple(_key(m.text).split())) for m in mentions if m.type == "Person"):
        ends = [words[-k:] for k in range(1, len(words)) if not _after_of(words, len(words) - k)]
        for part in [words[:1], *ends] if len(words) > 1 else []:
            first_named[part] = min(first_named.get(part, start), start)
    person_words = {w for _, tokens in people for w in tokens}
    organisation_forms = {
        form for m in mentions if m.type == "Organisation" for form in _head_short_forms(" ".join(m.text.split()))
    }
    retyped = []
    for m in mentions:
        tokens = name_tokens(m.text)
        if m.type == "Organisation" and tokens in endings:
            m = replace(m, type="Person")
        elif m.type == "Person" and len(tokens) == 1 and _key(m.text) in organisation_forms:
            if tokens[0] not in person_words:  # "Tsinghua" after "Tsinghua University"
                m = replace(m, type="Organisation")
        elif m.type == "Place" and first_named.get(tuple(_key(m.text).split()), m.start) < m.start:
            # named after the full name: "Montalvo" (a place) after "Daniel Montalvo"
            m = m if _country(m.text) else replace(m, type="Person")
        retyped.append(m)
    return retyped


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _vote_types(mentions: Sequence[Mention]) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for mention in mentions:
        if mention.type != "Country":
            votes[_key(mention.text)][mention.type] += 1
    return {key: min(counter, key=lambda t: (-counter[t], _TYPE_PREFERENCE[t])) for key, counter in votes.items()}


def _country(text: str) -> countries.Country | None:
    return countries.country_named(text) or countries.country_of_demonym(text) or countries.country_of_capital(text)


def _is_name(mention: Mention, mention_type: str) -> bool:
    """Demonyms ("Russian") and capitals standing for a country ("Moscow") are not names of the country."""
    if mention_type != "Country":
        return True
    return countries.country_named(mention.text) is not None


def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a person's name, case- and accent-folded ("Erdoğan" is "erdogan"), split on spaces and hyphens.

    >>> name_tokens("Bashar al-Assad")
    ('bashar', 'al', 'assad')
    """
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    return tuple(part for part in _NAME_SPLIT.split(folded) if part)


def _is_part_of(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """A surname ("Assad"), a final part ("al-Assad") or the name without a middle part ("Bashar Assad")."""
    if len(short) >= len(full):
        return False
    if full[-len(short) :] == short:
        return not _after_of(full, len(full) - len(short))
    return len(short) > 1 and short[-1] == full[-1] and short[0] == full[0]


def _after_of(full: tuple[str, ...], position: int) -> bool:
    """Whether the words of ``full`` from ``position`` on come after an "of": the place of an epithet
    ("Tabennese" in "Theodorus of Tabennese", "Clare" in "Earl of Clare"), not the person's surname."""
    return "of" in full[1:position]


def _join_person_names(mentions: Sequence[Mention], indices: list[int], labels: list[str]) -> None:
    names = {labels[i] for i in indices}
    tokens = {name: name_tokens(name) for name in names}
    canonical = {name: name for name in names}
    # longest names first, so a surname joins the full name rather than another partial one
    for short in sorted(names, key=lambda n: (len(tokens[n]), n)):
        fuller = [full for full in names if _is_part_of(tokens[short], tokens[full])]
        if not fuller:
            continue
        first_use = min(mentions[i].start for i in indices if labels[i] == short)
        canonical[short] = _closest_before(fuller, first_use, mentions, indices, labels)
    for i in indices:
        name = labels[i]
        while canonical[name] != name:
            name = canonical[name]
        labels[i] = name


def _closest_before(
    candidates: list[str], position: int, mentions: Sequence[Mention], indices: list[int], labels: list[str]
) -> str:
    """The candidate named last before ``position``; if none is, the most frequent (then longest, then first)."""
    before = [
        (mentions[i].start, labels[i]) for i in indices if labels[i] in candidates and mentions[i].start < position
    ]
    if before:
        return max(before)[1]
    counts = Counter(labels[i] for i in indices if labels[i] in candidates)
    return min(candidates, key=lambda name: (-counts[name], -len(name), name))


def acronym_of(name: str) -> str:
    """The initials of a long name, skipping small words.

    >>> acronym_of("Organization for the Prohibition of Chemical Weapons")
    'OPCW'
    """
    words = [w for w in _NAME_SPLIT.split(name) if w and w.casefold() not in _ACRONYM_STOPWORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _as_acronym(name: str) -> str | None:
    letters = name.replace(".", "").replace(" ", "")
    if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper():
        return letters
    return None


def acronyms_of(name: str) -> set[str]:
    """The acronyms a long name may go by: its initials without small words ("OPCW"), with them, and its capital
    letters ("HTS" for "Hayat Tahrir al-Sham", "KSC" for "Kennedy Space Center").

    >>> sorted(acronyms_of("New People's Party"))
    ['NPP']
    """
    if _as_acronym(name) is not None or len(name.split()) < 2:
        return set()
    words = [w for w in _NAME_SPLIT.split(name) if w]
    found = {acronym_of(name), "".join(w[0] for w in words if w[0].isalpha()).upper()}
    found.add("".join(c for c in name if c.isupper()))
    return {form for form in found if len(form) >= 2}


#: Last words of organisations' names that the short form leaves out ("Harvard" for "Harvard University").
ORGANISATION_HEADS = frozenset(
    "university college school academy institute airlines airways company corporation corp inc group".split()
)


def _head_short_forms(name: str) -> set[str]:
    """ "Harvard University" -> {"harvard"}: the name without a generic last word (casefolded), if two words or
    more are left or the one left is no common word."""
    words = name.split()
    if len(words) < 2 or words[-1].casefold().rstrip(".") not in ORGANISATION_HEADS:
        return set()
    rest = words[:-1]
    if not all(w[:1].isupper() for w in rest) or rest[0].casefold() in _ACRONYM_STOPWORDS:
        return set()
    return {" ".join(rest).casefold()}


def short_forms(name: str, *, demonyms: bool = True) -> set[str]:
    """The shorter names an organisation goes by once named in full (casefolded): without the country it belongs to
    ("U.S. Senate" -> "senate"), the part before "of" ("House of Representatives" -> "house") or, in a name of
    three capitalised words or more without "of", the words after the first ("Tahrir al-Sham"), in turn. Without
    ``demonyms``, a leading nationality word is kept: across a collection "Wikinews" is not "French Wikinews".

    >>> sorted(short_forms("United States House of Representatives"))
    ['house', 'house of representatives', 'united states house']
    """
    found: set[str] = set()
    whole = " ".join(name.split())
    waiting = [whole]
    while waiting:
        current = waiting.pop()
        words = current.split()
        for k in (1, 2, 3):  # a country, a demonym or the capital first: "U.S.", "United States", "British"
            head = " ".join(words[:k])
            if len(words) > k and (countries.country_named(head) or demonyms and countries.country_of_demonym(head)):
                waiting.append(" ".join(words[k:]))
        lowered = [w.casefold() for w in words]
        if "of" in lowered[1:]:
            waiting.append(" ".join(words[: lowered.index("of", 1)]))
        elif current == whole and len(words) > 2 and words[1][:1].isupper() and not set(lowered) & _ACRONYM_STOPWORDS:
            # "Hayat Tahrir al-Sham" -> "Tahrir al-Sham"
            waiting.append(" ".join(words[1:]))
        for form in waiting:
            found.add(form.casefold())
    found |= _head_short_forms(whole)
    found.discard(whole.casefold())
    return found


def _join_organisation_forms(indices: list[int], kinds: list[str], labels: list[str]) -> None:
    """Acronyms ("KSC") and short forms ("the House") of the organisations and places of an article join the
    long name they stand for, when one long name does (labels are rewritten in place)."""
    longs: dict[str, set[str]] = defaultdict(set)  # acronym or casefolded short form -> long names
    for i in indices:
        name = labels[i]
        for acronym in acronyms_of(name):
            longs[acronym].add(name)
        if kinds[i] == "Organisation":
            for form in short_forms(name):
                longs[form].add(name)
    if not longs:
        return
    for i in indices:
        name = labels[i]
        forms = longs.get(_as_acronym(name) or "", set()) | longs.get(" ".join(name.split()).casefold(), set())
        # the fullest names only: "House" means "United States House of Representatives", not also its short form
        fullest = {f for f in forms if not any(f != g and f.casefold() in short_forms(g) for g in forms)}
        if len(fullest) == 1:
            labels[i] = next(iter(fullest))


def _vote_group_types(indices: list[int], kinds: list[str], labels: list[str], texts: list[str]) -> None:
    """The mentions joined under one label take the type most of them have, acronyms left out when it has other
    names (a tie: the type of the label's own mentions): "Kennedy Space Center" (a place) and "KSC" (an
    organisation) are one node, a place."""
    names: dict[str, Counter] = defaultdict(Counter)
    acronyms: dict[str, Counter] = defaultdict(Counter)
    own: dict[str, str] = {}
    for i in indices:
        # three capitals tell the recogniser little: the names vote, the acronyms only when there are none
        (acronyms if _as_acronym(texts[i]) else names)[labels[i]][kinds[i]] += 1
        if texts[i] == labels[i]:
            own.setdefault(labels[i], kinds[i])
    votes = {label: names[label] or acronyms[label] for label in names.keys() | acronyms.keys()}
    for i in indices:
        counter = votes[labels[i]]
        kinds[i] = min(counter, key=lambda t: (-counter[t], t != own.get(labels[i]), _TYPE_PREFERENCE[t]))


def _variant_keys(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Keys that two spellings of one name share: each word of four letters or more in turn replaced by its
    consonants ("Laden" and "Ladin" are both "ldn"), the other words as they are."""
    keys = []
    for k, word in enumerate(tokens):
        if len(word) >= 4:
            skeleton = "".join(c for c in word if c not in "aeiouy")
            keys.append((*tokens[:k], f"~{skeleton}~{len(word)}", *tokens[k + 1 :]))
    return keys


def _join_spelling_variants(indices: list[int], labels: list[str]) -> None:
    """Two full names of one article that differ in the vowels of one word ("Hamza bin Laden" / "Hamza bin
    Ladin", "Kristin" / "Kristen Wilkins") are one person: the spelling named more often (then first) wins."""
    counts = Counter(labels[i] for i in indices)
    order = {name: n for n, name in enumerate(dict.fromkeys(labels[i] for i in indices))}
    by_key: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name in order:
        tokens = name_tokens(name)
        if len(tokens) > 1:
            for key in _variant_keys(tokens):
                by_key[key].append(name)
    canonical: dict[str, str] = {}
    for names in by_key.values():
        if len(names) > 1:
            best = min(names, key=lambda n: (-counts[n], order[n]))
            for name in names:
                if name != best:
                    canonical.setdefault(name, best)
    for i in indices:
        labels[i] = canonical.get(labels[i], labels[i])


def consolidate(entities: Iterable[Entity]) -> dict[str, str]:
    """Across articles: the id each entity joins, when it can mean one entity only. Returns ``{old_id: new_id}``.

    "person:tillerson" joins "person:rex-tillerson" when that is the only known person whose name ends so, or
    is named more than twice as often as all the others together ("Trump": Donald rather than Melania);
    "organisation:un" joins "organisation:united-nations" likewise, and a short form ("organisation:senate") the
    full name ("organisation:us-senate"). A place and an organisation of the same name are one entity, of the type
    named more often; two spellings of a person's name of three words or more ("Hamza bin Laden" / "Hamza bin
    Ladin"), or of two words and the same title, join the one named more often.
    """
    entities = list(entities)
    people_by_surname: dict[str, set[str]] = defaultdict(set)
    long_names: dict[str, set[str]] = defaultdict(set)  # acronym or casefolded short form -> long names
    by_label: dict[str, list[Entity]] = defaultdict(list)
    variants: dict[tuple[str, ...], set[str]] = defaultdict(set)
    tokens = {entity.id: name_tokens(entity.label) for entity in entities if entity.type == "Person"}
    for entity in entities:
        if entity.type == "Person":
            if tokens[entity.id]:
                people_by_surname[tokens[entity.id][-1]].add(entity.id)
            if len(tokens[entity.id]) > 1:
                for key in _variant_keys(tokens[entity.id]):
                    variants[key].add(entity.id)
        elif entity.type in ("Organisation", "Place"):
            by_label[" ".join(entity.label.split()).casefold()].append(entity)
            for acronym in acronyms_of(entity.label):
                long_names[acronym].add(entity.id)
            if entity.type == "Organisation":
                for form in short_forms(entity.label, demonyms=False):
                    long_names[form].add(entity.id)
    by_id = {entity.id: entity for entity in entities}
    mentions = {entity.id: entity.mentions for entity in entities}
    joins = {}
    for same_name in by_label.values():
        if len({entity.type for entity in same_name}) > 1:  # "Kennedy Space Center" as a place and an organisation
            best = min(same_name, key=lambda e: (-e.mentions, _TYPE_PREFERENCE[e.type], e.id))
            joins.update({entity.id: best.id for entity in same_name if entity.id != best.id})
    for entity in entities:
        if entity.id in joins:
            continue
        if entity.type == "Person" and tokens[entity.id]:
            parts = tokens[entity.id]
            fuller = {c for c in people_by_surname[parts[-1]] if _is_part_of(parts, tokens[c])}
            # the fullest names only: "Assad" means "Bashar al-Assad", not also "al-Assad"
            targets = {c for c in fuller if not any(_is_part_of(tokens[c], tokens[d]) for d in fuller)}
            if not targets:
                targets = _spelling_variants(entity, variants, by_id)
        elif entity.type in ("Organisation", "Place"):
            acronym = _as_acronym(entity.label)
            targets = set(long_names.get(acronym, set())) if acronym else set()
            if entity.type == "Organisation":
                targets |= long_names.get(" ".join(entity.label.split()).casefold(), set())
            targets = {joins.get(t, t) for t in targets} - {entity.id}
            # the fullest names only: "Senate" means "U.S. Senate", not also another short form of it
            labels = {t: by_id[t].label.casefold() for t in targets}
            targets = {
                t for t in targets if not any(labels[t] in short_forms(by_id[u].label, demonyms=False) for u in targets)
            }
        else:
            continue
        target = _dominant(targets, mentions)
        if target is not None:
            joins[entity.id] = target
    return _followed(joins)


def _spelling_variants(entity: Entity, variants: dict[tuple[str, ...], set[str]], by_id: dict[str, Entity]) -> set[str]:
    """Other spellings of a person's name that it should join: those named more often (then sorted first), when
    the name has three words or more, or two and a title in common."""
    parts = name_tokens(entity.label)
    found = set()
    for key in _variant_keys(parts):
        for other in variants.get(key, set()) - {entity.id}:
            candidate = by_id[other]
            if (candidate.mentions, entity.id) < (entity.mentions, other):
                continue  # the other way round: that one joins this one
            if len(parts) >= 3 or entity.titles & candidate.titles:
                found.add(other)
    return found


def _followed(joins: dict[str, str]) -> dict[str, str]:
    """Joins with each chain followed to its end ("house" -> "house-of-representatives" -> "us-house-of-...")."""
    final = {}
    for source in joins:
        target, seen = joins[source], {source}
        while target in joins and target not in seen:
            seen.add(target)
            target = joins[target]
        if target != source:
            final[source] = target
    return final


def _dominant(candidates: set[str], mentions: dict[str, int]) -> str | None:
    """The one candidate, or the one named more than twice as often as all the others together."""
    if len(candidates) <= 1:
        return next(iter(candidates), None)
    best = max(sorted(candidates), key=lambda c: mentions[c])
    others = sum(mentions[c] for c in candidates if c != best)
    return best if mentions[best] > 2 * others else None
