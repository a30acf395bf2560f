"""Counted claims: "at least 1,200 people were evacuated" / "about 900 residents were moved out".

Outlets that disagree on a count are still reporting one fact, and the disagreement is what a
reader needs to see. A count's *frame* is what is counted (the noun's concept: "people" and
"residents" fold together) and what happened to it (the paraphrase-group concepts of its clause:
evacuated / moved out / fled). Two clauses of different outlets with the same frame and a shared
name ("Brennock") state the same fact whatever their numbers say; the alignment joins them and
the comparison flags the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from newsprism.analysis.paraphrase import concept, concepts
from newsprism.model import NumberMention

_WORD = re.compile(r"[A-Za-z][\w’'-]*$")
GENERIC = frozenset({"~official", "~government", "~capital", "~president"})


@lru_cache(maxsize=65536)
def noun_class(mention: NumberMention) -> str | None:
    """The concept of the counted noun ("residents" -> ~people), or None for dates, percents,
    money and bare numbers."""
    if not mention.unit or mention.unit in ("date", "percent", "usd"):
        return None
    if not isinstance(mention.value, float):
        return None
    last = _WORD.search(mention.text)
    return concept(last.group()) if last else mention.unit


def frames(text: str, mentions: Sequence[NumberMention]) -> set[tuple[str, str]]:
    """(counted-noun concept, event concept) pairs of a clause's counts."""
    events = {c for c in concepts(text) if c.startswith("~") and c not in GENERIC}
    out: set[tuple[str, str]] = set()
    for mention in mentions:
        noun = noun_class(mention)
        if noun is None or mention.text not in text:
            continue
        out.update((noun, event) for event in events if event != noun)
    return out
