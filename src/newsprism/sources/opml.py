"""OPML import and export: how feed lists travel between feed readers (and into newsprism).

Import reads every ``<outline>`` with an ``xmlUrl`` at any depth (readers nest them in folders).
Export writes OPML 2.0 that any reader understands; newsprism's own settings ride along as extra
attributes (allowed by the OPML spec, ignored by other readers) so an export re-imports exactly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml
import defusedxml.ElementTree


class OPMLError(ValueError):
    """A file that is not an OPML subscription list we can read safely."""


@dataclass(frozen=True)
class FeedSubscription:
    url: str
    outlet: str | None = None
    language: str | None = None
    poll_interval_seconds: int | None = None
    enabled: bool = True


def parse_opml(data: bytes) -> list[FeedSubscription]:
    """Subscriptions in document order, duplicates (same xmlUrl) dropped."""
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise OPMLError(f"refused: unsafe XML ({exc.__class__.__name__})") from exc
    except ET.ParseError as exc:
        raise OPMLError(f"not well-formed XML: {exc}") from exc
    if root.tag.lower() != "opml":
        raise OPMLError(f"not an OPML document (root element <{root.tag}>)")
    found: dict[str, FeedSubscription] = {}
    for outline in root.iter("outline"):
        subscription = _subscription(outline.attrib)
        if subscription is not None:
            found.setdefault(subscription.url, subscription)
    return list(found.values())


def _subscription(attrs: dict[str, str]) -> FeedSubscription | None:
    url = (attrs.get("xmlUrl") or attrs.get("xmlurl") or "").strip()
    if not url:
        return None
    interval = attrs.get("newsprismInterval", "").strip()
    return FeedSubscription(
        url=url,
        outlet=(attrs.get("title") or attrs.get("text") or "").strip() or None,
        language=(attrs.get("language") or "").strip() or None,
        poll_interval_seconds=int(interval) if interval.isdigit() else None,
        enabled=attrs.get("newsprismEnabled", "true").strip().lower() != "false",
    )


def build_opml(subscriptions: Iterable[FeedSubscription], title: str = "newsprism sources") -> bytes:
    """OPML 2.0 document for the given subscriptions (UTF-8, with XML declaration)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    for sub in subscriptions:
        name = sub.outlet or sub.url
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": sub.url}
        if sub.language:
            attrs["language"] = sub.language
        if sub.poll_interval_seconds:
            attrs["newsprismInterval"] = str(sub.poll_interval_seconds)
        if not sub.enabled:
            attrs["newsprismEnabled"] = "false"
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
