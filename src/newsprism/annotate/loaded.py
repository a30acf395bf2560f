"""Loaded (evaluative) words of a sentence, each with the lexicon entry or model that matched.

Open lexicons, read from the packages that ship them (nothing is downloaded):

- ``newsprism``: the project's curated phrases (``analysis/loaded_terms.txt``, MIT): framing
  vocabulary of conflict and politics ("all-out war", "maximalist", "illegal aliens"). A curated
  phrase is always flagged;
- ``model``: every other word of three letters or more is rated by small neural nets (five,
  one hidden layer of 64 ReLU units, averaged) over what the open lexicons say of it —
  Pattern's polarity, subjectivity and intensity (De Smedt & Daelemans, shipped in TextBlob,
  PDDL), VADER's valence (Hutto & Gilbert 2014, MIT), TextBlob's Brill word classes — its
  shape, what it means (its WordLlama embedding: the static 256-d token embeddings that ship
  inside the ``wordllama`` wheel, MIT; the mean of its tokens, and its first and last token),
  how rare it is (tokens it takes, their BPE ranks), the embedding of its sentence, and where
  it stands (quoted, position, capitalised). A logistic regression over the sentence's
  embedding and its likeliest words' ratings says whether the sentence is loaded; only then
  are its words over the word threshold flagged (at least the likeliest).

Why embeddings: the lexicons know a few thousand words, and only of sentiment (VADER) or of
adjectives (Pattern): a logistic regression over them found BABE's biased words with
precision 0.247 at recall 0.370 (sentence F1 0.609) on the held-out odd half. An embedding
rates every word by its neighbours in meaning ("cronies", "crooked", "shameless"), and the
sentence's embedding tells opinion from report: on the same half, word precision 0.514,
recall 0.451, sentence F1 0.761. Why static embeddings and not a transformer: the weights
ship inside a PyPI wheel (read from its files: nothing is downloaded, the package's own
loader is never imported), and a word costs cached lookups: an article's sentences take
≈ 0.3 ms CPU each once their words are known (``find_loaded_all``).

The weights and thresholds (``loaded_model.json``: the sentence model and thresholds;
``loaded_model.npz``: the word nets) were fitted on the even ids of BABE-dev by
``benchmarks/loaded_train.py`` (thresholds and net size chosen out of fold) and are reported
on the odd ids (``benchmarks/framing_eval.py``); the features are the lexicons' values and
the embedding's coordinates and name no corpus word, so no word or sentence of BABE (AGPL)
ships. Phrases match on Snowball stems (PyStemmer), so "slammed" finds "slam" while "social
distancing" does not match "socialist".
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
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
_WHERE = 3  # the last columns of Evidence.rows: inside a quotation, position, capitalised
# the embedding the model was fitted on: wordllama's bundled default (its wheel pinned in constraints.txt)
EMBEDDING = "wordllama 0.4.0.post1 l2_supercat_256"
WORD_ARRAYS = ("hidden", "hidden_bias", "output", "output_bias")  # loaded_model.npz, WordModel's order
# word types whose arrays are cached (``features``, ``_word_part``, ``_token_sum`` and the word
# model's ``_by_word``): ~7 KB a word type together (tracemalloc in a backfill, #15), so a long
# run filling 65536 of them held ~460 MB; 16384 hold ~115 MB, and the 16384 commonest word types
# of the eval texts (49k types in 2M words) make up 97% of their words
WORD_CACHE = 16384
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


@lru_cache(maxsize=WORD_CACHE)
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


@dataclass(frozen=True, eq=False)
class WordModel:
    """Small neural nets that rate a candidate word over ``Evidence.rows`` row, averaged, each
    with one hidden layer of ReLU units. Why not one logistic regression: whether a word is
    loaded depends on its meaning *and* its sentence ("attack" in a match report, in a verdict
    on a rival); a hidden layer can weigh one by the other. Several nets from several seeds
    vote, so the ratings do not hang on one initialisation. Stored side by side, so one matrix
    product rates a sentence's words for every net: ``hidden`` (features, nets × units),
    ``hidden_bias`` (nets × units), ``output`` (nets, units), ``output_bias`` (nets)."""

    hidden: np.ndarray
    hidden_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    # a word type's share of the hidden layer, ``_word_part(word) @ hidden[:part]``
    _by_word: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def rate(self, rows: np.ndarray) -> np.ndarray:
        """Each ``Evidence.rows`` row's probability of being a loaded word."""
        return self._vote(rows @ self.hidden)

    def rate_sentences(self, seen: list[Evidence]) -> list[np.ndarray]:
        """``rate(s.rows)`` for each sentence (each with candidate words), faster: the first
        layer is linear, so each word type's share of it is computed once and cached, and each
        sentence's share once; what is left per word is an addition, and the rest runs once
        for all the sentences of an article (a 20 × 1061 × 320 product per sentence had cost
        more CPU than the rest of the model, more still when BLAS spread it over threads)."""
        part = len(seen[0].parts[0])
        counts = [len(s.words) for s in seen]
        # matrix-vector products only: OpenBLAS runs a matrix product this small on all its
        # threads, and their spinning cost several times the arithmetic in CPU time
        contexts = np.array([s.context @ self.hidden[part:-_WHERE] for s in seen])
        mine = np.array(
            [self._word_share(w.group(), p) for s in seen for w, p in zip(s.words, s.parts, strict=True)]
        )
        placed = np.vstack([s.where for s in seen])
        where = sum(placed[:, k, None] * self.hidden[k - _WHERE] for k in range(_WHERE))
        ratings = self._vote(mine + np.repeat(contexts, counts, axis=0) + where)
        return np.split(ratings, np.cumsum(counts)[:-1])

    def _word_share(self, word: str, part: np.ndarray) -> np.ndarray:
        """``part @ hidden[:len(part)]``, cached per word type (as written: ``part`` is)."""
        share = self._by_word.get(word)
        if share is None:
            if len(self._by_word) >= WORD_CACHE:
                self._by_word.clear()
            share = self._by_word[word] = part @ self.hidden[: len(part)]
        return share

    def _vote(self, pre: np.ndarray) -> np.ndarray:
        nets, units = self.output.shape
        hidden = np.maximum(pre + self.hidden_bias, 0.0).reshape(len(pre), nets, units)
        z = (hidden * self.output).sum(axis=2) + self.output_bias
        return np.asarray(_sigmoid(z).mean(axis=1))


@dataclass(frozen=True, eq=False)
class Model:
    """The word model, the sentence model's logistic weights over ``sentence_vector`` (intercept
    last) and the two decision thresholds (``loaded_model.json`` and ``loaded_model.npz``)."""

    words: WordModel
    sentence_weights: np.ndarray
    sentence: float  # a sentence is loaded when the sentence model reaches this
    word: float  # then every word reaching this is flagged (at least the likeliest)


@lru_cache(maxsize=1)
def model() -> Model:
    """The shipped weights (written by ``benchmarks/loaded_train.py``)."""
    here = resources.files("newsprism.annotate")
    data = json.loads(here.joinpath("loaded_model.json").read_text("utf-8"))
    if tuple(data["lexicon_features"]) != FEATURES or data["embedding"] != EMBEDDING:
        raise ValueError("loaded_model.json was trained on other features; rerun benchmarks/loaded_train.py")
    with here.joinpath("loaded_model.npz").open("rb") as handle, np.load(handle) as nets:
        hidden, hidden_bias, output, output_bias = (
            np.asarray(nets[k], dtype=np.float32) for k in WORD_ARRAYS
        )
    words = WordModel(hidden, hidden_bias, output, output_bias)
    return Model(
        words,
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


@lru_cache(maxsize=65536)
def _token_ids(word: str) -> tuple[int, ...]:
    """A case-folded word's Llama-2 tokens (cached: the tokenizer costs ~20 µs a call)."""
    return tuple(vectors().tokenizer.encode(word, add_special_tokens=False).ids) or (0,)


@lru_cache(maxsize=WORD_CACHE)
def _word_part(word: str) -> np.ndarray:
    """What a word is, out of context (cached per word type): the open lexicons' features,
    its embedding (mean of its tokens) and those of its first and last token (stem and
    ending of a rare word: "bomb|astic"), and how rare it is (tokens it takes, and their
    ranks: Llama's BPE gives frequent strings low ids)."""
    ids = _token_ids(word.casefold())
    rows = vectors().matrix[list(ids)]
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


@lru_cache(maxsize=WORD_CACHE)
def _token_sum(word: str) -> tuple[np.ndarray, int]:
    """A case-folded word's token embeddings summed, and how many tokens it takes."""
    ids = _token_ids(word)
    return np.asarray(vectors().matrix[list(ids)].sum(axis=0)), len(ids)


def sentence_embedding(words: list[str]) -> np.ndarray:
    """The sentence's WordLlama embedding (mean of its words' tokens), unit length: what it is
    about and its register, the context each word is rated in. Built from the words' cached
    tokens rather than by tokenizing the sentence, which cost more than the rest of the model."""
    sums = [_token_sum(w.casefold()) for w in words]
    return _unit(np.sum([v for v, _ in sums], axis=0) / max(sum(n for _, n in sums), 1))


def placement(text: str, words: list[re.Match[str]]) -> np.ndarray:
    """Where each candidate word stands (``_WHERE`` columns): inside a quotation, its position
    among the candidates, capitalised."""
    last = max(len(words) - 1, 1)
    marks = [i for i, c in enumerate(text) if c in _QUOTES] if any(q in text for q in _QUOTES) else []
    where = [
        (
            bisect.bisect_left(marks, word.start()) % 2 if marks else 0,
            j / last,
            float(word.group()[:1].isupper()),
        )
        for j, word in enumerate(words)
    ]
    return np.array(where, dtype=np.float32).reshape(len(words), _WHERE)


def sentence_vector(context: np.ndarray, lexical: np.ndarray, ratings: np.ndarray) -> np.ndarray:
    """The sentence model's input: the sentence embedding, its likeliest word and the mean of
    its three likeliest, what the lexicons say of its most marked word, and its length."""
    top = np.sort(ratings)[::-1] if len(ratings) else np.zeros(1, dtype=np.float32)
    most = lexical.max(axis=0) if len(lexical) else np.zeros(len(FEATURES), dtype=np.float32)
    return np.concatenate(
        [context, np.array((top[0], top[:3].mean()), dtype=np.float32), most, [math.log1p(len(ratings)) / 4]]
    ).astype(np.float32)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))))


def logistic(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Probabilities of a logistic regression whose intercept is the last weight."""
    return _sigmoid(x @ weights[:-1] + weights[-1])


@dataclass(frozen=True)
class Evidence:
    """What the decision reads of one sentence: its curated phrases, its candidate words with
    what each is (``_word_part``, cached per word type) and where it stands, and the sentence's
    embedding. ``rows`` joins them into the models' input rows (the training script reads
    them); at run time the word model reads the parts, so no row matrix is built."""

    curated: list[LoadedTerm]
    words: list[re.Match[str]]
    parts: list[np.ndarray]
    where: np.ndarray
    context: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        """One row per candidate word: what it is, the sentence it is in, where it stands."""
        if not self.words:
            return np.zeros((0, 0), dtype=np.float32)
        context = np.broadcast_to(self.context, (len(self.words), len(self.context)))
        return np.hstack([np.array(self.parts), context, self.where]).astype(np.float32)

    @property
    def lexical(self) -> np.ndarray:
        """The open lexicons' features of each candidate word (``FEATURES``)."""
        return np.array([p[: len(FEATURES)] for p in self.parts], dtype=np.float32).reshape(-1, len(FEATURES))


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
    context = sentence_embedding([w.group() for w in words]) if candidates else np.zeros(0, dtype=np.float32)
    parts = [_word_part(w.group()) for w in candidates]
    return Evidence(found, candidates, parts, placement(text, candidates), context)


def find_loaded(text: str, rules: Model | None = None) -> list[LoadedTerm]:
    """Loaded words and phrases of one sentence, in reading order, none overlapping: every
    curated phrase, and the words the model rates loaded when the sentence as a whole is."""
    return find_loaded_all([text], rules)[0]


def find_loaded_all(texts: list[str], rules: Model | None = None) -> list[list[LoadedTerm]]:
    """``find_loaded`` of each sentence, the models run once for them all (an article's
    sentences: numpy's cost per call, not per number, dominated sentence by sentence)."""
    rules = rules or model()
    seen = [evidence(text) for text in texts]
    rated = [s for s in seen if s.words]
    out = [s.curated for s in seen]
    if not rated:
        return out
    ratings = rules.words.rate_sentences(rated)
    sentences = np.array(
        [sentence_vector(s.context, s.lexical, r) for s, r in zip(rated, ratings, strict=True)]
    )
    verdicts = iter(zip(ratings, logistic(sentences, rules.sentence_weights), strict=True))
    for i, s in enumerate(seen):
        if s.words:
            words, loaded = next(verdicts)
            found = s.curated + decide(s.words, words, float(loaded), (rules.sentence, rules.word))
            out[i] = sorted(found, key=lambda t: t.start)
    return out


def candidate(word: re.Match[str]) -> bool:
    """Words the model rates: three letters or more. Capitalised words too: "Orwellian",
    "Marxists", "Islamist" and headline-cased words are loaded as often as any, and the model
    reads a capital mid-sentence (``placement``), so names ("Trump" has a VADER valence) are
    weighed rather than excluded."""
    return len(word.group()) >= 3


def words_of(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def decide(
    words: list[re.Match[str]], ratings: np.ndarray, loaded: float, thresholds: tuple[float, float]
) -> list[LoadedTerm]:
    """The sentence-level decision first (precision: a neutral sentence flags nothing), then
    the words of a loaded sentence: those rated over the word threshold, at least the likeliest."""
    sentence, word = thresholds
    if not words or loaded < sentence:
        return []
    chosen = [j for j, p in enumerate(ratings) if p >= word] or [int(np.argmax(ratings))]
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
