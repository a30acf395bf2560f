"""The text path's speed-ups change nothing: cached verdicts, token-based signatures, hint gates."""

from __future__ import annotations

from newsprism.extract import rules, text

LINES = [
    "Home",
    "Advertisement",
    "Photo: Ada Lume / Vale Times",
    "The council approved the plan on Tuesday after a long debate about the tram depot.",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "This story was published from a syndicated feed and has not been edited by our staff.",
    "Updated 10:42",
    "3 min read",
    "© 2031 Vale Media Group. All rights reserved.",
    "A very long line about the tram plan " * 6 + "that ends here.",
]


def test_cached_and_uncached_verdicts_agree() -> None:
    page = "\n\n".join(LINES * 2)
    text.clear_caches()
    cold = text.split_lines(page)
    warm = text.split_lines(page)
    assert [(x.reason, x.prose, x.n_words, x.key) for x in cold] == [
        (x.reason, x.prose, x.n_words, x.key) for x in warm
    ]
    for line in cold:
        assert line.reason == rules.line_reason(line.text)
        assert line.prose == rules.is_prose(line.text)


def test_token_signature_equals_content_words() -> None:
    long_line = "Councillors in Glenby approved 2031 tram-depot plans; opponents' appeals failed. " * 3
    (line,) = text.split_lines(long_line)
    assert line.signature == frozenset(rules.content_words(long_line))
    non_ascii = "Die Straße nach Glenby wurde für den Straßenbahnbetrieb gesperrt, sagte die Stadt. " * 3
    (line,) = text.split_lines(non_ascii)
    assert line.signature == frozenset(rules.content_words(non_ascii))


def test_closed_matches_the_terminal_regex() -> None:
    samples = ["Done.", "He said “yes.”", "Really?)", "No end", "Quote”", "list:", "", "etc…"]
    for sample in samples:
        assert rules._closed(sample) == bool(rules._TERMINAL.search(sample))


def test_long_lines_keep_cookie_and_syndication_rules() -> None:
    filler = " ".join(["word"] * 45)
    assert rules.shape_reason(f"{filler} we use cookies to improve your experience") == "cookie notice"
    assert rules.shape_reason(f"{filler} published from a syndicated feed") == "syndication notice"
    assert rules.shape_reason(f"{filler} nothing to see") is None


# Lines for the byte-table fast paths: ASCII, U+2000-U+203F punctuation only (fast path), and
# everything the fast path must leave to the regex (letters beyond ASCII, superscript digits,
# a lone surrogate, other whitespace).
FAST_PATH_SAMPLES = [
    "",
    "Plain ASCII words, 42 of them_with underscores.",
    "He said \u201cno\u201d \u2014 twice\u2026 and left\u2019s",
    "\u2014\u2014",
    "Caf\u00e9 cr\u00e8me \u2019quoted\u2019",
    "x\u00b2 plus \u00bd and \u00aa",
    "\u041a\u0438\u0457\u0432 \u2014 \u0441\u0442\u043e\u043b\u0438\u0446\u044f 2024",
    "lone \ud800 surrogate",
    "tab\tand\u00a0nbsp  double  and\u2009thin\u3000ideographic",
    "\u00adsoft hyphen and \u0130stanbul SS \u00df",
    "powers \u00b2\u00b3\u2074\u2075 noted",
]


def test_fast_word_paths_match_the_regex() -> None:
    import re

    for sample in FAST_PATH_SAMPLES + LINES:
        assert rules.word_count(sample) == len(rules.words(sample)), sample
        assert rules.folded_words(sample) == rules.words(sample.casefold()), sample
        found = set(re.findall(r"\w{4,}", sample.casefold())) - rules.function_words()
        found = {w for w in found if not w.isdigit()}  # no all-digit tokens, superscripts included
        assert rules.content_words(sample) == found, sample


def test_normalise_matches_split_and_join() -> None:
    for sample in FAST_PATH_SAMPLES + LINES + ["  edge  ", "- Menu -", "a\x1fb"]:
        expected = " ".join(sample.strip(rules._PUNCT_EDGES).casefold().split())
        assert rules.normalise(sample) == expected, sample


def test_judge_equals_the_separate_rules() -> None:
    """The fused per-line judge gives what each rule family gives on its own."""
    extra = ["Share | Facebook | Twitter", "Tags: tram, depot", "Politics", "1 comment:", "(c) 2031 Vale"]
    for sample in FAST_PATH_SAMPLES + LINES + extra:
        stripped = sample.strip()
        if not stripped:
            continue
        n = rules.word_count(stripped)
        expected = (rules.line_reason(stripped), rules.is_prose(stripped), n, rules.normalise(stripped))
        assert rules.judge(stripped) == expected, sample


def test_separator_scan_matches_the_regex() -> None:
    separated = ["a, b", "a | b", "a  b", "a\t\tb", "a\u00a0 b", "a/b", "plain"]
    for sample in [*FAST_PATH_SAMPLES, *LINES, *separated]:
        assert rules._has_separator(sample) == bool(rules._SEPARATORS.search(sample)), sample


def test_core_words_in_one_pass_equal_the_union_of_signatures() -> None:
    lines = text.split_lines("\n".join(FAST_PATH_SAMPLES + LINES))
    union: set[str] = set()
    for line in lines:
        union |= line.signature
    assert text._words_of(lines) == union


def test_content_hash_fast_paths_equal_split_join_casefold() -> None:
    import hashlib

    from newsprism.model import content_hash

    for sample in [*FAST_PATH_SAMPLES, *LINES, " edge ", "two  spaces", "UPPER Case", "a\n\nb"]:
        if "\ud800" in sample:
            continue  # a lone surrogate cannot be encoded: extraction reports it as an error
        normalised = " ".join(sample.split()).casefold()
        assert content_hash(sample) == hashlib.sha256(normalised.encode("utf-8")).hexdigest(), sample


def test_literal_anchored_scans_equal_finditer() -> None:
    from newsprism.extract import metadata

    page = "\n".join(
        [
            "",
            "More from Vale Times",
            "the latest from The Glenby Post:",
            "Story by Harbour Desk staff, edited",
            "Standby Reuters staff",  # no word boundary before "by"
            "© 2031 Vale Media Group",
            "Copyright (C) Glenby Post, (c) 2030 Other Name",
            "Tops at North",
        ]
    )
    cases = [
        (metadata._MORE_FROM_LINES, metadata._MORE_STARTS, 1),
        (metadata._STAFF_LINES, ("by",), 0),
        (metadata._COPYRIGHT_LINES, metadata._COPYRIGHT_MARKS, 0),
    ]
    for pattern, literals, skip in cases:
        expected = [(m.start(), m.group(0)) for m in pattern.finditer(page)]
        found = [(m.start(), m.group(0)) for m in metadata._matches_at(pattern, page, literals, skip)]
        assert found == expected, pattern.pattern
        assert expected, pattern.pattern  # each case exercises at least one match
