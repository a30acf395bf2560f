"""Fit the loaded-word model of ``annotate.loaded`` on the even ids of BABE-dev.

The model is a logistic regression over ``loaded.FEATURES`` — what open lexicons (Pattern,
VADER, the curated phrases) say of a word, its word class and its shape — plus two thresholds
(sentence, word) chosen on the same even half for the README's per-sentence scores. Only the
weights and thresholds ship (``src/newsprism/annotate/loaded_model.json``, a few dozen
numbers); no word, sentence or per-word statistic of BABE (AGPL-3.0) does: the features name no
corpus word, so BABE only chooses how much each open lexicon counts, as it chose thresholds
before. Report on the odd ids with ``benchmarks/framing_eval.py --half odd``.

Run: ``.venv/bin/python benchmarks/loaded_train.py [--write]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from framing_eval import BABE, score, sentences, toks
from sklearn.linear_model import LogisticRegression

from newsprism.annotate import loaded

OUT = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "annotate" / "loaded_model.json"
GRID = np.arange(0.05, 0.70, 0.025)


def rows(records: list[dict[str, object]]) -> tuple[np.ndarray, np.ndarray]:
    """One row per candidate word: its features and whether annotators marked it biased."""
    x: list[tuple[float, ...]] = []
    y: list[int] = []
    for record in records:
        gold = {t for w in record["biased_words"] for t in toks(str(w))}  # type: ignore[attr-defined]
        for word in loaded.words_of(str(record["text"])):
            if loaded.candidate(word):
                x.append(loaded.features(word.group()))
                y.append(int(bool(set(toks(word.group())) & gold)))
    return np.array(x), np.array(y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    args = parser.parse_args()
    if not BABE.exists():
        sys.exit(f"error: {BABE} not found")
    train = list(sentences("even"))
    x, y = rows(train)
    fitted = LogisticRegression(C=1.0, max_iter=5000, fit_intercept=False).fit(x, y)
    weights = tuple(round(float(w), 5) for w in fitted.coef_[0])
    best: tuple[float, float, float] | None = None
    for s in GRID:
        for w in GRID[s >= GRID]:
            rules = loaded.Model(weights, float(s), float(w))
            detect = lambda text, r=rules: [t.text for t in loaded.find_loaded(text, r)]  # noqa: E731
            figures = score(train, detect).figures()
            got = (figures["word_precision"], figures["word_recall"], figures["sentence_f1"])
            # word F1: below ~0.1 every sentence looks loaded (sentence F1 then equals calling
            # every sentence biased, 0.65), so the sentence score cannot choose the point
            balance = 2 * got[0] * got[1] / (got[0] + got[1]) if got[0] + got[1] else 0.0
            if best is None or balance > best[0]:
                best = (balance, float(s), float(w))
                print(f"sentence {s:.3f} word {w:.3f}: " + " ".join(f"{g:.3f}" for g in got))
    assert best is not None
    model = {
        "about": "loaded-word model of newsprism.annotate.loaded; weights fitted on BABE-dev even ids "
        "by benchmarks/loaded_train.py (features name no corpus word)",
        "features": list(loaded.FEATURES),
        "weights": list(weights),
        "sentence_threshold": round(best[1], 3),
        "word_threshold": round(best[2], 3),
    }
    print(json.dumps(model, indent=1))
    if args.write:
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
