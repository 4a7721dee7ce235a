"""Reading articles: files, folders and stdin in, ``kg.model.Article`` objects out.

This module and :mod:`kg.input_formats` (one reader per format: plain text, JSON, JSONL, CSV/TSV, HTML pages) are
the only ones that know about inputs, character encodings and scraping debris. It decodes bytes (UTF-8 first, then
detection: :mod:`kg.decoding`), extracts the main text of web pages with trafilatura, cleans the text (shortcodes,
captions, whitespace: :mod:`kg.text`), gives each
article a stable id from its content and drops repeated articles. It streams: articles are yielded one at a
time, so a folder of 100,000 articles never sits in memory, and a text longer than ``MAX_ARTICLE_CHARS`` is
split on paragraph boundaries into parts that are articles of their own, so no single article outgrows memory.
Anything that cannot be read (a missing path, a binary or empty file, a broken record, bytes that are not text
in the file's encoding) is reported as a ``Skipped`` item (through ``on_skip`` or the ``kg.ingest`` logger) and
reading goes on with the next input.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import TextIO

from kg.dates import dateline
from kg.decoding import open_text
from kg.ids import article_id, content_hash
from kg.input_formats import (
    DATE_FIELDS,
    ID_FIELDS,
    MAX_HTML_CHARS,
    MAX_HTML_CHILDREN,
    MAX_HTML_DEPTH,
    MAX_HTML_ELEMENTS,
    SURROGATE,
    TEXT_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    Item,
    Record,
    Skipped,
    jsonl_records,
    known_suffixes,
    plain_records,
    read_html,
    read_plain,
    reader_for,
    undecodable_reason,
)
from kg.model import Article
from kg.text import clean_text

#: Public names of the input side, :mod:`kg.input_formats`' included (imported from here by callers and tests).
__all__ = [
    "DATE_FIELDS",
    "ID_FIELDS",
    "MAX_ARTICLE_CHARS",
    "MAX_HTML_CHARS",
    "MAX_HTML_CHILDREN",
    "MAX_HTML_DEPTH",
    "MAX_HTML_ELEMENTS",
    "STDIN",
    "TEXT_FIELDS",
    "TITLE_FIELDS",
    "URL_FIELDS",
    "Skipped",
    "clean_text",
    "count_single_article_files",
    "read_articles",
    "source_name",
    "text_chunks",
]

logger = logging.getLogger(__name__)

STDIN = "-"
STDIN_NAME = "<stdin>"

#: An article longer than this (in characters, after cleaning) is split on paragraph boundaries into parts, each
#: an article of its own titled "headline (part i of n)", so memory stays bounded whatever the input: a news
#: article is rarely a twentieth of this, and a part of this size takes about 0.8 GB with the default model.
MAX_ARTICLE_CHARS = 1_000_000


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


def _to_articles(record: Record) -> Iterator[Article | Skipped]:
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


def _read_source(source: str | Path) -> Iterator[Item]:
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
            elif reader_for(found) is None:
                yield Skipped(source_name(found), f"unknown file type {found.suffix!r} (known: {known_suffixes()})")
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


def _read_file(path: Path) -> Iterator[Item]:
    # A pipe or device (kg build <(zcat news.jsonl.gz) names /dev/fd/63) or an explicitly named file of unknown
    # type is read by its content, as stdin is; every other file by its extension.
    source = source_name(path)
    reader = reader_for(path)
    try:
        if reader is None or (reader is read_plain and not path.is_file()):
            reader = _read_sniffed
        with path.open("rb") as binary:
            stream = open_text(binary, empty_reason="empty file")
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
    if SURROGATE.search(name) is None:
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _read_stdin() -> Iterator[Item]:
    if sys.stdin is None:  # e.g. under pythonw, or a service started without one
        yield Skipped(STDIN_NAME, "no standard input")
        return
    buffer = getattr(sys.stdin, "buffer", None)
    stream = open_text(buffer, empty_reason="no input") if buffer is not None else sys.stdin
    if isinstance(stream, str):
        yield Skipped(STDIN_NAME, stream)
        return
    yield from _decoded(_read_sniffed(stream, STDIN_NAME), getattr(stream, "encoding", None) or "utf-8")


def _read_sniffed(stream: TextIO, source: str) -> Iterator[Item]:
    """JSONL when the first non-blank line starts with ``{``, else plain text; read without seeking, so JSONL
    from a pipe streams."""
    head: list[str] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    lines = chain(head, stream)
    if head and head[-1].lstrip().startswith("{"):
        yield from jsonl_records(lines, source)
    else:
        yield from plain_records("".join(lines), source)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _decoded(items: Iterable[Item], encoding: str) -> Iterator[Item]:
    """The items, but a record that holds a lone surrogate (an undecodable byte or a broken JSON escape) is a
    ``Skipped``: it cannot be written as UTF-8, and its text may be in another encoding than the file's."""
    for item in items:
        if isinstance(item, Record):
            for value in (item.body, item.title, item.url, item.date, item.record_id):
                reason = undecodable_reason(value, encoding) if value else None
                if reason:
                    item = Skipped(item.source, reason)
                    break
        yield item


#: Files a folder walk passes over without a word: a README or attribution beside the articles. Named
#: explicitly, such a file is read as plain text.
DOCUMENTATION_SUFFIXES = frozenset({".md", ".rst"})


def count_single_article_files(sources: Iterable[str | Path]) -> int | None:
    """How many articles ``sources`` hold when each is a file of one article (text or HTML), else None.

    Cheap (names only, nothing is read): used for a progress bar's total.
    """
    single = {read_plain, read_html}
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
            if reader_for(found) not in single:
                return None
            count += 1
    return count
