"""Sentence compression by deletion only, so a compressed bullet stays grounded.

Operations, gentlest first: drop parentheticals and dash asides; drop a dangling connective
("At the same time,"); drop the attribution of a reported claim ("The Kremlin said Friday that",
", Kremlin spokesperson Dmitry Peskov said on Sept. 12") but keep it on a direct quote, whose
speaker is the point, and there a named speaker's name is kept rather than their title
("the general secretary of the union, Ines Marlowe, said" -> "Ines Marlowe said"); then, only
while the text is over the word budget, cut trailing
subordinate detail (", which ...", " that killed ...") and leading framing phrases. Words are
never added or rewritten, except re-capitalising the first letter and closing with a period.
"""

from __future__ import annotations

import re

from newsprism.annotate.quotes import VERBS

_PAREN = re.compile(r"\s*\([^()]*\)")
_ASIDE = re.compile(r"\s+(?:--|—|–)\s+[^-—–]+?\s+(?:--|—|–)(?=\s)")
_TAIL_ASIDE = re.compile(r"\s+(?:--|—|–)\s+[^-—–\"“”]+$")
_CONNECTIVE = re.compile(
    r"^(?:At the same time|Meanwhile|However|Also|Still|Yet|In addition|Moreover|Separately"
    r"|In a separate [a-z]+(?: on [A-Z][a-z]+\.? \d+)?|Following [^,]{0,60}),\s+"
)
_LEAD_ATTR = re.compile(
    rf"^(?:[A-Z][\w’'.-]*\s+|the\s+|[a-z]+\s+){{0,6}}?(?:{VERBS})(?:\s+in\s+a\s+\w+)?"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?\s+that\s+"
)
_TRAIL_ATTR = re.compile(rf",\s+(?:[\w’'.-]+\s+){{0,6}}?(?:{VERBS})\b[^\"“”]*$")
_NAME = r"[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'.-]+|von|van|der|de|al|bin))*\s+[A-Z][\w’'-]+"
# "..., the general secretary of the union, Ines Marlowe, said" -> "..., Ines Marlowe said"
_TITLED_SPEAKER = re.compile(
    rf"(?<=[”\"])(\s*)(?:the|a|an|its|their)\s+[a-z][^,“”\"]{{0,80}},\s+(?P<name>{_NAME}),\s+(?P<verb>{VERBS})\b"
)
# "..., said Ines Marlowe, the general secretary of the union" -> "..., said Ines Marlowe"
_SPEAKER_TITLE = re.compile(
    rf"(?<=[”\"])(?P<head>,?\s*(?:{VERBS})\s+(?P<name>{_NAME})),\s+(?:the|a|an|its|their)\s+[^“”\"]*$"
)
_QUOTE_TAIL = re.compile(rf"((?:{VERBS})(?:\s+reporters)?),\s+[^\"“”]*$")
_CUTS = re.compile(
    r",\s+(?:which|who|whom|while|whereas|as|something|including|killing|targeting|after|"
    r"before|despite|with|where|when|although|amid|according|but|such as|saying|"
    r"(?:\w+ly\s+)?[a-z]{3,}ing)\b"
    r"|\s+and\s+(?=(?:will|would|has|have|had|is|was|were|are|could|can)\b)"
    r"|\s+(?:that killed|that left|who says|which would)\b"
    r"|\s+as\s+(?=[A-Z]|the\s|his\s|her\s|its\s|their\s)"
)
_APPOSITIVE = re.compile(r",\s+(?:one of|a|an|the|who|whose|which)\s[^,\"“”]{3,90},\s+(?=[a-z])")
_LEAD_PHRASE = re.compile(r"^[A-Z][^,\"“]{0,80}?,\s+(?=[A-Z]|the\s|a\s|its\s|his\s|her\s)")


def word_count(text: str) -> int:
    return len(text.split())


def _balanced(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def finish(text: str) -> str:
    """Trim dangling punctuation and conjunctions, capitalise, close with a period."""
    text = text.strip()
    text = re.sub(r"^(?:and|but|while|so|yet|including)\s+", "", text)
    text = re.sub(r"[\s,;:—–-]+$", "", text)
    text = re.sub(r"\s+(?:and|or|but|as|while|with)$", "", text)
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if not text.endswith((".", "!", "?", '."', ".”", '?"', "?”")):
        text += "."
    return text


def _starts_with_quote(text: str) -> bool:
    return text.lstrip().startswith(('"', "“"))


def light(sentence: str) -> str:
    """Deletions that never lose the claim: asides, connectives, reported-speech frames."""
    text = _PAREN.sub("", sentence)
    text = _ASIDE.sub("", text)
    text = _CONNECTIVE.sub("", text)
    if _starts_with_quote(text):
        text = _TITLED_SPEAKER.sub(r"\1\g<name> \g<verb>", text, count=1)
        text = _SPEAKER_TITLE.sub(r"\g<head>", text.rstrip("."), count=1)
        text = _QUOTE_TAIL.sub(r"\1", text.rstrip("."))
    else:
        text = _LEAD_ATTR.sub("", text, count=1)
        trimmed = _TRAIL_ATTR.sub("", text.rstrip("."))
        if word_count(trimmed) >= 6 and _balanced(trimmed):
            text = trimmed
    return finish(text)


def compress(sentence: str, budget: int = 30, floor: int = 6) -> str | None:
    """The sentence within ``budget`` words by deletion only, or None if it cannot be."""
    text = finish(sentence) if word_count(sentence) <= budget else light(sentence)
    while word_count(text) > budget:
        shorter = _cut_once(text, floor, budget)
        if shorter is None or shorter == text:
            return None
        text = shorter
    return text if _balanced(text) and word_count(text) >= min(floor, word_count(sentence)) else None


def _cut_once(text: str, floor: int, budget: int = 30) -> str | None:
    """One more deletion: an appositive, the last subordinate tail, a trailing aside, a
    leading phrase, and last the detail after the latest comma that fits the budget."""
    appositive = _APPOSITIVE.sub(" ", text, count=1)
    if appositive != text and _balanced(appositive) and word_count(appositive) >= floor:
        return appositive
    cuts = [m.start() for m in _CUTS.finditer(text) if word_count(text[: m.start()]) >= floor]
    for cut in reversed(cuts):
        candidate = finish(text[:cut])
        if _balanced(candidate):
            return candidate
    tail = _TAIL_ASIDE.sub("", text.rstrip("."))
    if tail != text.rstrip("."):
        return finish(tail)
    lead = _LEAD_PHRASE.sub("", text, count=1)
    if lead != text and word_count(lead) >= floor:
        return finish(lead)
    return _comma_cut(text, budget)


def _comma_cut(text: str, budget: int, floor: int = 10) -> str | None:
    """Keep the longest prefix ending at a comma that fits: the claim comes first in news."""
    best: str | None = None
    for match in re.finditer(r",\s", text):
        prefix = finish(text[: match.start()])
        if floor <= word_count(prefix) <= budget and _balanced(prefix):
            best = prefix
    return best
