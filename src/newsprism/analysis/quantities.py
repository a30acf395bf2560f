"""Whether a sentence states a bullet's numbers: the one place that compares quantities.

A cited sentence supports a bullet's figure when it gives the same value, or a quantity the
figure's own qualifier allows ("at least 1,200" is supported by "1,350"; "about 900" by "880"),
and the same date (or an overlapping interval). Bare digits that are not counts (years, scores)
must appear literally. The annotation stage owns the quantity rules; this module is the single
seam where they plug in, so swapping it changes every caller at once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsprism.annotate.numbers import find_numbers
from newsprism.model import NumberMention, Sentence

LOWER = frozenset({"at least", "more than", "over", "as many as"})
UPPER = frozenset({"up to", "at most", "fewer than", "less than"})
APPROX = frozenset(
    {"about", "around", "nearly", "almost", "some", "roughly", "approximately", "an estimated"}
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=65536)
def quantities(text: str) -> tuple[NumberMention, ...]:
    """Numbers and dates of a text as written (relative dates stay relative: no clock)."""
    return tuple(find_numbers(Sentence("", 0, 0, text)))


def _interval(value: str) -> tuple[str, str]:
    start, _, end = value.partition("/")
    return start, end or start


def _dates_match(claim: NumberMention, source: NumberMention) -> bool:
    a, b = str(claim.value), str(source.value)
    if a.startswith(("relative:", "--")) or b.startswith(("relative:", "--")):
        return claim.text.casefold() == source.text.casefold()
    ia, ib = _interval(a), _interval(b)
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def supports_quantity(claim: NumberMention, source: NumberMention) -> bool:
    """The source's figure makes the claim's figure true (qualifiers respected)."""
    if (claim.unit == "date") != (source.unit == "date"):
        return False
    if claim.unit == "date":
        return _dates_match(claim, source)
    if not isinstance(claim.value, float) or not isinstance(source.value, float):
        return False
    if {claim.unit, source.unit} & {"percent", "usd"} and claim.unit != source.unit:
        return False
    want, have = claim.value, source.value
    if abs(want - have) <= 1e-9 * max(abs(want), 1.0):
        return True
    qual = claim.qualifier or ""
    if qual in LOWER:
        return have >= want and source.qualifier not in UPPER
    if qual in UPPER:
        return have <= want and source.qualifier not in LOWER
    return qual in APPROX and abs(have - want) <= 0.1 * abs(want)


def _covered(text: str, mentions: tuple[NumberMention, ...]) -> set[str]:
    return {d for m in mentions for d in _DIGITS.findall(m.text)}


def unsupported_numbers(claim: str, source: str) -> list[str]:
    """The claim's figures (as written) that the source does not state, empty if all are."""
    mine, theirs = quantities(claim), quantities(source)
    missing = [m.text for m in mine if not any(supports_quantity(m, s) for s in theirs)]
    covered = _covered(claim, mine)
    source_digits = set(_DIGITS.findall(source))
    missing.extend(d for d in _DIGITS.findall(claim) if d not in covered and d not in source_digits)
    return missing
