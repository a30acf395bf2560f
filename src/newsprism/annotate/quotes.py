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

A quote with no cue of its own takes a cue the sentence splitter cut off into the next sentence
("... speech?” / Sanders replied."), continues the speaker of the quote just before it (a split
quote, a quote running over several sentences or paragraphs), or takes the speaker a previous
sentence announced ("Joel Pollak observed:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsprism.annotate import nlp
from newsprism.annotate.entities import CALENDAR, ORG_WORDS, TITLES, _starter
from newsprism.annotate.language import DEMONYMS, STOPWORDS
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
    r"remembered|agreed|agrees|disagreed|offered|pledged|boomed|sniped|affirmed|affirms|maintained|"
    r"contended|repeated|read|reads|shot back|fired back|cut in|recalls|explains|says|pressed|interjected|"
    r"according to"
)
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_NAME = r"[A-ZÀ-ÖØ-Þ][\w’'.-]*(?:\s+(?:(?:von|van|der|de|da|al|bin|la|le)\s+)*[A-ZÀ-ÖØ-Þ][\w’'.-]*)*"
_GROUP_WORDS = "officials|authorities|police|officers|sources|lawmakers|leaders|experts"
# `," Morton Blackwell, the Republican National Committeeman from Virginia, told AFP`: the
# speaker may carry an apposition between commas before the cue
_AFTER = re.compile(
    rf"^[\s,.—–-]*(?P<who>(?:[\w’'.&-]+,?\s+){{0,6}}?[\w’'.&-]+)(?:,[^\"“”]{{1,150}}?,)?,?\s+"
    rf"(?:has\s+|had\s+|also\s+|then\s+|later\s+)?(?P<cue>{CUES})\b"
)
_INVERTED = re.compile(
    rf"^[\s,.—–-]*(?:{CUES})\s+(?P<who>(?:the\s+|a\s+)?(?:[\w’'.-]+\s+){{0,5}}?{_NAME}|(?:the|a|an)\s+[a-z]+(?:\s+[a-z]+)?)"
)
_BEFORE = re.compile(
    rf"(?P<who>\b(?:he|she|they|I|we|{_NAME}(?:\s+(?:{_GROUP_WORDS}))?|(?:the\s+)?[a-z]+\s+(?:{_GROUP_WORDS})))"
    rf"[^\"“”A-Z]{{0,60}}?\s+(?:has\s+|had\s+|also\s+|then\s+)?(?P<cue>{CUES})\b[^\"“”]{{0,80}}$"
)
# "Bamberg, who is 28, said he ...": an apposition may sit between a source and its verb
_PARENTHESIS = re.compile(r"\([^()\"“”]{1,25}\)")
_SOURCE = re.compile(
    rf"(?P<who>{_NAME})(?:,\s(?:who|a|an|the)\s[^\"“”,]{{1,80}},)?\s+(?:has\s+|had\s+|also\s+)?(?:{CUES})\b"
)
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


_LOOKBACK = 2  # sentences read back for a pronoun's antecedent
_GENDER = {"he": "m", "she": "f"}
_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w’'.-]*\s+)*?([A-Z][\w’'-]+)")
_NOT_PEOPLE = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "muslims", "christians"}
)
_OBJECT_MARK = re.compile(
    r"\b(?:about|against|at|by|for|from|in|into|of|on|to|with|and|or|like|as|than|over|under|after|"
    r"before|toward|towards|between|among|asked|told|tells|called|praised|attacked|criticized)\s+$"
)
_PRONOUN_FIRST = re.compile(r"\b(he|she)\b", re.IGNORECASE)


def _any_word(words: set[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for a set of words, longest first (None when empty)."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b({alternatives})\b", re.IGNORECASE)


_SUBJECT_PRONOUN = re.compile(r"\b(?:he|she|they|we|I)\b")
_PASSIVE = re.compile(r"\s+(?:was|were|is|are|been|being|be)\s+(?:also\s+|then\s+)?(?:asked|told|called)\b")


def _calendar(words: str) -> bool:
    """A date written where a speaker was expected ("In December", "November")."""
    return any(w.casefold().strip(".,") in CALENDAR for w in words.split())


def _key(name: str) -> str:
    """The family name a person is known by across an article ("Hillary Clinton" -> clinton)."""
    words = [w for w in name.replace("’s", "").split() if w.casefold().strip(".") not in _SUFFIXES]
    return words[-1].casefold().strip(".,") if words else ""


def _plausible_person(text: str) -> bool:
    """spaCy's PERSON spans minus the small model's usual slips (weekdays)."""
    return not any(w in _NOT_PEOPLE for w in text.casefold().split())


def _people_fixed(spans: tuple[nlp.Span, ...]) -> tuple[nlp.Span, ...]:
    """spaCy's spans with the small model's slips on people mended: a weekday is no person, and
    an "organisation" of two or three words opening with a given name ("CEO Carly Fiorina") is
    one."""
    out: list[nlp.Span] = []
    for span in spans:
        words = span.text.split()
        if (
            span.label == "ORG"
            and len(words) in (2, 3)
            and words[0] in _first_names()
            and not any(w.casefold() in ORG_WORDS for w in words)
        ):
            span = nlp.Span(span.start, span.end, span.text, "PERSON")
        if span.label != "PERSON" or _plausible_person(span.text):
            out.append(span)
    return tuple(out)


def _after_preposition(text: str, at: int, end: int) -> bool:
    """The mention at [at, end) is an object or a possessor ("about Sanders", "Clinton’s aide")."""
    return bool(_OBJECT_MARK.search(text[max(at - 12, 0) : at])) or text[end : end + 2] in ("’s", "'s")


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    """Given names with their usual gender, from Faker's English name lists (MIT, shipped in
    the package): a name in only one list, or far more frequent in one (US census weights)."""
    from faker.providers.person.en import Provider as English
    from faker.providers.person.en_US import Provider as American

    female, male = set(English.first_names_female), set(English.first_names_male)
    out = {n: "f" for n in female - male} | {n: "m" for n in male - female}
    for name in female & male:
        f = American.first_names_female.get(name, 0.0)
        m = American.first_names_male.get(name, 0.0)
        if f > 3 * m:
            out[name] = "f"
        elif m > 3 * f:
            out[name] = "m"
    return out


def _ordinary(word: str) -> bool:
    """A capitalised word that is an ordinary word, not a name ("When", "Asked"): the shared
    opener test, but a name ending in -ed or -ly ("Husted", "Kelly") stays a name unless the
    English lexicon knows it as a word."""
    low = word.casefold()
    return _starter(word) and (low in STOPWORDS or low in {"despite", "when"} or low in english_words())


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case words of TextBlob's English tagger lexicon (shipped in the package)."""
    path = resources.files("textblob").joinpath("en", "en-lexicon.txt")
    words = (line.split(" ", 1)[0] for line in path.read_text("utf-8").splitlines())
    return frozenset(w for w in words if w.islower())


def _genders(sentences: list[Sentence], names: list[str]) -> dict[str, str]:
    """Gender of each person as the article shows it: an honorific ("Mr. Kerry"), or the
    pronouns that follow a sentence naming that person alone ("Clinton ... she"). Names without
    evidence stay unknown, and unknown fits any pronoun."""
    keys = {_key(n) for n in names if _key(n)}
    votes: dict[str, list[int]] = {k: [0, 0] for k in keys}
    for sentence in sentences:
        for match in _HONORIFIC.finditer(sentence.text):
            key = match.group(2).casefold()
            if key in votes:
                votes[key][0 if match.group(1) == "Mr" else 1] += 3
    pattern = _any_word(keys)
    if pattern is None:
        return {}
    for i, sentence in enumerate(sentences):
        text = _unquoted(sentence.text)
        # the case-insensitive pattern equates letters ``casefold`` keeps apart (Turkish "I" and
        # "ı": "YANGIN" matches the key "yangın" but folds to "yangin"): only known keys count
        named = {m.group(1).casefold() for m in pattern.finditer(text)} & votes.keys()
        if len(named) != 1:
            continue
        [key] = named
        after = text[pattern.search(text).end() :]  # type: ignore[union-attr]
        if i + 1 < len(sentences):
            following = _unquoted(sentences[i + 1].text)
            if not pattern.search(following):
                after += " " + following[:60]
        votes[key][0] += len(_HE.findall(after))
        votes[key][1] += len(_SHE.findall(after))
    out: dict[str, str] = {}
    for key, (male, female) in votes.items():
        if male >= 2 * female + 1:
            out[key] = "m"
        elif female >= 2 * male + 1:
            out[key] = "f"
    return out


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
    """(speaker as written, its offset in the sentence, cue word) of a quote's attribution.
    A short parenthesis ("Harry Reid (D-Nev.) said") is blanked first, offsets kept."""
    sentence = _PARENTHESIS.sub(lambda m: " " * len(m.group()), sentence)
    tail = sentence[end:]
    after = _AFTER.match(tail)
    if after and "“" not in after.group("who") and '"' not in after.group("who"):
        words = after.group("who").strip(" ,").split()
        while len(words) > 1 and words[-1].casefold() in _AUXILIARIES:  # "he will say"
            words.pop()
        if words[0] in _PREPOSITIONS and "," in tail[after.start("who") : after.start("cue")]:
            # `"A challenge" for Clinton, said Kunin`: the quote's own phrase runs on to the comma
            comma = end + tail.index(",", after.start("who"))
            return _cue(sentence, start, comma)
        if words[-1].casefold() not in {"who", "which", "that"}:
            return " ".join(words), end + after.start("who"), after.group("cue")
    inverted = _INVERTED.match(tail)
    if inverted and inverted.group("who").split()[0].casefold() not in _PREPOSITIONS:
        who = inverted.group("who")
        return who, end + inverted.start("who"), tail[inverted.start() : inverted.start("who")].strip(" ,")
    head = sentence[:start]
    according = list(_ACCORDING.finditer(head))
    before = list(_BEFORE.finditer(head))
    if before:
        match = before[-1]
        # the subject nearest the verb speaks: "... at the San Diego rally, where he suggested",
        # "Recently she announced"
        nearer = list(_SUBJECT_PRONOUN.finditer(head, match.end("who"), match.start("cue")))
        if nearer:
            return nearer[-1].group(), nearer[-1].start(), match.group("cue")
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
        self.quoted: dict[int, list[tuple[int, int]]] = {}
        for sentence in sentences:
            self.quoted[sentence.index] = [(m.start(), m.end()) for m in _QUOTE.finditer(sentence.text)]
        # spaCy runs once per article, batched: on the quote sentences and, for quotes whose cue
        # names no one ("he said", a bare quote), on the two sentences before them. NER is most
        # of annotation's cost, so the sentences far from any quote are never tagged.
        wanted = {f.sentence.index for f in found}
        for f in found:
            if not f.raw or f.raw.strip().casefold() in PRONOUNS:
                wanted.update(range(max(f.sentence.index - _LOOKBACK, 0), f.sentence.index))
        batch = sorted(wanted)
        spans = nlp.entities([_unquoted(sentences[i].text) for i in batch])
        self.spans: dict[int, tuple[nlp.Span, ...]] = {
            i: _people_fixed(ss) for i, ss in zip(batch, spans, strict=True)
        }
        self.names = [e.text for e in entities if e.label == "PERSON"]
        self.names += [s.text for ss in self.spans.values() for s in ss if s.label == "PERSON"]
        self.sources = self._sources()
        self.genders = _genders(sentences, self.names)
        # people spaCy or a reporting verb named somewhere in the article (the capitalised-run
        # heuristic calls "South Asia" a person, so its names are not trusted here)
        people = [s.text for ss in self.spans.values() for s in ss if s.label == "PERSON"]
        people += [name for found_here in self.sources.values() for _, name in found_here]
        # ... but a run that opens with a given name ("Donald Trump") is a person, so a bare
        # "Trump" the small model calls an organisation elsewhere is still him
        people += [n for n in self.names if len(n.split()) > 1 and n.split()[0] in _first_names()]
        keys = {_key(n) for n in people} - _NOT_PEOPLE
        self.known = _any_word({k for k in keys if len(k) > 2})
        self.said: dict[int, list[Quote]] = {}

    def spans_of(self, index: int) -> tuple[nlp.Span, ...]:
        """Named entities of one sentence (computed once, on first need)."""
        if index not in self.spans:
            [found] = nlp.entities([_unquoted(self.sentences[index].text)])
            self.spans[index] = _people_fixed(found)
            self.names += [s.text for s in self.spans[index] if s.label == "PERSON"]
        return self.spans[index]

    def _sources(self) -> dict[int, list[tuple[int, str]]]:
        """(offset, name) per sentence of every named subject of a reporting verb outside quotes
        ("Trump said that ..."): people spaCy may miss that a later "he said" can mean."""
        found: dict[int, list[tuple[int, str]]] = {}
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
                    found.setdefault(sentence.index, []).append((match.start(), self._full(name)))
        return found

    def _outside(self, index: int, span: nlp.Span) -> bool:
        return not any(a <= span.start < b for a, b in self.quoted.get(index, []))

    def _mentions(self, index: int, before: int, tag: bool = True) -> list[tuple[int, str]]:
        """(offset, name) of the people named outside quotes in one sentence before an offset,
        likely subjects first (``tag``: run spaCy on the sentence if not done yet): a name right
        after a preposition ("about Sanders", "with Guardian") or a possessor is an object."""
        text = self.sentences[index].text
        spans = self.spans_of(index) if tag else self.spans.get(index, ())
        mentions = [
            (s.start, s.end, _clean_name(s.text))
            for s in spans
            if s.label == "PERSON" and s.end <= before and self._outside(index, s)
        ]
        mentions += [(at, at + len(name), name) for at, name in self.sources.get(index, []) if at < before]
        if self.known is not None:  # people the article names elsewhere, which spaCy missed here
            quoted = self.quoted.get(index, [])
            mentions += [
                (m.start(), m.end(), m.group())
                for m in self.known.finditer(text, 0, before)
                if m.group()[:1].isupper() and not any(a <= m.start() < b for a, b in quoted)
            ]
        # one mention per offset, the longest (spaCy's full name over a family name)
        mentions = sorted({at: (at, end, name) for at, end, name in sorted(mentions)}.values())
        subjects = [(at, n) for at, end, n in mentions if not _after_preposition(text, at, end)]
        objects = [(at, n) for at, end, n in mentions if _after_preposition(text, at, end)]
        return [(at, self._full(n)) for at, n in subjects + objects]

    def _people(self, index: int, before: int) -> list[str]:
        """People named outside quotes in one sentence before an offset, likely subject first."""
        return [name for _, name in self._mentions(index, before)]

    def _pronoun_subject(self, index: int, gender: str) -> bool:
        """The sentence speaks of the same "he"/"she" before naming anyone: a chain back to an
        earlier antecedent."""
        text = _unquoted(self.sentences[index].text)
        same = (m for m in _PRONOUN_FIRST.finditer(text) if _GENDER[m.group(1).casefold()] == gender)
        first = next(same, None)
        if first is None:
            return False
        people = [at for at, _ in self._mentions(index, first.start())]
        return not people

    def _fits(self, name: str | None, gender: str) -> bool:
        """A name can be a pronoun's antecedent unless the article shows the other gender."""
        if not name:
            return False
        if not gender:
            return True
        known = self.genders.get(_key(name), "") or _first_names().get(name.split()[0], "")
        return not known or known == gender

    def _antecedent(self, index: int, before: int, last: Quote | None, pronoun: str = "") -> str | None:
        """Who "he" is, by salience: a person named earlier in this sentence; else, walking back
        over the sentences before (within the last two paragraphs), the speaker quoted there,
        else the first person named there (likely the subject); a sentence that itself opens
        with the same pronoun passes the question on. Every candidate must agree in gender when
        the article shows one (a "she said" never goes to a man named in between)."""
        gender = _GENDER.get(pronoun.casefold(), "")
        fits = [n for n in self._people(index, before) if self._fits(n, gender)]
        if fits:
            return fits[0]
        paragraph = self.sentences[index].paragraph
        for i in range(index - 1, max(index - 2 * _LOOKBACK - 1, -1), -1):
            if self.sentences[i].paragraph < paragraph - 1:
                break
            spoken = [q.speaker for q in self.said.get(i, []) if self._fits(q.speaker, gender)]
            if spoken:
                return spoken[0]
            # "..., Mayor Ted Terry noted.": who a sentence reports speaking outranks its subject
            reported = [n for _, n in self.sources.get(i, []) if self._fits(n, gender)]
            if reported:
                return reported[-1]
            if gender and self._pronoun_subject(i, gender):
                continue  # "He brushed off these concerns.": the names there are not him
            fits = [n for n in self._people(i, len(self.sentences[i].text)) if self._fits(n, gender)]
            if fits:
                return fits[0]
        if last is not None and last.speaker and self._fits(last.speaker, gender):
            return last.speaker
        return None

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
        if raw.casefold() == "it":
            return raw, "description"  # "it reads": a document or a body, never a person named before
        if raw.casefold() in PRONOUNS:
            return self._antecedent(index, found.raw_at, last, raw), "pronoun"
        text = found.sentence.text
        ahead = found.raw_at < found.start  # "Trump said: ..." rather than "..., Trump said"
        if ahead and _PASSIVE.match(text, found.raw_at + len(raw)):
            return None, ""  # "Pence was asked about ...": the one asked is not the speaker
        if ahead and found.cue.endswith("ing"):
            # "Trump attacked Clinton over Libya, saying ...": the clause's subject speaks
            people = self._people(index, found.raw_at + len(raw))
            if people:
                return people[0], "explicit"
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
        if _calendar(raw):
            # "In December", "November": a time is never the speaker (spaCy's small model
            # calls too many surnames places for a place to be ruled out the same way)
            people = self._people(index, found.raw_at) if ahead else []
            return (people[0], "context") if people else (None, "")
        name = _strip_titles(raw)
        if name.casefold() in PRONOUNS:
            return self._antecedent(index, found.raw_at, last, name), "pronoun"
        if name and name in self.names:
            return self._full(name), "explicit"
        if name and len(name.split()) == 1 and name.casefold() in _DESCRIPTIVE:
            return raw, "description"  # "the Republican nominee": no name in it
        if name and len(name.split()) == 1 and _ordinary(name):
            return None, ""  # an ordinary capitalised word, not a name ("When", "Because")
        if re.search(rf"\b(?:{_GROUP_WORDS}|[a-z]{{3,}})$", raw):
            return raw, "description"
        return (self._full(name), "explicit") if name else (None, "")

    def quotes(self) -> list[Quote]:
        out: list[Quote] = []
        last: Quote | None = None
        for found in self.found:
            speaker, how = self._named(found, last) if found.raw else (None, "")
            if speaker is None:
                speaker, how = self._subject(found, last)
            if speaker is None:
                speaker, how = self._cue_next(found, last)
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
                self.said.setdefault(found.sentence.index, []).append(quote)

        return out

    def _subject(self, found: _Found, last: Quote | None) -> tuple[str | None, str]:
        """A quote without a cue of its own inside a sentence that names a person before it
        ("Trump leaned in and boomed: ...", "From Bush's Facebook post: ..."): that person,
        before any earlier speaker."""
        index = found.sentence.index
        people = self._mentions(index, found.start)
        head = _unquoted(found.sentence.text[: found.start])
        pronoun = _PRONOUN_FIRST.search(head)  # "But back home, he returned to his lines: ..."
        if pronoun and (not people or pronoun.start() < people[0][0]):
            return self._antecedent(index, pronoun.start(), last, pronoun.group(1)), "pronoun"
        return (people[0][1], "context") if people else (None, "")

    def _cue_next(self, found: _Found, last: Quote | None) -> tuple[str | None, str]:
        """A quote that ends its sentence on "?" or "." whose cue opens the next sentence of the
        paragraph ("... speech?” / Sanders replied."): the splitter cut the attribution off."""
        index = found.sentence.index
        if found.sentence.text[found.end :].strip(" ,.;:") or index + 1 >= len(self.sentences):
            return None, ""
        following = self.sentences[index + 1]
        if following.paragraph != found.sentence.paragraph:
            return None, ""
        raw, at, cue = _cue(following.text, 0, 0)
        if not raw or at < 0:
            return None, ""
        probe = _Found(following, 0, 0, "", raw, at, cue)
        return self._named(probe, last)

    def _continues(self, found: _Found, last: Quote) -> bool:
        """The quote follows the last attributed one closely: same or next paragraph, at most
        three sentences on."""
        gap = found.sentence.index - last.sentence_index
        if gap > 3 or found.sentence.paragraph - self.sentences[last.sentence_index].paragraph > 1:
            return False
        # a sentence in between whose subject is someone else hands the floor over
        for i in range(last.sentence_index + 1, found.sentence.index):
            subjects = self._mentions(i, len(self.sentences[i].text), tag=False)  # no tagging
            if subjects and _key(subjects[0][1]) != _key(last.speaker or ""):
                return False
        return True

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
        pronoun = found.raw.strip() if found.raw.strip().casefold() in _GENDER else ""
        person = self._antecedent(index, found.start, last, pronoun)  # "she" stays a woman
        return (person, "context") if person else (None, "")
