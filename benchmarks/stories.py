"""Stories benchmark: assignment throughput at 1k/10k/100k stored articles, memory, and quality.

Quality: the AllSides roundups (1,479 articles, 505 events) fed as one stream in date order,
B-cubed against the events, on the tuning half (even event ids), the held-out half (odd ids)
and all events, beside a brute-force baseline in the same run: all-pairs cosine over the same
TF-IDF features + scikit-learn AgglomerativeClustering, its distance threshold tuned on the
same even half. ``--tune`` re-runs the grid search of the grouper's settings on the even half.

Scale: a deterministic synthetic stream (pseudo-words, recurring named actors, ~400 articles
a day, events of 1-8 articles spread over a day or two); throughput is measured on the next
``--window`` articles once the grouper holds each size.

    python benchmarks/stories.py                      # everything (several minutes)
    python benchmarks/stories.py --sizes 1000 --skip-quality   # quick CI smoke
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import time
from collections.abc import Hashable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from newsprism.model import Article, article_id_for, content_hash
from newsprism.stories import GroupingSettings
from newsprism.stories.evaluation import (
    BCubed,
    Labelled,
    allsides_articles,
    ecbplus_articles,
    group_stream,
    grouper_for,
    score_halves,
    spread_dates,
    undated,
)
from newsprism.stories.evidence import evidence_of
from newsprism.stories.vectors import OnlineTfidf, normalise

REPO = Path(__file__).resolve().parents[1]
ALLSIDES = REPO.parent / "shared" / "eval" / "allsides" / "roundups-2021.jsonl"
ECBPLUS = REPO.parent / "shared" / "eval" / "ecbplus" / "ecbplus.jsonl"
DEFAULT_DATA = ALLSIDES


# ---- quality ------------------------------------------------------------------------------------
def load_allsides(path: Path = ALLSIDES) -> list[Labelled]:
    with path.open(encoding="utf-8") as handle:
        return allsides_articles(json.loads(line) for line in handle if line.strip())


def load_ecbplus(path: Path = ECBPLUS) -> list[Labelled]:
    with path.open(encoding="utf-8") as handle:
        return ecbplus_articles(json.loads(line) for line in handle if line.strip())


def load(path: Path) -> list[Labelled]:
    return load_allsides(path)


def corpora(allsides: Path, ecbplus: Path) -> dict[str, list[Labelled]]:
    """Each corpus as one stream; the AllSides variants test time as evidence."""
    out: dict[str, list[Labelled]] = {}
    if ecbplus.exists():
        out["ECB+ (corpus order, half undated)"] = load_ecbplus(ecbplus)
    if allsides.exists():
        items = load_allsides(allsides)
        out["AllSides (dated by day)"] = items
        out["AllSides (dates spread 0-4 days)"] = spread_dates(items)
        out["AllSides (all dates removed)"] = undated(items)
    return out


def show(name: str, scores: dict[str, BCubed], seconds: float) -> None:
    print(f"  {name:<34} tune {scores['tune']}")
    print(f"  {'':<34} held {scores['held_out']}")
    print(f"  {'':<34} all  {scores['all']}   [{seconds:.2f}s]")


def stream_quality(items: list[Labelled], settings: GroupingSettings) -> tuple[dict[str, BCubed], float]:
    scores, _, seconds = grouped(items, settings)
    return scores, seconds


def grouped(
    items: list[Labelled], settings: GroupingSettings
) -> tuple[dict[str, BCubed], dict[str, str], float]:
    start = time.perf_counter()
    predicted = group_stream(items, settings)
    return score_halves(predicted, items), predicted, time.perf_counter() - start


def batch_matrix(items: list[Labelled], settings: GroupingSettings, with_time: bool) -> np.ndarray:
    """All-pairs cosine over the grouper's own features, IDF fitted on the whole batch."""
    tfidf = OnlineTfidf(
        stopwords=settings.stopwords,
        title_weight=settings.title_weight,
        entity_weight=settings.entity_weight,
        max_features=10**9,
    )
    counts = [tfidf._counts(item.article)[0] for item in items]
    tfidf.n_docs = len(counts)
    for c in counts:
        for term in c:
            tfidf.df[term] = tfidf.df.get(term, 0) + 1
    vocab: dict[str, int] = {}
    rows = [normalise(tfidf._weigh(c)) for c in counts]
    for row in rows:
        for term in row:
            vocab.setdefault(term, len(vocab))
    dense = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    for i, row in enumerate(rows):
        for term, weight in row.items():
            dense[i, vocab[term]] = weight
    similarity = dense @ dense.T
    if with_time:
        days = np.array([(item.article.published_at or datetime.min).timestamp() / 86400 for item in items])
        gap = np.abs(days[:, None] - days[None, :])
        late = np.clip(gap - settings.grace_days, 0.0, None)
        similarity = similarity * np.exp(-late / settings.decay_days) * (gap <= settings.window_days)
    return np.asarray(similarity)


def brute_force(
    items: list[Labelled], settings: GroupingSettings, with_time: bool
) -> tuple[dict[str, BCubed], float, float, str]:
    """Tune the agglomerative distance threshold and linkage on the even half; score all halves."""
    start = time.perf_counter()
    distance = np.clip(1.0 - batch_matrix(items, settings, with_time), 0.0, None)
    matrix_seconds = time.perf_counter() - start
    best: tuple[float, dict[str, BCubed], float, str] | None = None
    for linkage, cut in itertools.product(("average", "complete", "single"), np.linspace(0.3, 0.99, 24)):
        t0 = time.perf_counter()
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage=linkage, distance_threshold=float(cut)
        )
        labels = model.fit_predict(distance)
        seconds = matrix_seconds + time.perf_counter() - t0
        predicted = {item.article.id: int(label) for item, label in zip(items, labels, strict=True)}
        scores = score_halves(predicted, items)
        if best is None or scores["tune"].f1 > best[0]:
            best = (scores["tune"].f1, scores, seconds, f"{linkage} linkage, distance {cut:.3f}")
    assert best is not None
    return best[1], best[2], matrix_seconds, best[3]


def event_failures(items: list[Labelled], predicted: dict[str, Hashable]) -> str:
    """Share of look-alike event pairs merged, of developing events split, and articles refused.

    Look-alike: two events of one topic (ECB+: the topic's two events; AllSides: one topic
    label, dated within 14 days). Developing: an event whose articles' own times (published,
    else address or dateline) span more than a day. Merged: some story holds both events'
    articles. Split: the event's articles are in more than one story. Refused: not assigned.
    """
    stories_of: dict[int, set[Hashable]] = {}
    stamps: dict[int, list[float]] = {}
    topic_of: dict[int, str] = {}
    for item in items:
        if item.article.id in predicted:
            stories_of.setdefault(item.event, set()).add(predicted[item.article.id])
        stamp = evidence_of(item.article).stamp
        if stamp is not None:
            stamps.setdefault(item.event, []).append(stamp)
        topic_of[item.event] = item.topic
    pairs = [
        (a, b)
        for a, b in itertools.combinations(sorted(topic_of), 2)
        if topic_of[a] and topic_of[a] == topic_of[b] and _near(stamps.get(a), stamps.get(b))
    ]
    merged = sum(1 for a, b in pairs if stories_of.get(a, set()) & stories_of.get(b, set()))
    developing = [e for e, st in stamps.items() if len(st) > 1 and max(st) - min(st) > 86400]
    split = sum(1 for e in developing if len(stories_of.get(e, ())) > 1)
    refused = sum(1 for item in items if item.article.id not in predicted)
    return (
        f"look-alike pairs merged {merged}/{len(pairs)} ({_share(merged, len(pairs))}),"
        f" developing events split {split}/{len(developing)} ({_share(split, len(developing))}),"
        f" refused {refused}"
    )


def _near(a: list[float] | None, b: list[float] | None) -> bool:
    return a is None or b is None or abs(min(a) - min(b)) <= 14 * 86400


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def quality(allsides: Path, ecbplus: Path, settings: GroupingSettings) -> None:
    for name, items in corpora(allsides, ecbplus).items():
        events = len({i.event for i in items})
        print(f"\nQuality: {name}: {len(items)} articles, {events} events, one stream")
        baseline_scores, _, _, chosen = brute_force(items, GroupingSettings.legacy(), with_time=False)
        runs = [
            ("StoryGrouper (learned, online)", settings),
            ("GraphGrouper (average linkage)", replace(GroupingSettings(), scorer="graph")),
            ("0.1 grouper (cosine x decay)", GroupingSettings.legacy()),
        ]
        ours: dict[str, BCubed] | None = None
        for label, chosen_settings in runs:
            scores, predicted, seconds = grouped(items, chosen_settings)
            show(label, scores, seconds)
            print(f"  {'':<34} {event_failures(items, predicted)}")
            ours = ours or scores
        assert ours is not None
        show("TF-IDF + agglomerative (batch)", baseline_scores, 0.0)
        print(f"  {'':<34} tuned on the tune half: {chosen}")
        halves = ("tune", "held_out", "all")
        margin = ", ".join(f"{k} {ours[k].f1 - baseline_scores[k].f1:+.3f}" for k in halves)
        print(f"  {'':<34} F1 learned - agglomerative: {margin}")


def tune(path: Path, base: GroupingSettings) -> GroupingSettings:
    """Grid search on the even half only (scored inside the full stream)."""
    items = load(path)
    grid = itertools.product(
        (0.08, 0.10, 0.12, 0.15),  # threshold
        (0.25, 0.5, 1.0),  # decay_days after the grace (2 and 3 days were worse in a first pass)
        (3.0, 4.0),  # title_weight (1 and 2 were worse)
        (0.0, 1.0),  # entity_weight
        (0, 20),  # idf_prior_docs
    )
    results: list[tuple[float, GroupingSettings]] = []
    for threshold, decay, title_w, entity_w, prior in grid:
        candidate = replace(
            base,
            threshold=threshold,
            decay_days=decay,
            title_weight=title_w,
            entity_weight=entity_w,
            idf_prior_docs=prior,
        )
        scores, _ = stream_quality(items, candidate)
        f1 = scores["tune"].f1
        print(f"  th={threshold} decay={decay} title={title_w} ent={entity_w} prior={prior}: {f1:.4f}")
        results.append((f1, candidate))
    chosen = conservative_best(results)
    merges: list[tuple[float, GroupingSettings]] = []
    for article_score, story_score in itertools.product((0.1, 0.15, 0.25, 9.0), (0.0, 0.2, 0.4)):
        candidate = replace(chosen, merge_threshold=article_score, merge_story_threshold=story_score)
        scores, _ = stream_quality(items, candidate)
        print(f"  merge article>={article_score} story>={story_score}: {scores['tune'].f1:.4f}")
        merges.append((scores["tune"].f1, candidate))
    return conservative_best(merges, slack=0.0)


def conservative_best(
    results: list[tuple[float, GroupingSettings]], slack: float = 0.005
) -> GroupingSettings:
    """Best tune F1, but among settings within ``slack`` of it prefer the strictest.

    Why: AllSides has ~3 events a day; a live stream has hundreds, so of near-equal settings the
    one with the higher threshold and the longer decay (less reliant on sparse days) travels best.
    """
    top = max(f1 for f1, _ in results)
    near = [(f1, s) for f1, s in results if f1 >= top - slack]
    f1, chosen = max(near, key=_strictness)
    print(f"best tune F1 {top:.4f}; chosen (strictest within {slack}): F1 {f1:.4f} -> {chosen}")
    return chosen


def _strictness(result: tuple[float, GroupingSettings]) -> tuple[float, ...]:
    f1, s = result
    return (s.threshold, s.decay_days, s.merge_threshold, s.merge_story_threshold, f1)


# ---- scale ----------------------------------------------------------------------------------------
_SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["an", "el", "or", "is", "um"]


def _word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(low, high)))


def synthetic_stream(seed: int = 13, per_day: int = 400) -> Iterator[Article]:
    """Endless deterministic stream: events with their own vocabulary and recurring actors."""
    rng = random.Random(seed)
    background = [_word(rng, 1, 3) for _ in range(20000)]
    weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(background))))
    topical = [_word(rng, 3, 4) for _ in range(60000)]
    actors = [f"{_word(rng, 2, 3).title()} {_word(rng, 2, 3).title()}" for _ in range(3000)]
    outlets = [f"Outlet {i}" for i in range(60)]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    pending: list[tuple[float, Article]] = []
    serial = 0
    for day_index in itertools.count():
        while sum(1 for when, _ in pending if when < day_index + 1) < per_day:
            serial += 1
            event = _event(rng, serial, day_index, background, weights, topical, actors, outlets, start)
            pending.extend(event)
        pending.sort(key=lambda p: (p[0], p[1].id))
        today = [a for when, a in pending if when < day_index + 1]
        pending = [(w, a) for w, a in pending if w >= day_index + 1]
        yield from today


def _event(
    rng: random.Random,
    serial: int,
    day_index: int,
    background: list[str],
    weights: list[float],
    topical: list[str],
    actors: list[str],
    outlets: list[str],
    start: datetime,
) -> list[tuple[float, Article]]:
    words = rng.sample(topical, 14)
    names = rng.sample(actors, 3)
    out = []
    for n in range(rng.randint(1, 8)):
        when = day_index + rng.random() * (0.9 if n < 3 else 1.8)
        title = " ".join([names[0], *rng.sample(words, 5)]).capitalize()
        sentences = []
        for _ in range(8):
            parts = rng.choices(background, cum_weights=weights, k=10) + rng.sample(words, 4)
            rng.shuffle(parts)
            parts.insert(3, rng.choice(names))
            sentences.append(" ".join(parts).capitalize() + ".")
        body = [" ".join(sentences[:4]), " ".join(sentences[4:])]
        digest = content_hash(f"{serial}:{n}\n{title}\n" + "\n".join(body))
        published = start + timedelta(days=when)
        out.append(
            (
                when,
                Article(
                    id=article_id_for(digest),
                    source=f"synthetic:{serial}:{n}",
                    title=title,
                    body=body,
                    content_hash=digest,
                    outlet=rng.choice(outlets),
                    published_at=published,
                ),
            )
        )
    return out


def throughput(sizes: list[int], window: int, settings: GroupingSettings) -> None:
    print(f"\nThroughput: assignment of the next {window} articles once the grouper holds N articles")
    print("  (CPU time of this process = one core; wall time is shown too but shares the machine)")
    grouper = grouper_for(settings)
    stream = synthetic_stream()
    stored = 0
    per_article: dict[int, float] = {}
    for size in sorted(sizes):
        fill_start = time.perf_counter()
        for article in itertools.islice(stream, size - stored):
            grouper.add(article)
        fill = time.perf_counter() - fill_start
        batch = list(itertools.islice(stream, window))
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for article in batch:
            grouper.add(article)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        stored = size + window
        per_article[size] = cpu / window
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  N={size:>7,}: {window / cpu:6.0f} articles/s CPU ({per_article[size] * 1e6:5.0f} us/article),"
            f" {window / wall:6.0f}/s wall | stories {grouper.story_count():>7,}"
            f" | peak RSS {rss_mb:5.0f} MB | fill {fill:.0f}s"
        )
    smallest = min(per_article)
    for size, cost in sorted(per_article.items()):
        print(f"  cost ratio N={size:,} / N={smallest:,}: {cost / per_article[smallest]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000, 100000]
    )
    parser.add_argument("--window", type=int, default=1000, help="articles timed at each size")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--ecbplus", type=Path, default=ECBPLUS)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--tune", action="store_true", help="grid-search settings on the even half first")
    parser.add_argument("--scorer", default="learned", help="learned (online) | graph | cosine (0.1)")
    args = parser.parse_args()
    settings = GroupingSettings(scorer=args.scorer)
    if args.tune:
        settings = tune(args.data, settings)
    print(f"settings: {settings!r}"[:400])
    if not args.skip_quality:
        quality(args.data, args.ecbplus, settings)
    if not args.skip_scale:
        throughput(args.sizes, args.window, settings)


if __name__ == "__main__":
    main()
