"""The loaded-word model: WordLlama's embeddings read offline from its wheel, and what ships."""

from __future__ import annotations

import json
import socket
import sys
from importlib import resources

import numpy as np
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


def test_opinion_flags_its_evaluative_words_and_reports_flag_nothing() -> None:
    flagged = {t.text for t in loaded.find_loaded(OPINION) if t.lexicon == "model"}
    assert {"crooked", "cronies"} <= flagged
    assert not flagged & {"mayor", "developers", "through"}
    for text in REPORTS:
        assert loaded.find_loaded(text) == [], text


def test_the_cached_first_layer_rates_exactly_as_the_full_product() -> None:
    """``rate_sentences`` caches each word type's share of the first layer; it must give the
    ratings of the plain matrix product the training script uses."""
    words = loaded.model().words
    for text in (OPINION, *REPORTS):
        seen = loaded.evidence(text)
        np.testing.assert_allclose(words.rate_sentences([seen])[0], words.rate(seen.rows), atol=1e-5)


def test_the_shipped_model_is_numbers_only() -> None:
    """Nothing of BABE (AGPL) ships: the model files hold weights, thresholds and the names of
    the open lexicon features, no corpus word."""
    here = resources.files("newsprism.annotate")
    data = json.loads(here.joinpath("loaded_model.json").read_text("utf-8"))
    assert set(data) == {
        "about",
        "embedding",
        "lexicon_features",
        "sentence_threshold",
        "word_threshold",
        "word_model",
        "sentence_weights",
    }
    assert tuple(data["lexicon_features"]) == loaded.FEATURES
    assert all(isinstance(w, float) for w in data["sentence_weights"])
    with here.joinpath("loaded_model.npz").open("rb") as handle, np.load(handle) as nets:
        assert set(nets.files) == set(loaded.WORD_ARRAYS)
        assert all(nets[k].dtype == np.float32 for k in nets.files)
