"""Annotation: sentences, entities, quotes, numbers and dates of one clean article.

``annotate(article)`` is pure: the only notion of time is ``article.published_at``, used to
resolve relative dates ("Friday", "last week").
"""

from __future__ import annotations

from newsprism.annotate.entities import find_entities
from newsprism.annotate.loaded import find_loaded_all
from newsprism.annotate.numbers import find_numbers
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
from newsprism.model import AnnotatedArticle, Article, Entity, LoadedWord, NumberMention

__all__ = ["annotate"]


def annotate(article: Article) -> AnnotatedArticle:
    """Sentences (exact substrings of the body), entities, quotes with speakers, numbers,
    loaded words."""
    sentences = split_sentences(article)
    entities: list[Entity] = []
    numbers: list[NumberMention] = []
    loaded: list[LoadedWord] = []
    published = article.published_at.date() if article.published_at else None
    for sentence, terms in zip(sentences, find_loaded_all([s.text for s in sentences]), strict=True):
        entities.extend(find_entities(sentence))
        numbers.extend(find_numbers(sentence, published))
        for term in terms:
            where = (sentence.index, term.start, term.end)
            loaded.append(LoadedWord(term.text, *where, term.entry, term.lexicon))
    quotes = find_quotes(article.id, sentences, entities)
    return AnnotatedArticle(article, sentences, entities, quotes, numbers, loaded)
