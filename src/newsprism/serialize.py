"""Dataclasses <-> JSON-ready dicts, and the public ``analyse`` JSON contract.

One generic codec (driven by the dataclasses' own type hints) serves the store, the CLI and the
API, so a field added to ``model.py`` flows everywhere without hand-written mappers.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, Union, cast

from newsprism.model import Analysis, Article, Story

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    """Convert dataclasses, datetimes, tuples and containers into JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a value of type ``cls`` (dataclass, list, dict, Optional, datetime...) from JSON."""
    return cast(T, _decode(cls, data))


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        for candidate in non_none:
            if _accepts(candidate, data):
                return _decode(candidate, data)
        return data
    if origin is list:
        return [_decode(args[0], item) for item in data]
    if origin is tuple:
        return tuple(_decode(a, item) for a, item in zip(args, data, strict=False))
    if origin is dict:
        return {k: _decode(args[1], v) for k, v in data.items()}
    if origin is typing.Literal:
        return data
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        kwargs = {k: _decode(hints[k], v) for k, v in data.items() if k in names}
        return tp(**kwargs)
    if tp is datetime and isinstance(data, str):
        return datetime.fromisoformat(data)
    return data


def _accepts(tp: Any, data: Any) -> bool:
    origin = typing.get_origin(tp) or tp
    if origin is datetime:
        return isinstance(data, str)
    if origin in (list, tuple):
        return isinstance(data, list)
    if dataclasses.is_dataclass(origin) or origin is dict:
        return isinstance(data, dict)
    if isinstance(origin, type):
        return isinstance(data, origin)
    return True


def article_record(article: Article) -> dict[str, Any]:
    """An extracted article as ``newsprism extract`` prints it: every field, plus ``author``.

    ``author`` (all bylines joined) is the single-string form most users and tools expect;
    ``authors`` keeps the list.
    """
    return {
        "path": article.source,
        **to_jsonable(article),
        "author": ", ".join(article.authors) or None,
    }


def story_contract(story: Story, articles: list[Article], analysis: Analysis | None) -> dict[str, Any]:
    """One story in the public JSON contract of ``newsprism analyse`` / ``stories --format json``.

    Kept deliberately small and stable (see README, "JSON contract"): richer fields live under
    ``comparison`` so the core keys never change shape.
    """
    by_id = {a.id: a for a in articles}
    members = [by_id[i] for i in story.article_ids if i in by_id]
    out: dict[str, Any] = {
        "id": story.id,
        "headline": story.headline,
        "outlets": story.outlets,
        "articles": [
            {
                "id": a.id,
                "source": a.url or a.source,
                "outlet": a.outlet,
                "title": a.title,
                "published_at": a.published_at.isoformat() if a.published_at else None,
            }
            for a in members
        ],
    }
    if analysis is None:
        out["quick_read"] = None
        out["facts"] = []
        return out
    qr = analysis.quick_read
    out["quick_read"] = {
        "method": qr.method,
        "status": qr.status,
        "version": qr.version,
        "bullets": [
            {
                "text": b.text,
                "outlets": b.outlets,
                "facts": b.fact_ids,
                "citations": [{"article": c.article_id, "sentence": c.sentence} for c in b.citations],
            }
            for b in qr.bullets
        ],
    }
    out["facts"] = [
        {
            "id": f.id,
            "kind": f.kind,
            "outlets": f.outlets,
            "sentences": [{"article": s.article_id, "text": s.text} for s in f.sentences],
        }
        for f in analysis.facts
    ]
    out["comparison"] = {
        "quotes": to_jsonable(analysis.quotes),
        "discrepancies": to_jsonable(analysis.discrepancies),
        "framing": to_jsonable(analysis.framing),
    }
    return out
