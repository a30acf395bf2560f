"""Bylines, outlets and body edges the HTML path reads off a page (``pagemeta``, ``html``).

Small hand-written pages in the shapes real newsrooms use; the real-page scores are in
``benchmarks/metadata_eval.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import trafilatura
from trafilatura.utils import load_html

from newsprism.extract import html, metadata, pagemeta

LATEST = datetime(2026, 12, 1, tzinfo=UTC)
PROSE = "".join(
    f"<p>The council met on day {i} to weigh the budget, and members argued over roads, schools and "
    f"the harbour for most of the evening before a vote that split the chamber.</p>"
    for i in range(8)
)


def _page(head: str, article: str) -> str:
    return f"<html><head>{head}</head><body><article>{article}</article></body></html>"


def test_a_slash_between_two_names_is_two_people_and_a_job_title_is_not() -> None:
    assert pagemeta.split_names("Mathatisi Sebusi/Mohalenyane Phakela") == [
        "Mathatisi Sebusi",
        "Mohalenyane Phakela",
    ]
    assert pagemeta.split_names("Mathias Hagen / Journalist") == ["Mathias Hagen"]


def test_credits_labels_and_run_on_text_are_not_names() -> None:
    # shapes seen in the fallback sources (marked-up photo credits, author widgets, breadcrumbs)
    assert pagemeta.split_names("(Image: Anadolu Agency via Getty Images)") == []
    assert pagemeta.split_names("Foto REUTERS") == []
    assert pagemeta.split_names("Rachel Brazil 0") == ["Rachel Brazil"]
    assert pagemeta.split_names("Lucie Stuchlíková Chcete-li článek poslouchat") == []
    assert pagemeta.split_names("Jon King, News Reporter") == ["Jon King"]
    assert pagemeta.split_names("Startseite") == []
    # particles and one-word organisations (a domain signing its page) stay names
    assert pagemeta.split_names("Ursula von der Leyen") == ["Ursula von der Leyen"]
    assert pagemeta.split_names("sportschau.de") == ["sportschau.de"]
    assert pagemeta.split_names("jane roe") == ["jane roe"]


def test_credentials_accounts_labels_and_a_run_on_agency_are_taken_apart() -> None:
    assert pagemeta.split_names("Ilana Muhlstein, MS, RDN") == ["Ilana Muhlstein"]
    assert pagemeta.split_names("admin") == pagemeta.split_names("Гость") == []
    assert pagemeta.split_names("Текст Венера Ерофеева") == ["Венера Ерофеева"]
    assert pagemeta.split_names("ERIC TUCKER Associated Press") == ["ERIC TUCKER", "Associated Press"]
    assert pagemeta.split_names("AFP") == ["AFP"]
    assert pagemeta.author_kind("The Water Coolest") == "organization"


def test_a_byline_box_reads_its_parts_apart() -> None:
    page = _page(
        "",
        '<div class="byline"><span>By Carrie Arnold</span><span>November 18, 2019</span></div>' + PROSE,
    )
    result = html.extract_html(page, LATEST)
    assert result is not None and result.authors == ["Carrie Arnold"]


def test_a_byline_block_stops_at_its_date_stamp() -> None:
    assert pagemeta.byline_authors(["By Stephanie Bazzle June 20, 2023"]) == ["Stephanie Bazzle"]
    assert pagemeta.byline_authors(["By JANE ROE and JOHN DOE Updated [hour]:[minute] [AMPM]"]) == [
        "JANE ROE",
        "JOHN DOE",
    ]
    assert pagemeta.byline_authors(["By Theresa May"]) == ["Theresa May"]
    assert pagemeta.byline_authors(["By Malcolm Owen Monday, November 18"]) == ["Malcolm Owen"]


def test_the_outlet_beside_named_people_is_dropped_but_stays_alone() -> None:
    chosen = pagemeta.choose_authors(
        [("Harbour Times", "organization"), ("Jane Roe", "person")], [], ["Harbour Times"]
    )
    assert chosen == [("Jane Roe", "person")]
    alone = pagemeta.choose_authors([("Harbour Times", "organization")], [], ["Harbour Times"])
    assert alone == [("Harbour Times", "organization")]


def test_an_agency_credit_outranks_the_outlet_signing_its_own_page() -> None:
    chosen = pagemeta.choose_authors([("NTV", "organization")], [["Anadolu Ajansı"]], ["NTV"])
    assert chosen == [("Anadolu Ajansı", "organization")]


def test_a_bold_name_line_opening_the_body_is_the_byline() -> None:
    page = _page(
        '<meta property="og:site_name" content="Harbour Times"><meta name="author" content="Harbour Times">',
        f"<p><strong>Jane Roe/John Doe</strong></p>{PROSE}",
    )
    result = html.extract_html(page, LATEST)
    assert result is not None
    assert result.authors == ["Jane Roe", "John Doe"] and result.author_kinds == ["person", "person"]
    assert all("Jane Roe" not in line for line in result.body)


def test_a_bold_phrase_that_is_not_names_stays_text() -> None:
    page = _page("", f"<p><strong>Die Lage am Hafen</strong></p>{PROSE}")
    result = html.extract_html(page, LATEST)
    assert result is not None and result.authors == []


def test_a_byline_nested_in_a_box_with_a_section_label() -> None:
    box = (
        '<div class="authors"><span>capital</span>'
        "<ul><li><span>von</span> <span>Jemima Kelly</span></li></ul></div>"
    )
    teaser = '<div class="teaser"><span class="teaser-footer__author">von Patrick Roe</span></div>'
    result = html.extract_html(_page("", box + PROSE) + teaser, LATEST)
    assert result is not None and result.authors == ["Jemima Kelly"]


def test_read_more_teasers_and_lone_picture_credits_are_not_body() -> None:
    extra = (
        "<p>Read more: Harbour board approves the new ferry timetable</p><p>Photo: AFP</p>"
        "<p>For the latest stories from the harbour, sign up for our free weekly newsletter</p>"
    )
    result = html.extract_html(_page("", PROSE + extra), LATEST)
    assert result is not None
    assert not any(line.startswith(("Read more", "Photo:", "For the latest")) for line in result.body)
    assert {r.reason for r in result.removed} >= {"related-story teaser", "photo credit", "newsletter prompt"}


def test_the_outlet_is_the_site_showing_the_page_in_latin_script() -> None:
    assert metadata.outlet_from_url("https://mainichi.jp/articles/x") == "Mainichi Shimbun"
    assert metadata.outlet_from_url("https://japannews.yomiuri.co.jp/politics/x") == "The Japan News"
    head = (
        '<link rel="canonical" href="https://www.capital.de/geld/x.html">'
        '<meta property="og:url" content="https://www.stern.de/wirtschaft/x.html">'
        '<meta property="og:site_name" content="stern.de">'
    )
    result = html.extract_html(_page(head, PROSE), LATEST)
    assert result is not None and result.sitename == "Stern"


def test_the_shared_tree_gives_trafilatura_precision_text() -> None:
    page = _page("<title>Budget night</title>", "<h1>Budget night</h1>" + PROSE)
    expected = trafilatura.bare_extraction(load_html(page), favor_precision=True, include_comments=False)
    tree = load_html(page)
    assert tree is not None and expected is not None
    assert html._precise_text(tree) == expected.text


def test_the_author_finder_on_the_shared_tree_matches_trafilatura() -> None:
    from trafilatura.metadata import extract_author

    page = _page(
        "",
        '<div class="comments"><span class="author">Commenter Name</span></div>'
        '<figure><span class="author">Photographer Name</span></figure>'
        f'<div class="byline"><span class="author">Jane Roe</span> <time>Monday</time></div>{PROSE}',
    )
    tree = load_html(page)
    assert tree is not None
    assert html.trafilatura_author(tree) == extract_author(tree) == "Jane Roe"


def test_a_closing_credit_line_names_the_sources_when_no_person_signed() -> None:
    page = _page(
        '<meta property="og:site_name" content="Harbour Times"><meta name="author" content="News Desk">',
        f"{PROSE}<p>Harbour Times / Coast Courier</p>",
    )
    result = html.extract_html(page, LATEST)
    assert result is not None
    assert result.authors == ["Coast Courier"] and result.author_kinds == ["organization"]


def test_a_labelled_credit_counts_and_text_or_the_outlet_alone_does_not() -> None:
    names = ["Harbour Times"]
    assert pagemeta.trailing_credit(["…", "Quelle: dpa, AFP"], names) == ["dpa", "AFP"]
    assert pagemeta.trailing_credit(["…", "Harbour Times / Coast Courier"], names) == ["Coast Courier"]
    assert pagemeta.trailing_credit(["…", "Harbour Times"], names) == []
    assert pagemeta.trailing_credit(["…", "Coast Courier / Bay Radio"], names) == []
    assert pagemeta.trailing_credit(["…", "The vote split the chamber / the council."], names) == []


def test_site_names_after_guillemet_bullet_and_tilde_separators_are_cut() -> None:
    names = ["Harbour Times"]
    for sep in ("»", "•", "~", "::"):
        assert pagemeta.clean_title(f"Harbour vote splits council {sep} Harbour Times", names) == (
            "Harbour vote splits council"
        )
    kept = "Rates rise » What it means for you"
    assert pagemeta.clean_title(kept, names) == kept


def test_html_entities_in_json_ld_are_decoded() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Hafen-Streit: '
        'Rat st&ouml;&szlig;t Plan um", "author": {"@type": "Person", "name": "Ren&eacute; Roe"}}</script>'
    )
    tree = load_html(_page(ld, PROSE))
    found = pagemeta.linked_data(tree)
    assert found.headline == "Hafen-Streit: Rat stößt Plan um"
    assert found.authors == [("René Roe", "")]


def test_what_a_byline_prints_beside_a_name_does_not_cost_the_name() -> None:
    # contact details, a parenthesised note, a job title after a dash, where the reporter filed from
    assert pagemeta.split_names("Jane Roe (@janeroe)") == ["Jane Roe"]
    assert pagemeta.split_names("Jane Roe, jane.roe@example.com") == ["Jane Roe"]
    assert pagemeta.split_names("Jane Roe https://twitter.com/janeroe") == ["Jane Roe"]
    assert pagemeta.split_names("Jane Roe (Text) und John Doe (Grafik)") == ["Jane Roe", "John Doe"]
    assert pagemeta.split_names("By Jane Roe (Reuters)") == ["Jane Roe", "Reuters"]
    assert pagemeta.split_names("Jane Roe - Senior Political Correspondent") == ["Jane Roe"]
    assert pagemeta.split_names("Jane Roe Reporter") == ["Jane Roe"]
    assert pagemeta.split_names("Jane Roe in Berlin") == ["Jane Roe"]
    # where a title run on without a dash starts is a guess: no name rather than a wrong one
    assert pagemeta.split_names("Jane Roe Political Correspondent") == []


def test_name_particles_co_author_words_and_bracketed_datelines() -> None:
    assert pagemeta.split_names("María de los Ángeles Pérez") == ["María de los Ángeles Pérez"]
    assert pagemeta.split_names("Lena ten Brink") == ["Lena ten Brink"]
    assert pagemeta.split_names("Abu Bakr al-Baghdadi") == ["Abu Bakr al-Baghdadi"]
    assert pagemeta.split_names("Jane Roe with John Doe") == ["Jane Roe", "John Doe"]
    assert pagemeta.split_names("Jan Nowak oraz Anna Kowalska") == ["Jan Nowak", "Anna Kowalska"]
    assert pagemeta.split_names("Mit Material von dpa") == ["dpa"]
    assert pagemeta.split_names("(서울=연합뉴스) 홍길동 기자 hong@yna.co.kr") == ["홍길동"]
    assert pagemeta.split_names("（ワシントン＝山田太郎）") == ["山田太郎"]
    # a bracketed picture credit is still not a name
    assert pagemeta.split_names("(Image: Getty Images)") == []


def test_the_article_nested_as_a_pages_main_entity_is_read() -> None:
    article = (
        '{"@context": "https://schema.org", "@type": "WebPage", "mainEntity": {"@type": "NewsArticle", '
        '"headline": "Harbour vote splits council", "author": {"@type": "Person", "name": "Jane Roe"}}}'
    )
    tree = load_html(_page(f'<script type="application/ld+json">{article}</script>', PROSE))
    found = pagemeta.linked_data(tree)
    assert found.headline == "Harbour vote splits council"
    assert found.authors == [("Jane Roe", "")]


def test_list_items_that_are_one_link_each_are_not_body_text() -> None:
    # a "more on this" list inside the article: each item is another story's headline, linked
    more = (
        "<ul>"
        '<li><a href="/a">Harbour bridge repairs to start in the spring</a></li>'
        '<li><a href="/b">School board weighs a longer summer break</a></li>'
        '<li><a href="/c">Ferry operator adds two evening crossings</a></li>'
        "</ul>"
    )
    # a list that says something beside its links stays
    points = (
        "<ul>"
        '<li>The <a href="/d">budget</a> grows by four percent over last year</li>'
        "<li>Road repairs take the largest share of the new money</li>"
        "</ul>"
    )
    half = PROSE.index("<p>", len(PROSE) // 2)  # a paragraph boundary halfway through
    result = html.extract_html(_page("", PROSE[:half] + more + points + PROSE[half:]), LATEST)
    assert result is not None
    assert not any("Harbour bridge repairs" in line for line in result.body)
    assert any("Road repairs take the largest share" in line for line in result.body)
    assert any(r.reason == "related-story teaser" and "Ferry operator" in r.text for r in result.removed)
