"""The grounding check: every claim-bearing token of a bullet must be in a cited sentence.

This is the product's promise made executable, shared by the extractive writer, the model-
assisted writer (a bullet that fails is dropped) and the web app (an editor's edit is
re-checked). Checked tokens: content words, names and numbers, plus negations, because "not"
flips a claim while being a stopword. A token is supported when the cited sentences contain it
literally (case-folded) or with the same stem ("talks"/"talk"); numbers must match exactly.
"""

from __future__ import annotations

import re

from newsprism.analysis.paraphrase import concepts
from newsprism.analysis.quantities import unsupported_numbers
from newsprism.annotate.language import NUMBER_RE, is_stopword, stem, words
from newsprism.annotate.quotes import VERBS
from newsprism.model import Citation

NEGATIONS = frozenset({"not", "no", "never", "nor", "without", "none", "nobody", "nothing"})
SUPPORT_SHARE = 0.6  # share of the bullet's concepts a supporting sentence must state
_SPEAKER = re.compile(
    rf"(?P<before>\b[A-Z][\w’'-]+)\s+(?:has\s+|had\s+)?(?:{VERBS})\b"
    rf"|\b(?:{VERBS})\s+(?:[a-z]+\s+){{0,3}}?(?P<after>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)"
    r"|\baccording to\s+(?:[a-z]+\s+){0,3}?(?P<per>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)"
)


def checked_tokens(text: str) -> list[str]:
    """Tokens of ``text`` that carry a claim: content words, names, numbers, negations."""
    out: list[str] = []
    for word in words(text.replace("n't", " not").replace("n’t", " not")):
        low = word.casefold()
        if low in NEGATIONS or not is_stopword(word):
            out.append(word)
    return out


def _normal(word: str) -> str:
    return word.casefold().replace("’", "'").removesuffix("'s")


def check_bullet(text: str, citations: list[Citation]) -> list[str]:
    """Tokens of the bullet that no cited sentence supports (empty list = grounded)."""
    source = " ".join(c.sentence for c in citations)
    source_words = {_normal(w) for w in words(source.replace("n't", " not").replace("n’t", " not"))}
    source_stems = {stem(w) for w in source_words}
    source_parts = {p for w in source_words for p in w.split("-")}
    missing: list[str] = []
    for word in checked_tokens(text):
        norm = _normal(word)
        if norm in source_words:
            continue
        if NUMBER_RE.match(norm.replace("$", "").replace("%", "")):
            missing.append(word)
            continue
        if stem(norm) in source_stems or (norm in source_parts and "-" not in norm):
            continue
        missing.append(word)
    return missing


def _negations(text: str) -> set[str]:
    return {w.casefold() for w in words(text.replace("n't", " not").replace("n’t", " not"))} & NEGATIONS


def speakers(text: str) -> set[str]:
    """Surnames (last capitalised word) of whoever a text attributes a claim to."""
    found: set[str] = set()
    for match in _SPEAKER.finditer(text):
        name = match.group("before") or match.group("after") or match.group("per") or ""
        if name:
            found.add(name.split()[-1].casefold())
    return found - {"he", "she", "they", "it", "we", "i", "the"}


def support_problem(text: str, sentence: str) -> str | None:
    """Why ``sentence`` does not state the claim of bullet ``text`` (None: it does).

    Proximity is not support: the sentence must give the bullet's figures (or compatible
    ones), its negations, its speaker, and most of its concepts."""
    if unsupported_numbers(text, sentence):
        return "number"
    if not _negations(text) <= _negations(sentence):
        return "negation"
    mine = set(concepts(text))
    theirs = set(concepts(sentence))
    folded = sentence.casefold().replace("’", "'")
    if any(name.replace("’", "'") not in folded for name in speakers(text)):
        return "attribution"
    if mine and len(mine & theirs) / len(mine) < SUPPORT_SHARE:
        return "content"
    return None
