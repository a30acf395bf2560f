"""Pages from the file system: saved HTML, pre-scraped text, gzip copies and JSON Lines dumps.

Reading files is I/O, so it lives here at the edge; what comes out is plain ``Page`` objects
(or a one-line reason why a path gave none), ready for the pure ``extract`` stage.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from newsprism.model import ExtractionFailure, Page, PageKind

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = HTML_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES

LoadResult = Page | ExtractionFailure


def expand_paths(paths: Iterable[Path], *, extra_suffixes: tuple[str, ...] = ()) -> Iterator[Path]:
    """Files under the given paths, folders walked in sorted order (deterministic ingest).

    ``extra_suffixes`` (whole name endings such as ``.warc.gz``) admits inputs that only the
    backfill reads.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                wanted = _base_suffix(child) in SUPPORTED or child.name.lower().endswith(extra_suffixes)
                if wanted and child.is_file():
                    yield child
        else:
            yield path


def load_pages(
    paths: Iterable[Path], *, max_bytes: int = 5_000_000, outlet: str | None = None, url: str | None = None
) -> Iterator[LoadResult]:
    """Pages from files and folders; a path that cannot be read yields a failure, not an error."""
    for path in expand_paths(paths):
        yield from load_path(path, max_bytes=max_bytes, outlet=outlet, url=url)


def load_path(
    path: Path, *, max_bytes: int, outlet: str | None = None, url: str | None = None
) -> Iterator[LoadResult]:
    source = str(path)
    if not path.exists():
        yield ExtractionFailure(source, "no such file")
        return
    if not path.is_file():
        yield ExtractionFailure(source, "not a regular file")
        return
    suffix = _base_suffix(path)
    if suffix not in SUPPORTED:
        yield ExtractionFailure(
            source,
            f"unsupported file type {suffix or '(none)'!r}; "
            "expected .html, .htm, .txt, .jsonl (optionally .gz)",
        )
        return
    limit = max_bytes * 20 if suffix in JSONL_SUFFIXES else max_bytes
    try:
        data = _read_capped(path, limit)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield ExtractionFailure(source, f"cannot read file: {exc}")
        return
    if data is None:
        yield ExtractionFailure(source, f"file is larger than the {limit:,}-byte limit")
        return
    if suffix in JSONL_SUFFIXES:
        yield from pages_from_jsonl(data, source)
        return
    kind: PageKind = "html" if suffix in HTML_SUFFIXES else "text"
    yield Page(source=source, content=data, kind=kind, url=url, outlet=outlet)


def pages_from_jsonl(
    data: bytes, source: str, *, first_line: int = 1, max_bytes: int | None = None
) -> Iterator[LoadResult]:
    """One page per JSON Lines record: ``url``, ``outlet``, ``title``, ``published_at``, ``text``|``html``.

    ``first_line`` numbers the lines of a slice of a larger file (a backfill unit) as in the file.
    """
    for number, raw in enumerate(data.splitlines(), start=first_line):
        if not raw.strip():
            continue
        where = f"{source}:{number}"
        if max_bytes is not None and len(raw) > max_bytes:
            yield ExtractionFailure(where, f"record is larger than the {max_bytes:,}-byte page limit")
            continue
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield ExtractionFailure(where, f"invalid JSON: {exc.msg if hasattr(exc, 'msg') else exc}")
            continue
        yield page_from_record(record, where)


def page_from_record(record: Any, source: str) -> LoadResult:
    if not isinstance(record, dict):
        return ExtractionFailure(source, "record is not a JSON object")
    html, text = record.get("html"), record.get("text")
    content = html if isinstance(html, str) and html.strip() else text
    if not isinstance(content, str) or not content.strip():
        return ExtractionFailure(source, "record has no 'text' or 'html'")
    published = record.get("published_at")
    try:
        published_at = datetime.fromisoformat(published) if isinstance(published, str) else None
    except ValueError:
        return ExtractionFailure(source, f"published_at is not ISO 8601: {published!r}")
    return Page(
        source=str(record.get("url") or source),
        content=content,
        kind="html" if content is html else "text",
        url=_str(record.get("url")),
        outlet=_str(record.get("outlet")),
        title=_str(record.get("title")),
        published_at=published_at,
        author=_str(record.get("author")),
        record=True,
    )


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _read_capped(path: Path, limit: int) -> bytes | None:
    """Read at most ``limit`` bytes (decompressed, for .gz: a gzip bomb stops at the cap)."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else bytes(data)
