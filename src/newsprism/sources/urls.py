"""URL canonicalisation: one article, one key, however many tracking parameters it wears.

Feeds hand out the same article as ``...?utm_source=rss`` and ``...?utm_source=twitter``; if those
were different keys the watch loop would fetch and store the article twice. courlan knows the
tracker parameter names; we add the bits it leaves (fragments, host case, default ports).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from courlan import clean_url

ALLOWED_SCHEMES = frozenset({"http", "https"})


class InvalidURL(ValueError):
    """A URL we will not fetch: not http(s), no host, or unparseable."""


def check_url(url: str) -> str:
    """The URL stripped of surrounding space, or ``InvalidURL`` with the reason."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a non-numeric port
    except ValueError as exc:
        raise InvalidURL(f"{url!r} is not a valid URL: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise InvalidURL(f"{url!r}: only http and https URLs are fetched")
    if not parts.hostname:
        raise InvalidURL(f"{url!r} has no host")
    return url


def canonical_url(url: str) -> str:
    """Stable identity of an article URL: trackers, fragment and default port removed.

    Raises ``InvalidURL`` for anything that is not an absolute http(s) URL.
    """
    url = check_url(url)
    cleaned = clean_url(url) or url
    parts = urlsplit(cleaned)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def origin(url: str) -> str:
    """``scheme://host[:port]``, the unit robots.txt and rate limits apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def host_key(url: str) -> str:
    """``host:port`` (port made explicit), the unit of per-host politeness."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"
