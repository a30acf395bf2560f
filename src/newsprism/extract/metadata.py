"""Metadata that both paths share: outlet, author, read time, syndication, language, dates.

Everything here reads text the extractor already has (furniture lines it removed, the body,
the URL); nothing is fetched. Hints on the ``Page`` always win, so callers pass them in last.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from newsprism.extract import rules

# Common reading-speed figure for adult non-fiction (Brysbaert 2019): 238 words per minute.
WORDS_PER_MINUTE = 238

_READ_MINUTES = re.compile(r"(\d{1,3})")
# Wire agencies and the names they are credited under.
AGENCIES: dict[str, str] = {
    "AFP": r"AFP|Agence France[- ]Presse",
    "Reuters": r"Reuters",
    "AP": r"AP|Associated Press",
    "dpa": r"dpa|Deutsche Presse-Agentur",
    "PTI": r"PTI|Press Trust of India",
    "IANS": r"IANS",
    "ANI": r"ANI",
    "EFE": r"EFE",
    "ANSA": r"ANSA",
    "TASS": r"TASS",
    "Interfax": r"Interfax",
    "Xinhua": r"Xinhua",
    "Kyodo": r"Kyodo",
    "Yonhap": r"Yonhap",
    "Ukrinform": r"Ukrinform",
    "UNIAN": r"UNIAN",
    "Bloomberg": r"Bloomberg",
}
_AGENCY_NAMES = "(" + "|".join(AGENCIES.values()) + ")"
_AGENCY_EXACT = {k: re.compile(rf"(?:{v})$") for k, v in AGENCIES.items()}
# Credit contexts in which an agency's name means "this text came from that agency".
_CREDIT = re.compile(
    rf"(?:^|\()\s*(?:{_AGENCY_NAMES})\s*\)|"
    rf"(?:reporters?,? including|told|according to|reported by|said to|via|with|by|from)\s+"
    rf"(?:[Tt]he\s+)?(?:{_AGENCY_NAMES})\b|"
    rf"\b(?:{_AGENCY_NAMES})\s*(?:contributed|reported|\)\s*[-—–]|[-—–]\s)",
)
_STAFF = re.compile(
    r"\bby\s+(?:the\s+)?(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s+(?:staff|team|desk)"
)
_AT_OUTLET = re.compile(
    r"\b(?:at|for|with|bei|für|chez|pour|en|para|presso|per|в|у)\s+(?P<the>the\s+)?"
    r"(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})"
)
_BYLINE = re.compile(
    r"^(?:by|von|par|por|di|da|автор:?|від)\s+(?P<name>[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’.-]+"
    r"(?:\s+(?:[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’.-]+|de|van|von|da|di|la|le)){0,4})",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Language code -> frequent words, from the package's ``stopwords.txt``."""
    table: dict[str, frozenset[str]] = {}
    text = resources.files(__package__).joinpath("stopwords.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            lang, *words = line.split()
            table[lang] = frozenset(words)
    return table


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_TEXT_DATE = re.compile(
    r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})\b"
    r"|\b(?P<day2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3,9})\.?\s+(?P<year2>(?:19|20)\d{2})\b"
)
# Known outlets whose name cannot be read off the domain.
_DOMAIN_OUTLETS = {
    "ndtv.com": "NDTV",
    "kyivindependent.com": "The Kyiv Independent",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "wsj.com": "The Wall Street Journal",
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "aljazeera.com": "Al Jazeera",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "thehill.com": "The Hill",
    "spiegel.de": "Der Spiegel",
    "lemonde.fr": "Le Monde",
    "elpais.com": "El País",
    "pravda.com.ua": "Ukrainska Pravda",
}


def stated_read_time(lines: Iterable[str]) -> int | None:
    """Minutes from a read-time line the page states ("Read Time: 2 mins", "2 min read")."""
    for line in lines:
        m = _READ_MINUTES.search(line)
        if m:
            return max(1, int(m.group(1)))
    return None


def estimated_read_time(word_count: int) -> int:
    """Minutes at WORDS_PER_MINUTE, rounded up, never less than one."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def agency_in(text: str) -> str | None:
    """The wire agency a credit context names ("(AFP)", "told reporters, including AFP")."""
    counts: Counter[str] = Counter()
    for m in _CREDIT.finditer(text):
        name = next((g for g in m.groups() if g), "")
        key = next((k for k, rx in _AGENCY_EXACT.items() if rx.match(name)), None)
        if key:
            counts[key] += 1
    return counts.most_common(1)[0][0] if counts else None


def syndication(notices: list[str], body: list[str]) -> tuple[bool, str | None]:
    """Whether the article is a wire copy, and the agency when the text names one.

    A syndication notice proves it; an agency dateline at the start of the body ("(AFP) -",
    "KYIV (Reuters) -") proves it too. The agency is read from the notice, else from the body's
    credit contexts.
    """
    first = body[0] if body else ""
    dateline = re.search(rf"^[^.]{{0,60}}\((?:{_AGENCY_NAMES})\)\s*[-—–]", first)
    if not notices and not dateline:
        return False, None
    agency = agency_in(" ".join(notices)) or agency_in("\n".join(body))
    return True, agency


def outlet_from_url(url: str | None) -> str | None:
    """Outlet for a URL: a small table of known domains, else none (a guess would mislead)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for domain, name in _DOMAIN_OUTLETS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def outlet_from_text(notices: list[str], bios: list[str]) -> str | None:
    """Outlet named by the page itself: "by NDTV staff", "works as an editor at the X"."""
    for notice in notices:
        m = _STAFF.search(notice)
        if m:
            return m.group("name")
    for bio in bios:
        m = _AT_OUTLET.search(bio)
        if m:
            name = m.group("name").rstrip(".")
            return f"The {name}" if m.group("the") else name
    return None


def byline(lines: Iterable[str]) -> str | None:
    """Author from a byline line ("By Jane Doe", "Von Max Muster")."""
    for line in lines:
        m = _BYLINE.match(line.strip())
        if m and len(line.split()) <= 12:
            return m.group("name").strip()
    return None


def language(text: str) -> str | None:
    """Language by stopword counts over the first words: cheap and good enough for routing."""
    toks = [w.casefold() for w in rules.words(text[:4000])]
    if len(toks) < 5:
        return None
    counts = Counter(toks)
    scores = {lang: sum(counts[w] for w in words) for lang, words in stopwords().items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= 2 else None


def date_in(lines: Iterable[str]) -> datetime | None:
    """First ISO or written-out (English month) date in ``lines``."""
    for line in lines:
        m = _ISO_DATE.search(line)
        if m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0))
            except ValueError:
                continue
        t = _TEXT_DATE.search(line)
        if t:
            mon = (t["mon"] or t["mon2"] or "").casefold()
            day, year = t["day"] or t["day2"], t["year"] or t["year2"]
            if mon in _MONTHS:
                try:
                    return datetime(int(year), _MONTHS[mon], int(day))
                except ValueError:
                    continue
    return None
