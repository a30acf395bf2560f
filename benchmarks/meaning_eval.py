"""Labelled compressions and edits of real sentences, and how the meaning checker scores on them.

The set is built here, by a fixed seed, from sentences of the public evaluation data (AllSides
article bodies and ECB+ documents, ``../shared/eval``); nothing of it is stored in the repository.
Sentences of even-numbered events/documents make the *tune* half, odd ones the *report* half.

Meaning-changing items, one generator per category, each with several real wordings of the edit:
- number: another value (+/- a few, x10, a digit dropped), another count word, a qualifier
  changed or dropped ("at least 21" -> "21" / "about 21"), million <-> billion;
- negation: "not"/"n't" inserted after an auxiliary, or removed; "never" dropped;
- hedge: a hedge dropped ("reportedly", "allegedly", "likely") or a modal removed or hardened
  ("may" -> "will", "could face" -> "face", "is expected to" -> "will");
- attribution: the reporting frame dropped ("X said that", ", X said", ", according to X") or
  its verb replaced ("said" -> "admitted", "claimed", "denied", "confirmed");
- speaker: the name beside a reporting verb replaced by another name of the corpus, or he/she;
- connective: "after" <-> "before", "because" -> "although", "since" -> "until", "when" ->
  "before", "following" -> "ahead of", "if" -> "unless";
- concessive: a clause led by "though", "although", "but", "while", "even as", "despite" or
  "yet" deleted.
Meaning-keeping items: a parenthesis dropped, a non-restrictive relative clause or appositive
dropped, a trailing participial phrase dropped, a leading discourse adverb dropped, a date
phrase dropped, figures or contractions rewritten in an equivalent form ("1,200" -> "1200",
"3" <-> "three", "did not" <-> "didn't", "percent" -> "%", "said" -> "says"), and the system's
own compressions (``compress.compress`` at a 20- or 15-word budget).

The generators work on the sentences' grammar with their own patterns; the checker (``analysis.
meaning``) compares word classes. They share what the issue defines (the categories), not code.

Run: ``.venv/bin/python benchmarks/meaning_eval.py [--per-category 32] [--half tune|report|all]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsprism.analysis.compress import compress
from newsprism.analysis.meaning import meaning_changes
from newsprism.annotate.sentences import split_spans

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
ALLSIDES = SHARED / "allsides" / "roundups-2021.jsonl"
ECBPLUS = SHARED / "ecbplus" / "ecbplus.jsonl"
SEED = 13
CHANGES = ("number", "negation", "hedge", "attribution", "speaker", "connective", "concessive")
KEEPS = ("parenthesis", "relative", "participle", "adverb", "date", "rewrite", "system")


@dataclass(frozen=True)
class Item:
    original: str
    edited: str
    changes_meaning: bool
    category: str


def sentences(half: str = "all") -> list[str]:
    """Real sentences of 8-45 words, in file order, from the chosen half of the events."""
    out: list[str] = []
    for n, paragraphs in enumerate(_documents()):
        if (half == "tune" and n % 2) or (half == "report" and not n % 2):
            continue
        for paragraph in paragraphs:
            for s, e in split_spans(paragraph):
                text = paragraph[s:e].strip()
                if 8 <= len(text.split()) <= 45 and text[-1:] in '.!?"”' and "\n" not in text:
                    out.append(text)
    return out


def _documents() -> Iterator[list[str]]:
    with ALLSIDES.open(encoding="utf-8") as handle:
        for line in handle:
            for _, item in sorted(json.loads(line)["news"].items()):
                yield [p for p in item.get("newBody") or [] if p.strip()]
    with ECBPLUS.open(encoding="utf-8") as handle:
        for line in handle:
            yield [x for x in json.loads(line)["text"].splitlines() if x.strip()]


Edit = Callable[[str, random.Random], str | None]


def _sub_once(
    pattern: str, repl: str | Callable[[re.Match[str]], str], text: str, flags: int = 0
) -> str | None:
    out = re.sub(pattern, repl, text, count=1, flags=flags)
    return out if out != text else None


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return text[0].upper() + text[1:] if text else text


# ---- meaning-changing edits --------------------------------------------------------------

WORD_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"]


def _new_value(match: re.Match[str], rnd: random.Random) -> str:
    raw = match.group()
    digits = raw.replace(",", "")
    if "." in digits:
        whole, frac = digits.split(".", 1)
        return f"{int(whole) + rnd.randint(1, 3)}.{frac}"
    value = int(digits)
    kind = rnd.randrange(4)
    if kind == 0 or value < 10:
        new = value + rnd.choice([1, 2, 3, 5, 9]) * rnd.choice([1, -1] if value > 10 else [1])
    elif kind == 1:
        new = value * 10
    elif kind == 2 and len(digits) > 1:
        new = int(digits[:-1]) or value + 1
    else:
        new = value + 10 ** (len(digits) - 1)
    return f"{new:,}" if "," in raw else str(new)


def number_edit(text: str, rnd: random.Random) -> str | None:
    options: list[Callable[[], str | None]] = [
        lambda: _sub_once(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?![\w,]*\d)", lambda m: _new_value(m, rnd), text),
        lambda: _sub_once(
            r"\b(" + "|".join(WORD_NUMBERS) + r")\b",
            lambda m: rnd.choice([w for w in WORD_NUMBERS if w != m.group(1).lower()]),
            text,
            re.IGNORECASE,
        ),
        lambda: _sub_once(
            r"\b(?:at least|more than|nearly|about|almost|around|over)\s+(?=\d)", "", text, re.I
        ),
        lambda: _sub_once(r"\b(?:about|around|nearly|roughly)\s+(?=\d)", "more than ", text, re.I),
        lambda: _sub_once(r"\bmillion\b", "billion", text) or _sub_once(r"\bbillion\b", "million", text),
    ]
    rnd.shuffle(options)
    return next((out for f in options if (out := f())), None)


_AUX = r"\b(is|was|are|were|has|have|had|will|would|could|can|should|did|does|do)\b(?!\s+(?:not|n't|never)\b)"


def negation_edit(text: str, rnd: random.Random) -> str | None:
    insert = rnd.choice(["not", "n't", "never"])

    def add(match: re.Match[str]) -> str:
        word = match.group(1)
        if insert == "n't" and word not in {"can", "will"}:
            return word + "n't"
        return f"{word} {insert}" if word != "can" else "cannot"

    options: list[Callable[[], str | None]] = [
        lambda: _sub_once(r"\b(?:not|never)\s+", "", text),
        lambda: _sub_once(r"n['’]t\b", "", text.replace("won't", "will not").replace("can't", "can not")),
        lambda: _sub_once(r"\bwithout\b", "with", text),
        lambda: _sub_once(r"\bno longer\b", "still", text),
        lambda: _sub_once(_AUX, add, text),
    ]
    # removing an existing negation is the likelier real edit; inserting one is the fallback
    rnd.shuffle(options[:4])
    return next((out for f in options if (out := f())), None)


def hedge_edit(text: str, rnd: random.Random) -> str | None:
    options: list[Callable[[], str | None]] = [
        lambda: _sub_once(r"\b(?:reportedly|allegedly|apparently|possibly|probably|likely)\s+", "", text),
        lambda: _sub_once(r"\b(?:may|might|could)\b", rnd.choice(["will", "would", "did"]), text),
        lambda: _sub_once(r"\b(?:may|might|could)\s+(?:be\s+)?", "", text),
        lambda: _sub_once(r"\b(?:is|are) expected to\b", "will", text),
        lambda: _sub_once(r"\bwould\b", "will", text),
        lambda: _sub_once(r"\b(?:suspected|alleged)\s+", "", text),
        lambda: _sub_once(r"\b(?:appears|seems) to\s+", "", text),
    ]
    rnd.shuffle(options)
    return next((out for f in options if (out := f())), None)


OTHER_VERBS = ["admitted", "claimed", "denied", "confirmed", "alleged"]
_VERB = r"(?:said|says|told|claimed|announced|stated|added|explained|noted|insisted|warned|reported)"


def attribution_edit(text: str, rnd: random.Random) -> str | None:
    options: list[Callable[[], str | None]] = [
        lambda: _sub_once(rf"^[A-Z][^,\"“”]{{2,60}}?\b{_VERB}(?:\s+\w+day)?\s+(?:that\s+)?", "", text),
        lambda: _sub_once(rf",\s+[^,\"“”]{{2,60}}?\b{_VERB}\b[^,\"“”]*\.$", ".", text),
        lambda: _sub_once(r",?\s+according to [^,.]+", "", text),
        lambda: _sub_once(
            rf"\b{_VERB}\b",
            lambda m: rnd.choice(["admitted", "claimed", "denied", "confirmed", "alleged"]),
            text,
        ),
    ]
    rnd.shuffle(options)
    out = next((o for f in options if (o := f())), None)
    return _tidy(out) if out else None


def speaker_edit(text: str, rnd: random.Random, names: list[str]) -> str | None:
    match = re.search(rf"\b([A-Z][a-z]+)\s+(?:{_VERB})\b|\b{_VERB}\s+(?:\w+\s+)?([A-Z][a-z]+)\b", text)
    if match is None:
        pronoun = re.search(rf"\b(he|she)\s+{_VERB}\b", text)
        if pronoun is None:
            return None
        swap = "she" if pronoun.group(1) == "he" else "he"
        return text[: pronoun.start(1)] + swap + text[pronoun.end(1) :]
    group = 1 if match.group(1) else 2
    old = match.group(group)
    if old in {"The", "A", "An", "In", "On", "It", "This", "That", "He", "She", "They", "We"}:
        return None
    new = rnd.choice([n for n in names if n != old])
    return text[: match.start(group)] + new + text[match.end(group) :]


_SWAPS = [
    (r"\bafter\b", "before"),
    (r"\bbefore\b", "after"),
    (r"\bbecause\b", "although"),
    (r"\bsince\b", "until"),
    (r"\buntil\b", "since"),
    (r"\bwhen\b", "before"),
    (r"\bfollowing\b", "ahead of"),
    (r"\bif\b", "unless"),
    (r"\bdue to\b", "despite"),
    (r"\bas a result of\b", "in spite of"),
]


def connective_edit(text: str, rnd: random.Random) -> str | None:
    swaps = list(_SWAPS)
    rnd.shuffle(swaps)
    return next((out for p, r in swaps if (out := _sub_once(p, r, text))), None)


def concessive_edit(text: str, rnd: random.Random) -> str | None:
    options: list[Callable[[], str | None]] = [
        lambda: _sub_once(r",?\s+(?:even )?though\b[^,.]*", "", text),
        lambda: _sub_once(r",\s+but\b[^.]*", "", text),
        lambda: _sub_once(r"^(?:Although|Though|While|Despite)\b[^,]+,\s+", "", text),
        lambda: _sub_once(r",\s+(?:while|whereas|even as|yet)\b[^,.]*", "", text),
        lambda: _sub_once(r",?\s+despite\b[^,.]*", "", text),
        lambda: _sub_once(r",?\s+although\b[^,.]*", "", text),
    ]
    rnd.shuffle(options)
    out = next((o for f in options if (o := f())), None)
    return _tidy(out) if out and len(out.split()) >= 5 else None


# ---- meaning-keeping edits ---------------------------------------------------------------


def parenthesis_keep(text: str, rnd: random.Random) -> str | None:
    match = re.search(r"\s*\(([^()]{3,80})\)", text)
    if match is None or re.search(rf"\b{_VERB}\b", match.group(1)):
        return None  # "(police said)" attributes the claim: not an aside
    return _tidy(text[: match.start()] + text[match.end() :])


def relative_keep(text: str, rnd: random.Random) -> str | None:
    options = [
        r",\s+(?:which|who|whose|where)\s[^,\"“”]{3,90},(?=\s[a-z])",
        r",\s+(?:a|an|the|one of)\s[^,\"“”]{3,60},(?=\s[a-z])",
        r",\s+(?:which|who)\s[^,\"“”]{3,90}(?=\.$)",
    ]
    rnd.shuffle(options)
    out = next((o for p in options if (o := _sub_once(p, "", text))), None)
    if out is None or (
        re.search(rf"\b{_VERB}\b|\bsuggests\b", text) and not re.search(rf"\b{_VERB}\b|\bsuggests\b", out)
    ):
        return None  # ", a new study suggests," attributes the claim: not an appositive
    return _tidy(out)


def participle_keep(text: str, rnd: random.Random) -> str | None:
    out = _sub_once(r",\s+(?!according|following|saying)[a-z]{3,}ing\b[^,\"“”]*(?=\.$)", "", text)
    return _tidy(out) if out else None


def adverb_keep(text: str, rnd: random.Random) -> str | None:
    out = _sub_once(
        r"^(?:Meanwhile|Separately|Also|In addition|Additionally|Elsewhere|Overall|Indeed|Now),\s+", "", text
    )
    return _tidy(out) if out else None


def date_keep(text: str, rnd: random.Random) -> str | None:
    day = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    out = _sub_once(rf"\s+on\s+{day}\b", "", text) or _sub_once(
        rf"\s+{day}(?=[,.]| night| morning)", "", text
    )
    return _tidy(out) if out else None


def rewrite_keep(text: str, rnd: random.Random) -> str | None:
    small = {"3": "three", "4": "four", "5": "five", "6": "six", "7": "seven", "8": "eight", "9": "nine"}
    options: list[Callable[[], str | None]] = [
        lambda: _sub_once(r"\b(\d{1,3}),(\d{3})\b", r"\1\2", text),
        lambda: _sub_once(
            r"(?<![.,:/])(?<!\. )\b([3-9]) (?=[a-z]{3,})", lambda m: small[m.group(1)] + " ", text
        ),
        lambda: _sub_once(r"\b(did|does|do|is|was|are|were|has|have|had) not\b", r"\1n't", text),
        lambda: _sub_once(r"\b(did|does|is|was|are|were|has|have|had)n['’]t\b", r"\1 not", text),
        lambda: _sub_once(r"(\d) percent\b", r"\1%", text),
        lambda: _sub_once(r"\bsaid\b", "says", text),
        lambda: _sub_once(r"\bwill not\b", "won't", text),
    ]
    rnd.shuffle(options)
    return next((out for f in options if (out := f())), None)


def system_keep(text: str, rnd: random.Random) -> str | None:
    budget = rnd.choice([15, 20])
    out = compress(text, budget)
    return out if out and out.rstrip(".") != text.rstrip(".") else None


def _names(pool: list[str]) -> list[str]:
    found = Counter(m.group(1) for s in pool for m in re.finditer(rf"\b([A-Z][a-z]{{3,}})\s+{_VERB}\b", s))
    return sorted(n for n, c in found.items() if c >= 2 and n not in {"The", "This", "That", "Officials"})


def build(half: str = "all", per_category: int = 32, seed: int = SEED) -> list[Item]:
    """The labelled set: ``per_category`` items of each change and keep category."""
    pool = sentences(half)
    rnd = random.Random(seed)
    rnd.shuffle(pool)
    names = _names(pool)
    makers: dict[str, tuple[bool, Edit]] = {
        "number": (True, number_edit),
        "negation": (True, negation_edit),
        "hedge": (True, hedge_edit),
        "attribution": (True, attribution_edit),
        "speaker": (True, lambda t, r: speaker_edit(t, r, names)),
        "connective": (True, connective_edit),
        "concessive": (True, concessive_edit),
        "parenthesis": (False, parenthesis_keep),
        "relative": (False, relative_keep),
        "participle": (False, participle_keep),
        "adverb": (False, adverb_keep),
        "date": (False, date_keep),
        "rewrite": (False, rewrite_keep),
        "system": (False, system_keep),
    }
    items: list[Item] = []
    for category, (changes, make) in makers.items():
        count = 0
        for sentence in pool:
            if count >= per_category:
                break
            edited = make(sentence, rnd)
            if edited and edited != sentence:
                items.append(Item(sentence, edited, changes, category))
                count += 1
    return items


def score(items: list[Item]) -> dict[str, tuple[int, int]]:
    """Category -> (flagged by the checker, items)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        flagged = bool(meaning_changes(item.original, item.edited))
        out[item.category][0] += flagged
        out[item.category][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-category", type=int, default=32)
    parser.add_argument("--half", choices=("tune", "report", "all"), default="all")
    parser.add_argument("--show", type=int, default=0, help="print N misses and false alarms")
    args = parser.parse_args()
    if not ALLSIDES.exists() or not ECBPLUS.exists():
        sys.exit("evaluation data not found")
    items = build(args.half, args.per_category)
    scores = score(items)
    changed = [c for c in CHANGES if c in scores]
    kept = [c for c in KEEPS if c in scores]
    caught = sum(scores[c][0] for c in changed)
    total_changed = sum(scores[c][1] for c in changed)
    alarms = sum(scores[c][0] for c in kept)
    total_kept = sum(scores[c][1] for c in kept)
    print(f"half {args.half}: {total_changed} meaning-changing, {total_kept} meaning-keeping items")
    for c in changed:
        print(f"  change {c:<12} detected {scores[c][0]}/{scores[c][1]} = {scores[c][0] / scores[c][1]:.3f}")
    for c in kept:
        print(
            f"  keep   {c:<12} false alarms {scores[c][0]}/{scores[c][1]} = {scores[c][0] / scores[c][1]:.3f}"
        )
    print(f"detection rate {caught / max(total_changed, 1):.4f}")
    print(f"false alarm rate {alarms / max(total_kept, 1):.4f}")
    shown = 0
    for item in items:
        if shown < args.show and bool(meaning_changes(item.original, item.edited)) != item.changes_meaning:
            print(f"[{item.category}] {item.original}\n    -> {item.edited}")
            shown += 1


if __name__ == "__main__":
    main()
