"""Text normalisation shared by the model's content hash and extraction's line rules.

A leaf module (no newsprism imports) so that ``model`` can use it, and compiled with the
extraction hot path (``setup.py``): extraction calls it for every line it judges.
"""

from __future__ import annotations

from typing import Final

# Byte table lowering ASCII letters and leaving every other byte alone (UTF-8 continuation and
# lead bytes included), shared with extraction's byte-level fast paths.
ASCII_LOWER: Final = bytes(ord(chr(i).lower()) if i < 128 else i for i in range(256))


def collapse_whitespace(text: str) -> str:
    """``" ".join(text.split())``, without the split when the text is already like that.

    Printable text has no whitespace but the space: without double or edge spaces it is
    already collapsed. Extraction collapses every line it judges and every body it hashes.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())
