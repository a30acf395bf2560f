"""Loaded (evaluative) words of a sentence, each with the lexicon entry that matched.

Three open lexicons, read from the packages that ship them (nothing is downloaded):

- ``newsprism``: the project's curated phrases (``analysis/loaded_terms.txt``, MIT): framing
  vocabulary of conflict and politics ("all-out war", "maximalist", "illegal aliens");
- ``pattern-subjectivity``: the subjectivity lexicon of English adjectives by De Smedt &
  Daelemans (Pattern, shipped in TextBlob as ``en-sentiment.xml``, PDDL): an adjective whose
  senses average subjectivity >= ``SUBJECTIVITY`` and |polarity| >= ``POLARITY``;
- ``vader``: the VADER valence lexicon (Hutto & Gilbert 2014, MIT): |valence| >= ``VALENCE``.

The thresholds were chosen on the even ids of BABE-dev (``benchmarks/framing_eval.py``) and are
reported on the odd ids; BABE itself (AGPL) is only read by that benchmark. Phrases match on
Snowball stems (PyStemmer), so "slammed" finds "slam" while "social distancing" no longer
matches "socialist" (the old six-letter truncation made them one word).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer

SUBJECTIVITY = 0.6
POLARITY = 0.1
VALENCE = 2.0
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@dataclass(frozen=True)
class LoadedTerm:
    """One flagged word or phrase: offsets into the text it was found in, and why."""

    text: str
    start: int
    end: int
    entry: str  # the lexicon entry that matched
    lexicon: str  # newsprism | pattern-subjectivity | vader
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
def subjective_adjectives() -> dict[str, float]:
    """Pattern's adjectives over the thresholds: word -> mean subjectivity of its senses."""
    path = resources.files("textblob").joinpath("en", "en-sentiment.xml")
    senses: dict[str, list[tuple[float, float]]] = {}
    for node in ET.fromstring(path.read_bytes()):
        form = (node.get("form") or "").casefold()
        if form and " " not in form:
            senses.setdefault(form, []).append(
                (abs(float(node.get("polarity", 0))), float(node.get("subjectivity", 0)))
            )
    out: dict[str, float] = {}
    for form, values in senses.items():
        polarity = sum(p for p, _ in values) / len(values)
        subjectivity = sum(s for _, s in values) / len(values)
        if subjectivity >= SUBJECTIVITY and polarity >= POLARITY:
            out[form] = round(subjectivity, 3)
    return out


@lru_cache(maxsize=1)
def valenced() -> dict[str, float]:
    """VADER's words with |valence| over the threshold: word -> |valence|."""
    path = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    out: dict[str, float] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha() and abs(float(parts[1])) >= VALENCE:
            out[parts[0].casefold()] = abs(float(parts[1]))
    return out


@lru_cache(maxsize=1)
def _longest() -> int:
    """Words in the longest curated phrase (was recomputed on every call: half its cost)."""
    return max((len(k) for k in curated()), default=1)


def find_loaded(text: str) -> list[LoadedTerm]:
    """Loaded words and phrases of one sentence, in reading order, none overlapping."""
    words = list(_WORD.finditer(text))
    stems = [stem(m.group()) for m in words]
    phrases = curated()
    longest = _longest()
    found: list[LoadedTerm] = []
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
        term = _word(words[i])
        if term is not None:
            found.append(term)
        i += 1
    return found


def _phrase_at(stems: list[str], i: int, phrases: dict[tuple[str, ...], str], longest: int) -> int:
    for size in range(min(longest, len(stems) - i), 0, -1):
        if tuple(stems[i : i + size]) in phrases:
            return size
    return 0


def _word(match: re.Match[str]) -> LoadedTerm | None:
    word = match.group()
    low = word.casefold()
    if len(low) < 3 or (word[:1].isupper() and match.start() > 0):
        return None  # names are not loaded words ("Trump" has a VADER valence)
    if low in subjective_adjectives():
        return LoadedTerm(
            word, match.start(), match.end(), low, "pattern-subjectivity", subjective_adjectives()[low]
        )
    if low in valenced():
        return LoadedTerm(word, match.start(), match.end(), low, "vader", valenced()[low])
    return None
