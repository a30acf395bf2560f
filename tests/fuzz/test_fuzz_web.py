"""Fuzz: no query string or path a client can send makes the web app answer 500.

Runs on each configured store (SQLite, and PostgreSQL when ``NEWSPRISM_TEST_POSTGRES_URL`` is
set), because the two reject different values (PostgreSQL refuses NUL in text, both overflow on
64-bit integers).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from fuzz_support import FUZZ
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.config import Settings
from newsprism.store.repository import Repository
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig

HOSTILE = [
    "\x00",
    "a\x00b",
    "9223372036854775808",
    "-9223372036854775809",
    "1e400",
    "2026-13-45",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01",
    "nan",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
]
VALUE = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers(-(2**70), 2**70).map(str))
# the store is only read, so one per test (not per example) is right
WITH_FIXTURES = settings(
    FUZZ, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
ROUTES = [
    ("/api/v1/stories", ["q", "outlet", "since", "until", "limit", "offset"]),
    ("/", ["q", "outlet", "since", "until", "page"]),
    ("/review/audit", ["story"]),
    ("/login", ["next"]),
]


@pytest.fixture
def client(repo: Repository) -> Iterator[TestClient]:
    config = WebConfig(secret_key="fuzz", page_cache_seconds=0)
    with TestClient(create_app(Settings(database_url="sqlite://"), repo=repo, web=config)) as test_client:
        yield test_client


@WITH_FIXTURES
@given(st.sampled_from(ROUTES), st.data())
def test_query_strings_never_cause_a_server_error(
    client: TestClient, route: tuple[str, list[str]], data: st.DataObject
) -> None:
    path, names = route
    params = data.draw(st.dictionaries(st.sampled_from(names), VALUE, max_size=len(names)))
    response = client.get(f"{path}?{urlencode(params)}")
    assert response.status_code < 500, (path, params, response.text[:300])


@WITH_FIXTURES
@given(
    st.sampled_from(["/api/v1/stories/", "/api/v1/articles/", "/stories/", "/articles/"]),
    st.text(min_size=1, max_size=40),
)
def test_identifiers_in_paths_never_cause_a_server_error(client: TestClient, prefix: str, ident: str) -> None:
    response = client.get(prefix + quote(ident, safe=""))
    assert response.status_code < 500, (prefix, ident, response.text[:300])
