"""Test data and helpers for the web tests: two realistic stories (one hostile), users, sign-in.

The stories are written here (not produced by the pipeline) so the web tests pin the page and
API behaviour independently of extraction and analysis; ``test_end_to_end.py`` covers the real
pipeline on ``examples/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from factories import article_from_paragraphs
from fastapi.testclient import TestClient

from newsprism.model import (
    Analysis,
    Article,
    Bullet,
    Citation,
    Discrepancy,
    Fact,
    FramingTerm,
    QuickRead,
    Quote,
    QuoteVariants,
    RemovedLine,
    SentenceRef,
    Story,
)
from newsprism.store.repository import Repository, StoryChange

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
EDITOR = ("erin", "harbour-lights-42")
READER = ("rita", "reading-glasses-7")
ADMIN = ("ada", "admin-password-99")

STRIKE_SENTENCES = {
    "Harbour Ledger": [
        "Dockworkers at Port Calder voted on Tuesday to end a nine-day strike "
        "after accepting a 6 percent pay rise.",
        "The port authority said ships would start unloading on Wednesday morning.",
        "\u201cThis deal respects the people who keep the port running,\u201d "
        "said union leader Maria Okafor.",
    ],
    "Calder Courier": [
        "Port Calder dockworkers ended their nine-day strike on Tuesday, accepting a pay rise of 6 percent.",
        "Ships are expected to start unloading on Wednesday morning, the port authority said.",
        "\u201cThe deal respects the people who keep this port running,\u201d "
        "union leader Maria Okafor said.",
        "Shipping firms estimate the stoppage cost the regional economy 40 million pounds.",
    ],
    "Northern Wire": [
        "Striking dockworkers at Port Calder returned to work after a walkout that lasted eight days.",
        "Union leader Maria Okafor called the militant action a victory for the workers.",
    ],
}


def make_article(
    outlet: str,
    title: str,
    body: list[str],
    *,
    when: datetime,
    url: str | None,
    syndicated: bool = False,
    agency: str | None = None,
) -> Article:
    return article_from_paragraphs(
        body,
        title=title,
        outlet=outlet,
        when=when,
        url=url,
        authors=[f"{outlet.split()[0]} Reporter"],
        language="en",
        read_time_minutes=2,
        syndicated=syndicated,
        agency=agency,
        removed=[
            RemovedLine("Advertisement", "advertisement", 2),
            RemovedLine("Share this article on Facebook", "share buttons", 9),
        ],
    )


def _ingest(repo: Repository, story_id: str, headline: str, articles: list[Article]) -> Story:
    ids: list[str] = []
    story = Story(story_id, headline, [])
    for article in articles:
        ids.append(article.id)
        story = Story(
            id=story_id,
            headline=headline,
            article_ids=list(ids),
            outlets=sorted({a.outlet or "" for a in articles[: len(ids)]}),
            first_seen=articles[0].published_at,
            last_updated=article.published_at,
        )
        assert repo.ingest(article, StoryChange([story], {}, []))
    return story


@dataclass
class World:
    repo: Repository
    strike: Story
    strike_articles: list[Article]
    evil: Story
    evil_article: Article


def _strike_analysis(story: Story, arts: dict[str, Article]) -> Analysis:
    s = {o: arts[o].body for o in arts}
    ledger, courier, wire = arts["Harbour Ledger"].id, arts["Calder Courier"].id, arts["Northern Wire"].id
    facts = [
        Fact(
            "f1",
            "consensus",
            ["Calder Courier", "Harbour Ledger", "Northern Wire"],
            [
                SentenceRef(ledger, s["Harbour Ledger"][0], 0),
                SentenceRef(courier, s["Calder Courier"][0], 0),
                SentenceRef(wire, s["Northern Wire"][0], 0),
            ],
            [
                Discrepancy(
                    "f1", "number", [(ledger, "nine-day"), (wire, "eight days")], "strike length differs"
                )
            ],
        ),
        Fact(
            "f2",
            "consensus",
            ["Calder Courier", "Harbour Ledger"],
            [SentenceRef(ledger, s["Harbour Ledger"][1], 1), SentenceRef(courier, s["Calder Courier"][1], 1)],
        ),
        Fact("f3", "exclusive", ["Calder Courier"], [SentenceRef(courier, s["Calder Courier"][3], 3)]),
    ]
    bullets = [
        Bullet(
            "Port Calder dockworkers voted on Tuesday to end a nine-day strike "
            "after accepting a 6 percent pay rise.",
            [Citation(ledger, s["Harbour Ledger"][0]), Citation(courier, s["Calder Courier"][0])],
            ["f1"],
            ["Calder Courier", "Harbour Ledger"],
        ),
        Bullet(
            "Ships would start unloading on Wednesday morning, the port authority said.",
            [Citation(ledger, s["Harbour Ledger"][1]), Citation(courier, s["Calder Courier"][1])],
            ["f2"],
            ["Calder Courier", "Harbour Ledger"],
        ),
    ]
    quotes = [
        QuoteVariants(
            "Maria Okafor",
            [
                Quote("This deal respects the people who keep the port running", "Maria Okafor", ledger, 2),
                Quote("The deal respects the people who keep this port running", "Maria Okafor", courier, 2),
            ],
        )
    ]
    return Analysis(
        story.id,
        facts,
        QuickRead(story.id, bullets),
        quotes,
        [facts[0].discrepancies[0]],
        {
            "Northern Wire": [FramingTerm("militant", 2.1, True), FramingTerm("walkout", 1.4)],
            "Calder Courier": [FramingTerm("stoppage", 1.2)],
        },
    )


def build_world(repo: Repository) -> World:
    arts = {
        outlet: make_article(
            outlet,
            sentences[0][:70],
            sentences,
            when=T0 + timedelta(hours=i),
            url=f"https://{outlet.lower().replace(' ', '')}.example/port-calder-strike",
            syndicated=outlet == "Northern Wire",
            agency="Northern Wire" if outlet == "Northern Wire" else None,
        )
        for i, (outlet, sentences) in enumerate(STRIKE_SENTENCES.items())
    }
    strike = _ingest(repo, "s-strike", "Port Calder dockworkers end nine-day strike", list(arts.values()))
    repo.save_analysis(_strike_analysis(strike, arts))
    evil_body = [
        "Flood water rose <script>alert('xss')</script> across Brennock overnight.",
        'Read more at <a href="javascript:alert(1)">this link</a> [click](javascript:alert(2)).',
    ]
    evil_article = make_article(
        "Brennock <b>Bugle</b>",
        "Brennock floods <img src=x onerror=alert(3)>",
        evil_body,
        when=T0 - timedelta(days=1),
        url="javascript:alert(4)",
    )
    evil = _ingest(repo, "s-evil", "Brennock floods <script>alert(5)</script>", [evil_article])
    repo.save_analysis(
        Analysis(
            evil.id,
            [
                Fact(
                    "e1",
                    "exclusive",
                    [evil_article.outlet or ""],
                    [SentenceRef(evil_article.id, evil_body[0], 0)],
                ),
            ],
            QuickRead(
                evil.id,
                [
                    Bullet(
                        "Flood water rose <script>alert(6)</script> across Brennock.",
                        [Citation(evil_article.id, evil_body[0])],
                        ["e1"],
                        [evil_article.outlet or ""],
                    )
                ],
            ),
        )
    )
    return World(repo, strike, list(arts.values()), evil, evil_article)


def csrf(client: TestClient) -> str:
    token = client.get("/api/v1/session").json()["csrf_token"]
    assert isinstance(token, str)
    return token


def login(client: TestClient, who: tuple[str, str]) -> str:
    """Sign in through the API; returns the new CSRF token (it changes with the session id)."""
    response = client.post(
        "/api/v1/session",
        json={"username": who[0], "password": who[1]},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert response.status_code == 200, response.text
    token = response.json()["csrf_token"]
    assert isinstance(token, str)
    return token
