"""Metadata that both paths share: outlet, author, read time, syndication, language, dates.

Everything here reads text the extractor already has (furniture lines it removed, the body,
the URL); nothing is fetched. Hints on the ``Page`` always win, so callers pass them in last.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Final
from urllib.parse import urlsplit

from newsprism.extract import rules

# Common reading-speed figure for adult non-fiction (Brysbaert 2019): 238 words per minute.
WORDS_PER_MINUTE: Final = 238
# Silent reading of Chinese and Japanese runs at about 260-500 characters a minute (Trauzettel-
# Klosinski et al. 2012 measured ~255 for Chinese, Japanese studies ~400-600): a middle figure.
CJK_CHARS_PER_MINUTE: Final = 400

_READ_MINUTES: Final = re.compile(r"(\d{1,3})")
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
    "PA": r"PA|PA Media|Press Association",
    "AAP": r"AAP|Australian Associated Press",
    "ANP": r"ANP",
    "APA": r"APA",
    "Belga": r"Belga",
    "KNA": r"KNA",
    "Anadolu": r"Anadolu(?: Agency)?|AA",
    "CP": r"The Canadian Press|Canadian Press",
    "UPI": r"UPI|United Press International",
}
_AGENCY_NAMES: Final = "(" + "|".join(AGENCIES.values()) + ")"
_AGENCY_EXACT: Final = {k: re.compile(rf"(?:{v})$") for k, v in AGENCIES.items()}
# Credit contexts in which an agency's name means "this text came from that agency".
_CREDIT: Final = re.compile(
    rf"(?:^|\()\s*(?:{_AGENCY_NAMES})\s*\)|"
    rf"(?:reporters?,? including|told|according to|reported by|said to|via|with|by|from)\s+"
    rf"(?:[Tt]he\s+)?(?:{_AGENCY_NAMES})\b|"
    rf"\b(?:{_AGENCY_NAMES})\s*(?:contributed|reported|\)\s*[-—–]|[-—–]\s)",
)
_STAFF: Final = re.compile(
    r"\bby\s+(?:the\s+)?(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s+(?:staff|team|desk)"
)
_AT_OUTLET: Final = re.compile(
    r"\b(?:at|for|with|bei|für|chez|pour|en|para|presso|per|в|у)\s+(?P<the>the\s+)?"
    r"(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})"
)
# First letters (case-folded) of the byline words above: "by", "von", "par", "por", "di",
# "da", "автор", "від".
_BYLINE_FIRST: Final = frozenset("bvpdав")
_BYLINE: Final = re.compile(
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


_MONTHS: Final = {
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
_ISO_DATE: Final = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_TEXT_DATE: Final = re.compile(
    r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})\b"
    r"|\b(?P<day2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3,9})\.?\s+(?P<year2>(?:19|20)\d{2})\b"
)


def stated_read_time(lines: Iterable[str]) -> int | None:
    """Minutes from a read-time line the page states ("Read Time: 2 mins", "2 min read")."""
    for line in lines:
        m = _READ_MINUTES.search(line)
        if m:
            return max(1, int(m.group(1)))
    return None


def estimated_read_time(word_count: int, cjk_chars: int = 0) -> int:
    """Minutes at WORDS_PER_MINUTE (and CJK_CHARS_PER_MINUTE for Chinese, Japanese and Thai
    characters), rounded up, never less than one."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE + cjk_chars / CJK_CHARS_PER_MINUTE))


def agency_in(text: str) -> str | None:
    """The wire agency a credit context names ("(AFP)", "told reporters, including AFP")."""
    counts: Counter[str] = Counter()
    for m in _CREDIT.finditer(text):
        name = next((g for g in m.groups() if g), "")
        key = next((k for k, rx in _AGENCY_EXACT.items() if rx.match(name)), None)
        if key:
            counts[key] += 1
    return counts.most_common(1)[0][0] if counts else None


def syndication(notices: list[str], body: list[str], outlet: str | None = None) -> tuple[bool, str | None]:
    """Whether the article is a wire copy, and the agency when the text names one.

    ``wire_copy`` of the text, unless the page is by the agency itself (``not_by_outlet``).
    """
    return not_by_outlet(wire_copy(notices, body), outlet)


def wire_copy(notices: list[str], body: list[str]) -> tuple[bool, str | None]:
    """Whether the text reads as a wire copy, and the agency it names, whoever published it.

    A syndication notice proves it; a known agency's dateline credit at the start of the body
    ("(AFP) -", "KYIV (Reuters) -") proves it too. The agency is the source the notice names
    ("syndicated feed of X", "X contributed to this report"), else a known agency in the notice's
    or the body's credit contexts, else the dateline's own credit code.
    """
    code = dateline_code(body)
    known_code = _known_agency(code) if code else None
    if not notices and not known_code:
        return False, None
    agency = named_source(notices) or agency_in(" ".join(notices)) or agency_in("\n".join(body))
    if agency is None and code:
        agency = known_code or code
    return True, agency


def not_by_outlet(copy: tuple[bool, str | None], outlet: str | None) -> tuple[bool, str | None]:
    """``wire_copy``'s verdict, except that a page by the agency itself (the outlet is the
    agency, or its initials are the credit code) is not a copy."""
    agency = copy[1]
    if outlet and agency and same_org(outlet, agency):
        return False, None
    return copy


@lru_cache(maxsize=1)
def domain_outlets() -> dict[str, str]:
    """Domain -> display name, from the package's curated ``outlets.txt``.

    For outlets whose name cannot be read off the domain ("nytimes.com" is "The New York
    Times"); shipped as data so adding an outlet is a one-line change.
    """
    table: dict[str, str] = {}
    text = resources.files(__package__).joinpath("outlets.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            domain, _, name = line.partition("\t")
            table[domain.strip().lower()] = name.strip()
    return table


def outlet_from_url(url: str | None) -> str | None:
    """Outlet for a URL: the curated table of known domains, else none (a guess would mislead)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    table = domain_outlets()
    parts = host.split(".")
    for i in range(len(parts) - 1):  # the host, then each parent domain
        name = table.get(".".join(parts[i:]))
        if name is not None:
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
        stripped = line.strip()
        if stripped[:1].casefold() not in _BYLINE_FIRST:  # the regex can only match from these
            continue
        m = _BYLINE.match(stripped)
        if m and len(line.split()) <= 12:
            return m.group("name").strip()
    return None


def language(text: str) -> str | None:
    """Language by stopword counts over the first words: cheap and good enough for routing."""
    toks = rules.folded_words(text[:4000])
    if len(toks) < 5:
        return None
    counts = Counter(toks)
    scores = {lang: sum(counts[w] for w in words.intersection(counts)) for lang, words in stopwords().items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= 2 else None


_TIME_AFTER: Final = re.compile(
    r"^(?:,|\s|at|T)*(?P<h>\d{1,2})[:.](?P<m>\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:GMT|UTC)\s*(?P<sign>[+-−])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?\)?"
    r"|\s*\(?(?P<utc>GMT|UTC|Z)\)?)?",
    re.IGNORECASE,
)


def aware(when: datetime | None) -> datetime | None:
    """``when`` with a time zone: its own offset when it has one, else UTC."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=UTC)


# A news page published before 1990 or after its fetch (+ a day of clock skew and time zones)
# is a placeholder ("0001-01-01" in a CMS's JSON-LD), a typo or an embargo default: no date.
EARLIEST_YEAR: Final = 1990
LATEST_SLACK: Final = timedelta(days=1)


@dataclass(frozen=True)
class Dated:
    """A publication date as the page states it.

    ``when`` is the instant (aware: in the page's own offset, UTC when it stated none);
    ``precision`` is "day" for a date without a time of day (shown as a date, never as an
    invented midnight) and "time" otherwise; ``offset_minutes`` is the UTC offset the page
    wrote, ``None`` when it wrote none.
    """

    when: datetime
    precision: str
    offset_minutes: int | None


def stamp(when: datetime, has_time: bool = True) -> Dated:
    """``when`` as a ``Dated``; a naive midnight is a date-only value (CMS date fields)."""
    delta = when.utcoffset()
    minutes = None if delta is None else int(delta.total_seconds()) // 60
    midnight = when.hour == 0 and when.minute == 0 and when.second == 0
    precision = "time" if has_time and not (midnight and when.tzinfo is None) else "day"
    return Dated(when if when.tzinfo is not None else when.replace(tzinfo=UTC), precision, minutes)


def latest_plausible(fetched: datetime) -> datetime:
    """The latest publication instant a page fetched at ``fetched`` can carry."""
    fetched = fetched if fetched.tzinfo is not None else fetched.replace(tzinfo=UTC)
    try:
        return fetched + LATEST_SLACK
    except OverflowError:
        return fetched


def plausible(found: Dated | None, latest: datetime) -> Dated | None:
    """``found`` unless it is impossible for a news page: before 1990 or after ``latest``."""
    if found is None or found.when.year < EARLIEST_YEAR:
        return None
    try:
        return found if found.when <= latest else None
    except OverflowError:  # an offset pushing year 9999 past the end of the calendar
        return None


def parse_iso(value: str | None) -> Dated | None:
    """An ISO 8601 timestamp or date, its offset and precision kept; ``None`` if invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return stamp(datetime.fromisoformat(value), len(value) > 10)
    except (ValueError, OverflowError):
        m = _ISO_DATE.match(value)
        if not m:
            return None
        try:
            return stamp(datetime(int(m[1]), int(m[2]), int(m[3])), False)
        except ValueError:
            return None


def _with_time(day: datetime, rest: str) -> Dated:
    """The date plus a time of day and offset written right after it ("14:02 GMT+1")."""
    m = _TIME_AFTER.match(rest)
    if not m or m["h"] is None:
        return stamp(day, False)
    hour, minute = int(m["h"]), int(m["m"])
    if m["ampm"]:
        hour = hour % 12 + (12 if m["ampm"][0].lower() == "p" else 0)
    tz: timezone | None = UTC if m["utc"] else None
    if m["sign"]:
        sign = 1 if m["sign"] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(m["oh"]), minutes=int(m["om"] or 0)))
    try:
        found = stamp(day.replace(hour=hour, minute=minute, tzinfo=tz))
    except ValueError:
        return stamp(day, False)
    return found if tz is not None else Dated(found.when, "time", None)


def date_in(lines: Iterable[str]) -> Dated | None:
    """First ISO or written-out (English month) date in ``lines``, with its precision and offset."""
    for line in lines:
        # Literal gates: an ISO date has a hyphen, a written-out one a year starting 19 or 20.
        m = _ISO_DATE.search(line) if "-" in line else None
        if m:
            found = parse_iso(line[m.start() :].split()[0]) if m[4] else None
            if found is not None:
                return found
            try:
                day = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0))
            except ValueError:
                continue
            return Dated(day.replace(tzinfo=UTC), "time" if m[4] else "day", None)
        t = _TEXT_DATE.search(line) if "20" in line or "19" in line else None
        if t:
            mon = (t["mon"] or t["mon2"] or "").casefold()
            day_text, year = t["day"] or t["day2"], t["year"] or t["year2"]
            if mon in _MONTHS:
                try:
                    return _with_time(datetime(int(year), _MONTHS[mon], int(day_text)), line[t.end() :])
                except ValueError:
                    continue
    return None


_ROLE_BYLINE: Final = re.compile(
    r"^(?:by|von|par|por|di|da)\s+(?P<name>[^,·|•]{2,60}?)\s*,\s*(?P<role>[^,·|•]{2,80}?)\s*(?:[,·|•]|$)",
    re.IGNORECASE,
)


def byline_role(lines: Iterable[str], outlet: str | None = None) -> str | None:
    """The job title a byline states ("By Jane Roe, Business Editor"), without the outlet's name.

    "By Jane Roe, Meridian Wire" names an employer, not a role, and gives ``None``.
    """
    for line in lines:
        m = _ROLE_BYLINE.match(" ".join(line.split())) if "," in line else None  # "By X, role"
        if not m:
            continue
        role = m.group("role")
        for name in (outlet,) if outlet else ():
            for prefix in (name, re.sub(r"^[Tt]he\s+", "", name)):
                if role.casefold().startswith(prefix.casefold() + " "):
                    role = role[len(prefix) :].strip().removeprefix("’s ").removeprefix("'s ")
        if rules.is_role(role) and not _DIGIT_RUN.search(role):
            return role
    return None


_DIGIT_RUN: Final = re.compile(r"\d")


# --- Outlet versus wire agency -------------------------------------------------------------
# A publisher's or agency's name as pages write it: capitalised words, "of"/"&" allowed inside.
_NAME_WORD: Final = r"[A-Z](?:[\w&'’-]|\.(?=\w))*"
_NAME: Final = rf"(?:[Tt]he\s+)?{_NAME_WORD}(?:\s+(?:of\s+|&\s+|and\s+(?=[A-Z]))?{_NAME_WORD}){{0,4}}"
# Syndication notices name the source: "syndicated feed of X", "distributed by X", "via X".
_SOURCE_NAMED: Final = re.compile(
    r"(?i:syndicated\s+feed\s+(?:of|from)|(?:wire|agency|news\s+agency)\s+(?:feed|copy|service)\s+"
    r"(?:of|from)|distributed\s+by|supplied\s+by|provided\s+by|courtesy\s+of|via|copy\s+from|"
    r"syndicated\s+(?:from|by))\s+(?P<name>" + _NAME + ")"
)
_CONTRIBUTED: Final = re.compile(
    r"(?P<name>" + _NAME + r")\s+contributed\s+to\s+this\s+(?:report|story|article)"
)
# A publisher named by the page: "edited by X", "by X staff", "More from X", "© 2026 X".
_EDITED_BY: Final = re.compile(r"\bedited\s+by\s+(?P<name>" + _NAME + ")")
_MORE_FROM: Final = re.compile(
    r"^(?i:more|latest|more\s+stories|more\s+news|top\s+stories|the\s+latest)\s+(?i:from|on|at)\s+"
    r"(?P<name>" + _NAME + r")\s*[.:]?$"
)
_COPYRIGHT_NAME: Final = re.compile(
    r"(?:©|\([cC]\)|[Cc]opyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?P<name>" + _NAME + ")"
)
# Where _MORE_FROM_LINES can match: at a line starting "More", "latest", "Top", "the" ...
_MORE_STARTS: Final = tuple("\n" + letter for letter in "mMlLtT")
_MORE_FROM_LINES: Final = re.compile(_MORE_FROM.pattern.replace(r"\s", r"[^\S\n]"), re.MULTILINE)
_STAFF_LINES: Final = re.compile(_STAFF.pattern.replace(r"\s", r"[^\S\n]"))
_COPYRIGHT_LINES: Final = re.compile(_COPYRIGHT_NAME.pattern.replace(r"\s", r"[^\S\n]"))
# Corporate suffixes: "Northwind Media Group" owns an outlet, it is not the outlet's name.
_COMPANY: Final = re.compile(
    r"\s+(?:Media|Group|Holdings|Ltd|Limited|Inc|LLC|Corp|Corporation|Company|Co|plc|PLC|GmbH|AG|SA|"
    r"Publishing|Publications|Newspapers|Communications)\.?$"
)
# A dateline credit: "VELSTAD, Sept 24 (MW) –", "PARIS (AFP) -".
_DATELINE_CODE: Final = re.compile(r"^[^\n]{0,80}?\((?P<code>[A-Z][A-Za-z]{1,9})\)\s*[-—–]")
_MASTHEAD_MAX_WORDS: Final = 5
# Vote weights: an explicit statement beats a recurring label beats a hint of ownership.
_W_EDITED, _W_STAFF, _W_MORE, _W_DOMAIN, _W_MASTHEAD, _W_COPYRIGHT, _W_BIO = 3, 3, 2, 3, 1, 1, 1


def _clean_name(name: str) -> str:
    return " ".join(name.split()).rstrip(".,;:'’")


def _key(name: str) -> str:
    """Comparison key of an organisation name: case-folded, without a leading "the"."""
    return re.sub(r"^the\s+", "", " ".join(name.casefold().split()))


def initials(name: str) -> str:
    """Capital initials of a name ("Meridian Wire" -> "MW"), for wire credits like "(MW)"."""
    return "".join(w[0] for w in _key(name).split() if w[:1].isalpha()).upper()


def _known_agency(name: str) -> str | None:
    return next((k for k, rx in _AGENCY_EXACT.items() if rx.match(name)), None)


def known_agency(name: str) -> str | None:
    """The wire agency ``name`` is ("Agence France-Presse" -> "AFP"), if it is a known one."""
    return _known_agency(name.strip())


def named_source(notices: Iterable[str]) -> str | None:
    """The source a syndication notice names: "syndicated feed of X", "X contributed to this report"."""
    for notice in notices:
        m = _SOURCE_NAMED.search(notice) or _CONTRIBUTED.search(notice)
        if m:
            name = _clean_name(m.group("name"))
            if m.re is _CONTRIBUTED:  # "Jane Roe of Harrow Wire contributed": the organisation
                name = name.rsplit(" of ", 1)[-1]
            return _known_agency(name) or name
    return None


def dateline_code(body: list[str]) -> str | None:
    """The credit in the body's dateline ("(MW)", "(AFP)"), if the first paragraph has one."""
    m = _DATELINE_CODE.match(body[0]) if body else None
    return m.group("code") if m else None


def same_org(a: str | None, b: str | None) -> bool:
    """Whether two names (or a name and a credit code) denote one organisation."""
    if not a or not b:
        return False
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    short, long_ = (a, b) if len(ka) < len(kb) else (b, a)
    return short.isupper() and " " not in short.strip() and initials(long_) == short.strip()


_COPYRIGHT_MARKS: Final = ("©", "(c)", "(C)", "Copyright", "copyright")


def _matches_at(
    pattern: re.Pattern[str], text: str, literals: Iterable[str], skip: int = 0
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can only match ``skip`` characters after
    where one of ``literals`` starts (a line-anchored pattern: after a newline and a letter).

    The literals are found by plain string scans and the regex is tried only there: a pattern
    that opens with ``\\b`` or an alternation gives the regex engine no prefix to skip by, and
    it would otherwise be tried at every character of the page's furniture.
    """
    starts: set[int] = set()
    for literal in literals:
        i = text.find(literal)
        while i >= 0:
            starts.add(i + skip)
            i = text.find(literal, i + 1)
    end = 0
    for i in sorted(starts):
        if i >= end and (m := pattern.match(text, i)) is not None:
            end = m.end()
            yield m


def _host_label(url: str | None) -> str:
    host = (urlsplit(url).hostname or "").lower() if url else ""
    parts = host.removeprefix("www.").split(".")
    return parts[0] if parts and parts[0] else ""


def outlet_votes(
    *,
    notices: Iterable[str] = (),
    lines: Iterable[str] = (),
    bios: Iterable[str] = (),
    masthead: str | None = None,
    url: str | None = None,
    exclude: str | None = None,
) -> str | None:
    """The publisher the page names for itself, by weighted votes over independent signals.

    Votes: "edited by X" / "by X staff" in a notice (3), "More from X" (2), a candidate that
    spells the page's domain (+3), "© YEAR X" (1, and a corporate "X Media Group" supports the
    candidate sharing its first word instead), the masthead line (1, only in support of a
    candidate another signal names), "works as ... at X" in a biography (1). ``exclude`` (the
    wire agency) loses unless nothing else is named. Ties go to the earliest-named candidate.
    """
    votes: dict[str, float] = {}
    shown: dict[str, str] = {}
    order: dict[str, int] = {}

    def vote(name: str, weight: float) -> None:
        name = _clean_name(name)
        key = _key(name)
        if not key or len(key.split()) > 6:
            return
        votes[key] = votes.get(key, 0.0) + weight
        order.setdefault(key, len(order))
        if key not in shown or (shown[key].isupper() and not name.isupper()):
            shown[key] = f"The {name[4:]}" if name.lower().startswith("the ") else name

    notices = list(notices)
    for notice in notices:
        for m in _EDITED_BY.finditer(notice):
            vote(m.group("name"), _W_EDITED)
        for m in _STAFF.finditer(notice):
            vote(m.group("name"), _W_STAFF)
    # One text, line by line, so each pattern runs only where its opening literal is.
    text = "\n" + "\n".join(line for line in lines if len(line) <= 200 and line not in notices)
    for more in _matches_at(_MORE_FROM_LINES, text, _MORE_STARTS, skip=1):
        vote(more.group("name"), _W_MORE)
    if "staff" in text or "team" in text or "desk" in text:
        for staff in _matches_at(_STAFF_LINES, text, ("by",)):
            vote(staff.group("name"), _W_STAFF)
    owners = [_clean_name(c.group("name")) for c in _matches_at(_COPYRIGHT_LINES, text, _COPYRIGHT_MARKS)]
    for bio in bios:
        b = _AT_OUTLET.search(bio)
        if b:
            vote(("the " if b.group("the") else "") + b.group("name").rstrip("."), _W_BIO)
    label = _host_label(url)
    for key in list(votes):
        if label and re.sub(r"\W", "", key) in {label, re.sub(r"^the", "", label)}:
            votes[key] += _W_DOMAIN
    for owner in owners:
        okey = _key(owner)
        if _COMPANY.search(owner):
            first = okey.split()[0]
            for key in votes:
                if key.split()[0] == first:
                    votes[key] += _W_COPYRIGHT
        else:
            vote(owner, _W_COPYRIGHT)
    if masthead and not masthead.endswith((".", "?", "!")):
        mkey = _key(masthead)
        if mkey in votes and len(mkey.split()) <= _MASTHEAD_MAX_WORDS:
            votes[mkey] += _W_MASTHEAD
            if shown[mkey].isupper() and not masthead.isupper():
                shown[mkey] = masthead
    if exclude:
        others = [k for k in votes if not same_org(k, exclude) and not same_org(shown[k], exclude)]
        if others:
            votes = {k: votes[k] for k in others}
    if not votes:
        return None
    best = max(votes, key=lambda k: (votes[k], -order[k]))
    return shown[best]
