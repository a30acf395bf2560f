"""Loaded (evaluative) words of a sentence, each with the lexicon entry or model that matched.

Open lexicons, read from the packages that ship them (nothing is downloaded):

- ``newsprism``: the project's curated phrases (``analysis/loaded_terms.txt``, MIT): framing
  vocabulary of conflict and politics ("all-out war", "maximalist", "illegal aliens"). A curated
  phrase is always flagged;
- ``model``: every other word is rated by a logistic regression over what the open lexicons say
  of it — Pattern's polarity, subjectivity and intensity (De Smedt & Daelemans, shipped in
  TextBlob, PDDL), VADER's valence (Hutto & Gilbert 2014, MIT), TextBlob's Brill word classes —
  and its shape (suffix, hyphen, length). A sentence is loaded when its likeliest word reaches
  one threshold; then its words over a second threshold are flagged. Why a model rather than a
  threshold per lexicon: each lexicon alone is weak (Pattern is mostly adjectives, VADER is
  sentiment, not bias), and how much each counts is measured, not guessed.

The weights and thresholds (``loaded_model.json``, a few dozen numbers) were fitted on the even
ids of BABE-dev by ``benchmarks/loaded_train.py`` and are reported on the odd ids
(``benchmarks/framing_eval.py``); the features name no corpus word, so nothing of BABE (AGPL)
ships. Phrases match on Snowball stems (PyStemmer), so "slammed" finds "slam" while "social
distancing" does not match "socialist".
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer

from newsprism.annotate.language import STOPWORDS

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SUFFIXES = ("ist", "ism", "ists", "ous", "ive", "ly", "ed", "ing", "ize", "ized", "ful", "less")
# the order of the model's weights (loaded_model.json); changing it means retraining
FEATURES = (
    *("bias", "pattern_polarity", "pattern_subjectivity", "in_pattern", "pattern_intensity"),
    *("vader_valence", "vader_negative", "vader_positive", "in_vader", "curated", "stopword"),
    *("length", "hyphenated", "adjective", "adverb", "noun", "verb", "unknown_word"),
    *(f"suffix_{s}" for s in _SUFFIXES),
)


@dataclass(frozen=True)
class LoadedTerm:
    """One flagged word or phrase: offsets into the text it was found in, and why."""

    text: str
    start: int
    end: int
    entry: str  # the lexicon entry that matched
    lexicon: str  # newsprism (curated phrase) | model (annotate.loaded)
    score: float = 1.0  # the entry's subjectivity or |valence| (1.0 for curated phrases)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a case-folded word."""
    return str(_stemmer().stemWord(word.casefold().replace("’", "'")))


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _WORD.findall(text))


@lru_cache(maxsize=1)
def curated() -> dict[tuple[str, ...], str]:
    """The project's loaded phrases by their stems."""
    text = resources.files("newsprism.analysis").joinpath("loaded_terms.txt").read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return {_stems(line): line for line in lines if line}


@lru_cache(maxsize=1)
def pattern_lexicon() -> dict[str, tuple[float, float, float]]:
    """Pattern's words: word -> (mean |polarity|, mean subjectivity, top intensity) of its senses."""
    path = resources.files("textblob").joinpath("en", "en-sentiment.xml")
    senses: dict[str, list[tuple[float, float, float]]] = {}
    for node in ET.fromstring(path.read_bytes()):
        form = (node.get("form") or "").casefold()
        if form and " " not in form:
            senses.setdefault(form, []).append(
                (
                    abs(float(node.get("polarity", 0))),
                    float(node.get("subjectivity", 0)),
                    float(node.get("intensity", 1)),
                )
            )
    return {
        form: (
            sum(p for p, _, _ in values) / len(values),
            sum(s for _, s, _ in values) / len(values),
            max(i for _, _, i in values),
        )
        for form, values in senses.items()
    }


@lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """VADER's words: word -> valence (-4 .. 4)."""
    path = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    out: dict[str, float] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0].casefold()] = float(parts[1])
    return out


@lru_cache(maxsize=1)
def _longest() -> int:
    """Words in the longest curated phrase (was recomputed on every call: half its cost)."""
    return max((len(k) for k in curated()), default=1)


@lru_cache(maxsize=1)
def word_classes() -> dict[str, str]:
    """Word -> its first part-of-speech tag in TextBlob's Brill lexicon (a cheap POS prior)."""
    path = resources.files("textblob").joinpath("en", "en-lexicon.txt")
    out: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith(";"):
            out.setdefault(parts[0].casefold(), parts[1])
    return out


@lru_cache(maxsize=65536)
def features(word: str) -> tuple[float, ...]:
    """One word's evidence of being loaded, in ``FEATURES`` order: what the open lexicons say
    of it (Pattern's polarity, subjectivity and intensity; VADER's valence; the curated
    phrases), its word class, and its shape. Nothing here names a word of any corpus."""
    low = word.casefold().replace("’", "'")
    polarity, subjectivity, intensity = pattern_lexicon().get(low, (0.0, 0.0, 0.0))
    vader = vader_lexicon()
    valence = vader.get(low, max((vader.get(p, 0.0) for p in low.split("-")), key=abs))
    tag = word_classes().get(low, "")
    return (
        *(1.0, polarity, subjectivity, float(low in pattern_lexicon()), min(intensity, 2.0) / 2),
        *(abs(valence) / 4, max(-valence, 0.0) / 4, max(valence, 0.0) / 4, float(low in vader)),
        *(float(stem(low) in curated_stems()), float(low in STOPWORDS)),
        *(min(len(low), 15) / 15, float("-" in low)),
        *(float(tag.startswith(t)) for t in ("JJ", "RB", "NN", "VB")),
        float(not tag),
        *(float(low.endswith(s)) for s in _SUFFIXES),
    )


@lru_cache(maxsize=1)
def curated_stems() -> frozenset[str]:
    return frozenset(s for phrase in curated() for s in phrase)


@dataclass(frozen=True)
class Model:
    """Logistic weights over ``FEATURES`` and the two decision thresholds."""

    weights: tuple[float, ...]
    sentence: float  # a sentence is loaded when its likeliest word reaches this
    word: float  # then every word reaching this is flagged (at least the likeliest)


@lru_cache(maxsize=1)
def model() -> Model:
    """The shipped weights (``loaded_model.json``, written by ``benchmarks/loaded_train.py``)."""
    data = json.loads(resources.files("newsprism.annotate").joinpath("loaded_model.json").read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("loaded_model.json was trained on other features; rerun benchmarks/loaded_train.py")
    return Model(tuple(data["weights"]), data["sentence_threshold"], data["word_threshold"])


@lru_cache(maxsize=65536)
def _rating(word: str, weights: tuple[float, ...]) -> float:
    """A word's probability of being loaded (cached: a story repeats most of its words)."""
    return probability(features(word), weights)


def probability(vector: tuple[float, ...], weights: tuple[float, ...]) -> float:
    z = sum(x * w for x, w in zip(vector, weights, strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def find_loaded(text: str, rules: Model | None = None) -> list[LoadedTerm]:
    """Loaded words and phrases of one sentence, in reading order, none overlapping: every
    curated phrase, and the words the model rates loaded when the sentence as a whole is."""
    words = list(_WORD.finditer(text))
    stems = [stem(m.group()) for m in words]
    phrases = curated()
    longest = _longest()
    found: list[LoadedTerm] = []
    candidates: list[tuple[float, re.Match[str]]] = []
    rules = rules or model()
    i = 0
    while i < len(words):
        hit = _phrase_at(stems, i, phrases, longest)
        if hit:
            start, end = words[i].start(), words[i + hit - 1].end()
            found.append(
                LoadedTerm(text[start:end], start, end, phrases[tuple(stems[i : i + hit])], "newsprism")
            )
            i += hit
            continue
        if candidate(words[i]):
            candidates.append((_rating(words[i].group(), rules.weights), words[i]))
        i += 1
    found += _decide(candidates, rules)
    return sorted(found, key=lambda t: t.start)


def candidate(word: re.Match[str]) -> bool:
    """Words the model rates: three letters or more, and no names ("Trump" has a VADER
    valence); a capital at the sentence's start is no name."""
    return len(word.group()) >= 3 and not (word.group()[:1].isupper() and word.start() > 0)


def words_of(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _decide(candidates: list[tuple[float, re.Match[str]]], rules: Model) -> list[LoadedTerm]:
    """The sentence-level decision first (precision: a neutral sentence flags nothing), then
    the words of a loaded sentence."""
    if not candidates:
        return []
    top = max(p for p, _ in candidates)
    if top < rules.sentence:
        return []
    chosen = [(p, m) for p, m in candidates if p >= rules.word] or [max(candidates, key=lambda c: c[0])]
    return [
        LoadedTerm(m.group(), m.start(), m.end(), m.group().casefold(), "model", round(p, 3))
        for p, m in chosen
    ]


def _phrase_at(stems: list[str], i: int, phrases: dict[tuple[str, ...], str], longest: int) -> int:
    for size in range(min(longest, len(stems) - i), 0, -1):
        if tuple(stems[i : i + size]) in phrases:
            return size
    return 0
