"""Reading articles: files, folders and stdin in, ``kg.model.Article`` objects out.

This module is the only one that knows about input formats (plain text, JSON, JSONL, CSV/TSV, HTML pages),
character encodings and scraping debris. It decodes bytes (UTF-8 first, then detection), extracts the main
text of web pages with trafilatura, removes WordPress shortcodes and normalises whitespace, gives each
article a stable id from its content and drops repeated articles. It streams: articles are yielded one at a
time, so a folder of 100,000 articles never sits in memory. Anything that cannot be read is reported as a
``Skipped`` item (through ``on_skip`` or the ``kg.ingest`` logger) and reading goes on with the next input.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, TextIO

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

_SAMPLE_BYTES = 1 << 20  # the encoding is decided on the first MiB (the whole file for almost every article)
_UNICODE_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Skipped:
    """An input, or one record of it, that gave no article, and why.

    ``source`` is a path, ``path:LINE`` (JSONL), ``path:ROW`` (CSV), ``path#N`` (JSON list) or ``<stdin>``.

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
        path, empty or binary file, bad JSON line, record without text, page without article, duplicate).
        When None, each one is logged as a warning on the ``kg.ingest`` logger.

    Returns
    -------
    An iterator of ``Article``: ``text`` is the cleaned headline, a blank line and the cleaned body (the body
    alone when there is no headline); ``id`` is ``kg.ids.article_id(text, title)``.

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
            article = _to_article(item)
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
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width debris, soft hyphens
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")  # any whitespace but a newline: tabs, NBSP, thin spaces, ...
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Remove scraping debris and normalise whitespace; quotes and apostrophes are kept as they are.

    Rules, in order: Unicode NFC; line breaks become ``\\n``; zero-width characters and soft hyphens go;
    WordPress shortcodes (see ``_SHORTCODE``) are replaced by a newline when they sit between a sentence end
    and a word (so the word starts a new sentence), else by a space; runs of spaces, tabs and NBSPs become
    one space; every line is stripped; three or more newlines become two.

    >>> clean_text("in Syria.[adrotate group=”10″]Tillerson  said\\u00a0it [sic] [1].[/caption]")
    'in Syria.\\nTillerson said it [sic] [1].'
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _SHORTCODE_RUN.sub(_replace_shortcode, text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _replace_shortcode(match: re.Match[str]) -> str:
    before = match.string[max(0, match.start() - 20) : match.start()]
    if _SENTENCE_END_BEFORE.search(before) and _WORD_AFTER.match(match.string, match.end()):
        return "\n"
    return " "


def _to_article(record: _Record) -> Article | Skipped:
    title = " ".join(clean_text(record.title).split())
    body = clean_text(record.body)
    if not body:
        return Skipped(record.source, "no text after cleaning")
    text = f"{title}\n\n{body}" if title else body
    return Article(
        id=article_id(text, title),
        text=text,
        title=title,
        url=record.url,
        date=record.date,
        source=record.source,
        source_id=record.record_id,
    )


def _log_skip(skipped: Skipped) -> None:
    logger.warning("skipped %s: %s", skipped.source, skipped.reason)


# --- sources: paths, folders, stdin ---------------------------------------------------------------------


def _read_source(source: str | Path) -> Iterator[_Item]:
    if str(source) == STDIN:
        yield from _read_stdin()
        return
    path = Path(source)
    if path.is_dir():
        for found in _walk(path):
            if isinstance(found, Skipped):
                yield found
            elif found.suffix.lower() in DOCUMENTATION_SUFFIXES:
                logger.info("passed over %s: documentation, not an article", found)
            elif _reader_for(found) is None:
                yield Skipped(str(found), f"unknown file type {found.suffix!r} (known: {_known_suffixes()})")
            else:
                yield from _read_file(found)
    elif path.exists():
        yield from _read_file(path)
    else:
        yield Skipped(str(path), "no such file or directory")


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """Files under ``folder`` in name order, depth first; hidden entries and folder symlinks are left out."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(str(folder), _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif entry.is_symlink() and entry.is_dir():
            # not followed: a link back up the tree would make the walk endless
            yield Skipped(str(path), "symbolic link to a folder (not followed)")
        else:
            yield path


def _read_file(path: Path) -> Iterator[_Item]:
    reader = _reader_for(path) or _read_plain  # an explicitly named file of unknown type: try plain text
    try:
        with path.open("rb") as binary:
            stream = _open_text(binary, empty_reason="empty file")
            if isinstance(stream, str):
                yield Skipped(str(path), stream)
                return
            yield from reader(stream, str(path))
    except OSError as exc:
        yield Skipped(str(path), _os_reason(exc))


def _read_stdin() -> Iterator[_Item]:
    if sys.stdin is None:  # e.g. under pythonw, or a service started without one
        yield Skipped(STDIN_NAME, "no standard input")
        return
    buffer = getattr(sys.stdin, "buffer", None)
    stream = _open_text(buffer, empty_reason="no input") if buffer is not None else sys.stdin
    if isinstance(stream, str):
        yield Skipped(STDIN_NAME, stream)
        return
    # Sniff the first non-blank line without reading the rest, so JSONL on stdin streams.
    head: list[str] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    lines = chain(head, stream)
    if head and head[-1].lstrip().startswith("{"):
        yield from _jsonl_records(lines, STDIN_NAME)
    else:
        yield from _plain_records("".join(lines), STDIN_NAME)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


# --- decoding --------------------------------------------------------------------------------------------


def _open_text(binary: BinaryIO, *, empty_reason: str) -> TextIO | str:
    """A text stream over ``binary``, its encoding decided on the first bytes; or the reason it is not text.

    UTF-8 (BOM stripped) when the bytes are valid UTF-8, UTF-16/32 when they start with a BOM, else what
    charset-normalizer detects. Bytes after the sample that do not decode become U+FFFD.
    """
    sample = binary.read(_SAMPLE_BYTES)
    if not sample:
        return empty_reason
    encoding = _detect_encoding(sample, complete=len(sample) < _SAMPLE_BYTES)
    if encoding is None:
        return "binary file"
    raw = _Prefixed(sample, binary)
    return io.TextIOWrapper(io.BufferedReader(raw), encoding=encoding, errors="replace", newline="")


def _detect_encoding(sample: bytes, *, complete: bool) -> str | None:
    for bom, encoding in _UNICODE_BOMS:
        if sample.startswith(bom):
            return encoding
    if b"\x00" in sample:
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
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
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"invalid JSON on line {number}: {exc.msg} (column {exc.colno})")
            continue
        yield _from_mapping(value, where)


def _read_json(stream: TextIO, source: str) -> Iterator[_Item]:
    # A .json file is parsed whole; large collections belong in JSONL, which streams.
    try:
        value = json.load(stream)
    except json.JSONDecodeError as exc:
        yield Skipped(source, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
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

    document = trafilatura.bare_extraction(stream.read(), with_metadata=True, include_comments=False)
    text = (getattr(document, "text", None) or "").strip()
    if not text:
        yield Skipped(source, "no article text found in the HTML page")
        return
    title = (document.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:  # trafilatura keeps the <h1> headline as the first line
        text = rest
    yield _Record(source, body=text, title=title, url=document.url, date=document.date)


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
        if path.is_dir():
            paths = [p for p in _walk(path) if isinstance(p, Path) and p.suffix.lower() not in DOCUMENTATION_SUFFIXES]
        else:
            paths = [path]
        for found in paths:
            if _reader_for(found) not in single:
                return None
            count += 1
    return count
