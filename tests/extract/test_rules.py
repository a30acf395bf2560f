"""Unit tests for each rule family of the shared furniture rules and the text path."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsprism.extract import rules
from newsprism.extract.text import clean_text


class TestLineShape:
    def test_sentence_is_prose(self) -> None:
        assert rules.is_prose("The council approved the budget on Monday after a long debate.")

    def test_short_label_is_not_prose(self) -> None:
        assert not rules.is_prose("Latest news")

    def test_long_line_without_punctuation_is_prose(self) -> None:
        assert rules.is_prose(" ".join(["word"] * 30))

    def test_all_caps_banner_is_not_prose(self) -> None:
        assert not rules.is_prose("SUBSCRIBE TO OUR DAILY BRIEFING TODAY.")

    def test_cjk_sentence_is_prose(self) -> None:
        assert rules.is_prose(
            "今回の事件のように、権利者の許諾を得ずに改造した商品を販売することは問題です。"
        )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "advertisement"),
        ("Anzeige", "advertisement"),
        ("Publicité", "advertisement"),
        ("Publicidad", "advertisement"),
        ("Pubblicità", "advertisement"),
        ("Publicidade", "advertisement"),
        ("Реклама", "advertisement"),
        ("Read more", "link label"),
        ("Weiterlesen", "link label"),
        ("Lire la suite", "link label"),
        ("Leer más", "link label"),
        ("Leggi anche", "link label"),
        ("Leia mais", "link label"),
        ("Читать далее", "link label"),
        ("Читати далі", "link label"),
        ("Share", "share button"),
        ("Teilen", "share button"),
        ("Partager", "share button"),
        ("Compartir", "share button"),
        ("Condividi", "share button"),
        ("Поделиться", "share button"),
        ("Поширити", "share button"),
        ("Subscribe", "subscription prompt"),
        ("Sign up", "subscription prompt"),
        ("Abonnieren", "subscription prompt"),
        ("Подписаться", "subscription prompt"),
        ("Related", "related-story list"),
        ("Articoli correlati", "related-story list"),
        ("Схожі статті", "related-story list"),
        ("Video", "video label"),
        ("Відео", "video label"),
        ("Show More", "pagination control"),
        ("Mehr anzeigen", "pagination control"),
        ("Voir plus", "pagination control"),
        ("Показать ещё", "pagination control"),
        ("Newsletter", "newsletter prompt"),
        ("Cookie settings", "cookie notice"),
        ("News Feed", "navigation"),
        ("Share on Facebook | Twitter | Email", "share button"),
        ("Tags: politics, europe", "tag list"),
    ],
)
def test_vocabulary(line: str, reason: str) -> None:
    assert rules.vocabulary_reason(line) == reason


def test_vocabulary_ignores_sentences_that_mention_terms() -> None:
    assert rules.vocabulary_reason("The advertisement was pulled after complaints.") is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Read Time: 2 mins", "read time"),
        ("2 min read", "read time"),
        ("Lesezeit: 4 Minuten", "read time"),
        ("The minister arrives in Brussels. (File)", "image caption"),
        ("Rescue workers at the scene on Monday. (Photo/Getty Images)", "image caption"),
        ("(Updated:  )", "update stamp"),
        ("© 2024 Example Media. All rights reserved.", "copyright notice"),
        ("This website uses cookies to improve your experience.", "cookie notice"),
        ("Summary is AI-generated, newsroom-reviewed", "summary widget"),
        ("jsmith says:", "comments widget"),
        (
            "(This story has not been edited by our staff and is published from a syndicated feed.)",
            "syndication notice",
        ),
    ],
)
def test_shape(line: str, reason: str) -> None:
    assert rules.shape_reason(line) == reason


def test_bio_and_role() -> None:
    assert rules.bio_name("Jane Roe works as a reporter at the Daily Planet. She covers science.") == (
        "Jane Roe"
    )
    assert rules.is_role("Senior Correspondent")
    assert rules.bio_name("The council works with the city on the budget for this year.") is None


def test_near_duplicate() -> None:
    body = "The mayor said construction would begin next spring and finish by the end of 2027."
    copy = "The mayor said that construction would begin next spring and finish by the end of 2027."
    assert rules.near_duplicate(copy, [rules.shingle_set(body)])
    assert not rules.near_duplicate(
        "Unrelated sentence about football and the weather today.", [rules.shingle_set(body)]
    )


class TestPositionAndContent:
    """Whole-page decisions: position relative to the core, repeats, teasers, biographies."""

    def test_menu_before_and_footer_after_are_removed(
        self, article_lines: list[str], page_text: Callable[..., str]
    ) -> None:
        before = ["Home", "World", "Politics", "Business", "Council expands tram network north"]
        after = ["About us", "Contact us", "Privacy policy", "© 2026 City Daily"]
        result = clean_text(page_text(before, article_lines, after))
        assert [b.text for b in result.body] == article_lines
        assert result.title == "Council expands tram network north"
        reasons = {r.text: r.reason for r in result.removed}
        assert reasons["About us"] == "cookie notice" or reasons["About us"].startswith("after")

    def test_ad_inside_the_article_is_removed(
        self, article_lines: list[str], page_text: Callable[..., str]
    ) -> None:
        body = [*article_lines[:2], "Advertisement", *article_lines[2:]]
        result = clean_text(page_text(["Tram plan approved"], body, []))
        assert [b.text for b in result.body] == article_lines
        assert any(r.reason == "advertisement" for r in result.removed)

    def test_teaser_about_another_subject_is_removed(
        self, article_lines: list[str], page_text: Callable[..., str]
    ) -> None:
        teaser = [
            "Harbour festival draws record crowds",
            "Organisers of the summer harbour festival counted record visitors, with fireworks, "
            "sailing races and food stalls along the quay drawing families from across the region.",
        ]
        result = clean_text(page_text(["Tram plan approved"], article_lines, teaser))
        assert [b.text for b in result.body] == article_lines
        assert any("teaser" in r.reason for r in result.removed)

    def test_near_duplicate_after_the_end_is_removed(
        self, article_lines: list[str], page_text: Callable[..., str]
    ) -> None:
        after = [
            "Jane Roe",
            "Senior Reporter",
            "Jane Roe works as a senior reporter at the City Daily, covering transport.",
            "Read more",
            "The mayor said construction of the tram line would begin next spring and the first "
            "trams would run on the northern route by the end of 2027.",
        ]
        result = clean_text(page_text(["Tram plan approved"], article_lines, after))
        assert [b.text for b in result.body] == article_lines
        reasons = [r.reason for r in result.removed]
        assert "near-duplicate of body paragraph" in reasons
        assert "author biography" in reasons
        assert result.author == "Jane Roe"
        assert result.author_role == "Senior Reporter"

    def test_repeated_label_inside_core_is_removed(
        self, article_lines: list[str], page_text: Callable[..., str]
    ) -> None:
        body = [*article_lines[:3], "Transport desk", *article_lines[3:]]
        result = clean_text(page_text(["Transport desk", "Tram plan approved"], body, []))
        assert "Transport desk" not in [b.text for b in result.body]

    def test_every_removed_line_has_a_reason(
        self, article_lines: list[str], page_text: Callable[..., str]
    ) -> None:
        result = clean_text(page_text(["Menu", "Tram plan approved"], article_lines, ["Share"]))
        assert all(r.reason for r in result.removed)
        assert {r.text for r in result.removed} == {"Menu", "Tram plan approved", "Share"}
