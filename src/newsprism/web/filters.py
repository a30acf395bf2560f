"""Jinja filters: safe links, dates and outlet colours (kept out of templates so they are tested)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup

_OUTLET_HUES = 12


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no ``javascript:``, ``data:``...)."""
    if not url:
        return None
    cleaned = url.strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    if any(ord(ch) < 32 for ch in cleaned):
        return None
    return cleaned


def when(value: datetime | None) -> str:
    return value.strftime("%-d %b %Y, %H:%M UTC") if value else "undated"


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@lru_cache(maxsize=4096)
def outlet_hue(outlet: str | None) -> int:
    """A stable colour index per outlet name so badges match across pages."""
    digest = hashlib.sha1((outlet or "?").encode()).digest()
    return digest[0] % _OUTLET_HUES


@lru_cache(maxsize=4096)
def badge(outlet: str | None) -> Markup:
    """An outlet badge. A Python global, not a Jinja macro: a story page shows dozens of them,
    and a macro call costs ~10x a cached function call."""
    return Markup('<span class="badge h{}">{}</span>').format(outlet_hue(outlet), str(outlet))


def badges(outlets: list[str] | tuple[str, ...]) -> Markup:
    """A row of badges, each followed by a space: what ``{% for o in outlets %}{{ badge(o) }}
    {% endfor %}`` renders, in one call (a template loop of calls costs several times more)."""
    return _badges(tuple(outlets))


@lru_cache(maxsize=4096)
def _badges(outlets: tuple[str, ...]) -> Markup:
    return Markup("".join(f"{badge(o)} " for o in outlets))


_LINK = Markup('<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>')


def ext_link(url: str | None, text: str) -> Markup:
    """A link to the original (new tab, no referrer) or a muted note when there is no safe URL;
    the same markup as the ``ext_link`` macro in ``_macros.html``, without a macro call."""
    safe = safe_url(url)
    if safe:
        return _LINK.format(safe, text)
    return Markup('<span class="muted">{} (no web link)</span>').format(text)


def install(env: Environment) -> None:
    env.filters["safe_url"] = safe_url
    env.filters["when"] = when
    env.filters["iso"] = iso
    env.filters["hue"] = outlet_hue
    env.globals["badge"] = badge
    env.globals["badges"] = badges
    env.globals["ext_link"] = ext_link
