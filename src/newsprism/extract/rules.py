"""Line-level furniture rules shared by the plain-text and HTML paths.

Each rule family answers one question about a single line (what it looks like or what it says)
and returns a reason for the audit trail, or ``None`` when the rule has no objection. Keeping
them here lets the HTML path clean trafilatura's output with the very rules the text path uses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Final

from newsprism.textnorm import ASCII_LOWER, collapse_whitespace

_WORD: Final = re.compile(r"\w+", re.UNICODE)
_LONG_WORD: Final = re.compile(r"\w{4,}")
_TERMINAL: Final = re.compile(r"[.!?…:;。！？][\"'”’»)\]」』]*$|[\"”’»」』]$")
# Scripts without spaces (CJK) pack a sentence into one token: judge them by characters.
CJK_PROSE_CHARS: Final = 25
_PUNCT_EDGES: Final = " \t\u00a0-–—|•·*>«»\"'“”‘’:.,;!?()[]"
_BULLET: Final = re.compile(r"^\s*[•·▪●◦‣\-–*]\s+\S")
# "2 min read", "Read Time: 2 mins", "Lesezeit: 3 Minuten", "5 мин чтения" ...
_READ_TIME: Final = re.compile(
    r"^(?:(?:estimated\s+)?read(?:ing)?\s*time|lesezeit|temps\s+de\s+lecture|tiempo\s+de\s+lectura"
    r"|tempo\s+di\s+lettura|tempo\s+de\s+leitura|время\s+чтения|час\s+читання)?\s*:?\s*"
    r"(?P<n>\d{1,3})\s*(?:-\s*\d{1,3}\s*)?"
    r"(?:min(?:ute)?s?\.?|minuten|мин(?:ут[аы]?)?\.?|хв(?:илин[аи]?)?\.?)"
    r"\s*(?:read|de\s+lecture|de\s+lectura|di\s+lettura|de\s+leitura|lesezeit|чтения|читання)?\s*$",
    re.IGNORECASE,
)
# Captions end with a photo credit: "(File)", "(Contributor/Getty Images)", "Photo: AFP".
_CREDIT: Final = re.compile(
    r"(?:\((?:file|photo|pictured|representational|representative image|reuters|ap|afp|epa|"
    r"getty|[^()]{0,60}(?:/|\b)(?:getty images|reuters|afp|ap photo|epa|shutterstock|"
    r"photo|foto|фото|image|credit|archive|archiv)[^()]{0,40})\)"
    r"|(?:photo|image|foto|фото|credit|picture|bild)\s*(?:credit)?\s*[:©].{0,80}"
    r"|©\s*[^.]{0,80})\s*\.?$",
    re.IGNORECASE,
)
_SYNDICATION: Final = re.compile(
    r"syndicated feed|from a syndicated|not been edited by|auto-generated from|"
    r"published from a (?:wire|news agency) feed|aus einem agenturfeed|dépêche générée",
    re.IGNORECASE,
)
_AI_LABEL: Final = re.compile(
    r"\b(?:ai|ki|ia|ші|ии)[- ](?:generated|summary|generiert|générée?|generad[ao]|generat[ao])"
    r"|summary is|did our ai|zusammenfassung|résumé généré",
    re.IGNORECASE,
)
_COPYRIGHT: Final = re.compile(r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b", re.IGNORECASE)
_BIO: Final = re.compile(
    r"^(?P<name>[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’.-]+(?:\s+[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’.-]+){0,3})\s+"
    r"(?:works|worked|is|serves|has been|joined|arbeitet|ist|travaille|est|trabaja|es|lavora|è|"
    r"trabalha|é|работает|является|працює|є)\b.{0,80}?"
    r"\b(?:as|at|for|with|als|bei|für|comme|chez|pour|como|en|para|come|presso|per|na|в|для|у)\b",
)
_ROLE: Final = re.compile(
    r"\b(?:editor|reporter|correspondent|journalist|writer|columnist|contributor|producer|"
    r"analyst|staff|redakteur(?:in)?|korrespondent(?:in)?|journalistin?|rédact(?:eur|rice)|"
    r"journaliste|correspondant|redactor[a]?|periodista|corresponsal|giornalista|redattore|"
    r"jornalista|repórter|редактор|корреспондент|журналист|кореспондент|журналіст)\b",
    re.IGNORECASE,
)
# Content rules: the line's words say what it is, whatever its length.
_COOKIE: Final = re.compile(
    r"\b(?:uses?|utilise|verwendet|utiliza|utilizza|использует|використовує)\b.{0,40}\bcookies?\b"
    r"|\bcookies?\b.{0,60}\b(?:consent|experience|opt[- ]out|browser|policy)\b",
    re.IGNORECASE,
)
_COMMENT_HEAD: Final = re.compile(
    r"^(?:\S+(?:\s\S+)?\s+(?:says|said|wrote|schreibt|écrit|dice|dijo|пишет|пише)\s*:"
    r"|\d+\s+(?:responses?|comments?|replies|kommentare|commentaires|comentarios|commenti|"
    r"комментари\w*|коментар\w*)\b)",
    re.IGNORECASE,
)
_STAMP: Final = re.compile(
    r"^\(?\s*(?:updated|published|posted|last updated|aktualisiert|mis à jour|actualizado|"
    r"aggiornato|atualizado|обновлено|оновлено)\b[^a-z]{0,40}\)?$",
    re.IGNORECASE,
)
# The first characters (case-folded) an update stamp can start with: "(", "updated", "published",
# "posted", "last updated", "aktualisiert", "mis à jour", "обновлено", "оновлено"; the regex
# only runs on lines that start with one of them.
_STAMP_FIRST: Final = frozenset("(uplamо")


def words(text: str) -> list[str]:
    """Unicode word tokens (the same tokenisation the benchmark metric uses)."""
    return _WORD.findall(text)


# Byte tables for the fast paths below. ASCII word characters ([A-Za-z0-9_], what ``\w`` means
# in ASCII) stay letters, every other byte (including each byte of a multi-byte UTF-8 sequence)
# becomes a space: then a word is a " a" transition and ``bytes.split`` yields the tokens.
_WORD_BYTES: Final = bytes(0x61 if i < 128 and (chr(i).isalnum() or i == 0x5F) else 0x20 for i in range(256))
_LOWER_WORD_BYTES: Final = bytes(
    ord(chr(i).lower()) if i < 128 and (chr(i).isalnum() or i == 0x5F) else 0x20 for i in range(256)
)
# UTF-8 lead bytes of U+2000-U+203F (dashes, curly quotes, ellipsis): none is a word character.
_PUNCT_LEAD: Final = b"\xe2\x80"


def _word_bytes(text: str) -> bytes | None:
    """UTF-8 of ``text`` when its words are exactly its ASCII word runs, else ``None``.

    True for ASCII text and for text whose only other characters lie in U+2000-U+203F (each of
    which takes three bytes, two of them the lead ``E2 80``): such a character never joins or
    splits a word differently from a space.
    """
    if text.isascii():
        return text.encode("ascii")
    data = text.encode("utf-8", "surrogatepass")
    if len(data) == len(text) + 2 * data.count(_PUNCT_LEAD):
        return data
    return None


# Scripts written without spaces between words: Thai, kana, CJK ideographs (and their
# compatibility forms). Hangul is spaced, so Korean counts in words like Latin text.
_CJK: Final = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def cjk_chars(text: str) -> int:
    """Characters of unspaced scripts (Chinese, Japanese, Thai) in ``text``: their length unit."""
    if text.isascii():
        return 0
    return len(_CJK.findall(text))


def without_cjk(text: str) -> str:
    """``text`` with its unspaced-script characters blanked, to count the spaced words left."""
    return _CJK.sub(" ", text)


CJK_CHARS_PER_WORD: Final = 2.5  # about the mean word length of Chinese and Japanese


def _unicode_word_count(text: str) -> int:
    """Words of non-ASCII text. Chinese, Japanese and Thai are written without spaces, so a
    regex word token there is a whole clause: those characters count CJK_CHARS_PER_WORD to a word
    instead, and their lines weigh like the same text in a spaced language."""
    if _CJK.search(text) is None:
        return len(_WORD.findall(text))
    chars = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + round(chars / CJK_CHARS_PER_WORD)


def word_count(text: str) -> int:
    """``len(words(text))`` (CJK/Thai in word equivalents), without building tokens when it can."""
    data = _word_bytes(text)
    if data is None:
        return _unicode_word_count(text)
    return _count_words(data)


def _count_words(data: bytes) -> int:
    """Words in ``_word_bytes`` output: each is a space-to-letter step in the byte table."""
    return (b" " + data).translate(_WORD_BYTES).count(b" a")


def folded_words(text: str) -> list[str]:
    """``words(text.casefold())``, by a byte table when the text allows it."""
    data = _word_bytes(text)
    if data is None:
        return _WORD.findall(text.casefold())
    return data.translate(_LOWER_WORD_BYTES).decode("ascii").split()


def normalise(text: str) -> str:
    """Case-folded, whitespace-collapsed text without edge punctuation, for vocabulary lookup."""
    return collapse_whitespace(text.strip(_PUNCT_EDGES).casefold())


def judge(text: str) -> tuple[str | None, bool, int, str]:
    """(reason, prose, word count, normalised key) of one stripped, non-empty line.

    Every single-line rule at once, as ``line_reason``, ``is_prose``, ``word_count`` and
    ``normalise`` would give them: this is the text path's per-line hot spot, so the line is
    encoded and case-folded once for all of them. Case folding is the costly part on non-ASCII
    text; a line whose only non-ASCII characters are U+2000-U+203F punctuation (which folding
    leaves alone) is folded by a byte table instead. Stripping edge punctuation and folding
    commute (no character folds to or from edge punctuation), so the key comes from the
    folded line.
    """
    data = _word_bytes(text)
    if data is None:
        n = _unicode_word_count(text)
        low = text.casefold()
    else:
        n = _count_words(data)
        low = text.lower() if len(data) == len(text) else data.translate(ASCII_LOWER).decode("utf-8")
    key = collapse_whitespace(low.strip(_PUNCT_EDGES))
    reason = vocabulary_reason(text, key) or _shape_reason(text, n, low)
    return reason, is_prose(text, n), n, key


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Phrase -> reason, loaded once from the package's ``furniture.txt``."""
    table: dict[str, str] = {}
    reason = "page furniture"
    text = resources.files(__package__).joinpath("furniture.txt").read_text("utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            reason = line[1:-1]
            continue
        table[normalise(line)] = reason
    return table


# A sentence-shaped line has PROSE_MIN_WORDS+ words and closing punctuation; any line of
# LONG_LINE_WORDS+ words counts as prose whatever its punctuation.
PROSE_MIN_WORDS: Final = 4
LONG_LINE_WORDS: Final = 25


_TERMINAL_CHARS: Final = ".!?…:;。！？"
_CLOSERS: Final = "\"'”’»)]」』"
_CLOSING_QUOTES: Final = '"”’»」』'


def _closed(text: str) -> bool:
    """Ends in sentence punctuation, optionally followed by closing quotes or brackets.

    Equivalent to searching ``_TERMINAL`` at the end, without scanning the whole line.
    """
    if not text:
        return False
    if text[-1] in _CLOSING_QUOTES:
        return True
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _TERMINAL_CHARS


def is_prose(text: str, n: int | None = None) -> bool:
    """A sentence-shaped line: several words and closing punctuation, or simply long."""
    n = word_count(text) if n is None else n
    if n >= LONG_LINE_WORDS:
        return True
    closed = _closed(text.rstrip())
    if n < PROSE_MIN_WORDS and len(text) >= CJK_PROSE_CHARS and not text.isascii():
        return closed and sum(len(w) for w in words(text)) / max(n, 1) > 8
    return n >= PROSE_MIN_WORDS and closed and not text.isupper()


def vocabulary_reason(text: str, key: str | None = None) -> str | None:
    """Short lines that are boilerplate phrases ("Advertisement", "Read more", "Teilen")."""
    if len(text) > 80:
        return None
    key = normalise(text) if key is None else key
    if not key or len(key) > 60:
        return None
    table = vocabulary()
    if key in table:
        return table[key]
    # "Share on Facebook | Twitter | Email", "Tags: x, y": every segment is furniture
    if _has_separator(text):
        first, count = "", 0
        for piece in _SPLIT.split(text):
            part = normalise(piece)
            if not part:
                continue
            if part not in table:  # one segment that is not furniture clears the line
                count = 0
                break
            first, count = first or part, count + 1
        if count > 1:
            return table[first]
    head = key.partition(":")[0].strip()
    if head != key and head in table and table[head] in {"tag list", "related-story list"}:
        return table[head]
    return None


_DIGIT: Final = re.compile(r"\d")
_DIGIT_BYTES: Final = re.compile(rb"[0-9]")
_SEPARATORS: Final = re.compile(r"[|/•·,]|\s{2,}")
_SPLIT: Final = re.compile(r"[|/•·,]+|\s{2,}")


def _has_separator(text: str) -> bool:
    """``_SEPARATORS.search(text)``, by plain scans when the only whitespace is the space.

    The regex's second branch can start anywhere, so it costs about a microsecond per line;
    six substring scans cost a fifth of that.
    """
    if text.isprintable():
        return "," in text or "|" in text or "/" in text or "•" in text or "·" in text or "  " in text
    return _SEPARATORS.search(text) is not None


def shape_reason(text: str, n: int | None = None) -> str | None:
    """Lines whose shape gives them away: read time, captions, stamps, copyright, notices.

    Cheap gates run before each regex: this is the text path's hot loop. One combined search
    for the families' trigger substrings decides whether the content families run at all.
    """
    stripped = text.strip()
    n = word_count(stripped) if n is None else n
    return _shape_reason(stripped, n, stripped.casefold())


def _shape_reason(stripped: str, n: int, low: str) -> str | None:
    """``shape_reason`` of a stripped line whose word count and case-folded text are known."""
    if n == 0:
        return "decoration"
    if n > 40:  # long lines can only be cookie banners or syndication notices
        return _long_line_reason(stripped, low)
    if n <= 12 and (low.endswith(":") or low[0].isdigit()) and _COMMENT_HEAD.match(stripped):
        return "comments widget"
    # Above 12 words the gate costs more than the few content families that still apply; below
    # it, most lines hold no trigger and only the three shape families run.
    if n <= 12 and not _hinted(low):
        if n <= 8 and _DIGIT.search(low) and _READ_TIME.match(stripped):
            return "read time"
        if _is_update_stamp(stripped, low, n):
            return "update stamp"
        if low.rstrip(". ").endswith(")") and _CREDIT.search(stripped):
            return "image caption"
        return None
    return _content_reason(stripped, low, n)


def _is_update_stamp(stripped: str, low: str, n: int) -> bool:
    """ "Updated 10:42", "(Published 3 May)": a short line the stamp regex matches, tried only
    when the line starts with a letter a stamp can start with."""
    return n <= 8 and low[:1] in _STAMP_FIRST and _STAMP.match(stripped) is not None


def _content_reason(stripped: str, low: str, n: int) -> str | None:
    """The families after the comment check, in order, for a line carrying a trigger substring."""
    if "cookie" in low and _COOKIE.search(stripped):
        return "cookie notice"
    if n <= 8 and _DIGIT.search(low) and _READ_TIME.match(stripped):
        return "read time"
    syndication_hint = "syndicat" in low or "edited" in low or "feed" in low or "dépêche" in low
    if syndication_hint and _SYNDICATION.search(stripped):
        return "syndication notice"
    ai_hint = (
        "gener" in low or "génér" in low or "summary" in low or "zusammenfassung" in low or "résumé" in low
    )
    if n <= 12 and (ai_hint or "генер" in low or "did our" in low) and _AI_LABEL.search(stripped):
        return "summary widget"
    if _is_update_stamp(stripped, low, n):
        return "update stamp"
    copyright_hint = "©" in low or "copyright" in low or "(c)" in low or "rights reserved" in low
    if n <= 25 and copyright_hint and _COPYRIGHT.search(stripped):
        return "copyright notice"
    credit_hint = (
        low.rstrip(". ").endswith(")")
        or "photo" in low
        or "image" in low
        or "foto" in low
        or "фото" in low
        or "credit" in low
        or "picture" in low
        or "bild" in low
        or "©" in low
    )
    if credit_hint and _CREDIT.search(stripped):
        return "image caption"
    return None


def _hinted(low: str) -> bool:
    """Whether the case-folded line holds any content family's trigger substring.

    Plain substring tests: each is a fast C scan, together cheaper than one alternation regex.
    An ASCII line cannot hold the non-ASCII triggers, so it skips their scans.
    """
    ascii_hint = (
        "cookie" in low
        or "syndicat" in low
        or "edited" in low
        or "feed" in low
        or "gener" in low
        or "summary" in low
        or "photo" in low
        or "image" in low
        or "copyright" in low
        or "(c)" in low
        or "credit" in low
        or "foto" in low
        or "picture" in low
        or "bild" in low
        or "rights reserved" in low
        or "did our" in low
        or "zusammenfassung" in low
    )
    if ascii_hint or low.isascii():
        return ascii_hint
    return (
        "©" in low or "dépêche" in low or "génér" in low or "résumé" in low or "генер" in low or "фото" in low
    )


def _long_line_reason(text: str, low: str) -> str | None:
    if "cookie" in low and _COOKIE.search(text):
        return "cookie notice"
    syndication_hint = (
        "syndicat" in low or "edited" in low or "feed" in low or "auto-generated" in low or "dépêche" in low
    )
    if syndication_hint and _SYNDICATION.search(text):
        return "syndication notice"
    return None


def line_reason(text: str, n: int | None = None, key: str | None = None) -> str | None:
    """First objection any single-line rule family has to ``text``.

    ``n`` (word count) and ``key`` (normalised text) may be passed when already computed.
    """
    return vocabulary_reason(text, key) or shape_reason(text, n)


_BULLET_CHARS: Final = frozenset("•·▪●◦‣-–*")


def is_bullet(text: str) -> bool:
    """A bulleted line ("• point")."""
    head = text.lstrip()[:1]
    return head in _BULLET_CHARS and bool(_BULLET.match(text))


def bio_name(text: str) -> str | None:
    """The subject of an author biography ("X works as a News Editor at ..."), if it is one."""
    if len(text) < 30 or not text[:1].isupper():
        return None
    m = _BIO.match(text.strip())
    if m and _ROLE.search(text):
        return m.group("name")
    return None


def is_role(text: str) -> bool:
    """A short job title line ("News Editor", "Korrespondentin")."""
    return word_count(text) <= 5 and names_role(text) and not is_prose(text)


def names_role(text: str) -> bool:
    """Whether the text names a newsroom job ("editor", "Korrespondentin", "журналист")."""
    return _ROLE.search(text) is not None


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Frequent function words, which say nothing about a text's subject (``function_words.txt``)."""
    text = resources.files(__package__).joinpath("function_words.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def content_words(text: str) -> set[str]:
    """Lower-cased words of four letters or more, minus function words: a topic signature."""
    data = _word_bytes(text)
    if data is not None:  # the tokens of four letters or more are the \w{4,} runs
        # Filter by length before hashing: half of all tokens are shorter than four letters.
        tokens = {w for w in data.translate(_LOWER_WORD_BYTES).decode("ascii").split() if len(w) >= 4}
        tokens -= function_words()
        if _DIGIT_BYTES.search(data) is None:  # no digits, so no all-digit token
            return tokens
        return {w for w in tokens if not w.isdigit()}
    found = set(_LONG_WORD.findall(text.casefold()))
    found -= function_words()
    return {w for w in found if not w.isdigit()}


def overlap(text: str, reference: set[str]) -> float:
    """Share of ``text``'s content words that also occur in ``reference``."""
    own = content_words(text)
    return len(own & reference) / len(own) if own else 0.0


def shingle_set(text: str, size: int = 3) -> set[tuple[str, ...]]:
    """Word n-grams, case-folded, for near-duplicate detection."""
    toks = folded_words(text)
    return {tuple(toks[i : i + size]) for i in range(max(len(toks) - size + 1, 0))}


def near_duplicate(text: str, others: Iterable[set[tuple[str, ...]]], threshold: float = 0.5) -> bool:
    """True when most of ``text``'s word trigrams appear in one of ``others`` (shingle sets)."""
    mine = shingle_set(text)
    if len(mine) < 4:
        return False
    return any(len(mine & o) / len(mine) >= threshold for o in others)


def repeated(lines: Iterable[str]) -> Counter[str]:
    """How often each normalised line occurs on the page (menus and labels repeat)."""
    return Counter(normalise(t) for t in lines if t.strip())
