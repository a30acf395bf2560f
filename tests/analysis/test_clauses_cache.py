"""The parse cache holds compact tokens that read exactly as spaCy's, and stays bounded (#15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsprism.analysis import clauses

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "allsides" / "roundups-2021.jsonl"


def _sentences(limit: int) -> list[str]:
    found: list[str] = []
    with EVAL.open(encoding="utf-8") as handle:
        for line in handle:
            for article in (json.loads(line).get("news") or {}).values():
                for paragraph in article.get("newBody") or []:
                    found += [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if len(s.split()) >= 6]
            found = list(dict.fromkeys(found))  # distinct sentences
            if len(found) >= limit:
                return found[:limit]
    return found


def test_compact_tokens_read_as_the_spacy_parse() -> None:
    nlp = clauses._parser()
    for text in _sentences(400):
        doc, tokens = nlp(text), clauses._parse(text)
        assert len(doc) == len(tokens)
        for t, c in zip(doc, tokens, strict=True):
            assert (t.i, t.text, t.idx, t.tag_, t.dep_, t.is_punct, t.is_space, t.head.i) == (
                c.i,
                c.text,
                c.idx,
                c.tag_,
                c.dep_,
                c.is_punct,
                c.is_space,
                c.head.i,
            )
            assert [x.i for x in t.children] == [x.i for x in c.children]
            assert [x.i for x in t.subtree] == [x.i for x in c.subtree]


def test_parse_cache_stays_within_its_token_budget() -> None:
    """300 distinct sentences through a 2,000-token budget: the cache keeps only the latest."""
    budget = clauses._parse.max_weight
    clauses._parse.cache_clear()
    clauses._parse.max_weight = 2_000
    try:
        texts = _sentences(300)
        for text in texts:
            clauses._parse(text)
            assert clauses._parse.cache_info().weight <= 2_000
        info = clauses._parse.cache_info()
        assert 0 < info.currsize < 300 and info.weight > 1_000
        clauses._parse(texts[-1])
        assert clauses._parse.cache_info().hits == 1  # the most recent is kept
    finally:
        clauses._parse.max_weight = budget
        clauses._parse.cache_clear()
