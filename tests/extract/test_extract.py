"""The public contract: ``extract(page)`` returns an Article or a clear ExtractionFailure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from newsprism.extract import extract
from newsprism.model import Article, ExtractionFailure, Page, article_id_for, content_hash


def html_article(paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="en"><head><meta charset="{charset}"><title>Tram plan approved</title>'
        '<meta property="og:site_name" content="City Daily">'
        '<link rel="canonical" href="https://citydaily.example/tram">'
        '<meta property="article:published_time" content="2026-03-04T10:00:00">'
        '</head><body><nav><a href="/">Home</a><a href="/world">World</a></nav>'
        f"<article><h1>Tram plan approved</h1><figure><img src='a.jpg'><figcaption>"
        f"The new tram depot.</figcaption></figure>{body}</article>"
        "<footer>© 2026 City Daily</footer></body></html>"
    )


def test_html_article(article_lines: list[str]) -> None:
    result = extract(Page("t", html_article(article_lines).encode(), "html"))
    assert isinstance(result, Article)
    assert result.body == article_lines
    assert result.title == "Tram plan approved"
    assert result.outlet == "City Daily"
    assert result.canonical_url == "https://citydaily.example/tram"
    assert result.language == "en"
    assert result.published_at == datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    assert result.lead_image_caption == "The new tram depot."
    assert result.id == article_id_for(content_hash("\n\n".join(article_lines)))
    assert not result.read_time_stated and result.read_time_minutes == 1


def test_hints_win(article_lines: list[str], page_text: Callable[..., str]) -> None:
    when = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    page = Page(
        "t",
        page_text(["Tram plan approved"], article_lines, []),
        "text",
        url="https://www.ndtv.com/x",
        outlet="Hinted Outlet",
        title="Hinted title",
        published_at=when,
        author="Hinted Author",
    )
    result = extract(page)
    assert isinstance(result, Article)
    assert (result.outlet, result.title, result.published_at, result.authors) == (
        "Hinted Outlet",
        "Hinted title",
        when,
        ["Hinted Author"],
    )


def test_outlet_from_url_when_no_hint(article_lines: list[str], page_text: Callable[..., str]) -> None:
    page = Page("t", page_text(["Tram"], article_lines, []), "text", url="https://www.ndtv.com/x")
    result = extract(page)
    assert isinstance(result, Article) and result.outlet == "NDTV"


def _failure(page: Page) -> str:
    result = extract(page)
    assert isinstance(result, ExtractionFailure), result
    return result.reason


def test_empty() -> None:
    assert "empty" in _failure(Page("e", b"", "html"))
    assert "empty" in _failure(Page("e", "   \n ", "text"))


def test_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert "binary" in _failure(Page("b", png, "html"))


def test_gigantic_input_is_capped_with_the_size() -> None:
    huge = b"<p>" + b"word " * 1_000_001 + b"</p>"
    reason = _failure(Page("g", huge, "html"))
    assert reason == f"page too large: {len(huge):,} bytes exceeds the 5,000,000-byte cap"
    small_cap = extract(Page("g", b"x" * 101, "text"), max_bytes=100)
    assert isinstance(small_cap, ExtractionFailure)
    assert small_cap.reason == "page too large: 101 bytes exceeds the 100-byte cap"


def test_section_front_is_not_an_article() -> None:
    links = "".join(f'<li><a href="/s/{i}">Headline number {i} about events</a></li>' for i in range(40))
    html = f"<html><head><title>World news</title></head><body><ul>{links}</ul></body></html>"
    assert "not an article" in _failure(Page("s", html, "html"))


def test_error_page_is_not_an_article() -> None:
    html = (
        "<html><head><title>404 Not Found</title></head><body><h1>Page not found</h1>"
        "<p>Sorry, the page you requested does not exist.</p><a href='/'>Home</a></body></html>"
    )
    assert "not an article" in _failure(Page("404", html, "html"))
    assert "not an article" in _failure(Page("404", "Page not found\n\nHome\nSearch", "text"))


def test_mis_declared_cp1251_html() -> None:
    paragraphs = [
        "Городской совет во вторник проголосовал за расширение трамвайной сети в северные районы "
        f"города, завершив спор, который длился больше двух лет. Абзац номер {i}."
        for i in range(5)
    ]
    raw = html_article(paragraphs, charset="utf-8").encode("cp1251")
    result = extract(Page("ru", raw, "html"))
    assert isinstance(result, Article)
    assert result.body == paragraphs
    assert result.language == "en" or result.language == "ru"


def test_undeclared_latin1_text(article_lines: list[str], page_text: Callable[..., str]) -> None:
    lines = [p.replace("council", "conseil café") for p in article_lines]
    raw = page_text(["Tram"], lines, []).encode("latin-1")
    result = extract(Page("fr", raw, "text"))
    assert isinstance(result, Article)
    assert result.body == lines


def test_text_path_reports_stated_read_time_and_syndication(
    article_lines: list[str], page_text: Callable[..., str]
) -> None:
    body = [*article_lines[:-1], article_lines[-1] + " the spokesman told reporters, including AFP."]
    after = ["(This story has not been edited by City Daily staff and is published from a syndicated feed.)"]
    result = extract(Page("s", page_text(["Tram plan approved", "3 min read"], body, after), "text"))
    assert isinstance(result, Article)
    assert (result.read_time_minutes, result.read_time_stated) == (3, True)
    assert (result.syndicated, result.agency, result.outlet) == (True, "AFP", "City Daily")
    assert body == result.body
