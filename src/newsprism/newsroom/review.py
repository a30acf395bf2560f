"""The review workflow: approve, edit (re-grounded) or reject and regenerate a Quick Read.

Two review policies (``NEWSPRISM_REVIEW_POLICY``): ``single``, where an editor's edit is published
at once, and ``two-editor``, where an edit (or a per-bullet action) waits as ``pending`` until a
*different* editor approves it; the store's audit log says who wrote each version, so the rule
holds across sessions and processes.

Only the latest version of a story's Quick Read can be acted on, so an editor approving a page
that a new article has meanwhile changed gets a conflict instead of approving unseen words.
An edited bullet keeps the citations of the bullet it replaces and must still be supported by
them: every word the sources do not back is shown to the editor and the edit is refused. Words
being in the sources is not enough: the edit must also keep the bullet's meaning (issue 13) -
a changed number, negation, connective ("after" -> "before"), speaker, attribution or hedge is
refused with those words highlighted, by the same checker that guards the compressor
(``analysis.meaning``), unless a cited sentence says it that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from newsprism.model import Bullet, Citation, QuickRead, quick_read_label
from newsprism.newsroom import bullets as bullet_actions
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository

GroundingCheck = Callable[[str, list[Citation]], list[str]]
# (original, edited) -> [(category, words to highlight)]; empty when the meaning is kept
MeaningCheck = Callable[[str, str], list[tuple[str, list[str]]]]
MAX_BULLET = 600


class ReviewError(Exception):
    """An action that cannot be done: unknown story, no Quick Read, stale version (HTTP 404/409)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def status_label(status: str) -> str:
    """The public label shown beside a Quick Read."""
    return quick_read_label(status)


_WORD = re.compile(r"\w+(?:[.,']\w+)*", re.UNICODE)
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "has",
        "have",
        "had",
        "will",
        "would",
        "said",
        "says",
    ]
)


def _fallback_check(text: str, citations: list[Citation]) -> list[str]:
    """Words of ``text`` found in none of the cited sentences (used until analysis.grounding lands)."""
    source = {w.casefold() for c in citations for w in _WORD.findall(c.sentence)}
    return [
        w for w in _WORD.findall(text) if w.casefold() not in source and w.casefold() not in _FUNCTION_WORDS
    ]


def grounding_check() -> GroundingCheck:
    """The analysis module's ``check_bullet`` when present, else a strict word-level stand-in."""
    try:
        from newsprism.analysis.grounding import check_bullet
    except ImportError:
        return _fallback_check
    checker: GroundingCheck = check_bullet
    return checker


def meaning_check() -> MeaningCheck:
    """The analysis module's meaning checker; without it, only grounding guards an edit."""
    try:
        from newsprism.analysis.meaning import meaning_changes
    except ImportError:
        return lambda _old, _new: []

    def check(old: str, new: str) -> list[tuple[str, list[str]]]:
        return [(c.category, list(c.words)) for c in meaning_changes(old, new)]

    return check


@dataclass
class EditCheck:
    """Outcome of checking edited bullets: the new bullets and, per bullet index, unsupported
    words and the meaning changes ((category, highlighted words) pairs)."""

    bullets: list[Bullet]
    problems: dict[int, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    changes: dict[int, list[tuple[str, list[str]]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.errors and not self.changes


def _meaning_changes(meaning: MeaningCheck, old: Bullet, text: str) -> list[tuple[str, list[str]]]:
    """Changes against the old bullet that no cited sentence backs: an editor may restore what
    a source says ("at Port Calder", "on Tuesday"), but not say what none of them says."""
    changed = meaning(old.text, text)
    if not changed:
        return []
    backed = [{c for c, _ in meaning(cite.sentence, text)} for cite in old.citations]
    return [(c, words) for c, words in changed if all(c in cats for cats in backed)]


def check_edit(
    current: QuickRead,
    texts: Sequence[str],
    check: GroundingCheck | None = None,
    meaning: MeaningCheck | None = None,
) -> EditCheck:
    """Apply edited texts bullet by bullet (blank removes a bullet), re-check grounding and
    that each edit keeps its bullet's meaning."""
    check = check or grounding_check()
    meaning = meaning or meaning_check()
    result = EditCheck(bullets=[])
    if len(texts) != len(current.bullets):
        result.errors.append(f"expected {len(current.bullets)} bullets, got {len(texts)}")
        return result
    for index, (old, raw) in enumerate(zip(current.bullets, texts, strict=True)):
        text = " ".join(raw.split())
        if not text:
            continue
        if len(text) > MAX_BULLET:
            result.errors.append(f"bullet {index + 1} is longer than {MAX_BULLET} characters")
            continue
        unsupported = check(text, list(old.citations)) if text != old.text else []
        if unsupported:
            result.problems[index] = unsupported
        changed = _meaning_changes(meaning, old, text) if text != old.text else []
        if changed:
            result.changes[index] = changed
        result.bullets.append(Bullet(text, list(old.citations), list(old.fact_ids), list(old.outlets)))
    if not result.bullets and not result.errors:
        result.errors.append("a Quick Read needs at least one bullet")
    return result


Regenerator = Callable[[str], QuickRead | None]
ReviewPolicy = Literal["single", "two-editor"]
POLICIES: tuple[ReviewPolicy, ...] = ("single", "two-editor")


def parse_policy(value: str | None) -> ReviewPolicy:
    """The policy named in configuration; anything unknown is an error, not a silent default."""
    name = (value or "single").strip().lower()
    for policy in POLICIES:
        if name == policy:
            return policy
    raise ValueError(f"unknown review policy {value!r}; use one of {', '.join(POLICIES)}")


class ReviewService:
    """Review actions over the store; each one writes its audit entry in the same transaction."""

    def __init__(
        self,
        repo: Repository,
        store: NewsroomStore,
        regenerate: Regenerator | None = None,
        policy: ReviewPolicy = "single",
    ) -> None:
        self.repo = repo
        self.store = store
        self.regenerate_fn = regenerate or self._regenerate_with_pipeline
        self.policy: ReviewPolicy = policy

    @property
    def edited_status(self) -> str:
        """Where an editor's own change lands: published (single) or pending a second editor."""
        return "published" if self.policy == "single" else "pending"

    def current(self, story_id: str, version: int | None = None) -> QuickRead:
        """The latest Quick Read, checking that the editor is acting on the version they saw."""
        resolved = self.repo.resolve_story_id(story_id)
        qr = self.repo.latest_quick_read(resolved)
        if qr is None:
            raise ReviewError(f"story {story_id!r} has no Quick Read", 404)
        if version is not None and version != qr.version:
            raise ReviewError(
                f"version {version} is no longer current (latest is {qr.version}); reload and review again"
            )
        return qr

    def approve(self, story_id: str, version: int | None, actor: str) -> QuickRead:
        qr = self.current(story_id, version)
        if qr.status == "rejected":
            raise ReviewError("a rejected Quick Read cannot be approved; regenerate it first")
        if qr.status == "pending" and self.store.version_author(qr.story_id, qr.version) == actor:
            raise ReviewError("you wrote this version; a second editor has to approve it", 403)
        return self.store.set_status(qr, "published", actor, "approve")

    def edit(
        self, story_id: str, version: int | None, texts: Sequence[str], actor: str
    ) -> tuple[EditCheck, QuickRead | None]:
        """Store the edit as a new, reviewed version, or refuse it and say which words lack support."""
        qr = self.current(story_id, version)
        checked = check_edit(qr, texts)
        if not checked.ok:
            return checked, None
        method = qr.method if qr.method.endswith("+edited") else f"{qr.method}+edited"
        saved = self.store.add_version(
            qr, checked.bullets, method=method, status=self.edited_status, actor=actor, action="edit"
        )
        return checked, saved

    def bullet_action(
        self,
        story_id: str,
        version: int | None,
        action: str,
        index: int,
        actor: str,
        *,
        outlet: str | None = None,
        citation: int | None = None,
    ) -> QuickRead:
        """Remove an outlet tag, drop a citation or move one bullet, as a new version (audited)."""
        qr = self.current(story_id, version)
        outlet_of = {a.id: a.outlet or "unknown outlet" for a in self.repo.articles_for_story(qr.story_id)}
        try:
            changed = bullet_actions.apply(
                action,
                qr.bullets,
                index,
                outlet=outlet,
                citation=citation,
                outlet_of=outlet_of,
                check=grounding_check(),
            )
        except bullet_actions.BulletActionError as exc:
            raise ReviewError(str(exc), 422) from exc
        method = qr.method if qr.method.endswith("+edited") else f"{qr.method}+edited"
        return self.store.add_version(
            qr, changed, method=method, status=self.edited_status, actor=actor, action=action
        )

    def reject(self, story_id: str, version: int | None, actor: str, *, regenerate: bool = True) -> QuickRead:
        """Reject the current version; by default generate a fresh draft for review at once."""
        qr = self.current(story_id, version)
        rejected = self.store.set_status(qr, "rejected", actor, "reject")
        if not regenerate:
            return rejected
        fresh = self.regenerate_fn(qr.story_id)
        if fresh is None:
            return rejected
        return self.store.add_version(
            rejected, fresh.bullets, method=fresh.method, status="draft", actor=actor, action="regenerate"
        )

    def _regenerate_with_pipeline(self, story_id: str) -> QuickRead | None:
        """Re-run the analysis on the story's current articles (None if the pipeline is absent)."""
        story = self.repo.get_story(story_id)
        if story is None:
            return None
        try:
            from newsprism.pipeline import analyse_one
        except ImportError:
            return None
        analysis = analyse_one(story, self.repo.articles_for_story(story.id))
        return analysis.quick_read
