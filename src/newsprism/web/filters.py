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


def install(env: Environment) -> None:
    env.filters["safe_url"] = safe_url
    env.filters["when"] = when
    env.filters["iso"] = iso
    env.filters["hue"] = outlet_hue
    env.globals["badge"] = badge
