"""Per-bullet review actions: remove an outlet tag, drop a citation, move a bullet.

An editor who spots one wrong tag should not have to rewrite the bullet to fix it. Each action
returns a new bullet list (the old one is never mutated) or raises ``BulletActionError`` with a
reason an editor can act on. Tags and citations stay consistent: an outlet tag is backed by at
least one citation from that outlet, so removing a tag drops that outlet's citations, and
dropping an outlet's last citation removes its tag. A bullet keeps at least one citation, and
its words must still be supported by what is left (the same check as an edit).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Literal

from newsprism.model import Bullet, Citation

BulletAction = Literal["remove-outlet", "drop-citation", "move-up", "move-down"]
ACTIONS: tuple[BulletAction, ...] = ("remove-outlet", "drop-citation", "move-up", "move-down")
GroundingCheck = Callable[[str, list[Citation]], list[str]]


class BulletActionError(ValueError):
    """The action cannot be applied (unknown bullet, last citation, unsupported words...)."""


def _outlets_with_citations(
    bullet: Bullet, citations: list[Citation], outlet_of: Mapping[str, str]
) -> list[str]:
    """The bullet's tags that still have a citation (order kept; untagged cited outlets not added)."""
    cited = {outlet_of.get(c.article_id) for c in citations}
    return [o for o in bullet.outlets if o in cited]


def _pick(bullets: Sequence[Bullet], index: int) -> Bullet:
    if not 0 <= index < len(bullets):
        raise BulletActionError(f"there is no bullet {index + 1}")
    return bullets[index]


def _with_citations(
    bullet: Bullet, kept: list[Citation], outlet_of: Mapping[str, str], check: GroundingCheck
) -> Bullet:
    if not kept:
        raise BulletActionError("a bullet needs at least one citation; edit or remove the bullet instead")
    unsupported = check(bullet.text, kept)
    if unsupported:
        raise BulletActionError(
            "the remaining citations do not support " + ", ".join(f"“{w}”" for w in unsupported[:8])
        )
    return replace(bullet, citations=kept, outlets=_outlets_with_citations(bullet, kept, outlet_of))


def remove_outlet(
    bullets: Sequence[Bullet], index: int, outlet: str, outlet_of: Mapping[str, str], check: GroundingCheck
) -> list[Bullet]:
    """Remove ``outlet``'s tag from one bullet, with that outlet's citations."""
    bullet = _pick(bullets, index)
    if outlet not in bullet.outlets:
        raise BulletActionError(f"bullet {index + 1} is not tagged {outlet!r}")
    kept = [c for c in bullet.citations if outlet_of.get(c.article_id) != outlet]
    fixed = _with_citations(bullet, kept, outlet_of, check)
    fixed = replace(fixed, outlets=[o for o in fixed.outlets if o != outlet])
    return [fixed if i == index else b for i, b in enumerate(bullets)]


def drop_citation(
    bullets: Sequence[Bullet], index: int, citation: int, outlet_of: Mapping[str, str], check: GroundingCheck
) -> list[Bullet]:
    """Drop one citation of one bullet (its outlet's tag goes when no citation of it is left)."""
    bullet = _pick(bullets, index)
    if not 0 <= citation < len(bullet.citations):
        raise BulletActionError(f"bullet {index + 1} has no citation {citation + 1}")
    kept = [c for i, c in enumerate(bullet.citations) if i != citation]
    fixed = _with_citations(bullet, kept, outlet_of, check)
    return [fixed if i == index else b for i, b in enumerate(bullets)]


def move(bullets: Sequence[Bullet], index: int, offset: int) -> list[Bullet]:
    """Move one bullet ``offset`` places (−1 up, +1 down); refused past either end."""
    _pick(bullets, index)
    target = index + offset
    if not 0 <= target < len(bullets):
        raise BulletActionError(f"bullet {index + 1} cannot move that way")
    out = list(bullets)
    out[index], out[target] = out[target], out[index]
    return out


def apply(
    action: str,
    bullets: Sequence[Bullet],
    index: int,
    *,
    outlet: str | None,
    citation: int | None,
    outlet_of: Mapping[str, str],
    check: GroundingCheck,
) -> list[Bullet]:
    """Dispatch one named action (as posted by the review page or the API)."""
    if action == "move-up":
        return move(bullets, index, -1)
    if action == "move-down":
        return move(bullets, index, 1)
    if action == "remove-outlet":
        if not outlet:
            raise BulletActionError("say which outlet tag to remove")
        return remove_outlet(bullets, index, outlet, outlet_of, check)
    if action == "drop-citation":
        if citation is None:
            raise BulletActionError("say which citation to drop")
        return drop_citation(bullets, index, citation, outlet_of, check)
    raise BulletActionError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
