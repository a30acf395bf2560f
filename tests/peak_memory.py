"""Peak resident memory of one call, for the tests that prove a bomb or a huge body stays bounded.

Linux keeps the process's high-water mark (``VmHWM``); writing ``5`` to ``/proc/self/clear_refs``
resets it to the current RSS, so the peak of one call is measured in-process, including memory
that C libraries (zlib, brotli) allocate outside Python's allocator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")
MB = 1024 * 1024
LIMIT = 64 * MB  # the hardening issue's bound on growth over the baseline


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def peak_growth(call: Callable[[], T]) -> tuple[T | BaseException, int]:
    """Run ``call``; return its result (or the exception it raised) and the peak RSS growth in
    bytes over the RSS just before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pytest.skip("cannot reset the peak RSS on this system (/proc/self/clear_refs)")
    baseline = _status_kb("VmRSS")
    outcome: T | BaseException
    try:
        outcome = call()
    except Exception as exc:  # the caller asserts on the exception type
        outcome = exc
    return outcome, (_status_kb("VmHWM") - baseline) * 1024
