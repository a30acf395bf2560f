"""The JSON record of what annotation found in one article (``newsprism annotate``).

One article, no grouping: a reader (or a test) can check every annotation against the text,
so each item carries character offsets into ``text`` (the body paragraphs joined by a blank
line, ``Article.text``) and the sentence it belongs to. The shape is documented in the README
and only grows: keys are added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from newsprism.annotate import nlp
from newsprism.annotate.quantities import parse_quantity
from newsprism.model import AnnotatedArticle, Sentence

RECORD_VERSION = 1


def _sentence_starts(annotated: AnnotatedArticle) -> dict[int, int]:
    """Sentence index -> offset of the sentence in ``Article.text``."""
    body = annotated.article.body
    paragraph_start: list[int] = []
    offset = 0
    for paragraph in body:
        paragraph_start.append(offset)
        offset += len(paragraph) + 2
    starts: dict[int, int] = {}
    cursor: dict[int, int] = {}
    for sentence in annotated.sentences:
        inside = body[sentence.paragraph].find(sentence.text, cursor.get(sentence.paragraph, 0))
        cursor[sentence.paragraph] = inside + len(sentence.text)
        starts[sentence.index] = paragraph_start[sentence.paragraph] + inside
    return starts


def _span(sentence: Sentence, start: int, piece: str) -> tuple[int, int]:
    at = sentence.text.find(piece)
    return (start + at, start + at + len(piece)) if at >= 0 else (-1, -1)


def annotation_record(annotated: AnnotatedArticle) -> dict[str, Any]:
    """Sentences, entities, quotes, quantities, dates and loaded words of one article."""
    article = annotated.article
    starts = _sentence_starts(annotated)
    by_index = {s.index: s for s in annotated.sentences}
    spans = nlp.entities([s.text for s in annotated.sentences])
    entities = [
        {
            "text": span.text,
            "label": span.label,
            "sentence_index": sentence.index,
            "start": starts[sentence.index] + span.start,
            "end": starts[sentence.index] + span.end,
        }
        for sentence, found in zip(annotated.sentences, spans, strict=True)
        for span in found
    ]
    quotes = []
    for quote in annotated.quotes:
        start, end = _span(by_index[quote.sentence_index], starts[quote.sentence_index], quote.text)
        quotes.append(
            {
                "text": quote.text,
                "sentence_index": quote.sentence_index,
                "start": start,
                "end": end,
                "cue": quote.cue,
                "speaker": {
                    "name": quote.speaker,
                    "as_written": quote.speaker_as_written,
                    "resolved_by": quote.resolved_by,
                },
            }
        )
    quantities, dates = [], []
    for mention in annotated.numbers:
        sentence = by_index[mention.sentence_index]
        start, end = _span(sentence, starts[mention.sentence_index], mention.text)
        place = {"text": mention.text, "sentence_index": mention.sentence_index, "start": start, "end": end}
        if mention.unit == "date":
            dates.append({**place, "value": mention.value})
            continue
        parsed = parse_quantity(mention.text, sentence.text)
        if parsed is None:
            continue
        quantities.append(
            {
                **place,
                "value": parsed.value,
                "low": parsed.low if parsed.low != float("-inf") else None,
                "high": parsed.high if parsed.high != float("inf") else None,
                "unit": parsed.unit,
                "counted": parsed.counted,
                "approximate": parsed.approximate,
                "qualifier": parsed.qualifier,
            }
        )
    loaded = [
        {
            "text": word.text,
            "sentence_index": word.sentence_index,
            "start": starts[word.sentence_index] + word.start,
            "end": starts[word.sentence_index] + word.end,
            "entry": word.entry,
            "lexicon": word.lexicon,
        }
        for word in annotated.loaded
    ]
    return {
        "version": RECORD_VERSION,
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "outlet": article.outlet,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "text": article.text,
        "sentences": [
            {
                "index": s.index,
                "paragraph": s.paragraph,
                "start": starts[s.index],
                "end": starts[s.index] + len(s.text),
                "text": s.text,
            }
            for s in annotated.sentences
        ],
        "entities": entities,
        "quotes": quotes,
        "quantities": quantities,
        "dates": dates,
        "loaded": loaded,
    }
