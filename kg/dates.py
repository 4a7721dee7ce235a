"""Article dates: the written forms news uses -> ISO dates (``YYYY-MM-DD``), and the dateline of a text.

An article's date comes from its record (a JSON/CSV ``date`` field, an HTML page's metadata read by trafilatura)
or, when the record has none, from its dateline: the first non-empty line of the body, when that line is a date
and nothing else, as Wikinews writes it under the headline ("Friday, January 4, 2019"). The HTML view
(``kg.viz``) filters relations by these dates, so every date it shows goes through :func:`parse_date`.

Rules of :func:`parse_date` (the whole text must be the date; letter case and surrounding spaces do not matter):

- ISO 8601: ``2019-01-04``, also with a time (``2019-01-04T10:30:00Z``, ``2019-01-04 10:30``) or slashes
  (``2019/01/04``);
- month name first: ``January 4, 2019``, ``Jan. 4 2019``, ``Sept 4, 2019``;
- day first: ``4 January 2019``, ``4 Jan. 2019``, ``4th January 2019``;
- either of them after a weekday: ``Friday, January 4, 2019``, ``Fri 4 January 2019``;
- RFC 2822 (RSS feeds, e-mail): ``Fri, 04 Jan 2019 10:30:00 +0000``.

Numeric dates other than year first (``01/04/2019``) are refused: they mean 1 April in Europe and 4 January in the
United States. A date that does not exist (``February 30, 2019``) is refused. A date without a year is refused.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_ISO = re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?:[t\s]\d{1,2}:\d{2}\S*)?")
_MONTH_FIRST = re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}")
_DAY_FIRST = re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}")
_RFC_2822 = re.compile(r"(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+\S+")
_LONGEST_DATELINE = 40  # characters: "Wednesday, September 30, 2020" is 29


def parse_date(text: str) -> str | None:
    """The ISO date (``YYYY-MM-DD``) that ``text`` writes, or None if it is not a date in the module's forms.

    >>> parse_date("Friday, January 4, 2019")
    '2019-01-04'
    >>> parse_date("4 Jan. 2019"), parse_date("2019-01-04T10:30:00Z"), parse_date("01/04/2019")
    ('2019-01-04', '2019-01-04', None)
    """
    text = " ".join(text.split()).lower()
    for pattern in (_ISO, _MONTH_FIRST, _DAY_FIRST):
        found = pattern.fullmatch(text)
        if found:
            month = found["month"]
            month_number = int(month) if month.isdigit() else _MONTHS.get(month)
            return _iso(int(found["year"]), month_number, int(found["day"]))
    if _RFC_2822.fullmatch(text):
        try:
            return parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError):
            return None
    return None


def dateline(body: str) -> str | None:
    """The ISO date of a text's dateline: its first non-empty line, when that line is a date and nothing else.

    >>> dateline("\\nFriday, January 4, 2019\\n\\nAn apartment building collapsed on Monday.")
    '2019-01-04'
    >>> dateline("An apartment building collapsed on January 4, 2019.") is None
    True
    """
    for line in body.split("\n"):
        line = line.strip()
        if line:
            return parse_date(line) if len(line) <= _LONGEST_DATELINE else None
    return None


def _iso(year: int, month: int | None, day: int) -> str | None:
    if month is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # 30 February, month 13
        return None
