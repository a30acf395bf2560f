"""The measurements of one article pair, turned into the edge model's features.

Why article pairs (not article vs story): the grouping is a clustering of the article graph
(``graph.py``), so every score must depend on the two articles and their neighbourhoods only,
never on which story an earlier, possibly wrong, decision built. What an article-to-story score
got from the story (its closest member, its best rival) is here the pair's *rank* among each
article's neighbours and its cosine relative to each one's best neighbour: a pair that is each
other's closest match is strong evidence even at a modest cosine, and one far behind a
look-alike is weak evidence even at a high one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from newsprism.stories.evidence import Evidence

_DAY = 86400.0

EDGE_FEATURES = (
    "cos",  # TF-IDF cosine (title, body, entities)
    "title",  # title cosine
    "entities",  # cosine over named-entity features only
    "numbers_shared",  # shared event numbers / the smaller side's count
    "numbers_both",  # both mention event numbers (so a zero share is a conflict)
    "years_conflict",  # both mention years, none shared
    "years_shared",
    "days_shared",  # log(1 + full dates mentioned by both)
    "timed",  # both have a time (published, or from address or dateline)
    "gap_log",  # log(1 + days apart), if timed
    "gap_far",  # more than two days apart
    "text_time",  # a side's time came from its text
    "cos_x_gap",  # content x gap: far in time is fine when the content is close
    "cos_untimed",  # content when time cannot help
    "cos_decayed",  # the 0.1 score: cosine x exp(-(gap - 0.5 day) / 0.25 day)
    "rank_max",  # the worse of the two ranks (0: each is the other's closest neighbour)
    "rel_min",  # cosine / the larger of the two sides' best neighbour cosine
)


@dataclass(frozen=True)
class EdgeInputs:
    cos: float
    title: float
    entities: float
    a: Evidence
    b: Evidence
    ranks: tuple[int, int]
    bests: tuple[float, float]

    def vector(self) -> list[float]:
        a, b = self.a, self.b
        timed = a.stamp is not None and b.stamp is not None
        gap = abs(a.stamp - b.stamp) / _DAY if a.stamp is not None and b.stamp is not None else 0.0
        gap_log = math.log1p(gap)
        numbers_both = bool(a.numbers) and bool(b.numbers)
        shared = len(a.numbers & b.numbers) / min(len(a.numbers), len(b.numbers)) if numbers_both else 0.0
        years_both = bool(a.years) and bool(b.years)
        years_shared = bool(a.years & b.years)
        text_time = timed and "text" in (a.stamp_source, b.stamp_source)
        cos = self.cos
        high = max(self.bests)
        return [
            cos,
            self.title,
            self.entities,
            shared,
            float(numbers_both),
            float(years_both and not years_shared),
            float(years_shared),
            math.log1p(len(a.days & b.days)),
            float(timed),
            gap_log,
            float(gap > 2.0),
            float(text_time),
            cos * gap_log,
            0.0 if timed else cos,
            cos * math.exp(-max(0.0, gap - 0.5) / 0.25),
            float(max(self.ranks)),
            cos / high if high > 0 else 0.0,
        ]
