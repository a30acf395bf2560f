"""Sentences, entities, quotes with speakers, numbers and dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from newsprism.annotate import annotate
from newsprism.model import Article

Build = Callable[..., Article]


def test_sentences_are_exact_substrings_with_global_index(article: Build) -> None:
    body = [
        "U.S. President Donald Trump spoke on Sept. 11. He left at 5 p.m. on Friday.",
        '"We talked. It went well," Mr. Smith said. Then he went home.',
    ]
    result = annotate(article(body))
    texts = [s.text for s in result.sentences]
    assert texts == [
        "U.S. President Donald Trump spoke on Sept. 11.",
        "He left at 5 p.m. on Friday.",
        '"We talked. It went well," Mr. Smith said.',
        "Then he went home.",
    ]
    assert [s.index for s in result.sentences] == [0, 1, 2, 3]
    assert [s.paragraph for s in result.sentences] == [0, 0, 1, 1]
    assert all(s.text in body[s.paragraph] for s in result.sentences)


def test_quote_speakers_titles_and_back_references(article: Build) -> None:
    body = [
        '"It is more accurate to talk about a pause," spokesman Dmitry Peskov told reporters.',
        '"You cannot expect immediate results," he added.',
        'Kremlin spokesman Dmitry Peskov said: "Channels of communication exist."',
        'Peskov replied that, as of now, "it is more accurate to say there is a pause."',
        '"We will keep talking to everyone," said Ursula von der Leyen.',
    ]
    quotes = annotate(article(body)).quotes
    assert [q.speaker for q in quotes] == ["Dmitry Peskov"] * 4 + ["Ursula von der Leyen"]
    assert quotes[1].text == "You cannot expect immediate results"


def test_she_said_skips_a_man_named_in_between(article: Build) -> None:
    """Gender agreement: the subject Tom Baker is not "she"; given names tell (Faker's lists)."""
    body = [
        "Tom Baker met Maria Lopez at the council on Monday.",
        '"We will fix the roads this year," she said.',
    ]
    [quote] = annotate(article(body)).quotes
    assert (quote.speaker, quote.resolved_by) == ("Maria Lopez", "pronoun")


def test_speaker_with_an_apposition_before_the_cue(article: Build) -> None:
    body = ['"The rules can still change," Morton Blackwell, a committeeman from Virginia, told reporters.']
    [quote] = annotate(article(body)).quotes
    assert (quote.speaker, quote.cue) == ("Morton Blackwell", "told")


def test_a_participial_cue_belongs_to_the_subject(article: Build) -> None:
    body = ['Donald Trump attacked Hillary Clinton over Libya, saying, "She is trigger-happy and unstable."']
    [quote] = annotate(article(body)).quotes
    assert quote.speaker == "Donald Trump"


def test_a_name_ending_like_a_participle_is_still_a_name(article: Build) -> None:
    body = ['"We will appeal this decision at once," Husted said.']
    [quote] = annotate(article(body)).quotes
    assert quote.speaker == "Husted"


def test_a_cue_cut_off_into_the_next_sentence(article: Build) -> None:
    """The splitter ends a sentence at `?”`; the attribution opens the next one."""
    body = ['Reporters pressed the mayor. "Have we spent too much on the new bridge?" Ortega asked.']
    [quote] = annotate(article(body)).quotes
    assert quote.speaker == "Ortega"


def test_a_family_name_the_tagger_mislabels_still_names_the_person(article: Build) -> None:
    """A full name opening with a given name makes its family name a person's elsewhere, so
    "he said" goes to the subject of the sentence before even when spaCy calls it otherwise."""
    body = [
        "Gregory Hartley and Lena Marsh spoke at the county fair on Saturday.",
        "Then the mayor announced the fair would move to a bigger site next year.",
        "Hartley has blasted the zoning board, which he called slow.",
        '"The water plan is going to pass this spring," he said.',
    ]
    quotes = annotate(article(body)).quotes
    assert [q.speaker for q in quotes] == ["Gregory Hartley"]


def test_he_said_goes_to_who_the_sentence_before_reports_speaking(article: Build) -> None:
    """The named subject of a reporting verb outranks the subject of what was reported."""
    body = [
        "Gregory Hale has welcomed farmers to the valley for years, Mayor Tom Brennan noted.",
        '"We get about 300 new families a year," he said.',
    ]
    [quote] = annotate(article(body)).quotes
    assert (quote.speaker, quote.resolved_by) == ("Tom Brennan", "pronoun")


def test_a_source_with_an_apposition_is_the_next_pronoun_s_antecedent(article: Build) -> None:
    body = [
        "Gregory Hale spoke first at the hall.",
        "Tamberg, a retired nurse, said he backs the plan.",
        '"It is going to be close," he said.',
    ]
    [quote] = annotate(article(body)).quotes
    assert (quote.speaker, quote.resolved_by) == ("Tamberg", "pronoun")


def test_a_party_and_state_parenthesis_does_not_hide_the_speaker(article: Build) -> None:
    body = ['"The bridge must be finished by spring," Sen. Carla Romero (D-Ore.) said in a statement.']
    [quote] = annotate(article(body)).quotes
    assert (quote.speaker, quote.resolved_by) == ("Carla Romero", "title")


def test_an_interviewer_pressing_is_a_cue(article: Build) -> None:
    body = ["Lena Marsh opened the meeting.", '"Will the plan cost more than before?" Tom Whitaker pressed.']
    [quote] = annotate(article(body)).quotes
    assert (quote.speaker, quote.resolved_by) == ("Tom Whitaker", "explicit")


def test_it_said_is_never_a_person_named_before(article: Build) -> None:
    body = ["Mayor Tom Brennan released the report.", '"The roads need repair within two years," it says.']
    [quote] = annotate(article(body)).quotes
    assert (quote.speaker, quote.resolved_by) == ("it", "description")


def test_a_quote_running_on_past_its_closing_mark_is_not_the_speaker(article: Build) -> None:
    """`"..." for Brennan, said Ortiz`: the words after the quote up to the comma are its own."""
    body = ['"This will be a hard winter" for Brennan, said Lena Ortiz.']
    [quote] = annotate(article(body)).quotes
    assert quote.speaker == "Lena Ortiz"


def test_scare_quotes_are_not_quotes(article: Build) -> None:
    body = ['The Kremlin said talks were on "pause" as efforts falter.']
    assert annotate(article(body)).quotes == []


def test_counts_with_qualifiers_and_units(article: Build) -> None:
    result = annotate(article(["At least 21 Russian drones and 3 missiles hit 2,500 homes."]))
    found = {(n.value, n.unit, n.qualifier) for n in result.numbers}
    assert (21.0, "dron", "at least") in found
    assert (3.0, "missil", None) in found
    assert (2500.0, "homes", None) in found or (2500.0, "home", None) in found


def test_relative_dates_resolve_against_publication(article: Build) -> None:
    body = [
        "The Kremlin said Friday that talks were paused, after an attack last week.",
        "A strike on Sept. 7 hit Kyiv; talks ran between May and July.",
    ]
    values = {n.text: n.value for n in annotate(article(body)).numbers if n.unit == "date"}
    assert values["Friday"] == "2025-09-12"  # 2025-09-12 is itself a Friday
    assert values["last week"] == "2025-09-01/2025-09-07"
    assert values["Sept. 7"] == "2025-09-07"
    assert values["May"] == "2025-05-01/2025-05-31"


def test_relative_dates_without_publication_stay_relative(article: Build) -> None:
    numbers = annotate(article(["Officials met on Friday."], published=None)).numbers
    assert [n.value for n in numbers] == ["relative:friday"]
    sunday = annotate(article(["Officials met on Friday."], published=datetime(2025, 9, 14)))
    assert sunday.numbers[0].value == "2025-09-12"


def test_entities_strip_titles_and_sentence_openers(article: Build) -> None:
    result = annotate(
        article(
            [
                "Following talks, Ukrainian President Volodymyr Zelensky met "
                "Polish Prime Minister Donald Tusk in Warsaw."
            ]
        )
    )
    people = {e.text for e in result.entities if e.label == "PERSON"}
    assert {"Volodymyr Zelensky", "Donald Tusk"} <= people
    assert all(not e.text.startswith("Following") for e in result.entities)


def test_a_name_matched_in_another_case_fold_is_no_crash(article: Build) -> None:
    """Turkish dotless ı: the case-insensitive name pattern matches "YANGIN" for "Yangın", whose
    case fold ("yangin") is not the name's key; a real Habertürk page ended in a KeyError."""
    body = [
        '"We will rebuild," said Ahmet Yangın, the mayor. YANGIN was in Ankara, he said.',
        '"The fire is out," Yangın said.',
    ]
    annotated = annotate(article(body))
    assert [q.speaker for q in annotated.quotes] == ["Ahmet Yangın", "Ahmet Yangın"]
