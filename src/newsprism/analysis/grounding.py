"""The grounding check: every claim-bearing token of a bullet must be in a cited sentence.

This is the product's promise made executable, shared by the extractive writer, the model-
assisted writer (a bullet that fails is dropped) and the web app (an editor's edit is
re-checked). Checked tokens: content words, names and numbers, plus negations, because "not"
flips a claim while being a stopword. A token is supported when the cited sentences contain it
literally (case-folded) or with the same stem ("talks"/"talk"); numbers must match exactly.
"""

from __future__ import annotations

from newsprism.annotate.language import NUMBER_RE, is_stopword, stem, words
from newsprism.model import Citation

NEGATIONS = frozenset({"not", "no", "never", "nor", "without", "none", "nobody", "nothing"})


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
