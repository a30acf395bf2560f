"""Language resources behind annotation and alignment (English default, pluggable).

Everything language-specific lives here so the rest of the pipeline stays generic: the word
tokenizer, the stopword list, a truncation stemmer and the canonical "concept" of a word (its
stem, or the head of a paraphrase group from ``analysis/paraphrases.txt``). A truncation stemmer
(suffix strip, then the first six letters) is crude but dependable across morphology
("diplomacy"/"diplomatic", "Russia"/"Russian") without downloading any model or data.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD_RE = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)
NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)*$")

# Verbs that introduce reported speech: stop words for topic signatures, and quote cues.
SPEECH_VERBS: frozenset[str] = frozenset(
    {"said", "says", "say", "told", "tells", "added", "adding", "stated", "asked", "noted", "claimed"}
    | {"replied", "described", "announced", "reported"}
)
# Month abbreviations as pages write them before a period ("Sept. 12"): not sentence ends, not names.
MONTH_ABBREVIATIONS: frozenset[str] = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)

STOPWORDS: frozenset[str] = SPEECH_VERBS | frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "always",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "anyone",
        "anything",
        "are",
        "around",
        "as",
        "at",
        "be",
        "became",
        "because",
        "become",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "let",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "near",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "perhaps",
        "rather",
        "same",
        "several",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "whatever",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "saying",
        "tell",
        "according",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
    ]
)

REPORTING_VERBS: frozenset[str] = SPEECH_VERBS | frozenset(
    [
        "explained",
        "insisted",
        "warned",
        "argued",
        "wrote",
        "tweeted",
        "declared",
        "confirmed",
        "acknowledged",
        "admitted",
        "suggested",
        "urged",
    ]
)

DEMONYMS: dict[str, str] = {
    "russian": "russia",
    "russians": "russia",
    "ukrainian": "ukraine",
    "ukrainians": "ukraine",
    "american": "us",
    "americans": "us",
    "u.s": "us",
    "u.s.": "us",
    "usa": "us",
    "america": "us",
    "polish": "poland",
    "poles": "poland",
    "chinese": "china",
    "british": "uk",
    "u.k": "uk",
    "european": "europe",
    "europeans": "europe",
    "german": "germany",
    "french": "france",
    "israeli": "israel",
    "palestinian": "palestine",
    "iranian": "iran",
    "afghan": "afghanistan",
    "mexican": "mexico",
    "canadian": "canada",
    "indian": "india",
    "japanese": "japan",
    "korean": "korea",
    "syrian": "syria",
    "iraqi": "iraq",
    "turkish": "turkey",
}

_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")


def words(text: str) -> list[str]:
    """Word tokens (hyphenated words and abbreviations like U.S. stay whole)."""
    return WORD_RE.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Truncation stem: case-fold, strip one common suffix, keep at most six letters."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if NUMBER_RE.match(w):
        return w.replace(",", "")
    w = DEMONYMS.get(w, w)
    for suffix in _SUFFIXES:
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w[:6]


def is_stopword(word: str) -> bool:
    return word.casefold().replace("’", "'") in STOPWORDS


def is_content(word: str) -> bool:
    """A word that carries meaning: not a stopword, not a single letter."""
    return not is_stopword(word) and (len(word) > 1 or word.isdigit())
