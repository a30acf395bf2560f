"""Framing contrasts outlets on loaded words (annotate.loaded), not on topic words."""

from __future__ import annotations

from analysis_helpers import SeedStory

from newsprism.annotate.loaded import find_loaded

GOLD_LOADED = {"all-out war", "maximalist demands", "hardline demands"}


def test_gold_loaded_terms_are_flagged_for_their_outlets(seed_story: SeedStory) -> None:
    for page, terms in seed_story.gold["story"]["framing"].items():
        outlet = seed_story.articles[page].outlet
        assert outlet is not None
        flagged = {t.term for t in seed_story.analysis.framing[outlet] if t.loaded}
        for term in GOLD_LOADED & set(terms):
            assert term in flagged, (outlet, term, flagged)


def test_loaded_words_carry_their_lexicon_entry() -> None:
    found = find_loaded("Critics slammed the bizarre, maximalist demands of the regime.")
    by_text = {t.text: (t.entry, t.lexicon) for t in found}
    assert by_text["slammed"] == ("slammed", "newsprism")
    assert by_text["maximalist"][1] == "newsprism"
    assert by_text["bizarre"] == ("bizarre", "model")  # the model over the open lexicons
    text = "Critics slammed the bizarre, maximalist demands of the regime."
    assert all(text[t.start : t.end] == t.text for t in found)


def test_social_distancing_is_not_socialist() -> None:
    """Snowball stems: the old six-letter truncation made "social" and "socialist" one word."""
    assert not [t for t in find_loaded("Schools kept social distancing rules.") if t.entry == "socialist"]
    assert [t.entry for t in find_loaded("He called the plan socialist.")] == ["socialist"]


def test_a_plain_factual_sentence_flags_nothing() -> None:
    """The sentence-level decision comes first: a neutral sentence has no loaded word."""
    assert find_loaded("The committee met on Tuesday to review the budget for next year.") == []
