"""Deterministic, readable identifiers for articles and entities.

The same input always gives the same id, in every run and on every machine, so graphs from different runs
merge and outputs are reproducible byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Latin letters that Unicode does not decompose into a base letter and a mark ("Wałęsa" -> "walesa").
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ß": "ss",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)


def slugify(text: str, *, max_length: int = 60) -> str:
    """Lowercase ASCII words joined by ``-``; non-Latin text falls back to a short hash.

    >>> slugify("Bashar al-Assad")
    'bashar-al-assad'
    >>> slugify("Zürich, Schweiz")
    'zurich-schweiz'
    """
    folded = (
        unicodedata.normalize("NFKD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
        .encode("ascii", "ignore")
        .decode("ascii")
        .lower()
    )
    slug = _NON_ALNUM.sub("-", folded).strip("-")[:max_length].strip("-")
    if not slug:
        slug = "x" + content_hash(text)[:10]
    return slug


def content_hash(text: str) -> str:
    """SHA-256 of the text (UTF-8), as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id(text: str, title: str = "") -> str:
    """A stable article id: a slug of the headline and a hash of the content.

    >>> article_id("Body text", "Trump meets Putin")
    'trump-meets-putin-751f5ed0'
    """
    digest = content_hash(text)[:8]
    head = slugify(title, max_length=48) if title.strip() else "article"
    return f"{head}-{digest}"


def entity_id(entity_type: str, label: str) -> str:
    """The node id of an entity: its type and a slug of its canonical label.

    >>> entity_id("Person", "Rex Tillerson")
    'person:rex-tillerson'
    """
    return f"{entity_type.lower()}:{slugify(label)}"
