#!/usr/bin/env bash
# Install everything into .venv/ (pinned by constraints.txt), then lint, type-check and run the
# whole test suite against SQLite and PostgreSQL, with browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade "pip>=24"
.venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]'

# Real headless Chromium for the web tests (Debian package; Playwright never downloads a browser).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }) \
    || echo "warning: could not install chromium; browser tests will report it" >&2
fi

# valgrind counts the instructions benchmarks/extract_instructions.py reports (smoke-tested).
if ! command -v valgrind >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get install -y -q valgrind >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q valgrind >/dev/null; }) \
    || echo "warning: could not install valgrind; its benchmark smoke test will report it" >&2
fi

export NEWSPRISM_TEST_POSTGRES_URL="${NEWSPRISM_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"

.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy --strict src/
.venv/bin/pytest -n 2 -q -p no:cacheprovider "$@"
