"""Sentence compression by deletion only, so a compressed bullet stays grounded and true.

Operations, gentlest first: drop parentheticals and dash asides; drop a dangling discourse
adverb ("At the same time,"); on a direct quote keep a named speaker's name rather than their
title ("the general secretary of the union, Ines Marlowe, said" -> "Ines Marlowe said"); then,
only while the text is over the word budget, cut appositives, trailing subordinate detail
(", which ...", " that killed ...") and leading framing phrases, or (``pruned``) delete one to
three asides the dependency parse finds anywhere in the sentence. Every cut must leave a
complete sentence by that parse (``clauses.clean_deletion``). Words are never added or
rewritten, except re-capitalising the first letter and closing with a period.

Every deletion must keep the meaning (``meaning.keeps_meaning``): one that would remove an
attribution ("X admitted that"), a negation, a hedge, a connective or a concessive clause is
not made, and the next option is tried. A fragment without a main verb ("In addition to the
three fatalities ...", "To achieve the $40-50 billion ...") is never a bullet (``fragment``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations, pairwise

from newsprism.analysis.clauses import asides, clean_deletion
from newsprism.analysis.meaning import HEDGES, REPORTING, keeps_meaning
from newsprism.annotate.language import words
from newsprism.annotate.quotes import VERBS
from newsprism.caching import weighted_cache

_PAREN = re.compile(r"\s*\([^()]*\)")
_ASIDE = re.compile(r"\s+(?:--|—|–)\s+[^-—–]+?\s+(?:--|—|–)(?=\s)")
_TAIL_ASIDE = re.compile(r"\s+(?:--|—|–)\s+[^-—–\"“”]+$")
_CONNECTIVE = re.compile(
    r"^(?:At the same time|Meanwhile|However|Also|Still|Yet|In addition|Moreover|Separately"
    r"|In a separate [a-z]+(?: on [A-Z][a-z]+\.? \d+)?|Following [^,]{0,60}),\s+"
)
_NAME = r"[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'.-]+|von|van|der|de|al|bin))*\s+[A-Z][\w’'-]+"
# "..., the general secretary of the union, Ines Marlowe, said" -> "..., Ines Marlowe said"
_TITLED_SPEAKER = re.compile(
    rf"(?<=[”\"])(\s*)(?:the|a|an|its|their)\s+[a-z][^,“”\"]{{0,80}},\s+(?P<name>{_NAME}),\s+(?P<verb>{VERBS})\b"
)
# "..., said Ines Marlowe, the general secretary of the union" -> "..., said Ines Marlowe"
_SPEAKER_TITLE = re.compile(
    rf"(?<=[”\"])(?P<head>,?\s*(?:{VERBS})\s+(?P<name>{_NAME})),\s+(?:the|a|an|its|their)\s+[^“”\"]*$"
)
_QUOTE_TAIL = re.compile(rf"((?:{VERBS})(?:\s+reporters)?),\s+[^\"“”]*$")
_CUTS = re.compile(
    r",\s+(?:which|who|whom|while|whereas|as|something|including|killing|targeting|after|"
    r"before|despite|with|where|when|although|amid|according|but|such as|saying|"
    r"(?:\w+ly\s+)?[a-z]{3,}ing)\b"
    r"|\s+and\s+(?=(?:will|would|has|have|had|is|was|were|are|could|can)\b)"
    r"|\s+(?:that killed|that left|who says|which would)\b"
    r"|\s+as\s+(?=[A-Z]|the\s|his\s|her\s|its\s|their\s)"
)
_APPOSITIVE = re.compile(r",\s+(?:one of|a|an|the|who|whose|which)\s[^,\"“”]{3,90},\s+(?=[a-z])")
_LEAD_PHRASE = re.compile(r"^[A-Z][^,\"“]{0,80}?,\s+(?=[A-Z]|the\s|a\s|its\s|his\s|her\s)")


def word_count(text: str) -> int:
    return len(text.split())


def _balanced(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def finish(text: str) -> str:
    """Trim dangling punctuation and conjunctions, capitalise, close with a period."""
    text = text.strip()
    text = re.sub(r"^(?:and|but|while|so|yet|including)\s+", "", text)
    text = re.sub(r"[\s,;:—–-]+$", "", text)
    text = re.sub(r"\s+(?:and|or|but|as|while|with)$", "", text)
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if not text.endswith((".", "!", "?", '."', ".”", '?"', "?”")):
        text += "."
    return text


def _starts_with_quote(text: str) -> bool:
    return text.lstrip().startswith(('"', "“"))


def _guarded(original: str, text: str, candidate: str) -> str:
    """The candidate deletion if it keeps the original's meaning, else the text unchanged."""
    return candidate if candidate != text and keeps_meaning(original, finish(candidate)) else text


def light(sentence: str) -> str:
    """Deletions that never lose the claim: asides, discourse adverbs, speakers' titles."""
    text = _guarded(sentence, sentence, _PAREN.sub("", sentence))
    text = _guarded(sentence, text, _ASIDE.sub("", text))
    text = _guarded(sentence, text, _CONNECTIVE.sub("", text))
    if _starts_with_quote(text):
        text = _guarded(sentence, text, _TITLED_SPEAKER.sub(r"\1\g<name> \g<verb>", text, count=1))
        text = _guarded(sentence, text, _SPEAKER_TITLE.sub(r"\g<head>", text.rstrip("."), count=1))
        text = _guarded(sentence, text, _QUOTE_TAIL.sub(r"\1", text.rstrip(".")))
    return finish(text)


def compress(sentence: str, budget: int = 30, floor: int = 6) -> str | None:
    """The sentence within ``budget`` words by meaning-keeping deletions only, or None."""
    text = finish(sentence) if word_count(sentence) <= budget else light(sentence)
    while word_count(text) > budget:
        shorter = _cut_once(sentence, text, floor, budget)
        if shorter is None or shorter == text:
            return None
        text = shorter
    if not _balanced(text) or word_count(text) < min(floor, word_count(sentence)):
        return None
    return text if keeps_meaning(sentence, text) and not fragment(text) else None


@dataclass(frozen=True)
class Wording:
    """A compression, with the pattern cuts that made it (the text before each and the span it
    deleted): each still needs the grammar check (``clauses.clean_deletion``, a parse), which
    callers run only on the wordings they are about to use. Wordings from ``pruned`` need none:
    their deletions are whole asides of the parse."""

    text: str
    cuts: tuple[tuple[str, int, int], ...] = ()

    def grammatical(self) -> bool:
        return all(clean_deletion(text, start, end) for text, start, end in self.cuts)


def compressions(
    sentence: str, budget: int = 40, soft: int = 20, floor: int = 6, prune: bool = True
) -> list[Wording]:
    """Every wording on the way from the sentence down to ``soft`` words that is within
    ``budget`` and passes ``compress``'s checks but the grammar check, longest first, then the
    wordings with whole asides deleted (``pruned``): the caller weighs the words a cut saves
    against the content it loses, instead of taking the first wording that fits. Each step of
    the chain keeps its first ``MAX_BRANCHES`` deletions, so a pattern cut the parse refuses
    later ("…recovering from, the COVID-19 pandemic, as …") leaves its alternatives. Without
    ``prune`` no parse is needed (the caller adds the pruned wordings only where they can win)."""
    return list(_compressions(sentence, budget, soft, floor, prune))


def _characters(wordings: tuple[Wording, ...]) -> int:
    """What a cached entry weighs: the characters of its wordings and of the texts their cuts
    were made in (a long sentence has up to ~40 wordings, each carrying its chain of texts)."""
    return sum(len(w.text) + sum(len(text) for text, _, _ in w.cuts) for w in wordings)


# by characters, not entries: an entry is one to ~40 wordings, each with its chain of texts
# (~0.9 KB on average in a backfill, #15), so the budget holds whatever the sentences are like
@weighted_cache(max_weight=20_000_000, weight=_characters)
def _compressions(sentence: str, budget: int, soft: int, floor: int, prune: bool) -> tuple[Wording, ...]:
    states = [Wording(finish(sentence))] if word_count(sentence) <= budget else []
    state = Wording(finish(sentence) if word_count(sentence) <= soft else light(sentence))
    states.append(state)
    while word_count(state.text) > soft:
        steps = _cut_steps(sentence, state.text, floor, soft)
        if not steps:
            break
        branches = [Wording(text, (*state.cuts, (state.text, *span))) for text, span in steps]
        states.extend(branches)  # the others stand in should the parse refuse the first
        state = branches[0]
    base = light(sentence)
    if prune and word_count(base) > soft:
        states.extend(Wording(text) for text in pruned(sentence, base, floor))
    out: list[Wording] = []
    for wording in dict.fromkeys(states):
        words = word_count(wording.text)
        if words > budget or not _balanced(wording.text) or words < min(floor, word_count(sentence)):
            continue
        if not fragment(wording.text):  # every cut of the chain was checked for meaning
            out.append(wording)
    return tuple(out)


MAX_BRANCHES = 3  # deletions kept per step of the chain: the first and its fallbacks
MAX_ASIDES = 6  # asides of one sentence combined by ``pruned`` (at most 41 wordings)


def _delete(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """``text`` without the character spans, spacing and closing period repaired."""
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", text))
    return finish(re.sub(r"[,;:]+(?=[.!?]$)", "", text))


def pruned(original: str, text: str, floor: int = 6) -> list[str]:
    """Wordings of ``text`` with one to three of its parse's asides (``clauses.asides``) deleted
    whole, each keeping ``original``'s meaning (and a main clause, by construction).

    The chain of pattern cuts only shortens from the end or at a matched phrase, so a sentence
    whose claim is followed by its key detail ("... 500 million doses of the vaccine, bringing
    its commitment to more than 1 billion shots") loses the detail to keep an aside; deleting
    the aside itself ("Gen. Kenneth McKenzie, commander of U.S. Central Command, said") keeps
    both the claim and the detail. Every combination is offered: the caller weighs the content
    each keeps against its length."""
    found = asides(text)[:MAX_ASIDES]
    out: list[str] = []
    for size in (1, 2, 3):
        for combo in combinations(found, size):
            if any(a[1] > b[0] for a, b in pairwise(combo)):
                continue  # nested or overlapping asides: the outer one alone says it
            candidate = _delete(text, combo)
            words = word_count(candidate)
            if words < floor or not _balanced(candidate) or fragment(candidate):
                continue
            if keeps_meaning(original, candidate):
                out.append(candidate)
    return out


Span = tuple[int, int]  # characters [start, end) of a text that a cut deletes


def _options(text: str, floor: int, budget: int) -> list[tuple[str, Span]]:
    """Candidate deletions, preferred first: an appositive, the subordinate tails from the
    last, a trailing aside, a leading phrase, then prefixes ending at a comma. Each comes with
    the span it deletes from ``text``, for the grammar check (``clauses.clean_deletion``): a
    pattern can match what is not an aside ("…recovering from, the COVID-19 pandemic, as …",
    "Edwin Michael, PhD, …" read as a leading phrase)."""
    out: list[tuple[str, Span]] = []
    appositive = _APPOSITIVE.search(text)
    if appositive is not None:
        shorter = text[: appositive.start()] + " " + text[appositive.end() :]
        if word_count(shorter) >= floor:
            out.append((shorter, (appositive.start(), appositive.end())))
    cuts = [m.start() for m in _CUTS.finditer(text) if word_count(text[: m.start()]) >= floor]
    out.extend((finish(text[:cut]), (cut, len(text))) for cut in reversed(cuts))
    tail = _TAIL_ASIDE.sub("", text.rstrip("."))
    if tail != text.rstrip("."):
        out.append((finish(tail), (len(tail), len(text))))
    lead = _LEAD_PHRASE.sub("", text, count=1)
    if lead != text and word_count(lead) >= floor and not _has_verb(text[: len(text) - len(lead)]):
        out.append((finish(lead), (0, len(text) - len(lead))))  # "In a statement on Monday,"
    prefixes = [(finish(text[: m.start()]), (m.start(), len(text))) for m in re.finditer(r",\s", text)]
    out.extend(p for p in reversed(prefixes) if 10 <= word_count(p[0]) <= budget)
    return out


def _cut_once(original: str, text: str, floor: int, budget: int = 30) -> str | None:
    """The first candidate deletion that stays balanced, keeps the original's meaning and
    leaves a complete sentence (``clauses.clean_deletion``)."""
    for candidate, span in _options(text, floor, budget):
        if _usable(original, text, candidate) and clean_deletion(text, *span):
            return candidate
    return None


def _cut_steps(original: str, text: str, floor: int, budget: int) -> list[tuple[str, Span]]:
    """The usable deletions of ``_cut_once`` without the grammar check, preferred first, each
    with the span it deletes: the first continues the chain, the others are fallbacks should
    the parse refuse it."""
    usable = [(c, span) for c, span in _options(text, floor, budget) if _usable(original, text, c)]
    return usable[:MAX_BRANCHES]


def _usable(original: str, text: str, candidate: str) -> bool:
    return candidate != text and _balanced(candidate) and keeps_meaning(original, candidate)


_SUBORDINATE_START = re.compile(
    r"^(?:in addition to|to|after|before|despite|although|though|because|while|when|if|since|"
    r"following|amid|according to|including|unlike|as well as|along with|such as|with|without|"
    r"during|in|on|at|for|by|from|of)\b",
    re.IGNORECASE,
)
_FINITE_WORDS = (
    "is are was were am be been has have had will would can could may might must shall should "
    "do does did won't can't isn't aren't wasn't weren't hasn't haven't hadn't doesn't didn't "
    "lost won took made hit began came went got gave left fell rose met held set put cut led ran "
    "saw found became brought built sent spent struck sold bought paid kept broke shot fought "
    "thought knew grew drew threw flew chose wrote spoke stood sat lay rang sang swore tore wore "
    "bore beat bit hid shut quit split spread let sought caught taught felt dealt meant slid "
    "sank shook woke froze"
)
_FINITE = frozenset(_FINITE_WORDS.split())


def _has_verb(text: str, strict: bool = False) -> bool:
    """Whether a stretch of text has a finite-verb candidate: an auxiliary or modal, a
    reporting verb, or (unless ``strict``) a non-initial word in -ed or -es."""
    for i, word in enumerate(words(text)):
        low = word.casefold()
        if low in _FINITE or low in REPORTING or low in HEDGES:
            return True
        if not strict and i > 0 and len(low) > 4 and low.endswith(("ed", "es")) and not word[0].isupper():
            return True
    return False


def fragment(text: str) -> bool:
    """A bullet that is not a sentence: it opens with a preposition or subordinator and no
    main clause follows it ("In addition to the three fatalities at a fuel plant on Tuesday."),
    or nothing in it can be a finite verb."""
    body = text.strip().lstrip('"“ ')
    if _SUBORDINATE_START.match(body):
        _head, comma, rest = body.partition(", ")
        return not _has_verb(rest) if comma else not _has_verb(body, strict=True)
    return not _has_verb(body) and not re.search(r"\b[a-z]{3,}(?:s|ed)\b", body[1:])
