"""Quantities as intervals, so two outlets' numbers are compared the way a reader would.

A mention becomes the interval of values it allows, in one unit, with what it counts:

- exact "23 executives" -> [23, 23]; a rounded figure keeps its rounding ("$2.2 trillion" ->
  [2.15, 2.25] trillion);
- approximate ("about", "around", "roughly", "some", "an estimated", "two dozen", "a dozen") ->
  the value +-5%, or +- half of its last significant digit when that is wider ("about 300" ->
  [250, 350]); "nearly"/"almost" -> just below the value;
- bounds ("more than", "over", "at least" / "fewer than", "up to", "as many as") -> half-open;
- vague plurals ("dozens", "hundreds", "thousands", "millions") -> [24, 99], [200, 999], ...;
- ranges ("between 140 and 150", "$140-150 million", "80% to 85%") -> [low, high].

``compatible(a, b)`` is True when both can be true of one quantity: same unit (lengths and
money converted), same thing counted (Snowball stems, "people"/"residents"/"persons" one class)
and overlapping intervals. So "two-dozen executives" and "23 executives" agree, while "23
executives" and "23 percent", or "five people" and "five houses", do not compare at all.
Branch code that checks citations uses the same function.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from newsprism.annotate.loaded import stem

APPROXIMATE = frozenset(
    {"about", "around", "roughly", "approximately", "some", "an estimated", "estimated", "circa"}
)
BELOW = frozenset({"nearly", "almost", "close to", "just under", "just shy of"})
LOWER = frozenset({"more than", "over", "at least", "upwards of", "in excess of", "above", "no fewer than"})
UPPER = frozenset(
    {"fewer than", "less than", "up to", "as many as", "at most", "under", "no more than", "below"}
)
_QUALIFIER = "|".join(sorted(APPROXIMATE | BELOW | LOWER | UPPER, key=len, reverse=True)).replace(" ", r"\s+")
WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"dozen": 12.0, "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "mm": 1e6, "m": 1e6, "bn": 1e9, "k": 1e3}  # fmt: skip
VAGUE = {"dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0),
         "thousands": (2e3, 9999.0), "millions": (2e6, 999e6), "billions": (2e9, 999e9)}  # fmt: skip
# unit word -> (dimension, factor to the dimension's base unit)
UNITS = {
    "percent": ("percent", 1.0), "%": ("percent", 1.0), "per cent": ("percent", 1.0),
    "$": ("usd", 1.0), "dollar": ("usd", 1.0), "usd": ("usd", 1.0),
    "euro": ("eur", 1.0), "€": ("eur", 1.0), "pound": ("gbp", 1.0), "£": ("gbp", 1.0),
    "mile": ("length", 1.609344), "kilometer": ("length", 1.0), "kilometre": ("length", 1.0),
    "km": ("length", 1.0), "meter": ("length", 0.001), "metre": ("length", 0.001),
    "feet": ("length", 0.0003048), "foot": ("length", 0.0003048),
    "second": ("time", 1 / 3600), "minute": ("time", 1 / 60), "hour": ("time", 1.0), "day": ("time", 24.0),
    "week": ("time", 168.0), "month": ("time", 730.5), "year": ("time", 8766.0),
}  # fmt: skip
CONVERSION_SLACK = 0.03
_CLOCK = re.compile(r"\s*(?:[ap]\.m\.|[ap]m\b)", re.IGNORECASE)
PEOPLE = frozenset(stem(w) for w in ("people", "persons", "person", "residents", "individuals", "civilians"))
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUMBER = rf"(?:{_TENS})[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b|" + "|".join(
    rf"{w}\b" for w in sorted(WORDS, key=len, reverse=True)
)
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_AMOUNT = (
    rf"(?P<cur@N>[$€£])?\s?(?:(?P<num@N>{_NUMBER})|(?P<word@N>(?i:{_WORD_NUMBER})))"
    rf"(?:[\s-]*(?P<scale@N>(?i:{_SCALE}))\b)?(?P<pct@N>\s?%)?"
)
_MENTION = re.compile(
    rf"(?:(?P<qual>(?i:{_QUALIFIER}))\s+)?(?:(?i:between|from)\s+)?"
    + _AMOUNT.replace("@N", "1")
    + r"(?:\s*(?:-|–|to|and)\s*"
    + _AMOUNT.replace("@N", "2")
    + r")?|(?P<vague>(?i:dozens|scores|hundreds|thousands|millions|billions))"
)
_UNIT_WORD = re.compile(r"[\s-]*(?:of\s+)?(?P<unit>[A-Za-z][A-Za-z'-]*(?:\s+cent\b)?)")
_SKIP = frozenset(
    [
        "of",
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "more",
        "other",
        "others",
        "new",
        "old",
        "top",
        "full",
        "additional",
        "total",
        "extra",
    ]
)


@dataclass(frozen=True)
class Quantity:
    """A mention as the interval it allows, in its dimension's base unit."""

    text: str
    value: float
    low: float
    high: float
    unit: str | None  # percent, usd, eur, gbp, length (km), time (hours) — None for a count
    counted: str | None  # stem of what is counted ("execut" for executives), if anything
    approximate: bool
    qualifier: str | None = None
    written_unit: str | None = None  # the unit word as written ("mile"), before conversion


def _amount(match: re.Match[str], n: int) -> tuple[float, float] | None:
    """(value, rounding half-step) of one amount of the mention."""
    num, word, scale = match.group(f"num{n}"), match.group(f"word{n}"), match.group(f"scale{n}")
    if num is None and word is None:
        return None
    if num is not None:
        digits = num.replace(",", "")
        value = float(digits)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        step = 0.5 * 10.0**-decimals if decimals else 0.0
    else:
        value, step = float(sum(WORDS[w] for w in re.split(r"[-\s]", word.casefold()))), 0.0
    factor = SCALES.get((scale or "").casefold(), 1.0)
    if scale and num is not None and factor >= 1e6:
        step = step or 0.0  # "$2 billion" is as exact as written
    return value * factor, step * factor


def _approximate_interval(value: float) -> tuple[float, float]:
    """+-5%, or +- half of the last significant digit's place when wider ("about 300")."""
    if value == 0:
        return 0.0, 0.0
    digits = f"{value:.15g}".rstrip("0").rstrip(".")
    significant = len(digits.replace(".", "").replace("-", "").lstrip("0"))
    place = 10.0 ** (math.floor(math.log10(abs(value))) - significant + 1)
    spread = max(0.05 * abs(value), place / 2 if significant == 1 else 0.0)
    return value - spread, value + spread


def parse_quantity(text: str, sentence: str = "") -> Quantity | None:
    """The first quantity of ``text`` (a mention as written); ``sentence`` is its context, read
    for the unit or counted noun just after the mention when ``text`` stops short of it."""
    match = _MENTION.search(text)
    if match is None:
        return None
    tail = text[match.end() :]
    if sentence and text in sentence:
        tail = sentence[sentence.index(text) + match.end() :]
    if _CLOCK.match(tail):
        return None  # "2.40 a.m." is a time of day, not a quantity
    if match.group("vague"):
        low, high = VAGUE[match.group("vague").casefold()]
        unit, counted = _unit_and_thing(tail, None, False)
        vague = match.group("vague").casefold()
        return Quantity(text, (low + high) / 2, low, high, unit, counted, True, vague)
    first = _amount(match, 1)
    if first is None:
        return None
    value, step = first
    second = _amount(match, 2)
    qualifier = " ".join(match.group("qual").casefold().split()) if match.group("qual") else None
    dozen = (match.group("scale1") or "").casefold() == "dozen"
    currency = match.group("cur1") or match.group("cur2")
    percent = bool(match.group("pct1") or match.group("pct2"))
    unit, counted = _unit_and_thing(tail, currency, percent)
    factor = 1.0
    approximate = qualifier in APPROXIMATE or dozen
    if second is not None:
        low, high = sorted((value, second[0]))
        if match.group("scale2") and not match.group("scale1"):
            low *= SCALES[match.group("scale2").casefold()]  # "$140 to $150 million"
        low, high = sorted((low, high))
    elif approximate:
        low, high = _approximate_interval(value)
    else:
        low, high = value - step, value + step
    low, high = _bound(qualifier, value, low, high)
    written = unit
    if unit is not None:
        unit, factor = UNITS[unit]
    flags = approximate or qualifier is not None
    low, high = low * factor, high * factor
    return Quantity(text, value * factor, low, high, unit, counted, flags, qualifier, written)


def _bound(qualifier: str | None, value: float, low: float, high: float) -> tuple[float, float]:
    if qualifier in LOWER:
        return value, math.inf
    if qualifier in UPPER:
        return 0.0, value
    if qualifier in BELOW:
        return value * 0.85, value
    return low, high


def _unit_and_thing(tail: str, currency: str | None, percent: bool) -> tuple[str | None, str | None]:
    """The unit ("percent", "mile", "$") and the counted noun's stem after the amount."""
    if percent:
        return "%", None
    if currency:
        return currency, None
    match = _UNIT_WORD.match(tail)
    if match is None:
        return None, None
    word = match.group("unit").casefold()
    if word in ("percent", "per cent"):
        return "percent", None
    singular = word[:-1] if word.endswith("s") and word[:-1] in UNITS else word
    if singular in UNITS:
        rest = tail[match.end() :]
        if singular == "mile" and re.match(r"\s+(?:an|per)\s+hour", rest):
            return None, "mph"  # a speed, not a distance
        return singular, None
    if singular in ("dollar", "euro", "pound"):
        return singular, None
    if word in _SKIP or not word.isalpha():
        return None, None
    key = stem(word)
    return None, ("people" if key in PEOPLE else key)


def compatible(a: Quantity, b: Quantity) -> bool:
    """Both mentions can be true of one quantity: same unit and thing, overlapping intervals."""
    if a.unit != b.unit:
        return False
    if a.unit is None and a.counted != b.counted:
        return False
    # a figure converted from other units ("10 miles" / "16 km") is rounded in the conversion
    slack = CONVERSION_SLACK if a.written_unit != b.written_unit else 1e-9
    return a.low <= b.high * (1 + slack) and b.low <= a.high * (1 + slack)
