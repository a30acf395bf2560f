"""Furniture around the article's edges: kicker labels, the repeated headline, the standfirst
and wire credit lines.

These rules look at where a line sits as much as at what it says, so they work on the ordered
body of either path rather than on one line at a time:

- A *kicker label* ("BREAKING", "LIVE", "EXCLUSIVE", "EILMELDUNG", "EN DIRECT", "СРОЧНО") is a
  short all-capitals line of label words before the first paragraph of prose. Title-case
  "Review" or "Analysis" is left alone: on the public benchmark such lines were article text.
- A *repeated headline* is a paragraph equal to the title once case, spacing and edge
  punctuation are ignored, or, for the first one before any prose, near-equal to it (the
  title with a site-name suffix, a one-word edit).
- A *standfirst* (dek, sub-headline) is the line without closing punctuation right after
  the headline, before any prose: it is metadata, not body. A date or byline line in that
  place ("5:45 AM 11/19/2019 by Jane Roe") is furniture, not a standfirst.
- A *newsletter promo* is a "Name: tagline" line; the text path treats it as one only beside a
  sign-up prompt.
- A *wire credit line* lists who reported, wrote and edited the copy ("(Reporting by A;
  Editing by B)", "Mit Material von dpa", "Con información de Reuters"): every segment is a
  credit phrase followed only by names. An agency's name alone ("(Reuters)", "— AFP") is a
  credit only as the article's last line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Final

from newsprism.extract import metadata, rules

# Kicker labels, case-folded, edge punctuation trimmed (en, de, fr, es, it, pt, ru, uk).
KICKERS: Final = frozenset(
    {
        # en
        "breaking", "breaking news", "just in", "live", "live updates", "live blog", "exclusive",
        "analysis", "news analysis", "updated", "update", "developing", "developing story",
        "opinion", "comment", "editorial", "explainer", "fact check", "factcheck", "watch",
        "video", "exclusive interview", "top story", "urgent", "alert", "news alert", "flash",
        "premium", "subscriber only", "subscribers only", "new", "latest", "special report",
        "in depth", "in pictures", "review", "feature", "interview", "listen", "podcast",
        # de
        "eilmeldung", "eil", "exklusiv", "analyse", "kommentar", "liveticker", "live-ticker",
        "aktualisiert", "meinung", "hintergrund", "gastbeitrag", "erklärt", "faktencheck",
        # fr
        "dernière minute", "derniere minute", "en direct", "exclusif", "décryptage", "decryptage",
        "éditorial", "tribune", "mis à jour", "info", "alerte", "flash info", "entretien",
        # es
        "última hora", "ultima hora", "en vivo", "en directo", "exclusiva", "análisis", "opinión",
        "actualizado", "urgente", "directo", "entrevista", "reportaje",
        # it
        "ultim'ora", "ultim’ora", "ultimora", "in diretta", "diretta", "esclusiva", "esclusivo",
        "analisi", "aggiornato", "opinione", "commento", "intervista",
        # pt
        "ao vivo", "exclusivo", "análise", "opinião", "atualizado", "atualização",
        # ru
        "срочно", "молния", "эксклюзив", "аналитика", "мнение", "онлайн", "обновлено",
        "прямая трансляция", "колонка", "интервью",
        # uk
        "терміново", "наживо", "ексклюзив", "аналітика", "думка", "оновлено", "інтерв'ю",
        "інтерв’ю",
    }
)  # fmt: skip
KICKER_MAX_WORDS: Final = 3
# Near-equal to the title: this SequenceMatcher ratio, or the title with a suffix/prefix of at
# most this many words (a site name, a section).
HEADLINE_SIMILARITY: Final = 0.9
HEADLINE_AFFIX_WORDS: Final = 5
HEADLINE_MIN_WORDS: Final = 3
# A standfirst has this many words at least (fewer is a label) and at most this many.
STANDFIRST_WORDS: Final = (6, 60)


def kicker_reason(line: str, leading: bool) -> str | None:
    """ "label" for a kicker: one to three capitalised label words before the first prose."""
    if not leading or len(line) > 40 or not line.isupper():
        return None
    n = rules.word_count(line)
    if not 1 <= n <= KICKER_MAX_WORDS:
        return None
    key = rules.normalise(line)
    return "label" if key in KICKERS or _kicker_pair(key) else None


def _kicker_pair(key: str) -> bool:
    """Two labels run together ("BREAKING | LIVE", "EXCLUSIVE: ANALYSIS")."""
    parts = [p.strip() for p in re.split(r"\s*[|:/•·–—-]\s*", key) if p.strip()]
    return len(parts) > 1 and all(p in KICKERS for p in parts)


def _title_words(text: str) -> list[str]:
    return rules.folded_words(text)


def is_repeated_headline(line: str, title: str | None, leading: bool) -> bool:
    """``line`` is the title again: equal anywhere, near-equal when ``leading`` allows it."""
    if not title:
        return False
    mine, theirs = _title_words(line), _title_words(title)
    if len(theirs) < HEADLINE_MIN_WORDS or len(mine) < HEADLINE_MIN_WORDS:
        return mine == theirs and bool(mine) and leading
    if mine == theirs:
        return True
    if not leading:
        return False
    short, long_ = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
    extra = len(long_) - len(short)
    affixed = long_[: len(short)] == short or long_[-len(short) :] == short
    if 0 < extra <= HEADLINE_AFFIX_WORDS and len(short) >= 2 * extra and affixed:
        return True
    a, b = " ".join(mine), " ".join(theirs)
    # the ratio is at most 2 * shorter / (both): skip pairs whose lengths already rule it out
    if 2 * min(len(a), len(b)) < HEADLINE_SIMILARITY * (len(a) + len(b)):
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= HEADLINE_SIMILARITY and matcher.ratio() >= HEADLINE_SIMILARITY


# A time, a numeric date, or a byline: the line after a headline is then the article's stamp.
_STAMP: Final = re.compile(
    r"\b\d{1,2}[:h]\d{2}\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|(?:^|\s[-–—|·•]\s)(?i:by|von|par|por|di|da|publicado\s+por|posted\s+by|publié\s+par)"
    r"\s*:?\s+[A-ZÀ-ÝА-ЯІЇЄҐ]",
)


def is_stamp(line: str) -> bool:
    """A date, time or byline line ("22 de outubro de 2010 às 20:13", "By Jane Roe")."""
    return bool(_STAMP.search(line))


def dek_shaped(line: str) -> bool:
    """A few words to a couple of lines with no closing sentence punctuation."""
    n = rules.word_count(line)
    lo, hi = STANDFIRST_WORDS
    if not lo <= n <= hi or rules.is_bullet(line):
        return False
    stripped = line.rstrip()
    return not stripped.endswith((".", "!", "?", "…", ":", ";", '"', "”", "»", "’"))


# A sentence break inside a line that does not close: prose with a link label glued on.
_INNER_BREAK: Final = re.compile(r"\w[.!?]\s+[A-ZÀ-ÝА-ЯІЇЄҐ]")
# A standfirst reads as a sentence: at most this share of capitalised or numeric words (more is
# a list of names, a score line, a shouted promo or a title-case menu).
STANDFIRST_MAX_CAPITALISED: Final = 0.5
STANDFIRST_MAX_NUMERIC: Final = 0.25


def looks_like_standfirst(line: str) -> bool:
    """A sub-headline: dek-shaped, sentence-like, one clause run without an inner full stop."""
    if not dek_shaped(line) or _INNER_BREAK.search(line):
        return False
    toks = rules.words(line)
    caps = sum(1 for t in toks if t[:1].isupper())
    digits = sum(1 for t in toks if t[:1].isdigit())
    return caps <= STANDFIRST_MAX_CAPITALISED * len(toks) and digits <= STANDFIRST_MAX_NUMERIC * len(toks)


# Credit phrases that introduce names: "Reporting by", "Additional reporting by", "Editing by",
# "Compiled by", "With", "Mit Material von", "Avec", "Con información de", "Reportagem de".
_CREDIT_HEAD: Final = re.compile(
    r"^(?:(?:additional|further|extra)\s+)?"
    r"(?:reporting|writing|written|editing|edited|compiled|compilation|research|graphics|"
    r"translation|translated|fact-checking|production|produced|sub-?editing)"
    r"(?:\s+and\s+(?:reporting|writing|editing|research))?\s+by\s+"
    r"|^(?:with|with\s+(?:additional\s+)?(?:reporting|input|material)\s+(?:from|by))\s+"
    r"|^(?:(?:unter\s+)?mit\s+material\s+(?:von|der|aus)|bearbeitet\s+von|mit\s+agenturen)\s*:?\s+"
    r"|^(?:avec|avec\s+(?:l'|l’)?(?:agences?|afp|reuters)|édité\s+par|"
    r"reportage\s+de|écrit\s+par|avec\s+la\s+contribution\s+de)\s*:?\s+"
    r"|^(?:con\s+información\s+de|con\s+reporte\s+de|editado\s+por|reportaje\s+de|"
    r"escrito\s+por|con|com\s+informações\s+d[aeo]s?|com|reportagem\s+de|"
    r"hanno\s+collaborato|a\s+cura\s+di|con\s+la\s+collaborazione\s+di)\s*:?\s+"
    # desk labels are credits only with their colon ("Redaktion: Jane Roe")
    r"|^(?:mitarbeit|redaktion|text|rédaction|redacción|redazione|redação)\s*:\s+",
    re.IGNORECASE,
)
# Words allowed between names in a credit: "Jane Roe in London and John Doe at the desk".
_CREDIT_GLUE: Final = frozenset(
    {
        "and", "und", "et", "y", "e", "i", "и", "та", "in", "at", "from", "of", "the", "de",
        "del", "la", "le", "les", "du", "des", "da", "do", "dos", "das", "di", "von", "van",
        "der", "den", "aus", "à", "en", "a", "em", "с", "з", "в", "у", "staff", "desk",
        "bureau", "team",
    }
)  # fmt: skip
_AGENCY: Final = re.compile(
    r"(?:" + "|".join(metadata.AGENCIES.values()) + r")$",
)
CREDIT_MAX_WORDS: Final = 45


def _names_only(text: str) -> bool:
    """Capitalised names or agency names ("dpa") joined only by glue words and separators."""
    toks = re.findall(r"[^\s,;/&+()\[\]]+", text)
    if not toks:
        return False
    named = 0
    for tok in toks:
        word = tok.strip(".'’-–—")
        if not word:
            continue
        if word[:1].isupper() or word[:1].isdigit() or _AGENCY.match(word):
            named += 1
        elif word.casefold() not in _CREDIT_GLUE:
            return False
    return named > 0


def without_credit_phrase(text: str) -> str:
    """``text`` without a leading credit phrase ("Mit Material von dpa" -> "dpa"), as a byline
    field sometimes carries the whole credit line."""
    m = _CREDIT_HEAD.match(text)
    return text[m.end() :].strip() if m is not None and m.end() < len(text) else text


def _credit_segment(segment: str) -> bool:
    seg = segment.strip(" .\t")
    if not seg:
        return True
    m = _CREDIT_HEAD.match(seg)
    return m is not None and _names_only(seg[m.end() :])


# The first two letters of every credit phrase above: a set lookup turns away most lines before
# the (case-insensitive, so slower) phrase pattern runs.
_CREDIT_STARTS: Final = frozenset(
    {"ad", "fu", "ex", "re", "wr", "ed", "co", "gr", "tr", "fa", "pr", "su", "wi", "mi", "un",
     "be", "av", "éd", "éc", "es", "ha", "a ", "te", "ré"}
)  # fmt: skip
_CREDIT_EDGES: Final = "()[] .\t—–-"


def is_wire_credit(line: str) -> bool:
    """Every ``;``-separated part is a credit phrase followed only by names."""
    inner = line.strip(_CREDIT_EDGES)
    if inner[:2].lower() not in _CREDIT_STARTS:
        return False
    # the first part must open with a credit phrase: one anchored match rejects most lines
    if _CREDIT_HEAD.match(inner) is None or rules.word_count(inner) > CREDIT_MAX_WORDS:
        return False
    segments = re.split(r";|\s[—–|]\s|\)\s*\(", inner)
    return all(_credit_segment(s) for s in segments)


def is_agency_credit(line: str) -> bool:
    """An agency's name alone: "(Reuters)", "— AFP", "AFP/dpa" (a credit only at the end)."""
    inner = line.strip().strip("()[] .\t—–-").strip()
    if not inner or len(inner) > 60:
        return False
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|\band\b|&|\bund\b|\bet\b|\by\b)\s*", inner)]
    return all(_AGENCY.match(p) is not None for p in parts if p) and any(parts)


# "Morning Brief: the day's news before breakfast": a name of up to four capitalised words, a
# colon, then a tagline. Beside a sign-up prompt that is a newsletter's promotion.
_PROMO: Final = re.compile(r"^[A-ZÀ-ÝА-ЯІЇЄҐ0-9][\w'’&.-]*(?:\s+[A-ZÀ-ÝА-ЯІЇЄҐ0-9&][\w'’&.-]*){0,3}\s*:\s+\S")
PROMO_MAX_WORDS: Final = 30


PROMO_MIN_TAGLINE_WORDS: Final = 4


def is_promo_tagline(line: str) -> bool:
    """A "Name: tagline" line (only a newsletter promo where a sign-up prompt stands nearby).

    The tagline is words, not a value: "Phone: 212-555-0100" is a contact line.
    """
    m = _PROMO.match(line)
    if m is None or rules.word_count(line) > PROMO_MAX_WORDS:
        return False
    tagline = line[m.end() - 1 :]
    return sum(1 for w in rules.words(tagline) if w.isalpha()) >= PROMO_MIN_TAGLINE_WORDS


class EdgeRules:
    """The position-aware rules, fed the body's paragraphs in order.

    ``reason(line)`` says why a paragraph is not body (or ``None``); the caller reports each
    paragraph it keeps with ``keep(line)``, so labels, the headline and the standfirst are only
    recognised before the first prose paragraph (lines other rules drop change nothing).
    """

    def __init__(self, title: str | None) -> None:
        self.title = title
        self.leading = True  # no prose paragraph kept yet
        self.after_headline = False  # the previous paragraph was the repeated headline
        self.headline_seen = False
        self.standfirst: str | None = None

    def reason(self, line: str) -> str | None:
        reason = kicker_reason(line, self.leading)
        if reason is not None:
            return reason
        near = self.leading and not self.headline_seen
        # after the top, only an exact repeat counts: its length is close to the title's
        similar_length = self.title is not None and len(self.title) <= 2 * len(line) <= 4 * len(self.title)
        if (near or similar_length) and is_repeated_headline(line, self.title, near):
            self.after_headline = self.headline_seen = True
            return "repeated headline"
        if self.leading and self.after_headline and dek_shaped(line):
            if is_stamp(line):
                return "date or byline"
            if self.standfirst is None and looks_like_standfirst(line):
                self.after_headline = False
                self.standfirst = line
                return "standfirst"
        if is_wire_credit(line):
            return "wire credit line"
        return None

    def keep(self, line: str) -> None:
        self.after_headline = False
        if self.leading and rules.is_prose(line):
            self.leading = False

    def trailing(self, kept: list[str]) -> list[tuple[str, str]]:
        """An agency's bare name closes wire copy: pop it from the end of ``kept``."""
        removed: list[tuple[str, str]] = []
        while len(kept) > 1 and is_agency_credit(kept[-1]):
            removed.append((kept.pop(), "wire credit line"))
        return removed


def clean_edges(
    body: list[str], title: str | None, first: Callable[[str], str | None] | None = None
) -> tuple[list[str], list[tuple[str, str]], str | None]:
    """Apply the edge rules to a whole body: kept paragraphs, ``(line, reason)`` removals in
    order, and the standfirst found (``None`` when there is none).

    ``first`` is a line rule asked before the edge rules (the HTML path's furniture rules): a
    line it objects to is removed with its reason and never seen by the edge rules.
    """
    edges = EdgeRules(title)
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    for line in body:
        reason = first(line) if first is not None else None
        if reason is None:
            reason = edges.reason(line)
        if reason is None:
            kept.append(line)
            edges.keep(line)
        else:
            removed.append((line, reason))
    removed.extend(edges.trailing(kept))
    return kept, removed, edges.standfirst
