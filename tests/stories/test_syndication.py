"""Syndication: copies of one wire text across outlets form one group (one voice)."""

from __future__ import annotations

from conftest import day, make_article

from newsprism.model import Article
from newsprism.stories import StoryGrouper
from newsprism.stories.syndication import shingles

WIRE = [
    "GENEVA (Reuters) - The World Health Organization on Tuesday declared the mpox outbreak in "
    "central Africa a public health emergency of international concern, its highest level of alert, "
    "after a new strain of the virus spread from the Democratic Republic of Congo to neighbouring "
    "countries.",
    "WHO Director-General Tedros Adhanom Ghebreyesus said the emergency committee had advised him "
    "that the upsurge was an extraordinary event and that a coordinated international response was "
    "essential to stop the outbreaks and save lives.",
    "More than 15,600 cases and 537 deaths have been reported in Congo so far this year.",
]


def _copy(outlet: str, edits: dict[str, str], extra: str = "", hour: int = 10) -> Article:
    body = []
    for paragraph in WIRE:
        for old, new in edits.items():
            paragraph = paragraph.replace(old, new)
        body.append(paragraph)
    if extra:
        body.append(extra)
    title = f"WHO declares mpox a global emergency ({outlet})"
    return make_article(title, body, outlet=outlet, when=day(14, hour))


def test_wire_copies_with_small_edits_form_one_group() -> None:
    first = _copy("Daily Ledger", {"Tuesday": "Tuesday afternoon"}, "Reporting by Jennifer Rigby.", 9)
    second = _copy("Metro Herald", {"neighbouring": "neighboring", "so far this year": "this year"}, "", 11)
    rewrite = make_article(
        "Mpox: what the WHO emergency means for travellers",
        "Health officials in our region say the risk to local residents remains low, even after the "
        "global health body raised its highest alarm over the virus spreading through central Africa. "
        "Clinics have vaccine stocks, the county health director told us, and travellers returning from "
        "Congo should watch for a rash.",
        outlet="County Courier",
        when=day(14, 15),
    )
    grouper = StoryGrouper()
    grouper.add(first)
    assignment = grouper.add(second)
    assert assignment.syndicated_with == [first.id]
    grouper.add(rewrite)
    story = grouper.story(assignment.story_id)
    assert set(story.article_ids) == {first.id, second.id, rewrite.id}
    assert story.syndication_groups == [sorted([first.id, second.id])]


def test_same_outlet_revision_is_not_syndication() -> None:
    first = _copy("Daily Ledger", {}, "", 9)
    revised = _copy("Daily Ledger", {"Tuesday": "Tuesday evening"}, "This story was updated.", 12)
    grouper = StoryGrouper()
    grouper.add(first)
    assignment = grouper.add(revised)
    assert assignment.story_id == grouper.story_of(first.id)
    assert assignment.syndicated_with == []
    assert grouper.story(assignment.story_id).syndication_groups == []


def test_shingles_are_casefolded_word_ngrams() -> None:
    assert shingles("A b C d", 3) == {b"a b c", b"b c d"}
    assert shingles("too short", 3) == set()
