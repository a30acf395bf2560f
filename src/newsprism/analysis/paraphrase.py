"""Concepts for cross-outlet alignment: stems folded through a small paraphrase resource.

Two outlets rarely use the same words for the same event ("on pause" / "on hold", "assault" /
"strike"). ``paraphrases.txt`` lists general news paraphrase groups; every member maps to one
concept, so alignment compares meanings rather than spellings without any downloaded model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from newsprism.annotate.language import is_content, stem, words
from newsprism.caching import weighted_cache

Phrases = list[tuple[re.Pattern[str], str, str]]  # pattern, concept, its first word


@lru_cache(maxsize=1)
def _resource() -> tuple[dict[str, str], Phrases]:
    """Load the paraphrase groups: stem -> concept, and multiword phrase -> concept."""
    text = resources.files("newsprism.analysis").joinpath("paraphrases.txt").read_text("utf-8")
    single: dict[str, str] = {}
    phrases: Phrases = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        members = [m.strip() for m in line.split(",") if m.strip()]
        head = "~" + members[0].replace(" ", "_")
        for member in members:
            if " " in member:
                pattern = r"\b" + r"\s+".join(re.escape(p) for p in member.split()) + r"\b"
                first = member.split()[0].lower()
                phrases.append((re.compile(pattern, re.IGNORECASE), head, first))
            else:
                single.setdefault(stem(member), head)
    phrases.sort(key=lambda item: -len(item[0].pattern))
    return single, phrases


def concept(word: str) -> str:
    """The canonical concept of one word: its paraphrase group or its stem."""
    s = stem(word)
    return _resource()[0].get(s, s)


@weighted_cache(max_weight=300_000, weight=len)  # concepts (an entry ~240 bytes): ~10 MB
def concepts(text: str) -> tuple[str, ...]:
    """Content concepts of a text, multiword paraphrases ("on hold") folded first. A phrase is
    only searched for when its first word occurs in the text: most texts hold none of them, and
    ~80 regex scans per clause were a third of the alignment's cost."""
    found: list[str] = []
    rest = text
    lowered = text.lower()
    for pattern, head, first in _resource()[1]:
        if first not in lowered:
            continue
        hits = pattern.findall(rest)
        if hits:
            found.extend([head] * len(hits))
            rest = pattern.sub(" ", rest)
    found.extend(concept(w) for w in words(rest) if is_content(w))
    return tuple(found)
