"""How each outlet frames the same things: distinctive wording inside shared facts.

Framing is word choice for the same referent ("all-out war" vs "conflict"), so only sentences of
consensus facts are compared: there every outlet describes the same thing. For each outlet the
score of a word is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
Quinn 2008, "Fightin' Words"), outlet vs the other outlets of the story, prior = the whole
story's word counts scaled to ``alpha0``; z = delta / sqrt(variance). Words above ``min_z`` are
shown as phrases: adjacent distinctive words join (bridging up to two function words, "amount
to a surrender") and a distinctive modifier takes the head noun the others share ("hardline
demands" vs "maximalist demands"). A term is ``loaded`` when annotation flagged one of its
words (or a flagged phrase lies inside it) in the very sentence the term comes from
(``AnnotatedArticle.loaded``, found by ``annotate.loaded`` in context); loaded terms rank one
point higher, so an outlet's evaluative wording ("crooked", "slammed") comes before its topic
words. Reading annotation's verdict, rather than rating each phrase again out of context, keeps
the story page consistent with ``newsprism annotate`` and costs nothing per phrase.

Framing is the outlet's wording, not its sources': text inside direct quotes (the speaker's
words, which every outlet may render differently in translation) is left out of the counts, the
prior and the phrases. Lists keep the ``limit`` best terms (15 by default), so they stay readable.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache

from newsprism.analysis.facts import FactGroup
from newsprism.analysis.paraphrase import concepts
from newsprism.annotate.entities import CALENDAR
from newsprism.annotate.language import is_stopword, stem, words
from newsprism.annotate.numbers import WORD_NUMBERS
from newsprism.caching import weighted_cache
from newsprism.model import AnnotatedArticle, FramingTerm

Token = tuple[str, str]  # (surface, stem); stem "" for a function word


# Framing is evaluative word choice: a loaded term (annotate.loaded) outranks a topic word
# that one outlet merely happens to use more.
LOADED_BONUS = 1.0


_QUOTED = re.compile(r"“[^“”]*”?|\"[^\"]*\"?|^[^“”]*”")


def outlet_words(text: str, quoted: list[str] | tuple[str, ...] = ()) -> str:
    """The text without its direct quotes: each quoted span (also one a clause cut open, and
    the annotated quote texts of the sentence) becomes a sentence break."""
    for quote in quoted:
        if quote and len(quote) > 3:
            text = text.replace(quote, " . ")
    return _QUOTED.sub(" . ", text)


_CHUNK = re.compile(r"[,;:.!?\"“”()\[\]—–]|\s--\s")
_SKIP = CALENDAR | frozenset(WORD_NUMBERS)


@lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[str, str]:
    """(case-folded word without 's, its key): the stem of a content word, "" for a stopword,
    "#" for a word never counted (calendar words, number words, digits). Per word, so a story's
    vocabulary is classified once, not once per sentence it appears in."""
    low = word.casefold().removesuffix("'s").removesuffix("’s")
    if is_stopword(word):
        return low, ""
    if low in _SKIP or any(ch.isdigit() for ch in word):
        return low, "#"
    return low, stem(word)


# by words, not sentences: an entry weighs ~2 KB (tracemalloc in a backfill, #15), so the old
# bound of 65536 sentences let a long run hold ~130 MB; 300k words (~12k sentences) ~25 MB
@weighted_cache(max_weight=300_000, weight=len)
def _tokens(text: str, names: frozenset[str]) -> tuple[Token, ...]:
    out: list[Token] = []
    for word in words(text):
        low, key = _word_key(word)
        if key not in ("", "#") and word[:1].isupper() and low in names:
            key = "#"  # a name says who, not how
        out.append((word, key))
    return tuple(out)


def log_odds(
    focus: Counter[str],
    rest: Counter[str],
    prior: Counter[str],
    alpha0: float = 10.0,
    rest_size: int | None = None,
) -> dict[str, float]:
    """z-scores of the log-odds ratio with informative Dirichlet prior (Monroe et al. 2008).
    Only ``focus``'s words are scored, so ``rest`` need count only those when ``rest_size``
    gives its total (framing: a Counter of the whole story's vocabulary for every outlet grew
    with the square of the story's size)."""
    n_prior = sum(prior.values()) or 1
    n_i = sum(focus.values())
    n_j = sum(rest.values()) if rest_size is None else rest_size
    scores: dict[str, float] = {}
    for word in focus:
        alpha = alpha0 * prior[word] / n_prior
        y_i, y_j = focus[word], rest[word]
        delta = math.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - math.log(
            (y_j + alpha) / (n_j + alpha0 - y_j - alpha)
        )
        scores[word] = delta / math.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
    return scores


_NO_BRIDGE = frozenset({"and", "or", "but", "nor", "that", "which", "who", "while"})


def _compound(word: str) -> bool:
    parts = word.split("-")
    return len(parts) == 2 and all(p.isalpha() for p in parts)


def _phrases(tokens: tuple[Token, ...], hot: set[str], shared: AbstractSet[str]) -> list[list[str]]:
    """Distinctive words, each alone and as a phrase: a modifier with the head noun the other
    outlets share ("hardline demands"), a compound with its noun ("all-out war"), or two
    distinctive words bridged by up to two function words ("amount to a surrender")."""
    found: list[list[str]] = []
    for i, (surface, key) in enumerate(tokens):
        if key not in hot:
            continue
        found.append([surface])
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if nxt[1] and nxt[1] != "#" and (nxt[1] in shared or (_compound(surface) and nxt[1] in hot)):
            found.append([surface, nxt[0]])
        for gap in (1, 2):
            j = i + gap + 1
            bridge = tokens[i + 1 : j]
            if (
                j < len(tokens)
                and all(b[1] == "" and b[0].casefold() not in _NO_BRIDGE for b in bridge)
                and tokens[j][1] in hot
            ):
                found.append([surface, *(b[0] for b in bridge), tokens[j][0]])
                break
    return found


def framing(
    articles: list[AnnotatedArticle],
    consensus: list[FactGroup],
    *,
    min_z: float = 0.5,
    limit: int = 15,
) -> dict[str, list[FramingTerm]]:
    """Outlet -> its distinctive terms for the shared facts, strongest first."""
    outlet_of = {a.article.id: a.article.outlet or a.article.source for a in articles}
    names = frozenset(w.casefold() for a in articles for e in a.entities for w in words(e.text))
    quoted: dict[tuple[str, int], list[str]] = {}
    for annotated in articles:
        for quote in annotated.quotes:
            quoted.setdefault((annotated.article.id, quote.sentence_index), []).append(quote.text)
    prior: Counter[str] = Counter()
    for annotated in articles:
        for sentence in annotated.sentences:
            own = outlet_words(sentence.text, quoted.get((annotated.article.id, sentence.index), []))
            prior.update(s for _, s in _tokens(own, names) if len(s) > 1)
    flagged = _flagged(articles)
    texts: dict[str, list[str]] = {}
    marks: dict[str, list[Flags]] = {}
    for group in consensus:
        for unit in group.units:
            where = (unit.article_id, unit.sentence.index)
            own = outlet_words(unit.text, quoted.get(where, []))
            texts.setdefault(outlet_of[unit.article_id], []).append(own)
            marks.setdefault(outlet_of[unit.article_id], []).append(flagged.get(where, frozenset()))
    counts = {
        o: Counter(s for t in ts for _, s in _tokens(t, names) if len(s) > 1) for o, ts in texts.items()
    }
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    for word, n in total.items():  # a clause cut inside a quote keeps words its sentence lost
        prior[word] = max(prior[word], n)
    meanings = {o: {c for t in ts for c in concepts(t) if c.startswith("~")} for o, ts in texts.items()}
    spread: Counter[str] = Counter(c for m in meanings.values() for c in m)
    users = Counter(w for c in counts.values() for w in c)  # how many outlets use each word
    grand_total = sum(total.values())
    result: dict[str, list[FramingTerm]] = {}
    for outlet in sorted(counts):
        mine = counts[outlet]
        rest_size = grand_total - sum(mine.values())
        if not rest_size:
            continue
        rest = Counter({w: total[w] - n for w, n in mine.items()})  # the others' uses of its words
        scores = log_odds(mine, rest, prior, rest_size=rest_size)
        shared = total.keys() - {w for w in mine if users[w] == 1}  # some other outlet uses them
        context = Contrast(
            names,
            {w for w, z in scores.items() if z >= min_z},
            shared,
            {c for c, n in spread.items() if n > (c in meanings[outlet])},
            scores,
            _own_shared(texts[outlet], shared),
        )
        result[outlet] = _terms(texts[outlet], marks[outlet], context, limit)
    return result


def _own_shared(texts: list[str], rest: AbstractSet[str]) -> dict[str, set[str]]:
    """Paraphrase concept -> the outlet's words for it that the other outlets use too."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for word in words(text):
            key = stem(word)
            if key in rest:
                for c in concepts(word):
                    if c.startswith("~"):
                        found.setdefault(c, set()).add(key)
    return found


@dataclass(frozen=True)
class Contrast:
    """One outlet against the rest: what is distinctive, what is shared, what it means."""

    names: frozenset[str]
    hot: set[str]
    shared: AbstractSet[str]
    rest_concepts: set[str]
    scores: dict[str, float]
    own_shared: dict[str, set[str]] = field(default_factory=dict)

    def variation(self, run: list[str]) -> bool:
        """The outlet elsewhere says this thing in the others' words too ("negotiations" and
        "talks"): alternating synonyms is style, not a framing choice."""
        hot = [w for w in run if stem(w) in self.hot]
        for word in hot:
            meant = [c for c in concepts(word) if c.startswith("~")]
            if any(stem(word) not in self.own_shared.get(c, {stem(word)}) for c in meant):
                return True
        return False

    def modifies(self, run: list[str]) -> bool:
        """A distinctive modifier of a head noun ("maximalist demands", "all-out war"): the
        clearest shape of a framing choice."""
        stems = [stem(w) for w in run]
        return len(run) == 2 and stems[0] in self.hot and (stems[1] in self.shared or _compound(run[0]))

    def substitution(self, run: list[str]) -> bool:
        """Same thing, other words: a paraphrase of the others' wording ("conflict" for
        "war") or a different modifier of a head the others use ("hardline demands")."""
        stems = [stem(w) for w in run]
        if len(run) == 2 and stems[0] in self.hot and stems[1] in self.shared:
            return True
        meant = {c for c in concepts(" ".join(run)) if c.startswith("~")}
        return bool(meant & self.rest_concepts) and not all(s in self.shared for s in stems)


Flags = frozenset[tuple[str, ...]]  # the loaded words and phrases of one sentence, case-folded


def _flagged(articles: list[AnnotatedArticle]) -> dict[tuple[str, int], Flags]:
    """(article id, sentence index) -> what annotation flagged loaded in that sentence."""
    found: dict[tuple[str, int], set[tuple[str, ...]]] = {}
    for annotated in articles:
        for word in annotated.loaded:
            key = tuple(w.casefold() for w in words(word.text))
            if key:
                found.setdefault((annotated.article.id, word.sentence_index), set()).add(key)
    return {where: frozenset(keys) for where, keys in found.items()}


def _holds(run: list[str], flags: Flags) -> bool:
    """Whether a flagged word or phrase lies inside the run, word for word."""
    if not flags:
        return False
    low = tuple(w.casefold() for w in run)
    return any(low[i : i + len(key)] == key for key in flags for i in range(len(low) - len(key) + 1))


def _score(run: list[str], ctx: Contrast) -> float:
    """A run's score before the loaded bonus: its strongest word's z and the shape evidence."""
    score = max(ctx.scores.get(stem(w), 0.0) for w in run)
    score += 1.0 if ctx.substitution(run) else 0.0
    score += 0.5 if ctx.modifies(run) else 0.0
    score -= 0.5 if ctx.variation(run) else 0.0
    return score


def _terms(texts: list[str], marks: list[Flags], ctx: Contrast, limit: int) -> list[FramingTerm]:
    """Scored phrases: the log-odds z, plus one for substitution evidence and a half for a
    distinctive modifier of a head noun, less a half where the outlet alternates the
    word with the others' own (style, not framing); ties go to earlier use (leads carry the
    framing a reader meets first). The same words score the same wherever they stand, except
    that a use annotation flagged loaded (in its sentence) makes the term loaded."""
    best: dict[str, FramingTerm] = {}
    first: dict[str, int] = {}
    for text, flags in zip(texts, marks, strict=True):
        for chunk in _CHUNK.split(text):
            for run in _phrases(_tokens(chunk, ctx.names), ctx.hot, ctx.shared):
                term = " ".join(run).casefold()
                loaded = _holds(run, flags)
                seen = best.get(term)
                if seen is not None:  # an earlier use, now flagged: same score plus the bonus
                    if loaded and not seen.loaded:
                        best[term] = FramingTerm(term, round(seen.score + LOADED_BONUS, 4), True)
                    continue
                score = _score(run, ctx) + (LOADED_BONUS if loaded else 0.0)
                first[term] = len(first)
                best[term] = FramingTerm(term, round(score, 4), loaded)
    ordered = sorted(best.values(), key=lambda t: (-round(t.score, 2), first[t.term]))
    return _drop_subsumed(_drop_overlapping(ordered, ctx.hot), limit)


def _drop_overlapping(terms: list[FramingTerm], hot: set[str]) -> list[FramingTerm]:
    """One phrase per distinctive word: "war is currently" adds nothing after "all-out war"."""
    covered: set[str] = set()
    kept: list[FramingTerm] = []
    for term in terms:
        keys = {stem(w) for w in words(term.term)} & hot
        if len(term.term.split()) > 1 and keys and keys <= covered:
            continue
        covered |= keys
        kept.append(term)
    return kept


def _drop_subsumed(terms: list[FramingTerm], limit: int) -> list[FramingTerm]:
    """Keep "all-out war" rather than also "war" when the shorter scores no higher."""
    covering: dict[tuple[str, ...], float] = {}
    for term in terms:
        toks = tuple(term.term.split())
        for i in range(len(toks)):
            for j in range(i + 1, len(toks) + 1):
                if j - i < len(toks):
                    covering[toks[i:j]] = max(covering.get(toks[i:j], -1e9), term.score)
    kept: list[FramingTerm] = []
    for term in terms:
        if covering.get(tuple(term.term.split()), -1e9) >= term.score:
            continue
        kept.append(term)
        if len(kept) >= limit:
            break
    return kept
