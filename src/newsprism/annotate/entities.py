"""Heuristic named entities: runs of capitalised words, labelled by cue words.

No tagger model can be downloaded, and news prose marks names reliably with capitals. A run of
capitalised tokens (allowing "of", "de", "al-" inside) is a candidate; a sentence-initial
function word is not. Labels come from cues: a title before the name or a known given-name
pattern -> PERSON, organisation words -> ORG, place cues and demonym countries -> PLACE.
"""

from __future__ import annotations

import re

from newsprism.annotate.language import DEMONYMS, MONTH_ABBREVIATIONS, STOPWORDS
from newsprism.model import Entity, Sentence

TITLES = frozenset(
    [
        "president",
        "presidential",
        "prime",
        "minister",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "secretary",
        "senator",
        "sen",
        "rep",
        "representative",
        "governor",
        "gov",
        "chancellor",
        "king",
        "queen",
        "prince",
        "pope",
        "general",
        "gen",
        "chief",
        "director",
        "ceo",
        "chairman",
        "chair",
        "mayor",
        "judge",
        "justice",
        "ambassador",
        "commander",
        "leader",
        "official",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "counterpart",
        "envoy",
        "adviser",
        "advisor",
        "foreign",
        "defense",
        "defence",
        "deputy",
        "vice",
        "speaker",
    ]
)
ORG_WORDS = frozenset(
    [
        "kremlin",
        "congress",
        "senate",
        "parliament",
        "ministry",
        "department",
        "agency",
        "council",
        "court",
        "committee",
        "commission",
        "house",
        "university",
        "party",
        "police",
        "army",
        "navy",
        "union",
        "bank",
        "company",
        "corp",
        "inc",
        "ltd",
        "group",
        "nato",
        "un",
        "eu",
        "fbi",
        "cia",
        "who",
        "afp",
        "reuters",
        "ap",
        "bbc",
        "cnn",
        "nbc",
        "cbs",
        "fox",
        "times",
        "post",
        "journal",
        "news",
        "administration",
        "government",
        "office",
    ]
)
PLACE_WORDS = frozenset(
    [
        "russia",
        "ukraine",
        "kyiv",
        "moscow",
        "poland",
        "europe",
        "us",
        "america",
        "china",
        "washington",
        "london",
        "paris",
        "alaska",
        "istanbul",
        "donbas",
        "germany",
        "france",
        "britain",
        "uk",
        "israel",
        "gaza",
        "iran",
        "iraq",
        "syria",
        "india",
        "japan",
        "texas",
        "california",
        "florida",
        "new",
        "york",
        "city",
        "region",
        "oblast",
        "county",
        "state",
        "province",
        "island",
    ]
)
_CAP_RUN = re.compile(
    r"(?:[A-ZÀ-ÖØ-Þ][\w’'.-]*|[A-Z]\.)(?:\s+(?:of|de|da|van|von|al|bin|the)?\s*"
    r"(?:[A-ZÀ-ÖØ-Þ][\w’'.-]*))*"
)


def _label(run: str, preceding: str) -> str:
    tokens = [t.casefold().strip(".’'") for t in run.split()]
    if any(t in ORG_WORDS for t in tokens):
        return "ORG"
    if any(t in PLACE_WORDS for t in tokens) and len(tokens) <= 2:
        return "PLACE"
    prev = preceding.rsplit(None, 1)[-1].casefold() if preceding.strip() else ""
    if prev in TITLES or (len(tokens) >= 2 and tokens[0] in TITLES):
        return "PERSON"
    if len(tokens) in (2, 3) and all(t.isalpha() for t in tokens):
        return "PERSON"
    return "MISC"


CALENDAR = MONTH_ABBREVIATIONS | frozenset(
    [
        "may",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def _starter(token: str) -> bool:
    """A capitalised sentence opener that is an ordinary word, not a name."""
    low = token.casefold()
    return low in STOPWORDS or low.endswith(("ing", "ed", "ly")) or low in {"despite", "when"}


def _clean_run(run: str, at_start: bool) -> tuple[str, bool]:
    """Strip openers, titles and nationality words; report whether a title was seen."""
    tokens = [t.removesuffix("'s").removesuffix("’s").rstrip(".,") for t in run.split()]
    if at_start and tokens and _starter(tokens[0]):
        tokens = tokens[1:]
    titled = False
    while len(tokens) > 1 and (
        tokens[0].casefold() in STOPWORDS | TITLES or tokens[0].casefold() in DEMONYMS
    ):
        titled = titled or tokens[0].casefold() in TITLES
        tokens = tokens[1:]
    while tokens and tokens[-1].casefold() in {"of", "de", "the", "al"}:
        tokens = tokens[:-1]
    if len(tokens) == 1 and tokens[0].casefold() in STOPWORDS | CALENDAR | TITLES:
        return "", False
    return " ".join(tokens), titled


def find_entities(sentence: Sentence) -> list[Entity]:
    """Capitalised runs of one sentence as entities (titles kept out of the name)."""
    found: list[Entity] = []
    text = sentence.text
    for match in _CAP_RUN.finditer(text):
        at_start = text[: match.start()].strip(" \"“‘'(") == ""
        run, titled = _clean_run(match.group(), at_start)
        if not run:
            continue
        label = "PERSON" if titled and " " in run else _label(run, text[: match.start()])
        found.append(Entity(run, label, sentence.index))
    return found
