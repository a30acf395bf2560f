"""Numbers, counts and dates, normalised so outlets can be compared.

A count keeps its qualifier ("at least 21 drones" -> 21.0, unit "drone", qualifier "at least")
because "at least 21" and "25" agree while "at least 21" and "19" do not. Dates become ISO
strings; a day-less or relative date becomes an ISO interval "start/end". Relative dates
("Friday", "last week", "yesterday") resolve against the publication date passed in, never the
clock. A bare weekday takes the tense of its sentence: news writes "said Friday" for the most
recent Friday on or before publication and "will vote on Thursday" for the next Thursday on or
after it; "last Friday" / "next Friday" are explicit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from newsprism.annotate.language import is_stopword, stem
from newsprism.model import NumberMention, Sentence

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
    "hundreds": 200,
    "thousands": 2000,
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "percent": 1.0}
QUALIFIERS = (
    "at least",
    "more than",
    "over",
    "about",
    "around",
    "nearly",
    "almost",
    "up to",
    "some",
    "roughly",
    "approximately",
    "fewer than",
    "less than",
    "at most",
    "an estimated",
    "as many as",
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?|January|February|March|April|May|June|July|August|September|October|November|December"  # noqa: E501
_DATE = re.compile(
    rf"\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?\b"
    rf"|\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>\d{{4}}))?\b"
    rf"|\b(?:[Ii]n\s+|[Bb]etween\s+|and\s+|[Ss]ince\s+|[Uu]ntil\s+|[Bb]y\s+)(?P<m3>{_MONTH})(?:\s+(?P<y3>\d{{4}}))?\b"
)
_RELATIVE = re.compile(
    r"\b(?P<rel>(?:last|this|next)\s+(?:week|month|year)|yesterday|today|tomorrow|"
    r"(?:(?:last|next)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
)
_QUAL = "|".join(q.replace(" ", r"\s+") for q in QUALIFIERS)
_CORE = (
    r"(?i:\b(?:a|one|two|three|four|five|six)[- ]dozen\b)|\$?\d+(?:[.,]\d+)*%?|"
    rf"(?i:\b(?:{'|'.join(WORD_NUMBERS)})\b)"
)
_NUMBER = re.compile(
    rf"(?:(?P<qual>(?i:{_QUAL}))\s+)?(?P<num>{_CORE})(?:\s+(?P<scale>(?i:{'|'.join(SCALES)})))?"
    r"(?P<unit>\s+[A-Z][\w-]*\s+[a-z][\w-]*|\s+[a-z][\w-]*)?"
)
_NUMBER_CORE = re.compile(_CORE)
_QUALIFIER_BEFORE = re.compile(rf"(?i:{_QUAL})\s+$")
_QUALIFIER_REACH = 48  # characters: the longest qualifier and its blanks, with room to spare
_QUALIFIER_ENDS = tuple({q.split()[-1] for q in QUALIFIERS})


def _number_matches(text: str) -> Iterator[re.Match[str]]:
    """``_NUMBER.finditer(text)``, found from the number outward: the pattern opens with an
    optional qualifier, which the regex engine tries at every position of every sentence (five
    times the cost of finding the digits and number words first, most sentences having none)."""
    pos = 0
    while (core := _NUMBER_CORE.search(text, pos)) is not None:
        match = None
        # a qualifier ends where the blanks before the number start: look only just before it
        reach = max(pos, core.start() - _QUALIFIER_REACH)
        before = text[reach : core.start()]
        qualifier = None
        if before.rstrip() != before and before.rstrip().casefold().endswith(_QUALIFIER_ENDS):
            qualifier = _QUALIFIER_BEFORE.search(text, reach, core.start())
        if qualifier is not None:
            match = _NUMBER.match(text, qualifier.start())
            if match is not None and match.start("num") != core.start():
                match = None
        match = match or _NUMBER.match(text, core.start())
        assert match is not None  # the core alone matches the pattern
        yield match
        pos = match.end()


def _year_for(month: int, published: date | None) -> int | None:
    if published is None:
        return None
    return published.year - 1 if month > published.month + 1 else published.year


def _month_interval(year: int, month: int) -> str:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return f"{date(year, month, 1).isoformat()}/{(nxt - timedelta(days=1)).isoformat()}"


def _absolute(match: re.Match[str], published: date | None) -> str:
    month_text = (match.group("m1") or match.group("m2") or match.group("m3")).rstrip(".")
    month = MONTHS[month_text.casefold()]
    day = match.group("d1") or match.group("d2")
    year_text = match.group("y1") or match.group("y2") or match.group("y3")
    year = int(year_text) if year_text else _year_for(month, published)
    if year is None:
        return f"--{month:02d}-{int(day):02d}" if day else f"--{month:02d}"
    try:
        return date(year, month, int(day)).isoformat() if day else _month_interval(year, month)
    except (ValueError, OverflowError):  # no such day, or a year outside 1..9999
        return f"{year}-{month:02d}"


_FUTURE = re.compile(
    r"\b(?:will|shall|won[’']t|due|expected\s+to|scheduled|set\s+to|plans?\s+to|planned"
    r"|going\s+to|upcoming|coming|later\s+this\s+week|next)\b|[’']ll\b",
    re.IGNORECASE,
)


def _future(context: str) -> bool:
    """Whether a clause speaks of what is still to happen (future tense, schedules)."""
    return bool(_FUTURE.search(context))


def _weekday(key: str, published: date, future: bool) -> date:
    """A weekday name resolved against the publication date: last/next are explicit, a bare
    name is the previous occurrence in past-tense text and the next one in future-tense text
    (the publication day itself counts as either)."""
    parts = key.split()
    target = WEEKDAYS.index(parts[-1])
    modifier = parts[0] if len(parts) > 1 else ""
    if modifier == "next" or (modifier != "last" and future):
        ahead = (target - published.weekday()) % 7
        return published + timedelta(days=7 if modifier == "next" and ahead == 0 else ahead)
    back = (published.weekday() - target) % 7
    if modifier == "last" and back == 0:
        back = 7
    return published - timedelta(days=back)


def _relative(text: str, published: date | None, future: bool = False) -> str:
    key = " ".join(text.casefold().split())
    if published is None:
        return "relative:" + key
    try:
        return _resolve(key, published, future)
    except (OverflowError, ValueError):  # the date arithmetic left the years 1..9999
        return "relative:" + key


def _resolve(key: str, published: date, future: bool) -> str:
    """A relative date ("last week", "Tuesday") as an ISO date or interval from ``published``."""
    if key in ("today", "yesterday", "tomorrow"):
        delta = {"today": 0, "yesterday": -1, "tomorrow": 1}[key]
        return (published + timedelta(days=delta)).isoformat()
    if key.endswith("week"):
        monday = published - timedelta(days=published.weekday())
        shift = {"last": -7, "this": 0, "next": 7}[key.split()[0]]
        start = monday + timedelta(days=shift)
        return f"{start.isoformat()}/{(start + timedelta(days=6)).isoformat()}"
    if key.endswith("month"):
        shift = {"last": -1, "this": 0, "next": 1}[key.split()[0]]
        index = published.year * 12 + published.month - 1 + shift
        return _month_interval(index // 12, index % 12 + 1)
    if key.endswith("year"):
        year = published.year + {"last": -1, "this": 0, "next": 1}[key.split()[0]]
        return f"{year}-01-01/{year}-12-31"
    return _weekday(key, published, future).isoformat()


def _clause_around(text: str, at: int) -> str:
    """The clause holding position ``at``: tense is read there, not across the sentence."""
    starts = [m.end() for m in re.finditer(r"[;:,]\s+|\s+(?:but|and|while|after|before|that)\s+", text[:at])]
    end = re.search(r"[;,]\s+|\s+(?:but|while|after|before|that)\s+", text[at:])
    return text[(starts[-1] if starts else 0) : at + (end.start() if end else len(text) - at)]


def _dates(sentence: Sentence, published: date | None) -> list[tuple[int, int, NumberMention]]:
    found: list[tuple[int, int, NumberMention]] = []
    for match in _DATE.finditer(sentence.text):
        value = _absolute(match, published)
        text = match.group().split(None, 1)[1] if match.group("m3") else match.group()
        found.append((match.start(), match.end(), NumberMention(text.strip(), value, "date", sentence.index)))
    for match in _RELATIVE.finditer(sentence.text):
        future = _future(_clause_around(sentence.text, match.start()))
        value = _relative(match.group("rel"), published, future)
        found.append(
            (match.start(), match.end(), NumberMention(match.group(), value, "date", sentence.index))
        )
    return found


def _value(num: str, scale: str | None) -> float | None:
    if num.casefold().endswith("dozen") and num[:-5].strip(" -"):  # "two-dozen", "a dozen"
        count = num[:-5].strip(" -").casefold()
        return 12.0 * (1 if count == "a" else WORD_NUMBERS[count]) * SCALES.get((scale or "").casefold(), 1.0)
    cleaned = num.replace("$", "").replace("%", "").replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        if num.casefold() not in WORD_NUMBERS:
            return None
        value = float(WORD_NUMBERS[num.casefold()])
    return value * SCALES.get((scale or "").casefold(), 1.0)


def _unit(num: str, scale: str | None, tail: str | None) -> str | None:
    if num.endswith("%") or (scale or "").casefold() == "percent":
        return "percent"
    if num.startswith("$"):
        return "usd"
    tokens = (tail or "").split()
    # skip a capitalised modifier ("21 Russian drones") to reach the counted noun
    if len(tokens) == 2 and tokens[0][:1].isupper():
        tokens = tokens[1:]
    if tokens and not is_stopword(tokens[0]):
        return stem(tokens[0])
    return None


def find_numbers(sentence: Sentence, published: date | None = None) -> list[NumberMention]:
    """Counts, amounts and dates of one sentence; dates never double as counts."""
    dates = _dates(sentence, published)
    taken = [(s, e) for s, e, _ in dates]
    found = [m for _, _, m in dates]
    for match in _number_matches(sentence.text):
        start = match.start("num")
        if any(s <= start < e for s, e in taken) or re.fullmatch(r"(19|20)\d\d", match["num"]):
            continue
        value = _value(match.group("num"), match.group("scale"))
        if value is None:
            continue
        qual = " ".join(match.group("qual").casefold().split()) if match.group("qual") else None
        unit = _unit(match.group("num"), match.group("scale"), match.group("unit"))
        end = match.end("unit") if unit and match.group("unit") else match.end("num")
        text = sentence.text[match.start() : end].strip()
        found.append(NumberMention(text, value, unit, sentence.index, qual))
    return found
