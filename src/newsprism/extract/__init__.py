"""Extraction: a raw ``Page`` (HTML or pre-scraped text) becomes a clean ``Article``.

``extract`` is pure (no network, database or clock) and never raises: every way a page can fail
(empty, binary, too large, undecodable, not an article) comes back as an ``ExtractionFailure``
with a one-line reason a person can act on.

Layout (why each piece exists):

- ``encoding``: bytes to text. Strict UTF-8 first, a declared charset only when it decodes
  cleanly and is not a permissive single-byte one, else charset-normalizer; so mis-declared
  pages (cp1251 declared as UTF-8, undeclared latin-1) decode correctly.
- ``html``: one parse; metadata from the head in one pass, the date from htmldate (fast mode,
  fixed upper bound so no clock is read), the body from trafilatura in precision mode without
  comments, default mode as a fallback when precision mode keeps almost nothing; then the
  shared vocabulary rules and the edge rules of ``cleanup``. Beats plain trafilatura on the
  public benchmark at about its cost.
- ``cleanup``: furniture told apart by where it sits: kicker labels ("BREAKING") and the
  repeated headline above the first prose paragraph, the sub-headline right below the headline
  (it becomes the standfirst), wire credit lines ("(Reporting by ...; Editing by ...)", "mit
  Material von dpa"; an agency's bare name only as the last line), newsletter "Name: tagline"
  promos beside a sign-up prompt. The HTML path runs them on trafilatura's paragraphs; the text
  path uses the credit, promo and standfirst shapes.
- ``text``: furniture removal for scraped text. A maximum-sum run over per-line scores finds
  the core of prose; edges and inner lines are then decided by the rule families in ``rules``
  (line shape, multilingual vocabulary in ``furniture.txt``, repeats, position, lexical overlap
  for teasers, near-duplicates after the end, author biographies). Every dropped line is kept
  with its reason.
- ``metadata``: outlet, author, read time (stated wins, else 238 wpm), syndication and agency,
  language, dates: shared by both paths. The agency is the source a syndication notice names
  ("syndicated feed of X", "distributed by X", "X contributed to this report"), else a known
  wire's credit, else the dateline's credit code; the outlet is voted from what the page says
  about its publisher ("edited by X", "by X staff", "More from X", "© YEAR X", the masthead,
  the URL's domain) with the agency excluded while another publisher is named. Dates are always
  time-zone aware: the page's own offset when stated (HTML meta, JSON-LD, ``<time datetime>``
  are read before htmldate, which drops offsets), UTC when only a date is known.
- Speed (text path): line verdicts are cached across pages (``text.clear_caches`` resets the
  cache; the benchmark starts every round cold) and come from one fused judge per line
  (``rules.judge``: one encoding, one case fold); the content-family regexes sit behind plain
  substring gates; word counts and topic signatures of lines whose only non-ASCII characters
  are U+2000-U+203F punctuation come from byte tables instead of the word regex (same tokens);
  the article core is tokenised once, not line by line; metadata regexes without a literal
  prefix run only where their opening literal occurs (``metadata._matches_at``).
- Compiled: ``setup.py`` compiles ``rules``, ``text``, ``cleanup``, ``metadata``, ``article``
  (and the shared ``newsprism.textnorm``) with mypyc when a C compiler is present (about 1.5x
  faster, same results; ``compiled()`` says which build runs). They are therefore written in
  the typed subset mypyc accepts, and their annotations must be true at run time (mypyc checks
  them).
- ``evaluation``: the public benchmark's metric, reproduced exactly (used by tests and
  ``benchmarks/extract_eval.py``).
"""

from __future__ import annotations

from newsprism.extract.article import extract, extract_text_document


def compiled() -> bool:
    """Whether the hot modules run compiled by mypyc (``setup.py``) or as plain Python."""
    from newsprism.extract import rules

    return not rules.__file__.endswith(".py")


__all__ = ["compiled", "extract", "extract_text_document"]
