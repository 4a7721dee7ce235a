"""kg.dates: written dates -> ISO dates; the dateline of a text; ingest takes it when a record has none."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.dates import dateline, parse_date
from kg.ingest import read_articles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-01-04", "2019-01-04"),
        ("2019-1-4", "2019-01-04"),
        ("2019/01/04", "2019-01-04"),
        ("2019-01-04T10:30:00Z", "2019-01-04"),
        ("2019-01-04 10:30", "2019-01-04"),
        ("January 4, 2019", "2019-01-04"),
        ("Friday, January 4, 2019", "2019-01-04"),
        ("  friday,   JANUARY 4, 2019 ", "2019-01-04"),
        ("Jan. 4 2019", "2019-01-04"),
        ("Sept 30, 2020", "2020-09-30"),
        ("4 January 2019", "2019-01-04"),
        ("Wednesday 30 September 2020", "2020-09-30"),
        ("4th Jan. 2019", "2019-01-04"),
        ("Fri, 04 Jan 2019 10:30:00 +0000", "2019-01-04"),
    ],
)
def test_written_dates_become_iso_dates(text: str, expected: str):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "01/04/2019",  # 1 April or 4 January
        "February 30, 2019",
        "2019-13-01",
        "January 4",  # no year
        "Smarch 4, 2019",
        "On January 4, 2019, a building collapsed.",
        "",
    ],
)
def test_what_is_not_a_date_alone_is_refused(text: str):
    assert parse_date(text) is None


def test_the_dateline_is_the_first_non_empty_line_of_the_body():
    assert dateline("\n\nFriday, January 4, 2019\n\nA building collapsed.") == "2019-01-04"
    assert dateline("A building collapsed.\n\nFriday, January 4, 2019") is None  # only the first line
    assert dateline("Friday, January 4, 2019, was a cold day in Magnitogorsk, where it snowed.") is None
    assert dateline("") is None


def test_ingest_dates_a_text_by_its_dateline_and_a_record_by_its_own_field(tmp_path: Path):
    (tmp_path / "a.txt").write_text(
        "Magnitogorsk building collapses\n\nFriday, January 4, 2019\n\nA building collapsed.\n", encoding="utf-8"
    )
    (tmp_path / "b.jsonl").write_text(
        '{"title": "Later", "date": "2019-02-01", "text": "Friday, January 4, 2019\\n\\nA building collapsed."}\n',
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text("No date here\n\nA building collapsed.\n", encoding="utf-8")
    dates = {Path(article.source).name: article.date for article in read_articles(tmp_path)}
    assert dates == {"a.txt": "2019-01-04", "b.jsonl:1": "2019-02-01", "c.txt": None}
