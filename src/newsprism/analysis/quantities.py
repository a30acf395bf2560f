"""Whether two figures agree, and whether a sentence states a bullet's figures.

One definition of "numbers that agree" for the whole analysis: the annotation stage's interval
rules (``annotate.quantities.compatible``: "at least 1,200" and "1,350" can both be true, "about
900" and "880" too, "two dozen" and "23"; "about 900" and "at least 1,200" cannot). The
citations' support check, the count comparison of discrepancies and the outvoted-count test all
ask this module, so a rule changed there changes every caller at once. What is counted is
matched by the callers (by concept), so it is not compared here. Dates agree when their
intervals overlap. Bare digits that are not counts (years, scores) must appear literally.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from newsprism.annotate.numbers import find_numbers
from newsprism.annotate.quantities import Quantity, compatible, parse_quantity
from newsprism.model import NumberMention, Sentence

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=65536)
def quantities(text: str) -> tuple[NumberMention, ...]:
    """Numbers and dates of a text as written (relative dates stay relative: no clock)."""
    return tuple(find_numbers(Sentence("", 0, 0, text)))


@lru_cache(maxsize=65536)
def _interval(text: str, value: float) -> Quantity | None:
    """A mention's quantity as an interval, without what it counts (matched by the caller).

    The mention's resolved value is authoritative: a mention whose text stops short of its
    scale ("$3.5" of "$3.5 trillion", valued 3.5e12) has its interval scaled to that value."""
    parsed = parse_quantity(text)
    if parsed is None:
        return None
    scale = value / parsed.value if parsed.value and value != parsed.value else 1.0
    return replace(parsed, counted=None, value=value, low=parsed.low * scale, high=parsed.high * scale)


def date_interval(value: str) -> tuple[str, str] | None:
    """(first day, last day) of a resolved date or period; None for a relative or partial one."""
    if value.startswith(("relative:", "--")):
        return None
    start, _, end = value.partition("/")
    return start, end or start


def dates_overlap(a: NumberMention, b: NumberMention) -> bool | None:
    """Whether two resolved dates can be the same day; None when either is not resolved."""
    ia, ib = date_interval(str(a.value)), date_interval(str(b.value))
    if ia is None or ib is None:
        return None
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def figures_agree(a: NumberMention, b: NumberMention) -> bool:
    """Two non-date figures can both be true of one quantity (qualifiers, rounding, ranges and
    units by ``annotate.quantities.compatible``); equal values when either does not parse."""
    if not isinstance(a.value, float) or not isinstance(b.value, float):
        return False
    qa, qb = _interval(a.text, a.value), _interval(b.text, b.value)
    if qa is not None and qb is not None:
        return compatible(qa, qb)
    return a.value == b.value and a.unit == b.unit


def supports_quantity(claim: NumberMention, source: NumberMention) -> bool:
    """The source's figure agrees with the claim's (same kind: both dates or both figures)."""
    if (claim.unit == "date") != (source.unit == "date"):
        return False
    if claim.unit == "date":
        overlap = dates_overlap(claim, source)
        return claim.text.casefold() == source.text.casefold() if overlap is None else overlap
    return figures_agree(claim, source)


def _covered(mentions: tuple[NumberMention, ...]) -> set[str]:
    return {d for m in mentions for d in _DIGITS.findall(m.text)}


def unsupported_numbers(claim: str, source: str) -> list[str]:
    """The claim's figures (as written) that the source does not state, empty if all are."""
    mine, theirs = quantities(claim), quantities(source)
    missing = [m.text for m in mine if not any(supports_quantity(m, s) for s in theirs)]
    covered = _covered(mine)
    source_digits = set(_DIGITS.findall(source))
    missing.extend(d for d in _DIGITS.findall(claim) if d not in covered and d not in source_digits)
    return missing
