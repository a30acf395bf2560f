"""Pages from WARC archives (``.warc``, ``.warc.gz``), streamed and addressable by record offset.

Why offsets: a backfill ships *where* a page is (file + byte offset of its record) to the Dask
workers, never the page bytes, so the scheduler stays small whatever the archive size. The
driver's ``scan`` walks the archive once in constant memory (warcio streams the records and
skips their payloads); each worker then ``read_pages`` its own records by seeking to them. In a
``.warc.gz`` every record is its own gzip member (the WARC standard's recommendation), so a seek
to a member boundary starts a fresh decompressor.

Only ``response`` records of HTML pages become pages. A damaged archive (a truncated gzip
member, garbage between records) ends its scan with one failure naming the offset; the records
before it still count. A record over the page cap is refused by its declared length before a
byte of it is read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArchiveLoadFailed, ArcWarcRecord

from newsprism.model import ExtractionFailure, Page

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# what a damaged archive raises from inside warcio (bad gzip data, a header that is not WARC)
_DAMAGE = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError)


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


@dataclass(frozen=True)
class Skipped:
    """A record the scan passed over (not a response, not HTML), counted but not an error."""

    offset: int
    reason: str


def scan(path: Path) -> Iterator[int | Skipped | ExtractionFailure]:
    """Offsets of the HTML response records, in file order; constant memory whatever the size.

    Yields ``Skipped`` for other records and, if the archive is damaged, one final
    ``ExtractionFailure`` (``path@offset``): everything before the damage is still usable.
    """
    offset = 0
    try:
        with path.open("rb") as handle:
            records = ArchiveIterator(handle, no_record_parse=False)
            for record in records:
                offset = records.get_record_offset()
                reason = _not_a_page(record)
                yield offset if reason is None else Skipped(offset, reason)
    except _DAMAGE as exc:
        yield ExtractionFailure(f"{path}@{offset}", f"damaged WARC after this record: {_one_line(exc)}")


def read_pages(path: Path, offsets: list[int], *, max_bytes: int) -> list[Page | ExtractionFailure]:
    """The pages at these record offsets (what a worker runs); a bad record is one failure."""
    out: list[Page | ExtractionFailure] = []
    try:
        handle = path.open("rb")
    except OSError as exc:
        return [ExtractionFailure(f"{path}@{o}", f"cannot read file: {_one_line(exc)}") for o in offsets]
    with handle:
        for offset in offsets:
            out.append(_read_one(handle, path, offset, max_bytes))
    return out


def _read_one(handle: object, path: Path, offset: int, max_bytes: int) -> Page | ExtractionFailure:
    where = f"{path}@{offset}"
    try:
        handle.seek(offset)  # type: ignore[attr-defined]
        record = next(iter(ArchiveIterator(handle)))
        uri = record.rec_headers.get_header("WARC-Target-URI") or where
        declared = int(record.rec_headers.get_header("Content-Length") or 0)
        if declared > max_bytes:
            return ExtractionFailure(uri, f"record is larger than the {max_bytes:,}-byte page limit")
        content = record.content_stream().read(max_bytes + 1)
        record.raw_stream.read()  # to the record's end: a cut gzip member leaves bytes owed
        truncated = record.raw_stream.limit > 0
    except (*_DAMAGE, StopIteration) as exc:
        return ExtractionFailure(where, f"unreadable WARC record: {_one_line(exc)}")
    if truncated:
        return ExtractionFailure(uri, "truncated WARC record (the archive ends inside it)")
    if len(content) > max_bytes:
        return ExtractionFailure(uri, f"page is larger than the {max_bytes:,}-byte limit")
    return Page(source=uri, content=bytes(content), kind="html", url=uri)


def _not_a_page(record: ArcWarcRecord) -> str | None:
    """Why a record is not an HTML page, or None when it is one."""
    if record.rec_type != "response":
        return f"{record.rec_type} record"
    if record.http_headers is None:
        return "response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if status and not status.startswith("2"):
        return f"HTTP status {status}"
    kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        return f"not HTML ({kind})"
    return None


def _one_line(exc: BaseException) -> str:
    """The error as one printable line (warcio quotes the raw bytes it choked on)."""
    text = "".join(c if c.isprintable() else " " for c in str(exc).split(", first line")[0][:160])
    return " ".join(text.split()) or type(exc).__name__


def write_responses(path: Path, pages: Iterator[tuple[str, bytes]] | list[tuple[str, bytes]]) -> int:
    """Write ``(url, html)`` pairs as HTML response records (gzip per record for ``.gz``).

    The benchmark and the tests build their archives with it; it is also a simple way to pack
    a folder of saved pages for a backfill. Returns the number of records written.
    """
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    count = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.lower().endswith(".gz"))
        for url, html in pages:
            kind = [("Content-Type", "text/html; charset=utf-8")]
            headers = StatusAndHeaders("200 OK", kind, protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(html), http_headers=headers)
            writer.write_record(record)
            count += 1
    return count
