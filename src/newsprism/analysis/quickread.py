"""The extractive Quick Read: 3-5 grounded, cited bullets drawn from the story's facts.

Selection, in passes, while there is room (``max_bullets``; fillers only until ``min_bullets``
and ``target_words``): one bullet per consensus fact (more independent voices first, then
centrality in the story); then, for a consensus fact, a second outlet's wording if it adds enough
new content to pass the redundancy test (outlets that agree on an event usually each add a
detail: the count, the date, the reaction); then exclusive facts; last, up to ``max_bullets``,
short bullets (within ``SOFT_WORDS``) of any fact. Each bullet is written from
a central clause of the fact, compressed by deletion (``compress.py``), skipping clauses that
would dangle out of context ("His statement followed ...", "during which ..."), and checked with
``grounding.check_bullet`` before it is kept. Bullets are then put in reader order: what
happened (the consensus bullet closest to the headlines leads), who said what, then context.

Weights were measured on the AllSides roundups (``benchmarks/analysis_eval.py``), not on the
seed pages: lead-position biases did not help there, centrality did.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial

from newsprism.analysis.compress import Wording, compressions, finish, light, word_count
from newsprism.analysis.counts import frames, noun_class
from newsprism.analysis.facts import FactGroup
from newsprism.analysis.grounding import check_bullet, support_problem
from newsprism.analysis.meaning import keeps_meaning
from newsprism.analysis.paraphrase import concepts
from newsprism.analysis.quantities import figures_agree, quantities, supports_quantity, unsupported_numbers
from newsprism.analysis.units import Unit
from newsprism.annotate.numbers import find_numbers
from newsprism.annotate.quotes import VERBS
from newsprism.model import Bullet, Citation, DateNote, Disagreement, Fact, NumberMention, Sentence

_SUBJECT = re.compile(r"^(?:[A-Z\"“]|(?:the|a|an|its|his|her|their|both|many|some|several)\s)")
_DANGLING = re.compile(
    r"^(?:[\"“]?\s*)?(?:His|Her|Their|Its|This|That|These|Those|It|He|She|They|Such|The move"
    r"|The statement|The decision|during which|in which|which|who|as|something|parts of"
    r"|including|while|whereas)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“][^\"“”]{12,}[\"”]")
_ANY_QUOTE = re.compile(r"“[^“”]*”|\"[^\"]*\"")
_TEASER_END = re.compile(r"(?:\.\.\.|…)\W*$")  # a cut-off teaser line is no bullet
_ATTRIBUTION = re.compile(rf"\b(?:{VERBS})\b|:\s*$")


def attributed(text: str) -> bool:
    """Whether a bullet quoting someone says who: a subject before the quotation ("The union
    called it “...”"), or an attribution verb ("said", "told") or an introducing colon outside
    the quotation marks. A quote without its speaker is not news."""
    first = _QUOTE.search(text)
    if first is None or re.search(r"\w", text[: first.start()]):
        return True
    outside = [part for part in _ANY_QUOTE.split(text) if part.strip(" .,;–—-")]
    return any(_ATTRIBUTION.search(part.strip()) for part in outside)


FACT_LEAD_BIAS = 0.0  # measured on AllSides: centrality alone ranks facts best
EXCLUSIVE_LEAD_BIAS = 0.0
SECOND_VOICE = True
VOICE_BONUS = -1.0  # < 0: consensus strictly first; else added per extra voice
CLAUSE_LEAD_BIAS = 0.3
LENGTH_WEIGHT = 0.2  # prefer the fuller of two equally central wordings
KEPT_POWER = 1.0  # centrality scaled by the share of concepts compression kept
FRAME_SHARE = 0.7  # two bullets with one count frame: redundant from this share of the limit
OUTVOTED_PENALTY = 1.0  # a count most other outlets contradict is not the bullet's figure
SUPPORT_TRIES = 3  # another voice's clauses tried as support, closest first
FIGURE_SHARE = 0.2  # two bullets naming one clock time (one moment): redundant from this share
_FIGURE = re.compile(
    r"\b\d{1,2}[.:]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b", re.IGNORECASE
)  # clock times
SOFT_WORDS = 20  # cut a bullet to this where meaning-keeping cuts allow, else to max_words
# clauses of one fact scored with the parse's wordings: a fact of a 50-outlet story has hundreds
# of long clauses whose estimates come close, and each parse costs ~5 ms CPU; the estimate's
# best few are parsed (AllSides facts never reach the cap, their bullets are unchanged)
MAX_PARSES_PER_FACT = 4
SHORT_BONUS = 0.4  # added to a clause's score when its wording is within SOFT_WORDS (even half)


@dataclass(frozen=True)
class QuickReadSettings:
    min_bullets: int = 3
    max_bullets: int = 5
    max_words: int = 40
    redundancy: float = 0.7
    target_words: int = 100  # keep adding (up to max_bullets) until this much to read


@dataclass
class Draft:
    """A candidate bullet with what it needs for ordering and citing."""

    bullet: Bullet
    quote: bool
    exclusive: bool
    position: float


@lru_cache(maxsize=65536)
def _counts(text: str) -> tuple[NumberMention, ...]:
    """Counts of things in a text ("900 residents"), not dates, percentages or money."""
    return tuple(m for m in find_numbers(Sentence("", 0, 0, text)) if noun_class(m))


def _voice_counts(group: FactGroup) -> dict[str, dict[str, list[NumberMention]]]:
    """Voice -> counted thing -> the counts its clauses of the fact give."""
    found: dict[str, dict[str, list[NumberMention]]] = {}
    for unit in group.units:
        mine = found.setdefault(unit.voice, {})
        for mention in _counts(unit.text):
            mine.setdefault(noun_class(mention) or "", []).append(mention)
    return found


def _outvoted(text: str, unit: Unit, by_voice: dict[str, dict[str, list[NumberMention]]]) -> bool:
    """The clause gives a count that most other voices of the fact contradict: the bullet
    should carry the consensus figure (the disagreement is shown as a discrepancy)."""
    mine = [(noun_class(m) or "", m) for m in _counts(text)]
    if not mine:
        return False
    against = agree = 0
    for voice, theirs in by_voice.items():
        if voice == unit.voice:
            continue
        same = [(a, b) for noun, a in mine for b in theirs.get(noun, ())]
        if same:
            ok = any(figures_agree(a, b) for a, b in same)
            agree += ok
            against += not ok
    return against > agree


def _with_speaker(text: str, unit: Unit, group: FactGroup, budget: int) -> str | None:
    """A quote bullet that lost its speaker gets "Name said: ..." back, the name taken from
    the article's sentence that names the speaker (cited with the bullet); else no bullet."""
    found = group.speakers.get((unit.article_id, unit.sentence.index))
    if found is None or not text.lstrip().startswith(('"', "“")):
        return None
    rebuilt = f"{found[0]} said: {text.strip()}"
    return rebuilt if word_count(rebuilt) <= budget else None


def _overlap(unit: Unit, theirs: set[str]) -> float:
    mine = set(concepts(unit.text))
    return len(mine & theirs) / (len(mine) ** 0.5 or 1.0)


def _clause_text(unit: Unit) -> str | None:
    """The sentence for a first clause; a later clause only if it has its own subject."""
    if unit.start == 0:
        return unit.sentence.text
    rest = re.sub(r"^(?:and|but|while|so|yet)\s+", "", unit.text.strip())
    return finish(rest) if _SUBJECT.match(rest) else None


def _candidates(group: FactGroup, budget: int) -> Iterator[tuple[float, str, Unit]]:
    """(score, compressed text, unit) for every usable clause of the fact, best first.

    Lazily: compressing a clause (each cut re-checked for meaning) is the costly step, and a
    fact of a 50-outlet story has hundreds of clauses of which the caller wants one or two.
    Every score is at most the clause's bound (centrality, overlap, lead and length terms at
    their best, no penalties), so clauses are compressed in order of bound, and a scored one
    is yielded once no clause left can beat it: the same order as scoring them all. A clause
    is first scored without the wordings that need a parse (``compress.pruned``); those are
    added when the clause comes first on an estimate of what they can reach."""
    counted = _voice_counts(group)
    by_voice: dict[str, set[str]] = {}
    for unit in group.units:
        by_voice.setdefault(unit.voice, set()).update(concepts(unit.text))
    everything = set().union(*by_voice.values()) if by_voice else set()
    pending: list[tuple[float, int, Unit, float]] = []
    for n, unit in enumerate(group.units):
        others = set().union(*(c for v, c in by_voice.items() if v != unit.voice)) or everything
        context = 0.1 * _overlap(unit, others) - CLAUSE_LEAD_BIAS * unit.position
        bound = group.centrality(unit) + context + max(LENGTH_WEIGHT, 0.0) * min(budget, 30) / 30
        bound += SHORT_BONUS
        pending.append((bound, n, unit, context))
    pending.sort(key=lambda item: (-item[0], item[1]))
    ready: list[_Entry] = []  # a heap, best first
    parses = [MAX_PARSES_PER_FACT]  # left for this fact (a list: _drain spends them)
    for bound, n, unit, context in pending:
        yield from _drain(ready, bound, parses)
        options = _score(unit, group, budget, context, counted, prune=False)
        text = _clause_text(unit)
        if text is not None and word_count(text) > SOFT_WORDS and (options or _usable(text, unit)):
            # the parse's asides may give a wording within SOFT_WORDS, keeping about that share
            # of the clause's concepts (an estimate: the full bound parsed 40% more sentences for
            # the same bullets on the even half); the parse (~7 ms) runs only if it can win
            share = min(1.0, SOFT_WORDS / word_count(text))
            best = group.centrality(unit) * share + context + LENGTH_WEIGHT * min(SOFT_WORDS, 30) / 30
            best += SHORT_BONUS
            key = max(best, options[0][0]) if options else best
            full = partial(_score, unit, group, budget, context, counted, prune=True)
            heapq.heappush(ready, (-key, unit.article_id, unit.sentence.index, n, options, unit, full))
        elif options:
            entry = (-options[0][0], unit.article_id, unit.sentence.index, n, options, unit, None)
            heapq.heappush(ready, entry)
    yield from _drain(ready, -math.inf, parses)


_Options = list[tuple[float, Wording]]
_Entry = tuple[float, str, int, int, _Options, Unit, Callable[[], _Options] | None]


def _drain(ready: list[_Entry], bound: float, parses: list[int]) -> Iterator[tuple[float, str, Unit]]:
    """Yield the heap's best while it beats ``bound``. A clause whose pruned wordings were left
    out is scored in full when it comes first, while the fact has parses left (``parses``),
    and a wording made by pattern cuts is parsed only here, when it is next in line: if the cut
    left no sentence, the clause's next wording takes its place in the heap."""
    while ready and -ready[0][0] > bound:
        _, aid, index, n, options, unit, full = heapq.heappop(ready)
        if full is not None and parses[0] <= 0:
            if options:  # out of parses: the pattern wordings it has
                heapq.heappush(ready, (-options[0][0], aid, index, n, options, unit, None))
            continue
        if full is not None:
            parses[0] -= 1
            options = full()
            if options:
                heapq.heappush(ready, (-options[0][0], aid, index, n, options, unit, None))
            continue
        score, wording = options[0]
        if wording.grammatical():
            yield score, wording.text, unit
        elif len(options) > 1:
            heapq.heappush(ready, (-options[1][0], aid, index, n, options[1:], unit, None))


def _score(
    unit: Unit,
    group: FactGroup,
    budget: int,
    context: float,
    counted: dict[str, dict[str, list[NumberMention]]],
    prune: bool = True,
) -> list[tuple[float, Wording]]:
    """The clause's bullet wordings (compressed, attributed) with their scores, best first;
    [] if the clause is unusable. ``prune=False`` leaves out the wordings that need a parse.

    Every meaning-keeping wording is weighed: the concepts it keeps and its length, and
    ``SHORT_BONUS`` if it is within ``SOFT_WORDS`` (a Quick Read bullet is read at a glance)."""
    text = _clause_text(unit)
    if text is None or not _usable(text, unit):
        return []
    scored: list[tuple[float, Wording]] = []
    for short in _wordings(text, unit, group, budget, prune):
        kept = min(len(concepts(short.text)) / max(len(concepts(text)), 1), 1.0)
        words = word_count(short.text)
        score = (
            group.centrality(unit) * kept**KEPT_POWER
            + context
            - 0.2 * bool(_QUOTE.search(short.text))
            + LENGTH_WEIGHT * min(words, 30) / 30
            + SHORT_BONUS * (words <= SOFT_WORDS)
            - OUTVOTED_PENALTY * _outvoted(short.text, unit, counted)
        )
        scored.append((score, short))
    # a wording within SOFT_WORDS first, else the best; stable: the longer of two equal ones first
    scored.sort(key=lambda item: (word_count(item[1].text) > SOFT_WORDS, -item[0]))
    return scored


def _usable(text: str, unit: Unit) -> bool:
    """Whether a clause can be a bullet at all: not dangling out of context, not a teaser."""
    return not (_DANGLING.match(light(text)) or _TEASER_END.search(unit.sentence.text))


def _wordings(text: str, unit: Unit, group: FactGroup, budget: int, prune: bool = True) -> Iterator[Wording]:
    """The clause's usable bullet wordings: its compressions that keep the sentence's meaning,
    with the quoted speaker restored where a cut lost it."""
    source = text
    found = compressions(source, budget, SOFT_WORDS, prune=prune)
    if not found and unit.start == 0 and unit.end < len(unit.sentence.text):
        source = finish(unit.text)
        found = compressions(source, budget, SOFT_WORDS, prune=prune)
    for short in found:
        if source != unit.sentence.text and not keeps_meaning(unit.sentence.text, short.text):
            continue  # a clause cut from its sentence must not drop what qualifies it
        usable = short.text if attributed(short.text) else _with_speaker(short.text, unit, group, budget)
        if usable is not None and not _DANGLING.match(usable):
            yield Wording(usable, short.cuts)


def _outlet(group: FactGroup, article_id: str) -> str:
    return group.outlet_of.get(article_id, article_id)


def _support(text: str, unit: Unit, group: FactGroup) -> tuple[list[Citation], list[Disagreement]]:
    """The source sentence, plus for every other voice of the fact its sentence that states
    the bullet's claim (same figures, polarity, speaker, most concepts). A voice with no such
    sentence is not cited; if its closest sentence gives other figures, another polarity or
    another speaker, it is listed as disagreeing."""
    cites = [Citation(unit.article_id, unit.sentence.text)]
    against: list[Disagreement] = []
    bullet = set(concepts(text))
    for voice in dict.fromkeys(u.voice for u in group.units):
        if voice == unit.voice:
            continue
        ranked = sorted(
            (u for u in group.units if u.voice == voice),
            key=lambda u: (-len(bullet & set(concepts(u.text))), u.sentence.index),
        )[:SUPPORT_TRIES]
        problems: list[tuple[str | None, Unit]] = []
        for u in ranked:  # the closest clauses only: a sentence sharing few concepts cannot support
            problems.append((support_problem(text, u.sentence.text), u))
            if problems[-1][0] is None:
                break
        good = problems[-1][1] if problems[-1][0] is None else None
        if good is not None:
            cite = Citation(good.article_id, good.sentence.text)
            if cite not in cites:
                cites.append(cite)
            continue
        reason, closest = problems[0]
        says = _other_figures(text, closest.sentence.text)
        if reason in {"negation", "attribution"} or (reason == "number" and says):
            against.append(
                Disagreement(
                    _outlet(group, closest.article_id),
                    closest.article_id,
                    closest.sentence.text,
                    reason or "",
                    says,
                )
            )
    return cites, against


def _other_figures(text: str, sentence: str) -> list[str]:
    """The sentence's counts of what the bullet counts that differ from the bullet's figures."""
    mine = [m for m in quantities(text) if m.unit != "date"]
    kinds = {noun_class(m) or m.unit for m in mine}
    return [
        m.text
        for m in quantities(sentence)
        if m.unit != "date"
        and (noun_class(m) or m.unit) in kinds
        and not any(supports_quantity(b, m) for b in mine)
    ]


_RELATIVE_DATE = re.compile(
    r"^(?:(?:last|this|next)\s+)?(?:week|month|year|yesterday|today|tomorrow|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday)$",
    re.IGNORECASE,
)


def _date_notes(text: str, unit: Unit, group: FactGroup) -> list[DateNote]:
    """Relative dates of the bullet resolved against its source's publication date."""
    found = group.dates.get((unit.article_id, unit.sentence.index), [])
    return [
        DateNote(m.text, str(m.value))
        for m in found
        if _RELATIVE_DATE.match(m.text.strip()) and re.search(rf"\b{re.escape(m.text)}\b", text)
    ]


def drafts_for(
    fact: Fact, group: FactGroup, settings: QuickReadSettings, limit: int | None = None
) -> list[Draft]:
    """Grounded bullets for one fact, best first, at most one per voice (and at most ``limit``).
    A bullet is tagged only with the outlets whose cited sentences support it."""
    out: list[Draft] = []
    seen: set[str] = set()
    mean = sum(u.position for u in group.units) / len(group.units)
    for _, text, unit in _candidates(group, settings.max_words):
        if limit is not None and len(out) >= limit:
            break
        if unit.voice in seen:
            continue
        cites, against = _support(text, unit, group)
        named = group.speakers.get((unit.article_id, unit.sentence.index))
        source = Citation(unit.article_id, named[1]) if named else None
        if named and source and text.startswith(named[0] + " said: ") and source not in cites:
            if unsupported_numbers(text, source.sentence):
                continue
            cites.insert(1, source)
        if check_bullet(text, cites):
            continue
        seen.add(unit.voice)
        outlets = list(dict.fromkeys(_outlet(group, c.article_id) for c in cites))
        bullet = Bullet(text, cites, [fact.id], outlets, against, _date_notes(text, unit, group))
        out.append(Draft(bullet, bool(_QUOTE.search(text)), fact.kind == "exclusive", mean))
    return out


def draft_for(fact: Fact, group: FactGroup, settings: QuickReadSettings) -> Draft | None:
    """The best grounded bullet for one fact, or None if no clause compresses well."""
    drafts = drafts_for(fact, group, settings, limit=1)
    return drafts[0] if drafts else None


def _redundant(text: str, chosen: list[Draft], limit: float) -> bool:
    """Most concepts already said, or the same count of the same thing under the same event
    ("1,200 people were evacuated" / "900 residents were moved out of their homes")."""
    mine = set(concepts(text))
    my_frames = frames(text, _counts(text))
    my_figures = set(_FIGURE.findall(text))
    for draft in chosen:
        theirs = set(concepts(draft.bullet.text))
        share = len(mine & theirs) / min(len(mine), len(theirs) or 1) if mine else 0.0
        if share >= limit:
            return True
        # one moment told twice ("collapsed at around 2.40am" / "gave way at about 2.40am")
        if share >= FIGURE_SHARE and my_figures & set(_FIGURE.findall(draft.bullet.text)):
            return True
        # the same count frame is only the same claim when the rest mostly agrees too: "10
        # people were killed in Orrin" and "4 people were killed in Velstad" are two claims
        if share >= FRAME_SHARE * limit and my_frames & frames(draft.bullet.text, _counts(draft.bullet.text)):
            return True
    return False


def _by_weight(facts: list[Fact], groups: dict[str, FactGroup]) -> list[Fact]:
    """Consensus by number of outlets then centrality; exclusive by centrality and lead."""

    def key(fact: Fact) -> tuple[int, int, float]:
        group = groups[fact.id]
        mean = sum(u.position for u in group.units) / len(group.units)
        bias = EXCLUSIVE_LEAD_BIAS if fact.kind == "exclusive" else FACT_LEAD_BIAS
        weight = group.peak - bias * mean
        if VOICE_BONUS >= 0:
            return (0, 0, -round(weight + VOICE_BONUS * (len(group.voices) - 1), 6))
        return (fact.kind == "exclusive", -len(group.voices), -round(weight, 6))

    return sorted(facts, key=key)


def select_drafts(
    facts: list[Fact],
    groups: dict[str, FactGroup],
    settings: QuickReadSettings,
    titles: list[str] | None = None,
) -> list[Draft]:
    """Pick bullets: consensus facts first, exclusive ones only up to the minimum count and
    reading length (a one-outlet claim is weaker evidence, so it only fills)."""
    chosen: list[Draft] = []
    ranked = _by_weight(facts, groups)
    depths = 2 if SECOND_VOICE else 1
    options: dict[str, list[Draft]] = {}  # filled lazily: big stories have many facts

    def drafts(fact: Fact) -> list[Draft]:
        if fact.id not in options:
            limit = depths if fact.kind == "consensus" else 1
            options[fact.id] = drafts_for(fact, groups[fact.id], settings, limit=limit)
        return options[fact.id]

    # one bullet per consensus fact; then, while short of the reading length, another outlet's
    # wording of the same fact if it adds enough (the redundancy test); then exclusive facts
    for depth in range(depths):
        for fact in ranked:
            if fact.kind == "consensus" and _room(chosen, settings, depth > 0) and depth < len(drafts(fact)):
                _add(drafts(fact)[depth], chosen, settings)
    for fact in ranked:
        if fact.kind == "exclusive" and _room(chosen, settings, True) and drafts(fact):
            _add(drafts(fact)[0], chosen, settings)
    # last, up to the maximum count, short bullets only: a detail read at a glance is worth its
    # place even past the reading length (measured on the even AllSides half)
    for fact in ranked:
        if len(chosen) >= settings.max_bullets:
            break
        short = next((d for d in drafts(fact) if word_count(d.bullet.text) <= SOFT_WORDS), None)
        if short is not None and all(d.bullet.text != short.bullet.text for d in chosen):
            _add(short, chosen, settings)
    return reader_order(chosen, titles)


def _room(chosen: list[Draft], settings: QuickReadSettings, filling: bool) -> bool:
    """Space left: always up to the maximum, and for fillers only below the minimum count or
    the target reading length."""
    if len(chosen) >= settings.max_bullets:
        return False
    if not filling:
        return True
    words_so_far = sum(word_count(d.bullet.text) for d in chosen)
    return len(chosen) < settings.min_bullets or words_so_far < settings.target_words


def _add(draft: Draft, chosen: list[Draft], settings: QuickReadSettings) -> None:
    if not _redundant(draft.bullet.text, chosen, settings.redundancy):
        chosen.append(draft)


def reader_order(drafts: list[Draft], titles: list[str] | None = None) -> list[Draft]:
    """What happened, then who said what, then context; stable within each. The consensus
    bullet closest to the headlines leads: a headline is the outlet's own "what happened"."""
    ordered = sorted(drafts, key=lambda d: (d.exclusive, d.quote, round(d.position, 6)))
    heads = {c for t in titles or [] for c in concepts(t)}
    if heads and ordered and not ordered[0].exclusive:
        pool = [d for d in ordered if not d.exclusive and not d.quote] or ordered[:1]
        lead = max(pool, key=lambda d: len(heads & set(concepts(d.bullet.text))))
        ordered.remove(lead)
        ordered.insert(0, lead)
    return ordered


def extractive_bullets(
    facts: list[Fact],
    groups: dict[str, FactGroup],
    settings: QuickReadSettings | None = None,
    titles: list[str] | None = None,
) -> list[Bullet]:
    """The default, offline Quick Read bullets."""
    settings = settings or QuickReadSettings()
    drafts = select_drafts(facts, groups, settings, titles)
    return [d.bullet for d in drafts if word_count(d.bullet.text) <= settings.max_words]
