"""Number finding: the number-first scan is the plain pattern scan, match for match, on real text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsprism.annotate import numbers

EDGES = [
    "handsome 5 people",  # the qualifier pattern has no word boundary in front: "some"
    "more than   12 dozen eggs",
    "5 about 3 more than 4",  # a unit swallows the next qualifier
    "at least two-dozen executives and nearly a dozen aides",
    "$5.9 million and some 3,000 people, over $12",
]


def _signature(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


def test_number_first_scan_equals_the_pattern_scan(eval_dir: Path) -> None:
    texts = list(EDGES)
    with (eval_dir / "allsides" / "roundups-2021.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            for item in json.loads(line)["news"].values():
                texts.extend(item.get("newBody") or [])
    assert len(texts) > 4000
    pattern: re.Pattern[str] = numbers._NUMBER
    for text in texts:
        assert _signature(numbers._number_matches(text)) == _signature(pattern.finditer(text)), text
