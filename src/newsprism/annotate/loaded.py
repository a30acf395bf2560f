"""Loaded (evaluative) words of a sentence, each with the lexicon entry or model that matched.

Two sources, both shipped as open data (nothing is downloaded):

- ``newsprism``: the project's curated phrases (``analysis/loaded_terms.txt``, MIT): framing
  vocabulary of conflict and politics ("all-out war", "maximalist", "illegal aliens"). A curated
  phrase is always flagged;
- ``model``: every other word of three letters or more that is not a stopword is rated by a
  logistic regression over what the word *means* — its WordLlama embedding (the static 256-d
  token embeddings that ship inside the ``wordllama`` wheel, MIT: the mean of its tokens, its
  first and last token) and how rare it is (tokens it takes, their BPE ranks). The regression
  was taught by the open lexicons alone: evaluative words are Pattern's strongly subjective
  words (De Smedt & Daelemans, shipped in TextBlob, PDDL), VADER's strongly valenced words
  (Hutto & Gilbert 2014, MIT) and the curated words above (MIT); neutral words are Pattern's
  objective, unpolarised words and the common vocabulary of plain news reports (the ECB+
  corpus, Cybulska & Vossen 2014, CC BY 3.0: its word counts, and below its sentences' mean
  embedding, were read; no text of it ships), lexicon words common in those reports included
  ("killed", "support": report language).
  The embedding carries the lexicons to words they lack ("cronies", "crooked", "egregious").
  A sentence is loaded when its likeliest word's rating, lifted or lowered by the sentence's
  register, reaches one threshold (or it has a curated phrase); then its words over a second
  threshold are flagged (at least the likeliest). The register is the sentence's tokens' mean
  embedding along the direction from plain report sentences (ECB+) to the lexicons' evaluative
  words: a report about a killing has strong words in a plain register. A capitalised word
  after the sentence's first (a name, mostly) and a word inside a quotation weigh less.

Why not a model fitted on BABE: BABE (AGPL-3.0) may evaluate the model and choose among
lexicons and thresholds, but nothing derived from it ships (issue #14). The previous model's
340k weights were fitted on BABE's even half (odd half: word precision 0.514, recall 0.451,
sentence F1 0.761) and are withdrawn. This one's 773 word weights and 256-d register direction
come from the lexicons, WordLlama and ECB+ alone; BABE's even half chose ten numbers by grid
search (four label settings and the L2 strength; the two thresholds, the two factors and the
register's lift), and its odd half scores the result lower (README.md): BABE's annotators mark
words by their use in the sentence, which a lexicon-taught word model barely sees.
Why a word-only rating: it is cached per word type, as is each word's share of the register,
so an article costs lookups.

Phrases match on Snowball stems (PyStemmer), so "slammed" finds "slam" while "social
distancing" does not match "socialist".
"""

from __future__ import annotations

import bisect
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
# the word model's input, in order (loaded_model.json's weights follow it; changing it means retraining)
WORD_FEATURES = ("mean_token 256", "first_token 256", "last_token 256", "rarity 4")


@dataclass(frozen=True)
class LoadedTerm:
    """One flagged word or phrase: offsets into the text it was found in, and why."""

    text: str
    start: int
    end: int
    entry: str  # the lexicon entry that matched (the case-folded word for the model)
    lexicon: str  # newsprism (curated phrase) | model (annotate.loaded's word model)
    score: float = 1.0  # the model's rating in its sentence (1.0 for curated phrases)


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
def _longest() -> int:
    """Words in the longest curated phrase (was recomputed on every call: half its cost)."""
    return max((len(k) for k in curated()), default=1)


@lru_cache(maxsize=1)
def pattern_lexicon() -> dict[str, tuple[float, float, float]]:
    """Pattern's words (TextBlob's copy, PDDL): word -> (mean |polarity|, mean subjectivity,
    top intensity) of its senses. Read by the training script for the word model's labels."""
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
    """VADER's words (MIT): word -> valence (-4 .. 4). Read by the training script."""
    path = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    out: dict[str, float] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0].casefold()] = float(parts[1])
    return out


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


def word_vector(word: str) -> np.ndarray:
    """What a case-folded word means, out of context (``WORD_FEATURES``): its embedding (mean
    of its tokens) and those of its first and last token (stem and ending of a rare word:
    "bomb|astic"), and how rare it is (tokens it takes, and their ranks: Llama's BPE gives
    frequent strings low ids)."""
    ids = vectors().tokenizer.encode(word, add_special_tokens=False).ids or [0]
    rows = vectors().matrix[ids]
    log_vocab = math.log(len(vectors().matrix))
    rarity = (
        min(len(ids), 4) / 4,
        float(len(ids) == 1),
        math.log(max(ids) + 1) / log_vocab,
        math.log(min(ids) + 1) / log_vocab,
    )
    return np.concatenate(
        [_unit(rows.mean(axis=0)), _unit(rows[0]), _unit(rows[-1]), np.array(rarity, dtype=np.float32)]
    ).astype(np.float32)


@dataclass(frozen=True, eq=False)
class Model:
    """The word model (logistic weights over ``word_vector``, intercept last), the sentence's
    register and the decision's five numbers (``loaded_model.json``)."""

    weights: np.ndarray
    sentence: float  # a sentence is loaded when its likeliest word's rating (+ lift) reaches this
    word: float  # then every word whose rating reaches this is flagged (at least the likeliest)
    capitalised: float  # a capitalised word after the sentence's first is rated this much lower
    quoted: float  # a word inside a quotation likewise (the speaker's word, not the outlet's)
    # the sentence's register: its tokens' mean along ``direction`` (evaluative words' mean
    # embedding minus plain reports' sentences'), centred and scaled on the reports; a sentence
    # is loaded when its likeliest word's rating plus ``lift`` times its register reaches
    # ``sentence`` (``Register``)
    register: Register | None = None
    lift: float = 0.0

    def rate(self, word: str) -> float:
        """A case-folded word's probability of being evaluative, out of context (cached)."""
        return _rate(self, word)


@dataclass(frozen=True, eq=False)
class Register:
    """Evaluative or report-like, from the sentence's wording as a whole: the mean of its
    tokens' embeddings along ``direction``, minus the reports' mean, over their spread. The
    direction points from the mean embedding of plain news report sentences (ECB+) to that of
    the lexicons' evaluative words, so nothing here was fitted on BABE. Linear in the tokens,
    so each word's share is one cached number (no sentence embedding is built)."""

    direction: np.ndarray
    mean: float
    scale: float

    def of(self, words: list[str]) -> float:
        """The register of a sentence's (case-folded) words, in report spreads."""
        shares = [_along(self, w) for w in words]
        tokens = sum(n for _, n in shares)
        return (sum(p for p, _ in shares) / max(tokens, 1) - self.mean) / self.scale


@lru_cache(maxsize=131072)
def _along(register: Register, word: str) -> tuple[float, int]:
    """A case-folded word's tokens summed along the register's direction, and their count."""
    ids = vectors().tokenizer.encode(word, add_special_tokens=False).ids or [0]
    return float(vectors().matrix[ids].sum(axis=0) @ register.direction), len(ids)


@lru_cache(maxsize=131072)
def _rate(rules: Model, word: str) -> float:
    z = float(word_vector(word) @ rules.weights[:-1] + rules.weights[-1])
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@lru_cache(maxsize=1)
def model() -> Model:
    """The shipped weights and thresholds (written by ``benchmarks/loaded_train.py``)."""
    data = json.loads(resources.files("newsprism.annotate").joinpath("loaded_model.json").read_text("utf-8"))
    if data["embedding"] != EMBEDDING or tuple(data["word_features"]) != WORD_FEATURES:
        raise ValueError("loaded_model.json was trained on other features; rerun benchmarks/loaded_train.py")
    register = Register(
        np.array(data["register_direction"], dtype=np.float32),
        float(data["register_mean"]),
        float(data["register_scale"]),
    )
    return Model(
        np.array(data["word_weights"], dtype=np.float32),
        float(data["sentence_threshold"]),
        float(data["word_threshold"]),
        float(data["capitalised_factor"]),
        float(data["quoted_factor"]),
        register,
        float(data["register_lift"]),
    )


def quoted(text: str, words: list[re.Match[str]]) -> list[bool]:
    """Whether each word stands inside a quotation (an odd number of quote marks before it)."""
    if not any(q in text for q in _QUOTES):
        return [False] * len(words)
    marks = [i for i, c in enumerate(text) if c in _QUOTES]
    return [bisect.bisect_left(marks, w.start()) % 2 == 1 for w in words]


@dataclass(frozen=True)
class Evidence:
    """What the decision reads of one sentence: its curated phrases, and its candidate words
    with each one's place (after the sentence's first word, capitalised, quoted)."""

    curated: list[LoadedTerm]
    words: list[re.Match[str]]
    capitalised: list[bool]
    quoted: list[bool]
    everything: list[str]  # every word of the sentence, case-folded (its register)

    def ratings(self, rules: Model) -> np.ndarray:
        """Each candidate's rating in this sentence: the word's own, lowered by its place."""
        return np.array(
            [
                rules.rate(w.group().casefold())
                * (rules.capitalised if cap else 1.0)
                * (rules.quoted if inside else 1.0)
                for w, cap, inside in zip(self.words, self.capitalised, self.quoted, strict=True)
            ],
            dtype=np.float64,
        )


def evidence(text: str) -> Evidence:
    """Curated phrases and model candidates of a sentence, none overlapping."""
    words = list(_WORD.finditer(text))
    stems = [stem(m.group()) for m in words]
    phrases = curated()
    longest = _longest()
    found: list[LoadedTerm] = []
    candidates: list[re.Match[str]] = []
    capitalised: list[bool] = []
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
            capitalised.append(i > 0 and words[i].group()[:1].isupper())
        i += 1
    every = [m.group().casefold() for m in words]
    return Evidence(found, candidates, capitalised, quoted(text, candidates), every)


def find_loaded(text: str, rules: Model | None = None) -> list[LoadedTerm]:
    """Loaded words and phrases of one sentence, in reading order, none overlapping: every
    curated phrase, and the words the model rates loaded when the sentence as a whole is."""
    return find_loaded_all([text], rules)[0]


def find_loaded_all(texts: list[str], rules: Model | None = None) -> list[list[LoadedTerm]]:
    """``find_loaded`` of each sentence (an article's: the API ``annotate`` calls)."""
    rules = rules or model()
    out = []
    for text in texts:
        seen = evidence(text)
        lift = rules.lift * rules.register.of(seen.everything) if rules.register and seen.words else 0.0
        found = seen.curated + decide(
            seen.words, seen.ratings(rules), (rules.sentence, rules.word), bool(seen.curated), lift
        )
        out.append(sorted(found, key=lambda t: t.start))
    return out


def candidate(word: re.Match[str]) -> bool:
    """Words the model rates: three letters or more, not a stopword. Capitalised words too:
    "Orwellian", "Marxists" and headline-cased words are loaded as often as any; a capital
    after the sentence's first word lowers the rating (``Model.capitalised``) instead."""
    text = word.group()
    return len(text) >= 3 and text.casefold() not in STOPWORDS


def words_of(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def decide(
    words: list[re.Match[str]],
    ratings: np.ndarray,
    thresholds: tuple[float, float],
    curated: bool = False,
    lift: float = 0.0,
) -> list[LoadedTerm]:
    """The sentence-level decision first (precision: a sentence whose likeliest word is weak
    flags nothing), then the words of a loaded sentence: those rated over the word threshold,
    at least the likeliest. ``lift`` moves the sentence's score by its register (``Register``).
    A sentence with a curated phrase is loaded already; its words over the word threshold join
    the phrase (none is forced: the phrase is the sentence's flag)."""
    sentence, word = thresholds
    if not words or (not curated and float(ratings.max()) + lift < sentence):
        return []
    chosen = [j for j, p in enumerate(ratings) if p >= word]
    if not chosen and not curated:
        chosen = [int(np.argmax(ratings))]
    return [
        LoadedTerm(
            words[j].group(),
            words[j].start(),
            words[j].end(),
            words[j].group().casefold(),
            "model",
            round(float(ratings[j]), 3),
        )
        for j in chosen
    ]


def _phrase_at(stems: list[str], i: int, phrases: dict[tuple[str, ...], str], longest: int) -> int:
    for size in range(min(longest, len(stems) - i), 0, -1):
        if tuple(stems[i : i + size]) in phrases:
            return size
    return 0
