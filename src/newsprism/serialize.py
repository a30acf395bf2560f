"""Dataclasses <-> JSON-ready dicts, and the public ``analyse`` JSON contract.

One generic codec (driven by the dataclasses' own type hints) serves the store, the CLI and the
API, so a field added to ``model.py`` flows everywhere without hand-written mappers.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
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


Decoder = Callable[[Any], Any]


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a value of type ``cls`` (dataclass, list, dict, Optional, datetime...) from JSON."""
    return cast(T, _decoder(cast(Any, cls))(data))


def _identity(data: Any) -> Any:
    return data


@cache
def _decoder(tp: Any) -> Decoder:
    """One decode function per type, built once: the story page decodes an Analysis per miss.

    Walking the type hints on every value cost ~10x a hand-written decoder; compiling them into
    closures (and passing plain ``str``/``int``/``bool`` values through untouched) closes that gap
    while keeping a single codec. ``None`` always decodes to ``None``, as JSON ``null`` does.
    """
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType):
        return _union_decoder([a for a in args if a is not type(None)])
    if origin is list:
        return _list_decoder(_decoder(args[0]))
    if origin is tuple:
        return _tuple_decoder([_decoder(a) for a in args])
    if origin is dict:
        return _dict_decoder(_decoder(args[1]))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_decoder(tp)
    if tp is datetime:
        return _decode_datetime
    return _identity  # str, int, float, bool, Literal, Any: JSON already holds the value


def _union_decoder(candidates: list[Any]) -> Decoder:
    """The first candidate type that accepts the value decodes it; otherwise it passes through."""
    pairs = [(c, _decoder(c)) for c in candidates]
    if all(dec is _identity for _c, dec in pairs):
        return _identity

    def decode(data: Any) -> Any:
        if data is None:
            return None
        for candidate, dec in pairs:
            if _accepts(candidate, data):
                return dec(data)
        return data

    return decode


def _list_decoder(item: Decoder) -> Decoder:
    if item is _identity:
        return lambda data: None if data is None else list(data)
    return lambda data: None if data is None else [item(x) for x in data]


def _tuple_decoder(items: list[Decoder]) -> Decoder:
    return lambda data: None if data is None else tuple(f(x) for f, x in zip(items, data, strict=False))


def _dict_decoder(value: Decoder) -> Decoder:
    if value is _identity:
        return lambda data: None if data is None else dict(data)
    return lambda data: None if data is None else {k: value(v) for k, v in data.items()}


def _dataclass_decoder(cls: type) -> Decoder:
    """Keyword arguments from the known init fields; unknown keys are ignored (old rows)."""
    plain: set[str] = set()  # fields whose JSON value is used as is (str, int, Literal...)
    converted: list[tuple[str, Decoder]] = []  # fields needing a decoder (dataclass, list...)
    resolved: list[bool] = []

    def decode(data: Any) -> Any:
        if data is None:
            return None
        if not resolved:  # resolved on first use, so a dataclass may refer to itself
            hints = typing.get_type_hints(cls)
            for f in dataclasses.fields(cls):
                if f.init:
                    dec = _decoder(hints[f.name])
                    if dec is _identity:
                        plain.add(f.name)
                    else:
                        converted.append((f.name, dec))
            resolved.append(True)
        kwargs = {k: v for k, v in data.items() if k in plain}
        for name, dec in converted:
            if name in data:
                kwargs[name] = dec(data[name])
        return cls(**kwargs)

    return decode


def _decode_datetime(data: Any) -> Any:
    return datetime.fromisoformat(data) if isinstance(data, str) else data


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
    ``authors`` keeps the list. A date-only ``published_at`` (precision "day") prints as the
    date alone, so no reader takes an invented midnight UTC for the time of publication.
    """
    record = {
        "path": article.source,
        **to_jsonable(article),
        "author": ", ".join(article.authors) or None,
    }
    if article.published_at is not None and article.published_precision == "day":
        record["published_at"] = article.published_at.date().isoformat()
    return record


def story_contract(story: Story, articles: list[Article], analysis: Analysis | None) -> dict[str, Any]:
    """One story in the public JSON contract of ``newsprism analyse`` / ``stories --format json``.

    Kept deliberately small and stable (see README, "JSON contract"): richer fields live under
    ``comparison`` so the core keys never change shape.
    """
    fields = ("id", "source", "url", "outlet", "title", "published_at")
    listing = [{name: getattr(a, name) for name in fields} for a in articles]
    return contract_from_records(story, listing, to_jsonable(analysis) if analysis is not None else None)


def contract_from_records(
    story: Story, articles: list[dict[str, Any]], analysis: dict[str, Any] | None
) -> dict[str, Any]:
    """``story_contract`` from JSON-shaped parts: article listing dicts (id, source, url,
    outlet, title, published_at) and the analysis as ``to_jsonable`` (and the store) shape it.

    The JSON API builds its answer from the stored analysis JSON directly: decoding it into
    dataclasses only to encode it again was most of an API request's cost.
    """
    by_id = {a["id"]: a for a in articles}
    members = [by_id[i] for i in story.article_ids if i in by_id]
    out: dict[str, Any] = {
        "id": story.id,
        "headline": story.headline,
        "outlets": story.outlets,
        "articles": [
            {
                "id": a["id"],
                "source": a["url"] or a["source"],
                "outlet": a["outlet"],
                "title": a["title"],
                "published_at": a["published_at"].isoformat() if a["published_at"] else None,
            }
            for a in members
        ],
    }
    if analysis is None:
        out["quick_read"] = None
        out["facts"] = []
        return out
    qr = analysis["quick_read"]
    out["quick_read"] = {
        "method": qr["method"],
        "status": qr["status"],
        "version": qr["version"],
        "bullets": [
            {
                "text": b["text"],
                "outlets": b.get("outlets", []),
                "facts": b.get("fact_ids", []),
                "citations": [
                    {"article": c["article_id"], "sentence": c["sentence"]} for c in b["citations"]
                ],
                "disagreeing": b.get("disagreeing", []),
                "dates": b.get("dates", []),
            }
            for b in qr["bullets"]
        ],
    }
    out["facts"] = [
        {
            "id": f["id"],
            "kind": f["kind"],
            "outlets": f["outlets"],
            "sentences": [{"article": r["article_id"], "text": r["text"]} for r in f["sentences"]],
            "nearest_misses": f.get("nearest_misses", []),
        }
        for f in analysis["facts"]
    ]
    # fields added to the model later default as decoding would (rows stored before them)
    out["comparison"] = {
        "quotes": analysis.get("quotes", []),
        "discrepancies": analysis.get("discrepancies", []),
        "framing": analysis.get("framing", {}),
    }
    return out
