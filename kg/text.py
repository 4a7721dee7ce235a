"""Cleaning an article's text as :mod:`kg.ingest` reads it: line breaks and whitespace normalised, zero-width
debris and control characters out, WordPress shortcodes removed, photo captions and credits dropped."""

from __future__ import annotations

import re
import unicodedata

#: WordPress shortcodes that are removed even without attributes, e.g. ``[gallery]``.
KNOWN_SHORTCODES = ("adrotate", "caption", "embed", "gallery", "audio", "video", "playlist", "ad", "ads")

# A shortcode: a closing tag `[/name]`, a tag with attributes `[name key=value ...]` (an `=` inside, any
# quotes, typographic ones included), or one of KNOWN_SHORTCODES with or without attributes. A bare
# lowercase word in brackets such as "[sic]" is editorial, not a shortcode, and numbers like "[1]" are
# references: both are kept.
_SHORTCODE = (
    r"\[(?:"
    r"/[a-z][a-z0-9_-]*"
    r"|[a-z][a-z0-9_-]*[ \t][^\[\]\n]*=[^\[\]\n]*"
    rf"|(?:{'|'.join(KNOWN_SHORTCODES)})(?:[ \t][^\[\]\n]*)?"
    r")\]"
)
_SHORTCODE_RUN = re.compile(rf"{_SHORTCODE}(?:[ \t]*{_SHORTCODE})*")
# A sentence end before a shortcode: terminal punctuation, maybe closing quotes or brackets, maybe spaces.
_SENTENCE_END_BEFORE = re.compile(r"[.!?…][\"'”’»)\]]*[ \t]*\Z")
_WORD_AFTER = re.compile(r"[ \t]*\w")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffe\uffff]")  # zero-width debris, soft hyphens
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # after _LINE_BREAKS: tab and newline are the only ones left
# Any whitespace but a newline (tabs, NBSP, thin spaces, ...) other than a lone space: matching every space
# would make re.sub build a list of millions of pieces for a long text.
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Remove scraping debris and normalise whitespace; quotes and apostrophes are kept as they are.

    Rules, in order: Unicode NFC; line breaks become ``\\n``; zero-width characters, soft hyphens and the
    noncharacters U+FFFE and U+FFFF go; other control characters become spaces; WordPress shortcodes (see
    ``_SHORTCODE``) are replaced by a newline when they sit between a sentence end and a word (so the word
    starts a new sentence), else by a space; runs of spaces, tabs and NBSPs become one space; every line is
    stripped; photo captions and credits ("Image: ...", "Twitter / Barack Obama") go; three or more newlines
    become two. Any ``str`` is accepted, lone surrogates included (they are
    kept: :func:`read_articles` refuses a record that holds one).

    >>> clean_text("in Syria.[adrotate group=”10″]Tillerson  said\\u00a0it [sic] [1].[/caption]")
    'in Syria.\\nTillerson said it [sic] [1].'
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SHORTCODE_RUN.sub(_replace_shortcode, text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = "\n".join(line for line in (line.strip() for line in text.split("\n")) if not _is_caption(line))
    return _BLANK_LINES.sub("\n\n", text).strip()


# A photo credit ("Image: Nicholas Moreau.", "Photo credit: AP"), alone or ending a caption line; a source and
# author credit ("Twitter / Barack Obama", "AP Photo/Evan Vucci"): short lines of capitalised words, no sentence.
_CREDIT = re.compile(
    r"^(?:.{0,160}?(?:[.!?] |[a-z]|\b[A-Z][\w'-]* ))?"  # alone, after the caption's sentence, or glued to it
    r"(?:Image|Photo|Picture|Photograph|Illustration|Video)s?(?: credit| courtesy)?: ?[^:]{1,80}$"
    r"|^(?:Photo )?Credits?: ?[^:]{1,80}$"
)
_NAME = r"[A-Z][\w.'-]*"
_SOURCE_CREDIT = re.compile(
    rf"^(?:{_NAME} ){{0,3}}(?:Photo|Images|Pictures) ?/ ?{_NAME}(?: {_NAME}){{0,3}}$"
    rf"|^(?:{_NAME} ){{0,3}}{_NAME} ?/ ?{_NAME} {_NAME}(?: {_NAME}){{0,2}}$"
)


def _is_caption(line: str) -> bool:
    """A photo caption or credit line, which is not the article's text: "Dakota, a deer. Image: Nicholas Moreau.",
    "Twitter / Barack Obama"."""
    return len(line) <= 240 and bool(_CREDIT.match(line) or _SOURCE_CREDIT.match(line))


def _replace_shortcode(match: re.Match[str]) -> str:
    before = match.string[max(0, match.start() - 20) : match.start()]
    if _SENTENCE_END_BEFORE.search(before) and _WORD_AFTER.match(match.string, match.end()):
        return "\n"
    return " "
