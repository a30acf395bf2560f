"""Edge furniture: kicker labels, repeated headline, standfirst, wire credit lines.

Every line here is invented; none comes from the example pages.
"""

from __future__ import annotations

import pytest

from newsprism.extract import cleanup, extract
from newsprism.model import Article, Page

TITLE = "Harbour council approves new ferry link to the islands"
PROSE = [
    "The harbour council voted on Tuesday to fund a new ferry link between the mainland and "
    "the three outer islands, ending a decade of argument over the route.",
    "Councillors backed the plan by nine votes to four after a debate that ran past midnight, "
    "and officials said the first sailings could begin next spring.",
    "Island residents have long complained that the single winter crossing leaves them cut off "
    "for days whenever the weather turns, and that freight costs have doubled.",
]


@pytest.mark.parametrize(
    "line",
    ["BREAKING", "LIVE", "EXCLUSIVE", "ANALYSIS", "UPDATED", "BREAKING NEWS", "LIVE | UPDATED",
     "EILMELDUNG", "EN DIRECT", "ÚLTIMA HORA", "СРОЧНО", "ТЕРМІНОВО", "ULTIM'ORA"],
)  # fmt: skip
def test_kicker_labels_before_prose(line: str) -> None:
    assert cleanup.kicker_reason(line, leading=True) == "label"


@pytest.mark.parametrize("line", ["Analysis", "Live", "THE HARBOUR FERRY", "NASA", "Review"])
def test_kicker_needs_capitals_and_label_words(line: str) -> None:
    assert cleanup.kicker_reason(line, leading=True) is None


def test_kicker_after_prose_is_kept() -> None:
    assert cleanup.kicker_reason("ANALYSIS", leading=False) is None


def test_repeated_headline_exact_and_near() -> None:
    assert cleanup.is_repeated_headline(
        "  harbour COUNCIL approves new ferry link to the islands ", TITLE, False
    )
    assert cleanup.is_repeated_headline(TITLE + " | Coastal Gazette", TITLE, True)
    assert cleanup.is_repeated_headline(
        "Harbour council approves a new ferry link to the islands", TITLE, True
    )
    # near-equality counts only at the top of the body
    assert not cleanup.is_repeated_headline(TITLE + " | Coastal Gazette", TITLE, False)
    assert not cleanup.is_repeated_headline(PROSE[0], TITLE, True)
    assert not cleanup.is_repeated_headline("Ferry link", None, True)


def test_standfirst_shape() -> None:
    assert cleanup.looks_like_standfirst("Islanders celebrate as the long-promised crossing wins funding")
    assert not cleanup.looks_like_standfirst("Islanders celebrate as the crossing wins funding.")
    assert not cleanup.looks_like_standfirst("Ferry news")
    assert cleanup.is_stamp("14:05 03/11/2026 by Jane Roe")
    assert cleanup.is_stamp("By Jane Roe")
    assert not cleanup.is_stamp("Islanders welcomed by cheering crowds at the quay")


@pytest.mark.parametrize(
    "line",
    [
        "(Reporting by Jane Roe; Editing by Tom Field)",
        "Reporting by Jane Roe in Oslo; Additional reporting by Max Berg and Ana Ruiz; Writing by Lee Park",
        "Compiled by Ines Halloran",
        "(Writing by Paul Oda; editing by the Europe desk)",
        "With AFP",
        "- With Reuters and AP",
        "(mit Material von dpa und AFP)",
        "Mit Material von Reuters",
        "(avec AFP)",
        "Con información de Reuters y EFE",
    ],
)
def test_wire_credit_lines(line: str) -> None:
    assert cleanup.is_wire_credit(line)


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the local radio station showed the ferry was late on most days.",
        "With the vote won, the council must now find a shipyard.",
        "Editing by committee rarely produces a good timetable, the mayor joked.",
        "Con la votación ganada, el consejo busca un astillero.",
        "Text Edge Style",
        "Redaktion der Inselzeitung",
    ],
)
def test_sentences_are_not_credits(line: str) -> None:
    assert not cleanup.is_wire_credit(line)


def test_promo_tagline_shape() -> None:
    assert cleanup.is_promo_tagline("Island Post: the week's news from every harbour, each Friday.")
    assert not cleanup.is_promo_tagline("Phone: 212-555-0100")
    assert not cleanup.is_promo_tagline("The council said on Tuesday: the ferry will run all year.")


def test_agency_alone_only_at_the_end() -> None:
    assert cleanup.is_agency_credit("(Reuters)")
    assert cleanup.is_agency_credit("— AFP")
    assert cleanup.is_agency_credit("AFP/dpa")
    assert not cleanup.is_agency_credit("Reuters reported the vote first.")
    kept, removed, _ = cleanup.clean_edges([*PROSE, "(Reuters)"], TITLE)
    assert kept == PROSE and removed == [("(Reuters)", "wire credit line")]


def test_clean_edges_top_of_body() -> None:
    dek = "Islanders celebrate as the long-promised crossing finally wins funding"
    body = ["EXCLUSIVE", TITLE, dek, *PROSE, "(Reporting by Jane Roe; Editing by Tom Field)"]
    kept, removed, standfirst = cleanup.clean_edges(body, TITLE)
    assert kept == PROSE
    assert standfirst == dek
    assert [r for _, r in removed] == ["label", "repeated headline", "standfirst", "wire credit line"]


def test_clean_edges_leaves_article_alone() -> None:
    sub = "What happens next for the islands"  # a sub-heading inside the article: no headline before it
    body = [*PROSE[:2], sub, PROSE[2]]
    kept, removed, standfirst = cleanup.clean_edges(body, TITLE)
    assert kept == body and removed == [] and standfirst is None


def test_date_line_after_headline_is_not_a_standfirst() -> None:
    body = [TITLE, "Tuesday 3 November 2026, 14:05 - by Jane Roe", *PROSE]
    kept, removed, standfirst = cleanup.clean_edges(body, TITLE)
    assert kept == PROSE and standfirst is None
    assert removed[1][1] == "date or byline"


def _page(extra_top: str, extra_end: str, description: str = "") -> bytes:
    meta = f'<meta property="og:description" content="{description}">' if description else ""
    paras = "".join(f"<p>{p}</p>" for p in PROSE * 2)
    return (
        f'<html lang="en"><head><meta charset="utf-8"><title>{TITLE} - Coastal Gazette</title>'
        f'<meta property="og:title" content="{TITLE}">{meta}</head><body><article>'
        f"{extra_top}<div class='body'>{paras}{extra_end}</div></article></body></html>"
    ).encode()


def test_html_path_removes_edges_and_records_them() -> None:
    dek = "Islanders celebrate as the long-promised crossing finally wins funding"
    top = f"<span class='label'>BREAKING</span><h1>{TITLE}</h1><p class='dek'>{dek}</p>"
    credit = "(Reporting by Jane Roe; Additional reporting by Max Berg; Editing by Tom Field)"
    end = f"<p class='credit'>{credit}</p>"
    art = extract(Page("t", _page(top, end), "html"))
    assert isinstance(art, Article)
    assert art.body == PROSE * 2
    assert art.standfirst == dek
    reasons = {r.reason for r in art.removed}
    assert {"label", "standfirst", "wire credit line"} <= reasons


def test_html_path_keeps_declared_standfirst() -> None:
    dek = "Islanders celebrate as the long-promised crossing finally wins funding"
    declared = "The council has agreed to pay for a year-round ferry to the outer islands."
    art = extract(Page("t", _page(f"<h1>{TITLE}</h1><p>{dek}</p>", "", declared), "html"))
    assert isinstance(art, Article)
    assert art.standfirst == declared
    assert dek not in art.body


def test_trailing_agency_credits_leave_the_body() -> None:
    art = extract(Page("t", _page("", "<p>(Reuters)</p><p>With AFP</p>"), "html"))
    assert isinstance(art, Article)
    assert art.body == PROSE * 2


# --- text path ---------------------------------------------------------------------------


def _text_page(top: list[str], end: list[str]) -> str:
    menu = ["The Valley Courier", "Menu", "News", "Sport", "Opinion", "Subscribe", "Local"]
    return "\n\n".join([*menu, *top, "By Jane Roe, Islands Reporter", *PROSE, *end, "Read more"]) + "\n"


def test_text_path_prefers_headline_over_its_standfirst() -> None:
    # the standfirst shares more words with the article than the headline does
    dek = "The council voted to fund a new ferry link between the mainland and the outer islands"
    page = _text_page(["Islands win their ferry after decade of argument", dek], [])
    art = extract(Page("t", page, "text"))
    assert isinstance(art, Article)
    assert art.title == "Islands win their ferry after decade of argument"
    assert art.standfirst == dek
    assert art.body == PROSE


def test_text_path_title_is_not_a_date_above_the_headline() -> None:
    page = _text_page(["Tuesday 3 November 2026 09:15", TITLE], [])
    art = extract(Page("t", page, "text"))
    assert isinstance(art, Article)
    assert art.title == TITLE


def test_text_path_drops_newsletter_promo_and_wire_credit() -> None:
    promo = "Island Post: the week's news from every harbour, each Friday morning."
    credit = "(Reporting by Jane Roe; Editing by Tom Field)"
    page = _text_page([TITLE], [credit, "Share this article", "Sign up for our newsletter", promo])
    art = extract(Page("t", page, "text"))
    assert isinstance(art, Article)
    assert art.body == PROSE
    reasons = {r.text: r.reason for r in art.removed}
    assert reasons[promo] == "newsletter promo"
    assert reasons[credit] == "wire credit line"


def test_name_colon_line_in_the_article_is_kept() -> None:
    quote = "Mayor Ellis: the crossing will change life on the islands for good, she told reporters."
    page = _text_page([TITLE], [])
    page = page.replace(PROSE[1], PROSE[1] + "\n\n" + quote)
    art = extract(Page("t", page, "text"))
    assert isinstance(art, Article)
    assert quote in art.body
