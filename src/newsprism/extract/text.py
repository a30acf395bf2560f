"""Furniture removal for pre-scraped plain text.

The idea: find the contiguous core of prose (a maximum-sum run over per-line scores, so a long
stretch of sentences outweighs the odd heading inside it while menus and link lists sink it),
then decide the blocks at its edges and the odd lines inside it with the shared rule families in
:mod:`newsprism.extract.rules`. Every line that is not body is reported with a reason, and the
lines that carry metadata (read time, summary bullets, author box, syndication notice) are
handed to :mod:`newsprism.extract.metadata`.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Final

from newsprism.extract import cleanup, rules
from newsprism.model import RemovedLine

# Kadane weights: a prose line earns its word count, anything else costs a fixed amount.
# SHORT_LINE_COST, FURNITURE_COST, TEASER_OVERLAP and MAX_RUN_FACTOR were chosen by a small grid
# search on the even-id half of the public benchmark's full-page text (odd half held out).
SHORT_LINE_COST: Final = 10.0
FURNITURE_COST: Final = 6.0
# A trailing paragraph sharing under this share of its content words with the rest of the
# article's prose is a teaser for another story.
TEASER_OVERLAP: Final = 0.1
TITLE_MAX_WORDS: Final = 30
# The title is looked for among this many non-empty lines before the article's core.
TITLE_WINDOW: Final = 40
# Author boxes and near-duplicate teasers are looked for among this many lines after the core.
AFTER_WINDOW: Final = 60
# The n-th short line in a row costs n times SHORT_LINE_COST (capped): one heading is cheap,
# a block of menu items or teaser cards (headline, name, date) is expensive.
MAX_RUN_FACTOR: Final = 2


@dataclass(slots=True)
class Line:
    """One non-empty input line, 1-based ``number`` as an editor shows it."""

    number: int
    text: str
    gap: int
    reason: str | None
    prose: bool
    n_words: int
    key: str
    _signature: AbstractSet[str] | None = None

    @property
    def signature(self) -> AbstractSet[str]:
        """Content words of the line, computed once (teaser and title rules reuse them)."""
        if self._signature is None:
            self._signature = rules.content_words(self.text)
        return self._signature


@dataclass
class TextResult:
    """What the text path decided; metadata lines are kept raw for ``metadata`` to parse."""

    body: list[Line] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    standfirst: str | None = None
    summary: list[str] = field(default_factory=list)
    read_time_lines: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    author: str | None = None
    author_role: str | None = None
    bios: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # the removed lines' text, in order
    masthead: str | None = None


# Verdicts are pure functions of a line's text, and pages of one site repeat the same menus,
# labels and footers: a bounded cache shared across pages judges each distinct line once.
# A plain dict emptied when full is enough (no LRU bookkeeping): which verdicts survive only
# changes speed, never a result.
VERDICT_CACHE_SIZE: Final = 1 << 16
_VERDICTS: Final[dict[str, tuple[str | None, bool, int, str]]] = {}


def _verdict(stripped: str) -> tuple[str | None, bool, int, str]:
    """(reason, prose, word count, normalised key) of one stripped, non-empty line."""
    found = _VERDICTS.get(stripped)
    if found is None:
        if len(_VERDICTS) >= VERDICT_CACHE_SIZE:
            _VERDICTS.clear()
        found = _VERDICTS[stripped] = rules.judge(stripped)
    return found


def clear_caches() -> None:
    """Forget cached line verdicts (benchmarks call this so every timed round starts cold)."""
    _VERDICTS.clear()


# Lines up to this many characters (menus, labels, footers: the ones pages and sites repeat) go
# through the verdict cache; longer ones are prose, seldom repeated, and are judged directly.
CACHED_LINE_CHARS: Final = 100


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with their line numbers and single-line verdicts."""
    out: list[Line] = []
    append = out.append
    verdict, judge = _verdict, rules.judge
    previous = 0
    for i, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if len(stripped) <= CACHED_LINE_CHARS:
            reason, prose, n, key = verdict(stripped)
        else:
            reason, prose, n, key = judge(stripped)
        append(Line(i, stripped, i - previous - 1, reason, prose, n, key))
        previous = i
    return out


def _words_of(lines: Iterable[Line]) -> set[str]:
    """Union of the lines' content words, tokenised in one pass over their joined text.

    Tokens never span a line break, so this equals the union of the lines' signatures, at a
    fraction of the cost of one tokenisation per line.
    """
    return rules.content_words("\n".join(line.text for line in lines))


def _list_items(lines: list[Line]) -> set[int]:
    """Lines of a list introduced by a line ending in a colon, within the same block."""
    items: set[int] = set()
    in_list = False
    for i, line in enumerate(lines):
        if line.gap > 0 or line.reason is not None:
            in_list = False
        elif in_list:
            items.add(i)
        if line.text.endswith(":") and line.n_words >= 2 and line.reason is None:
            in_list = True
    return items


def _score(line: Line, counts: dict[str, int], listed: bool, run: int) -> float:
    """Prose earns its words; short lines cost more the longer their run (menus, cards)."""
    if line.reason is not None:
        return -FURNITURE_COST
    if listed:
        return max(1.0, line.n_words / 2)
    if line.prose:
        return float(line.n_words)
    if counts.get(line.key, 0) > 1:
        return -FURNITURE_COST
    return -SHORT_LINE_COST * min(run, MAX_RUN_FACTOR)


def _counts(lines: list[Line]) -> dict[str, int]:
    """How often each normalised line occurs on the page (menus and labels repeat)."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.key] = counts.get(line.key, 0) + 1
    return counts


def find_core(
    lines: list[Line], listed: set[int] | None = None, counts: dict[str, int] | None = None
) -> tuple[int, int]:
    """Maximum-sum contiguous run of line scores: the article's core, as [start, end)."""
    counts = _counts(lines) if counts is None else counts
    listed = _list_items(lines) if listed is None else listed
    best, best_span = 0.0, (0, 0)
    run, run_start, short_run = 0.0, 0, 0
    for i, line in enumerate(lines):
        # _score, inlined: this loop runs once per line of every page
        is_listed = i in listed
        if line.prose or is_listed:
            short_run = 0
        else:
            short_run += 1
        if line.reason is not None:
            s = -FURNITURE_COST
        elif is_listed:
            s = max(1.0, line.n_words / 2)
        elif line.prose:
            s = float(line.n_words)
        elif counts.get(line.key, 0) > 1:
            s = -FURNITURE_COST
        else:
            s = -SHORT_LINE_COST * min(short_run, MAX_RUN_FACTOR)
        if run <= 0:
            run, run_start = 0.0, i
        run += s
        if run > best:
            best, best_span = run, (run_start, i + 1)
    return best_span


END_MARKERS: Final = frozenset({"comments widget"})
MIN_WORDS_BEFORE_END: Final = 40


def _bio_cut(lines: list[Line], start: int, end: int) -> int:
    """A biography, comment thread, tag or related list ends the article: no body after it."""
    seen = 0
    for i in range(start, end):
        line = lines[i]
        if seen >= MIN_WORDS_BEFORE_END and (
            line.reason in END_MARKERS or (line.prose and rules.bio_name(line.text) is not None)
        ):
            return i
        if line.prose:
            seen += line.n_words
    return end


def _trim_edges(lines: list[Line], start: int, end: int, listed: set[int]) -> tuple[int, int]:
    """Headings and labels at the edges of the core belong to the page, not the article."""
    while start < end and not lines[start].prose:
        start += 1
    while end > start and not (lines[end - 1].prose or end - 1 in listed):
        end -= 1
    return start, end


def _drop_teasers(lines: list[Line], start: int, end: int) -> tuple[int, list[int], set[str]]:
    """Trailing paragraphs about another subject (low overlap with the core) are teasers.

    Returns the new end, the dropped lines and the content words of the remaining core (the
    title and near-duplicate rules need them; the last overlap test already tokenised most of
    the core, so only the lines it left out are tokenised again).
    """
    teasers: list[int] = []
    # Only prose defines the article's subject: a teaser's own headline must not vouch for it.
    while end - start > 3:
        last = lines[end - 1]
        if not last.prose:
            break
        own = last.signature
        if not own:
            break
        core = _words_of(line for line in lines[start : end - 1] if line.prose)
        if len(own & core) / len(own) >= TEASER_OVERLAP:
            rest = (line for line in lines[start : end - 1] if not line.prose)
            return end, teasers, core | own | _words_of(rest)
        end -= 1
        teasers.append(end)
        while end > start and not lines[end - 1].prose:
            end -= 1
            teasers.append(end)
    return end, teasers, _words_of(lines[start:end])


# "More from X", "Latest from X": X is the publisher, and a heading reading X is its masthead.
_PUBLISHER_PREFIXES: Final = ("more from ", "latest from ", "more stories from ", "more news from ")


def _publisher_keys(lines: list[Line]) -> set[str]:
    """Normalised publisher names the page states in "More from X" style labels."""
    names: set[str] = set()
    for line in lines:
        if line.key.startswith(_PUBLISHER_PREFIXES) and line.n_words <= 8:
            for prefix in _PUBLISHER_PREFIXES:
                if line.key.startswith(prefix):
                    names.add(line.key[len(prefix) :])
                    break
    return names


# A headline right above a standfirst-shaped best heading wins when it shares at least this
# many content words with the article, and at least this share of its own.
HEADLINE_MIN_SHARED: Final = 3
HEADLINE_MIN_SHARE: Final = 0.5
HEADLINE_MIN_WORDS: Final = 4


def _pick_title(lines: list[Line], start: int, core_words: set[str]) -> int | None:
    """The pre-core heading that shares most words with the article (ties: the earliest).

    A heading that is the publisher's own name (a masthead) is never the title. A standfirst
    often shares even more words with the article than its headline does: when the best
    heading reads as a standfirst and sits right below a heading that also matches the article,
    that heading is the title.
    """
    best, best_i = 0.0, None
    publishers = _publisher_keys(lines)
    candidates: set[int] = set()
    for i in range(max(0, start - TITLE_WINDOW), start):
        line = lines[i]
        if line.reason or line.prose or rules.is_bullet(line.text) or line.key in publishers:
            continue
        if not 2 <= line.n_words <= TITLE_MAX_WORDS:
            continue
        candidates.add(i)
        own = line.signature
        score = len(own & core_words) / len(own) if own else 0.0
        if score > best:
            best, best_i = score, i
    above = best_i - 1 if best_i is not None else -1
    if above in candidates and _headline_above(lines[above], lines[above + 1], core_words):
        return above
    return best_i


def _headline_above(above: Line, below: Line, core_words: set[str]) -> bool:
    """``above`` is the headline and ``below`` its standfirst (not a date, URL or breadcrumb)."""
    if above.n_words < HEADLINE_MIN_WORDS or not _standfirst_shaped(below):
        return False
    if cleanup.is_stamp(above.text) or "://" in above.text or "www." in above.text:
        return False
    if below.key in above.key:  # "Home News Business <title>": a breadcrumb ending in the title
        return False
    own = above.signature
    shared = len(own & core_words)
    return shared >= HEADLINE_MIN_SHARED and shared >= HEADLINE_MIN_SHARE * len(own)


def _pre_core(lines: list[Line], start: int, result: TextResult, core_words: set[str]) -> None:
    """Classify everything before the core: title, standfirst, widgets, bullets, captions."""
    title_i = _pick_title(lines, start, core_words)
    if title_i is not None:
        result.title = lines[title_i].text
    in_summary = False
    title_key = rules.normalise(result.title) if result.title else None
    for i in range(start):
        line = lines[i]
        reason = line.reason
        if i == title_i:
            reason = "title (kept as metadata)"
        elif result.title and line.key == title_key:
            reason = "repeated headline"
        elif reason == "summary widget":
            in_summary = True
        elif line.text[0] in _BULLET_START and rules.is_bullet(line.text):
            reason = "summary widget" if in_summary else "bullet outside the article"
            if in_summary:
                result.summary.append(line.text.lstrip("•·▪●◦‣-–* ").strip())
        elif (
            reason is None
            and result.standfirst is None
            and title_i is not None
            and i > title_i
            and (line.prose or (i == title_i + 1 and _standfirst_shaped(line)))
        ):
            result.standfirst = line.text
            reason = "standfirst (kept as metadata)"
        elif line.prose and _looks_like_summary_feedback(line.text):
            reason = "feedback prompt"
        elif reason is None:
            reason = "before the article start"
        result.removed.append(RemovedLine(line.text, reason, line.number))


_BULLET_START: Final = frozenset("•·▪●◦‣-–*")


def _standfirst_shaped(line: Line) -> bool:
    """The line right below the title reads as a sub-headline, not a byline or date."""
    return cleanup.looks_like_standfirst(line.text) and not cleanup.is_stamp(line.text)


def _looks_like_summary_feedback(text: str) -> bool:
    return text.rstrip().endswith("?") and rules.word_count(text) <= 10


def _route(result: TextResult) -> None:
    """Hand the metadata-bearing furniture to the result, in line order, for ``metadata``."""
    for removed in result.removed:
        reason = removed.reason
        if reason == "read time":
            result.read_time_lines.append(removed.text)
        elif reason == "syndication notice":
            result.notices.append(removed.text)
        elif reason == "image caption":
            result.captions.append(removed.text)
    result.context = [removed.text for removed in result.removed]


def _author_box(lines: list[Line], i: int, result: TextResult) -> str | None:
    """Author biography, name or role lines right after the article, or ``None``."""
    line = lines[i]
    if line.prose:
        name = rules.bio_name(line.text)
        if name:
            result.bios.append(line.text)
            result.author = result.author or name
            return "author biography"
        return None
    if line.reason is not None or line.n_words > 5:
        return None
    if _name_like(line) and i + 1 < len(lines) and _role_like(lines[i + 1]):
        result.author = result.author or line.text
        return "author name"
    if result.author_role is None and i > 0 and _name_like(lines[i - 1]) and _role_like(line):
        result.author_role = line.text
        return "author role"
    return None


def _role_like(line: Line) -> bool:
    """``rules.is_role`` of the line, from the verdicts it already carries."""
    return line.n_words <= 5 and not line.prose and rules.names_role(line.text)


def _post_core(
    lines: list[Line],
    end: int,
    body: list[Line],
    result: TextResult,
    core_words: set[str],
    promos: set[int],
) -> None:
    """Everything after the core: author box, biography, near-duplicates, teasers, menus.

    The content checks (author box, near-duplicates) only look at the first AFTER_WINDOW lines
    after the article: that is where pages put them, and footers are long.
    """
    body_shingles: list[set[tuple[str, ...]]] = []
    for i in range(end, len(lines)):
        line = lines[i]
        reason = _author_box(lines, i, result) if i - end < AFTER_WINDOW else None
        reason = reason or line.reason
        # A near-duplicate shares most words with the article: test that cheaply first.
        similar = reason is None and line.prose and i - end < AFTER_WINDOW
        if similar and len(line.signature & core_words) >= len(line.signature) / 2:
            body_shingles = body_shingles or [rules.shingle_set(b.text) for b in body]
            if rules.near_duplicate(line.text, body_shingles):
                reason = "near-duplicate of body paragraph"
        if reason is None and i in promos:
            reason = "newsletter promo"
        if reason is None and i - end < CREDIT_TAIL_LINES and _credit_after_end(lines, end, i):
            reason = "wire credit line"
        if reason is None:
            reason = (
                "related-story teaser (after the article end)" if line.prose else ("after the article end")
            )
        result.removed.append(RemovedLine(line.text, reason, line.number))


def _credit_after_end(lines: list[Line], end: int, i: int) -> bool:
    """A wire credit after the article: a credit line, or an agency's name right at the end."""
    text = lines[i].text
    if lines[i].n_words <= cleanup.CREDIT_MAX_WORDS and cleanup.is_wire_credit(text):
        return True
    return i == end and cleanup.is_agency_credit(text)


def _name_like(line: Line) -> bool:
    """Two to four capitalised words: a person's name in an author box."""
    if not 2 <= line.n_words <= 4 or line.prose:
        return False
    return all(p[:1].isupper() for p in line.text.split())


def clean_text(text: str) -> TextResult:
    """Split plain text into body lines and audited furniture."""
    lines = split_lines(text)
    result = TextResult()
    listed = _list_items(lines)
    counts = _counts(lines)
    start, end = find_core(lines, listed, counts)
    end = _bio_cut(lines, start, end)
    start, end = _trim_edges(lines, start, end, listed)
    end, teasers, core_words = _drop_teasers(lines, start, end)
    _pre_core(lines, start, result, core_words)
    if start > 0:  # the page's first line, when it is not article text, is often the masthead
        result.masthead = lines[0].text
    title_key = rules.normalise(result.title) if result.title else None
    promos = _promo_lines(lines, start, len(lines))
    for i in range(start, end):
        line = lines[i]
        tail = i >= end - CREDIT_TAIL_LINES
        reason = "newsletter promo" if i in promos else _inner_reason(line, counts, title_key, tail)
        if reason is None:
            result.body.append(line)
        else:
            result.removed.append(RemovedLine(line.text, reason, line.number))
    _post_core(lines, end, result.body, result, core_words, promos)
    for idx in teasers:
        _relabel(result, lines[idx], "related-story teaser (low overlap with the article)")
    # removed is already in line order: before the core, inside it, after it, each in order
    _route(result)
    return result


# Wire credits close the article: a sentence-shaped one ("Reporting by X; editing by Y.") is
# looked for among this many last lines of the core (and first lines after it), a line of
# another shape anywhere in the core.
CREDIT_TAIL_LINES: Final = 3


def _inner_reason(
    line: Line, counts: dict[str, int], title_key: str | None, tail: bool = False
) -> str | None:
    """Lines inside the core that are still furniture (ads, captions, repeated labels, credits)."""
    if line.reason is not None:
        return line.reason
    if title_key and line.key == title_key:
        return "repeated headline"
    if not line.prose and counts.get(line.key, 0) > 1:
        return "repeated line"
    credit_shaped = tail or not line.prose
    if credit_shaped and line.n_words <= cleanup.CREDIT_MAX_WORDS and cleanup.is_wire_credit(line.text):
        return "wire credit line"
    return None


# A newsletter's "Name: tagline" sits this many lines from its "Sign up" prompt at most.
PROMO_DISTANCE: Final = 2
_PROMPTS: Final = frozenset({"newsletter prompt", "subscription prompt"})


def _promo_lines(lines: list[Line], start: int, end: int) -> set[int]:
    """Indexes of "Name: tagline" lines next to a sign-up prompt, from the core's start on."""
    found: set[int] = set()
    for i in range(start, end):
        if lines[i].reason not in _PROMPTS:
            continue
        for j in range(max(start, i - PROMO_DISTANCE), min(end, i + PROMO_DISTANCE + 1)):
            if lines[j].reason is None and cleanup.is_promo_tagline(lines[j].text):
                found.add(j)
    return found


def _relabel(result: TextResult, line: Line, reason: str) -> None:
    for i, r in enumerate(result.removed):
        if r.line == line.number and r.reason.startswith(("after the article", "related-story")):
            result.removed[i] = RemovedLine(r.text, reason, r.line)
