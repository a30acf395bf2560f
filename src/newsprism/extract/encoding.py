"""Bytes to text: BOM, declared charset, then detection, and a binary-content check.

Pages arrive as bytes from files and the network, often with a wrong or missing charset
declaration (a cp1251 page declared as UTF-8, a latin-1 page with no declaration). UTF-8 that
decodes strictly is trusted first because random single-byte text almost never is valid UTF-8;
a declaration is trusted only when it decodes cleanly; otherwise charset-normalizer decides.
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
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    if declared:
        return data.decode(declared, errors="replace")
    return None
