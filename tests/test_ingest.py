"""Tests for kg.ingest: every input format, encodings, skips, dedup and shortcode cleaning."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
import threading
from pathlib import Path

import pytest

from kg import ingest
from kg.ids import article_id
from kg.ingest import Skipped, clean_text, read_articles, text_chunks
from kg.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "syria-tillerson.txt"

BODY = "Rex Tillerson met Sergey Lavrov in Moscow on Wednesday."


def read(sources: list[str | Path]) -> tuple[list[Article], list[Skipped]]:
    skipped: list[Skipped] = []
    articles = list(read_articles(sources, on_skip=skipped.append))
    return articles, skipped


# --- plain text -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("story.txt", f"Tillerson visits Moscow\n{BODY}\n"),  # headline on the first line
        ("story.text", f"Tillerson visits Moscow\n\n{BODY}"),  # blank line after the headline
        ("story", f"\n\n  Tillerson visits Moscow  \n{BODY}"),  # leading blank lines, padded headline
        ("story", f"Tillerson visits Moscow\r\n{BODY}\r\n"),  # no extension, Windows line endings
    ],
)
def test_plain_text_headline_is_title_and_starts_text(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    [article], skipped = read([path])
    assert skipped == []
    assert article.title == "Tillerson visits Moscow"
    assert article.text == f"Tillerson visits Moscow\n\n{BODY}"
    assert article.source == str(path)
    assert article.id == article_id(article.text, article.title)


def test_single_line_file_is_a_body_without_title(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(BODY + "\n")
    [article], _ = read([tmp_path / "one.txt"])
    assert (article.title, article.text) == ("", BODY)


def test_explicit_file_with_unknown_extension_is_read_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "story.log"
    path.write_text(f"Headline\n{BODY}")
    [article], skipped = read([path])
    assert skipped == []
    assert article.title == "Headline"


# --- folders ------------------------------------------------------------------------------------------------


def test_folder_is_walked_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    files = {
        "c.txt": "Third article\nBody of the third.",
        "a.txt": "First article\nBody of the first.",
        "b/z.txt": "Fifth article\nBody of the fifth.",
        "b/deep/y.txt": "Fourth article\nBody of the fourth.",
        "b/.secret.txt": "Hidden file\nNever read.",
        ".hidden/x.txt": "Hidden folder\nNever read.",
        "notes.pdf": "Not an article",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)

    articles, skipped = read([tmp_path])
    titles = [article.title for article in articles]
    assert titles == ["First article", "Fourth article", "Fifth article", "Third article"]
    assert [article.title for article in read_articles([tmp_path], on_skip=lambda s: None)] == titles
    assert len(skipped) == 1
    assert skipped[0].source == str(tmp_path / "notes.pdf")
    assert "unknown file type '.pdf'" in skipped[0].reason


def test_missing_path_is_skipped_and_reading_continues(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(f"Headline\n{BODY}")
    articles, skipped = read([tmp_path / "missing.txt", tmp_path / "ok.txt"])
    assert [article.title for article in articles] == ["Headline"]
    assert skipped == [Skipped(str(tmp_path / "missing.txt"), "no such file or directory")]


def test_skips_are_logged_when_there_is_no_callback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        assert list(read_articles([tmp_path / "missing.txt"])) == []
    assert "no such file or directory" in caplog.text
    assert caplog.records[0].name == "kg.ingest"


# --- JSON, JSONL, CSV ---------------------------------------------------------------------------------------


def test_jsonl_broken_line_is_skipped_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "First", "text": "Body one.", "url": "https://x/1", "date": "2017-07-06"}),
        '{"title": "Broken", "text": "no closing brace"',
        "",
        json.dumps({"headline": "Second", "body": "Body two.", "link": "https://x/2", "published": "2017-07-07"}),
    ]
    path.write_text("\n".join(lines) + "\n")

    articles, skipped = read([path])
    assert [(a.title, a.text, a.url, a.date, a.source) for a in articles] == [
        ("First", "First\n\nBody one.", "https://x/1", "2017-07-06", f"{path}:1"),
        ("Second", "Second\n\nBody two.", "https://x/2", "2017-07-07", f"{path}:4"),
    ]
    [broken] = skipped
    assert broken.source == f"{path}:2"
    assert "line 2" in broken.reason


def test_json_list_of_objects(tmp_path: Path) -> None:
    path = tmp_path / "news.json"
    records = [
        {"title": "First", "content": "Body one.", "datePublished": "2017-07-06"},
        {"article": "Body two without a title."},
    ]
    path.write_text(json.dumps(records))
    articles, skipped = read([path])
    assert skipped == []
    assert [(a.title, a.text, a.date) for a in articles] == [
        ("First", "First\n\nBody one.", "2017-07-06"),
        ("", "Body two without a title.", None),
    ]
    assert [a.source for a in articles] == [f"{path}#1", f"{path}#2"]


def test_json_single_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"title": "Only", "text": BODY}))
    [article], _ = read([path])
    assert (article.title, article.source) == ("Only", str(path))


def test_record_without_text_names_the_fields_looked_for(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"id": "r7", "title": "Headline only"}) + "\n")
    articles, [skipped] = read([path])
    assert articles == []
    assert skipped.source == f"{path}:1"
    assert "text, body, content, article" in skipped.reason
    assert "r7" in skipped.reason


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [("news.csv", ","), ("news.tsv", "\t")],
)
def test_csv_one_article_per_row(tmp_path: Path, name: str, delimiter: str) -> None:
    path = tmp_path / name
    rows = [
        ["Title", "Text", "URL"],
        ["First", "Body one, with a comma.", "https://x/1"],
        ["", "Body two.", ""],
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    articles, skipped = read([path])
    assert skipped == []
    assert [(a.title, a.text, a.url, a.source) for a in articles] == [
        ("First", "First\n\nBody one, with a comma.", "https://x/1", f"{path}:2"),
        ("", "Body two.", None, f"{path}:3"),
    ]


def test_csv_without_text_column_names_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text("headline,author\nFirst,Someone\n")
    articles, [skipped] = read([path])
    assert articles == []
    assert skipped.source == str(path)
    assert "text, body, content, article" in skipped.reason
    assert "headline, author" in skipped.reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("news.json", '[{"text": "Body."}', "invalid JSON"),  # the whole file is one JSON value
        ("news.csv", "title,text\n", "no article rows"),  # a header alone
    ],
)
def test_file_without_articles_is_skipped(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    articles, [skipped] = read([path])
    assert articles == []
    assert skipped.source == str(path)
    assert reason in skipped.reason


# --- HTML ---------------------------------------------------------------------------------------------------


def test_html_page_main_text_and_metadata() -> None:
    path = FIXTURES / "news-page.html"
    [article], skipped = read([path])
    assert skipped == []
    assert article.title == "Tillerson urges Russia to help stabilise Syria"
    assert article.text.startswith("Tillerson urges Russia to help stabilise Syria\n\n")
    assert article.text.count("Tillerson urges Russia") == 1
    for paragraph in (
        "Russia has a special responsibility for ensuring stability in Syria",
        "His comments came ahead of President Donald Trump’s first face-to-face meeting",
        "Tillerson said Washington and Moscow had unresolved differences",
    ):
        assert paragraph in article.text
    for debris in (
        "World desk menu",
        "Subscribe",
        "cheap flights",
        "Copyright",
        "Privacy policy",
        "cup final",
    ):
        assert debris not in article.text
    assert article.url == "https://news.example.com/world/2017/07/06/tillerson-russia-syria"
    assert article.date == "2017-07-06"


def test_html_without_article_is_skipped(tmp_path: Path) -> None:
    # a page rendered by JavaScript: the HTML itself holds no article
    path = tmp_path / "app.html"
    path.write_text(
        "<html><head><title>News app</title><script src='/app.js'></script></head>"
        "<body><div id='root'></div><noscript></noscript></body></html>"
    )
    articles, [skipped] = read([path])
    assert articles == []
    assert skipped == Skipped(str(path), "no article text found in the HTML page")


# --- stdin --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (f"Headline from a pipe\n{BODY}\n", [("Headline from a pipe", "<stdin>")]),  # plain text
        (  # JSONL, recognised by its first character
            '\n{"title": "One", "text": "Body one."}\n{"title": "Two", "text": "Body two."}\n',
            [("One", "<stdin>:2"), ("Two", "<stdin>:3")],
        ),
    ],
)
def test_stdin(monkeypatch: pytest.MonkeyPatch, data: str, expected: list[tuple[str, str]]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8")), encoding="utf-8"))
    articles, skipped = read(["-"])
    assert skipped == []
    assert [(a.title, a.source) for a in articles] == expected


# --- encodings, binary and empty files ----------------------------------------------------------------------

ACCENTED = "Café owner says ‘we will stay’\nThe café in Zürich stays open, the owner said — “for now”."


@pytest.mark.parametrize(
    "encoding",
    [
        "cp1252",  # Windows-1252, typographic quotes in 0x80-0x9F
        "utf-8",
        "utf-8-sig",  # BOM stripped
        "utf-16",  # BOM tells the byte order
    ],
)
def test_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(ACCENTED.encode(encoding))
    [article], skipped = read([path])
    assert skipped == []
    assert article.title == "Café owner says ‘we will stay’"
    assert "The café in Zürich stays open, the owner said — “for now”." in article.text


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes("Le café de la Gare\nLe café est fermé à Genève depuis lundi.".encode("latin-1"))
    [article], _ = read([path])
    assert article.text == "Le café de la Gare\n\nLe café est fermé à Genève depuis lundi."


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary file (PNG image)"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image)"),
        (
            "report.txt",
            b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
            "binary file (ZIP archive, or a DOCX, XLSX or EPUB file)",
        ),
        ("dump.txt", b"\x1f\x8b\x08\x00" + bytes(range(32, 127)), "binary file (gzip archive)"),
        ("noise.txt", bytes(range(1, 256)) * 4, "binary file"),  # control bytes, no NUL, no signature
        ("empty.txt", b"", "empty file"),
        ("blank.jsonl", b"\n \n\t\n", "no records: every line is blank"),
    ],
)
def test_unreadable_files_are_skipped(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "z.txt").write_text(f"Headline\n{BODY}")
    articles, skipped = read([tmp_path])
    assert [article.title for article in articles] == ["Headline"]
    assert skipped == [Skipped(str(tmp_path / name), reason)]


def test_a_few_control_characters_do_not_make_a_file_binary(tmp_path: Path) -> None:
    path = tmp_path / "terminal.txt"
    path.write_bytes(b"Headline\n\x1b[1mBold\x1b[0m " + BODY.encode() + b"\x07\n\x1a")  # ANSI codes, a bell, DOS EOF
    [article], skipped = read([path])
    assert skipped == []
    assert article.text == f"Headline\n\n[1mBold [0m {BODY}"  # read as text; clean_text makes the controls spaces


def test_utf8_with_a_bad_byte_is_skipped_with_the_byte_not_read_as_another_encoding(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes("Zürich café\nThe café in Zürich".encode() + b" is \x92open\x92.")  # a Windows-1252 quote
    articles, [skipped] = read([path])
    assert articles == []
    assert skipped == Skipped(
        str(path), "not valid UTF-8: byte 0x92 after 'The café in Zürich is '; save the file as UTF-8 and run again"
    )


def test_a_bad_byte_after_the_first_mebibyte_skips_only_its_record(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    good = json.dumps({"title": "Zürich", "text": "x " * 1000}, ensure_ascii=False).encode() + b"\n"
    lines = good * (2**20 // len(good) + 1)
    path.write_bytes(lines + b'{"title": "Late", "text": "bad \xe9 byte"}\n' + good.replace(b"x ", b"y "))
    articles, skipped = read([path])
    assert len(articles) == 2  # the repeated line once (the rest are duplicates), and the last one
    [bad] = [item for item in skipped if not item.reason.startswith("duplicate")]
    assert bad.reason.startswith("not valid UTF-8: byte 0xE9 after 'bad '")


def test_html_page_with_an_undecodable_byte_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><body><article><p>Caf\xc3\xa9 in Z\xfcrich</p></article></body></html>")
    articles, [skipped] = read([path])
    assert articles == []
    assert skipped.reason.startswith("not valid UTF-8: byte 0xFC after 'ml><body><article><p>Café in Z'")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 100_000, "invalid JSON: nested too deeply"),
        ('{"text": ' + "9" * 5000 + "}", "invalid JSON: exceeds the limit (4300 digits)"),
    ],
)
def test_json_that_python_will_not_load_is_skipped(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "news.json"
    path.write_text(content)
    articles, [skipped] = read([path])
    assert articles == [] and skipped.source == str(path) and skipped.reason.startswith(reason)


def test_csv_field_longer_than_the_csv_modules_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    long_body = "Tillerson spoke. " * 20_000  # 340,000 characters: over the csv module's 131,072
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([["title", "text"], ["Long", long_body]])
    [article], skipped = read([path])
    assert skipped == []
    assert article.text == f"Long\n\n{long_body.strip()}"


def test_a_named_pipe_given_by_name_is_read(tmp_path: Path) -> None:
    # as with kg build <(zcat news.txt.gz); in a folder a pipe is skipped instead (see test_hostile)
    pipe = tmp_path / "feed"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("w") as out:
            out.write(f"From a pipe\n{BODY}\n")

    writer = threading.Thread(target=write)
    writer.start()
    [article], skipped = read([pipe])
    writer.join()
    assert skipped == []
    assert article.title == "From a pipe"


# --- very long texts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "max_chars", "pieces"),
    [
        ("Short.", 10, ["Short."]),
        ("", 10, [""]),
        # after the last paragraph break that fits
        ("One.\n\nTwo two.\n\nThree.", 18, ["One.\n\nTwo two.\n\n", "Three."]),
        # no paragraph break fits: after a line break, then a sentence end, then a space
        ("One two.\nThree four five.", 12, ["One two.\n", "Three four ", "five."]),
        ("One two. Three four.", 12, ["One two. ", "Three four."]),
        ("One two three four", 10, ["One two ", "three four"]),
        # a run without any space is cut at the limit
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
    ],
)
def test_text_chunks(text: str, max_chars: int, pieces: list[str]) -> None:
    spans = text_chunks(text, max_chars=max_chars)
    assert [text[start:end] for start, end in spans] == pieces
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in zip(spans, spans[1:], strict=False))
    assert all(end - start <= max_chars for start, end in spans)


def test_a_text_longer_than_the_limit_is_split_into_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ingest, "MAX_ARTICLE_CHARS", 100)
    paragraphs = [f"Paragraph {n}: {BODY}" for n in range(5)]  # 67 characters each
    path = tmp_path / "long.txt"
    path.write_text("Long read\n" + "\n\n".join(paragraphs))

    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        articles, skipped = read([path])

    assert skipped == []
    assert [a.title for a in articles] == [f"Long read (part {n} of 5)" for n in range(1, 6)]
    assert [a.source for a in articles] == [f"{path} (part {n})" for n in range(1, 6)]
    assert [a.text for a in articles] == [f"Long read\n\n{paragraphs[0]}", *paragraphs[1:]]
    assert len({a.id for a in articles}) == 5
    length = len("Long read\n\n" + "\n\n".join(paragraphs))
    assert f"{path}: {length} characters, split into 5 articles of at most 100" in caplog.text


# --- dedup and ids ------------------------------------------------------------------------------------------


def test_duplicate_content_is_yielded_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Headline\n{BODY}")
    (tmp_path / "b.txt").write_text(f"  Headline\n\n\n{BODY}  \n")  # same text once cleaned
    (tmp_path / "c.jsonl").write_text(json.dumps({"title": "Headline", "text": BODY}) + "\n")
    articles, skipped = read([tmp_path])
    [first] = articles
    assert first.source == str(tmp_path / "a.txt")
    assert [s.source for s in skipped] == [str(tmp_path / "b.txt"), f"{tmp_path / 'c.jsonl'}:1"]
    assert all(first.id in s.reason and "duplicate" in s.reason for s in skipped)


def test_ids_are_stable_across_calls(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Headline\n{BODY}")
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "Other", "text": "Another body."}) + "\n")
    first = [article.id for article in read_articles([tmp_path])]
    second = [article.id for article in read_articles([tmp_path])]
    assert first == second
    assert len(set(first)) == 2
    assert first[0].startswith("headline-")


# --- cleaning -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        # the seed's shortcode glued to the next word, at the start of a line
        ("[adrotate group=”10″]Tillerson said Washington", "Tillerson said Washington"),
        # glued between a sentence end and a word: the word starts a new sentence
        ("for Syria.[adrotate group=”10″]Tillerson said", "for Syria.\nTillerson said"),
        # the seed's shortcode at the end of the text
        ("from the ashes of their caliphate”.\n[adrotate group=”9″]", "from the ashes of their caliphate”."),
        # straight quotes, closing tags and known shortcodes without attributes
        ('A [caption id="attachment_7" align="alignnone"]photo[/caption] here', "A photo here"),
        ("Watch [embed]https://v.example/1[/embed] now [gallery]", "Watch https://v.example/1 now"),
        # mid-sentence: replaced by a space
        ("the [ad]president said", "the president said"),
        # editorial brackets and references survive
        ("He said [sic] that [1] it was [2].", "He said [sic] that [1] it was [2]."),
        # whitespace: NBSP, tabs, padded lines, runs of blank lines
        ("One\u00a0two\t\tthree  \n\n\n\n  Four", "One two three\n\nFour"),
        # NFC: a combining accent is composed; typographic quotes are kept
        ("Cafe\u0301 ‘quoted’ “text”", "Café ‘quoted’ “text”"),
        # control characters become spaces, noncharacters go; a lone surrogate is kept for the reader to refuse
        ("a\x00b\x07c\x1fd\x7fe", "a b c d e"),
        ("no\ufffe\uffffn-characters \ud800", "non-characters \ud800"),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        pytest.param(
            "Obama wins\n\nTwitter / Barack Obama\n\nObama spoke.", "Obama wins\n\nObama spoke.", id="source / author"
        ),
        pytest.param("He left.\nAP Photo/Evan Vucci\nShe stayed.", "He left.\nShe stayed.", id="agency photo credit"),
        pytest.param("He left.\nImage: Nicholas Moreau.\nShe stayed.", "He left.\nShe stayed.", id="image credit"),
        pytest.param("He left.\n\nDakota, a deer. Image: Nicholas Moreau.", "He left.", id="caption and its credit"),
        pytest.param("Jo JorgensenImage: Jo Jorgensen for President.\nShe ran.", "She ran.", id="glued caption"),
        pytest.param("Ukraine / Russia\n\nTalks began.", "Ukraine / Russia\n\nTalks began.", id="a headline stays"),
        pytest.param("He said the Photo: no.", "He said the Photo: no.", id="a sentence stays"),
    ],
)
def test_photo_captions_and_credits_are_not_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


def test_clean_text_is_idempotent() -> None:
    raw = "In Syria.[adrotate group=”10″]Tillerson  said\u00a0[sic]\n\n\n\nEnd.[/caption]"
    assert clean_text(clean_text(raw)) == clean_text(raw)


# --- the seed article ---------------------------------------------------------------------------------------


def test_seed_article() -> None:
    assert SEED.is_file(), f"the seed article is missing: expected {SEED} (shared/ sits beside the repo)"
    [article], skipped = read([SEED])
    assert skipped == []
    first_line = SEED.read_text(encoding="utf-8").split("\n", 1)[0].strip()
    assert article.title == first_line
    assert article.text.startswith(first_line + "\n\n")
    assert "adrotate" not in article.text
    assert "\nTillerson said Washington and Moscow had “unresolved” differences" in article.text
    assert article.text.endswith("failed and fraudulent caliphate”.")


# --- what operators pipe in and copy over ---------------------------------------------------------------------

JSONL_TWO = '{"title": "One", "text": "Body one."}\n{"title": "Two", "text": "Body two."}\n'


def test_a_pipe_named_on_the_command_line_is_sniffed_as_jsonl() -> None:
    # what kg build <(zcat news.jsonl.gz) gets: a /dev/fd path without an extension, to a pipe
    reading, writing = os.pipe()
    os.write(writing, JSONL_TWO.encode("utf-8"))
    os.close(writing)
    try:
        articles, skipped = read([f"/dev/fd/{reading}"])
    finally:
        os.close(reading)
    assert skipped == []
    assert [(a.title, a.source) for a in articles] == [("One", f"/dev/fd/{reading}:1"), ("Two", f"/dev/fd/{reading}:2")]


def test_a_named_file_of_unknown_type_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "feed.out"
    path.write_text(JSONL_TWO, encoding="utf-8")
    articles, _ = read([path])
    assert [a.title for a in articles] == ["One", "Two"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(ACCENTED.encode(encoding))
    [article], skipped = read([path])
    assert skipped == []
    assert article.title == "Café owner says ‘we will stay’"


def test_one_nul_byte_does_not_make_a_text_binary(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(f"Tillerson visits Moscow\n{BODY}\x00\n".encode())
    [article], skipped = read([path])
    assert skipped == []
    assert article.text == f"Tillerson visits Moscow\n\n{BODY}"


def test_a_file_name_that_is_not_utf8_is_read_and_named_with_escapes(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes in the name, as copied from an old system
    (tmp_path / name).write_text(f"Cafe owner stays\n{BODY}", encoding="utf-8")
    [article], skipped = read([tmp_path])
    assert skipped == []
    assert article.source == f"{tmp_path}/caf\\xe9.txt"
    article.source.encode("utf-8")  # printable and storable


def _page(body: str) -> str:
    return f"<html><head><title>Storm</title></head><body><article><p>{BODY * 5}</p></article>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "limit"),
    [
        ("<div>x</div>" * (ingest.MAX_HTML_CHILDREN + 1), "elements side by side in one element, over the limit"),
        ("<div>" * (ingest.MAX_HTML_DEPTH + 50) + "x" + "</div>" * (ingest.MAX_HTML_DEPTH + 50), "levels of nested"),
        (("<ul>" + "<li>x</li>" * 99 + "</ul>") * (ingest.MAX_HTML_ELEMENTS // 100 + 1), "elements, over the limit"),
        ("<p>" + "word " * (ingest.MAX_HTML_CHARS // 5) + "</p>", "more than 10,000,000 characters"),
    ],
    ids=["siblings", "depth", "elements", "size"],
)
def test_an_html_page_past_a_limit_is_skipped_by_name(tmp_path: Path, body: str, limit: str) -> None:
    page = tmp_path / "huge.html"
    page.write_text(_page(body), encoding="utf-8")
    (tmp_path / "z.txt").write_text(f"Headline\n{BODY}")
    articles, [skipped] = read([tmp_path])
    assert [a.title for a in articles] == ["Headline"]
    assert skipped.source == str(page) and limit in skipped.reason and "kg.ingest.MAX_HTML_" in skipped.reason


def test_an_html_page_inside_the_limits_is_read(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page("<nav><ul>" + "<li><a href='/x'>link</a></li>" * 200 + "</ul></nav>"), encoding="utf-8")
    [article], skipped = read([page])
    assert skipped == [] and BODY in article.text
