"""WARC reading: HTML responses become pages, everything else is skipped or one failure line.

The archives are built with warcio's writer, so they are what a crawler would write (one gzip
member per record); the damage is then done to the bytes.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.model import ExtractionFailure, Page
from newsprism.sources.warc import Skipped, read_pages, scan, write_responses

PAGE = (
    "<html><head><title>Dockers strike at the port</title></head><body><article><p>"
    + "Dockers walked out on Monday over pay, the union said. " * 20
    + "</p></article></body></html>"
).encode()


def _records(path: Path) -> list[int | Skipped | ExtractionFailure]:
    return list(scan(path))


def test_html_responses_are_pages_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_responses(path, [(f"https://example.org/{i}", PAGE) for i in range(3)])
    offsets = _records(path)
    assert all(isinstance(o, int) for o in offsets) and offsets == sorted(offsets)  # type: ignore[type-var]
    pages = read_pages(path, [offsets[2]], max_bytes=1_000_000)  # type: ignore[list-item]
    assert isinstance(pages[0], Page) and pages[0].url == "https://example.org/2"
    assert pages[0].content == PAGE


def test_plain_warc_reads_too(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    write_responses(path, [("https://example.org/x", PAGE)])
    offsets = _records(path)
    page = read_pages(path, offsets, max_bytes=1_000_000)[0]  # type: ignore[arg-type]
    assert isinstance(page, Page) and page.content == PAGE


def test_non_html_and_non_response_records_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, kind, status, body in (
            ("https://e.org/i.jpg", "image/jpeg", "200 OK", b"\xff\xd8"),
            ("https://e.org/gone", "text/html", "404 Not Found", b"<p>no</p>"),
        ):
            http = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http)
            writer.write_record(record)
        request = BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        writer.write_record(writer.create_warc_record("https://e.org/", "request", payload=request))
    reasons = [r.reason for r in _records(path) if isinstance(r, Skipped)]
    assert reasons == ["not HTML (image/jpeg)", "HTTP status 404", "request record"]


def test_truncated_gzip_member_fails_that_record_only(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    write_responses(path, [(f"https://example.org/{i}", PAGE) for i in range(3)])
    offsets: list[int] = _records(path)  # type: ignore[assignment]
    path.write_bytes(path.read_bytes()[:-40])  # the crawl died while writing the last record
    pages = read_pages(path, offsets, max_bytes=1_000_000)
    assert [isinstance(p, Page) for p in pages] == [True, True, False]
    assert isinstance(pages[2], ExtractionFailure) and "truncated" in pages[2].reason
    assert pages[2].source == "https://example.org/2"


def test_damage_between_records_ends_the_scan_with_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    write_responses(path, [(f"https://example.org/{i}", PAGE) for i in range(3)])
    offsets: list[int] = _records(path)  # type: ignore[assignment]
    data = path.read_bytes()
    path.write_bytes(data[: offsets[1] + 30] + data[offsets[2] :])  # half a member, then more
    found = _records(path)
    assert found[0] == offsets[0]
    failure = found[-1]
    assert isinstance(failure, ExtractionFailure) and "damaged WARC" in failure.reason
    assert "\n" not in failure.reason and failure.reason.isprintable()


def test_record_over_the_page_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    huge = b"<html><body><p>" + b"x" * 50_000_000 + b"</p></body></html>"
    write_responses(path, [("https://example.org/huge", huge), ("https://example.org/ok", PAGE)])
    offsets: list[int] = _records(path)  # type: ignore[assignment]
    big, ok = read_pages(path, offsets, max_bytes=5_000_000)
    assert isinstance(big, ExtractionFailure) and "larger than the 5,000,000-byte" in big.reason
    assert isinstance(ok, Page)


def test_missing_file_is_one_failure_per_record(tmp_path: Path) -> None:
    out = read_pages(tmp_path / "gone.warc.gz", [0, 10], max_bytes=100)
    assert [isinstance(o, ExtractionFailure) for o in out] == [True, True]
