"""Mention-level features of two names in one sentence, for the document-level relation model.

:func:`pair_features` describes an ordered pair of entity spans of one sentence (a the candidate subject, b the
object): their types, the words between them and around them, the dependency path joining them, the rules that fired
on those two names, and how each name ends and is attached. :mod:`kg.extraction.learned` adds them, prefixed "m:",
to the features of an entity pair for the two mentions the parse joins most closely in each sentence naming both.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extraction import lexicon
from kg.extraction.entities import EntitySpan
from kg.extraction.relations import ArticleContext

_MAX_BETWEEN = 12  # tokens between two names beyond which only coarse features are used


def pair_features(ctx: ArticleContext, a: int, b: int, rule_relations: dict[tuple[int, int], set[str]]) -> list[str]:
    """Sparse features of the ordered pair (a, b): a is the candidate subject, b the object."""
    first, second = ctx.spans[a], ctx.spans[b]
    doc = ctx.doc
    types = f"{_kind(first)}>{_kind(second)}"
    a_first = first.span.start < second.span.start
    left, right = (first.span, second.span) if a_first else (second.span, first.span)
    between = doc[left.end : right.start]
    features = [f"types={types}", f"order={'ab' if a_first else 'ba'}|{types}", f"gap={bucket(len(between))}"]
    if len(between) <= _MAX_BETWEEN:
        words = [_word(t) for t in between]
        features += [f"btw={w}" for w in set(words)]
        features += [f"btw_t={w}|{types}" for w in set(words)]
        if len(between) <= 4:
            features.append(f"btw_seq={' '.join(words)}|{'ab' if a_first else 'ba'}")
    before = doc[max(left.start - 2, left.sent.start) : left.start]
    features += [f"before={_word(t)}" for t in before]
    if right.end < right.sent.end:
        features.append(f"after={_word(doc[right.end])}")
    path = dependency_path(first.span.root, second.span.root)
    if path is not None:
        features.append(f"path={path[0]}")
        features.append(f"path_t={path[0]}|{types}")
        features += [f"path_word={w}" for w in path[1]]
    for name in sorted(rule_relations.get((a, b), ())):
        features.append(f"rule={name}")
    for name in sorted(rule_relations.get((b, a), ())):
        features.append(f"rule_reversed={name}")
    names_between = sum(1 for e in ctx.spans if e.span.start >= left.end and e.span.end <= right.start)
    features.append(f"names_between={min(names_between, 3)}|{types}")
    for span, side in ((first.span, "a"), (second.span, "b")):
        titled = any(t.lower_ in lexicon.TITLES for t in doc[max(span.start - 3, 0) : span.start])
        features.append(f"titled_{side}={titled}")
        # the name's last word ("University", "Corp.", "U.S.") and length, and what it depends on
        features += [f"last_{side}={span[-1].lower_}", f"length_{side}={min(len(span), 4)}"]
        features += [f"dep_{side}={span.root.dep_}", f"head_{side}={span.root.head.lemma_.lower()}|{span.root.dep_}"]
    return features


def _kind(entity: EntitySpan) -> str:
    return f"{entity.type}-demonym" if entity.role == "demonym" else entity.type


def _word(token: Token) -> str:
    if token.like_num:
        return "<num>"
    return token.lemma_.lower() if token.pos_ not in {"PROPN"} else f"<{token.ent_type_ or 'propn'}>"


def bucket(n: int) -> str:
    """A count as a coarse feature value: "0", "1", "2", "3", "5", "8", "12" (at most that) or "far"."""
    for limit in (0, 1, 2, 3, 5, 8, 12):
        if n <= limit:
            return str(limit)
    return "far"


def dependency_path(a: Token, b: Token) -> tuple[str, list[str]] | None:
    """The dependency labels from a up to the lowest common ancestor and down to b, and the words on the way."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return None
    rise = up_a[: up_a.index(common)]
    fall = up_b[: up_b.index(common)]
    if len(rise) + len(fall) > 6:
        return f"long{len(rise) + len(fall)}", []
    labels = [f"{t.dep_}^" for t in rise] + [f"{common.pos_}"] + [f"v{t.dep_}" for t in reversed(fall)]
    words = [t.lemma_.lower() for t in (*rise[1:], common, *fall[1:]) if t.pos_ in {"VERB", "NOUN", "ADP", "AUX"}]
    return " ".join(labels), words
