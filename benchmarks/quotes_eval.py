"""Direct quotes and their speakers on PolNeAR (../shared/eval/quotes), scored as its README says.

Every article is annotated on its own (title = first line, body = the other paragraphs). Tokens
are lower-cased ``\\w+`` tokens compared as multisets.

- recall: a gold direct content is found when one found quote covers >= 50% of its tokens, or
  the found quotes lying mostly inside it (each >= 50% of its own tokens) together do;
- precision: found quotes with >= 50% of their tokens in some gold direct content; "any
  attribution" also accepts >= 50% inside an indirect attribution's content;
- speaker accuracy: over correct found quotes whose paired gold content has a source span, the
  speaker's last token occurs in the gold source (or, for a gold source without a name, in the
  nearest preceding named gold source); no speaker counts as wrong.

``--half even|odd`` scores every other article (by line number) so rules can be tuned on one
half and checked on the other; the acceptance figure is over all 924.

Run: ``.venv/bin/python benchmarks/quotes_eval.py [--limit N] [--half even|odd] [--errors N]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.annotate import annotate
from newsprism.model import Article, Quote, article_id_for, content_hash

POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "quotes" / "polnear-dev.jsonl"
_TOKEN = re.compile(r"\w+")
# Capitalised words that are not names: pronouns, determiners, party and title words.
_NOT_NAME = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "i",
        "we",
        "you",
        "his",
        "her",
        "their",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "republican",
        "republicans",
        "democrat",
        "democrats",
        "democratic",
        "gop",
        "president",
        "presidential",
        "nominee",
        "candidate",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "mr",
        "mrs",
        "ms",
        "dr",
        "former",
        "secretary",
        "state",
        "the",
        "campaign",
        "spokesman",
        "spokeswoman",
    ]
)


def tokens(text: str) -> Counter[str]:
    return Counter(t.casefold() for t in _TOKEN.findall(text))


def overlap(a: Counter[str], b: Counter[str]) -> int:
    return sum((a & b).values())


def has_name(source: str) -> bool:
    """A gold source holds a name unless every capitalised token is a pronoun, determiner,
    acronym or party/title word."""
    caps = [t for t in _TOKEN.findall(source) if t[:1].isupper()]
    return any(not (t.isupper() and len(t) > 1) and t.casefold() not in _NOT_NAME for t in caps)


def articles(limit: int | None, half: str | None) -> Iterator[dict[str, Any]]:
    with POLNEAR.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if half == "even" and number % 2:
                continue
            if half == "odd" and not number % 2:
                continue
            yield json.loads(line)
            limit = None if limit is None else limit - 1
            if limit == 0:
                return


def to_article(record: dict[str, Any]) -> Article:
    paragraphs = [p for p in record["text"].split("\n") if p.strip()]
    body = paragraphs[1:] or paragraphs
    digest = content_hash("\n\n".join(body))
    return Article(
        id=article_id_for(digest),
        source=record["id"],
        title=paragraphs[0] if paragraphs else "",
        body=body,
        content_hash=digest,
        outlet=record["outlet"],
    )


@dataclass
class Score:
    """Pooled counts over all articles."""

    gold: int = 0
    recalled: int = 0
    found: int = 0
    correct_direct: int = 0
    correct_any: int = 0
    speaker_scored: int = 0
    speaker_right: int = 0
    no_speaker: int = 0
    errors: list[str] = field(default_factory=list)
    by_how: Counter[str] = field(default_factory=Counter)
    by_how_right: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        return (
            f"direct quotes {self.gold}, found {self.found}\n"
            f"recall {ratio(self.recalled, self.gold):.3f}  "
            f"precision (direct) {ratio(self.correct_direct, self.found):.3f}  "
            f"precision (any attribution) {ratio(self.correct_any, self.found):.3f}\n"
            f"speaker accuracy {ratio(self.speaker_right, self.speaker_scored):.3f} "
            f"({self.speaker_right}/{self.speaker_scored})  "
            f"without speaker {ratio(self.no_speaker, self.speaker_scored):.3f}"
        )


def speaker_targets(record: dict[str, Any]) -> dict[str, Counter[str]]:
    """Gold attribution id -> the tokens a right speaker must hit (README's pronoun rule)."""
    targets: dict[str, Counter[str]] = {}
    named: Counter[str] | None = None
    ordered = sorted((a for a in record["attributions"] if a["source"]), key=lambda a: a["source"]["start"])
    for attribution in ordered:
        source = attribution["source"]["text"]
        if has_name(source):
            named = tokens(source)
            targets[attribution["id"]] = named
        elif named is not None:
            targets[attribution["id"]] = tokens(source) + named
        else:
            targets[attribution["id"]] = tokens(source)
    return targets


def score_article(record: dict[str, Any], found: list[Quote], total: Score, keep_errors: int) -> None:
    gold = [(a, tokens(a["content"]["text"])) for a in record["attributions"] if a["direct"]]
    indirect = [tokens(a["content"]["text"]) for a in record["attributions"] if not a["direct"]]
    found_tokens = [(q, tokens(q.text)) for q in found]
    found_tokens = [(q, t) for q, t in found_tokens if t]
    targets = speaker_targets(record)
    total.gold += len(gold)
    total.found += len(found_tokens)
    for _, g in gold:
        size = sum(g.values())
        single = any(overlap(f, g) >= 0.5 * size for _, f in found_tokens)
        inside = [f for _, f in found_tokens if overlap(f, g) >= 0.5 * sum(f.values())]
        joined: Counter[str] = Counter()
        for f in inside:
            joined += f
        if single or overlap(joined, g) >= 0.5 * size:
            total.recalled += 1
    for quote, f in found_tokens:
        size = sum(f.values())
        shares = [(overlap(f, g) / size, a) for a, g in gold]
        best = max(shares, key=lambda s: s[0], default=(0.0, None))
        if best[0] >= 0.5 and best[1] is not None:
            total.correct_direct += 1
            total.correct_any += 1
            pair = best[1]
            if pair["source"] is not None:
                total.speaker_scored += 1
                target = targets.get(pair["id"], Counter())
                last = _TOKEN.findall(quote.speaker or "")
                if not last:
                    total.no_speaker += 1
                how = quote.resolved_by or "none"
                total.by_how[how] += 1
                if last and last[-1].casefold() in target:
                    total.speaker_right += 1
                    total.by_how_right[how] += 1
                elif len(total.errors) < keep_errors:
                    total.errors.append(
                        f"{record['id']}: [{quote.resolved_by}] {quote.text[:40]!r} -> {quote.speaker!r} "
                        f"(gold {pair['source']['text']!r})"
                    )
        elif any(overlap(f, g) >= 0.5 * size for g in indirect):
            total.correct_any += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--half", choices=("even", "odd"), default=None)
    parser.add_argument("--errors", type=int, default=0, help="print this many speaker errors")
    args = parser.parse_args()
    if not POLNEAR.exists():
        sys.exit(f"error: {POLNEAR} not found")
    total = Score()
    count = 0
    started = time.process_time()
    for record in articles(args.limit, args.half):
        annotated = annotate(to_article(record))
        score_article(record, annotated.quotes, total, args.errors)
        count += 1
    cpu = time.process_time() - started
    print(f"PolNeAR {args.half or 'all'}: {count} articles, {cpu / max(count, 1) * 1000:.1f} ms CPU/article")
    print(total.line())
    print(
        "  by resolution: "
        + ", ".join(f"{how} {total.by_how_right[how]}/{n}" for how, n in total.by_how.most_common())
    )
    for error in total.errors:
        print("  " + error)


if __name__ == "__main__":
    main()
