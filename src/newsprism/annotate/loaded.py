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

import importlib.util
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import Stemmer
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from newsprism.annotate.language import STOPWORDS

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_QUOTES = ('"', "“", "”")
# the embedding the model was fitted on: wordllama's bundled default (its wheel pinned in constraints.txt)
EMBEDDING = "wordllama 0.4.0.post1 l2_supercat_256"
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
    """Two logistic regressions and the two decision thresholds (``loaded_model.json``).

    ``word`` rates each candidate word over ``word_vector`` (intercept last); ``sentence``
    rates the sentence over ``sentence_vector`` (intercept last)."""

    word_weights: np.ndarray
    sentence_weights: np.ndarray
    sentence: float  # a sentence is loaded when the sentence model reaches this
    word: float  # then every word reaching this is flagged (at least the likeliest)


@lru_cache(maxsize=1)
def model() -> Model:
    """The shipped weights (``loaded_model.json``, written by ``benchmarks/loaded_train.py``)."""
    data = json.loads(resources.files("newsprism.annotate").joinpath("loaded_model.json").read_text("utf-8"))
    if tuple(data["lexicon_features"]) != FEATURES or data["embedding"] != EMBEDDING:
        raise ValueError("loaded_model.json was trained on other features; rerun benchmarks/loaded_train.py")
    return Model(
        np.array(data["word_weights"], dtype=np.float32),
        np.array(data["sentence_weights"], dtype=np.float32),
        float(data["sentence_threshold"]),
        float(data["word_threshold"]),
    )


@dataclass(frozen=True)
class _Vectors:
    """WordLlama's token embeddings and the tokenizer they index (read from its wheel)."""

    matrix: np.ndarray  # (32000, 256) float32, one row per Llama-2 token
    tokenizer: Tokenizer


@lru_cache(maxsize=1)
def vectors() -> _Vectors:
    """The embeddings that ship inside the ``wordllama`` wheel, read from its files without
    importing the package (its import pulls in requests and pydantic, ~1.5 s) and so without
    its downloader: nothing is fetched, and a missing file is an error."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordllama is not installed (pip install -c constraints.txt -e .)")
    root = Path(next(iter(spec.submodule_search_locations)))
    matrix = load_file(str(root / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    return _Vectors(np.ascontiguousarray(matrix, dtype=np.float32), tokenizer)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (float(np.linalg.norm(v)) or 1.0)


def _token_ids(text: str) -> list[int]:
    return list(vectors().tokenizer.encode(text, add_special_tokens=False).ids)


@lru_cache(maxsize=65536)
def _word_part(word: str) -> np.ndarray:
    """What a word is, out of context (cached per word type): the open lexicons' features,
    its embedding (mean of its tokens) and those of its first and last token (stem and
    ending of a rare word: "bomb|astic"), and how rare it is (tokens it takes, and their
    ranks: Llama's BPE gives frequent strings low ids)."""
    low = word.casefold()
    ids = _token_ids(low) or [0]
    rows = vectors().matrix[ids]
    log_vocab = math.log(len(vectors().matrix))
    rarity = (
        min(len(ids), 4) / 4,
        float(len(ids) == 1),
        math.log(max(ids) + 1) / log_vocab,
        math.log(min(ids) + 1) / log_vocab,
    )
    return np.concatenate(
        [
            np.array(features(word), dtype=np.float32),
            _unit(rows.mean(axis=0)),
            np.array(rarity, dtype=np.float32),
            _unit(rows[0]),
            _unit(rows[-1]),
        ]
    )


def sentence_embedding(text: str) -> np.ndarray:
    """The sentence's WordLlama embedding (mean of its tokens), unit length: what it is about
    and its register, the context each word is rated in."""
    return _unit(vectors().matrix[_token_ids(text) or [0]].mean(axis=0))


def word_matrix(text: str, words: list[re.Match[str]], context: np.ndarray) -> np.ndarray:
    """One row per candidate word: what it is (``_word_part``), the sentence it is in, and
    where (inside a quotation, position in the sentence, capitalised)."""
    last = max(len(words) - 1, 1)
    rows = []
    for j, word in enumerate(words):
        quoted = sum(text.count(q, 0, word.start()) for q in _QUOTES) % 2
        where = np.array((quoted, j / last, float(word.group()[:1].isupper())), dtype=np.float32)
        rows.append(np.concatenate([_word_part(word.group()), context, where]))
    return np.array(rows, dtype=np.float32).reshape(len(words), -1)


def sentence_vector(context: np.ndarray, lexical: np.ndarray, ratings: np.ndarray) -> np.ndarray:
    """The sentence model's input: the sentence embedding, its likeliest word and the mean of
    its three likeliest, what the lexicons say of its most marked word, and its length."""
    top = np.sort(ratings)[::-1] if len(ratings) else np.zeros(1, dtype=np.float32)
    most = lexical.max(axis=0) if len(lexical) else np.zeros(len(FEATURES), dtype=np.float32)
    return np.concatenate(
        [context, np.array((top[0], top[:3].mean()), dtype=np.float32), most, [math.log1p(len(ratings)) / 4]]
    ).astype(np.float32)


def logistic(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Probabilities of a logistic regression whose intercept is the last weight."""
    z = x @ weights[:-1] + weights[-1]
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))))


@dataclass(frozen=True)
class Evidence:
    """What the decision reads of one sentence: its curated phrases, its candidate words with
    their feature rows, and its embedding (the training script reads the same)."""

    curated: list[LoadedTerm]
    words: list[re.Match[str]]
    rows: np.ndarray
    context: np.ndarray


def evidence(text: str) -> Evidence:
    """Curated phrases and model candidates of a sentence, none overlapping."""
    words = list(_WORD.finditer(text))
    stems = [stem(m.group()) for m in words]
    phrases = curated()
    longest = _longest()
    found: list[LoadedTerm] = []
    candidates: list[re.Match[str]] = []
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
            candidates.append(words[i])
        i += 1
    context = sentence_embedding(text) if candidates else np.zeros(0, dtype=np.float32)
    return Evidence(found, candidates, word_matrix(text, candidates, context), context)


def find_loaded(text: str, rules: Model | None = None) -> list[LoadedTerm]:
    """Loaded words and phrases of one sentence, in reading order, none overlapping: every
    curated phrase, and the words the model rates loaded when the sentence as a whole is."""
    rules = rules or model()
    seen = evidence(text)
    if not seen.words:
        return seen.curated
    ratings = logistic(seen.rows, rules.word_weights)
    lexical = seen.rows[:, : len(FEATURES)]
    loaded = float(logistic(sentence_vector(seen.context, lexical, ratings)[None, :], rules.sentence_weights)[0])
    return sorted(seen.curated + decide(seen.words, ratings, loaded, rules), key=lambda t: t.start)


def candidate(word: re.Match[str]) -> bool:
    """Words the model rates: three letters or more, and no names ("Trump" has a VADER
    valence); a capital at the sentence's start is no name."""
    return len(word.group()) >= 3 and not (word.group()[:1].isupper() and word.start() > 0)


def words_of(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def decide(
    words: list[re.Match[str]], ratings: np.ndarray, loaded: float, rules: Model
) -> list[LoadedTerm]:
    """The sentence-level decision first (precision: a neutral sentence flags nothing), then
    the words of a loaded sentence: those rated over the word threshold, at least the likeliest."""
    if not words or loaded < rules.sentence:
        return []
    chosen = [j for j, p in enumerate(ratings) if p >= rules.word] or [int(np.argmax(ratings))]
    return [
        LoadedTerm(words[j].group(), words[j].start(), words[j].end(), words[j].group().casefold(), "model",
                   round(float(ratings[j]), 3))
        for j in chosen
    ]


def _phrase_at(stems: list[str], i: int, phrases: dict[tuple[str, ...], str], longest: int) -> int:
    for size in range(min(longest, len(stems) - i), 0, -1):
        if tuple(stems[i : i + size]) in phrases:
            return size
    return 0
