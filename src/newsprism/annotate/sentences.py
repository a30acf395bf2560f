"""Sentence splitting that returns exact substrings of the paragraph.

Citations must point at text a reader can find verbatim in the article, so a sentence is a
(start, end) span of its paragraph, never a rewritten string. Boundaries are ". ! ?" followed by
space and an upper-case letter, digit or opening quote; abbreviations ("Sept.", "U.S.", "Mr.")
and full stops inside an open quotation do not end a sentence, so a quoted statement of two
sentences stays one unit with its attribution.
"""

from __future__ import annotations

import re

from newsprism.annotate.language import MONTH_ABBREVIATIONS
from newsprism.model import Article, Sentence

ABBREVIATIONS = MONTH_ABBREVIATIONS | frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "no",
        "fig",
        "approx",
        "est",
        "dept",
        "univ",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9À-ÖØ-Þ])")


def _quote_open(text: str) -> bool:
    """True if ``text`` leaves a double quotation open (curly or straight)."""
    curly = text.count("“") - text.count("”")
    straight = text.count('"') % 2
    return curly > 0 or straight == 1


def _is_abbreviation(before: str) -> bool:
    token = before.rsplit(None, 1)[-1] if before.strip() else ""
    token = token.lstrip("(\"“'‘").rstrip(".").casefold()
    if token in ABBREVIATIONS:
        return True
    # single initials ("J. Smith") and dotted acronyms ("U.S.")
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", token))


def split_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, whitespace trimmed at both ends."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        candidate = paragraph[start:end]
        if paragraph[match.start()] == "." and _is_abbreviation(paragraph[start : match.start()]):
            continue
        if _quote_open(candidate.rstrip()):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(paragraph)))
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        segment = paragraph[s:e]
        lead = len(segment) - len(segment.lstrip())
        tail = len(segment.rstrip())
        if tail > lead:
            trimmed.append((s + lead, s + tail))
    return trimmed


def split_sentences(article: Article) -> list[Sentence]:
    """All sentences of the article body, indexed globally in reading order."""
    sentences: list[Sentence] = []
    for p_index, paragraph in enumerate(article.body):
        for s, e in split_spans(paragraph):
            sentences.append(Sentence(article.id, len(sentences), p_index, paragraph[s:e]))
    return sentences
