"""Pronoun and nominal coreference for relation candidates: which entity "he", "her", "its" or "the company" stands for.

A third-person pronoun is resolved to the most recent compatible mention before it, within a few sentences:
"he", "him", "his" and "she", "her" to a person whose gender agrees, "it", "its", "they", "their" and the nominals
"the company", "the group", "the firm" to an organisation. As in the interaction rules' "pronouns for the last
person" (:mod:`kg.extraction.rules.interactions`), a person named as a subject is preferred to one named
elsewhere ("Anna Weber met Karl Brandt. She was born in Munich": Anna Weber). A person's gender is read from the
text where it says it, a courtesy title or a gendered noun before or in apposition to the name ("Mr", "Mrs",
"actress", "businessman"), else from the first name (``kg/data/first_name_genders.tsv``, names used for one gender
at least 90% of the time, derived from nomquamgender by :mod:`kg.training.genders`), else from the pronouns
already resolved to the person, so that after "he" stood for someone, "she" does not.

The references are used by the document-level relation model (:mod:`kg.extraction.learned`): a sentence in
which a pronoun stands for an entity counts as a sentence naming it, so "Anna Weber is a politician. She was born
in Munich." gives the pair (Anna Weber, Munich) the features of one sentence, and the relation keeps that
sentence and the one that names her as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Span, Token

from kg.extraction.context import ArticleContext

MALE, FEMALE = "male", "female"
#: pronoun -> (entity type, gender) it can stand for (None: any)
PRONOUNS = {
    "he": ("Person", MALE),
    "him": ("Person", MALE),
    "his": ("Person", MALE),
    "she": ("Person", FEMALE),
    "her": ("Person", FEMALE),
    "it": ("Organisation", None),
    "its": ("Organisation", None),
    "they": ("Organisation", None),
    "their": ("Organisation", None),
}
#: nouns after "the" that stand for the last organisation ("the company said")
ORGANISATION_NOUNS = {"company", "group", "firm", "corporation", "organisation", "organization", "band", "party"}
#: words before or in apposition to a name that tell a person's gender
GENDER_WORDS = {
    MALE: {
        "mr", "mr.", "sir", "lord", "king", "prince", "father", "son", "brother", "husband", "businessman",
        "actor", "chairman", "spokesman", "congressman", "boy", "man", "uncle", "grandfather", "duke", "count",
    },
    FEMALE: {
        "mrs", "mrs.", "ms", "ms.", "miss", "madam", "lady", "dame", "queen", "princess", "mother", "daughter",
        "sister", "wife", "businesswoman", "actress", "chairwoman", "spokeswoman", "congresswoman", "girl",
        "woman", "aunt", "grandmother", "duchess", "countess", "singer-songwriter",
    },
}  # fmt: skip
_GENDER_OF_WORD = {word: gender for gender, words in GENDER_WORDS.items() for word in words}
#: how many sentences back an antecedent may be (0: the same sentence)
WINDOW = {"Person": 3, "Organisation": 2}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
FIRST_NAMES_FILE = Path(__file__).parents[1] / "data" / "first_name_genders.tsv"


@cache
def first_name_genders() -> dict[str, str]:
    """First name (lower case) -> MALE or FEMALE, from the shipped table (empty when it is missing)."""
    if not FIRST_NAMES_FILE.is_file():
        return {}
    rows = (line.split("\t") for line in FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines())
    return {row[0]: MALE if row[1] == "m" else FEMALE for row in rows if len(row) == 2 and not row[0].startswith("#")}


@dataclass(frozen=True)
class Reference:
    """A pronoun or nominal (``span``) standing for the entity of the mention ``antecedent`` (its index in the
    article's entity spans)."""

    span: Span
    antecedent: int
    kind: str  # "pronoun" or "nominal"


def references(ctx: ArticleContext) -> list[Reference]:
    """The pronouns and nominals of an article that stand for one of its entities, in text order.

    >>> from kg.extraction import article_context
    >>> from kg.model import Article
    >>> from kg.nlp import load
    >>> text = "Anna Weber is a German politician. She was born in Munich."
    >>> ctx, _, _ = article_context(Article(id="a", text=text), load()(text))
    >>> [(r.span.text, ctx.spans[r.antecedent].text) for r in references(ctx)]
    [('She', 'Anna Weber')]
    """
    sentence_of = _sentence_numbers(ctx)
    genders = _genders(ctx)
    found = []
    for token in ctx.doc:
        if ctx.at(token) is not None:
            continue
        span, wanted = _referring(token)
        if span is None:
            continue
        entity_type, gender = wanted
        antecedent = _antecedent(ctx, token, entity_type, gender, genders, sentence_of)
        if antecedent is None:
            continue
        if gender is not None:  # agreement: after "he" stood for a person, "she" does not
            genders.setdefault(ctx.ids[antecedent], gender)
        found.append(Reference(span, antecedent, "pronoun" if len(span) == 1 else "nominal"))
    return found


def _referring(token: Token) -> tuple[Span | None, tuple[str, str | None]]:
    """The span a token begins that may refer back ("she", "the company"), and what it may stand for."""
    lower = token.lower_
    if lower in PRONOUNS and token.pos_ == "PRON":
        if lower in {"it", "they"} and token.dep_ not in _SUBJECT_DEPS:
            return None, ("", None)  # "it" and "they" as objects are seldom the organisation ("made it")
        if lower == "it" and any(c.dep_ in {"ccomp", "xcomp"} for c in token.head.children):
            return None, ("", None)  # "it is expected that ...": no referent
        return token.doc[token.i : token.i + 1], PRONOUNS[lower]
    if lower == "the" and token.i + 1 < len(token.doc):
        noun = token.doc[token.i + 1]
        if noun.lower_ in ORGANISATION_NOUNS and noun.dep_ != "compound" and noun.tag_ == "NN":
            # "the company said", "the company's chief"; not "the group stage" nor "the group of states"
            if not any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
                return token.doc[token.i : token.i + 2], ("Organisation", None)
    return None, ("", None)


def _antecedent(
    ctx: ArticleContext,
    token: Token,
    entity_type: str,
    gender: str | None,
    genders: dict[str, str],
    sentence_of: dict[int, int],
) -> int | None:
    """The mention a referring word stands for: of the compatible mentions before it within the window, the last
    named as a subject, else the last."""
    here = sentence_of[token.sent.start]
    candidates = [
        i
        for i, entity in enumerate(ctx.spans)
        if entity.span.end <= token.i
        and ctx.type_of(i) == entity_type
        and entity.role == "name"
        and here - sentence_of[entity.span.sent.start] <= WINDOW[entity_type]
        and (gender is None or genders.get(ctx.ids[i], gender) == gender)
    ]
    if not candidates:
        return None
    if entity_type == "Person":
        subjects = [i for i in candidates if ctx.spans[i].span.root.dep_ in _SUBJECT_DEPS]
        if subjects:
            return subjects[-1]
    return candidates[-1]


def _genders(ctx: ArticleContext) -> dict[str, str]:
    """Person entity id -> the gender the text gives it: a title or gendered noun before a mention ("Mrs Smith",
    "actress Emma Stone") or in apposition to it ("Emma Stone, an actress"), else that of the first name."""
    found: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for i, entity in enumerate(ctx.spans):
        if ctx.type_of(i) != "Person":
            continue
        span = entity.span
        words = [t.lower_ for t in ctx.doc[max(span.start - 2, span.sent.start) : span.start]]
        words += [t.lower_ for t in span.root.children if t.dep_ == "appos"]
        words += [t.lower_ for t in span.root.head.children if t.dep_ == "attr"] if span.root.dep_ == "nsubj" else []
        genders = {_GENDER_OF_WORD[w] for w in words if w in _GENDER_OF_WORD}
        if len(genders) == 1:
            found.setdefault(ctx.ids[i], genders.pop())
        if len(span) > 1 and span[0].is_alpha and span[0].lower_ in first_name_genders():
            by_name.setdefault(ctx.ids[i], first_name_genders()[span[0].lower_])
    return by_name | found


def _sentence_numbers(ctx: ArticleContext) -> dict[int, int]:
    return {sent.start: number for number, sent in enumerate(ctx.doc.sents)}
