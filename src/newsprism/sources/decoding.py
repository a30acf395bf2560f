"""Content-Encoding undone in bounded steps, so a decompression bomb stops at the size cap.

httpx decodes a whole network chunk at once: a 1.6 KB brotli chunk that expands to 1 GiB is
materialised before the caller can count a single byte. Here every decoder yields output in
pieces of at most ``STEP`` bytes and keeps the rest of its input for the next piece, so the
caller's running total reaches the cap after at most one extra step of memory, whatever the
compression ratio. Supported codings are the ones the fetcher advertises: gzip, deflate, br
(and identity); anything else is refused rather than passed on still encoded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli

STEP = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate, br"


class DecodingError(ValueError):
    """The body is corrupt for its declared coding, or the coding is not one we accept."""


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip (``wbits`` 16+15) or deflate; deflate falls back to a raw stream as browsers do."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while True:
            try:
                out = self._obj.decompress(pending, STEP)
            except zlib.error as exc:
                if self._gzip or self._started:
                    raise DecodingError(f"corrupt {'gzip' if self._gzip else 'deflate'} body: {exc}") from exc
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate without the header
                self._started = True
                continue
            self._started = True
            pending = self._obj.unconsumed_tail
            if out:
                yield out
            if self._obj.eof or (not pending and len(out) < STEP):
                return

    def finish(self) -> Iterator[bytes]:
        yield from self.feed(b"")


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._obj.process(data, output_buffer_limit=STEP)
            while True:
                if out:
                    yield out
                if self._obj.is_finished() or self._obj.can_accept_more_data():
                    return
                out = self._obj.process(b"", output_buffer_limit=STEP)
        except brotli.error as exc:
            raise DecodingError(f"corrupt brotli body: {exc}") from exc

    def finish(self) -> Iterator[bytes]:
        return iter(())


def _decoder(coding: str) -> _Decoder:
    if coding in {"", "identity"}:
        return _Identity()
    if coding in {"gzip", "x-gzip"}:
        return _Zlib(gzip=True)
    if coding == "deflate":
        return _Zlib(gzip=False)
    if coding == "br":
        return _Brotli()
    raise DecodingError(f"unsupported Content-Encoding {coding!r}")


class StreamDecoder:
    """``feed`` raw bytes as they arrive, iterate the decoded pieces (each at most ``STEP``).

    Codings listed as ``gzip, br`` were applied in that order, so they are undone in reverse.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        self._chain = [_decoder(c) for c in reversed(codings)] or [_Identity()]

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._run(0, data, final=False)

    def finish(self) -> Iterator[bytes]:
        return self._run(0, b"", final=True)

    def _run(self, level: int, data: bytes, *, final: bool) -> Iterator[bytes]:
        if level == len(self._chain):
            if data:
                yield data
            return
        decoder = self._chain[level]
        for piece in decoder.feed(data):
            yield from self._run(level + 1, piece, final=False)
        if final:
            for piece in decoder.finish():
                yield from self._run(level + 1, piece, final=False)
            yield from self._run(level + 1, b"", final=True)
