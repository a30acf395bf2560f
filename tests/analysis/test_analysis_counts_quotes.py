"""Counts that disagree inside one fact, weekday dates, quote bullets with speakers, framing
without quotes. Every story here is invented for the test."""

from __future__ import annotations

from datetime import date, datetime

from analysis_helpers import make_article, make_story

from newsprism.analysis import analyse_story
from newsprism.analysis.compress import light
from newsprism.analysis.facts import build_facts
from newsprism.analysis.framing import framing, outlet_words
from newsprism.analysis.grounding import check_bullet
from newsprism.analysis.quickread import attributed
from newsprism.annotate import annotate
from newsprism.annotate.numbers import find_numbers
from newsprism.model import AnnotatedArticle, Sentence, Story

PUB = datetime(2031, 3, 3)  # a Monday


def _flood_story() -> tuple[Story, list[AnnotatedArticle]]:
    return make_story(
        [
            make_article(
                "a",
                [
                    "At least 450 people were evacuated from the village of Dunmere after the "
                    "River Ost burst through a levee on Sunday, the county said.",
                    "Rescue boats reached the last stranded farms by noon.",
                ],
                "Outlet A",
                published=PUB,
            ),
            make_article(
                "b",
                [
                    "About 300 residents of Dunmere were moved out of their homes overnight "
                    "after the levee on the Ost gave way, the village council said.",
                    "A school gym is serving as the main shelter.",
                ],
                "Outlet B",
                published=PUB,
            ),
            make_article(
                "c",
                [
                    "More than 450 people fled Dunmere and nearby hamlets as the Ost broke "
                    "through a levee on Sunday, officials said.",
                    "The regional governor promised emergency funds.",
                ],
                "Outlet C",
                published=PUB,
            ),
        ]
    )


def test_different_counts_of_one_event_are_one_fact_with_a_discrepancy() -> None:
    story, annotated = _flood_story()
    analysis = analyse_story(story, annotated)
    counted = [f for f in analysis.facts if any("300 residents" in r.text for r in f.sentences)]
    assert counted and counted[0].kind == "consensus"
    assert {"Outlet A", "Outlet B"} <= set(counted[0].outlets)
    numbers = [d for d in analysis.discrepancies if d.kind == "number"]
    assert len(numbers) == 1
    texts = {text for _, text in numbers[0].values}
    assert "About 300 residents" in texts and "At least 450 people" in texts


def test_quick_read_states_a_disputed_count_once_with_the_consensus_figure() -> None:
    story, annotated = _flood_story()
    bullets = analyse_story(story, annotated).quick_read.bullets
    with_count = [b.text for b in bullets if "450" in b.text or "300" in b.text]
    assert len(with_count) == 1
    assert "450" in with_count[0]
    for bullet in bullets:
        assert check_bullet(bullet.text, bullet.citations) == []


def test_counts_of_different_things_do_not_join_facts() -> None:
    story, annotated = make_story(
        [
            make_article("a", ["Some 40 firefighters tackled the blaze at the Harlow mill."], "A"),
            make_article("b", ["About 12 workers were evacuated from the Harlow mill offices."], "B"),
        ]
    )
    analysis = analyse_story(story, annotated)
    assert analysis.discrepancies == []


def _dates(text: str, published: date) -> list[str]:
    return [str(m.value) for m in find_numbers(Sentence("a", 0, 0, text), published) if m.unit == "date"]


def test_weekday_resolves_forward_in_future_tense_and_back_in_past_tense() -> None:
    monday = date(2031, 3, 3)
    assert _dates("Members will vote on the offer on Wednesday.", monday) == ["2031-03-05"]
    assert _dates("The board is due to meet on Friday.", monday) == ["2031-03-07"]
    assert _dates("The mayor said on Friday that the road would reopen.", monday) == ["2031-02-28"]
    assert _dates("Officials said on Saturday that members will vote on Wednesday.", monday) == [
        "2031-03-01",
        "2031-03-05",
    ]
    assert _dates("The plant closed last Monday.", monday) == ["2031-02-24"]
    assert _dates("The plant reopens next Monday.", monday) == ["2031-03-10"]
    assert _dates("Crews returned on Monday morning.", monday) == ["2031-03-03"]


def test_upcoming_weekday_and_its_date_agree_but_a_wrong_date_is_flagged() -> None:
    def story(other: str) -> list[str]:
        s, annotated = make_story(
            [
                make_article(
                    "a", ["Tram drivers will vote on the pay offer on Thursday."], "A", published=PUB
                ),
                make_article(
                    "b", [f"Tram drivers will vote on the pay offer on {other}."], "B", published=PUB
                ),
            ]
        )
        return [d.kind for d in analyse_story(s, annotated).discrepancies]

    assert story("March 6") == []  # Thursday after Monday 3 March 2031
    assert story("March 13") == ["date"]


def test_past_weekday_and_its_date_agree() -> None:
    s, annotated = make_story(
        [
            make_article(
                "a", ["The tram drivers' union said on Friday it had accepted the deal."], "A", published=PUB
            ),
            make_article(
                "b", ["The tram drivers' union said on Feb. 28 it had accepted the deal."], "B", published=PUB
            ),
        ]
    )
    assert analyse_story(s, annotated).discrepancies == []


def test_a_quote_bullet_names_its_speaker() -> None:
    assert not attributed("“We will not give up the harbour to anyone at any price.”")
    assert attributed("“We will not give up the harbour,” Mayor Lena Oster said.")
    assert attributed("The union called the offer “an insult to every driver”.")


def test_a_bare_quote_continues_the_speaker_of_the_previous_quote() -> None:
    body = [
        "Transport Minister Pavel Korin backed the plan. “The trams are safe,” he said. "
        "“We will put more money into the network than any government before us.”"
    ]
    quotes = annotate(make_article("a", body, "A")).quotes
    assert [q.speaker for q in quotes] == ["Pavel Korin", "Pavel Korin"]


def test_quote_only_bullets_get_their_speaker_back_grounded() -> None:
    quote = "“We will put more money into the tram network than any government before us.”"
    story, annotated = make_story(
        [
            make_article(
                "a",
                [f"Transport Minister Pavel Korin backed the plan. “The trams are safe,” he said. {quote}"],
                "A",
            ),
            make_article(
                "b",
                [
                    "Pavel Korin said: “We will put more money into the tram network than any "
                    "government before us.”"
                ],
                "B",
            ),
        ]
    )
    for bullet in analyse_story(story, annotated).quick_read.bullets:
        assert attributed(bullet.text), bullet.text
        assert check_bullet(bullet.text, bullet.citations) == []


def test_compression_prefers_the_speakers_name_to_their_title() -> None:
    named = light("“The offer is fair,” the chair of the drivers’ union, Marta Quell, said on Monday.")
    assert named == "“The offer is fair,” Marta Quell said on Monday."
    after = light("“The offer is fair,” said Marta Quell, the chair of the drivers’ union.")
    assert after == "“The offer is fair,” said Marta Quell."
    untitled = light("“The offer is fair,” the chair of the drivers’ union said.")
    assert "chair of the drivers’ union said" in untitled


def test_framing_ignores_words_inside_quotes() -> None:
    assert "catastrophe" not in outlet_words("“It is a catastrophe,” the mayor said of the flood.")
    story, annotated = make_story(
        [
            make_article(
                "a",
                [
                    "The storm flooded the harbour district on Tuesday, “a total catastrophe for "
                    "everyone”, the mayor said."
                ],
                "A",
            ),
            make_article("b", ["The storm flooded the harbour district on Tuesday, the mayor said."], "B"),
        ]
    )
    facts, groups = build_facts(story, annotated)
    consensus = [groups[f.id] for f in facts if f.kind == "consensus"]
    terms = {t.term for ts in framing(annotated, consensus).values() for t in ts}
    assert not any("catastrophe" in t for t in terms)


def test_framing_lists_are_short() -> None:
    words = " ".join(f"word{i}x" for i in range(40))
    story, annotated = make_story(
        [
            make_article("a", [f"The council approved the budget on Monday, {words}."], "A"),
            make_article("b", ["The council approved the budget on Monday."], "B"),
        ]
    )
    assert all(len(ts) <= 15 for ts in analyse_story(story, annotated).framing.values())


def test_framing_ranks_a_loaded_modifier_above_alternated_synonyms() -> None:
    story, annotated = make_story(
        [
            make_article(
                "a",
                [
                    "The council rejected the union's extortionate demands on Tuesday.",
                    "Negotiations with the union stalled, and talks with the union resume in May.",
                ],
                "A",
            ),
            make_article(
                "b",
                [
                    "The council rejected the union's demands on Tuesday.",
                    "Talks with the union stalled and will resume in May.",
                ],
                "B",
            ),
        ]
    )
    terms = [t.term for t in analyse_story(story, annotated).framing["A"]]
    assert "extortionate demands" in terms
    if "negotiations" in terms:
        assert terms.index("extortionate demands") < terms.index("negotiations")


def test_redundancy_catches_one_claim_with_two_counts_but_not_two_claims() -> None:
    from newsprism.analysis.quickread import Draft, _redundant
    from newsprism.model import Bullet

    def draft(text: str) -> Draft:
        return Draft(Bullet(text, [], ["f1"], ["A"]), False, False, 0.0)

    chosen = [
        draft("At least 450 people were evacuated from the village of Dunmere after the River Ost burst.")
    ]
    same = "About 300 residents of Dunmere were moved out of their homes after the levee on the Ost gave way."
    other = "About 300 residents of Kelby were moved out of their homes when a gas main exploded downtown."
    assert _redundant(same, chosen, 0.7)
    assert not _redundant(other, chosen, 0.7)
