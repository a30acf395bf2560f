"""Analysis of one story: facts, quote variants, discrepancies, framing and the Quick Read.

``analyse_story`` is pure and deterministic given its inputs and settings (no database, no clock,
network only when a model endpoint is configured). See the module docstrings for the methods:
``facts`` (alignment), ``compare`` (quotes, discrepancies), ``framing`` (log-odds with an
informative Dirichlet prior), ``quickread`` + ``compress`` (extractive bullets), ``grounding``
(the check every bullet passes) and ``llm`` (optional model-assisted bullets).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx

from newsprism.analysis import llm
from newsprism.analysis.compare import discrepancies, quote_variants
from newsprism.analysis.facts import AlignSettings, FactGroup, build_facts, voices_for
from newsprism.analysis.framing import framing
from newsprism.analysis.grounding import check_bullet
from newsprism.analysis.quickread import QuickReadSettings, draft_for, extractive_bullets
from newsprism.model import Analysis, AnnotatedArticle, Bullet, Fact, QuickRead, Story

__all__ = ["AnalysisSettings", "analyse_story", "check_bullet"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysisSettings:
    """Operator settings; ``base_url`` + ``model`` switch on the model-assisted Quick Read."""

    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    timeout: float = 30.0
    align: AlignSettings = field(default_factory=AlignSettings)
    quick_read: QuickReadSettings = field(default_factory=QuickReadSettings)
    framing_limit: int = 15


def analyse_story(
    story: Story, articles: list[AnnotatedArticle], *, settings: AnalysisSettings | None = None
) -> Analysis:
    """Everything the comparison page shows for one story."""
    settings = settings or AnalysisSettings()
    wanted = {aid: i for i, aid in enumerate(story.article_ids)}
    ordered = sorted(articles, key=lambda a: (wanted.get(a.article.id, len(wanted)), a.article.id))
    aligned: list[FactGroup] = []
    facts, groups = build_facts(story, ordered, settings.align, aligned)
    by_id = {a.article.id: a for a in ordered}
    all_disc = []
    for fact in facts:
        if fact.kind == "consensus":
            fact.discrepancies = discrepancies(fact.id, groups[fact.id], by_id)
            all_disc.extend(fact.discrepancies)
    consensus = sorted(aligned, key=lambda g: min((u.article_id, u.sentence.index) for u in g.units))
    return Analysis(
        story_id=story.id,
        facts=facts,
        quick_read=_quick_read(story, facts, groups, settings, [a.article.title for a in ordered]),
        quotes=quote_variants(ordered, voices_for(story, ordered)),
        discrepancies=all_disc,
        framing=framing(ordered, consensus, limit=settings.framing_limit),
    )


def _quick_read(
    story: Story,
    facts: list[Fact],
    groups: dict[str, FactGroup],
    settings: AnalysisSettings,
    titles: list[str],
) -> QuickRead:
    extractive = extractive_bullets(facts, groups, settings.quick_read, titles)
    if not (settings.base_url and settings.model):
        return QuickRead(story.id, extractive, method="extractive")
    try:
        items = llm.request_bullets(
            settings.base_url, settings.api_key, settings.model, facts, settings.timeout
        )
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
        log.warning("model-assisted quick read failed, using extractive: %s", error)
        return QuickRead(story.id, extractive, method="extractive")
    bullets, used_model = _merge(items, facts, groups, extractive, settings.quick_read)
    method = f"model-assisted ({settings.model})" if used_model else "extractive"
    return QuickRead(story.id, bullets, method=method)


def _merge(
    items: list[llm.ModelBullet],
    facts: list[Fact],
    groups: dict[str, FactGroup],
    extractive: list[Bullet],
    qr: QuickReadSettings,
) -> tuple[list[Bullet], bool]:
    """Model bullets that pass grounding; each failed one replaced by its extractive bullet."""
    by_id = {f.id: f for f in facts}
    bullets: list[Bullet] = []
    used_model = False
    for item in items[: qr.max_bullets]:
        bullet = llm.ground_model_bullet(item, by_id, qr.max_words)
        if bullet is None:
            fact = by_id.get(item.fact_ids[0]) if item.fact_ids else None
            draft = draft_for(fact, groups[fact.id], qr) if fact else None
            bullet = draft.bullet if draft else None
        else:
            used_model = True
        if bullet and not any(set(bullet.fact_ids) & set(b.fact_ids) for b in bullets):
            bullets.append(bullet)
    for fallback in extractive:
        if len(bullets) >= qr.min_bullets:
            break
        if not any(set(fallback.fact_ids) & set(b.fact_ids) for b in bullets):
            bullets.append(fallback)
    return bullets, used_model
