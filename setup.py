"""Build hook: compile the text path's hot modules with mypyc when a C compiler is at hand.

Why: the plain-text extraction path judges every line of every page in Python. Compiled by
mypyc (the compiler that mypy, black and charset-normalizer ship their own code with) the same
source runs about 1.5x faster and gives byte-identical results; ``benchmarks/extract.py`` prints
which build it measured. Everything else in pyproject.toml; this file only adds the extensions.

- ``NEWSPRISM_PURE_PYTHON=1`` skips compilation (for hacking on these modules: a compiled
  module shadows its ``.py`` until the package is reinstalled; ``tests/extract`` fails loudly
  when a compiled module is older than its source).
- No C compiler or no Python headers: pure Python, with a note on stderr. A compiler that is
  present but fails is an error worth seeing, so the build stops and says how to skip it.
"""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

COMPILED = [
    "src/newsprism/extract/rules.py",
    "src/newsprism/extract/text.py",
    "src/newsprism/extract/cleanup.py",
    "src/newsprism/extract/metadata.py",
    "src/newsprism/extract/article.py",
    "src/newsprism/textnorm.py",
]


def _why_not_compiled() -> str | None:
    if os.environ.get("NEWSPRISM_PURE_PYTHON", "").strip() not in ("", "0"):
        return "NEWSPRISM_PURE_PYTHON is set"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(os.environ.get("CC", compiler).split()[0]) is None:
        return f"no C compiler ({compiler}) on PATH"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "no Python headers (Python.h)"
    return None


def _remove_compiled() -> None:
    """Delete modules an earlier in-place (editable) build compiled: they would shadow the source."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for source in map(Path, COMPILED):
        for built in source.parent.glob(source.stem + ".*"):
            if built.name.endswith(suffixes):
                built.unlink()
    for shared in Path("src").glob("*__mypyc.*"):
        if shared.name.endswith(suffixes):
            shared.unlink()


def ext_modules() -> list[object]:
    reason = _why_not_compiled()
    if reason is not None:
        print(f"newsprism: building pure Python ({reason}); extraction runs slower", file=sys.stderr)
        _remove_compiled()
        return []
    from mypyc.build import mypycify

    print("newsprism: compiling the extraction hot path with mypyc", file=sys.stderr)
    try:
        return list(mypycify(COMPILED, opt_level="3"))
    except BaseException:
        print(SKIP_HINT, file=sys.stderr)
        raise


SKIP_HINT = "newsprism: compiling failed; install with NEWSPRISM_PURE_PYTHON=1 to skip compilation"


class BuildExt(build_ext):
    """``build_ext`` that says how to skip compilation when the C compiler fails."""

    def run(self) -> None:
        try:
            super().run()
        except BaseException:
            print(SKIP_HINT, file=sys.stderr)
            raise


setup(ext_modules=ext_modules(), cmdclass={"build_ext": BuildExt})
