"""What an HTML page says about itself: authors, headline, outlet and language.

Pages state these in several places, each with its own failure mode, so every field is read from
the most explicit source first and falls back in order:

- **authors**: the article's JSON-LD ``author`` (``@graph``, arrays, ``@id`` references,
  Person/Organization), then ``<meta>`` bylines (``author``, ``article:author``, ``dc.creator``,
  ``parsely-author`` …; never a profile URL), then ``rel=author`` links and microdata
  ``itemprop=author``, then byline blocks ("By X and Y"), then trafilatura's own author finder.
  Each name is told apart as a person or an organisation; an organisation stays when it is the
  only byline, and a lone byline naming the outlet itself gives way to a person named elsewhere.
- **headline**: ``og:title``/JSON-LD ``headline``/``<title>`` with the site's name cut off
  ("… | DW | 28.04.2023", "– TechCrunch", "：朝日新聞デジタル").
- **outlet**: ``og:site_name``, JSON-LD ``publisher.name``, a curated domain table, else the
  domain itself; never a section label, a URL or a bare host fragment.
- **language**: ``<html lang>`` when the text agrees, else what the text is (py3langid).

Only the HTML path uses this module (it is not compiled: it runs once per page, not per line).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsprism.extract import cleanup, metadata, rules

# --- JSON-LD ---------------------------------------------------------------------------------

_ORG_TYPES: Final = ("Organization", "NewsMediaOrganization", "Corporation", "NGO", "GovernmentOrganization")
MAX_LD_OBJECTS: Final = 2_000  # a page cannot make the walk unbounded


@dataclass
class LinkedData:
    """The article object of a page's JSON-LD, reduced to the fields extraction uses."""

    headline: str | None = None
    authors: list[tuple[str, str]] = field(default_factory=list)  # (name, "person"|"organization")
    publisher: str | None = None
    published: str | None = None
    language: str | None = None
    body: str | None = None  # ``articleBody``: the text itself, on pages that render it by script


def _types(obj: dict[str, Any]) -> list[str]:
    tp = obj.get("@type")
    return [t for t in (tp if isinstance(tp, list) else [tp]) if isinstance(t, str)]


def _is_article(obj: dict[str, Any]) -> bool:
    return any("Article" in t or "Posting" in t or t in ("Report", "WebPage") for t in _types(obj))


# Where JSON-LD nests the article inside another object: a ``WebPage`` whose ``mainEntity`` is
# the ``NewsArticle`` (its author and headline live there, not on the page object).
_NESTED_KEYS: Final = ("@graph", "mainEntity")


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``data``, outer first (arrays, ``@graph`` and ``mainEntity`` included)."""
    stack = [data]
    seen = 0
    while stack and seen < MAX_LD_OBJECTS:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        elif isinstance(item, dict):
            seen += 1
            yield item
            nested = [item[key] for key in _NESTED_KEYS if isinstance(item.get(key), (dict, list))]
            for value in reversed(nested):
                stack[:0] = value if isinstance(value, list) else [value]


def _ld_objects(scripts: Iterable[HtmlElement]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in scripts:
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads(script.text_content(), strict=False)
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the other sources still count
        objects.extend(_walk(data))
    return objects


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(value)  # CMSs write entities into JSON-LD ("Zerst&ouml;rung")
    return " ".join(value.split()) or None


def _ld_person(value: Any, by_id: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """Names and kinds in one JSON-LD ``author`` value (string, object, reference, array)."""
    if isinstance(value, list):
        return [found for item in value for found in _ld_person(item, by_id)]
    if isinstance(value, str):
        return [(name, "") for name in split_names(value)]
    if not isinstance(value, dict):
        return []
    if set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        value = by_id.get(value["@id"], value)
    name = _text(value.get("name")) or _text(value.get("byline"))
    if not name and (value.get("givenName") or value.get("familyName")):
        name = " ".join(str(value.get(k) or "") for k in ("givenName", "familyName")).strip()
    if not name:
        return []
    kind = (
        "organization"
        if any(t in _ORG_TYPES for t in _types(value)) and "Person" not in _types(value)
        else ""
    )
    return [(n, kind) for n in split_names(name)]


def linked_data(tree: HtmlElement, scripts: Iterable[HtmlElement] | None = None) -> LinkedData:
    """The page's article as JSON-LD describes it (the first article-like object with an author).

    ``scripts``: the page's ``<script>`` elements when the caller has already gathered them.
    """
    objects = _ld_objects(tree.iter("script") if scripts is None else scripts)
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 2}
    articles = [o for o in objects if _is_article(o)]
    ranked = sorted(articles, key=lambda o: ("author" not in o, "WebPage" in _types(o)))
    found = LinkedData()
    for obj in ranked:
        found.headline = found.headline or _text(obj.get("headline"))
        found.published = found.published or _text(obj.get("datePublished"))
        found.language = found.language or _text(obj.get("inLanguage"))
        body = obj.get("articleBody")
        found.body = found.body or (body if isinstance(body, str) and body.strip() else None)
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and set(publisher) <= {"@id", "@type"}:
            publisher = by_id.get(str(publisher.get("@id")), publisher)
        found.publisher = found.publisher or _text(publisher)
        if not found.authors and "author" in obj:
            found.authors = _ld_person(obj["author"], by_id)
    if found.publisher is None:
        orgs = [o for o in objects if any(t in ("NewsMediaOrganization",) for t in _types(o))]
        found.publisher = _text(orgs[0].get("name")) if orgs else None
    return found


# --- Text rendered by script --------------------------------------------------------------

# A JSON string holding HTML markup (``"contentHtml":"\u003cp\u003e…"``), as script-rendered
# pages (Next.js, Nuxt) ship their article inside the page's data.
_JSON_HTML: Final = re.compile(r'"((?:[^"\\]|\\.){400,})"')
_MARKUP: Final = ("\\u003cp", "\\u003cbr", "<p>", "<p ", "<br")


def scripted_html(tree: HtmlElement) -> str | None:
    """The longest HTML fragment a page's scripts carry as JSON string data, if any."""
    best = ""
    for script in tree.iter("script"):
        code = script.text or ""
        if len(code) < 400 or not any(m in code for m in _MARKUP):
            continue
        for m in _JSON_HTML.finditer(code):
            raw = m.group(1)
            if len(raw) <= len(best) or not any(mark in raw for mark in _MARKUP):
                continue
            try:
                value = json.loads(f'"{raw}"')
            except ValueError:
                continue
            if isinstance(value, str) and len(value) > len(best):
                best = value
    return best or None


# --- Names -----------------------------------------------------------------------------------

# "By", "Von", "Par", … before a byline, and the conjunctions between its names.
_BY: Final = re.compile(
    r"^(?:by|von|par|por|di|da|door|af|av|от|автор[ы]?:?|текст:?|text:?|texte:?)\s+", re.IGNORECASE
)
_AND: Final = re.compile(
    r"\s*(?:,|;|\s&\s|\s(?:and|und|y|e|et|en|og|och|ja|és|și|oraz|ir|και|ve|i|и|та|a|with|mit|avec|con|com)\s"
    r"|、|，|/)\s*",
    re.IGNORECASE,
)
# Words that make a byline an organisation rather than a person.
_ORG_WORDS: Final = re.compile(
    r"(?i:\b(?:redaktion|rédaction|redacción|redazione|redactie|redaksjon|staff|desk|team|newsroom|"
    r"editors?|editorial|agency|agencia|agentur|agenzia|ajansı|press|news|nachrichten|noticias|"
    r"online|media|times|zeitung|post|tribune|herald|journal|magazin|magazine|radio|tv|channel|"
    r"reuters|inc|ltd|gmbh|group)\b)|新聞|신문|일보|通信|日報|\.(?:com|de|co|org|net|ch|at|be|fr|es|it|no|uk|in|jp)\b"
)
_SLUG: Final = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
_NOT_NAME: Final = re.compile(r"https?://|www\.|@|\d{3,}|[<>{}]")
# A job title after the name: "Mathias Hagen / Journalist", "신현주 기자".
_TRAILING_ROLE: Final = re.compile(r"\s*(?:/|\||–|—)\s*[^/|]{2,40}$|\s+기자$|\s+記者$")
MAX_NAME_WORDS: Final = 6
# A counter or footnote mark a widget prints after a name ("Rachel Brazil 0").
_TRAILING_NUMBER: Final = re.compile(r"(?:\s+\d{1,2})+$")


# Contact details printed beside a name ("Jane Roe (@janeroe)", "Jane Roe, jane@example.com"):
# they are not the name, but they must not cost the byline its name either.
_CONTACT: Final = re.compile(r"\(?\s*(?:https?://\S+|www\.\S+|\S+@\S+\.\w+|@\w+)\s*\)?")
# A parenthesised note after a name: "Jane Roe (Text)", "Jane Roe (dpa)", "Jane Roe (Berlin)".
_PAREN_NOTE: Final = re.compile(r"(?<=\S)\s*\(([^()]{1,40})\)")
# Where the reporter filed from, run on after the name: "Jane Roe in Berlin", "Jane Roe aus Kiew".
_FILED_FROM: Final = re.compile(
    r"\s+(?:in|aus|from|à|en|em|a|w|из|з|у|в)\s+[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’.-]*(?:\s+[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’.-]*)?$"
)
_ROLE_DASH: Final = re.compile(r"\s+[-–—]\s+")
RUN_ON_ROLE_WORDS: Final = 3  # "Jane Roe Reporter": a two-word name and one role word


def split_names(text: str) -> list[str]:
    """Names in one byline string: "By Jane Roe and John Doe" -> ["Jane Roe", "John Doe"].

    "Family, Given" (as ``dc.creator`` writes one name) stays one name, turned around. What
    bylines print beside a name (a contact handle, a parenthesised note, a job title, where the
    reporter filed from) is cut off rather than costing the byline the name itself.
    """
    text = _BY.sub("", " ".join(text.split())).strip(" ,;:")
    text = cleanup.without_credit_phrase(_without_dateline(text))
    if _CONTACT.search(text):
        text = " ".join(_CONTACT.sub(" ", text).split()).strip(" ,;:|/-–—")
    text = _PAREN_NOTE.sub(_paren_note, text).strip()
    role = _TRAILING_ROLE.search(text) if len(text.split()) > 1 else None
    if role is not None and not _second_name(role.group()):
        text = text[: role.start()]
    if not text or _NOT_NAME.search(text):
        return []
    parts = [_TRAILING_NUMBER.sub("", p).strip(" .,;:") for p in _AND.split(text)]
    parts = [q for p in parts if p for q in _agency_apart(p)]
    if _family_given(text, parts):
        return [f"{parts[1]} {parts[0]}"]
    return [n for n in (_name_part(p) for p in parts) if n]


# A bracketed dateline before the byline, place and agency or reporter joined by "=":
# "(서울=연합뉴스) 홍길동 기자", "（ワシントン＝山田太郎）".
_DATELINE: Final = re.compile(
    r"^[(（【\[]([^()（）【】\[\]=＝]{1,30})[=＝]([^()（）【】\[\]]{1,40})[)）】\]]\s*"
)


def _without_dateline(text: str) -> str:
    """The byline after a bracketed dateline, or, when nothing follows it, the name inside it."""
    m = _DATELINE.match(text)
    if m is None:
        return text
    return text[m.end() :] or m.group(2).strip()


def _paren_note(m: re.Match[str]) -> str:
    """A parenthesised agency is a co-credit ("Jane Roe (dpa)" -> "Jane Roe, dpa"); any other
    note (a role, a city) is dropped."""
    note = m.group(1).strip()
    return f", {note}" if metadata.known_agency(note) else ""


def _name_part(part: str) -> str | None:
    """``part`` when it is a name, else the name it starts with when what follows is where the
    reporter filed from ("Jane Roe in Berlin") or a job title after a dash ("Jane Roe - Senior
    Reporter") or one role word run on ("Jane Roe Reporter"); ``None`` when there is no name.

    Without a dash, where a longer title starts is a guess ("Jane Roe Political Correspondent"):
    no name is better than a wrong one.
    """
    if _plausible_name(part):
        return part
    filed = _FILED_FROM.search(part)
    if filed is not None:
        head = part[: filed.start()]
        return head if len(head.split()) >= 2 and _plausible_name(head) else None
    dash = _ROLE_DASH.search(part)
    if dash is not None:
        head, tail = part[: dash.start()], part[dash.end() :]
    elif len(part.split()) == RUN_ON_ROLE_WORDS:
        head, _, tail = part.rpartition(" ")
    else:
        return None
    named = len(head.split()) >= 2 and _plausible_name(head) and not rules.names_role(head)
    return head if named and rules.names_role(tail) else None


def _agency_apart(part: str) -> list[str]:
    """ "ERIC TUCKER Associated Press" -> the person and the agency: the wire's name printed on
    the byline's next line, run on after the last name."""
    words = part.split()
    for size in (2, 1):
        if len(words) >= size + 2 and metadata.known_agency(" ".join(words[-size:])):
            return [" ".join(words[:-size]), " ".join(words[-size:])]
    return [part]


def _second_name(tail: str) -> bool:
    """ "/ Mohalenyane Phakela" after a name is a co-author, "/ Journalist" a job title."""
    words = tail.strip(" /|–—").split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not rules.names_role(tail)


def _family_given(text: str, parts: list[str]) -> bool:
    """ "Brazil, Rachel": one name, family first (how ``dc.creator`` writes it)."""
    if len(parts) != 2 or text.count(",") != 1 or any(len(p.split()) != 1 for p in parts):
        return False
    return not (_ORG_WORDS.search(parts[0]) or parts[1].isupper())


# A picture credit marked up as the author ("(Image: Getty Images)", "Foto REUTERS").
_IMAGE_CREDIT: Final = re.compile(r"(?i)\b(?:images?|photos?|fotos?|getty|imago|shutterstock)\b|^\(")
# Lower-case words a person's name may hold ("Ursula von der Leyen", "Vincent van Gogh").
_PARTICLES: Final = frozenset(
    "von van der den de del della delle dello degli dei di da do dos das du la las le les los bin bint "  # noqa: SIM905
    "ben ibn al el ter ten het op zu y e".split()
)
# A particle joined to the next name by a hyphen or apostrophe: "al-Baghdadi", "d'Alembert".
_JOINED_PARTICLE: Final = re.compile(r"^(?:al|el|ad|ud|bin|ben|abu|d|l|dell)['’-]\w", re.IGNORECASE)


# Degrees and certifications printed after a name, split off as names of their own.
_CREDENTIAL: Final = re.compile(
    r"^(?:M\.?D|Ph\.?D|M\.?S|M\.?Sc|M\.?A|B\.?A|B\.?S|R\.?D|RDN|R\.?N|MBA|MPH|J\.?D|CPA|CFA|LD|CSCS|DVM)\.?$"
)
# A CMS account rather than a byline: "admin", "jdadmin", "webmaster", "Guest", "Гость".
_ACCOUNT: Final = re.compile(
    r"(?i)^(?:\w*admin\w*|administrator|webmaster|guest|gast|invité|invitado|ospite|гость|"
    r"anonymous|anonym|unknown|user\d*)$"
)


def _plausible_name(name: str) -> bool:
    """A name, not a credit, a UI label or a sentence run on after the byline.

    A capitalised name of several words capitalises each word, bar its particles: a lower-case
    word after capitals ("Lucie Stuchlíková Chcete-li článek poslouchat") means text ran on
    after the name. All-lower-case names (some CMSs' meta tags), one-word names ("ntv.com.tr"
    signing as an organisation) and uncased scripts stay free.
    """
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or _SLUG.match(name) or _IMAGE_CREDIT.search(name):
        return False
    lower = [w[:1].islower() and w not in _PARTICLES and not _JOINED_PARTICLE.match(w) for w in words]
    if len(words) > 1 and any(lower) and any(w[:1].isupper() for w in words):
        return False
    if rules.is_role(name) or rules.vocabulary_reason(name) is not None:
        return False  # "News Reporter" after the name, "Startseite" from a breadcrumb
    if _CREDENTIAL.match(name) or _ACCOUNT.match(name):
        return False  # "Ilana Muhlstein, MS, RDN"; a CMS account signing every page
    return any(ch.isalpha() for ch in name)


def author_kind(name: str, outlet_names: Iterable[str] = ()) -> str:
    """ "organization" for an outlet, agency or desk ("dpa", "BR24 Redaktion"), else "person".

    A name opening with "The" ("The Water Coolest") is a publication's: people's names do not.
    """
    if _ORG_WORDS.search(name) or metadata.known_agency(name) or name.startswith("The "):
        return "organization"
    key = _fold(name)
    for outlet in outlet_names:
        other = _fold(outlet)
        if other and (key in other or other in key):
            return "organization"
    return "person"


# What ``_fold`` drops: everything but letters and digits (``\W`` plus the underscore ``\w``
# keeps), combining accents included, in one C-level pass instead of a test per character.
_NOT_ALNUM: Final = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


# --- Authors ---------------------------------------------------------------------------------

# Head tags that carry a byline: the standard ones, then the analytics tags (Parse.ly, Sailthru,
# Cxense) many newsrooms fill from their CMS.
_META_AUTHOR_KEYS: Final = (
    "article:author",
    "author",
    "articleauthor",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
    "cxenseparse:author",
)


def meta_authors(tree: HtmlElement) -> list[str]:
    """Bylines the head's ``<meta>`` tags state (every tag, not only the first; never a URL)."""
    names: list[str] = []
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or "").lower()
        if key in _META_AUTHOR_KEYS:
            names.extend(split_names(el.get("content") or ""))
    return _unique(names)


def spaced_text(el: HtmlElement) -> str:
    """An element's text with its elements' boundaries as spaces: a byline box's parts run
    together in ``text_content()`` ("Carrie Arnold" + "November 18" -> "Carrie ArnoldNovember")."""
    return " ".join(" ".join(el.itertext()).split())


_MARKED: Final = '//a[contains(@rel, "author")] | //*[@itemprop="author"]'


def marked_authors(tree: HtmlElement) -> list[str]:
    """Names marked up as the author: ``rel=author`` links, microdata ``itemprop=author``.

    Only the first byline's marks count (those sharing the first mark's byline box, its
    grandparent): the same marks on teasers further down name other articles' authors.
    """
    found = [el for el in tree.xpath(_MARKED) if isinstance(el, HtmlElement)]
    if not found:
        return []
    box = found[0].getparent()
    box = box.getparent() if box is not None and box.getparent() is not None else box
    names: list[str] = []
    for el in found:
        if box is not None and el is not found[0] and box not in el.iterancestors():
            continue
        named = el.xpath('.//*[@itemprop="name"]/@content | .//*[@itemprop="name"]')
        text = named[0] if named else el
        value = text if isinstance(text, str) else spaced_text(text)
        if 0 < len(value) <= 80:
            names.extend(split_names(value))
    return _unique(names)


# A labelled author field: "<strong>Autorin/Autor</strong> Roman Goncharenko", "Author: Jane Roe".
_AUTHOR_LABEL: Final = re.compile(
    r"^(?:autor(?:in)?(?:/autor(?:in)?)?|autoren|author|authors|auteur|autore|autor|forfatter|författare|"
    r"tekst|texto|text)\s*:?$",
    re.IGNORECASE,
)


# Label elements pre-selected in C: short text holding "aut", "text", "tekst" or "forf(att)".
_LABEL_XPATH: Final = (
    "//*[self::strong or self::b or self::dt or self::span or self::th]"
    "[string-length(normalize-space(text())) <= 24]"
    "[contains(translate(text(), 'AUTEXKSFOR', 'autexksfor'), 'aut') or "
    "contains(translate(text(), 'AUTEXKSFOR', 'autexksfor'), 'tex') or "
    "contains(translate(text(), 'AUTEXKSFOR', 'autexksfor'), 'teks') or "
    "contains(translate(text(), 'AUTEXKSFOR', 'autexksfor'), 'forf')]"
)


def labelled_authors(tree: HtmlElement) -> list[str]:
    """Names after an "Author:" label element (``<strong>``, ``<b>``, ``<dt>``, ``<span>``)."""
    for el in tree.xpath(_LABEL_XPATH):
        if not isinstance(el, HtmlElement):
            continue
        label = " ".join((el.text or "").split())
        if not _AUTHOR_LABEL.match(label):
            continue
        after = el.tail if el.tail and el.tail.strip() else None
        if after is None:
            nxt = el.getnext()
            after = nxt.text_content() if nxt is not None else ""
        names = split_names(after)
        if names:
            return names
    return []


# Where a byline block goes on from the names to its date: an update stamp, a template
# placeholder, a weekday, or a month before a day ("By Jane Roe June 20, 2023"; "May" alone is
# a name).
_STAMP: Final = re.compile(
    r"(?i)\s(?:updated|published|posted|aktualisiert|veröffentlicht|publié|mis à jour|actualizado)\b|\s\["
    r"|\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\s(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
)


def byline_authors(bylines: Iterable[str]) -> list[str]:
    """Names in byline blocks that say "By …" (or start with a name and stay short)."""
    for line in bylines:
        if _BY.match(line) and len(line.split()) <= 16:
            line = _STAMP.split(line)[0]
            names = split_names(re.split(r"\s[|·•]\s|\s(?:–|—|-)\s|\d", line)[0])
            if names:
                return names
    return []


# A bold paragraph of its own (``<p><strong>Jane Roe/John Doe</strong></p>``): where many
# papers print the byline as the article's first lines.
_BOLD_PARAGRAPH: Final = "//p[count(*) = 1][strong or b][not(normalize-space(text()))]/*[1]"
MAX_LEADING_LINES: Final = 3


def bold_lines(tree: HtmlElement) -> set[str]:
    """The texts of paragraphs that are one bold element each (where bylines get printed)."""
    return {
        " ".join(el.text_content().split())
        for el in tree.xpath(_BOLD_PARAGRAPH)
        if isinstance(el, HtmlElement)
    }


def leading_byline(bold: set[str], body: list[str]) -> tuple[int, list[str]] | None:
    """The index and names of a byline printed in bold (one of ``bold_lines``) as one of the
    body's first lines, or as its last line (the signature many papers close an article with).

    Only a line that is nothing but names counts: capitalised words, no function word, no
    sentence punctuation ("Mohloai Mpesi", "Jane Roe/John Doe").
    """
    edges = [*range(min(MAX_LEADING_LINES, len(body))), len(body) - 1] if len(body) > 1 else []
    for i in dict.fromkeys(edges):
        if body[i] in bold and _names_only(body[i]):
            return i, split_names(body[i])
    return None


# "Quelle: dpa", "Fuente: EFE", "Source : AFP" closing an article: where its text came from.
_CREDIT_LABEL: Final = re.compile(
    r"(?i)^\(?(?:quelle|quellen|fuente|fuentes|fonte|fonti|source|sources|kaynak|bron|źródło|kilde)\s*:\s*(.+?)\)?$"
)
MAX_CREDIT_CHARS: Final = 80


def trailing_credit(body: list[str], outlet_names: list[str]) -> list[str]:
    """The sources a closing credit line names: "Quelle: dpa", or "<outlet> / <source>".

    Pages whose byline is only an organisation often print the real origin of the text as the
    article's last line; the outlet's own name in it is its signature, not a source. A line
    with sentence punctuation or longer than a credit is text, and a line naming no one but the
    outlet credits nothing.
    """
    line = body[-1].strip() if body else ""
    if not line or len(line) > MAX_CREDIT_CHARS or re.search(r"[.!?;\"“”«»]$", line):
        return []
    labelled = _CREDIT_LABEL.match(line)
    parts = [p.strip() for p in re.split(r"\s*[/,]\s*", labelled.group(1) if labelled else line)]
    keys = {k for k in (_fold(n) for n in outlet_names) if k}
    if not labelled and (len(parts) < 2 or _fold(parts[0]) not in keys):
        return []  # an unlabelled line counts only as "<outlet> / <source>"
    sources = [p for p in parts if p and _fold(p) not in keys and len(p.split()) <= 4]
    return _unique(sources) if len(sources) == len([p for p in parts if _fold(p) not in keys]) else []


def _names_only(line: str) -> bool:
    if len(line) > 80 or re.search(r"[.!?:;\d\"“”«»]", line):
        return False
    names = split_names(line)
    if not names or sum(len(n.split()) for n in names) > 10:
        return False
    function_words = set().union(*metadata.stopwords().values())
    for name in names:
        words = name.split()
        if not 2 <= len(words) <= 4 or any(
            w.casefold() in function_words or not w[:1].isupper() for w in words
        ):
            return False
    return True


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(_fold(name), name)
    return [v for k, v in seen.items() if k]


def choose_authors(
    ld: list[tuple[str, str]], sources: Iterable[list[str]], outlet_names: list[str]
) -> list[tuple[str, str]]:
    """The byline: JSON-LD's, else the first other source naming anyone.

    A byline that names only organisations (often the outlet itself) gives way to the first
    source naming a person; when none does, the organisation stays.
    """
    kinded = [(n, k or author_kind(n, outlet_names)) for n, k in _unique_pairs(ld)]
    if any(k == "person" for _n, k in kinded):
        return _without_outlet(kinded, outlet_names)
    for names in sources:
        found = [(n, author_kind(n, outlet_names)) for n in names]
        if any(k == "person" for _n, k in found):
            return _without_outlet(found, outlet_names)
        if not kinded or (not _without_outlet(kinded, outlet_names) and _without_outlet(found, outlet_names)):
            kinded = found  # an agency's credit says more than the outlet signing its own page
    return kinded


def _without_outlet(chosen: list[tuple[str, str]], outlet_names: list[str]) -> list[tuple[str, str]]:
    """A byline naming people, without the outlet's own name beside them (a CMS puts the
    publisher in the author list; the page is by the people, the outlet is already its outlet)."""
    keys = [k for k in (_fold(n) for n in outlet_names) if k]
    return [(n, k) for n, k in chosen if k == "person" or _fold(n) not in keys]


def _unique_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, tuple[str, str]] = {}
    for name, kind in pairs:
        seen.setdefault(_fold(name), (name, kind))
    return [v for k, v in seen.items() if k]


# --- Headline --------------------------------------------------------------------------------

# Separators between a headline and the site's name in <title>/og:title.
_TITLE_SEP: Final = re.compile(
    r"\s+[|–—-]\s+|\s*[|｜ㅣ]\s*|\s*[：:]\s*(?=\S+$)|\s+::\s+|\s+[·»•~]\s+|\s+/\s+"
)
_DATE_PART: Final = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}$|^\d{4}-\d{2}-\d{2}$")


def clean_title(title: str | None, site_names: list[str]) -> str | None:
    """``title`` without the site's name and the date some sites append, at either end."""
    if not title:
        return title
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    keys = [k for k in (_fold(n) for n in site_names) if k]

    def is_site(part: str) -> bool:
        key = _fold(part)
        if not key or _DATE_PART.match(part.strip()):
            return True
        short = len(part.split()) <= 5
        return any(key == k or (short and len(key) >= 2 and (key in k or k in key)) for k in keys)

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(parts) == len(_TITLE_SEP.split(title)):
        return title
    # keep the separators inside what is left: cut at the first dropped part's boundary
    start = title.find(parts[0])
    last = parts[-1]
    end = title.rfind(last) + len(last)
    return title[start:end].strip() if start >= 0 and end > start else title


# --- Outlet ----------------------------------------------------------------------------------

_SECTION_LABEL: Final = re.compile(r"^[A-Z]\.[A-Z]\.?$|^(?i:home|news|world|politics|business|sport|sports)$")


def plausible_outlet(name: str | None, host: str) -> str | None:
    """``name`` as an outlet's display name, or ``None`` for a URL, section label or host fragment."""
    if not name:
        return None
    name = " ".join(name.split()).lstrip("@")
    if not name or len(name) > 80 or "://" in name or name.startswith("www.") or _SECTION_LABEL.match(name):
        return None
    if name.islower() and name in host.split("."):
        return None  # "nj", "floridatoday", "canada": a host fragment, not a display name
    return name


def host_of(url: str | None) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""


# --- Language --------------------------------------------------------------------------------

# The declared language is trusted when this share of the text's words are its frequent words.
MIN_STOPWORD_SHARE: Final = 0.08


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def text_language(text: str) -> str | None:
    """The language of ``text`` by py3langid (ships its model; loaded on first use)."""
    sample = text[:2000]
    if len(sample) < 40:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.9 else None


def _share(counts: Counter[str], total: int, listed: frozenset[str]) -> float:
    return sum(counts[w] for w in listed.intersection(counts)) / total if total else 0.0


def page_language(declared: str | None, text: str) -> str | None:
    """``<html lang>`` when the text agrees with it, else the text's own language.

    Agreement is cheap to see for the languages with a stopword list (a share of their frequent
    words); another declared language is trusted unless the text is plainly in a listed one
    (a template left at "en" on a Zulu page). The statistical identifier (py3langid, whose model
    takes seconds to load) runs only when that cheap evidence disagrees or nothing is declared.
    """
    words = rules.folded_words(text[:4000])
    table = metadata.stopwords()
    if declared and len(words) < 20:
        return declared
    if declared:
        listed = table.get(declared)
        # the usual case, a page in its declared language, is one membership test per word
        if listed is not None and sum(map(listed.__contains__, words)) / len(words) >= MIN_STOPWORD_SHARE:
            return declared
        counts, total = Counter(words), len(words)
        plain = any(_share(counts, total, other) >= 2 * MIN_STOPWORD_SHARE for other in table.values())
        if listed is None and not plain:
            return declared
    return text_language(text) or declared or metadata.language(text)
