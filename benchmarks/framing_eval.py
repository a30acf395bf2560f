"""Loaded words per sentence on BABE (../shared/eval/framing), scored as its README says.

Each sentence is run through ``annotate.loaded.find_loaded`` on its own. Words are case-folded
``\\w+`` tokens; a flag matches a gold biased word when a token is equal (a multi-word flag
matches when any of its tokens does).

- word precision = flagged words that are among their sentence's gold biased words / flagged;
- word recall = gold biased words (biased sentences) flagged / all gold biased words;
- sentence F1 of the label ``biased`` (predicted biased = at least one flag).

The CPU time per sentence excludes loading the lexicons and models (once per process) and
includes filling the per-word caches, as a first story does.

Thresholds are tuned on the even ids and reported on the odd ids (``--half``). Nothing derived
from BABE (AGPL-3.0) ships in the package: this script only reads it.

Run: ``.venv/bin/python benchmarks/framing_eval.py [--half even|odd|all] [--errors N]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsprism.annotate.loaded import find_loaded

BABE = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "framing" / "babe-dev.jsonl"
_TOKEN = re.compile(r"\w+")


def toks(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def sentences(half: str) -> Iterator[dict[str, Any]]:
    with BABE.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            number = int(record["id"].rsplit("-", 1)[1])
            if half == "all" or (half == "even") == (number % 2 == 0):
                yield record


@dataclass
class WordScore:
    flagged: int = 0
    flagged_right: int = 0
    gold: int = 0
    gold_found: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def figures(self) -> dict[str, float]:
        def ratio(a: float, b: float) -> float:
            return a / b if b else 0.0

        precision, recall = ratio(self.tp, self.tp + self.fp), ratio(self.tp, self.tp + self.fn)
        return {
            "word_precision": ratio(self.flagged_right, self.flagged),
            "word_recall": ratio(self.gold_found, self.gold),
            "sentence_precision": precision,
            "sentence_recall": recall,
            "sentence_f1": ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0,
        }


def score(records: list[dict[str, Any]], detect: Callable[[str], list[str]], errors: int = 0) -> WordScore:
    total = WordScore()
    shown = 0
    for record in records:
        gold = {t for w in record["biased_words"] for t in toks(w)}
        flags = detect(record["text"])
        biased = record["label"] == "biased"
        hit: set[str] = set()
        for flag in flags:
            total.flagged += 1
            matched = set(toks(flag)) & gold
            total.flagged_right += bool(matched)
            hit |= matched
        if biased:
            flagged_tokens = {t for f in flags for t in toks(f)}
            total.gold += len(record["biased_words"])
            total.gold_found += sum(bool(set(toks(w)) & flagged_tokens) for w in record["biased_words"])
        predicted = bool(flags)
        total.tp += predicted and biased
        total.fp += predicted and not biased
        total.fn += biased and not predicted
        if shown < errors and (set(toks(" ".join(flags))) ^ gold):
            shown += 1
            print(f"  {record['id']} gold={sorted(gold)} flags={flags}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("even", "odd", "all"), default="odd")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    args = parser.parse_args()
    if not BABE.exists():
        sys.exit(f"error: {BABE} not found")
    records = list(sentences(args.half))[: args.limit]
    find_loaded("Critics slammed the bizarre demands.")  # lexicons and models load once, untimed
    started = time.process_time()
    total = score(records, lambda text: [t.text for t in find_loaded(text)], args.errors)
    cpu = time.process_time() - started
    figures = total.figures()
    print(
        f"BABE {args.half}: {len(records)} sentences, {cpu / max(len(records), 1) * 1e6:.0f} µs CPU/sentence"
    )
    print("  ".join(f"{k.replace('_', ' ')} {v:.3f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
