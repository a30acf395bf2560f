"""Event evidence an article carries besides its words: numbers, years, dates, and its own date.

Why: two earthquakes, two rate decisions or two matches between the same teams share their
vocabulary (the *topic*); what tells the *events* apart is what the text pins down — the toll,
the magnitude, the score, the amount, the year and the day it mentions. And an undated page
still says when it was written: a dateline ("May 3, 2013"), a date in its address
(``/2013/05/03/``). Pure, regex only (the stories stage imports no other stage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from newsprism.model import Article

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# "May 3, 2013", "May 03 2013", "3 May 2013"; the year is optional (then only month-day)
_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?\b", re.IGNORECASE)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+((?:19|20)\d\d))?\b", re.IGNORECASE)
_ISO = re.compile(r"\b((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})\b")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2}|[a-z]{3,9})/(\d{1,2})(?:/|\b)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d,.$€£])\b((?:19|20)\d\d)\b(?![,.]?\d)")
# numbers that pin an event: tolls, magnitudes, scores, amounts (not years, not list markers)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w,]*\d)")
_SCORE = re.compile(r"\b(\d{1,3})\s*[-–]\s*(\d{1,3})\b")
_DATELINE_CHARS = 400


@dataclass(frozen=True)
class Evidence:
    """What one article says about *which* event it reports, beyond topic words."""

    numbers: frozenset[str]
    years: frozenset[int]
    days: frozenset[int]  # ordinal days of full dates mentioned (year known)
    stamp: float | None  # the article's own time: published, else its dateline or address
    stamp_source: str  # "published", "text" or "none"


def evidence_of(article: Article) -> Evidence:
    body = "\n".join([article.title, article.standfirst or "", *article.body])
    days = _full_dates(body)
    stamp, source = _own_stamp(article, body)
    years = frozenset(int(y) for y in _YEAR.findall(body))
    return Evidence(_numbers(body), years, frozenset(days), stamp, source)


def _own_stamp(article: Article, body: str) -> tuple[float | None, str]:
    """Publication time, else the page's address date, else a dateline near the top."""
    if article.published_at is not None:
        return article.published_at.timestamp(), "published"
    for address in (article.canonical_url, article.url, article.source):
        day = _url_day(address or "")
        if day is not None:
            return day, "text"
    top = _full_dates(body[:_DATELINE_CHARS])
    if top:
        return _ordinal_stamp(top[0]), "text"
    return None, "none"


def _url_day(address: str) -> float | None:
    match = _URL_DATE.search(address)
    if match is None:
        return None
    year, month_text, day = int(match.group(1)), match.group(2), int(match.group(3))
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].casefold(), 0)
    return _valid_stamp(year, month, day)


def _full_dates(text: str) -> list[int]:
    """Ordinal days of dates with a year, in text order (month-day without a year is skipped)."""
    found: list[tuple[int, int]] = []
    for match in _MDY.finditer(text):
        if match.group(3):
            found.append((match.start(), _ordinal(int(match.group(3)), match.group(1), int(match.group(2)))))
    for match in _DMY.finditer(text):
        if match.group(3):
            found.append((match.start(), _ordinal(int(match.group(3)), match.group(2), int(match.group(1)))))
    for match in _ISO.finditer(text):
        stamp = _valid_stamp(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if stamp is not None:
            found.append((match.start(), int(stamp // 86400) + _EPOCH_ORDINAL))
    return [day for _, day in sorted(found) if day > 0]


_EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()


def _ordinal(year: int, month_text: str, day: int) -> int:
    month = _MONTHS.get(month_text[:3].casefold(), 0)
    try:
        return datetime(year, month, day).toordinal()
    except ValueError:
        return 0


def _valid_stamp(year: int, month: int, day: int) -> float | None:
    try:
        return datetime(year, month, day, 12, tzinfo=UTC).timestamp()
    except ValueError:
        return None


def _ordinal_stamp(ordinal: int) -> float:
    return float((ordinal - _EPOCH_ORDINAL) * 86400 + 43200)


def _numbers(text: str) -> frozenset[str]:
    """Numbers that can tell two look-alike events apart, normalised ("1,400" -> "1400").

    Years are left to ``years``; 0-10 are too common to tell events apart; scores ("3-1")
    are kept as one token because each side alone is uninformative.
    """
    out: set[str] = set()
    for match in _SCORE.finditer(text):
        out.add(f"{match.group(1)}-{match.group(2)}")
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        if not value or (value.isdigit() and (int(value) <= 10 or 1900 <= int(value) <= 2099)):
            continue
        out.add(value)
    return frozenset(out)
