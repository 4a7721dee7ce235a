"""Mentions -> canonical entities: one entity per real-world thing, with a deterministic id.

Within an article, a surname or partial name joins the full name ("Tillerson" -> "Rex Tillerson", "Assad" ->
"Bashar al-Assad"), an acronym joins its long form when both occur ("UN" / "United Nations"), and every
spelling of a country joins the country of the dataset ("U.S.", "US", "America" -> "United States"). A name
tagged with different types in one article takes the type it has most often. Across articles, entities with
the same id are the same node; :func:`consolidate` then joins a lone surname or acronym to the one full name
it can only mean.
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
    mentions = _surnames_as_people(mentions)
    types = _vote_types(mentions)
    labels: list[str] = [""] * len(mentions)
    codes: dict[int, str] = {}
    by_type: dict[str, list[int]] = defaultdict(list)
    for index, mention in enumerate(mentions):
        mention_type = types[_key(mention.text)] if mention.type != "Country" else "Country"
        if mention_type == "Country":
            country = _country(mention.text)
            if country is None:  # a demonym or capital that the dataset does not know after all
                mention_type = "Place"
            else:
                labels[index], codes[index] = country.name, country.code
                continue
        by_type[mention_type].append(index)
    for index in by_type["Person"]:
        labels[index] = mentions[index].text
    _join_person_names(mentions, by_type["Person"], labels)
    _join_acronyms(mentions, by_type["Organisation"], labels)
    for index in by_type["Place"]:
        labels[index] = mentions[index].text
    for index in by_type["Organisation"]:
        labels[index] = labels[index] or mentions[index].text

    entities: dict[str, Entity] = {}
    ids = []
    for index, mention in enumerate(mentions):
        mention_type = "Country" if index in codes else _type_of(index, by_type)
        label = labels[index]
        key = entity_id(mention_type, label)
        entity = entities.setdefault(key, Entity(id=key, label=label, type=mention_type, country_code=codes.get(index)))
        entity.mentions += 1
        entity.articles.add(article_id)
        if _is_name(mention, mention_type):
            entity.aliases.add(mention.text)
        ids.append(key)
    return [entities[key] for key in sorted(entities)], ids


def _surnames_as_people(mentions: Sequence[Mention]) -> list[Mention]:
    """An organisation name that is the end of a person's name in the same article is that person: the model
    often tags a lone "Trump" as an organisation."""
    endings = {
        name_tokens(m.text)[-k:] for m in mentions if m.type == "Person" for k in range(1, len(name_tokens(m.text)))
    }
    return [
        replace(m, type="Person") if m.type == "Organisation" and name_tokens(m.text) in endings else m
        for m in mentions
    ]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _vote_types(mentions: Sequence[Mention]) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for mention in mentions:
        if mention.type != "Country":
            votes[_key(mention.text)][mention.type] += 1
    return {key: min(counter, key=lambda t: (-counter[t], _TYPE_PREFERENCE[t])) for key, counter in votes.items()}


def _type_of(index: int, by_type: dict[str, list[int]]) -> str:
    for entity_type, indices in by_type.items():
        if index in indices:
            return entity_type
    raise AssertionError(f"mention {index} has no type")


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
        return True
    return len(short) > 1 and short[-1] == full[-1] and short[0] == full[0]


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


def _join_acronyms(mentions: Sequence[Mention], indices: list[int], labels: list[str]) -> None:
    longs: dict[str, list[str]] = defaultdict(list)
    for i in indices:
        text = mentions[i].text
        if _as_acronym(text) is None and len(text.split()) > 1:
            longs[acronym_of(text)].append(text)
    for i in indices:
        acronym = _as_acronym(mentions[i].text)
        forms = sorted(set(longs.get(acronym, []))) if acronym else []
        labels[i] = forms[0] if len(forms) == 1 else mentions[i].text


def consolidate(entities: Iterable[Entity]) -> dict[str, str]:
    """Across articles: the id each partial name or acronym entity joins, when it can mean one entity only.

    "person:tillerson" joins "person:rex-tillerson" when that is the only known person whose name ends so, or
    is named more than twice as often as all the others together ("Trump": Donald rather than Melania);
    "organisation:un" joins "organisation:united-nations" likewise. Returns ``{old_id: new_id}``.
    """
    entities = list(entities)
    people_by_surname: dict[str, set[str]] = defaultdict(set)
    long_orgs: dict[str, set[str]] = defaultdict(set)
    tokens = {entity.id: name_tokens(entity.label) for entity in entities if entity.type == "Person"}
    for entity in entities:
        if entity.type == "Person":
            if tokens[entity.id]:
                people_by_surname[tokens[entity.id][-1]].add(entity.id)
        elif entity.type == "Organisation" and _as_acronym(entity.label) is None and len(entity.label.split()) > 1:
            long_orgs[acronym_of(entity.label)].add(entity.id)
    mentions = {entity.id: entity.mentions for entity in entities}
    joins = {}
    for entity in entities:
        if entity.type == "Person" and tokens[entity.id]:
            parts = tokens[entity.id]
            fuller = {c for c in people_by_surname[parts[-1]] if _is_part_of(parts, tokens[c])}
            # the fullest names only: "Assad" means "Bashar al-Assad", not also "al-Assad"
            targets = {c for c in fuller if not any(_is_part_of(tokens[c], tokens[d]) for d in fuller)}
        elif entity.type == "Organisation" and _as_acronym(entity.label):
            targets = long_orgs.get(_as_acronym(entity.label), set())
        else:
            continue
        target = _dominant(targets, mentions)
        if target is not None:
            joins[entity.id] = target
    return joins


def _dominant(candidates: set[str], mentions: dict[str, int]) -> str | None:
    """The one candidate, or the one named more than twice as often as all the others together."""
    if len(candidates) <= 1:
        return next(iter(candidates), None)
    best = max(sorted(candidates), key=lambda c: mentions[c])
    others = sum(mentions[c] for c in candidates if c != best)
    return best if mentions[best] > 2 * others else None
