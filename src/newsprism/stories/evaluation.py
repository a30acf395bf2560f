"""Scoring story grouping against labelled events (B-cubed), shared by tests and the benchmark.

The AllSides roundups give one event per record with up to three outlets' articles. Articles
carry no date of their own, so each gets its event's *calendar day* (midnight UTC of the local
date), not the event's exact minute: the minute is unique per event and would leak the label
into the time decay, while real coverage of one event spreads over hours. Two harder variants
test time as evidence: dates spread by a seeded random 0-4 days per article (outlets covering
one event days apart), and all dates removed.

ECB+ gives 43 topics of two look-alike events each (two quakes, two rehab check-ins), half of
the documents undated: the first line after the page address is taken as the title, and no
date is set (the grouper may find one in the address or a dateline, as for any undated page).
Halves are split by ``fold``: the event id for AllSides, the topic for ECB+ (so both
look-alike events of a topic fall in the same half).
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from newsprism.model import Article, article_id_for, content_hash
from newsprism.stories.cluster import OnlineGrouper
from newsprism.stories.graph import GraphGrouper
from newsprism.stories.settings import GroupingSettings


@dataclass(frozen=True)
class Labelled:
    article: Article
    event: int
    fold: int = -1  # which half: even = tune, odd = held out (-1: the event id decides)
    topic: str = ""  # events sharing a topic are look-alikes

    @property
    def half(self) -> int:
        return (self.event if self.fold < 0 else self.fold) % 2


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    clusters: int

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} ({self.clusters} clusters)"


def allsides_articles(records: Iterable[Mapping[str, object]]) -> list[Labelled]:
    """Articles of every event with news, in stream order (day, event id, side)."""
    out: list[Labelled] = []
    for record in records:
        news = record.get("news")
        if not isinstance(news, dict) or not news:
            continue
        event = int(str(record["id"]))
        day = _event_day(str(record["date"]))
        topic = str(record.get("topic") or "")
        for side in sorted(news):
            item = news[side]
            if isinstance(item, dict):
                out.append(Labelled(_article(item, event, side, day), event, topic=topic))
    return _by_date(out)


def _event_day(stamp: str) -> datetime:
    local = datetime.fromisoformat(stamp)
    return datetime(local.year, local.month, local.day, tzinfo=UTC)


def _article(item: Mapping[str, object], event: int, side: str, day: datetime) -> Article:
    title = str(item.get("newsTitle") or "")
    body_raw = item.get("newBody") or []
    body = [str(p) for p in body_raw] if isinstance(body_raw, list) else [str(body_raw)]
    digest = content_hash(f"{event}:{side}\n{title}\n" + "\n".join(body))
    return Article(
        id=article_id_for(digest),
        source=f"allsides:{event}:{side}",
        title=title,
        body=body,
        content_hash=digest,
        outlet=str(item.get("newsSource") or "") or None,
        published_at=day,
    )


def spread_dates(items: list[Labelled], days: float = 4.0, seed: int = 11) -> list[Labelled]:
    """Each article's date moved by a seeded random 0-``days`` days, then re-sorted by date."""
    rng = random.Random(seed)
    moved = [replace(i, article=_shifted(i.article, rng.uniform(0.0, days))) for i in items]
    return _by_date(moved)


def _shifted(article: Article, days: float) -> Article:
    when = article.published_at
    return replace(article, published_at=None if when is None else when + timedelta(days=days))


def undated(items: list[Labelled]) -> list[Labelled]:
    """All dates removed (stream order kept: the order a crawl would have seen them)."""
    return [replace(i, article=replace(i.article, published_at=None)) for i in items]


def _by_date(items: list[Labelled]) -> list[Labelled]:
    earliest = datetime.min.replace(tzinfo=UTC)
    return sorted(items, key=lambda x: (x.article.published_at or earliest, x.event, x.article.id))


def ecbplus_articles(records: Iterable[Mapping[str, object]]) -> list[Labelled]:
    """ECB+ documents in corpus order (sorted by id), event = topic x half, fold = topic."""
    events: dict[str, int] = {}
    out: list[Labelled] = []
    for record in sorted(records, key=lambda r: _ecb_key(str(r["id"]))):
        label = str(record["event"])
        event = events.setdefault(label, len(events))
        topic = str(record["topic"])
        out.append(Labelled(_ecb_article(record), event, fold=int(topic), topic=topic))
    return out


def _ecb_key(doc_id: str) -> tuple[int, str, int]:
    topic, _, rest = doc_id.partition("_")
    serial = "".join(ch for ch in rest if ch.isdigit())
    return int(topic), rest.lstrip("0123456789"), int(serial or 0)


def _ecb_article(record: Mapping[str, object]) -> Article:
    url = str(record.get("url_line") or "") or None
    lines = [line for line in str(record["text"]).splitlines() if line.strip()]
    if url and lines and lines[0].strip() == url:
        lines = lines[1:]
    title, body = (lines[0], lines[1:]) if len(lines) > 1 else ("", lines)
    digest = content_hash(f"ecbplus:{record['id']}\n" + "\n".join(lines))
    return Article(
        id=article_id_for(digest), source=f"ecbplus:{record['id']}", title=title, body=body,
        content_hash=digest, url=url,
    )  # fmt: skip


def group_stream(items: list[Labelled], settings: GroupingSettings | None = None) -> dict[str, str]:
    """Feed articles one by one; article id -> final (redirect-resolved) story id."""
    grouper = grouper_for(settings)
    for item in items:
        grouper.add(item.article)
    return {item.article.id: grouper.story_of(item.article.id) for item in items}


def grouper_for(settings: GroupingSettings | None) -> GraphGrouper | OnlineGrouper:
    """The graph grouper, or the single-pass one for the "cosine"/"learned" scorers."""
    if settings is not None and settings.scorer != "graph":
        return OnlineGrouper(settings)
    return GraphGrouper(settings)


def bcubed_on(
    predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable], items: Iterable[str]
) -> BCubed:
    """B-cubed averaged over ``items`` only, with clusters and classes taken from the whole run.

    Why: tuning and held-out halves are scored inside one stream of all events, so a story that
    wrongly mixes a tuning event with a held-out one still costs precision on both halves.
    """
    pred_groups: dict[Hashable, set[str]] = {}
    gold_groups: dict[Hashable, set[str]] = {}
    for item, label in gold.items():
        gold_groups.setdefault(label, set()).add(item)
        pred_groups.setdefault(predicted[item], set()).add(item)
    chosen = list(items)
    precision = recall = 0.0
    for item in chosen:
        mine, truth = pred_groups[predicted[item]], gold_groups[gold[item]]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    n = max(1, len(chosen))
    p, r = precision / n, recall / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return BCubed(p, r, f1, len({predicted[i] for i in chosen}))


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> BCubed:
    """Item-averaged B-cubed precision and recall of a clustering against gold classes."""
    return bcubed_on(predicted, gold, gold)


def score_halves(predicted: Mapping[str, Hashable], items: list[Labelled]) -> dict[str, BCubed]:
    """Scores on the tuning half (even event ids), the held-out half (odd) and all events."""
    gold = {item.article.id: item.event for item in items}
    even = [i.article.id for i in items if i.half == 0]
    odd = [i.article.id for i in items if i.half == 1]
    return {
        "tune": bcubed_on(predicted, gold, even),
        "held_out": bcubed_on(predicted, gold, odd),
        "all": bcubed(predicted, gold),
    }


def score_stream(items: list[Labelled], settings: GroupingSettings | None = None) -> dict[str, BCubed]:
    return score_halves(group_stream(items, settings), items)
