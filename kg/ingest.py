"""Reading articles: files, folders and stdin in, ``kg.model.Article`` objects out.

This module is the only one that knows about input formats (plain text, JSON, JSONL, CSV/TSV, HTML pages),
character encodings and scraping debris. It decodes bytes (UTF-8 first, then detection), extracts the main
text of web pages with trafilatura, removes WordPress shortcodes and normalises whitespace, gives each
article a stable id from its content and drops repeated articles. It streams: articles are yielded one at a
time, so a folder of 100,000 articles never sits in memory, and a text longer than ``MAX_ARTICLE_CHARS`` is
split on paragraph boundaries into parts that are articles of their own, so no single article outgrows memory.
Anything that cannot be read (a missing path, a binary or empty file, a broken record, bytes that are not text
in the file's encoding) is reported as a ``Skipped`` item (through ``on_skip`` or the ``kg.ingest`` logger) and
reading goes on with the next input.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import re
import stat
import sys
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from kg.dates import dateline
from kg.ids import article_id, content_hash
from kg.model import Article

logger = logging.getLogger(__name__)

STDIN = "-"
STDIN_NAME = "<stdin>"

#: Record fields, in order of preference, for JSON, JSONL and CSV/TSV inputs (matched case-insensitively).
TEXT_FIELDS = ("text", "body", "content", "article")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
DATE_FIELDS = ("date", "published", "datePublished")
ID_FIELDS = ("id",)

#: WordPress shortcodes that are removed even without attributes, e.g. ``[gallery]``.
KNOWN_SHORTCODES = ("adrotate", "caption", "embed", "gallery", "audio", "video", "playlist", "ad", "ads")

#: An article longer than this (in characters, after cleaning) is split on paragraph boundaries into parts, each
#: an article of its own titled "headline (part i of n)", so memory stays bounded whatever the input: a news
#: article is rarely a twentieth of this, and a part of this size takes about 0.8 GB with the default model.
MAX_ARTICLE_CHARS = 1_000_000

#: Limits on one HTML page. trafilatura's time grows with the square of the number of sibling elements (10,000
#: sibling <div>s take about 17 s, 40,000 about 4 minutes), and libxml2 drops what is nested deeper than 255
#: elements; a news page is far inside all of them (a few thousand elements, a few levels of nesting). A page past
#: one is skipped with a reason that names the limit.
MAX_HTML_CHARS = 10_000_000
MAX_HTML_ELEMENTS = 50_000
MAX_HTML_CHILDREN = 5_000  # of one element
MAX_HTML_DEPTH = 255

_CSV_FIELD_LIMIT = 2**31 - 1  # the largest the csv module takes on every platform
_SAMPLE_BYTES = 1 << 20  # the encoding is decided on the first MiB (the whole file for almost every article)
_UNICODE_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Leading bytes of common binary formats -> what the file is, for the reason a file is skipped.
_BINARY_SIGNATURES = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive, or a DOCX, XLSX or EPUB file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"\x7fELF", "program"),
)
# Control bytes that no text file holds (tab, line breaks, form feed and escape are text); past five of them in
# a hundred, the file is binary even without a NUL byte.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_BINARY_CONTROL_SHARE = 0.05
# A valid UTF-8 sequence of two to four bytes: a file that holds one was written as UTF-8.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Bytes that did not decode come out of errors="surrogateescape" as U+DC80..U+DCFF; other lone surrogates come
# from JSON escapes such as \ud83d without their other half. Neither is a character: no UTF-8 file can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Skipped:
    """An input, or one record of it, that gave no article, and why.

    ``source`` is a path, ``path:LINE`` (JSONL), ``path:ROW`` (CSV), ``path#N`` (JSON list) or ``<stdin>``, and
    ``SOURCE (part N)`` for a part of a text longer than :data:`MAX_ARTICLE_CHARS`.

    >>> Skipped("news/a.bin", "binary file")
    Skipped(source='news/a.bin', reason='binary file')
    """

    source: str
    reason: str


@dataclass(frozen=True)
class _Record:
    """One article as a format reader found it, before cleaning."""

    source: str
    body: str
    title: str = ""
    url: str | None = None
    date: str | None = None
    record_id: str | None = None  # the input's own id, kept as Article.source_id


_Item = _Record | Skipped
_Reader = Callable[[TextIO, str], Iterator[_Item]]


def read_articles(
    sources: Iterable[str | Path] | str | Path,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Article]:
    """Yield the articles in files, folders and stdin, in a deterministic order, each distinct text once.

    Parameters
    ----------
    sources
        Paths of files or folders, or ``"-"`` for stdin. Folders are walked recursively in name order,
        skipping hidden files and folders and files whose extension is not a known format. A file is read
        by its extension: ``.txt``/``.text``/``.md``/none (first non-empty line is the headline),
        ``.jsonl``/``.ndjson``, ``.json`` (an object or a list of objects), ``.csv``/``.tsv`` (one article a
        row), ``.html``/``.htm`` (main text and metadata extracted with trafilatura). A file named explicitly
        with another extension is read as plain text. Stdin is JSONL if it starts with ``{``, else plain text.
        A single path is accepted as well as a list.
    on_skip
        Called with a ``Skipped`` for every input or record that gives no article (missing or unreadable
        path, empty or binary file, bytes that are not text in the file's encoding, bad JSON line, record
        without text, page without article, duplicate). When None, each one is logged as a warning on the
        ``kg.ingest`` logger.

    Returns
    -------
    An iterator of ``Article``: ``text`` is the cleaned headline, a blank line and the cleaned body (the body
    alone when there is no headline); ``id`` is ``kg.ids.article_id(text, title)``. A text longer than
    :data:`MAX_ARTICLE_CHARS` gives several articles, its parts (see :func:`text_chunks`), titled
    "headline (part i of n)", with the source "SOURCE (part i)"; each part's ``text`` is its slice of the whole
    (the first starts with the headline), and evidence offsets refer to it.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Trump meets Putin\\nThe two leaders met in Hamburg.")
    >>> [(a.title, a.text) for a in read_articles([folder])]
    [('Trump meets Putin', 'Trump meets Putin\\n\\nThe two leaders met in Hamburg.')]
    """
    report = on_skip if on_skip is not None else _log_skip
    if isinstance(sources, str | Path):
        sources = [sources]
    seen: dict[str, str] = {}  # content hash of Article.text -> id of the first article with it
    for source in sources:
        for item in _read_source(source):
            if isinstance(item, Skipped):
                report(item)
                continue
            for article in _to_articles(item):
                if isinstance(article, Skipped):
                    report(article)
                    continue
                digest = content_hash(article.text)
                if digest in seen:
                    report(Skipped(article.source or "", f"duplicate of article {seen[digest]} (same text)"))
                    continue
                seen[digest] = article.id
                yield article


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


def _to_articles(record: _Record) -> Iterator[Article | Skipped]:
    title = " ".join(clean_text(record.title).split())
    body = clean_text(record.body)
    if not body:
        yield Skipped(record.source, "no text after cleaning")
        return
    text = f"{title}\n\n{body}" if title else body
    parts = text_chunks(text, max_chars=MAX_ARTICLE_CHARS)
    if len(parts) > 1:
        logger.warning(
            "%s: %d characters, split into %d articles of at most %d",
            record.source,
            len(text),
            len(parts),
            MAX_ARTICLE_CHARS,
        )
    for number, (start, end) in enumerate(parts, start=1):
        part_title, source = title, record.source
        if len(parts) > 1:  # each part is an article of its own, with a source of its own
            part_title = f"{title} (part {number} of {len(parts)})".lstrip()
            source = f"{record.source} (part {number})"
        part = text[start:end].strip()
        yield Article(
            id=article_id(part, part_title),
            text=part,
            title=part_title,
            url=record.url,
            date=record.date or dateline(body),  # the record's own date first, else the text's dateline
            source=source,
            source_id=record.record_id,
        )


#: Where a long text may be cut, best first: after a blank line (a paragraph), a line, a sentence, a space.
_CUTS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?…][\"'”’»)\]]*\s+"), re.compile(r"\s+"))


def text_chunks(text: str, *, max_chars: int) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive pieces of at most ``max_chars`` characters, on the best boundary there is.

    Returns ``(start, end)`` offsets that cover the text exactly, in order. Each piece ends after the last
    paragraph break (blank line) that fits, else after the last line break, sentence end or space, else (a run
    of ``max_chars`` characters without a space) at ``max_chars``. A text that fits is one piece.

    >>> text = "First paragraph.\\n\\nSecond one, longer.\\n\\nThird."
    >>> [text[start:end] for start, end in text_chunks(text, max_chars=40)]
    ['First paragraph.\\n\\nSecond one, longer.\\n\\n', 'Third.']
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    spans = []
    start = 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        end = limit
        for cut in _CUTS:
            last = deque(cut.finditer(text, start, limit), maxlen=1)
            if last and last[0].end() > start:
                end = last[0].end()
                break
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _log_skip(skipped: Skipped) -> None:
    logger.warning("skipped %s: %s", skipped.source, skipped.reason)


# --- sources: paths, folders, stdin ---------------------------------------------------------------------


def _read_source(source: str | Path) -> Iterator[_Item]:
    if str(source) == STDIN:
        yield from _read_stdin()
        return
    path = Path(source)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        yield Skipped(source_name(path), _missing_reason(path, exc))
        return
    if stat.S_ISDIR(mode):
        for found in _walk(path):
            if isinstance(found, Skipped):
                yield found
            elif found.suffix.lower() in DOCUMENTATION_SUFFIXES:
                logger.info("passed over %s: documentation, not an article", found)
            elif _reader_for(found) is None:
                yield Skipped(source_name(found), f"unknown file type {found.suffix!r} (known: {_known_suffixes()})")
            else:
                yield from _read_file(found)
    elif stat.S_ISSOCK(mode):
        yield Skipped(source_name(path), "a socket, not a file")
    else:
        # a regular file; or a pipe or device named on purpose, e.g. kg build <(zcat news.jsonl.gz)
        yield from _read_file(path)


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """Regular files under ``folder`` in name order, depth first; hidden entries and folder symlinks are left out.

    Anything else in the folder (a broken link, a named pipe, a socket, a device) is a ``Skipped``: a named
    pipe would block the walk until something writes to it.
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(source_name(folder), _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(path)
            elif entry.is_symlink() and entry.is_dir():
                # not followed: a link back up the tree would make the walk endless
                yield Skipped(source_name(path), "symbolic link to a folder (not followed)")
            elif entry.is_file():
                yield path
            else:
                yield Skipped(source_name(path), _not_a_file_reason(path))
        except OSError as exc:  # e.g. a link in a loop
            yield Skipped(source_name(path), _os_reason(exc))


def _missing_reason(path: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return f"broken symbolic link (to {os.readlink(path)!r}, which does not exist)"
    return _os_reason(exc)


def _not_a_file_reason(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _missing_reason(path, exc)
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a file (name it on the command line to read from it)"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file (a device)"


def _read_file(path: Path) -> Iterator[_Item]:
    # A pipe or device (kg build <(zcat news.jsonl.gz) names /dev/fd/63) or an explicitly named file of unknown
    # type is read by its content, as stdin is; every other file by its extension.
    source = source_name(path)
    reader = _reader_for(path)
    try:
        if reader is None or (reader is _read_plain and not path.is_file()):
            reader = _read_sniffed
        with path.open("rb") as binary:
            stream = _open_text(binary, empty_reason="empty file")
            if isinstance(stream, str):
                yield Skipped(source, stream)
                return
            yield from _decoded(reader(stream, source), stream.encoding)
    except OSError as exc:
        yield Skipped(source, _os_reason(exc))


def source_name(path: str | Path) -> str:
    """How a path is named in ``Article.source`` and messages: as it is, but a name that is not UTF-8 (a file
    copied from an old system) with each byte that is not written ``\\xNN``, so it can be printed and stored.

    >>> source_name(Path(b"news/caf\\xe9.txt".decode("utf-8", "surrogateescape")))
    'news/caf\\\\xe9.txt'
    """
    name = str(path)
    if _SURROGATE.search(name) is None:
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _read_stdin() -> Iterator[_Item]:
    if sys.stdin is None:  # e.g. under pythonw, or a service started without one
        yield Skipped(STDIN_NAME, "no standard input")
        return
    buffer = getattr(sys.stdin, "buffer", None)
    stream = _open_text(buffer, empty_reason="no input") if buffer is not None else sys.stdin
    if isinstance(stream, str):
        yield Skipped(STDIN_NAME, stream)
        return
    yield from _decoded(_read_sniffed(stream, STDIN_NAME), getattr(stream, "encoding", None) or "utf-8")


def _read_sniffed(stream: TextIO, source: str) -> Iterator[_Item]:
    """JSONL when the first non-blank line starts with ``{``, else plain text; read without seeking, so JSONL
    from a pipe streams."""
    head: list[str] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    lines = chain(head, stream)
    if head and head[-1].lstrip().startswith("{"):
        yield from _jsonl_records(lines, source)
    else:
        yield from _plain_records("".join(lines), source)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _decoded(items: Iterable[_Item], encoding: str) -> Iterator[_Item]:
    """The items, but a record that holds a lone surrogate (an undecodable byte or a broken JSON escape) is a
    ``Skipped``: it cannot be written as UTF-8, and its text may be in another encoding than the file's."""
    for item in items:
        if isinstance(item, _Record):
            for value in (item.body, item.title, item.url, item.date, item.record_id):
                reason = _undecodable_reason(value, encoding) if value else None
                if reason:
                    item = Skipped(item.source, reason)
                    break
        yield item


def _undecodable_reason(text: str, encoding: str) -> str | None:
    found = _SURROGATE.search(text)
    if found is None:
        return None
    before = _SURROGATE.sub("\ufffd", text[max(0, found.start() - 30) : found.start()])
    where = f"after {before!r}" if before else "at the start of the text"
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # errors="surrogateescape" keeps an undecodable byte as U+DC80 + byte
        name = "UTF-8" if encoding.lower().replace("_", "-").startswith("utf-8") else encoding
        return f"not valid {name}: byte 0x{code - 0xDC00:02X} {where}; save the file as UTF-8 and run again"
    return (
        f"a lone surrogate U+{code:04X} {where} (half of a UTF-16 pair, not a character); "
        "fix the \\u escape in the input"
    )


# --- decoding --------------------------------------------------------------------------------------------


def _open_text(binary: BinaryIO, *, empty_reason: str) -> TextIO | str:
    """A text stream over ``binary``, its encoding decided on the first bytes; or the reason it is not text.

    UTF-8 (BOM stripped) when the bytes are valid UTF-8 or hold valid UTF-8 sequences among invalid bytes,
    UTF-16/32 when they start with a BOM, else what charset-normalizer detects. Bytes that do not decode are
    kept as lone surrogates (``errors="surrogateescape"``), so the record that holds one is skipped with the
    byte in the reason (see ``_decoded``) rather than read with a wrong letter.
    """
    sample = binary.read(_SAMPLE_BYTES)
    if not sample:
        return empty_reason
    binary_kind = _binary_kind(sample)
    if binary_kind is not None:
        return binary_kind
    encoding = _detect_encoding(sample, complete=len(sample) < _SAMPLE_BYTES)
    if encoding is None:
        return "binary file"
    raw = _Prefixed(sample, binary)
    return io.TextIOWrapper(io.BufferedReader(raw), encoding=encoding, errors="surrogateescape", newline="")


def _binary_kind(sample: bytes) -> str | None:
    """The reason to skip a file whose first bytes are binary ("binary file (PNG image)"), else None."""
    for signature, kind in _BINARY_SIGNATURES:
        if sample.startswith(signature):
            return f"binary file ({kind})"
    if any(sample.startswith(bom) for bom, _ in _UNICODE_BOMS) or _utf16_without_bom(sample):
        return None  # UTF-16/32 text: every other byte is NUL
    head = sample[:8192]
    # A stray NUL byte or two in a text (a bad copy, a C string) is a control character like others.
    if len(head.translate(None, _CONTROL_BYTES)) < len(head) * (1 - _BINARY_CONTROL_SHARE):
        return "binary file"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text written without a BOM, told by its NUL bytes: text of Latin
    letters has a NUL in every other byte, on the same side; else None."""
    head = sample[: 8192 & ~1]
    if len(head) < 4:
        return None
    for encoding, nuls, letters in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if nuls.count(0) >= 0.6 * len(nuls) and letters.count(0) == 0:
            try:
                text = head.decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(_CONTROL.findall(text)) <= 0.01 * len(text):
                return encoding
    return None


def _detect_encoding(sample: bytes, *, complete: bool) -> str | None:
    for bom, encoding in _UNICODE_BOMS:
        if sample.startswith(bom):
            return encoding
    without_bom = _utf16_without_bom(sample)
    if without_bom is not None:
        return without_bom
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(sample):
        # Written as UTF-8, with some bytes that are not: a legacy encoding would turn its letters into
        # mojibake ("CafÃ©"), so it is read as UTF-8 and the record with the bad bytes is skipped.
        return "utf-8-sig"
    from charset_normalizer import from_bytes  # only legacy-encoded inputs pay for detection

    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return None
    # Short Western texts decode without "chaos" in many code pages (cp775, cp1250, mac_roman ...), and
    # charset-normalizer picks one of them at random. Among the equally good ones, prefer Windows-1252, the
    # legacy encoding of Western news sites (and a superset of Latin-1's printable characters).
    for match in matches:
        if match.chaos <= best.chaos and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return best.encoding


class _Prefixed(io.RawIOBase):
    """A raw stream that gives back bytes already read, then the rest of the stream (stdin cannot seek)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest
        self._read = getattr(rest, "read1", rest.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            data, self._head = self._head[: len(buffer)], self._head[len(buffer) :]
        else:
            data = self._read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# --- formats -------------------------------------------------------------------------------------------


def _read_plain(stream: TextIO, source: str) -> Iterator[_Item]:
    yield from _plain_records(stream.read(), source)


def _plain_records(text: str, source: str) -> Iterator[_Item]:
    # The headline is the first non-empty line once debris is gone; a single line is a body, not a title.
    lines = clean_text(text).split("\n", 1)
    if not lines[0]:
        yield Skipped(source, "no text after cleaning")
    elif len(lines) == 1 or not lines[1].strip():
        yield _Record(source, body=lines[0])
    else:
        yield _Record(source, body=lines[1], title=lines[0])


def _read_jsonl(stream: TextIO, source: str) -> Iterator[_Item]:
    yield from _jsonl_records(stream, source)


def _jsonl_records(lines: Iterable[str], source: str) -> Iterator[_Item]:
    blank = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        blank = False
        where = f"{source}:{number}"
        try:
            value = json.loads(line.rstrip("\r\n"))  # so that an error at the end of the line has its column
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"invalid JSON on line {number}: {exc.msg} (column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:
            yield Skipped(where, f"invalid JSON on line {number}: {_json_problem(exc)}")
            continue
        yield _from_mapping(value, where)
    if blank:
        yield Skipped(source, "no records: every line is blank")


def _json_problem(exc: ValueError | RecursionError) -> str:
    # Valid JSON syntax that Python will not load: arrays nested thousands deep, integers of thousands of digits.
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).split(";")[0].lower()


def _read_json(stream: TextIO, source: str) -> Iterator[_Item]:
    # A .json file is parsed whole; large collections belong in JSONL, which streams.
    try:
        value = json.load(stream)
    except json.JSONDecodeError as exc:
        yield Skipped(source, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except (ValueError, RecursionError) as exc:
        yield Skipped(source, f"invalid JSON: {_json_problem(exc)}")
        return
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield _from_mapping(item, f"{source}#{number}")
    else:
        yield _from_mapping(value, source)


def _read_csv(stream: TextIO, source: str) -> Iterator[_Item]:
    yield from _csv_records(stream, source, delimiter=",")


def _read_tsv(stream: TextIO, source: str) -> Iterator[_Item]:
    yield from _csv_records(stream, source, delimiter="\t")


def _csv_records(stream: TextIO, source: str, *, delimiter: str) -> Iterator[_Item]:
    # Rows are numbered as a spreadsheet shows them: the header is row 1, the first article row 2.
    # The csv module refuses fields over 128 KiB by default, and an article's text can be longer.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    reader = csv.DictReader(stream, delimiter=delimiter)
    row_number = 1
    try:
        columns = [name for name in reader.fieldnames or [] if name]
        if not columns:
            yield Skipped(source, "no header row")
            return
        if _find_key(columns, TEXT_FIELDS) is None:
            yield Skipped(
                source,
                f"no text column (looked for {', '.join(TEXT_FIELDS)}; the columns are {', '.join(columns)})",
            )
            return
        for row_number, row in enumerate(reader, start=2):
            yield _from_mapping({key: value for key, value in row.items() if key}, f"{source}:{row_number}")
        if row_number == 1:
            yield Skipped(source, "a header row but no article rows")
    except csv.Error as exc:
        yield Skipped(f"{source}:{row_number + 1}", f"CSV error, rest of the file skipped: {exc}")


def _read_html(stream: TextIO, source: str) -> Iterator[_Item]:
    import trafilatura  # heavy: loaded only when a web page is read

    page = stream.read(MAX_HTML_CHARS + 1)
    undecodable = _undecodable_reason(page, stream.encoding)
    if undecodable:
        yield Skipped(source, undecodable)
        return
    too_large = _html_limit_reason(page)
    if too_large:
        yield Skipped(source, too_large)
        return
    document = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    text = (getattr(document, "text", None) or "").strip()
    if not text:
        yield Skipped(source, "no article text found in the HTML page")
        return
    title = (document.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:  # trafilatura keeps the <h1> headline as the first line
        text = rest
    yield _Record(source, body=text, title=title, url=document.url, date=document.date)


def _html_limit_reason(page: str) -> str | None:
    """Why the page is past one of the limits on HTML pages (``MAX_HTML_*``), or None."""
    if len(page) > MAX_HTML_CHARS:
        return f"an HTML page of more than {MAX_HTML_CHARS:,} characters (kg.ingest.MAX_HTML_CHARS); not read"
    import lxml.etree
    import lxml.html

    try:  # huge_tree: measure the real depth, which libxml2 otherwise stops at
        root = lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError):
        return None  # nothing to measure: trafilatura says what it finds
    elements = widest = deepest = depth = 0
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        elements += 1
        widest, deepest = max(widest, len(element)), max(deepest, depth)
    limits = (
        (elements, MAX_HTML_ELEMENTS, "elements", "MAX_HTML_ELEMENTS"),
        (widest, MAX_HTML_CHILDREN, "elements side by side in one element", "MAX_HTML_CHILDREN"),
        (deepest, MAX_HTML_DEPTH, "levels of nested elements", "MAX_HTML_DEPTH"),
    )
    for found, limit, what, name in limits:
        if found > limit:
            return f"an HTML page with {found:,} {what}, over the limit of {limit:,} (kg.ingest.{name}); not read"
    return None


def _from_mapping(value: object, source: str) -> _Item:
    if not isinstance(value, Mapping):
        return Skipped(source, f"not a JSON object: {json.dumps(value)[:40]}")
    record_id = _field(value, ID_FIELDS)
    body = _field(value, TEXT_FIELDS)
    if not body:
        named = f" (id {record_id})" if record_id else ""
        return Skipped(source, f"no text in the record{named}: looked for {', '.join(TEXT_FIELDS)}")
    return _Record(
        source,
        body=body,
        title=_field(value, TITLE_FIELDS) or "",
        url=_field(value, URL_FIELDS),
        date=_field(value, DATE_FIELDS),
        record_id=record_id,
    )


def _field(record: Mapping[str, Any], names: Iterable[str]) -> str | None:
    """The first of ``names`` (any letter case) whose value is not blank, as a string."""
    lowered = {str(key).strip().lower(): value for key, value in record.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value is None or isinstance(value, dict | list):
            continue
        text = str(value).strip()
        if text:
            return text
    return None


def _find_key(keys: Iterable[str], names: Iterable[str]) -> str | None:
    lowered = {key.strip().lower() for key in keys}
    return next((name for name in names if name.lower() in lowered), None)


#: Files a folder walk passes over without a word: a README or attribution beside the articles. Named
#: explicitly, such a file is read as plain text.
DOCUMENTATION_SUFFIXES = frozenset({".md", ".rst"})

#: File extension -> reader. Files without an extension are plain text.
_READERS: dict[str, _Reader] = {
    "": _read_plain,
    ".txt": _read_plain,
    ".text": _read_plain,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".json": _read_json,
    ".csv": _read_csv,
    ".tsv": _read_tsv,
    ".html": _read_html,
    ".htm": _read_html,
}


def _reader_for(path: Path) -> _Reader | None:
    return _READERS.get(path.suffix.lower())


def _known_suffixes() -> str:
    return ", ".join(suffix for suffix in _READERS if suffix)


def count_single_article_files(sources: Iterable[str | Path]) -> int | None:
    """How many articles ``sources`` hold when each is a file of one article (text or HTML), else None.

    Cheap (names only, nothing is read): used for a progress bar's total.
    """
    single = {_read_plain, _read_html}
    count = 0
    for source in sources:
        if str(source) == STDIN:
            return None
        path = Path(source)
        try:
            is_dir = path.is_dir()
        except OSError:  # e.g. a name too long: read_articles reports it
            continue
        if is_dir:
            paths = [p for p in _walk(path) if isinstance(p, Path) and p.suffix.lower() not in DOCUMENTATION_SUFFIXES]
        else:
            paths = [path]
        for found in paths:
            if _reader_for(found) not in single:
                return None
            count += 1
    return count
