"""The loaded-word model: WordLlama's embeddings read offline from its wheel, taught by open
lexicons, and what ships (numbers only, nothing fitted on BABE)."""

from __future__ import annotations

import json
import socket
import sys
from importlib import resources

import pytest

from newsprism.annotate import loaded

# written for these tests (not from any evaluation corpus)
OPINION = "The crooked mayor and his cronies rammed through a shameless giveaway to developers."
REPORTS = (
    "The city council voted 7-2 on Monday to approve the new bus routes.",
    "Police said the suspect was arrested near the station at 3 p.m.",
    "Mr. Smith, who chairs the committee, said the hearing would resume in March.",
)


def test_embeddings_load_from_the_wheel_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    """No download at run time: with every socket refused and the hub offline, the vectors
    load from the installed wordllama files, without importing wordllama (and its downloader)."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    loaded.vectors.cache_clear()
    try:
        embeddings = loaded.vectors()
    finally:
        loaded.vectors.cache_clear()
    assert embeddings.matrix.shape == (32000, 256)
    assert "wordllama" not in sys.modules


def test_opinion_words_outrank_report_words_and_reports_flag_nothing() -> None:
    """The lexicon-taught model carries the lexicons to words they lack ("cronies" is in none,
    Pattern calls "crooked" objective): each evaluative word of the opinion rates above every
    plain word of it. Its sentence-level threshold (chosen on BABE's even half for precision)
    flags the strongest, "shameless", beside the curated "giveaway"; the reports flag nothing.
    (The BABE-fitted model this replaces also flagged "crooked" and "cronies".)"""
    rules = loaded.model()
    evaluative = [rules.rate(w) for w in ("crooked", "cronies", "shameless", "rammed")]
    plain = [rules.rate(w) for w in ("mayor", "developers", "through")]
    assert min(evaluative) > max(plain)
    found = {(t.text, t.lexicon) for t in loaded.find_loaded(OPINION)}
    assert {("shameless", "model"), ("giveaway", "newsprism")} <= found
    assert not {t for t, _ in found} & {"mayor", "developers", "through"}
    for text in REPORTS:
        assert loaded.find_loaded(text) == [], text


def test_a_word_weighs_less_capitalised_or_quoted() -> None:
    """The rating depends on the word and its place only: a capitalised word after the first
    (mostly a name) and a word inside a quotation (the speaker's word) weigh less."""
    rules = loaded.model()
    plain = loaded.evidence("They called it shameless.")
    quoted = loaded.evidence('They called it "shameless".')
    capital = loaded.evidence("They called it Shameless.")
    word = rules.rate("shameless")
    assert plain.ratings(rules)[-1] == word
    assert quoted.ratings(rules)[-1] == word * rules.quoted
    assert capital.ratings(rules)[-1] == word * rules.capitalised


def test_an_opinion_reads_more_evaluative_than_reports() -> None:
    """The register (the sentence's tokens along the direction from plain reports to the
    lexicons' evaluative words) puts the opinion above each report."""
    register = loaded.model().register
    assert register is not None

    def of(text: str) -> float:
        return register.of([m.group().casefold() for m in loaded.words_of(text)])

    assert of(OPINION) > max(of(text) for text in REPORTS)


def test_the_shipped_model_is_numbers_only() -> None:
    """Nothing of BABE (AGPL) ships: the model file holds weights taught by the open lexicons,
    four decision numbers, the label settings, and the names of the features; no corpus word."""
    here = resources.files("newsprism.annotate")
    data = json.loads(here.joinpath("loaded_model.json").read_text("utf-8"))
    assert set(data) == {
        "about",
        "embedding",
        "word_features",
        "labels",
        "sentence_threshold",
        "word_threshold",
        "capitalised_factor",
        "quoted_factor",
        "register_lift",
        "register_mean",
        "register_scale",
        "register_direction",
        "word_weights",
    }
    assert tuple(data["word_features"]) == loaded.WORD_FEATURES
    assert len(data["word_weights"]) == 256 * 3 + 4 + 1
    assert len(data["register_direction"]) == 256
    assert all(isinstance(w, float) for w in data["word_weights"] + data["register_direction"])
    assert all(isinstance(v, int | float) for v in data["labels"].values())
    assert not here.joinpath("loaded_model.npz").is_file()
