"""Turn a story's internal state into the ``Story`` the rest of the pipeline sees.

The headline is the most central title (closest to the story centroid), not the first one:
the first report of an event is often a breaking-news stub, while the central title names
what most of the coverage is about. Key entities are the names most articles mention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism.model import Story
from newsprism.stories.vectors import dot

if TYPE_CHECKING:
    from newsprism.stories.cluster import ArticleInfo, StoryState


def build_story(
    state: StoryState,
    members: list[ArticleInfo],
    syndication_groups: list[list[str]],
    entity_surface: dict[str, str],
    key_entities: int,
) -> Story:
    dated = [m.published_at for m in members if m.published_at is not None]
    return Story(
        id=state.id,
        headline=central_title(state, members),
        article_ids=[m.id for m in members],
        outlets=list(dict.fromkeys(m.outlet for m in members if m.outlet)),
        key_entities=top_entities(state.entity_counts, entity_surface, key_entities),
        first_seen=min(dated) if dated else None,
        last_updated=max(dated) if dated else None,
        syndication_groups=syndication_groups,
    )


def central_title(state: StoryState, members: list[ArticleInfo]) -> str:
    """Title with the highest cosine to the centroid; earliest (then smallest id) on ties."""
    if not members:
        return ""

    def rank(m: ArticleInfo) -> tuple[float, float, str]:
        score = dot(m.title_vector, state.centroid) / state.norm if state.norm else 0.0
        return (-round(score, 9), m.stamp if m.stamp is not None else float("inf"), m.id)

    titled = [m for m in members if m.title.strip()] or members
    return min(titled, key=rank).title


def top_entities(counts: dict[str, int], surface: dict[str, str], limit: int) -> list[str]:
    """Most mentioned entities (by number of articles), shown as first written."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [surface[key] for key, _ in ranked[:limit]]
