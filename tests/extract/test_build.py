"""The compiled extraction modules (mypyc, see setup.py) are built from the source beside them.

A module compiled in place shadows its ``.py``: edit ``rules.py`` without reinstalling and the
old compiled code keeps running. This test turns that silent trap into a failure that says what
to do.
"""

from __future__ import annotations

import importlib.machinery
from pathlib import Path

import newsprism
from newsprism.extract import compiled, rules

PACKAGE = Path(newsprism.__file__).parent
EXTENSION_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def test_every_compiled_module_is_newer_than_its_source() -> None:
    stale = []
    for built in PACKAGE.rglob("*"):
        if not built.name.endswith(EXTENSION_SUFFIXES):
            continue
        source = built.with_name(built.name.split(".", 1)[0] + ".py")
        if source.is_file() and source.stat().st_mtime > built.stat().st_mtime:
            stale.append(source.name)
    assert not stale, (
        f"compiled modules older than their source: {stale}; rebuild with `pip install -e .` "
        "(or install with NEWSPRISM_PURE_PYTHON=1 to run the source directly)"
    )


def test_compiled_reports_which_build_runs() -> None:
    assert compiled() == rules.__file__.endswith(EXTENSION_SUFFIXES)
