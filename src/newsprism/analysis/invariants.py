"""The comparison's promises as a checker: run over any analysed story, it lists every breach.

A sentence belongs to one fact; a fact is consensus or exclusive, never both; every outlet a
bullet is tagged with has a cited sentence that states the bullet's claim; every figure of a
bullet is in every sentence cited for it; every bullet is grounded. Tests and
``benchmarks/analysis_invariants.py`` run it over every story of the public data.
"""

from __future__ import annotations

from collections import defaultdict

from newsprism.analysis.grounding import check_bullet, support_problem
from newsprism.analysis.quantities import unsupported_numbers
from newsprism.model import Analysis, AnnotatedArticle, Bullet

KINDS = ("two_facts", "shared_and_exclusive", "unsupported_tag", "number_not_in_citation", "ungrounded")


def _fact_breaches(analysis: Analysis) -> list[tuple[str, str]]:
    homes: dict[tuple[str, int], list[str]] = defaultdict(list)
    for fact in analysis.facts:
        for ref in dict.fromkeys((r.article_id, r.sentence_index) for r in fact.sentences):
            homes[ref].append(fact.kind)
    out: list[tuple[str, str]] = []
    for (aid, index), kinds in homes.items():
        if len(kinds) > 1:
            out.append(("two_facts", f"{aid}#{index} in {len(kinds)} facts"))
        if len(set(kinds)) > 1:
            out.append(("shared_and_exclusive", f"{aid}#{index}"))
    return out


def _bullet_breaches(bullet: Bullet, outlet_of: dict[str, str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    by_article: dict[str, list[str]] = defaultdict(list)
    for cite in bullet.citations:
        by_article[cite.article_id].append(cite.sentence)
        missing = unsupported_numbers(bullet.text, cite.sentence)
        if missing:
            out.append(("number_not_in_citation", f"{missing} not in {cite.sentence[:80]!r}"))
    for outlet in bullet.outlets:
        texts = [" ".join(s) for aid, s in by_article.items() if outlet_of.get(aid) == outlet]
        if not any(support_problem(bullet.text, t) is None for t in texts):
            out.append(("unsupported_tag", f"{outlet}: {bullet.text[:80]!r}"))
    if not bullet.citations or check_bullet(bullet.text, bullet.citations):
        out.append(("ungrounded", bullet.text[:80]))
    return out


def violations(analysis: Analysis, articles: list[AnnotatedArticle]) -> list[tuple[str, str]]:
    """(kind, detail) for every breach of the comparison's invariants in one analysed story."""
    outlet_of = {a.article.id: a.article.outlet or a.article.source for a in articles}
    found = _fact_breaches(analysis)
    for bullet in analysis.quick_read.bullets:
        found.extend(_bullet_breaches(bullet, outlet_of))
    return found
