"""Main text and metadata from HTML: trafilatura for the body, htmldate for the date.

The page is parsed once; htmldate and a few XPath look-ups read metadata from that tree, then
trafilatura extracts the body from it (precision mode, comments off, which beat its defaults on
the public benchmark). Where precision mode is unsure (very little text) the default mode runs
as a fallback. The body then passes the furniture rules shared with the text path and the edge
rules of :mod:`newsprism.extract.cleanup` (kicker labels, the repeated headline, the standfirst,
wire credit lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.core import _forum_thread_page, _prepare_tree
from trafilatura.external import compare_extraction
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor
from trafilatura.utils import load_html, trim
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH, REMOVE_COMMENTS_XPATH

from newsprism.extract import cleanup, metadata, pagemeta, rules
from newsprism.extract.metadata import Dated
from newsprism.model import RemovedLine

# Below this many words precision mode has probably cut the article: retry in default mode
# (on the public benchmark 30 recovers the pages precision mode empties; higher buys nothing).
FALLBACK_WORDS = 30
# Shape rules worth applying to trafilatura's output. Captions and copyright lines are left
# alone: on the public benchmark they were article text (wire credits) as often as furniture,
# and so were trailing short lines, so the teaser rule of the text path is not used here.
_HTML_SHAPES = frozenset({"read time", "syndication notice", "summary widget", "update stamp"})


@dataclass
class HtmlResult:
    """Body paragraphs, audited removals and the metadata the page declares."""

    body: list[str] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    description: str | None = None
    standfirst: str | None = None  # the sub-headline found at the top of the body
    authors: list[str] = field(default_factory=list)
    author_kinds: list[str] = field(default_factory=list)
    sitename: str | None = None
    canonical_url: str | None = None
    published: Dated | None = None
    language: str | None = None
    caption: str | None = None
    pagetype: str | None = None
    author_role: str | None = None
    bylines: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)


@dataclass
class _Scan:
    """The elements metadata reads, gathered in one pass over the tree (document order).

    Every full-tree walk costs about as much as the next, whatever it looks for; one walk for
    the head tags, scripts, headlines, captions and time stamps instead of five keeps metadata
    cheap next to trafilatura (and pays for the linked-list-item test).
    """

    head: list[HtmlElement] = field(default_factory=list)  # meta, link, title
    scripts: list[HtmlElement] = field(default_factory=list)
    h1: list[HtmlElement] = field(default_factory=list)
    times: list[HtmlElement] = field(default_factory=list)
    figcaption: HtmlElement | None = None
    linked_items: list[HtmlElement] = field(default_factory=list)  # <li> holding one <a> only


_SCANNED = ("meta", "link", "title", "script", "h1", "time", "figcaption", "li")


def _scan(tree: HtmlElement) -> _Scan:
    found = _Scan()
    for el in tree.iter(*_SCANNED):
        tag = el.tag
        if tag == "li":
            if len(el) == 1 and el[0].tag == "a":
                found.linked_items.append(el)
        elif tag == "script":
            found.scripts.append(el)
        elif tag == "h1":
            found.h1.append(el)
        elif tag == "time":
            found.times.append(el)
        elif tag == "figcaption":
            if found.figcaption is None:
                found.figcaption = el
        else:
            found.head.append(el)
    return found


def _head_values(elements: list[HtmlElement]) -> dict[str, str]:
    """meta name/property -> content and link rel -> href, the first non-empty value of each."""
    values: dict[str, str] = {}
    for el in elements:
        tag = el.tag
        if tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("http-equiv") or "").lower()
            value = el.get("content") if key not in values else None
        elif tag == "link":
            key = "link:" + (el.get("rel") or "").lower()
            value = el.get("href") if key not in values else None
        else:
            key = "title"
            value = el.text_content() if key not in values else None
        if value:  # the first non-empty value of a key wins
            value = " ".join(value.split())
            if value:
                values[key] = value
    return values


def _pick(values: dict[str, str], *keys: str) -> str | None:
    return next((values[k] for k in keys if k in values), None)


def _metadata(tree: HtmlElement, scan: _Scan, result: HtmlResult, ld: pagemeta.LinkedData) -> dict[str, str]:
    """What the page declares about itself: title, description, site, canonical URL, language."""
    values = _head_values(scan.head)
    result.description = _pick(values, "og:description", "description", "twitter:description")
    result.canonical_url = _pick(values, "link:canonical", "og:url")
    result.pagetype = _pick(values, "og:type")
    host = pagemeta.host_of(result.canonical_url)
    # the site showing the page (og:url) names the outlet; a canonical link may point to the
    # sister title a syndicated piece first ran in
    known = metadata.outlet_from_url(values.get("og:url")) or metadata.outlet_from_url(result.canonical_url)
    result.sitename = (
        known
        or pagemeta.plausible_outlet(values.get("og:site_name"), host)
        or pagemeta.plausible_outlet(ld.publisher, host)
    )
    names = [n for n in (values.get("og:site_name"), ld.publisher, values.get("application-name")) if n]
    names += [n for n in (known, host, host.split(".")[0] if host else None) if n]
    title = _pick(values, "og:title", "twitter:title") or ld.headline or values.get("title")
    result.title = pagemeta.clean_title(title, names)
    result.site_names = names
    lang = tree.get("lang") or _pick(values, "content-language", "og:locale") or ld.language
    if lang:
        result.language = lang.replace("_", "-").split("-")[0].lower() or None
    return values


def _authors(tree: HtmlElement, result: HtmlResult, ld: pagemeta.LinkedData) -> None:
    """The byline from every place pages put it (see ``pagemeta``), trafilatura's as the floor."""
    finders: tuple[Callable[[], list[str]], ...] = (
        lambda: pagemeta.meta_authors(tree),
        lambda: pagemeta.marked_authors(tree),
        lambda: pagemeta.byline_authors(result.bylines),
        lambda: pagemeta.labelled_authors(tree),
    )
    sources = (find() for find in finders)  # lazy: most pages name a person in the first one
    chosen = pagemeta.choose_authors(ld.authors, sources, result.site_names)
    if not chosen:
        found = trafilatura_author(tree)
        chosen = [(n, pagemeta.author_kind(n, result.site_names)) for n in pagemeta.split_names(found or "")]
    result.authors = [n for n, _k in chosen]
    result.author_kinds = [k for _n, k in chosen]


def _leading_byline(bold: set[str], result: HtmlResult) -> None:
    """A bold name line at the top of the body is the byline, not text: it names the authors
    when nothing else named a person (the outlet itself is then only the page's signature)."""
    if "person" in result.author_kinds:
        return
    found = pagemeta.leading_byline(bold, result.body)
    if found is None:
        return
    index, names = found
    result.removed.append(RemovedLine(result.body.pop(index), "byline"))
    result.authors = names
    result.author_kinds = [pagemeta.author_kind(n, result.site_names) for n in names]


def _trailing_credit(result: HtmlResult) -> None:
    """A closing "Quelle: dpa" / "<outlet> / <source>" line names the sources when the byline
    named no person (an organisation or a placeholder account signing every page)."""
    if "person" in result.author_kinds:
        return
    sources = pagemeta.trailing_credit(result.body, result.site_names)
    if sources:
        result.authors = sources
        result.author_kinds = ["organization"] * len(sources)


def trafilatura_author(tree: HtmlElement) -> str | None:
    """trafilatura's author finder, run on the shared tree: its own ``extract_author`` deep-copies
    the page to prune comments, dates and figures first; skipping those parts (``_discarded``,
    tested on each candidate's ancestors) gives the same answer without the copy. It runs only
    when nothing else named anyone."""
    try:
        for tier in _author_tiers(tree):
            for el in tier:
                if any(map(_discarded, (el, *el.iterancestors()))):
                    continue
                content = trim(" ".join(_kept_text(el)))
                if content and 2 < len(content) < MAX_AUTHOR_CHARS:
                    found = normalize_authors(None, content)
                    # typed by a check: the build's mypy sees trafilatura untyped
                    return found if isinstance(found, str) else None
    except Exception:  # a library bug on an odd tree must not stop extraction
        return None
    return None


# trafilatura's AUTHOR_XPATHS (2.3) are three full-tree XPaths whose EXSLT regular expressions
# call back into Python for every element with a class or id: most of the finder's cost. Every
# element they can match has an attribute holding one of a few substrings, which XPath's own
# contains() pre-selects in C; the exact tests below then run on those few elements only.
_AUTHOR_CANDIDATES: Final = etree.XPath(
    "//@class[contains(., 'uthor') or contains(., 'yline') or contains(., 'zuozhe') or "
    "contains(., 'bianji') or contains(., 'xiaobian') or contains(., 'channel-name') or "
    "contains(., 'submitted-by') or contains(., 'posted-by') or contains(., 'journalist-name') or "
    "contains(., 'screenname') or contains(., 'writer') or . = 'username' or . = 'byl' or . = 'BBL']/.."
    " | //@id[contains(., 'uthor') or contains(., 'zuozhe') or contains(., 'bianji') or "
    "contains(., 'xiaobian')]/.."
    " | //@rel[. = 'author']/.. | //@itemprop[contains(., 'author')]/.."
    " | //@data-component[contains(., 'Byline')]/.. | //@data-testid[. = 'AuthorCard' or . = 'AuthorURL']/.."
    " | //author"
)
_TIER0_TAGS: Final = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_TIER0_CLASS: Final = re.compile(r"author-?name|AuthorName|authorName")
_TIER1_TAGS: Final = frozenset({"a", "div", "h3", "h4", "p", "span"})
_TIER1_ID: Final = re.compile(r"author|zuozhe|bianji|xiaobian")
_TIER1_CLASS: Final = re.compile(
    r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_TIER2_ID: Final = re.compile(r"[Aa]uthor")
_TIER2_CLASS: Final = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")


def _author_tiers(tree: HtmlElement) -> tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement]]:
    """The elements each of trafilatura's three author XPaths selects, in document order.

    (Their ``rel='me'`` test, of a child element named ``rel``, matches no HTML and is left out.)
    """
    tiers: tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement]] = ([], [], [])
    for el in _AUTHOR_CANDIDATES(tree):
        if not isinstance(el, HtmlElement):
            continue
        tag, cls, ident = el.tag, el.get("class", ""), el.get("id", "")
        itemprop = el.get("itemprop", "")
        if tag == "author" or (
            tag in _TIER0_TAGS
            and (
                "author" in (el.get("rel"), ident, cls)
                or itemprop == "author name"
                or el.get("data-testid") in ("AuthorCard", "AuthorURL")
                or _TIER0_CLASS.search(cls)
            )
        ):
            tiers[0].append(el)
        if tag in _TIER1_TAGS and (
            cls in ("byline", "username", "byl", "BBL")
            or "author" in itemprop
            or _TIER1_ID.search(ident)
            or _TIER1_CLASS.search(cls)
        ):
            tiers[1].append(el)
        if (
            "Byline" in el.get("data-component", "")
            or "author" in itemprop
            or _TIER2_ID.search(ident)
            or _TIER2_CLASS.search(cls)
        ):
            tiers[2].append(el)
    return tiers


# trafilatura's AUTHOR_DISCARD_XPATHS (2.3) as a test of one element: comment threads, sidebars,
# quotes, share bars, dates and figures hold names that are not the byline.
_DISCARD_TAGS: Final = frozenset({"a", "div", "section", "span"})
_DISCARD_ID: Final = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS: Final = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    r"article-(?:share|support)|print|category|meta-date|meta-reviewer"
)


def _discarded(el: HtmlElement) -> bool:
    if el.tag in ("time", "figure"):
        return True
    if el.tag not in _DISCARD_TAGS:
        return False
    ident, cls = el.get("id"), el.get("class")
    if ident is not None and (ident == "comments" or _DISCARD_ID.search(ident)):
        return True
    if cls is not None and (cls in ("comments", "title", "date") or _DISCARD_CLASS.search(cls)):
        return True
    return "Figure" in (el.get("data-component") or "")


MAX_AUTHOR_CHARS = 120  # trafilatura's own limit for an author string


def _kept_text(el: HtmlElement) -> Iterator[str]:
    """``el.itertext()`` without the text of discarded descendants (their tails stay)."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and not _discarded(child):
            yield from _kept_text(child)
        if child.tail:
            yield child.tail


# Declared publication times, most specific first; their offsets are kept (htmldate drops them).
_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "pubdate",
    "publishdate",
    "date",
)
# Elements that carry a byline or an author's job title, by class name.
# Selecting class attributes, then their elements, is several times cheaper than testing every
# element's class ("uthor"/"yline" cover Author, author, Byline, byline).
_BYLINE_XPATH = etree.XPath("//@class[contains(., 'uthor') or contains(., 'yline')]/..")
_ROLE_CLASS = re.compile(r"role|title|position|job", re.IGNORECASE)
MAX_BYLINE_ELEMENTS = 12
MAX_BYLINE_PARTS = 24


def _declared_dates(
    times: list[HtmlElement], values: dict[str, str], ld: pagemeta.LinkedData
) -> Iterator[Dated]:
    """The page's own timestamps (meta, JSON-LD, ``<time datetime>``), offsets intact, in order."""
    for key in _DATE_KEYS:
        found = metadata.parse_iso(values.get(key))
        if found is not None:
            yield found
    found = metadata.parse_iso(ld.published)
    if found is not None:
        yield found
    for el in times:
        found = metadata.parse_iso(el.get("datetime"))
        if found is not None:
            yield found
            break


def _published(
    tree: HtmlElement, scan: _Scan, values: dict[str, str], ld: pagemeta.LinkedData, latest: datetime
) -> Dated | None:
    """The first possible publication date: declared ones, then htmldate (which reads the URL and
    the page's text too). Impossible dates (before 1990, after ``latest``) are skipped."""
    for found in _declared_dates(scan.times, values, ld):
        if metadata.plausible(found, latest) is not None:
            return found
    return metadata.plausible(_date(tree, values, latest), latest)


def _bylines(tree: HtmlElement, result: HtmlResult) -> None:
    """Byline texts ("By Jane Roe, Business Editor") and a role element ("Senior Reporter")."""
    try:
        found = _BYLINE_XPATH(tree)
    except Exception:  # lxml XPath errors on exotic trees must not stop extraction
        return
    outer: set[HtmlElement] = set()
    for el in found:
        if not isinstance(el, HtmlElement) or any(a in outer for a in el.iterancestors()):
            continue  # a byline box's own parts are read with the box
        outer.add(el)
        if len(outer) > MAX_BYLINE_ELEMENTS:
            break
        for part in _byline_parts(el):
            text = pagemeta.spaced_text(part)
            if text and len(text) <= 200:
                result.bylines.append(text)
        for child in el.iter():
            cls = child.get("class") or ""
            if result.author_role is None and _ROLE_CLASS.search(cls) and "author" in cls.casefold():
                role = " ".join(child.text_content().split())
                if rules.is_role(role):
                    result.author_role = role
    if result.author_role is None:
        result.author_role = metadata.byline_role(result.bylines, result.sitename)


def _byline_parts(box: HtmlElement) -> Iterator[HtmlElement]:
    """A byline box, then its blocks and spans at any depth ("<ul><li><span>von</span> <span>Jane
    Roe</span></li></ul>" sits under a box that also holds a section label)."""
    yield box
    for i, part in enumerate(box.iterdescendants("p", "span", "div", "li")):
        if i >= MAX_BYLINE_PARTS:
            break
        yield part


def _date(tree: HtmlElement, values: dict[str, str], latest: datetime) -> Dated | None:
    """htmldate's guess, bounded by ``latest`` (so it never reads the clock)."""
    url = _pick(values, "link:canonical", "og:url")
    try:
        found = find_date(
            tree, url=url, extensive_search=False, original_date=True, max_date=latest.strftime("%Y-%m-%d")
        )
    except Exception:  # htmldate is defensive but a broken tree must not stop extraction
        return None
    return metadata.parse_iso(found) if found else None


def _caption(el: HtmlElement | None) -> str | None:
    """The first figure caption's text (read off the parsed tree, not the markup again)."""
    if el is None:
        return None
    text = " ".join(" ".join(el.itertext()).split())
    return text or None


def _body_text(tree: HtmlElement, html: str, ld: pagemeta.LinkedData) -> str:
    """trafilatura in precision mode, default mode when precision keeps too little; on a page
    that renders its article by script (nothing left either way), the text its data carries:
    JSON-LD ``articleBody``, else the longest HTML fragment in its scripts' JSON."""
    text = _precise_text(tree)
    if len(text.split()) < FALLBACK_WORDS:
        retry = trafilatura.extract(html, include_comments=False) or ""
        if len(retry.split()) > len(text.split()):
            text = retry
    if len(text.split()) < FALLBACK_WORDS and ld.body and len(ld.body.split()) > len(text.split()):
        text = ld.body
    if len(text.split()) < FALLBACK_WORDS:
        scripts = load_html(html)  # trafilatura consumed the shared tree, scripts and all
        fragment = pagemeta.scripted_html(scripts) if scripts is not None else None
        scripted = (
            trafilatura.extract(f"<html><body><article>{fragment}</article></body></html>")
            if fragment
            else None
        )
        if scripted and len(scripted.split()) > len(text.split()):
            text = scripted
    return text


_PRECISION = Extractor(precision=True, comments=False)


def _precise_text(tree: HtmlElement) -> str:
    """``bare_extraction(tree, favor_precision=True, include_comments=False).text`` on the shared
    tree itself: ``bare_extraction`` deep-copies a tree it is handed (about a tenth of its cost),
    which only pays when the caller needs the tree afterwards, and this one does not."""
    try:
        body, text = _precision_sequence(tree)
    except (TypeError, ValueError):  # what bare_extraction turns into "no document"
        return ""
    if len(text) < _PRECISION.min_output_size:
        return ""
    return str(xmltotxt(body, _PRECISION.formatting) or "")


def _precision_sequence(tree: HtmlElement) -> tuple[etree._Element, str]:
    """``trafilatura_sequence`` (2.3) for precision mode without comments, minus one copy.

    With those options only the first two stages of trafilatura's cascade run (main extractor,
    then the readability/jusText comparison): the baseline rescue and the recall escalation are
    for the other modes, and no comments are captured. The comparison then is the last reader of
    the raw tree, so it gets the tree itself instead of the deep copy ``trafilatura_sequence``
    makes to keep the tree for those later stages. The text is the same
    (``test_the_shared_tree_gives_trafilatura_precision_text``).
    """
    forum = _forum_thread_page(tree)
    tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
    tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)
    cleaned, backup = _prepare_tree(tree, _PRECISION, None)
    if not forum:
        cleaned = prune_unwanted_nodes(cleaned, REMOVE_COMMENTS_XPATH)
    body, text = extract_content(cleaned, _PRECISION)
    # typed by the annotation: the build's mypy sees trafilatura untyped
    compared: tuple[etree._Element, str] = compare_extraction(backup, tree, body, text, _PRECISION)
    return compared


def _clean(lines: list[str], title: str | None, result: HtmlResult, headline: str | None) -> None:
    """Apply the shared furniture rules, then the edge rules (labels, repeated headline,
    standfirst, wire credits), to trafilatura's lines.

    ``headline`` is the page's own ``<h1>``: where it differs from the declared title (a social
    headline in ``og:title``), the body's copy of it at the top is still the headline.
    """
    top = lines[:MAX_HEADLINE_LINE]
    if headline and title and _words(headline) != _words(title) and _words(headline) in map(_words, top):
        index = [_words(line) for line in top].index(_words(headline))
        result.removed.append(RemovedLine(lines[index], "repeated headline"))
        lines = lines[:index] + lines[index + 1 :]
    kept, removed, result.standfirst = cleanup.clean_edges(lines, title, _furniture_reason)
    # no input line numbers in HTML
    result.removed.extend(RemovedLine(line, reason) for line, reason in removed)
    result.body = kept


# A line that is nothing but a picture credit ("Photo: AFP", "Foto: dpa", "Bild: Keystone"): a
# caption's own credit stays with its caption, but alone it is the image's label, not text.
_CREDIT_LINE = re.compile(
    r"^(?:photos?|fotos?|фото|bild|image|picture|credit|photo credit)\s*[:©]\s*[^.!?]{1,40}$", re.IGNORECASE
)
MAX_CREDIT_WORDS = 5
# "Read more: …", "FUNDA OLUNYE UDABA LAPHA | …": a link label, then another story's headline.
_LABELLED = re.compile(r"^([^:|»>]{2,40}?)\s*(?::|\||»|>)\s*\S")
MAX_TEASER_WORDS = 30
# "… sign up for our newsletter", "Der BR24 Newsletter informiert Sie …": the outlet's own pitch,
# a sentence long, so not in the exact-phrase vocabulary.
_NEWSLETTER_PROMO = re.compile(
    r"(?i)\bnewsletter\b.{0,80}"
    r"\b(?:sign(?:ing)? up|subscribe|inbox|informiert|abonn|anmelden|inscri|iscriv|suscr)"
    r"|\b(?:sign(?:ing)? up|subscribe|abonnieren|anmelden)\b.{0,60}\bnewsletter"
)
MAX_PROMO_WORDS = 40


MAX_HEADLINE_LINE = 3  # the headline's copy is among trafilatura's first lines or not at all


def _linked_item_texts(items: list[HtmlElement]) -> set[str]:
    """The words of each list item that is one link and nothing else, of MIN_LINKED_ITEM_WORDS
    or more (shorter ones are menu entries, "Home", "Sport", which trafilatura drops anyway).

    ``items`` were gathered before trafilatura ran (it rewrites the tree, but a removed element
    keeps its text); their text is read only for a body that has list items at all.
    """
    found: set[str] = set()
    for li in items:
        if len(li) != 1:
            continue  # trafilatura emptied it (its pruning works in place)
        link = li[0]
        if (li.text or "").strip() or (link.tail or "").strip():
            continue  # words beside the link: the item says something of its own
        words = _words(link.text_content())
        if words.count(" ") + 1 >= MIN_LINKED_ITEM_WORDS:
            found.add(words)
    return found


MIN_LINKED_ITEM_WORDS = 3


def _linked_items(items: list[HtmlElement], result: HtmlResult) -> None:
    """Drop body list items that are one link each (``<li><a>Another story's headline</a></li>``):
    a list of links to other pages is navigation ("more on this", a shop's links), not text.

    On the public benchmark and the publisher pages alike such items were left out of the
    article body (17 of 18); an item that says something beside its link stays.
    """
    if not items or not any(line.startswith("- ") for line in result.body):
        return
    linked = _linked_item_texts(items)
    for i in reversed(range(len(result.body))):
        line = result.body[i]
        if line.startswith("- ") and _words(line[2:]) in linked:
            result.removed.append(RemovedLine(result.body.pop(i), "related-story teaser"))


def _words(text: str) -> str:
    return " ".join(rules.folded_words(text))


def _headline(found: list[HtmlElement]) -> str | None:
    """The page's ``<h1>`` when it has exactly one (several: a listing, not an article)."""
    return " ".join(found[0].text_content().split()) or None if len(found) == 1 else None


def _furniture_reason(line: str) -> str | None:
    """The shared vocabulary rules, and those shape rules that hold on trafilatura's lines."""
    if len(line.split()) <= MAX_CREDIT_WORDS and _CREDIT_LINE.match(line):
        return "photo credit"
    if len(line.split()) <= MAX_PROMO_WORDS and _NEWSLETTER_PROMO.search(line):
        return "newsletter prompt"
    label = _LABELLED.match(line)
    if (
        label
        and len(line.split()) <= MAX_TEASER_WORDS
        and rules.vocabulary_reason(label.group(1)) == "link label"
    ):
        return "related-story teaser"  # "Read more: <another story's headline>"
    reason = rules.vocabulary_reason(line)
    if reason is None and len(rules.words(line)) <= 40:
        shape = rules.shape_reason(line)
        reason = shape if shape in _HTML_SHAPES else None
    return reason


def extract_html(html: str, latest: datetime) -> HtmlResult | None:
    """Body and metadata of an HTML page, or ``None`` when the markup cannot be parsed.

    ``latest`` bounds the publication date (the fetch time plus a day): later dates are impossible.
    """
    tree = load_html(html)
    if tree is None:
        return None
    result = HtmlResult()
    scan = _scan(tree)
    ld = pagemeta.linked_data(tree, scan.scripts)
    values = _metadata(tree, scan, result, ld)
    result.published = _published(tree, scan, values, ld, latest)
    _bylines(tree, result)
    _authors(tree, result, ld)
    result.caption = _caption(scan.figcaption)
    headline = _headline(scan.h1)
    bold = pagemeta.bold_lines(tree) if "person" not in result.author_kinds else set()
    text = _body_text(tree, html, ld)  # last reader of the tree: trafilatura prunes it in place
    lines = [" ".join(line.split()) for line in text.splitlines()]
    _clean([line for line in lines if line], result.title, result, headline)
    _linked_items(scan.linked_items, result)
    _leading_byline(bold, result)
    _trailing_credit(result)
    result.language = pagemeta.page_language(result.language, " ".join(result.body[:8]))
    return result
