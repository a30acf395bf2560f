"""ROUGE of the extractive Quick Read against human references, beside baselines in one run.

1. Seeds: the Quick Read of the two seed pages vs the NDTV page's own three "Quick Read"
   bullets (lines 10-12 of 000), beside sumy LexRank on the same sentences.
2. AllSides roundups 2021: each event's (up to) three articles as one story; the Quick Read
   (bullets joined) vs the first paragraph of the editors' roundup, beside sumy LexRank and
   lead-3 on the same input. Also the share of bullets that pass the grounding check.

Seeds are built from the gold ``body_lines`` (+ title) only: that is the clean article the
extractor must produce. Sumy gets our own sentence splitter and word tokenizer (its default
needs nltk punkt data, which must not be downloaded).

Run: ``.venv/bin/python benchmarks/analysis_eval.py [--limit N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from newsprism.analysis import analyse_story
from newsprism.analysis.grounding import check_bullet
from newsprism.annotate import annotate
from newsprism.annotate.language import words
from newsprism.annotate.sentences import split_spans
from newsprism.model import AnnotatedArticle, Article, Story, article_id_for, content_hash

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
ALLSIDES = SHARED / "eval" / "allsides" / "roundups-2021.jsonl"
METRICS = ("rouge1", "rouge2", "rougeL")


class OwnTokenizer:
    """The tokenizer sumy needs, without nltk data: our splitter and word tokenizer."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph[s:e] for s, e in split_spans(paragraph)]

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def make_article(
    source: str, title: str, body: list[str], outlet: str, published: datetime | None
) -> Article:
    """An Article from clean paragraphs (what the extractor would hand over)."""
    digest = content_hash("\n\n".join(body))
    return Article(
        id=article_id_for(digest + source)[:13],
        source=source,
        title=title,
        body=body,
        content_hash=digest,
        outlet=outlet,
        published_at=published,
    )


def story_of(annotated: list[AnnotatedArticle], story_id: str = "s") -> Story:
    return Story(
        story_id,
        annotated[0].article.title,
        [a.article.id for a in annotated],
        outlets=[a.article.outlet or "" for a in annotated],
    )


def lexrank(annotated: list[AnnotatedArticle], count: int) -> list[str]:
    """sumy LexRank over the story's sentences (same sentences the Quick Read sees)."""
    tokenizer = OwnTokenizer()
    paragraphs = [Paragraph([SumySentence(s.text, tokenizer) for s in a.sentences]) for a in annotated]
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return [str(s) for s in summarizer(ObjectDocumentModel(paragraphs), count)]


def lead3(annotated: list[AnnotatedArticle], count: int = 3) -> list[str]:
    """Round-robin lead: first sentence of each article, then the second ..., three in all."""
    out: list[str] = []
    depth = 0
    while len(out) < count and any(len(a.sentences) > depth for a in annotated):
        out.extend(a.sentences[depth].text for a in annotated if len(a.sentences) > depth)
        depth += 1
    return out[:count]


def score(scorer: rouge_scorer.RougeScorer, reference: str, summary: str) -> dict[str, float]:
    result = scorer.score(reference, summary)
    return {m: result[m].fmeasure for m in METRICS}


def seed_articles() -> list[Article]:
    """The two seed pages as clean Articles (gold body lines + title only)."""
    gold = json.loads((SEEDS / "gold.json").read_text("utf-8"))
    event = datetime.fromisoformat(gold["story"]["event_date"])
    out = []
    for name, meta in sorted(gold["articles"].items()):
        lines = (SEEDS / name).read_text("utf-8").splitlines()
        body = [lines[i - 1].strip() for i in meta["body_lines"]]
        out.append(make_article(name, meta["title"], body, meta["outlet"], event))
    return out


def seeds_report() -> dict[str, dict[str, float]]:
    lines = (SEEDS / "000_3bd1294ce722238c.txt").read_text("utf-8").splitlines()
    reference = "\n".join(line.strip().lstrip("•").strip() for line in lines[9:12])
    annotated = [annotate(a) for a in seed_articles()]
    analysis = analyse_story(story_of(annotated), annotated)
    ours = " ".join(b.text for b in analysis.quick_read.bullets)
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    return {
        "quickread": score(scorer, reference, ours),
        "lexrank": score(scorer, reference, " ".join(lexrank(annotated, 3))),
    }


def allsides_events(
    limit: int | None = None, half: str | None = None
) -> Iterator[tuple[str, list[Article]]]:
    """(reference first paragraph, articles) per event with at least one article; ``half``
    "even" or "odd" keeps the events of even or odd line number (tune on one, report the other)."""
    with ALLSIDES.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            if half is not None and n % 2 != (half == "odd"):
                continue
            event = json.loads(line)
            published = datetime.fromisoformat(event["date"]).replace(tzinfo=None)
            articles = [
                make_article(
                    f"{event['id']}-{side}",
                    item["newsTitle"],
                    [p for p in item["newBody"] if p.strip()],
                    item["newsSource"],
                    published,
                )
                for side, item in sorted(event["news"].items())
                if item.get("newBody")
            ]
            if articles and event["roundup"]:
                yield event["roundup"][0], articles


def allsides_report(limit: int | None = None, half: str | None = None) -> dict[str, float]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals: dict[str, list[float]] = {}
    bullets = grounded = events = 0
    counts: list[int] = []
    lengths: list[int] = []
    for reference, articles in allsides_events(limit, half):
        annotated = [annotate(a) for a in articles]
        analysis = analyse_story(story_of(annotated), annotated)
        qr = analysis.quick_read.bullets
        counts.append(len(qr))
        bullets += len(qr)
        lengths.extend(len(b.text.split()) for b in qr)
        grounded += sum(not check_bullet(b.text, b.citations) and bool(b.citations) for b in qr)
        systems = {
            "quickread": " ".join(b.text for b in qr),
            "lexrank": " ".join(lexrank(annotated, 3)),
            "lead3": " ".join(lead3(annotated)),
            # same-length checks: four sentences, about our bullets' word count
            "lexrank4": " ".join(lexrank(annotated, 4)),
            "lead4": " ".join(lead3(annotated, 4)),
        }
        # length-matched: five-sentence baselines cut to the Quick Read's word count
        budget = len(systems["quickread"].split())
        systems["lexrank_len"] = " ".join(" ".join(lexrank(annotated, 5)).split()[:budget])
        systems["lead_len"] = " ".join(" ".join(lead3(annotated, 5)).split()[:budget])
        for name, text in systems.items():
            totals.setdefault(f"{name}.words", []).append(float(len(text.split())))
            for metric, value in score(scorer, reference, text).items():
                totals.setdefault(f"{name}.{metric}", []).append(value)
        events += 1
    report = {key: statistics.fmean(values) for key, values in totals.items()}
    report.update(
        events=events,
        bullets=bullets,
        grounded_share=grounded / max(bullets, 1),
        mean_bullets=statistics.fmean(counts) if counts else 0.0,
        median_bullet_words=statistics.median(lengths) if lengths else 0.0,
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N AllSides events")
    parser.add_argument("--half", choices=("even", "odd"), help="AllSides events of even or odd line")
    args = parser.parse_args()
    if SEEDS.exists():
        for name, values in seeds_report().items():
            print("seeds vs NDTV bullets", name, {k: round(v, 4) for k, v in values.items()})
    if not ALLSIDES.exists():
        sys.exit("allsides data not found")
    report = allsides_report(args.limit, args.half)
    for key in sorted(report):
        print(f"allsides {key}: {report[key]:.4f}")


if __name__ == "__main__":
    main()
