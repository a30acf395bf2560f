"""Pure newsroom rules: passwords and roles, votes and rate limits, edit checks, safe links, SVG."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from newsprism.model import Bullet, Citation, Fact, QuickRead, SentenceRef
from newsprism.newsroom import feedback, review, users
from newsprism.web.filters import outlet_hue, safe_url
from newsprism.web.svg import coverage_matrix


def test_passwords_are_argon2_and_verify() -> None:
    hashed = users.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert users.verify_password(hashed, "correct horse battery")
    assert not users.verify_password(hashed, "wrong horse battery")
    assert not users.verify_password(None, "anything at all")  # unknown user: same work, still False
    assert not users.verify_password("not-a-hash", "anything at all")
    assert not users.needs_rehash(hashed)
    with pytest.raises(users.UserError):
        users.hash_password("short")


def test_roles_are_ordered() -> None:
    assert users.has_role("admin", "editor") and users.has_role("editor", "editor")
    assert not users.has_role("reader", "editor") and not users.has_role(None, "reader")
    assert not users.has_role("superuser", "reader")
    with pytest.raises(users.UserError):
        users.check_role("owner")
    with pytest.raises(users.UserError):
        users.check_username("bad name!")
    assert users.check_username("erin.k") == "erin.k"


def test_votes_parse_and_voter_keys_are_keyed_hashes() -> None:
    assert feedback.parse_vote("yes", "  very   clear ") == feedback.Vote(True, "very clear")
    assert feedback.parse_vote(False, "") == feedback.Vote(False, None)
    assert len(feedback.parse_vote("no", "x" * 5000).comment or "") == feedback.MAX_COMMENT
    with pytest.raises(ValueError):
        feedback.parse_vote("maybe", None)
    key = feedback.voter_key("secret", "token")
    assert key == feedback.voter_key("secret", "token") != feedback.voter_key("other", "token")
    assert "token" not in key and len(key) == 64


def test_rate_limiter_sliding_window() -> None:
    limiter = feedback.RateLimiter(3, 60)
    assert [limiter.allow("ip", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("other", now=3)
    assert limiter.allow("ip", now=60.5)  # the first hit left the window


CITED = [Citation("a1", "Dockworkers at Port Calder voted on Tuesday to end a nine-day strike.")]


def _qr() -> QuickRead:
    return QuickRead("s1", [Bullet("Dockworkers voted to end a nine-day strike.", CITED, ["f1"], ["Ledger"])])


def test_check_edit_flags_unsupported_words_with_the_fallback_checker() -> None:
    result = review.check_edit(_qr(), ["Dockworkers voted to end a violent strike."], review._fallback_check)
    assert not result.ok and result.problems == {0: ["violent"]}
    fine = review.check_edit(_qr(), ["Dockworkers at Port Calder voted on Tuesday."], review._fallback_check)
    assert fine.ok and fine.bullets[0].citations == CITED and fine.bullets[0].fact_ids == ["f1"]


def test_check_edit_structure_errors() -> None:
    assert review.check_edit(_qr(), [], review._fallback_check).errors
    assert review.check_edit(_qr(), ["   "], review._fallback_check).errors  # would leave no bullet
    assert review.check_edit(_qr(), ["word " * 200], review._fallback_check).errors


def test_check_edit_uses_the_given_checker_and_the_label() -> None:
    seen: list[tuple[str, list[Citation]]] = []

    def checker(text: str, citations: list[Citation]) -> list[str]:
        seen.append((text, citations))
        return []

    assert review.check_edit(_qr(), ["Dockworkers voted."], checker).ok
    assert seen == [("Dockworkers voted.", CITED)]
    assert review.status_label("published") == "AI-generated, newsroom-reviewed"
    assert review.status_label("draft") == "AI-generated"
    assert callable(review.grounding_check())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ledger.example/a?b=1", "https://ledger.example/a?b=1"),
        ("http://x.example", "http://x.example"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//evil.example/x", None),
        ("/relative", None),
        ("https://x.example/\nfoo", None),
        (None, None),
    ],
)
def test_safe_url_allows_only_absolute_http_links(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_coverage_matrix_is_well_formed_svg() -> None:
    facts = [
        Fact("f1", "consensus", ["A & B", "C"], [SentenceRef("a1", "x")]),
        Fact("f2", "exclusive", ["C"], [SentenceRef("a2", "y")]),
    ]
    root = ET.fromstring(coverage_matrix(facts, ["A & B", "C", "<D>"]))
    circles = root.findall("{http://www.w3.org/2000/svg}circle")
    assert len(circles) == 6
    assert sum(1 for c in circles if "cov-dot" in (c.get("class") or "")) == 3
    assert 0 <= outlet_hue("Ledger") < 12 and outlet_hue("Ledger") == outlet_hue("Ledger")


def test_check_edit_refuses_a_meaning_change_even_when_every_word_is_cited() -> None:
    """Issue 13: "after" -> "before" passes grounding (both words are in the source) but changes
    the claim; the edit is refused with the changed words to highlight."""
    cited = [Citation("a1", "The strike began after talks collapsed, before the union voted.")]
    qr = QuickRead("s1", [Bullet("The strike began after talks collapsed.", cited, ["f1"], ["Ledger"])])
    refused = review.check_edit(qr, ["The strike began before talks collapsed."])
    assert not refused.problems  # grounded word for word
    assert not refused.ok and refused.changes == {0: [("connective", ["after", "before"])]}
    kept = review.check_edit(qr, ["The strike began after talks collapsed."])
    assert kept.ok


def test_check_edit_refuses_a_dropped_hedge_and_a_changed_speaker() -> None:
    cited = [Citation("a1", "Peskov said the talks may resume on Friday, Kremlin aide Ushakov said.")]
    qr = QuickRead("s1", [Bullet("Peskov said the talks may resume on Friday.", cited, ["f1"], ["Wire"])])
    hedge = review.check_edit(qr, ["Peskov said the talks resume on Friday."])
    assert [c for c, _ in hedge.changes[0]] == ["hedge"]
    speaker = review.check_edit(qr, ["Ushakov said the talks may resume on Friday."])
    assert [c for c, _ in speaker.changes[0]] == ["speaker"]
