"""Fixtures for the web tests: the filled store, accounts, app config and a test client."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import ADMIN, EDITOR, READER, World, build_world

from newsprism.config import Settings
from newsprism.newsroom.users import hash_password
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty SQLite file per session; each test copies it (migrations take ~0.5 s)."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    Repository.open(f"sqlite:///{path}").close()
    return path


@functools.cache
def _hash(password: str) -> str:
    return hash_password(password)


@pytest.fixture
def web_repo(database_url: str, migrated_sqlite: Path) -> Iterator[Repository]:
    if database_url.startswith("sqlite:///"):
        shutil.copyfile(migrated_sqlite, database_url[len("sqlite:///") :])
        repository = Repository.open(database_url, run_migrations=False)
    else:
        repository = Repository.open(database_url)
    yield repository
    repository.close()


@pytest.fixture
def world(web_repo: Repository) -> World:
    built = build_world(web_repo)
    store = NewsroomStore(web_repo.engine)
    for (name, password), role in ((EDITOR, "editor"), (READER, "reader"), (ADMIN, "admin")):
        assert store.add_user(name, _hash(password), role)
    return built


@pytest.fixture
def web_config() -> WebConfig:
    return WebConfig(
        secret_key="test-secret-key", cookie_secure=False, feedback_per_minute=10, page_cache_seconds=0
    )


@pytest.fixture
def client(world: World, web_config: WebConfig) -> Iterator[TestClient]:
    app = create_app(Settings(database_url="sqlite://"), repo=world.repo, web=web_config)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
