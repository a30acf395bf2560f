"""Through the real pipeline: ingest ``examples/``, then read and review it in the web app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import EDITOR

from newsprism.config import Settings
from newsprism.model import Page
from newsprism.newsroom.users import hash_password
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_examples_through_the_pipeline_render_and_review(web_repo: Repository) -> None:
    try:
        from newsprism.pipeline import Ingestor
        from newsprism.sources.files import load_pages
    except ImportError as exc:  # the analysis stages are being built in parallel
        pytest.skip(f"pipeline not importable yet: {exc}")
    pages = [p for p in load_pages([EXAMPLES]) if isinstance(p, Page)]
    report = Ingestor(web_repo).ingest_pages(pages)
    assert report.added and not report.failures
    NewsroomStore(web_repo.engine).add_user(EDITOR[0], hash_password(EDITOR[1]), "editor")
    app = create_app(Settings(), repo=web_repo, web=WebConfig(secret_key="e2e", page_cache_seconds=0))
    client = TestClient(app)
    stories = client.get("/api/v1/stories").json()["stories"]
    assert len(stories) >= 3
    for summary in stories:
        html = client.get(f"/stories/{summary['id']}").text
        assert "Summary is AI-generated</p>" in html
        bullets = re.findall(r'<details class="bullet">(.*?)</details>', html, re.S)
        assert bullets, summary["headline"]
        assert all('<ul class="sources"' in b and "<q>" in b for b in bullets)  # every bullet has sources
        article_id = re.search(r'href="/articles/([^"]+)"', html)
        assert article_id is not None
        assert client.get(f"/articles/{article_id.group(1)}").status_code == 200
    token = client.post(
        "/api/v1/session",
        json={"username": EDITOR[0], "password": EDITOR[1]},
        headers={"X-CSRF-Token": client.get("/api/v1/session").json()["csrf_token"]},
    ).json()["csrf_token"]
    target = stories[0]["id"]
    qr = client.get(f"/api/v1/stories/{target}/quick-read").json()
    refused = client.post(
        f"/api/v1/stories/{target}/quick-read/edit",
        json={
            "version": qr["version"],
            "bullets": ["Aliens landed on the moon yesterday."] * len(qr["bullets"]),
        },
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 422 and refused.json()["detail"]["unsupported"]
    approved = client.post(
        f"/api/v1/stories/{target}/quick-read/approve",
        json={"version": qr["version"]},
        headers={"X-CSRF-Token": token},
    )
    assert approved.status_code == 200
    assert "AI-generated, newsroom-reviewed" in client.get(f"/stories/{target}").text
    assert target in client.get("/feed.atom").text
