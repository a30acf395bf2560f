"""Metadata rules: read time, syndication and agency, outlet, bylines, language, dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsprism.extract import metadata


def test_stated_read_time_wins_and_estimate_uses_238_wpm() -> None:
    assert metadata.stated_read_time(["Read Time: 3 mins"]) == 3
    assert metadata.stated_read_time([]) is None
    assert metadata.WORDS_PER_MINUTE == 238
    assert metadata.estimated_read_time(238) == 1
    assert metadata.estimated_read_time(239) == 2
    assert metadata.estimated_read_time(0) == 1


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("the spokesman told reporters, including AFP, on Friday.", "AFP"),
        ("PARIS (AFP) - Talks resumed on Monday.", "AFP"),
        ("KYIV (Reuters) - Talks resumed on Monday.", "Reuters"),
        ("the minister told The Associated Press on Monday.", "AP"),
        ("the ministry said, according to dpa.", "dpa"),
    ],
)
def test_agency_in_credit_contexts(text: str, agency: str) -> None:
    assert metadata.agency_in(text) == agency


def test_agency_needs_a_credit_context() -> None:
    assert metadata.agency_in("Shares in Reuters Holdings rose.") is None


def test_syndication_needs_a_notice_or_dateline() -> None:
    body = ["Talks resumed, the spokesman told reporters, including AFP."]
    assert metadata.syndication([], body) == (False, None)
    notice = ["(This story is published from a syndicated feed.)"]
    assert metadata.syndication(notice, body) == (True, "AFP")
    assert metadata.syndication([], ["GENEVA (Reuters) - Talks resumed on Monday."]) == (
        True,
        "Reuters",
    )


def test_outlet_from_text_and_url() -> None:
    notice = ["(Except for the headline, this story has not been edited by CityNews staff.)"]
    assert metadata.outlet_from_text(notice, []) == "CityNews"
    bio = ["Jane Roe works as a reporter at the Harbour Herald. She covers shipping."]
    assert metadata.outlet_from_text([], bio) == "The Harbour Herald"
    assert metadata.outlet_from_url("https://www.ndtv.com/world-news/x") == "NDTV"
    assert metadata.outlet_from_url("https://example.org/a") is None


def test_byline_in_several_languages() -> None:
    assert metadata.byline(["By Jane Roe"]) == "Jane Roe"
    assert metadata.byline(["Von Max Mustermann"]) == "Max Mustermann"
    assert metadata.byline(["Le président a parlé."]) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The minister said that the talks with the union had failed.", "en"),
        ("Der Minister sagte, dass die Gespräche mit der Gewerkschaft nicht zu einem Ende kamen.", "de"),
        ("Le ministre a dit que les négociations avec le syndicat sont dans une impasse.", "fr"),
        ("Министр сказал, что переговоры с профсоюзом не дали результата и это не конец.", "ru"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert metadata.language(text) == lang


def test_dates_in_text() -> None:
    written = metadata.date_in(["Published Sept. 12, 2025"])
    assert written == metadata.Dated(datetime(2025, 9, 12, tzinfo=UTC), "day", None)
    iso = metadata.date_in(["2024-03-01T10:30"])
    assert iso == metadata.Dated(datetime(2024, 3, 1, 10, 30, tzinfo=UTC), "time", None)
    stated = metadata.date_in(["March 1, 2024 14:02 GMT+1"])
    assert stated is not None and stated.offset_minutes == 60 and stated.when.hour == 14
    assert metadata.date_in(["no date here"]) is None
