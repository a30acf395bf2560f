"""The quantity test set: pairs of real quantity mentions, and the score of ``compatible`` on them.

``--sample`` draws the pairs (fixed seed) from the public evaluation data: mentions of numbers
in sentences of one event (an AllSides roundup with its articles, an ECB+ event), paired when
they are the kind of pair a comparison meets — approximate vs exact, different units, different
things counted, a range against a number — 30 per kind. The sampler finds mentions with its own
plain pattern (not the annotator's parser, which is what is being tested). The pairs were then
labelled by hand, reading both sentences: ``agree`` = both can be true statements of the same
quantity of the same thing; ``disagree`` = they cannot, or they do not measure the same thing.
The labelled file is test data (``tests/annotate/data/quantity_pairs.jsonl``).

Without ``--sample`` it scores ``annotate.quantities.compatible`` against the labels, per kind.

Run: ``.venv/bin/python benchmarks/quantity_pairs.py [--sample OUT]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
LABELS = REPO / "tests" / "annotate" / "data" / "quantity_pairs.jsonl"
SEED = 14
PER_KIND = 30

_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|dozen|dozens|hundreds|thousands|millions"  # noqa: E501
_QUAL = r"about|around|nearly|almost|roughly|approximately|some|more than|over|at least|fewer than|less than|up to|an estimated|as many as|a"  # noqa: E501
_NUM = (
    rf"(?:(?<![\w,.$])\$?\d+(?:,\d{{3}})*(?:\.\d+)?%?"
    rf"|(?i:{_WORDS})(?:[- ](?:dozen|hundred|thousand|million|billion))?)"
)
MENTION = re.compile(
    rf"(?:(?P<qual>(?i:{_QUAL}))\s+)?(?P<num>{_NUM})(?:\s+(?P<scale>million|billion|thousand|percent))?"
    rf"(?:(?:\s*-\s*|\s+to\s+|\s+and\s+)(?P<num2>{_NUM})(?:\s+(?:million|billion|thousand|percent))?)?"
    r"(?:\s+(?P<noun>[a-z][a-z-]+))?"
)
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
APPROX = re.compile(
    r"(?i)\b(?:about|around|nearly|almost|roughly|approximately|some|estimated"
    r"|dozens|hundreds|thousands|millions)\b|\bdozen\b"
)


def _flat(body: str | list[str]) -> str:
    return body if isinstance(body, str) else " ".join(body)


def groups() -> Iterator[tuple[str, list[str]]]:
    """Texts of one event each: AllSides roundups with their articles, ECB+ events."""
    with (EVAL / "allsides" / "roundups-2021.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts = list(record["roundup"]) + [_flat(a["newBody"]) for a in record["news"].values() if a]
            yield f"allsides:{record['id']}", texts
    events: dict[str, list[str]] = defaultdict(list)
    with (EVAL / "ecbplus" / "ecbplus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            events[record["event"]].append(record["text"])
    yield from ((f"ecbplus:{k}", v) for k, v in sorted(events.items()))


_NOT_NOUN = frozenset(
    [
        "of",
        "and",
        "to",
        "with",
        "on",
        "for",
        "in",
        "at",
        "is",
        "was",
        "were",
        "has",
        "have",
        "had",
        "but",
        "could",
        "would",
        "will",
        "or",
        "as",
        "a",
        "the",
        "that",
        "who",
        "which",
        "from",
        "by",
        "than",
        "more",
        "less",
        "per",
        "each",
        "other",
        "others",
    ]
)


def mentions(texts: list[str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for text in texts:
        for sentence in _SENT.split(" ".join(text.split())):
            for match in MENTION.finditer(sentence):
                num = match.group("num")
                if (
                    re.match(r"[,.]\s?\d", sentence[match.end("num") :])
                    or re.search(r"[\d$][ ,.]{0,2}$", sentence[: match.start()])
                    or re.fullmatch(r"(19|20)\d\d|\d", num)
                    or (num.casefold() == "one" and not match.group("noun"))
                ):
                    continue
                unit = (
                    "percent"
                    if "%" in match.group() or "percent" in match.group()
                    else ("usd" if "$" in match.group() else "count")
                )
                noun = match.group("noun") or ""
                if noun in _NOT_NOUN:
                    noun = ""
                if unit == "count" and not noun:
                    continue
                if match.group("qual") == "a" and not re.match(r"(?i)dozen|hundred|thousand|million", num):
                    continue
                found.append(
                    {
                        "sentence": sentence,
                        "mention": match.group().strip()
                        if noun or not match.group("noun")
                        else match.group()[: match.start("noun") - match.start()].strip(),
                        "noun": noun,
                        "range": "y" if match.group("num2") else "",
                        "approx": "y" if APPROX.search(match.group()) else "",
                        "unit": unit,
                    }
                )
    return found


def _stem(noun: str) -> str:
    return noun.casefold().rstrip("s")[:6]


def kind_of(a: dict[str, str], b: dict[str, str]) -> str | None:
    if a["sentence"] == b["sentence"] or a["mention"] == b["mention"]:
        return None
    same_noun = bool(a["noun"]) and _stem(a["noun"]) == _stem(b["noun"])
    if a["range"] or b["range"]:
        return "range" if same_noun or a["unit"] == b["unit"] != "count" else None
    if a["unit"] != b["unit"]:
        return "units"
    if same_noun and a["approx"] != b["approx"]:
        return "approximate"
    if a["unit"] == b["unit"] == "count" and a["noun"] and b["noun"] and not same_noun:
        return "things"
    return None


def sample(out: Path) -> None:
    rng = random.Random(SEED)
    pools: dict[str, list[tuple[str, dict[str, str], dict[str, str]]]] = defaultdict(list)
    for name, texts in groups():
        found = mentions(texts)
        for i, a in enumerate(found):
            for b in found[i + 1 :]:
                kind = kind_of(a, b)
                if kind:
                    pools[kind].append((name, a, b))
    rows = []
    for kind in sorted(pools):
        pool = pools[kind]
        rng.shuffle(pool)
        seen: set[frozenset[str]] = set()
        chosen = []
        for name, a, b in pool:
            key = frozenset((a["mention"].casefold(), b["mention"].casefold()))
            if key not in seen and len(chosen) < PER_KIND:
                seen.add(key)
                chosen.append((name, a, b))
        for name, a, b in chosen:
            rows.append(
                {
                    "kind": kind,
                    "group": name,
                    "a": a["mention"],
                    "a_sentence": a["sentence"],
                    "b": b["mention"],
                    "b_sentence": b["sentence"],
                    "label": "",
                }
            )
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(
        f"wrote {len(rows)} pairs to {out}: "
        + ", ".join(f"{k} {min(len(v), PER_KIND)}" for k, v in pools.items())
    )


def score() -> None:
    from newsprism.annotate.quantities import compatible, parse_quantity

    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    for row in rows:
        a = parse_quantity(row["a"], row["a_sentence"])
        b = parse_quantity(row["b"], row["b_sentence"])
        predicted = "agree" if a is not None and b is not None and compatible(a, b) else "disagree"
        total[row["kind"]] += 1
        if predicted == row["label"]:
            right[row["kind"]] += 1
        else:
            wrong.append(
                f"  {row['kind']}: {row['a']!r} vs {row['b']!r} -> {predicted} (label {row['label']})"
            )
    for kind in sorted(total):
        print(f"{kind:12s} {right[kind]}/{total[kind]} = {right[kind] / total[kind]:.3f}")
    print(
        f"quantity pairs: {sum(right.values())}/{sum(total.values())} correct = "
        f"{sum(right.values()) / max(sum(total.values()), 1):.3f}"
    )
    print("\n".join(wrong))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=Path, default=None, help="draw the unlabelled pairs into this file")
    args = parser.parse_args()
    if not EVAL.exists():
        sys.exit(f"error: {EVAL} not found")
    if args.sample:
        sample(args.sample)
    else:
        score()


if __name__ == "__main__":
    main()
