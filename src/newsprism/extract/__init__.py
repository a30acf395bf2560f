"""Extraction: a raw ``Page`` (HTML or pre-scraped text) becomes a clean ``Article``.

``extract`` is pure (no network, database or clock) and never raises: every way a page can fail
(empty, binary, too large, undecodable, not an article) comes back as an ``ExtractionFailure``
with a one-line reason a person can act on.
"""

from __future__ import annotations

from newsprism.extract.article import extract, extract_text_document

__all__ = ["extract", "extract_text_document"]
