"""Claim units: sentences cut at clause boundaries, with sparse concept vectors.

One news sentence often carries several claims ("Kyiv has rejected territorial concessions and
wants European troops ... as a peacekeeping force"); one outlet may report the first and not the
second. Aligning clauses rather than whole sentences lets a sentence support one consensus fact
while its other clause stays exclusive. Citations still point at the whole sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse

from newsprism.analysis.paraphrase import concepts
from newsprism.annotate.entities import TITLES
from newsprism.annotate.language import words
from newsprism.model import AnnotatedArticle, Sentence

_CLAUSE = re.compile(
    r";\s+|\s+--\s+|\s+[—–]\s+"
    r"|,[\"”]?\s+(?=(?:while|whereas|but|during which|in which|after which|something|although)\b)"
    r"|\s+(?=but\s)|(?<![Ss]uch)(?<!same)\s+(?=as\s+(?:[A-Z]|the\s|his\s|her\s|their\s))"
    r"|,?\s+and\s+(?=(?:has|have|had|is|was|were|are|also|then|wants)\b|[a-z]+ed\b)"
)
MIN_CONCEPTS = 3
# lines that are about the page, not the event: teasers, credits, captions, newsletter pitches
_FURNITURE = re.compile(
    r"^\W*(?:also (?:on|read|see)\b|read (?:more|also|next)\b|related\b|click here|sign up|subscribe"
    r"|follow (?:us|him|her)\b|watch\s*:|photo\s*:|image\s*:|video\s*:|listen\s*:|advertisement"
    r"|(?:reporting|editing|writing|additional reporting|compiled) by\b|copyright|©|this (?:story|article)"
    r" (?:has been|was) (?:updated|corrected)|contact (?:the )?(?:author|reporter))"
    r"|\((?:reporting|editing|writing)(?: by)?\b|;\s*editing by\b"
    r"|\b(?:AP|AFP|Reuters|Getty) (?:Photo|Images)\b"
    r"|\bnewsletter\b.*\b(?:sign up|subscribe|inbox)\b|\b(?:sign up|subscribe)\b.*\bnewsletter\b",
    re.IGNORECASE,
)


def furniture(text: str) -> bool:
    """A teaser, credit, caption or newsletter line: never a fact, never a bullet."""
    return bool(_FURNITURE.search(text))


@dataclass(frozen=True)
class Unit:
    """One clause of one sentence, placed in its article and its voice."""

    article_id: str
    voice: str
    sentence: Sentence
    start: int
    end: int
    position: float  # relative position of the sentence in its article, 0 = lead

    @property
    def text(self) -> str:
        return self.sentence.text[self.start : self.end]


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence; clauses with too few concepts join their neighbour."""
    cuts = [0] + [m.end() for m in _CLAUSE.finditer(text) if m.start() > 0] + [len(text)]
    spans = [(a, b) for a, b in pairwise(cuts) if b > a]
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if (merged and len(concepts(text[a:b])) < MIN_CONCEPTS) or (
            merged and len(concepts(text[merged[-1][0] : merged[-1][1]])) < MIN_CONCEPTS
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged or [(0, len(text))]


def build_units(articles: list[AnnotatedArticle], voices: dict[str, str]) -> list[Unit]:
    """All clause units of the story, in article order then reading order."""
    units: list[Unit] = []
    for annotated in articles:
        total = max(len(annotated.sentences), 1)
        aid = annotated.article.id
        for sentence in annotated.sentences:
            if furniture(sentence.text):
                continue
            for start, end in clause_spans(sentence.text):
                units.append(Unit(aid, voices[aid], sentence, start, end, sentence.index / total))
    return units


def name_concepts(units: list[Unit]) -> set[str]:
    """Concepts spelled with a capital inside sentences: names, weighted down in matching."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for unit in units:
        for i, word in enumerate(words(unit.text)):
            key = concepts(word)
            if not key:
                continue
            (capital if word[:1].isupper() and (i > 0 or unit.start > 0) else lower)[key[0]] += 1
    titles = {concepts(t)[0] for t in TITLES if concepts(t)}
    return {c for c, n in capital.items() if n > lower[c] and c not in titles}


def unit_matrix(units: list[Unit], name_weight: float = 0.5) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """L2-normalised TF-IDF rows over concepts (names count half: sharing names is weak
    evidence), and a binary matrix of the non-name concepts, to count shared meaning words.
    Counts that differ are joined after clustering (``facts._join_counts``), not here."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    bags = [Counter(concepts(u.text)) for u in units]
    for r, bag in enumerate(bags):
        for key in bag:
            rows.append(r)
            cols.append(vocab.setdefault(key, len(vocab)))
    n = len(units)
    df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab)).astype(float)
    idf = np.log((n + 1) / (df + 1)) + 1.0
    names = name_concepts(units)
    for key, col in vocab.items():
        if key in names:
            idf[col] *= name_weight
    data = [(1.0 + math.log(bags[r][k])) for r, bag in enumerate(bags) for k in bag]
    matrix = sparse.csr_matrix(
        (np.asarray(data) * idf[np.asarray(cols, dtype=np.int64)], (rows, cols)),
        shape=(n, len(vocab)),
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    result: sparse.csr_matrix = (sparse.diags(1.0 / norms) @ matrix).tocsr()
    keep = np.asarray([0.0 if key in names else 1.0 for key in vocab])
    binary = sparse.csr_matrix((keep[np.asarray(cols, dtype=np.int64)], (rows, cols)), shape=(n, len(vocab)))
    binary.eliminate_zeros()
    return result, binary
