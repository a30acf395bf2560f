"""The new views in real headless Chromium, at desktop and phone sizes, with screenshots.

The store holds the bundled examples run through the real pipeline (so the coverage matrix
has real facts, outlets and labels) and the web tests' strike story, approved and then sent
back to review by a fourth outlet (so "what changed" and the review diff have something to
show). Screenshots go to ``artifacts/``; ``NEWSPRISM_SCREENSHOTS=docs/screenshots`` writes the
ones the README shows.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _free_port, _require_chromium
from test_workflow import add_article_and_reanalyse
from web_helpers import EDITOR, build_world

from newsprism.config import Settings
from newsprism.newsroom.review import ReviewService
from newsprism.newsroom.users import hash_password
from newsprism.pipeline import Ingestor
from newsprism.sources.files import load_pages
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig

pytestmark = pytest.mark.browser
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REPO_ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, id of the largest example story) for a live server over the filled store."""
    path = tmp_path_factory.mktemp("views") / "store.db"
    repo = Repository.open(f"sqlite:///{path}")
    world = build_world(repo)
    store = NewsroomStore(repo.engine)
    store.add_user(EDITOR[0], hash_password(EDITOR[1]), "editor")
    ReviewService(repo, store).approve("s-strike", 1, EDITOR[0])
    add_article_and_reanalyse(world)
    pages = [p for p in load_pages([EXAMPLES]) if not hasattr(p, "reason")]
    Ingestor(repo, Settings(database_url="sqlite://")).ingest_pages(pages)  # type: ignore[arg-type]
    biggest = max(
        (
            r.story
            for r in repo.list_stories(limit=50)
            if r.story.id.startswith("s") and "-" not in r.story.id
        ),
        key=lambda s: len(s.article_ids),
    )
    app = create_app(Settings(), repo=repo, web=WebConfig(secret_key="browser-views-key"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", biggest.id
    server.should_exit = True
    thread.join(timeout=10)
    repo.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def shoot(page: Any, name: str, focus: str | None = None) -> None:
    """A full-page screenshot to artifacts/; with ``NEWSPRISM_SCREENSHOTS``, also the window
    scrolled to ``focus`` (a CSS selector) into that folder: what the README shows, kept small."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    target = os.environ.get("NEWSPRISM_SCREENSHOTS")
    if target:
        folder = REPO_ROOT / target
        folder.mkdir(parents=True, exist_ok=True)
        if focus:
            page.evaluate(f"document.querySelector({focus!r}).scrollIntoView({{block: 'start'}})")
        page.screenshot(path=str(folder / f"{name}.png"))


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"the page scrolls sideways ({width}px in a {inner}px window)"


# Every text-bearing part of the matrix: font size, its box, the box of its text, whether it is cut.
MATRIX_LAYOUT = """
() => {
  const root = document.querySelector('[data-testid=coverage-matrix]').closest('section');
  const items = [...root.querySelectorAll('p.legend, th, td, .matrix-key dt, .matrix-key dd .badge')];
  return items.map((el) => {
    const box = el.getBoundingClientRect();
    const range = document.createRange();
    // a cell's visible ink is its symbol; its words are for screen readers (visually hidden)
    range.selectNodeContents(el.tagName === 'TD' ? el.querySelector('[aria-hidden=true]') : el);
    const text = range.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      text: el.textContent.trim().slice(0, 40), tag: el.tagName,
      font: parseFloat(style.fontSize),
      box: [box.left, box.top, box.right, box.bottom],
      ink: [text.left, text.top, text.right, text.bottom],
      cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
      overflowHidden: style.overflow !== 'visible' || style.textOverflow === 'ellipsis',
    };
  });
}
"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def assert_matrix_readable(page: Any, width: int) -> int:
    """Labels >= 12 px, none clipped, none overlapping another, all inside the window."""
    items = page.evaluate(MATRIX_LAYOUT)
    labelled = [i for i in items if i["text"]]
    assert len(labelled) > 10
    for item in labelled:
        assert item["font"] >= 12, item
        assert not (item["cut"] and item["tag"] not in {"TD", "TH"}), item
        ink, box = item["ink"], item["box"]
        assert ink[0] >= box[0] - 1 and ink[2] <= box[2] + 1, ("text wider than its box", item)
        assert ink[0] >= 0 and ink[2] <= width, ("text outside the window", item)
    inks = [i for i in labelled if i["tag"] in {"TH", "TD"}]
    for n, a in enumerate(inks):
        for b in inks[n + 1 :]:
            assert not _overlap(a["ink"], b["ink"]), (a, b)
    return len(labelled)


def test_story_page_matrix_reads_on_a_phone_and_a_desktop(site: tuple[str, str], browser: Any) -> None:
    base, story_id = site
    from playwright.sync_api import expect

    for name, viewport in (("story-phone", PHONE), ("story-desktop", DESKTOP)):
        page = browser.new_page(viewport=viewport, is_mobile=viewport is PHONE)
        page.goto(f"{base}/stories/{story_id}")
        matrix = page.get_by_test_id("coverage-matrix")
        expect(matrix).to_be_visible()
        expect(page.get_by_test_id("matrix-legend")).to_contain_text("exclusive: one outlet only")
        rows = matrix.locator("tbody tr").count()
        assert rows >= 5, rows
        labels = assert_matrix_readable(page, viewport["width"])
        assert labels >= rows
        no_horizontal_scroll(page)
        shoot(page, name, ".matrix-box")
        page.close()


def test_what_changed_view_for_a_returning_reader(site: tuple[str, str], browser: Any) -> None:
    base, _ = site
    from playwright.sync_api import expect

    for name, viewport in (("what-changed-phone", PHONE), ("what-changed-desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
        page = context.new_page()
        # a reader who last read version 1 (the cookie a first visit would have left)
        context.add_cookies([{"name": "np_read", "value": "s-strike.1", "url": base}])
        page.goto(f"{base}/stories/s-strike")
        banner = page.get_by_test_id("what-changed")
        expect(banner).to_contain_text("Since you last read")
        expect(banner).to_contain_text("1 new article")
        expect(page.get_by_test_id("new-bullet")).to_have_count(1)
        expect(page.get_by_test_id("new-article")).to_have_count(1)
        page.locator("details.diff summary").click()
        expect(page.get_by_test_id("qr-diff").locator("del")).to_contain_text("Ships would start unloading")
        no_horizontal_scroll(page)
        shoot(page, name, ".quickread")
        # the version is now read: the next visit marks nothing
        page.reload()
        expect(page.get_by_test_id("what-changed")).to_have_count(0)
        # without JavaScript, the "since version" form still works
        page.select_option("#since-select", "1")
        page.get_by_role("button", name="Show changes").click()
        expect(page.get_by_test_id("what-changed")).to_contain_text("Since version 1")
        context.close()


def test_review_diff_view_for_an_editor(site: tuple[str, str], browser: Any) -> None:
    base, _ = site
    from playwright.sync_api import expect

    for name, viewport in (("review-diff-phone", PHONE), ("review-diff-desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
        page = context.new_page()
        page.goto(f"{base}/login")
        page.get_by_label("Username").fill(EDITOR[0])
        page.get_by_label("Password").fill(EDITOR[1])
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{base}/review/stories/s-strike")
        expect(page.locator("#changed-heading")).to_contain_text("what changed since the published version 1")
        diff = page.get_by_test_id("qr-diff").first
        expect(diff.locator("ins")).to_contain_text("Port Calder cranes were moving again")
        expect(page.get_by_role("button", name="Remove the Harbour Ledger tag from line 1")).to_be_visible()
        no_horizontal_scroll(page)
        shoot(page, name, "#changed-heading")
        context.close()


def test_feed_page_offers_story_feeds(site: tuple[str, str], browser: Any) -> None:
    base, _ = site
    from playwright.sync_api import expect

    for name, viewport in (("feed-phone", PHONE), ("feed-desktop", DESKTOP)):
        page = browser.new_page(viewport=viewport, is_mobile=viewport is PHONE)
        page.goto(f"{base}/?outlet=Harbour+Ledger")
        subscribe = page.get_by_test_id("subscribe")
        expect(subscribe).to_contain_text("these filtered stories")
        expect(subscribe.get_by_role("link", name="Atom")).to_have_attribute(
            "href", "/feeds/stories.atom?outlet=Harbour+Ledger"
        )
        no_horizontal_scroll(page)
        shoot(page, name)
        response = page.request.get(f"{base}/feeds/stories.atom?outlet=Harbour+Ledger")
        assert response.ok and b"<entry>" in response.body()
        page.close()
