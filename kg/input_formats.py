"""The input formats: one reader per format (plain text, JSON, JSONL, CSV/TSV, HTML pages) that turns a decoded
stream into records, and the table that picks a reader by file extension. :mod:`kg.ingest` opens the sources,
decodes them and turns the records into articles; this module knows only what each format looks like.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from kg.text import clean_text

#: Record fields, in order of preference, for JSON, JSONL and CSV/TSV inputs (matched case-insensitively).
TEXT_FIELDS = ("text", "body", "content", "article")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
DATE_FIELDS = ("date", "published", "datePublished")
ID_FIELDS = ("id",)

#: Limits on one HTML page. trafilatura's time grows with the square of the number of sibling elements (10,000
#: sibling <div>s take about 17 s, 40,000 about 4 minutes), and libxml2 drops what is nested deeper than 255
#: elements; a news page is far inside all of them (a few thousand elements, a few levels of nesting). A page past
#: one is skipped with a reason that names the limit.
MAX_HTML_CHARS = 10_000_000
MAX_HTML_ELEMENTS = 50_000
MAX_HTML_CHILDREN = 5_000  # of one element
MAX_HTML_DEPTH = 255

_CSV_FIELD_LIMIT = 2**31 - 1  # the largest the csv module takes on every platform
# Bytes that did not decode come out of errors="surrogateescape" as U+DC80..U+DCFF; other lone surrogates come
# from JSON escapes such as \ud83d without their other half. Neither is a character: no UTF-8 file can hold it.
SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Skipped:
    """An input, or one record of it, that gave no article, and why.

    ``source`` is a path, ``path:LINE`` (JSONL), ``path:ROW`` (CSV), ``path#N`` (JSON list) or ``<stdin>``, and
    ``SOURCE (part N)`` for a part of a text longer than :data:`kg.ingest.MAX_ARTICLE_CHARS`.

    >>> Skipped("news/a.bin", "binary file")
    Skipped(source='news/a.bin', reason='binary file')
    """

    source: str
    reason: str


@dataclass(frozen=True)
class Record:
    """One article as a format reader found it, before cleaning."""

    source: str
    body: str
    title: str = ""
    url: str | None = None
    date: str | None = None
    record_id: str | None = None  # the input's own id, kept as Article.source_id


Item = Record | Skipped
Reader = Callable[[TextIO, str], Iterator[Item]]


def undecodable_reason(text: str, encoding: str) -> str | None:
    found = SURROGATE.search(text)
    if found is None:
        return None
    before = SURROGATE.sub("\ufffd", text[max(0, found.start() - 30) : found.start()])
    where = f"after {before!r}" if before else "at the start of the text"
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # errors="surrogateescape" keeps an undecodable byte as U+DC80 + byte
        name = "UTF-8" if encoding.lower().replace("_", "-").startswith("utf-8") else encoding
        return f"not valid {name}: byte 0x{code - 0xDC00:02X} {where}; save the file as UTF-8 and run again"
    return (
        f"a lone surrogate U+{code:04X} {where} (half of a UTF-16 pair, not a character); "
        "fix the \\u escape in the input"
    )


# --- formats -------------------------------------------------------------------------------------------


def read_plain(stream: TextIO, source: str) -> Iterator[Item]:
    yield from plain_records(stream.read(), source)


def plain_records(text: str, source: str) -> Iterator[Item]:
    # The headline is the first non-empty line once debris is gone; a single line is a body, not a title.
    lines = clean_text(text).split("\n", 1)
    if not lines[0]:
        yield Skipped(source, "no text after cleaning")
    elif len(lines) == 1 or not lines[1].strip():
        yield Record(source, body=lines[0])
    else:
        yield Record(source, body=lines[1], title=lines[0])


def read_jsonl(stream: TextIO, source: str) -> Iterator[Item]:
    yield from jsonl_records(stream, source)


def jsonl_records(lines: Iterable[str], source: str) -> Iterator[Item]:
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


def read_json(stream: TextIO, source: str) -> Iterator[Item]:
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


def read_csv(stream: TextIO, source: str) -> Iterator[Item]:
    yield from _csv_records(stream, source, delimiter=",")


def read_tsv(stream: TextIO, source: str) -> Iterator[Item]:
    yield from _csv_records(stream, source, delimiter="\t")


def _csv_records(stream: TextIO, source: str, *, delimiter: str) -> Iterator[Item]:
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


def read_html(stream: TextIO, source: str) -> Iterator[Item]:
    import trafilatura  # heavy: loaded only when a web page is read

    page = stream.read(MAX_HTML_CHARS + 1)
    undecodable = undecodable_reason(page, stream.encoding)
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
    yield Record(source, body=text, title=title, url=document.url, date=document.date)


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


def _from_mapping(value: object, source: str) -> Item:
    if not isinstance(value, Mapping):
        return Skipped(source, f"not a JSON object: {json.dumps(value)[:40]}")
    record_id = _field(value, ID_FIELDS)
    body = _field(value, TEXT_FIELDS)
    if not body:
        named = f" (id {record_id})" if record_id else ""
        return Skipped(source, f"no text in the record{named}: looked for {', '.join(TEXT_FIELDS)}")
    return Record(
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


#: File extension -> reader. Files without an extension are plain text.
READERS: dict[str, Reader] = {
    "": read_plain,
    ".txt": read_plain,
    ".text": read_plain,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": read_tsv,
    ".html": read_html,
    ".htm": read_html,
}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())


def known_suffixes() -> str:
    return ", ".join(suffix for suffix in READERS if suffix)
