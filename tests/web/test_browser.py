"""End to end in real headless Chromium (Debian's ``chromium``, driven by Playwright's Python API).

Skipped when ``/usr/bin/chromium`` is missing, except under ``CI=true`` where that is a failure:
install it with ``apt-get install -y chromium`` (never ``playwright install``).
Screenshots of the feed and a story page go to ``artifacts/`` at the repository root.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from web_helpers import EDITOR, build_world

from newsprism.config import Settings
from newsprism.newsroom.users import hash_password
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("NEWSPRISM_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path, migrated_sqlite: Path) -> Iterator[str]:
    """The app on a free loopback port, in a thread, over a store filled with the test stories."""
    shutil.copyfile(migrated_sqlite, tmp_path / "store.db")
    repo = Repository.open(f"sqlite:///{tmp_path / 'store.db'}", run_migrations=False)
    build_world(repo)
    NewsroomStore(repo.engine).add_user(EDITOR[0], hash_password(EDITOR[1]), "editor")
    app = create_app(Settings(), repo=repo, web=WebConfig(secret_key="browser-test-key"))
    app.state.newsprism.review.regenerate_fn = lambda _story_id: None
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    repo.close()


def test_reader_and_editor_journey(live_server: str) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # the feed
            page.goto(live_server + "/")
            expect(page.locator("ol.feed > li")).to_have_count(2)
            expect(page.locator("ol.feed h2").first).to_have_text(
                "Port Calder dockworkers end nine-day strike"
            )
            page.screenshot(path=str(ARTIFACTS / "feed.png"), full_page=True)
            # open a story
            page.get_by_role("link", name="Port Calder dockworkers end nine-day strike").click()
            expect(page.locator("h1")).to_have_text("Port Calder dockworkers end nine-day strike")
            label = page.get_by_test_id("qr-label")
            expect(label).to_have_text("Summary is AI-generated")
            # expand a bullet to its sources, with the keyboard
            sources = page.locator("details.bullet").first.locator("ul.sources")
            expect(sources).to_be_hidden()
            page.locator("details.bullet summary").first.focus()
            page.keyboard.press("Enter")
            expect(sources).to_be_visible()
            expect(sources).to_contain_text("accepting a pay rise of 6 percent")
            expect(sources).to_contain_text("Calder Courier")
            page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)
            # vote (JavaScript sends it in the background)
            page.get_by_role("button", name="Yes", exact=True).click()
            expect(page.locator(".thanks")).to_have_text("Thanks: your vote on this version is recorded.")
            page.reload()
            expect(page.locator(".thanks")).to_be_visible()  # one vote per browser per version
            # phone width
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(live_server + "/stories/s-strike")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"page overflows a phone screen ({width}px)"
            phone.screenshot(path=str(ARTIFACTS / "story-phone.png"), full_page=True)
            phone.close()
            # sign in as an editor and approve
            page.goto(live_server + "/login")
            page.get_by_label("Username").fill(EDITOR[0])
            page.get_by_label("Password").fill(EDITOR[1])
            page.get_by_role("button", name="Sign in").click()
            expect(page.locator("h1")).to_have_text("Review queue")
            page.get_by_role("link", name="Port Calder dockworkers end nine-day strike").click()
            page.get_by_role("button", name="Approve").click()
            expect(page.get_by_test_id("qr-status")).to_have_text("published")
            page.goto(live_server + "/stories/s-strike")
            expect(page.get_by_test_id("qr-label")).to_have_text("Summary is AI-generated, newsroom-reviewed")
            # edit a bullet with an unsupported claim: refused, with the words shown
            page.goto(live_server + "/review/stories/s-strike")
            page.get_by_label("Bullet 1").fill(
                "Port Calder dockworkers ended the strike after rioters torched three cranes."
            )
            page.get_by_role("button", name="Save edit").click()
            refusal = page.get_by_test_id("refusal")
            expect(refusal).to_be_visible()
            expect(refusal).to_contain_text("rioters")
            expect(refusal.locator("mark.unsupported")).not_to_have_count(0)
            page.screenshot(path=str(ARTIFACTS / "edit-refused.png"), full_page=True)
        finally:
            browser.close()
