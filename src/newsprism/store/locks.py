"""The grouping lock: one writer at a time decides stories, across processes (#16.5).

Why: each writer groups against its own in-memory grouper. Two ``ingest`` processes running
at once each decided stories without seeing the other's articles, so one event became two
stories and stored counts disagreed with member rows. Holding this lock while a batch is
grouped and stored (and catching up with what other writers stored before it, see
``pipeline.Ingestor``) makes concurrent writers decide as if they had run one after the other.

* PostgreSQL: a session-level advisory lock on a connection held for the batch (released when
  the connection closes, so a killed writer never leaves it held).
* SQLite: an exclusive ``flock`` on a file next to the database (``<db>.grouping.lock``). Not
  ``BEGIN IMMEDIATE``: that would block every other write, this writer's own per-article
  transactions included, for the whole batch. The kernel drops the lock when the process dies.
* An in-memory SQLite database lives in one process: a thread lock is enough.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, text

# any constant 64-bit key: "newsprism grouping" as bytes, so it is recognisable in pg_locks
ADVISORY_KEY = int.from_bytes(b"npgroup\x01", "big")

_local_locks: dict[int, threading.Lock] = {}
_local_guard = threading.Lock()


@contextmanager
def grouping_lock(engine: Engine) -> Iterator[None]:
    """Hold the store's grouping lock for the ``with`` block (blocking until it is free)."""
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine):
            yield
        return
    path = _sqlite_lock_path(engine)
    if path is None:
        with _thread_lock(engine):
            yield
        return
    with _file_lock(path):
        yield


@contextmanager
def _advisory_lock(engine: Engine) -> Iterator[None]:
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        conn.commit()  # the lock is the session's, not the transaction's: do not sit idle in one
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            conn.commit()


def _sqlite_lock_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database).with_name(Path(database).name + ".grouping.lock")


@contextmanager
def _thread_lock(engine: Engine) -> Iterator[None]:
    with _local_guard:
        lock = _local_locks.setdefault(id(engine), threading.Lock())
    with lock:
        yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a+b") as handle:
        _lock_file(handle)
        try:
            yield
        finally:
            _unlock_file(handle)


def _lock_file(handle: IO[bytes]) -> None:
    if sys.platform == "win32":  # a blocking byte-range lock on the first byte
        import msvcrt

        handle.seek(0)
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ~10 s; keep waiting, as flock does
                continue
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _unlock_file(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
