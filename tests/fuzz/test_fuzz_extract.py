"""Fuzz: HTML, plain text, bytes in any encoding and every date parser never raise.

Complements ``tests/extract/test_properties.py`` (random bytes and lines) with structured HTML:
nested and unclosed tags, hostile attributes, meta charsets, JSON-LD with broken dates.
"""

from __future__ import annotations

from datetime import datetime

from fuzz_support import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from newsprism.extract import encoding, extract
from newsprism.extract.metadata import date_in, parse_iso
from newsprism.model import Article, ExtractionFailure, Page
from newsprism.sources.files import page_from_record
from newsprism.web.pages import parse_day

WILD = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)
TAGS = ["p", "div", "article", "script", "style", "h1", "a", "span", "table", "td", "br", "time", "meta"]
DATEISH = st.one_of(
    WILD,
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59+14:00",
            "2026-02-30",
            "2026-11-20T25:61:00",
            "March 32, 2026",
            "Nov 20 2026 14:02 GMT+99",
            "2026-11-20T08:30:00+01:00",
            "20 November 2026, 7:00 pm",
            "-0001-01-01",
            "2026-W47-5",
        ]
    ),
)


@st.composite
def html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(["", ' class="byline"', ' itemprop="datePublished"', ' charset="x"']))
        inner = draw(st.one_of(WILD, DATEISH))
        parts.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if draw(st.booleans()) else ""))
    ld = draw(st.sampled_from(["", '<script type="application/ld+json">{"datePublished": "%s"}</script>']))
    if ld:
        ld = ld % draw(DATEISH).replace('"', "")
    return f"<html><head><title>{draw(WILD)}</title>{ld}</head><body>{''.join(parts)}</body></html>"


@FUZZ
@given(html(), st.sampled_from(["utf-8", "cp1252", "utf-16", "cp1251", "str"]))
def test_structured_html_never_raises(markup: str, codec: str) -> None:
    content: str | bytes = markup if codec == "str" else markup.encode(codec, "replace")
    result = extract(Page("fuzz", content, "html", url="https://example.org/a"))
    assert isinstance(result, Article | ExtractionFailure)


@FUZZ
@given(st.lists(st.one_of(WILD, DATEISH), max_size=30).map("\n".join))
def test_plain_text_never_raises(text: str) -> None:
    result = extract(Page("fuzz", text, "text"))
    assert isinstance(result, Article | ExtractionFailure)


@FUZZ
@given(st.binary(max_size=3000))
def test_encoding_detection_never_raises(data: bytes) -> None:
    decoded = encoding.decode(data)
    assert decoded is None or isinstance(decoded, str)


@FUZZ
@given(DATEISH, st.lists(st.one_of(WILD, DATEISH), max_size=5))
def test_date_parsers_never_raise(value: str, lines: list[str]) -> None:
    for dated in (parse_iso(value), date_in(lines), date_in([value])):
        assert dated is None or (isinstance(dated.when, datetime) and dated.when.tzinfo is not None)
    day = parse_day(value)
    assert day is None or day.tzinfo is not None
    record = page_from_record({"text": "Some words here.", "published_at": value}, "fuzz")
    assert isinstance(record, Page | ExtractionFailure)
