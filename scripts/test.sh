#!/usr/bin/env bash
# Install everything into .venv/ (pinned by constraints.txt), then lint, type-check and run the
# whole test suite against SQLite and PostgreSQL, with browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade "pip>=24"
.venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]'

# Debian packages the tests need, installed when missing (as root, with apt): the package, the
# command it provides, and what will report its absence.
apt_install_missing() {
  local package=$1 command=$2 user=$3
  command -v "$command" >/dev/null && return 0
  command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] || return 0
  (apt-get install -y -q "$package" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$package" >/dev/null; }) \
    || echo "warning: could not install $package; $user will report it" >&2
}
# Real headless Chromium for the web tests (Playwright never downloads a browser).
apt_install_missing chromium /usr/bin/chromium "the browser tests"
# valgrind counts the instructions benchmarks/extract_instructions.py reports (smoke-tested).
apt_install_missing valgrind valgrind "its benchmark smoke test"

export NEWSPRISM_TEST_POSTGRES_URL="${NEWSPRISM_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"

.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy --strict src/
.venv/bin/pytest -n 2 -q -p no:cacheprovider "$@"
