"""Issue 13 acceptance: the comparison's invariants hold on every story of the public data.

Every AllSides event, every ECB+ event (all 86; about 40 s of CPU for everything), the seed
pages and the example records are analysed, and ``analysis.invariants.violations`` must find
nothing: no sentence in two facts, none both shared and exclusive, no outlet tag without a
supporting citation, no bullet figure missing from a sentence cited for it, no ungrounded bullet.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from factories import SHARED_DIR, require_shared

from newsprism.analysis import analyse_story
from newsprism.analysis.invariants import violations
from newsprism.annotate import annotate
from newsprism.model import Bullet, Citation

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from analysis_eval import story_of
from analysis_invariants import all_stories


def test_no_story_of_the_public_data_breaks_an_invariant() -> None:
    require_shared(SHARED_DIR / "eval" / "allsides" / "roundups-2021.jsonl")
    require_shared(SHARED_DIR / "eval" / "ecbplus" / "ecbplus.jsonl")
    found: Counter[str] = Counter()
    examples: list[str] = []
    stories: Counter[str] = Counter()
    for corpus, articles in all_stories():
        annotated = [annotate(a) for a in articles]
        analysis = analyse_story(story_of(annotated), annotated)
        stories[corpus] += 1
        for kind, detail in violations(analysis, annotated):
            found[kind] += 1
            examples.append(f"[{corpus}] {kind}: {detail}")
    assert stories["allsides"] == 505 and stories["ecbplus"] == 86
    assert stories["seeds"] == 1 and stories["examples"] == 1
    assert not found, (dict(found), examples[:10])


def test_the_checker_sees_a_tag_without_support_and_a_missing_figure() -> None:
    """The checker itself is not vacuous: a made-up breach of each bullet rule is reported."""
    from newsprism.model import Analysis, AnnotatedArticle, Article, QuickRead

    def article(aid: str, outlet: str) -> AnnotatedArticle:
        return AnnotatedArticle(Article(aid, aid, "t", ["x"], aid, outlet=outlet), [])

    cites = [
        Citation("a", "At least 1,200 people were evacuated on Saturday."),
        Citation("b", "About 900 left."),
    ]
    bullet = Bullet(
        "At least 1,200 people were evacuated on Saturday.", cites, ["f1"], ["Meridian", "Ledger"]
    )
    analysis = Analysis("s", [], QuickRead("s", [bullet]))
    kinds = {k for k, _ in violations(analysis, [article("a", "Meridian"), article("b", "Ledger")])}
    assert kinds == {"unsupported_tag", "number_not_in_citation"}
