"""Dates at the edges of the calendar: no value a page can state may crash a run (#12, #16 item 1).

Years 1 and 9999, offsets of ±14 hours, and wall-clock times that do not exist or exist twice
(DST gaps and folds) go through parsing, the plausibility bound, annotation's date arithmetic
and the store's UTC-plus-offset encoding.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from factories import article_from_paragraphs
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.annotate import annotate
from newsprism.extract import extract, metadata
from newsprism.model import Article, Page
from newsprism.store.repository import _in_offset

FETCHED = datetime(2026, 12, 1, tzinfo=UTC)
LATEST = metadata.latest_plausible(FETCHED)

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
aware_datetimes = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59), timezones=offsets
)
zones = st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati"])


@settings(max_examples=300, deadline=None)
@given(aware_datetimes)
def test_any_stated_timestamp_parses_and_is_bounded(when: datetime) -> None:
    found = metadata.parse_iso(when.isoformat())
    assert found is not None and found.when == when and found.precision == "time"
    assert found.offset_minutes == int(when.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
    kept = metadata.plausible(found, LATEST)
    assert (kept is not None) == (when.year >= metadata.EARLIEST_YEAR and when <= LATEST)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime(1, 1, 1).date(), max_value=datetime(9999, 12, 31).date()))
def test_any_stated_date_is_a_day(day: object) -> None:
    found = metadata.parse_iso(str(day))
    assert found is not None and found.precision == "day" and found.offset_minutes is None


@settings(max_examples=150, deadline=None)
@given(aware_datetimes)
def test_annotation_date_arithmetic_never_overflows(when: datetime) -> None:
    """Relative dates ("last week", "Monday", "next year") resolve or stay relative, at year 1 too."""
    article = article_from_paragraphs(
        [
            "The council met last week and again on Monday, the mayor said yesterday.",
            "Work starts next month, ends next year and the board meets on Friday and in January.",
        ],
        title="Council",
        outlet="Ledger",
        when=when,
    )
    annotated = annotate(article)
    assert annotated.numbers


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2026, 11, 30), timezones=zones.map(ZoneInfo)
    )
)
def test_dst_gaps_and_folds_keep_their_instant_through_the_store_encoding(when: datetime) -> None:
    """A wall-clock time in a DST gap or fold has one UTC offset; UTC + offset gives it back."""
    found = metadata.stamp(when)
    assert found.offset_minutes is not None
    stored = _in_offset(found.when, 0)
    loaded = _in_offset(stored, found.offset_minutes)
    # (PEP 495: an aware time in a gap or fold never compares equal across zones: compare UTC)
    assert loaded.utcoffset() == when.utcoffset()
    assert loaded.replace(tzinfo=None) == when.replace(tzinfo=None)


def test_zyte_page_dated_year_one_has_no_date_and_annotates(eval_dir: object) -> None:
    """The Zyte page whose JSON-LD says 0001-01-01 crashed ``analyse`` with OverflowError."""
    from pathlib import Path

    path = (
        Path(str(eval_dir))
        / "extraction/html/65ce3a4577a0306994efa190a0d96e84014f9d4257ad54753e807ede518f02c0.html.gz"
    )
    page = Page(str(path), gzip.decompress(path.read_bytes()), "html", fetched_at=FETCHED)
    article = extract(page)
    assert isinstance(article, Article)
    assert article.published_at is None or article.published_at.year >= metadata.EARLIEST_YEAR
    annotate(article)
