"""Fit the loaded-word models of ``annotate.loaded`` on the even ids of BABE-dev.

Two models (scikit-learn) and two thresholds:

- the *word* model, five small neural nets (one hidden layer of 64 ReLU units, seeds 0-4,
  averaged), rates each candidate word over ``loaded.Evidence.rows``: what the open lexicons
  say of it (Pattern, VADER, word class, shape), its WordLlama embedding and those of its first
  and last token, its rarity, the sentence's embedding, and where it stands;
- the *sentence* model, a logistic regression, rates the sentence over
  ``loaded.sentence_vector``: its embedding, its likeliest words' ratings, its most marked
  word's lexicon features, its length;
- a sentence is loaded when the sentence model reaches one threshold, then its words over a
  second threshold are flagged (at least the likeliest).

No threshold is chosen on ratings the models were fitted on: the even half is split into five
folds of sentences; each fold's words and sentences are rated by models fitted on the other
four, the sentence model is fitted on those out-of-fold word ratings (as it meets them at run
time), and the thresholds are chosen on the out-of-fold scores. The shipped models are then
fitted on the whole even half. The thresholds maximise the worst of word precision / 0.50, word
recall / 0.45 and sentence F1 / 0.72 (issue #14's bars), which keeps the three balanced.

Only numbers ship (``src/newsprism/annotate/loaded_model.json``: the sentence model's 290
weights and the thresholds; ``loaded_model.npz``: the word nets' ~340k weights); no word,
sentence or per-word statistic of BABE (AGPL-3.0) does: the features are open lexicons'
values and WordLlama's embedding coordinates, and the weights say how much each coordinate
counts, as the previous model's thirty weights did (a net that memorised words would show it
on the odd half, which it never sees). Report on the odd ids with
``benchmarks/framing_eval.py --half odd``.

Run: ``.venv/bin/python benchmarks/loaded_train.py [--write]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from framing_eval import BABE, score, sentences, toks
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from newsprism.annotate import loaded

OUT = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "annotate" / "loaded_model.json"
NETS_OUT = OUT.with_suffix(".npz")
FOLDS = 5
# chosen by cross-validation on the even half (the out-of-fold worst ratio to the bars: 32 units
# 0.955, 64 units 0.965; 3 nets 0.933, 5 nets 0.943): the word nets' size and L2 penalty, how
# many vote, the sentence regression's inverse L2 strength
HIDDEN, WORD_ALPHA, NETS, SENTENCE_C = 64, 0.1, 5, 0.3
SENTENCE_GRID = np.arange(0.30, 0.60, 0.025)
WORD_GRID = np.arange(0.15, 0.50, 0.025)
BARS = (0.50, 0.45, 0.72)  # issue #14: word precision, word recall, sentence F1


@dataclass
class Seen:
    """One sentence as the module reads it, and its gold labels."""

    record: dict[str, Any]
    evidence: loaded.Evidence
    labels: np.ndarray  # per candidate word: marked biased by the annotators


def read(records: list[dict[str, Any]]) -> list[Seen]:
    out = []
    for record in records:
        gold = {t for w in record["biased_words"] for t in toks(w)}
        seen = loaded.evidence(record["text"])
        labels = np.array([bool(set(toks(m.group())) & gold) for m in seen.words], dtype=bool)
        out.append(Seen(record, seen, labels))
    return out


def fit(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """Logistic weights with the intercept last (``loaded.logistic``'s layout)."""
    fitted = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    return np.append(fitted.coef_[0], fitted.intercept_[0]).astype(np.float32)


def sentence_rows(
    data: list[Seen], word_models: list[loaded.WordModel]
) -> tuple[list[np.ndarray], np.ndarray]:
    """Word ratings and sentence vectors, each sentence rated by its own word model."""
    ratings, vectors = [], []
    for seen, words in zip(data, word_models, strict=True):
        rows = seen.evidence.rows
        rated = words.rate(rows) if len(rows) else np.zeros(0, dtype=np.float32)
        ratings.append(rated)
        if len(rows):
            vectors.append(
                loaded.sentence_vector(seen.evidence.context, seen.evidence.lexical, rated)
            )
    return ratings, np.array(vectors)


def word_model(data: list[Seen]) -> loaded.WordModel:
    """``NETS`` one-hidden-layer nets (seeds 0, 1, ...) on every candidate word of ``data``."""
    x = np.vstack([s.evidence.rows for s in data if len(s.labels)])
    y = np.concatenate([s.labels for s in data])
    nets = [
        MLPClassifier((HIDDEN,), alpha=WORD_ALPHA, max_iter=300, early_stopping=True, random_state=seed).fit(
            x, y
        )
        for seed in range(NETS)
    ]
    return loaded.WordModel(
        np.hstack([n.coefs_[0] for n in nets]).astype(np.float32),
        np.concatenate([n.intercepts_[0] for n in nets]).astype(np.float32),
        np.stack([n.coefs_[1][:, 0] for n in nets]).astype(np.float32),
        np.array([n.intercepts_[1][0] for n in nets], dtype=np.float32),
    )


def out_of_fold(data: list[Seen]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Every sentence's word ratings and sentence rating from models that never saw it, and
    the sentence model's weights fitted on all the out-of-fold sentence vectors."""
    fold = [i % FOLDS for i in range(len(data))]
    words = [word_model([s for s, f in zip(data, fold, strict=True) if f != k]) for k in range(FOLDS)]
    ratings, vectors = sentence_rows(data, [words[f] for f in fold])
    rated = [i for i, s in enumerate(data) if len(s.labels)]
    biased = np.array([data[i].record["label"] == "biased" for i in rated])
    folds = np.array([fold[i] for i in rated])
    sentence = np.zeros(len(data), dtype=np.float32)
    for k in range(FOLDS):
        weights = fit(vectors[folds != k], biased[folds != k], SENTENCE_C)
        for i, p in zip(
            np.array(rated)[folds == k], loaded.logistic(vectors[folds == k], weights), strict=True
        ):
            sentence[i] = p
    return ratings, sentence, fit(vectors, biased, SENTENCE_C)


def thresholds(data: list[Seen], ratings: list[np.ndarray], sentence: np.ndarray) -> tuple[float, float]:
    """The (sentence, word) thresholds with the best worst ratio to the bars, out of fold,
    averaged with the grid's neighbouring cells: the surface is flat and noisy near its top
    (a cell's figures move by a few hundredths with the folds), so a point inside a good
    region carries over to new sentences better than the single best cell."""
    records = [s.record for s in data]
    worst = np.zeros((len(SENTENCE_GRID), len(WORD_GRID)))
    figures: dict[tuple[int, int], tuple[float, float, float]] = {}
    for i, s_threshold in enumerate(SENTENCE_GRID):
        for j, w_threshold in enumerate(WORD_GRID):
            rules = (float(s_threshold), float(w_threshold))
            flags = iter(
                [
                    t.text
                    for t in seen.evidence.curated + loaded.decide(seen.evidence.words, r, float(q), rules)
                ]
                for seen, r, q in zip(data, ratings, sentence, strict=True)
            )
            got = score(records, lambda _text, f=flags: next(f)).figures()  # type: ignore[misc]
            figures[i, j] = (got["word_precision"], got["word_recall"], got["sentence_f1"])
            worst[i, j] = min(g / bar for g, bar in zip(figures[i, j], BARS, strict=True))
    padded = np.pad(worst, 1, mode="edge")
    smooth = (
        sum(
            padded[1 + di : 1 + di + len(SENTENCE_GRID), 1 + dj : 1 + dj + len(WORD_GRID)]
            for di in (-1, 0, 1)
            for dj in (-1, 0, 1)
        )
        / 9
    )
    i, j = np.unravel_index(int(np.argmax(smooth)), smooth.shape)
    print(
        f"out of fold at sentence {SENTENCE_GRID[i]:.3f} word {WORD_GRID[j]:.3f}: word precision, recall, "
        f"sentence F1 "
        + " ".join(f"{g:.3f}" for g in figures[int(i), int(j)])
        + f"; worst ratio to the bars {worst[i, j]:.3f} (best cell {worst.max():.3f})"
    )
    return float(SENTENCE_GRID[i]), float(WORD_GRID[j])


def main() -> None:
    global HIDDEN, WORD_ALPHA, NETS  # the command line overrides the chosen defaults
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name} and {NETS_OUT.name}")
    parser.add_argument("--nets", type=int, default=NETS, help="word nets that vote (seeds 0..N-1)")
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="ReLU units per net")
    parser.add_argument("--alpha", type=float, default=WORD_ALPHA, help="the nets' L2 penalty")
    args = parser.parse_args()
    HIDDEN, WORD_ALPHA, NETS = args.hidden, args.alpha, args.nets
    if not BABE.exists():
        sys.exit(f"error: {BABE} not found")
    data = read(list(sentences("even")))
    # the shipped models: sentences on out-of-fold word ratings (as met at run time), words on
    # the whole even half
    ratings, sentence, sentence_weights = out_of_fold(data)
    s_threshold, w_threshold = thresholds(data, ratings, sentence)
    words = word_model(data)
    model = {
        "about": "loaded-word models of newsprism.annotate.loaded: logistic weights (intercept last) "
        "fitted on BABE-dev even ids by benchmarks/loaded_train.py; features are open lexicons' values "
        "and WordLlama embedding coordinates, none names a corpus word",
        "embedding": loaded.EMBEDDING,
        "lexicon_features": list(loaded.FEATURES),
        "sentence_threshold": round(s_threshold, 3),
        "word_threshold": round(w_threshold, 3),
        "word_model": f"{NETS_OUT.name}: {NETS} nets of {HIDDEN} ReLU units, {list(loaded.WORD_ARRAYS)}",
        "sentence_weights": [round(float(w), 4) for w in sentence_weights],
    }
    print(
        f"thresholds: sentence {s_threshold:.3f} word {w_threshold:.3f}; "
        f"word nets {words.output.shape}, sentence weights {len(sentence_weights)}"
    )
    if args.write:
        OUT.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
        np.savez_compressed(NETS_OUT, **{k: getattr(words, k) for k in loaded.WORD_ARRAYS})


if __name__ == "__main__":
    main()
