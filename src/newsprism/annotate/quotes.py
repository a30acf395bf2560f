"""Direct quotations and their speakers.

A quote is the text between paired double quotes (curly or straight) of at least three words;
shorter quoted spans are scare quotes ("pause") and say nothing about who spoke. The speaker is
found from the attribution around the quote in the same sentence: after it (`," spokesman Dmitry
Peskov told reporters`, `," said Peskov`) or before it (`Peskov replied that ... "`). Titles and
nationality words are stripped from the name; pronouns ("he added") resolve to the previous
speaker in the article, and a bare surname to the fullest name of the article that ends with it.
"""

from __future__ import annotations

import re

from newsprism.annotate.entities import TITLES
from newsprism.model import Entity, Quote, Sentence

VERBS = (
    r"said|says|say|told|tells|added|adds|stated|states|asked|noted|notes|claimed|claims|"
    r"replied|replies|described|describes|announced|explained|insisted|warned|argued|wrote|"
    r"tweeted|declared|confirmed|acknowledged|admitted|suggested|urged|called|calls|stressed|"
    r"continued|went on"
)
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_NAME = r"[A-ZÀ-ÖØ-Þ][\w’'.-]*(?:\s+(?:(?:von|van|der|de|da|al|bin|la|le)\s+)*[A-ZÀ-ÖØ-Þ][\w’'.-]*)*"
_GROUP_WORDS = "officials|authorities|police|officers|sources|lawmakers|leaders|experts"
_GROUP = rf"(?:\s+(?:{_GROUP_WORDS}))?"
_AFTER = re.compile(rf"^[\s,.—–-]*(?P<who>(?:[\w’'.-]+\s+){{1,5}}?)(?:has\s+|had\s+)?(?:{VERBS})\b")
_INVERTED = re.compile(rf"^[\s,]*(?:{VERBS})\s+(?P<inv>(?:the\s+)?(?:[a-z][\w’'.-]*\s+){{0,3}}?{_NAME})")
_BEFORE = re.compile(rf"(?P<who>\b(?:he|she|they|{_NAME}){_GROUP})\s+(?:has\s+|had\s+|also\s+)?(?:{VERBS})\b")
PARTICLES = frozenset({"von", "van", "der", "de", "da", "al", "bin", "la", "le"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we"})


def _strip_titles(who: str) -> str:
    """Keep the name out of "Kremlin spokesman Dmitry Peskov": the last capitalised run."""
    tokens = who.replace("the ", " ").split()
    run: list[str] = []
    for token in reversed(tokens):
        if (token[:1].isupper() and token.casefold().strip(".") not in TITLES) or (
            run and token in PARTICLES
        ):
            run.insert(0, token)
        elif run:
            break
    while run and run[0] in PARTICLES:
        run = run[1:]
    while run and (run[0].casefold().endswith(("ian", "ish", "ese")) or run[0] == "Kremlin"):
        if len(run) == 1:
            break
        run = run[1:]
    if not run:
        lowered = who.strip().casefold()
        return lowered if lowered in PRONOUNS else ""
    group = re.search(rf"\b({_GROUP_WORDS})\s*$", who.strip())
    name = " ".join(run).strip(",.")
    return f"{name} {group.group(1)}" if group else name


def _speaker_near(sentence: str, start: int, end: int) -> str:
    for pattern, group in ((_AFTER, "who"), (_INVERTED, "inv")):
        after = pattern.match(sentence[end:])
        name = _strip_titles(after.group(group)) if after else ""
        if name:
            return name
    before = list(_BEFORE.finditer(sentence[:start]))
    if before:
        return _strip_titles(before[-1].group("who"))
    return ""


def _resolve(name: str, previous: str | None, names: list[str]) -> str | None:
    if not name:
        return None
    if name.casefold() in PRONOUNS:
        return previous
    if " " not in name:
        longer = [n for n in names if n.endswith(" " + name)]
        if longer:
            return max(longer, key=len)
    return name


def _personish(entity: Entity) -> bool:
    """A person, or a name the tagger left unlabelled but a title introduces ("Finance
    Minister Tomas Reyhill"): a candidate for a following "he said"."""
    if entity.label == "PERSON":
        return True
    tokens = entity.text.split()
    titled = any(t.casefold() in TITLES for t in tokens[:-1])
    return entity.label == "MISC" and titled and len(_strip_titles(entity.text).split()) >= 2


def find_quotes(article_id: str, sentences: list[Sentence], entities: list[Entity]) -> list[Quote]:
    """Quotes of an article in order, each with its resolved speaker (or None)."""
    names = [e.text for e in entities if e.label == "PERSON"]
    quotes: list[Quote] = []
    previous: str | None = None
    last: Quote | None = None
    # Indexed by sentence once: scanning every entity for every sentence made long pages
    # quadratic (a 200 KB page spent 35 s here).
    persons: dict[int, list[tuple[int, Entity]]] = {}
    for position, e in enumerate(entities):
        if _personish(e):
            persons.setdefault(e.sentence_index, []).append((position, e))
    by_index = {s.index: s for s in sentences}
    for sentence in sentences:
        if not _QUOTE.search(sentence.text):
            continue  # no quote: nothing below would change
        quoted = " ".join(m.group() for m in _QUOTE.finditer(sentence.text))
        nearby = sorted(
            persons.get(sentence.index - 1, [])
            + [(p, e) for p, e in persons.get(sentence.index, []) if e.text not in quoted],
            key=lambda pair: pair[0],
        )
        people = [e.text if e.label == "PERSON" else _strip_titles(e.text) for _, e in nearby]
        for match in _QUOTE.finditer(sentence.text):
            text = (match.group(1) or match.group(2) or "").strip()
            if len(text.split()) < 3:
                continue
            raw = _speaker_near(sentence.text, match.start(), match.end())
            # "he/she said": the person just named (outside quotes), or else the last speaker
            speaker = _resolve(raw, (people[-1] if people else None) or previous, names)
            if not raw and last is not None and _continues(sentence, match, last, by_index):
                # a sentence that is only a quote, right after a quoted sentence of the same
                # paragraph, continues that speaker ("...," he said. "We will ...")
                speaker = last.speaker
            if speaker:
                previous = speaker
                names.append(speaker)
            quotes.append(Quote(text.rstrip(",").strip(), speaker, article_id, sentence.index))
            last = quotes[-1]
    return quotes


def _continues(
    sentence: Sentence, match: re.Match[str], last: Quote, by_index: dict[int, Sentence]
) -> bool:
    """The whole sentence is this quote and the previous sentence of the paragraph quoted
    someone."""
    whole = not sentence.text[: match.start()].strip() and not sentence.text[match.end() :].strip(" .")
    if not whole or last.speaker is None or last.sentence_index != sentence.index - 1:
        return False
    before = by_index.get(sentence.index - 1)
    return before is not None and before.paragraph == sentence.paragraph
