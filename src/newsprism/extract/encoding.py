"""Bytes to text: BOM, declared charset, then detection, and a binary-content check.

Pages arrive as bytes from files and the network, often with a wrong or missing charset
declaration (a cp1251 page declared as UTF-8, a latin-1 page with no declaration). UTF-8 that
decodes strictly is trusted first because random single-byte text almost never is valid UTF-8;
a declaration is trusted only when it decodes cleanly. Mostly-ASCII text is Latin script, so its
code page is chosen among the Latin ones by evidence (accents read as letters inside words, then
charset-normalizer's chaos, then Western first); anything else is charset-normalizer's call.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""",
    re.IGNORECASE,
)
# Single-byte code pages decode any byte string, so a declaration of one proves nothing.
_PERMISSIVE = {"latin_1", "iso8859_1", "cp1252", "iso8859_15", "ascii"}
# Latin code pages tried for mostly-ASCII text, Western first (the usual unlabelled case)
_LATIN = ("cp1252", "cp1250", "iso8859_2", "cp1257", "iso8859_15")
_WORD_PUNCTUATION = frozenset("\u2019\u2018\u00b7\u00ad")  # ’ ‘ · soft hyphen
LATIN_MEAN_RUN = 2.0  # mean length of runs of bytes >= 0x80 in Latin-script text
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
SNIFF_BYTES = 4096
BINARY_CONTROL_SHARE = 0.10


def _bom(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def declared_charset(data: bytes) -> str | None:
    """Charset named in a meta tag or XML declaration near the top of the document."""
    m = _DECLARED.search(data[:SNIFF_BYTES])
    if not m:
        return None
    name = (m.group(1) or m.group(2) or b"").decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first block: not text of any kind."""
    head = data[:SNIFF_BYTES]
    if not head or _bom(head):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > BINARY_CONTROL_SHARE


def decode(data: bytes) -> str | None:
    """Best decoding of ``data``, or ``None`` when no charset explains it."""
    bom = _bom(data)
    if bom:
        try:
            return data.decode(bom)
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared and declared not in _PERMISSIVE and declared != "utf-8":
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    matches = from_bytes(data)
    if _accents_in_words(data):
        latin = _latin_choice(data, declared, {m.encoding: (m.chaos, -m.coherence) for m in matches})
        if latin is not None:
            return latin
    best = matches.best()
    if best is not None:
        return str(best)
    if declared:
        return data.decode(declared, errors="replace")
    return None


def _accents_in_words(data: bytes) -> bool:
    """Latin-script text: its high bytes are accents, alone or in pairs inside ASCII words.

    Cyrillic, Greek or CJK in a legacy code page (and UTF-8 of any script) comes in runs of high
    bytes as long as words, and is left to charset-normalizer. Judged on runs, not on the share
    of ASCII, because markup makes any HTML page mostly ASCII.
    """
    runs = [len(run) for run in _HIGH_RUN.findall(data)]
    return bool(runs) and sum(runs) / len(runs) <= LATIN_MEAN_RUN


def _latin_choice(data: bytes, declared: str | None, fit: dict[str, tuple[float, float]]) -> str | None:
    """The Latin code page under which the accented characters read as letters in words.

    A Western page in cp1252 read as cp1250 turns "crème" into "crčme": still letters, so the
    tie is broken by charset-normalizer's chaos, then its language coherence, then by preferring
    Western (cp1252), the most common code page of unlabelled Latin text. A Central European
    page read as cp1252 gives itself away with symbols inside words ("Rz¹d" for "Rząd").
    Candidates that cannot decode the bytes (undefined positions) drop out.
    """
    order = [declared] if declared in _LATIN else []
    order += [name for name in _LATIN if name != declared]
    scored: list[tuple[int, tuple[float, float], int, str]] = []
    for rank, name in enumerate(order):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((_symbols_inside_words(text), fit.get(name, (1.0, 0.0)), rank, text))
    return min(scored)[3] if scored else None


def _symbols_inside_words(text: str) -> int:
    """Non-ASCII characters that are not letters yet sit between two letters (``Rz¹d``).

    Apostrophes and the Catalan middle dot legitimately do; C1 control characters never appear
    in text and count too.
    """
    count = 0
    for i, char in enumerate(text):
        if ord(char) < 0x80 or char.isalpha() or char in _WORD_PUNCTUATION:
            continue
        if 0x80 <= ord(char) < 0xA0 or (
            0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
        ):
            count += 1
    return count
