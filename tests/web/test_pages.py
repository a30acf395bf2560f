"""Reader pages: feed, story, article, coverage SVG; what a reader sees and can filter."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from fastapi.testclient import TestClient
from web_helpers import World

HTML = {"accept": "text/html"}


def test_feed_lists_newest_first_with_outlets_time_read_time_and_first_bullet(client: TestClient) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert html.index("Port Calder dockworkers end nine-day strike") < html.index("Brennock floods")
    assert "3 outlets" in html and "2 min read" in html
    for outlet in ("Harbour Ledger", "Calder Courier", "Northern Wire"):
        assert outlet in html
    assert "Port Calder dockworkers voted on Tuesday to end a nine-day strike" in html
    assert '<time datetime="2026-11-20T09:00:00+00:00">' in html


def test_feed_search_outlet_and_date_filters(client: TestClient) -> None:
    assert "Brennock" not in client.get("/?q=dockworkers").text.split('<ol class="feed">')[1]
    only_flood = client.get("/?q=brennock").text.split('<ol class="feed">')[1]
    assert "Brennock floods" in only_flood and "Port Calder" not in only_flood
    by_outlet = client.get("/?outlet=Northern+Wire").text.split('<ol class="feed">')[1]
    assert "Port Calder" in by_outlet and "Brennock floods" not in by_outlet
    recent = client.get("/?since=2026-11-20").text.split('<ol class="feed">')[1]
    assert "Port Calder" in recent and "Brennock floods" not in recent
    older = client.get("/?until=2026-11-19").text.split('<ol class="feed">')[1]
    assert "Brennock floods" in older and "Port Calder" not in older
    assert "No stories match" in client.get("/?q=zebra+crossing").text
    assert client.get("/?since=not-a-date").status_code == 200  # bad filters are ignored, not errors


def test_story_page_shows_label_bullets_sources_comparison_and_articles(
    client: TestClient, world: World
) -> None:
    html = client.get("/stories/s-strike", headers=HTML).text
    assert "Summary is AI-generated</p>" in html
    # each bullet is a <details> whose body lists the supporting sentence per outlet
    bullet = re.search(r'<details class="bullet">(.*?)</details>', html, re.S)
    assert bullet is not None
    assert "Harbour Ledger" in bullet.group(1) and "Calder Courier" in bullet.group(1)
    assert "accepting a pay rise of 6 percent" in bullet.group(1)
    assert "Reported by several outlets" in html and "Only one outlet reports" in html
    assert "40 million pounds" in html  # the exclusive fact
    assert "This deal respects the people" in html and "The deal respects the people" in html
    assert "eight days" in html and "nine-day" in html  # discrepancy
    assert 'class="term loaded"' in html and "militant" in html
    assert "Wire copy: Northern Wire" in html
    assert 'href="https://harbourledger.example/port-calder-strike"' in html
    # the coverage matrix is an HTML table now (readable on a phone); the SVG stays at coverage.svg
    assert 'data-testid="coverage-matrix"' in html and "rows are facts, columns are outlets" in html
    assert 'action="/stories/s-strike/feedback"' in html
    for article in world.strike_articles:
        assert f'href="/articles/{article.id}"' in html


def test_coverage_svg_marks_who_reported_what(client: TestClient) -> None:
    response = client.get("/stories/s-strike/coverage.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.text)
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "Northern Wire · fact 3 (exclusive): not reported" in titles
    assert "Calder Courier · fact 3 (exclusive): reported" in titles
    assert "Northern Wire · fact 1 (consensus): reported" in titles


def test_article_page_has_clean_text_and_removed_furniture_toggle(client: TestClient, world: World) -> None:
    article = world.strike_articles[0]
    html = client.get(f"/articles/{article.id}", headers=HTML).text
    assert article.body[0] in html
    assert '<details class="removed">' in html
    assert "Show removed page furniture and why (2 lines)" in html
    assert "Share this article on Facebook" in html and "share buttons" in html
    assert 'href="/stories/s-strike"' in html


def test_unknown_ids_are_404_pages(client: TestClient) -> None:
    for url in ("/stories/nope", "/articles/nope", "/stories/nope/coverage.svg"):
        response = client.get(url, headers=HTML)
        assert response.status_code == 404
        assert "Not found" in response.text


def test_merged_story_ids_redirect(client: TestClient, world: World) -> None:
    from newsprism.store import schema
    from newsprism.store.repository import utcnow

    with world.repo.engine.begin() as conn:
        conn.execute(
            schema.story_redirects.insert().values(
                old_id="s-old", new_id="s-strike", reason="merge", created_at=utcnow()
            )
        )
    response = client.get("/stories/s-old", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/stories/s-strike"


def test_pages_are_responsive_and_use_no_external_assets(client: TestClient) -> None:
    html = client.get("/").text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<main")[0])
    css = client.get("/static/style.css").text
    assert "@media (max-width: 480px)" in css and "@import" not in css and "url(" not in css
    assert client.get("/static/app.js").status_code == 200


def test_fast_story_loader_matches_the_repository(world: World) -> None:
    """The page's single-connection loader must agree with the one-item reads, field for field."""
    for story_id in ("s-strike", "s-evil"):
        found = world.repo.load_story(story_id)
        assert found is not None
        story, articles, analysis = found
        assert story == world.repo.get_story(story_id)
        assert articles == world.repo.articles_for_story(story_id)
        assert analysis == world.repo.get_analysis(story_id)
    assert world.repo.load_story("nope") is None
