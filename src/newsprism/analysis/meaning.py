"""Does a shortened or edited sentence still say what the original said?

One checker guards the compressor (every deletion it makes) and editors' edits (``newsroom/
review.py``). It compares what carries a claim's meaning beyond its content words, each as a
multiset of the original against the edited text:

- figures: every number or date of the edit must be in the original with the same value and the
  same kind of qualifier ("at least 1,200" is not "1,200", "three" is "3");
- negations ("not", "n't", "never", "no", "without" ...);
- modality and hedges ("may", "could", "will", "reportedly", "allegedly", "expected" ...);
- attribution: the reporting verbs by lemma ("said" and "says" are one; "said" and "admitted" are
  not), and who they attribute to (the name or pronoun next to the verb);
- connectives: temporal and causal ("after", "before", "because", "until" ...) and concessive or
  contrastive ones ("though", "but", "despite", "while" ...); a concessive word that disappears
  means its clause was dropped;
- names: a capitalised word the original does not have.

Deleting any of these changes meaning (``X admitted that Y`` is not ``Y``), so the compressor may
only delete what carries none of them, with one exception that follows from grammar: a whole
detachable aside - a parenthesis, or a non-restrictive relative clause, participial phrase or
appositive set off by a comma or dash (", which ...", ", killing ...", ", a former minister,") -
says something about a side of the claim, not the claim, so deleting it whole keeps the claim
true whatever it holds. Asides led by a connective or an attribution (", after ...", ", though
...", ", according to ...", ", saying ...") are not detachable.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from newsprism.analysis.quantities import quantities
from newsprism.annotate.language import words
from newsprism.annotate.quantities import APPROXIMATE, BELOW, LOWER, UPPER
from newsprism.caching import weighted_cache

CATEGORIES = ("number", "negation", "hedge", "attribution", "speaker", "connective", "concessive", "name")

NEGATION = frozenset(
    {"not", "no", "never", "nor", "none", "nobody", "nothing", "neither", "without", "nowhere"}
)
HEDGES = frozenset(
    [
        "may",
        "might",
        "could",
        "would",
        "should",
        "can",
        "must",
        "will",
        "shall",
        "reportedly",
        "allegedly",
        "apparently",
        "possibly",
        "probably",
        "likely",
        "unlikely",
        "perhaps",
        "presumably",
        "purportedly",
        "seemingly",
        "supposedly",
        "suspected",
        "alleged",
        "expected",
        "believed",
        "thought",
        "appear",
        "appears",
        "appeared",
        "seem",
        "seems",
        "seemed",
        "potential",
        "potentially",
        "rumored",
        "rumoured",
        "unconfirmed",
        "unverified",
    ]
)
_REPORTING = {
    "say": "said says say saying",
    "tell": "told tells tell telling",
    "claim": "claimed claims claim claiming",
    "admit": "admitted admits admit admitting",
    "deny": "denied denies deny denying",
    "allege": "alleges allege alleging",
    "state": "stated",
    "announce": "announced announces announce announcing",
    "insist": "insisted insists insist insisting",
    "argue": "argued argues argue arguing",
    "warn": "warned warns warn warning",
    "report": "reported reports",
    "according": "according",
    "acknowledge": "acknowledged acknowledges acknowledge acknowledging",
    "concede": "conceded concedes concede",
    "confirm": "confirmed confirms confirm confirming",
    "add": "added adds",
    "note": "noted notes",
    "explain": "explained explains",
    "write": "wrote writes",
    "assert": "asserted asserts",
    "maintain": "maintained maintains",
    "suggest": "suggested suggests",
    "accuse": "accused accuses",
    "testify": "testified testifies",
    "tweet": "tweeted tweets",
    "declare": "declared declares",
    "reply": "replied replies",
    "stress": "stressed stresses",
    "contend": "contended contends",
    "predict": "predicted predicts",
    "promise": "promised promises",
    "vow": "vowed vows",
    "reveal": "revealed reveals",
    "believe": "believes",
}
REPORTING = {form: lemma for lemma, forms in _REPORTING.items() for form in forms.split()}
TEMPORAL_CAUSAL = frozenset(
    [
        "after",
        "before",
        "since",
        "until",
        "till",
        "because",
        "therefore",
        "thus",
        "hence",
        "consequently",
        "following",
        "when",
        "whenever",
        "once",
        "unless",
        "if",
        "then",
        "due",
        "prior",
        "later",
        "earlier",
        "afterwards",
        "subsequently",
        "so",
    ]
)
CONCESSIVE = frozenset(
    [
        "though",
        "although",
        "but",
        "however",
        "despite",
        "yet",
        "while",
        "whereas",
        "nevertheless",
        "nonetheless",
        "notwithstanding",
        "instead",
        "even",
    ]
)
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
_CONTRACTIONS = (
    (re.compile(r"\bwon[’']t\b", re.I), "will not"),
    (re.compile(r"\bcan[’']t\b|\bcannot\b", re.I), "can not"),
    (re.compile(r"\bshan[’']t\b", re.I), "shall not"),
    (re.compile(r"n[’']t\b", re.I), " not"),
    (re.compile(r"[’']ll\b", re.I), " will"),
)
_NAME = re.compile(r"[A-Z][\w’'-]*")
_TOKEN = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")
_OPENERS = frozenset({",", "(", "—", "–", "-", ";"})
_CLOSERS = frozenset({",", ".", ")", "—", "–", "-", ";", "!", "?"})
# what may lead a detachable aside: relative pronouns, determiners of appositives, a coordinated
# clause ("..., and officials said ..."), list openers
_RELATIVE = frozenset(
    {"which", "who", "whom", "whose", "where", "a", "an", "the", "one", "including", "also", "and"}
)


@dataclass(frozen=True)
class Change:
    """One way an edit changes meaning, with the words to highlight (from either text)."""

    category: str
    words: tuple[str, ...]
    note: str


def _expand(text: str) -> str:
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    return text


# by words: ~2 KB a sentence, 65 MB at the old bound of 32768 (#15); 300k words ~25 MB
@weighted_cache(max_weight=300_000, weight=len)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(words(_expand(text)))


def _family(qualifier: str | None) -> str:
    if qualifier in LOWER:
        return "lower"
    if qualifier in UPPER:
        return "upper"
    return "approx" if qualifier in APPROXIMATE or qualifier in BELOW else ""


def _figure_key(mention_text: str, value: object, unit: str | None, qualifier: str | None) -> tuple[str, ...]:
    if unit == "date":
        return ("date", mention_text.casefold())
    return ("count", repr(value), _family(qualifier), "percent" if unit == "percent" else "")


def _figures(text: str) -> Counter[tuple[str, ...]]:
    return Counter(_figure_key(m.text, m.value, m.unit, m.qualifier) for m in quantities(text))


_DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")


def _bare_digits(text: str) -> Counter[str]:
    """Digits outside any recognised figure (years, times, scores), commas ignored."""
    inside = {d for m in quantities(text) for d in _DIGITS.findall(m.text)}
    return Counter(d.replace(",", "") for d in _DIGITS.findall(text) if d not in inside)


def _numbers(original: str, edited: str) -> Change | None:
    extra = _figures(edited) - _figures(original)
    digits = _bare_digits(edited) - _bare_digits(original)
    if not extra and not digits:
        return None
    shown = [m.text for m in quantities(edited) if _figure_key(m.text, m.value, m.unit, m.qualifier) in extra]
    return Change("number", tuple(shown or digits), "a figure or date differs from the source")


def _bag(text: str, vocab: frozenset[str], lower_only: bool = False) -> Counter[str]:
    out: Counter[str] = Counter()
    for i, tok in enumerate(_tokens(text)):
        low = tok.casefold()
        if low in vocab and not (lower_only and low == "may" and tok[0].isupper() and i > 0):
            out[low] += 1
    return out


def _diff(category: str, a: Counter[str], b: Counter[str], note: str) -> Change | None:
    gone, new = a - b, b - a
    if not gone and not new:
        return None
    return Change(category, tuple(sorted(gone) + sorted(new)), note)


def _reporting(text: str) -> Counter[str]:
    return Counter(REPORTING[t.casefold()] for t in _tokens(text) if t.casefold() in REPORTING)


def speakers(text: str) -> Counter[str]:
    """Who each reporting verb attributes to: the name or pronoun right before it ("Peskov
    said", "he has said"), else the first name after it within its clause ("said Peskov",
    "according to the ministry's Dmitry Peskov")."""
    toks = _TOKEN.findall(_expand(text))
    found: Counter[str] = Counter()
    for i, tok in enumerate(toks):
        low = tok.casefold()
        if low not in REPORTING:
            continue
        who = None if low == "according" else _speaker_before(toks, i)
        who = who or _speaker_after(toks, i)
        if who:
            found[who] += 1
    return found


_BETWEEN = frozenset(
    {"has", "had", "have", "also", "later", "then", "again", "previously", "publicly", "will", "would"}
    | {"may", "might", "could", "can", "did", "does", "not", "never", "is", "was", "were", "are"}
)
_CALENDAR_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec"
)
_CALENDAR = frozenset(_CALENDAR_WORDS.split())


def _speaker_before(toks: list[str], i: int) -> str | None:
    j = i - 1 if i == 0 or toks[i - 1] != "," else i - 2  # "..., Marta Quell, said"
    while j >= 0 and (toks[j].casefold() in _BETWEEN or toks[j].casefold() in _CALENDAR or toks[j] == "on"):
        j -= 1  # "Peskov has said", "Papandreou on Sunday announced"
    if j < 0:
        return None
    if toks[j].casefold() in PRONOUNS:
        return toks[j].casefold()
    if _NAME.fullmatch(toks[j]) and toks[j] not in {"I"}:
        return toks[j].casefold()
    if toks[i - 1] == ",":  # "Sanjay Gupta, CNN's top medical analyst, told": the name before the appositive
        opening = next((k for k in range(i - 2, max(i - 14, 0), -1) if toks[k] == ","), None)
        if opening is not None and _NAME.fullmatch(toks[opening - 1]) and toks[opening - 1] != "I":
            return toks[opening - 1].casefold()
    return None


def _speaker_after(toks: list[str], i: int) -> str | None:
    for j in range(i + 1, min(i + 7, len(toks))):
        tok = toks[j]
        if (not re.match(r"\w", tok) and tok not in {"'", "’"}) or tok.casefold() == "that":
            return None  # the clause ended, or the reported content begins
        if tok.casefold() in _CALENDAR:
            continue
        if tok.casefold() in PRONOUNS:
            return tok.casefold()
        if _NAME.fullmatch(tok):
            k = j
            while k + 1 < len(toks) and _NAME.fullmatch(toks[k + 1]):
                k += 1
            return toks[k].casefold()
    return None


def _connectives(original: str, edited: str) -> Change | None:
    vocab = TEMPORAL_CAUSAL | CONCESSIVE
    a, b = _bag(original, vocab), _bag(edited, vocab)
    gone, new = a - b, b - a
    if not gone and not new:
        return None
    if gone and not new and set(gone) & CONCESSIVE:
        return Change("concessive", tuple(sorted(gone)), "a concessive or contrastive clause was dropped")
    return Change("connective", tuple(sorted(gone) + sorted(new)), "a connective changed")


def _names(original: str, edited: str) -> Change | None:
    known = {t.casefold() for t in _tokens(original)}
    toks = _tokens(edited)
    new = [t for i, t in enumerate(toks) if i > 0 and _NAME.fullmatch(t) and t.casefold() not in known]
    return Change("name", tuple(new), "a name the original does not have") if new else None


def _detachable(span: list[str], after: str | None) -> bool:
    """A deleted token span that is a whole aside: a parenthesis, or set off by a comma or dash
    and led by a relative pronoun, a participle or a determiner, ending where the clause does."""
    if len(span) < 3:
        return False
    if span[0] == "(" and span[-1] == ")":
        return not any(t.casefold() in REPORTING for t in span)  # "(police said)" attributes
    closed = span[-1] in _CLOSERS or after is None or after in _CLOSERS
    if span[0] not in _OPENERS or not closed:
        return False
    lead = span[1].casefold()
    if lead in TEMPORAL_CAUSAL or lead in CONCESSIVE or lead in REPORTING or lead in HEDGES:
        return False
    if lead in {"a", "an", "the", "one"} and any(t.casefold() in REPORTING for t in span):
        return False  # ", the spokesman said" is the claim's attribution, not an appositive
    inner = [i for i, t in enumerate(span[:-1]) if i > 0 and t == ","]
    if inner and any(t.casefold() in REPORTING for t in span[inner[-1] :]):
        return False  # ", leaving 10 injured, officials said": the aside runs into the attribution
    return lead in _RELATIVE or (lead.endswith("ing") and len(lead) > 4)


def _merged(opcodes: Sequence[tuple[str, int, int, int, int]], a: list[str]) -> list[tuple[str, int, int]]:
    """Opcodes with a lone punctuation match between two deletions folded into one deletion:
    the matcher pairs an edit's final period with any inner period ("Gov.") of a cut aside."""
    out: list[tuple[str, int, int]] = []
    for op, i1, i2, _j1, _j2 in opcodes:
        if out and op == "delete" and len(out) >= 2 and out[-1][0] == "equal" and out[-2][0] == "delete":
            gap = a[out[-1][1] : out[-1][2]]
            if all(not re.match(r"\w", t) for t in gap):
                start = out[-2][1]
                del out[-2:]
                out.append(("delete", start, i2))
                continue
        out.append((op, i1, i2))
    return out


def _kept_original(original: str, edited: str) -> str:
    """The original without the detachable asides the edit deleted whole (see module doc);
    only pure deletions qualify: an edit that also rewrites is compared in full."""
    text = _expand(original)
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    a = [text[s:e] for s, e in spans]
    b = _TOKEN.findall(_expand(edited))
    matcher = SequenceMatcher(None, [t.casefold() for t in a], [t.casefold() for t in b], autojunk=False)
    cuts: list[tuple[int, int]] = []
    for op, i1, i2 in _merged(matcher.get_opcodes(), a):
        if op == "replace" and not (i1 == 0 or i2 >= len(a) - 1):
            return original
        if op == "delete" and _detachable(a[i1:i2], a[i2] if i2 < len(a) else None):
            cuts.append((spans[i1][0], spans[i2 - 1][1]))
    for start, end in reversed(cuts):
        text = text[:start] + " " + text[end:]
    return text


def meaning_changes(original: str, edited: str) -> list[Change]:
    """Every way ``edited`` says something other than ``original`` (empty: meaning kept)."""
    if original == edited:
        return []
    original = _kept_original(original, edited)
    checks = [
        _numbers(original, edited),
        _diff("negation", _bag(original, NEGATION), _bag(edited, NEGATION), "a negation changed"),
        _diff("hedge", _bag(original, HEDGES, True), _bag(edited, HEDGES, True), "a hedge or modal changed"),
        _diff("attribution", _reporting(original), _reporting(edited), "the attribution changed"),
        _connectives(original, edited),
    ]
    found = [c for c in checks if c is not None]
    found.append(_diff("speaker", speakers(original), speakers(edited), "the speaker changed"))  # type: ignore[arg-type]
    found.append(_names(original, edited))  # type: ignore[arg-type]
    return [c for c in found if c is not None]


def keeps_meaning(original: str, edited: str) -> bool:
    return not meaning_changes(original, edited)
