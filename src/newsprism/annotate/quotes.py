"""Direct quotations and their speakers.

A quote is the text between paired double quotes (curly or straight) of at least three words;
shorter quoted spans are scare quotes ("pause") and say nothing about who spoke.

The speaker comes from the attribution around the quote in its sentence, read outside the
quoted words: after it (`," spokesman Dmitry Peskov told reporters`, `," said Peskov`) or before
it (`Peskov replied that ... "`, `Trump said: "`). What the cue names is then resolved:

- a name: the PERSON entity spaCy finds in it, so titles fall away ("Secretary of State John F.
  Kerry" -> "John F. Kerry", resolved ``title``) and sentence openers never glue on ("When
  Beck"); a bare family name takes the fullest earlier name that ends with it ("Kerry");
- a pronoun ("he added"): the nearest person mentioned before it outside quotes, in this
  sentence or the ones just before. Places and organisations are not candidates, and the
  object of the cue ("he told the senators") is never the speaker;
- a description with no name ("the Republican nominee", "Pentagon officials") stays as written.

A quote with no cue of its own continues the speaker of the quote just before it (a split quote,
a quote running over several sentences or paragraphs), or takes the speaker a previous sentence
announced ("Joel Pollak observed:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.annotate import nlp
from newsprism.annotate.entities import TITLES, _starter
from newsprism.annotate.language import DEMONYMS
from newsprism.model import Entity, Quote, Sentence

VERBS = (
    r"said|says|say|told|tells|added|adds|stated|states|asked|noted|notes|claimed|claims|"
    r"replied|replies|described|describes|announced|explained|insisted|warned|argued|wrote|"
    r"tweeted|declared|confirmed|acknowledged|admitted|suggested|urged|called|calls|stressed|"
    r"continued|went on"
)
# Cues for speaker attribution: the verbs above and the rest of the reporting vocabulary.
CUES = VERBS + (
    r"|asks|adding|saying|writes|observed|observes|remarked|recalled|responded|responds|"
    r"countered|quipped|joked|testified|shouted|boasted|pointed out|told|explains|insists|warns|"
    r"argues|tweets|declares|concluded|concedes|conceded|complained|complains|lamented|predicted|"
    r"promised|vowed|cautioned|mused|posted|wondered|exclaimed|bragged|recounted|emphasized|"
    r"yelled|chanted|reiterated|thundered|retorted|charged|proclaimed|reported|reports|"
    r"according to"
)
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_NAME = r"[A-ZÀ-ÖØ-Þ][\w’'.-]*(?:\s+(?:(?:von|van|der|de|da|al|bin|la|le)\s+)*[A-ZÀ-ÖØ-Þ][\w’'.-]*)*"
_GROUP_WORDS = "officials|authorities|police|officers|sources|lawmakers|leaders|experts"
_AFTER = re.compile(
    rf"^[\s,.—–-]*(?P<who>(?:[\w’'.-]+,?\s+){{1,7}}?)(?:has\s+|had\s+|also\s+|then\s+|later\s+)?(?:{CUES})\b"
)
_INVERTED = re.compile(
    rf"^[\s,.—–-]*(?:{CUES})\s+(?P<who>(?:the\s+|a\s+)?(?:[\w’'.-]+\s+){{0,5}}?{_NAME}|(?:the|a|an)\s+[a-z]+(?:\s+[a-z]+)?)"
)
_BEFORE = re.compile(
    rf"(?P<who>\b(?:he|she|they|I|we|{_NAME}(?:\s+(?:{_GROUP_WORDS}))?|(?:the\s+)?[a-z]+\s+(?:{_GROUP_WORDS})))"
    rf"[^\"“”A-Z]{{0,60}}?\s+(?:has\s+|had\s+|also\s+|then\s+)?(?P<cue>{CUES})\b[^\"“”]{{0,80}}$"
)
_SOURCE = re.compile(rf"(?P<who>{_NAME})\s+(?:has\s+|had\s+|also\s+)?(?:{CUES})\b")
_NAME_TAIL = re.compile(r"(?:\s+[A-ZÀ-ÖØ-Þ][\w’'-]+)+")
_ACCORDING = re.compile(rf"according to (?P<who>(?:the\s+)?{_NAME})")
PARTICLES = frozenset({"von", "van", "der", "de", "da", "al", "bin", "la", "le"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_DESCRIPTIVE = DEMONYMS.keys() | frozenset(
    {"republican", "republicans", "democrat", "democrats", "democratic", "gop", "american", "americans"}
)
_AUXILIARIES = frozenset(
    {"will", "would", "has", "had", "have", "also", "then", "later", "once", "again"}
    | {"previously", "recently", "repeatedly", "reportedly", "since"}
)
# "said in Miami", "told in an interview": what follows the cue is a place or a manner
_PREPOSITIONS = frozenset(
    {"in", "on", "at", "during", "after", "before", "to", "from", "for", "with", "of", "by", "about", "as"}
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass
class _Found:
    """A quote being attributed: where it is and what its cue says."""

    sentence: Sentence
    start: int
    end: int
    text: str
    raw: str = ""
    raw_at: int = -1  # position of the raw speaker in its sentence
    cue: str = ""


def _unquoted(text: str) -> str:
    """The sentence with quoted words blanked (same length, so offsets hold): a speaker is named
    outside the quote, and the tagger's cost grows with every token it reads."""
    return _QUOTE.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 2) + m.group()[-1], text)


def _strip_titles(who: str) -> str:
    """The name in "Kremlin spokesman Dmitry Peskov" without spaCy: the last capitalised run."""
    tokens = who.replace("the ", " ").split()
    run: list[str] = []
    for token in reversed(tokens):
        low = token.casefold().strip(".,")
        if (token[:1].isupper() and low not in TITLES) or (run and token in PARTICLES):
            run.insert(0, token)
        elif run:
            break
    while run and run[0] in PARTICLES:
        run = run[1:]
    if not run:
        lowered = who.strip().casefold()
        return lowered if lowered in PRONOUNS else ""
    return " ".join(run).strip(",.")


def _person(text: str, spans: tuple[nlp.Span, ...], lo: int, hi: int) -> nlp.Span | None:
    """The last PERSON entity inside [lo, hi) of a sentence."""
    inside = [s for s in spans if s.label == "PERSON" and s.start >= lo and s.end <= hi + 1]
    return inside[-1] if inside else None


def _clean_name(name: str) -> str:
    name = name.strip(" ,.;:—–-").removesuffix("’s").removesuffix("'s")
    return " ".join(name.split())


def _cue(sentence: str, start: int, end: int) -> tuple[str, int, str]:
    """(speaker as written, its offset in the sentence, cue word) of a quote's attribution."""
    tail = sentence[end:]
    after = _AFTER.match(tail)
    if after and "“" not in after.group("who") and '"' not in after.group("who"):
        words = after.group("who").strip(" ,").split()
        while len(words) > 1 and words[-1].casefold() in _AUXILIARIES:  # "he will say"
            words.pop()
        if words[-1].casefold() not in {"who", "which", "that"}:
            return " ".join(words), end + after.start("who"), tail[after.end("who") : after.end()].strip()
    inverted = _INVERTED.match(tail)
    if inverted and inverted.group("who").split()[0].casefold() not in _PREPOSITIONS:
        who = inverted.group("who")
        return who, end + inverted.start("who"), tail[inverted.start() : inverted.start("who")].strip(" ,")
    head = sentence[:start]
    according = list(_ACCORDING.finditer(head))
    before = list(_BEFORE.finditer(head))
    if before:
        match = before[-1]
        return match.group("who"), match.start("who"), match.group("cue")
    if according:
        return according[-1].group("who"), according[-1].start("who"), "according to"
    return "", -1, ""


def find_quotes(article_id: str, sentences: list[Sentence], entities: list[Entity]) -> list[Quote]:
    """Quotes of an article in order, each with its resolved speaker (or None)."""
    found: list[_Found] = []
    for sentence in sentences:
        for match in _QUOTE.finditer(sentence.text):
            text = (match.group(1) or match.group(2) or "").strip()
            if len(text.split()) < 3:
                continue
            raw, at, cue = _cue(sentence.text, match.start(), match.end())
            found.append(_Found(sentence, match.start(), match.end(), text.rstrip(",").strip(), raw, at, cue))
    if not found:
        return []
    return _Resolver(article_id, sentences, entities, found).quotes()


class _Resolver:
    """Speakers for the quotes of one article, read in order (the previous speaker matters)."""

    def __init__(
        self, article_id: str, sentences: list[Sentence], entities: list[Entity], found: list[_Found]
    ) -> None:
        self.article_id = article_id
        self.sentences = sentences
        self.found = found
        # spaCy runs on the quote sentences now (batched) and on the sentences before them only
        # when a pronoun or a bare quote needs an antecedent: NER is most of annotation's cost
        quoting = sorted({f.sentence.index for f in found})
        spans = nlp.entities([_unquoted(sentences[i].text) for i in quoting])
        self.spans: dict[int, tuple[nlp.Span, ...]] = dict(zip(quoting, spans, strict=True))
        self.quoted: dict[int, list[tuple[int, int]]] = {}
        for sentence in sentences:
            self.quoted[sentence.index] = [(m.start(), m.end()) for m in _QUOTE.finditer(sentence.text)]
        self.names = [e.text for e in entities if e.label == "PERSON"]
        self.names += [s.text for ss in self.spans.values() for s in ss if s.label == "PERSON"]
        self.sources = self._sources()

    def spans_of(self, index: int) -> tuple[nlp.Span, ...]:
        """Named entities of one sentence (computed once, on first need)."""
        if index not in self.spans:
            [found] = nlp.entities([_unquoted(self.sentences[index].text)])
            self.spans[index] = found
            self.names += [s.text for s in found if s.label == "PERSON"]
        return self.spans[index]

    def _sources(self) -> list[tuple[int, int, str]]:
        """(sentence, offset, name) of every named subject of a reporting verb outside quotes
        ("Trump said that ..."): the antecedents a later "he said" most often means."""
        found: list[tuple[int, int, str]] = []
        for sentence in self.sentences:
            for match in _SOURCE.finditer(sentence.text):
                if any(a <= match.start() < b for a, b in self.quoted[sentence.index]):
                    continue
                name = _strip_titles(match.group("who"))
                if (
                    name
                    and name.casefold() not in PRONOUNS
                    and not (len(name.split()) == 1 and _starter(name))
                ):
                    found.append((sentence.index, match.start(), self._full(name)))
        return found

    def _outside(self, index: int, span: nlp.Span) -> bool:
        return not any(a <= span.start < b for a, b in self.quoted.get(index, []))

    def _antecedent(self, index: int, before: int, last: Quote | None) -> str | None:
        """Who "he" is: a person named earlier in this sentence, else the speaker just quoted
        (news keeps "he said" for its current speaker), else the first person (the likely
        subject) of the nearest of the two sentences before, within the last two paragraphs."""
        here = [s for s in self.spans_of(index) if s.label == "PERSON" and s.end <= before]
        here = [s for s in here if self._outside(index, s)]
        if here:
            return self._full(_clean_name(here[-1].text))
        cued = [(i, at, name) for i, at, name in self.sources if (i, at) < (index, before) and index - i <= 5]
        if cued:
            return cued[-1][2]
        if last is not None and last.speaker and index - last.sentence_index <= 4:
            return last.speaker
        paragraph = self.sentences[index].paragraph
        for i in range(index - 1, max(index - 3, -1), -1):
            if self.sentences[i].paragraph < paragraph - 1:
                break
            people = [s for s in self.spans_of(i) if s.label == "PERSON" and self._outside(i, s)]
            if people:
                return self._full(_clean_name(people[0].text))
        return last.speaker if last is not None else None

    def _full(self, name: str) -> str:
        """A family name (or "Mr. Kerry") as the fullest name of the article ending with it."""
        parts = name.split()
        if len(parts) > 1 and parts[-1].casefold().strip(".") not in _SUFFIXES:
            return name
        longer = [n for n in self.names if n.endswith(" " + name) and len(n) < 60]
        return max(longer, key=len) if longer else name

    def _named(self, found: _Found, last: Quote | None) -> tuple[str | None, str]:
        """Speaker and how it was resolved, from the cue's words."""
        raw = found.raw.strip()
        index = found.sentence.index
        if raw.casefold() in PRONOUNS:
            return self._antecedent(index, found.raw_at, last), "pronoun"
        spans = [
            s
            for s in self.spans_of(index)
            if s.start >= found.raw_at and s.end <= found.raw_at + len(raw) + 1
        ]
        person = next((s for s in reversed(spans) if s.label == "PERSON"), None)
        if person is not None:
            rest = _NAME_TAIL.match(found.sentence.text, person.end, found.raw_at + len(raw))
            name = _clean_name(person.text + (rest.group() if rest else ""))
            titled = found.sentence.text[found.raw_at : person.start].strip(" ,")
            return self._full(name), "title" if titled else "explicit"
        if spans and spans[-1].label == "ORG":
            return _clean_name(spans[-1].text), "explicit"
        name = _strip_titles(raw)
        if name.casefold() in PRONOUNS:
            return self._antecedent(index, found.raw_at, last), "pronoun"
        if name and name in self.names:
            return self._full(name), "explicit"
        if name and len(name.split()) == 1 and name.casefold() in _DESCRIPTIVE:
            return raw, "description"  # "the Republican nominee": no name in it
        if name and len(name.split()) == 1 and _starter(name):
            return None, ""  # an ordinary capitalised word, not a name ("When", "Because")
        if re.search(rf"\b(?:{_GROUP_WORDS}|[a-z]{{3,}})$", raw):
            return raw, "description"
        return (self._full(name), "explicit") if name else (None, "")

    def quotes(self) -> list[Quote]:
        out: list[Quote] = []
        last: Quote | None = None
        for found in self.found:
            speaker, how = self._named(found, last) if found.raw else (None, "")
            if speaker is None and last is not None and self._continues(found, last):
                speaker, how = last.speaker, "continuation"
            if speaker is None:
                speaker, how = self._announced(found, last)
            quote = Quote(
                found.text,
                speaker,
                self.article_id,
                found.sentence.index,
                cue=found.cue or None,
                speaker_as_written=found.raw.strip() or None,
                resolved_by=how or None,
            )
            out.append(quote)
            if speaker is not None:
                last = quote

        return out

    def _continues(self, found: _Found, last: Quote) -> bool:
        """The quote follows the last attributed one closely: same or next paragraph, at most
        three sentences on."""
        gap = found.sentence.index - last.sentence_index
        return gap <= 3 and found.sentence.paragraph - self.sentences[last.sentence_index].paragraph <= 1

    def _announced(self, found: _Found, last: Quote | None) -> tuple[str | None, str]:
        """A quote standing alone after a sentence that names who speaks ("Pollak observed:")."""
        index = found.sentence.index
        for i in range(index - 1, max(index - 3, -1), -1):
            text = self.sentences[i].text
            match = _BEFORE.search(text) if not self.quoted.get(i) else None
            if match:
                probe = _Found(
                    self.sentences[i], len(text), len(text), "", match.group("who"), match.start("who")
                )
                speaker, _ = self._named(probe, last)
                if speaker:
                    return speaker, "context"
        person = self._antecedent(index, found.start, last)
        return (person, "context") if person else (None, "")
