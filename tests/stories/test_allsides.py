"""Quality on the labelled AllSides roundups: one stream of 1,479 articles in date order.

Articles carry no date of their own; each gets its event's calendar day (see
``newsprism.stories.evaluation``). The acceptance target is B-cubed F1 >= 0.90 on the whole
stream and on the held-out half (odd event ids; settings were tuned on the even half).
"""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.stories.evaluation import allsides_articles, score_stream


def test_allsides_bcubed_f1(eval_dir: Path) -> None:
    path = eval_dir / "allsides" / "roundups-2021.jsonl"
    with path.open(encoding="utf-8") as handle:
        items = allsides_articles(json.loads(line) for line in handle if line.strip())
    assert len(items) == 1479
    assert len({i.event for i in items}) == 505
    scores = score_stream(items)
    assert scores["all"].f1 >= 0.90, scores
    assert scores["held_out"].f1 >= 0.90, scores
