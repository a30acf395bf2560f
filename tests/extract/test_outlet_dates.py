"""Outlet versus wire agency, time-zone-aware dates, canonical URLs and bylines with roles.

Every line here is invented: the rules must work on pages they were never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsprism.extract import extract, metadata
from newsprism.model import Article, Page
from newsprism.serialize import article_record

FETCHED = datetime(2031, 9, 30, tzinfo=UTC)  # the synthetic pages are dated 2031


def _text_article(
    page_text: Callable[..., str], before: list[str], body: list[str], after: list[str], **kw: str
) -> Article:
    result = extract(Page("t", page_text(before, body, after), "text", **kw))
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize(
    ("notice", "agency"),
    [
        (
            "This story comes from a syndicated feed of Lowland Press Service and was edited by Fjord Post.",
            "Lowland Press Service",
        ),
        ("Distributed by Cobalt News Agency.", "Cobalt News Agency"),
        ("(Published via Agence Quillon. Not edited by our staff.)", "Agence Quillon"),
        ("Tessa Brill of Harrow Wire contributed to this report.", "Harrow Wire"),
        ("Syndicated from Reuters.", "Reuters"),
    ],
)
def test_named_source_in_notice(notice: str, agency: str) -> None:
    assert metadata.named_source([notice]) == agency


def test_dateline_credit_code_is_the_agency_when_nothing_names_it() -> None:
    body = ["OSLEN, May 3 (AFP) - The ferry operator cancelled all crossings on Saturday."]
    assert metadata.syndication([], body) == (True, "AFP")
    # an unknown code needs a notice before it proves syndication
    body = ["OSLEN, May 3 (QX) - The ferry operator cancelled all crossings on Saturday."]
    assert metadata.syndication([], body) == (False, None)
    assert metadata.syndication(["Published from a syndicated feed."], body) == (True, "QX")


def test_the_agency_own_page_is_not_a_copy() -> None:
    body = ["GENEVA (Reuters) - Talks resumed on Monday."]
    assert metadata.syndication([], body, outlet="Reuters") == (False, None)
    body = ["TARLO, June 2 (HW) - The harbour reopened on Friday."]
    notice = ["Published from a syndicated feed of Harrow Wire."]
    assert metadata.syndication(notice, body, outlet="Harrow Wire") == (False, None)


def test_same_org_and_initials() -> None:
    assert metadata.initials("The Harrow Wire") == "HW"
    assert metadata.same_org("HW", "Harrow Wire")
    assert metadata.same_org("the fjord post", "Fjord Post")
    assert not metadata.same_org("Fjord Post", "Harrow Wire")


def test_outlet_votes_prefer_the_republisher_over_the_agency() -> None:
    notices = ["Published from a syndicated feed of Harrow Wire and lightly edited by Fjord Post."]
    lines = ["Fjord Post", "Latest from Fjord Post", "© 2031 Fjord Media Group. All rights reserved."]
    bios = ["Ada Lume is a reporter at Harrow Wire covering shipping and fisheries."]
    assert (
        metadata.outlet_votes(
            notices=notices, lines=lines, bios=bios, masthead="Fjord Post", exclude="Harrow Wire"
        )
        == "Fjord Post"
    )
    # with nothing else named, the agency is all there is
    assert metadata.outlet_votes(bios=bios, exclude="Harrow Wire") == "Harrow Wire"


def test_outlet_votes_masthead_needs_support_and_domain_counts() -> None:
    assert metadata.outlet_votes(lines=["Tram plan approved"], masthead="Tram plan approved") is None
    lines = ["More from Glenby Courier", "© 2030 Glenby Courier"]
    assert metadata.outlet_votes(lines=lines, masthead="GLENBY COURIER") == "Glenby Courier"
    lines = ["More from Glenby Courier", "More from Vale Times"]
    assert metadata.outlet_votes(lines=lines, url="https://www.valetimes.example/a") == "Vale Times"
    assert metadata.outlet_votes(notices=["Not edited by Vale Times staff."]) == "Vale Times"


def test_syndicated_text_page_files_under_the_republisher(
    article_lines: list[str], page_text: Callable[..., str]
) -> None:
    before = ["Fjord Post", "Menu", "Home", "Tram plan approved"]
    body = ["DORVIK, March 3 (HW) - " + article_lines[0], *article_lines[1:]]
    after = [
        "This article was published from a syndicated feed of Harrow Wire and has been edited by Fjord Post.",
        "Read more",
        "More from Fjord Post",
        "© 2031 Fjord Media Group. All rights reserved.",
    ]
    result = _text_article(page_text, before, body, after)
    assert (result.outlet, result.syndicated, result.agency) == ("Fjord Post", True, "Harrow Wire")


def test_masthead_and_more_from_name_the_outlet(
    article_lines: list[str], page_text: Callable[..., str]
) -> None:
    result = _text_article(
        page_text,
        ["Glenby Courier", "Menu", "Tram plan approved"],
        article_lines,
        ["More from Glenby Courier"],
    )
    assert result.outlet == "Glenby Courier" and not result.syndicated


def test_text_dates_keep_the_stated_offset() -> None:
    cet = timezone(timedelta(hours=2))
    assert metadata.date_in(["Published: 4 May 2031, 14:05 GMT+2"]) == metadata.Dated(
        datetime(2031, 5, 4, 14, 5, tzinfo=cet), "time", 120
    )
    assert metadata.date_in(["May 4, 2031 2:05 PM UTC"]) == metadata.Dated(
        datetime(2031, 5, 4, 14, 5, tzinfo=UTC), "time", 0
    )
    assert metadata.date_in(["2031-05-04T14:05:00+02:00"]) == metadata.Dated(
        datetime(2031, 5, 4, 14, 5, tzinfo=cet), "time", 120
    )
    # a date alone stays a date (no invented midnight) and states no offset
    assert metadata.date_in(["4 May 2031"]) == metadata.Dated(datetime(2031, 5, 4, tzinfo=UTC), "day", None)


def test_parse_iso() -> None:
    assert metadata.parse_iso("2031-05-04T07:15:00+02:00") == metadata.Dated(
        datetime(2031, 5, 4, 7, 15, tzinfo=timezone(timedelta(hours=2))), "time", 120
    )
    day = metadata.Dated(datetime(2031, 5, 4, tzinfo=UTC), "day", None)
    assert metadata.parse_iso("2031-05-04") == day
    assert metadata.parse_iso("2031-05-04Tgarbage") == day
    assert metadata.parse_iso("soon") is None


def _html(head: str, byline: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="en"><head><title>Tram plan approved</title>{head}</head><body>'
        f"<article><h1>Tram plan approved</h1>{byline}{body}</article></body></html>"
    ).encode()


def test_html_keeps_the_declared_offset(article_lines: list[str]) -> None:
    head = '<meta property="article:published_time" content="2031-09-24T07:15:00+02:00">'
    result = extract(Page("h", _html(head, "", article_lines), "html", fetched_at=FETCHED))
    assert isinstance(result, Article)
    assert result.published_at == datetime(2031, 9, 24, 7, 15, tzinfo=timezone(timedelta(hours=2)))
    assert (result.published_precision, result.published_offset_minutes) == ("time", 120)
    byline = '<p class="meta"><time datetime="2031-09-25T06:00:00-04:00">25 Sept</time></p>'
    result = extract(Page("h", _html("", byline, article_lines), "html", fetched_at=FETCHED))
    assert isinstance(result, Article)
    assert result.published_at == datetime(2031, 9, 25, 6, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert result.published_offset_minutes == -240


def test_html_date_only_stays_a_date(article_lines: list[str]) -> None:
    head = '<meta name="date" content="2031-09-24">'
    result = extract(Page("h", _html(head, "", article_lines), "html", fetched_at=FETCHED))
    assert isinstance(result, Article)
    assert result.published_at == datetime(2031, 9, 24, tzinfo=UTC)
    assert (result.published_precision, result.published_offset_minutes) == ("day", None)
    assert article_record(result)["published_at"] == "2031-09-24"


def test_impossible_dates_fall_back_to_the_next_evidence(article_lines: list[str]) -> None:
    """A CMS placeholder (0001-01-01) or a date after the fetch is no date: the next source wins."""
    head = (
        '<meta property="article:published_time" content="0001-01-01T00:00:00Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2032-01-01"}</script>'
    )
    byline = '<p class="meta"><time datetime="2031-09-20T06:00:00+08:00">20 Sept</time></p>'
    result = extract(Page("h", _html(head, byline, article_lines), "html", fetched_at=FETCHED))
    assert isinstance(result, Article)
    assert result.published_at == datetime(2031, 9, 20, 6, 0, tzinfo=timezone(timedelta(hours=8)))
    assert result.published_at.isoformat().endswith("+08:00")
    only_bad = extract(Page("h", _html(head, "", article_lines), "html", fetched_at=FETCHED))
    assert isinstance(only_bad, Article) and only_bad.published_at is None
    hinted = extract(Page("t", "\n\n".join(article_lines), "text", published_at=datetime(1, 1, 1)))
    assert isinstance(hinted, Article) and hinted.published_at is None


def test_html_byline_role(article_lines: list[str]) -> None:
    head = '<meta property="og:site_name" content="Vale Times">'
    byline = (
        '<div class="story-byline">By <a href="/a">Ada Lume</a>, '
        "Vale Times Transport Correspondent · 2 May</div>"
    )
    result = extract(Page("h", _html(head, byline, article_lines), "html"))
    assert isinstance(result, Article) and result.author_role == "Transport Correspondent"
    byline = (
        '<div class="author-card"><p class="author-name">Ada Lume</p>'
        '<p class="author-role">Night Editor</p></div>'
    )
    result = extract(Page("h", _html(head, byline, article_lines), "html"))
    assert isinstance(result, Article) and result.author_role == "Night Editor"


def test_byline_role_rejects_an_employer() -> None:
    assert metadata.byline_role(["By Ada Lume, Harrow Wire"]) is None
    assert metadata.byline_role(["By Ada Lume, Chief Sports Writer"]) == "Chief Sports Writer"


def test_canonical_url_falls_back_to_the_page_url(
    article_lines: list[str], page_text: Callable[..., str]
) -> None:
    url = "https://www.valetimes.example/news/tram-plan?utm_source=feed&utm_medium=rss#top"
    result = _text_article(page_text, ["Tram plan approved"], article_lines, [], url=url)
    assert result.canonical_url == "https://www.valetimes.example/news/tram-plan"
    assert result.url == url


def test_declared_canonical_is_normalised_and_resolved(article_lines: list[str]) -> None:
    head = '<link rel="canonical" href="/news/tram-plan?utm_campaign=x">'
    page = Page("h", _html(head, "", article_lines), "html", url="https://Valetimes.example/n/1?utm_source=a")
    result = extract(page)
    assert isinstance(result, Article)
    assert result.canonical_url == "https://valetimes.example/news/tram-plan"


def test_invalid_urls_give_no_canonical(article_lines: list[str], page_text: Callable[..., str]) -> None:
    result = _text_article(page_text, ["Tram plan approved"], article_lines, [], url="not a url")
    assert result.canonical_url is None


def test_masthead_is_never_the_title(article_lines: list[str], page_text: Callable[..., str]) -> None:
    before = ["GLENBY COURIER", "Menu", "Tram plan approved for northern districts"]
    after = ["Latest from Glenby Courier", "Show More"]
    body = [line.replace("tram", "Glenby Courier tram", 1) for line in article_lines]
    result = _text_article(page_text, before, body, after)
    assert result.title == "Tram plan approved for northern districts"
    assert result.outlet == "Glenby Courier"
