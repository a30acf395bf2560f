"""What changed between two versions of a Quick Read, as plain data for pages, feeds and the API.

A reader coming back to a story and an editor re-reviewing one ask the same question: which
lines are new, which went away, which were reworded. Bullets are compared as whole lines first
(``difflib`` over the texts, so a reorder is not mistaken for a rewrite of every line), and a
line replaced by one other line is shown as a word-level edit, which is how an editor reads it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from newsprism.model import Bullet

ChangeKind = Literal["kept", "added", "removed", "changed"]
SegmentKind = Literal["same", "added", "removed"]
REWORD_RATIO = 0.5  # share of words in common above which a replaced line counts as reworded


@dataclass(frozen=True)
class Segment:
    """A run of words in a reworded bullet: unchanged, added or removed."""

    kind: SegmentKind
    text: str


@dataclass(frozen=True)
class BulletChange:
    """One line of the diff; ``before``/``after`` are the texts on each side (None when absent)."""

    kind: ChangeKind
    before: str | None
    after: str | None
    outlets: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class VersionDiff:
    """The diff of two versions' bullets plus its counts (what a one-line summary says)."""

    from_version: int
    to_version: int
    changes: list[BulletChange]

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def changed(self) -> bool:
        return any(c.kind != "kept" for c in self.changes)


def word_segments(before: str, after: str) -> list[Segment]:
    """Word-level diff of two texts; adjacent words of one kind are joined into one segment."""
    old, new = before.split(), after.split()
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            out.append(Segment("added", " ".join(new[j1:j2])))
    return out


def _similar(before: str, after: str) -> bool:
    """Two lines close enough that a word-level diff reads as an edit, not as noise."""
    matcher = difflib.SequenceMatcher(a=before.split(), b=after.split(), autojunk=False)
    return matcher.ratio() >= REWORD_RATIO


def _replaced(
    before: Sequence[Bullet], after: Sequence[Bullet], i1: int, i2: int, j1: int, j2: int
) -> list[BulletChange]:
    """A replaced run: similar lines paired one-for-one as rewordings, the rest removed or added."""
    out: list[BulletChange] = []
    j = j1
    for i in range(i1, i2):
        old = before[i].text
        if j < j2 and _similar(old, after[j].text):
            new = after[j].text
            out.append(BulletChange("changed", old, new, list(after[j].outlets), word_segments(old, new)))
            j += 1
        else:
            out.append(BulletChange("removed", old, None, list(before[i].outlets)))
    out += [BulletChange("added", None, after[k].text, list(after[k].outlets)) for k in range(j, j2)]
    return out


def diff_bullets(
    before: Sequence[Bullet], after: Sequence[Bullet], from_version: int = 0, to_version: int = 0
) -> VersionDiff:
    """Line-level diff of two bullet lists; a line replaced by a similar one is a word-level edit."""
    matcher = difflib.SequenceMatcher(a=[b.text for b in before], b=[b.text for b in after], autojunk=False)
    changes: list[BulletChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [
                BulletChange("kept", after[j].text, after[j].text, list(after[j].outlets))
                for j in range(j1, j2)
            ]
        else:
            changes += _replaced(before, after, i1, i2, j1, j2)
    return VersionDiff(from_version, to_version, changes)
