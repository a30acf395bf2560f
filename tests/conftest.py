"""Shared fixtures: the store on SQLite and (when configured) PostgreSQL, and the seed pages.

Store tests take the ``repo`` fixture and run once per backend with the same test code.
PostgreSQL runs when ``NEWSPRISM_TEST_POSTGRES_URL`` is set (``.ci/run`` always sets it); each
test gets its own schema, so tests can run in parallel against one database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from factories import SHARED_DIR, require_shared
from sqlalchemy import create_engine, text

from newsprism.store.database import normalise_url
from newsprism.store.repository import Repository

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = SHARED_DIR / "seeds"
EVAL_DIR = SHARED_DIR / "eval"
EXAMPLES_DIR = REPO_ROOT / "examples"
POSTGRES_URL = os.environ.get("NEWSPRISM_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared(SEEDS_DIR)


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    return require_shared(EVAL_DIR)


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    assert POSTGRES_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = Repository.open(database_url)
    yield repository
    repository.close()
