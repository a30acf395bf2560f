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
    assert line.tokens is not None
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
